"""Generate a synthetic native spec N times the size of the sample spec.

    python benchmarks/make_synthetic.py OUT_DIR [--scale N] [--source SPEC] [--check]

The sample spec (``spec/`` next to the repository's mkdocs.yml) is copied N times into
``OUT_DIR/spec``. Copy ``k`` gets every section id, former id and eval prompt set id
suffixed with ``_cK``, and every reference rewritten to match (``[?](#id)``,
``[text](#id)``, ``[text]: #id``, ``violates: id``, ``[^set]``), so a sample spec that
lints clean gives a synthetic spec that lints clean. Example ids are unique per section,
so ``::example{#...}`` placements need no change. Each copy's top-level entries get a
number prefix that keeps them in the sample's order, copy after copy; the front page
(``index.md``) is written once and points into copy 1. ``OUT_DIR/mkdocs.yml`` is the
repository's mkdocs.yml with ``docs_dir``/``spec_dir`` pointing at ``OUT_DIR/spec``.

The output is deterministic: the same sample spec always gives the same bytes.
``--check`` runs ``specgen lint`` on the result and exits non-zero unless it is clean.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

REPO = Path(__file__).resolve().parent.parent
MARKER = ".specgen-synthetic"
INDEX = "index.md"
DEFAULT_EVAL_DIR = "eval-prompts"

_ORDER = re.compile(r"^(\d+)([-_. ].*)$")
_FM_ID = re.compile(r"""^(id:[ \t]*)(["']?)([A-Za-z0-9_-]+)(["']?)([ \t]*(?:#.*)?)$""")
_FM_FORMER_FLOW = re.compile(r"^former_ids:([ \t]*)\[(.*)\]([ \t]*(?:#.*)?)$")
_FM_FORMER_BLOCK = re.compile(r"^former_ids:[ \t]*(?:#.*)?$")
_FM_LIST_ITEM = re.compile(r"""^([ \t]*-[ \t]+)(["']?)([A-Za-z0-9_-]+)(["']?)(.*)$""")
_LINK = re.compile(r"(\]\([ \t]*<?#)([A-Za-z0-9_-]+)")
_REF_DEF = re.compile(r"^([ \t]{0,3}\[[^\]\n]+\]:[ \t]*<?#)([A-Za-z0-9_-]+)", re.MULTILINE)
_VIOLATES = re.compile(r"""(\bviolates:[ \t]*["']?)([A-Za-z0-9_-]+)""")
_EVAL_REF = re.compile(r"(\[\^)([A-Za-z0-9_-]+)(\])")


@dataclass
class SampleSpec:
    root: Path
    eval_dir: str
    section_ids: set[str] = field(default_factory=set)
    eval_ids: list[str] = field(default_factory=list)
    top_entries: list[Path] = field(default_factory=list)


@dataclass(frozen=True)
class Renamer:
    """Rewrites the ids of one copy: section ids (and former ids) and eval set ids."""

    sections: dict[str, str]
    evals: dict[str, str]

    def section(self, target: str) -> str:
        if target in self.sections:
            return self.sections[target]
        # an example anchor: section-id--example-id
        start = target.find("--")
        while start > 0:
            prefix = target[:start]
            if prefix in self.sections:
                return self.sections[prefix] + target[start:]
            start = target.find("--", start + 1)
        return target

    def text(self, text: str) -> str:
        text = _rewrite_front_matter(text, self)
        text = _LINK.sub(lambda m: m.group(1) + self.section(m.group(2)), text)
        text = _REF_DEF.sub(lambda m: m.group(1) + self.section(m.group(2)), text)
        text = _VIOLATES.sub(lambda m: m.group(1) + self.section(m.group(2)), text)
        return _EVAL_REF.sub(
            lambda m: m.group(1) + self.evals.get(m.group(2), m.group(2)) + m.group(3), text
        )


def _front_matter_end(lines: list[str]) -> int | None:
    """Index of the closing ``---`` line, or None when there is no front matter."""
    if not lines or lines[0].rstrip() != "---":
        return None
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return i
    return None


def _front_matter(text: str) -> str | None:
    lines = text.split("\n")
    end = _front_matter_end(lines)
    return None if end is None else "\n".join(lines[1:end])


def _rename_id_match(match: re.Match[str], rename: Callable[[str], str]) -> str:
    groups = list(match.groups())
    groups[-3] = rename(groups[-3])
    return "".join(groups)


def _rewrite_front_matter(text: str, renamer: Renamer) -> str:
    """Rename the top-level ``id`` and the ``former_ids`` of a section's front matter."""
    lines = text.split("\n")
    end = _front_matter_end(lines)
    if end is None:
        return text
    in_former = False
    for i in range(1, end):
        line = lines[i]
        if in_former:
            item = _FM_LIST_ITEM.match(line)
            if item is not None:
                lines[i] = _rename_id_match(item, renamer.section)
                continue
            if line.strip() == "" or line.startswith((" ", "\t", "#")):
                continue
            in_former = False
        if match := _FM_ID.match(line):
            lines[i] = _rename_id_match(match, renamer.section)
        elif match := _FM_FORMER_FLOW.match(line):
            items = [
                re.sub(r"[A-Za-z0-9_-]+", lambda m: renamer.section(m.group(0)), item)
                for item in match.group(2).split(",")
            ]
            lines[i] = f"former_ids:{match.group(1)}[{','.join(items)}]{match.group(3)}"
        elif _FM_FORMER_BLOCK.match(line):
            in_former = True
    return "\n".join(lines)


def _eval_dir(config: Path) -> str:
    """The configured eval prompt folder (``eval_prompts_dir``) of mkdocs.yml."""
    try:
        from specgen.sources.config import load_config
    except ImportError:
        return DEFAULT_EVAL_DIR
    project, _ = load_config(config)
    return project.eval_dir


def _md_files(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*.md")):
        if path.is_file():
            yield path


def _ignored(path: Path) -> bool:
    return path.name.startswith(("_", "."))


def read_sample(root: Path, eval_dir: str) -> SampleSpec:
    sample = SampleSpec(root=root, eval_dir=eval_dir)
    yaml = YAML(typ="safe", pure=True)
    for entry in sorted(root.iterdir()):
        if _ignored(entry) or entry.name in (INDEX, eval_dir):
            continue
        if entry.is_dir() or entry.suffix == ".md":
            sample.top_entries.append(entry)
    for entry in sample.top_entries:
        files = _md_files(entry) if entry.is_dir() else iter([entry])
        for path in files:
            front = _front_matter(path.read_text("utf-8"))
            if front is None:
                continue
            try:
                data: Any = yaml.load(front)
            except YAMLError:
                continue
            if not isinstance(data, dict):
                continue
            if isinstance(data.get("id"), str):
                sample.section_ids.add(data["id"])
            former = data.get("former_ids")
            if isinstance(former, list):
                sample.section_ids.update(x for x in former if isinstance(x, str))
    evals = root / eval_dir
    if evals.is_dir():
        sample.eval_ids = [p.stem for p in sorted(evals.glob("*.md")) if p.is_file()]
    return sample


def _top_name(name: str, copy: int) -> str:
    """``10-overview`` in copy 3 becomes ``30010-overview``: copies follow each other."""
    match = _ORDER.match(name)
    if match is not None and len(match.group(1)) <= 4:
        return f"{copy}{int(match.group(1)):04d}{match.group(2)}"
    return f"{copy}9999-{name}"


def _copy_tree(src: Path, dest: Path, renamer: Renamer) -> None:
    if src.is_dir():
        dest.mkdir(parents=True, exist_ok=True)
        for child in sorted(src.iterdir()):
            _copy_tree(child, dest / child.name, renamer)
    elif src.suffix == ".md":
        dest.write_text(renamer.text(src.read_text("utf-8")), "utf-8")
    elif src.is_file():
        shutil.copyfile(src, dest)


def renamer_for(sample: SampleSpec, copy: int) -> Renamer:
    suffix = f"_c{copy}"
    return Renamer(
        sections={i: i + suffix for i in sorted(sample.section_ids)},
        evals={i: i + suffix for i in sample.eval_ids},
    )


def _mkdocs_yml(text: str, repo: Path) -> str:
    def setting(key: str, value: str) -> Callable[[re.Match[str]], str]:
        return lambda m: f"{m.group(1)}{key}: {value}{m.group(2)}"

    text = re.sub(r"(?m)^(\s*)spec_dir:[^\n#]*?(\s*(?:#.*)?)$", setting("spec_dir", "spec"), text)
    text = re.sub(r"(?m)^(\s*)docs_dir:[^\n#]*?(\s*(?:#.*)?)$", setting("docs_dir", "spec"), text)
    match = re.search(r"(?m)^\s*custom_dir:\s*([^\s#]+)", text)
    if match is not None and not Path(match.group(1)).is_absolute():
        theme = (repo / match.group(1)).as_posix()
        text = text[: match.start(1)] + theme + text[match.end(1) :]
    return text


def _prepare(out: Path) -> None:
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists():
        raise SystemExit(f"{out} is not empty and was not made by this script; not touching it")
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("generated by benchmarks/make_synthetic.py\n", "utf-8")
    if (out / "spec").exists():
        shutil.rmtree(out / "spec")


def generate(out: Path, scale: int, source: Path, config: Path) -> Path:
    """Write the synthetic spec and its mkdocs.yml into ``out``; return the spec folder."""
    if scale < 1:
        raise SystemExit("--scale must be at least 1")
    sample = read_sample(source, _eval_dir(config))
    _prepare(out)
    spec = out / "spec"
    spec.mkdir()
    for copy in range(1, scale + 1):
        renamer = renamer_for(sample, copy)
        for entry in sample.top_entries:
            _copy_tree(entry, spec / _top_name(entry.name, copy), renamer)
        evals = source / sample.eval_dir
        if evals.is_dir():
            (spec / sample.eval_dir).mkdir(exist_ok=True)
            for set_id in sample.eval_ids:
                text = (evals / f"{set_id}.md").read_text("utf-8")
                target = spec / sample.eval_dir / f"{renamer.evals[set_id]}.md"
                target.write_text(renamer.text(text), "utf-8")
    first = renamer_for(sample, 1)
    home = source / INDEX
    if home.is_file():
        (spec / INDEX).write_text(first.text(home.read_text("utf-8")), "utf-8")
    evals = source / sample.eval_dir
    if evals.is_dir():  # anything else in the eval folder (not a prompt set): once
        for path in sorted(evals.iterdir()):
            if path.suffix != ".md" and not _ignored(path):
                _copy_tree(path, spec / sample.eval_dir / path.name, first)
    (out / "mkdocs.yml").write_text(_mkdocs_yml(config.read_text("utf-8"), config.parent), "utf-8")
    return spec


def total_md_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in _md_files(folder))


def lint(spec: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    specgen = Path(sys.executable).with_name("specgen")
    return subprocess.run(
        [str(specgen), "lint", str(spec)], cwd=cwd, capture_output=True, text=True, check=False
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("out", type=Path, help="output folder (gets spec/ and mkdocs.yml)")
    parser.add_argument("--scale", type=int, default=10, help="copies of the sample spec")
    parser.add_argument("--source", type=Path, default=REPO / "spec", help="sample spec folder")
    parser.add_argument(
        "--config", type=Path, default=REPO / "mkdocs.yml", help="mkdocs.yml of the sample spec"
    )
    parser.add_argument("--check", action="store_true", help="lint the result; fail unless clean")
    args = parser.parse_args(argv)
    spec = generate(args.out, args.scale, args.source, args.config)
    print(
        f"wrote {spec}: {total_md_bytes(spec)} bytes of Markdown "
        f"({args.scale}x {total_md_bytes(args.source)} bytes of {args.source})"
    )
    if args.check:
        result = lint(spec, REPO)
        if result.returncode != 0:
            sys.stdout.write(result.stdout)
            sys.stderr.write(result.stderr)
            print(f"specgen lint {spec}: exit {result.returncode}, not clean", file=sys.stderr)
            return 1
        print(f"specgen lint {spec}: clean")
    return 0


if __name__ == "__main__":
    sys.exit(main())
