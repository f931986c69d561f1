"""Generate a synthetic spec: N times the sample spec, or the Model Spec grown to N sections.

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

    python benchmarks/make_synthetic.py OUT_DIR --sections N [--dialect openai|native]
                                        [--model-spec FILE] [--check]

grows the OpenAI Model Spec (read from ``../shared/corpus``, never copied into the
repository) to exactly N sections, parts included: copies of the whole spec, each under
a top-level part heading of its own when there is more than one, the last copy cut at a
section boundary. Copy 1 keeps the spec's ids; copy ``k`` gets ``_cK`` appended to every
section id and eval prompt set id, and every reference follows (``{#id}``,
``[?](#id)``, ``[text](#id)``, ``BAD[#id]``, ``[^set]``, the eval files' headers).
The openai dialect writes ``OUT_DIR/spec/model_spec.md``, ``OUT_DIR/spec/examples/`` and
an ``OUT_DIR/mkdocs.yml`` naming that file. Native writes ``OUT_DIR/mkdocs.yml`` and
``OUT_DIR/spec/`` as ``specgen import`` does: the file itself is imported up to one
copy; beyond, one copy is imported with a placeholder copy number and written out for
each copy (two imports of 81 sections: seconds; the whole 8,000 take about 40 s).
The output is deterministic. ``--check`` loads and lints the result: exactly N
sections, and the Model Spec's own findings once per copy, no other kind.
"""

from __future__ import annotations

import argparse
import math
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
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

# --sections: the OpenAI Model Spec grown to N sections
MODEL_SPEC = (
    REPO.parent / "shared" / "corpus" / "openai-model-spec" / "2025-12-18" / "model_spec.md"
)
DIALECTS = ("openai", "native")
EXAMPLES_DIR = "examples"  # the dialect's eval prompt folder, beside model_spec.md
MAX_HEADING_LEVEL = 6
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SECTION_LINK = re.compile(r"\[([^\]\n]*)\]\(#([A-Za-z0-9_-]+)\)")  # [?](#id), [text](#id)
_LABEL_REF = re.compile(r"(<!--[ \t]*[A-Za-z_]+)\[#([A-Za-z0-9_-]+)\]")  # BAD[#id]
_HEADING_ID = re.compile(r"(\{#)([A-Za-z0-9_-]+)")  # ## Title {#id ...}


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


# --- --sections: the OpenAI Model Spec grown to N sections, in either dialect ---------


@dataclass(frozen=True)
class BaseSection:
    """A section of the Model Spec: its id, title, heading line, the eval sets it cites."""

    id: str
    title: str
    line: int  # 0-based index of its heading line in the file
    evals: frozenset[str]


@dataclass(frozen=True)
class ModelSpec:
    """The Model Spec as the generator copies it: its lines, sections in document order,
    eval prompt files, and every eval set id it knows (cited or present)."""

    path: Path
    text: str
    sections: tuple[BaseSection, ...]
    eval_files: dict[str, str]  # set id -> the file's text, sorted by id
    eval_ids: frozenset[str]
    max_level: int

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    @property
    def cited(self) -> frozenset[str]:
        return frozenset(e for s in self.sections for e in s.evals)

    @property
    def title(self) -> str:
        return self.path.stem.replace("_", " ").title()  # model_spec.md: "Model Spec"

    @property
    def date(self) -> str:
        return self.path.parent.name if _DATE.match(self.path.parent.name) else ""


@dataclass(frozen=True)
class Plan:
    """How N sections are made: ``copies`` copies of the spec, the last holding the
    spec's first ``last`` sections; each under a part heading when ``parts``."""

    sections: int
    copies: int
    last: int
    parts: bool
    per_copy: int  # the spec's sections

    @property
    def last_full(self) -> bool:
        return self.last == self.per_copy


@dataclass(frozen=True)
class Generated:
    """What ``generate_sections`` wrote: the path to lint and build, and its plan."""

    target: Path
    plan: Plan
    markdown_bytes: int
    eval_sets: int
    seconds: float


def read_model_spec(path: Path) -> ModelSpec:
    """The Model Spec read with specgen's own dialect reader (so the headings are those
    specgen sees: a ``# line`` inside a code block is no section)."""
    from specgen.model import RefKind
    from specgen.sources.openai.reader import read_openai

    if not path.is_file():
        raise SystemExit(f"{path} not found (the OpenAI Model Spec corpus is in ../shared)")
    text = path.read_text("utf-8")
    lines = text.split("\n")
    load = read_openai(path)
    sections: list[BaseSection] = []
    levels: list[int] = []
    cited: set[str] = set()
    for top in load.sections:
        for section in top.walk():
            line = section.loc.line - 1
            heading = lines[line]
            if not heading.startswith("#") or f"{{#{section.id}" not in heading:
                raise SystemExit(f"{path}:{line + 1}: not the heading of {section.id}")
            evals = frozenset(r.target for r in section.references if r.kind is RefKind.EVAL)
            cited |= evals
            sections.append(BaseSection(section.id, section.title, line, evals))
            levels.append(len(heading) - len(heading.lstrip("#")))
    if not sections:
        raise SystemExit(f"{path}: no sections")
    if [s.line for s in sections] != sorted(s.line for s in sections):
        raise SystemExit(f"{path}: sections are not in file order")
    folder = path.parent / EXAMPLES_DIR
    files = sorted(folder.glob("*.md")) if folder.is_dir() else []
    eval_files = {f.stem: f.read_text("utf-8") for f in files if f.is_file()}
    return ModelSpec(
        path=path,
        text=text,
        sections=tuple(sections),
        eval_files=eval_files,
        eval_ids=frozenset(cited | set(eval_files)),
        max_level=max(levels),
    )


def plan_sections(sections: int, per_copy: int) -> Plan:
    """Up to the spec's size: one copy, as it is (cut when smaller). Beyond: copies of
    the spec each under a part heading (a section too: ``per_copy + 1`` each), the last
    one cut at a section boundary so that the total is exactly ``sections``."""
    if sections < 1:
        raise SystemExit("--sections must be at least 1")
    if sections <= per_copy:
        return Plan(sections, 1, sections, False, per_copy)
    copies = math.ceil(sections / (per_copy + 1))
    last = sections - (copies - 1) * (per_copy + 1) - 1  # the last part's heading counts
    return Plan(sections, copies, last, True, per_copy)


class CopyRenamer:
    """The ids of one copy: its own sections and eval sets get ``suffix`` (copy 1 keeps
    the spec's); a reference to a section this copy lacks (the last copy is cut) goes to
    copy 1's, or, when copy 1 is the cut one, is unlinked (its text or title stays)."""

    def __init__(self, base: ModelSpec, suffix: str, kept: int, copies: int) -> None:
        self.suffix = suffix
        kept_ids = {s.id for s in base.sections[:kept]}
        self.sections: dict[str, str | None] = {}
        for section in base.sections:
            if section.id in kept_ids:
                self.sections[section.id] = section.id + suffix
            else:
                self.sections[section.id] = section.id if copies > 1 else None
        self.titles = {s.id: s.title for s in base.sections}
        self.evals = base.eval_ids

    def _link(self, match: re.Match[str]) -> str:
        text, target = match.group(1), match.group(2)
        if target not in self.sections:
            return match.group(0)  # dangling in the spec already: the same finding
        renamed = self.sections[target]
        if renamed is None:
            return self.titles[target] if text == "?" else text
        return f"[{text}](#{renamed})"

    def _label(self, match: re.Match[str]) -> str:
        target = match.group(2)
        if target not in self.sections:
            return match.group(0)
        renamed = self.sections[target]
        return match.group(1) if renamed is None else f"{match.group(1)}[#{renamed}]"

    def _heading(self, match: re.Match[str]) -> str:
        renamed = self.sections.get(match.group(2))
        return match.group(0) if renamed is None else match.group(1) + renamed

    def _eval(self, match: re.Match[str]) -> str:
        if match.group(2) not in self.evals:
            return match.group(0)
        return match.group(1) + match.group(2) + self.suffix + match.group(3)

    def text(self, text: str) -> str:
        text = _SECTION_LINK.sub(self._link, text)
        text = _LABEL_REF.sub(self._label, text)
        text = _HEADING_ID.sub(self._heading, text)
        return _EVAL_REF.sub(self._eval, text)


@dataclass(frozen=True)
class Chunk:
    """One copy in the dialect: its text (part heading included) and eval files."""

    text: str
    eval_files: dict[str, str]  # file name -> text


class OpenAIWriter:
    """Writes copies of the Model Spec in its own dialect."""

    def __init__(self, base: ModelSpec, plan: Plan) -> None:
        if plan.parts and base.max_level >= MAX_HEADING_LEVEL:
            raise SystemExit(f"{base.path}: H{MAX_HEADING_LEVEL} headings cannot go under parts")
        if plan.parts and any(s.id.startswith("part_") for s in base.sections):
            raise SystemExit(f"{base.path}: section ids starting part_ clash with the parts")
        self.base = base
        self.plan = plan
        self.lines = base.lines
        self.first = base.sections[0].line
        preamble = "\n".join(self.lines[: self.first]).rstrip("\n")
        self.preamble = preamble if preamble.strip() else ""
        if plan.parts:  # every section one level down, under its copy's part
            self.lines = list(self.lines)
            for section in base.sections:
                self.lines[section.line] = "#" + self.lines[section.line]

    def kept(self, copy: int) -> int:
        return self.plan.last if copy == self.plan.copies else self.plan.per_copy

    def chunk(self, copy: int, label: str, suffix: str) -> Chunk:
        """Copy ``copy`` (its sections, cut or not), its part named ``label``, its ids
        suffixed with ``suffix``."""
        base, plan = self.base, self.plan
        kept = self.kept(copy)
        renamer = CopyRenamer(base, suffix, kept, plan.copies)
        end = base.sections[kept].line if kept < plan.per_copy else len(self.lines)
        text = renamer.text("\n".join(self.lines[self.first : end]))
        if kept < plan.per_copy:
            text = text.rstrip("\n")
        if plan.parts:
            of = f"{base.title} {base.date}".strip()
            text = (
                f"# Part {label} {{#part_{label}}}\n\n"
                f"Copy {label} of the {of}, written by benchmarks/make_synthetic.py.\n\n"
            ) + text
        cited = {e for s in base.sections[:kept] for e in s.evals}
        files = {
            f"{set_id}{suffix}.md": renamer.text(eval_text)
            for set_id, eval_text in base.eval_files.items()
            # a set cited only by sections this copy lacks is left out with them
            if set_id in cited or set_id not in base.cited
        }
        return Chunk(text, files)

    def write(self, out: Path, chunks: list[Chunk]) -> tuple[Path, int]:
        """``out/spec/model_spec.md``, ``out/spec/examples/`` and ``out/mkdocs.yml``;
        returns the spec file and the number of eval prompt sets written."""
        examples = out / "spec" / EXAMPLES_DIR
        examples.mkdir(parents=True)
        texts = [self.preamble] if self.preamble else []
        eval_sets = 0
        for chunk in chunks:
            texts.append(chunk.text)
            for name, text in chunk.eval_files.items():
                (examples / name).write_text(text, "utf-8")
            eval_sets += len(chunk.eval_files)
        target = out / "spec" / self.base.path.name
        target.write_text("\n\n".join(texts), "utf-8")
        spec_file = f"spec/{self.base.path.name}"
        (out / "mkdocs.yml").write_text(_openai_mkdocs_yml(self.base, spec_file), "utf-8")
        return target, eval_sets

    def write_all(self, out: Path) -> tuple[Path, int]:
        chunks = [
            self.chunk(copy, str(copy), "" if copy == 1 else f"_c{copy}")
            for copy in range(1, self.plan.copies + 1)
        ]
        return self.write(out, chunks)


def _openai_mkdocs_yml(base: ModelSpec, spec_file: str) -> str:
    """A project in the dialect (``spec_dir`` names the file), with the look specgen
    gives a spec that has none: so the repository's mkdocs.yml does not govern it."""
    from specgen.site_defaults import THEME
    from specgen.writers.yaml_out import dump_yaml

    settings: dict[str, Any] = {"spec_dir": spec_file, "title": base.title}
    if base.date:
        settings["date"] = base.date
    config = {
        "site_name": base.title,
        "docs_dir": "spec",
        "theme": THEME,
        "plugins": ["search", {"specgen": settings}],
    }
    return dump_yaml(config)


def _specgen() -> Path:
    return Path(sys.executable).with_name("specgen")


def import_project(spec_file: Path, project: Path) -> None:
    """``specgen import SPEC_FILE --force -o PROJECT`` (the Model Spec has lint errors)."""
    done = subprocess.run(
        [str(_specgen()), "import", str(spec_file), "--force", "-o", str(project)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0 or not (project / "spec").is_dir():
        sys.stderr.write(done.stderr[-4000:])
        raise SystemExit(f"specgen import {spec_file}: exit {done.returncode}, no spec written")


# A copy number no spec holds: a copy is imported once with it, then written out for
# each copy with its own number (``_c987654321`` -> ``_c7``, or nothing for copy 1).
PLACEHOLDER = "987654321"


def _for_copy(text: str, copy: int) -> str:
    if copy == 1:
        text = text.replace(f"_c{PLACEHOLDER}", "").replace(f"-c{PLACEHOLDER}", "")
    return text.replace(PLACEHOLDER, str(copy))


def write_native(writer: OpenAIWriter, out: Path, scratch: Path) -> int:
    """The native spec of ``writer``'s plan into ``out/spec`` and ``out/mkdocs.yml``.

    One copy is ``specgen import``-ed with a placeholder copy number, then written out
    once per copy with that number replaced (so 8,000 sections take two imports of one
    copy each, seconds, where importing the whole file takes about 40 s). A cut last copy
    is imported on its own. Up to one copy (no parts), the file itself is imported.
    Returns the number of eval prompt sets written."""
    plan = writer.plan
    if not plan.parts:
        spec_file, eval_sets = writer.write_all(scratch / "whole")
        import_project(spec_file, scratch / "whole-native")
        shutil.move(scratch / "whole-native" / "spec", out / "spec")
        shutil.move(scratch / "whole-native" / "mkdocs.yml", out / "mkdocs.yml")
        return eval_sets
    base_text = writer.base.text + "".join(writer.base.eval_files.values())
    if PLACEHOLDER in base_text:
        raise SystemExit(f"{writer.base.path} holds {PLACEHOLDER}: cannot use it as a copy number")
    templates: dict[int, Path] = {}  # copies kept -> the imported native spec of one copy
    for copy in sorted({1, plan.copies}):
        kept = writer.kept(copy)
        if kept in templates:
            continue
        folder = scratch / f"template-{kept}"
        chunk = writer.chunk(copy, PLACEHOLDER, f"_c{PLACEHOLDER}")
        spec_file, _ = writer.write(folder, [chunk])
        import_project(spec_file, folder / "native")
        templates[kept] = folder / "native"
    first = templates[plan.per_copy]
    (out / "mkdocs.yml").write_text((first / "mkdocs.yml").read_text("utf-8"), "utf-8")
    width = len(str(10 * plan.copies))  # the native writer's names: 010-part-1, ...
    for copy in range(1, plan.copies + 1):
        template = templates[writer.kept(copy)] / "spec"
        (part,) = [p for p in template.iterdir() if p.is_dir() and PLACEHOLDER in p.name]
        name = f"{10 * copy:0{width}d}-part-{copy}"
        for path in sorted(template.rglob("*")):
            relative = path.relative_to(template).as_posix()
            if relative.startswith(part.name + "/") or relative == part.name:
                relative = name + relative[len(part.name) :]
            target = out / "spec" / _for_copy(relative, copy)
            if path.is_dir():
                target.mkdir(parents=True, exist_ok=True)
            elif path.suffix == ".md":
                target.write_text(_for_copy(path.read_text("utf-8"), copy), "utf-8")
            else:
                shutil.copyfile(path, target)
    evals = out / "spec" / DEFAULT_EVAL_DIR  # where specgen import puts them
    return sum(1 for _ in evals.glob("*.md")) if evals.is_dir() else 0


def generate_sections(
    out: Path, sections: int, dialect: str, model_spec: Path = MODEL_SPEC
) -> Generated:
    """Write the Model Spec grown to ``sections`` sections into ``out``, in ``dialect``."""
    if dialect not in DIALECTS:
        raise SystemExit(f"--dialect must be one of {', '.join(DIALECTS)}")
    start = time.perf_counter()
    base = read_model_spec(model_spec)
    plan = plan_sections(sections, len(base.sections))
    writer = OpenAIWriter(base, plan)
    _prepare(out)
    (out / "mkdocs.yml").unlink(missing_ok=True)
    if dialect == "openai":
        target, eval_sets = writer.write_all(out)
    else:
        with tempfile.TemporaryDirectory(dir=out, prefix=".scratch-") as tmp:
            eval_sets = write_native(writer, out, Path(tmp))
        target = out / "spec"
    return Generated(
        target, plan, total_md_bytes(out / "spec"), eval_sets, time.perf_counter() - start
    )


def lint_spec(target: Path) -> tuple[int, Counter[str]]:
    """``target`` loaded and linted as ``specgen lint`` does (its project's settings):
    its number of sections (every level, parts included) and its findings per code."""
    from specgen.api import load_and_lint

    checked = load_and_lint(target)
    sections = sum(1 for _ in checked.loaded.spec.walk())
    return sections, Counter(d.code for d in checked.report.diagnostics)


def check_sections(generated: Generated, model_spec: Path = MODEL_SPEC) -> list[str]:
    """What is wrong with a generated spec: its section count, and lint findings other
    than the Model Spec's own, once per copy (fewer for a cut last copy). Empty: fine."""
    plan = generated.plan
    problems = []
    found, codes = lint_spec(generated.target)
    if found != plan.sections:
        problems.append(f"{found} sections, not {plan.sections}")
    _, base = lint_spec(model_spec)
    for name, count in sorted(codes.items()):
        expected = base[name] * plan.copies
        if name not in base:
            problems.append(f"{count} {name} findings, a kind the Model Spec does not have")
        elif count > expected or (plan.last_full and count != expected):
            problems.append(f"{count} {name} findings, expected {expected} ({plan.copies} copies)")
    if plan.last_full:
        problems += [
            f"no {name} finding, expected {count * plan.copies}"
            for name, count in sorted(base.items())
            if name not in codes
        ]
    return problems


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
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--scale", type=int, help="copies of the sample spec (default 10)")
    size.add_argument(
        "--sections", type=int, help="grow the OpenAI Model Spec to exactly N sections"
    )
    parser.add_argument(
        "--dialect",
        choices=DIALECTS,
        default="openai",
        help="with --sections: write model_spec.md, or import it as native sources",
    )
    parser.add_argument(
        "--model-spec",
        type=Path,
        default=MODEL_SPEC,
        help="with --sections: the model_spec.md to grow (its examples/ beside it)",
    )
    parser.add_argument("--source", type=Path, default=REPO / "spec", help="sample spec folder")
    parser.add_argument(
        "--config", type=Path, default=REPO / "mkdocs.yml", help="mkdocs.yml of the sample spec"
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="lint the result; fail unless clean (--sections: unless exactly N sections "
        "and only the Model Spec's own findings, once per copy)",
    )
    args = parser.parse_args(argv)
    args.out = args.out.resolve()  # the native writer runs specgen in a scratch folder
    if args.sections is not None:
        return main_sections(args.out, args.sections, args.dialect, args.model_spec, args.check)
    scale = 10 if args.scale is None else args.scale
    spec = generate(args.out, scale, args.source, args.config)
    print(
        f"wrote {spec}: {total_md_bytes(spec)} bytes of Markdown "
        f"({scale}x {total_md_bytes(args.source)} bytes of {args.source})"
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


def main_sections(out: Path, sections: int, dialect: str, model_spec: Path, check: bool) -> int:
    generated = generate_sections(out, sections, dialect, model_spec)
    plan = generated.plan
    cut = "" if plan.last_full else f", the last cut to {plan.last} of its {plan.per_copy}"
    parts = f" under {plan.copies} parts" if plan.parts else ""
    print(
        f"wrote {generated.target} ({dialect}) in {generated.seconds:.2f} s: {plan.sections} "
        f"sections, {plan.copies} copies of {model_spec.name}{parts}{cut}; "
        f"{generated.markdown_bytes} bytes of Markdown, {generated.eval_sets} eval prompt sets"
    )
    if check:
        problems = check_sections(generated, model_spec)
        for problem in problems:
            print(f"{generated.target}: {problem}", file=sys.stderr)
        if problems:
            return 1
        print(
            f"checked {generated.target}: {plan.sections} sections, "
            "the Model Spec's lint findings only"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
