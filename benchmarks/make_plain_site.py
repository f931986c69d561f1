"""Generate a plain Material for MkDocs project with the pages specgen builds for a spec.

    python benchmarks/make_plain_site.py OUT_DIR [--source SPEC] [--check]

The baseline of the site build benchmark: the same pages, in the same tree and
navigation, as ``specgen build SPEC``, but as ordinary Markdown files that MkDocs and
Material render on their own, with no specgen plugin. The spec is read with specgen's
own loader (``specgen.sources.loading.load_spec``), and the page paths and the navigation come from
``specgen.site.structure``, so both builds produce the same set of pages:

- one page per section: its title, its authority as a line of text, its body Markdown
  with each ``::example{#id}`` placement replaced by that example, its other examples
  after the body, and links to its sub-sections;
- the home page, the levels legend, the examples index, the eval prompts index, one
  page per eval prompt set, and the whole spec on one page.

Examples are plain Markdown: a bold "Example:" paragraph with the caption (and an
``attr_list`` anchor, as specgen gives each example one), each message a paragraph
block under a bold role label, each judged answer a blockquote under its verdict.
Cross-references (``[?](#id)``, ``[text](#id)``) become links to the target's page
(``.md`` paths, which MkDocs resolves and checks), eval references (``[^set]``) links
to the set's page. Raw messages are fenced code.

``OUT_DIR/mkdocs.yml`` uses specgen's default theme block (``specgen.site_defaults.THEME``:
Material, ``font: false``, the same features and palette), directory URLs, the search
plugin and no other, and the Markdown extensions closest to what specgen's Markdown
reads: tables, admonitions, fenced code highlighted with Pygments, math kept for the
browser (pymdownx.arithmatex), plus attr_list for the example anchors.

The output is deterministic. ``--check`` builds the result with ``mkdocs build`` into
a temporary folder and exits non-zero if MkDocs fails or warns.
"""

from __future__ import annotations

import argparse
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from specgen.model import (
    QUALITY_ORDER,
    Answer,
    AnswerSet,
    AttachmentPart,
    Elision,
    EvalPromptSet,
    Example,
    Markdown,
    Part,
    RefKind,
    Section,
    Spec,
    TextPart,
    UntrustedPart,
)
from specgen.site import structure
from specgen.site_defaults import THEME
from specgen.sources.loading import load_spec

REPO = Path(__file__).resolve().parent.parent
MODEL_SPEC = (
    REPO.parent / "shared" / "corpus" / "openai-model-spec" / "2025-12-18" / "model_spec.md"
)
MARKER = ".specgen-plain-site"
DOCS = "docs"
MARKDOWN_EXTENSIONS: list[Any] = [
    "tables",
    "admonition",
    "attr_list",
    "pymdownx.highlight",
    "pymdownx.superfences",
    {"pymdownx.arithmatex": {"generic": True}},
]

_ID = r"[A-Za-z0-9_-]+"
_TITLE_REF = re.compile(rf"\[\?\]\(\s*<?#({_ID})>?\s*\)")
_LINK = re.compile(rf"(\]\(\s*<?)#({_ID})")
_REF_DEF = re.compile(rf"^([ \t]{{0,3}}\[[^\]\n]+\]:[ \t]*<?)#({_ID})", re.MULTILINE)
_EVAL_REF = re.compile(rf"\[\^({_ID})\]")
_PLACEMENT = re.compile(rf"^([ \t]*)::example\{{#({_ID})\}}[ \t]*$", re.MULTILINE)


def example_anchor(owner: str, example_id: str) -> str:
    return f"{owner}--{example_id}"


class Pages:
    """Writes the Markdown of every page; links are relative to the page being written."""

    def __init__(self, spec: Spec, home: Markdown | None) -> None:
        self.spec = spec
        self.home = home
        self.index = spec.section_index()
        self.eval_ids = {s.id for s in spec.eval_sets}
        self.cited = _citing_sections(spec)
        self.here = structure.HOME
        self.one_page = False

    # -- links -------------------------------------------------------------------------

    def _rel(self, src: str, anchor: str = "") -> str:
        start = posixpath.dirname(self.here) or "."
        path = posixpath.relpath(src, start)
        return f"{path}#{anchor}" if anchor else path

    def section_link(self, target: str) -> str | None:
        """The link to a section, or to an example (``section--example``)."""
        section, anchor = self.index.get(target), ""
        if section is None:
            cut = target.find("--")
            while cut > 0 and section is None:
                section, anchor = self.index.get(target[:cut]), target
                cut = target.find("--", cut + 1)
        if section is None:
            return None
        if self.one_page:
            return f"#{anchor or section.id}"
        return self._rel(structure.section_src(section), anchor)

    def eval_link(self, set_id: str) -> str | None:
        return self._rel(structure.eval_src(set_id)) if set_id in self.eval_ids else None

    def text(self, markdown: Markdown | str) -> str:
        """Spec Markdown with its references made into ordinary links."""
        text = markdown if isinstance(markdown, str) else markdown.text

        def title_ref(match: re.Match[str]) -> str:
            target = match.group(1)
            section = self.index.get(target)
            title = section.title if section else target
            return f"[{title}]({self.section_link(target) or '#' + target})"

        def link(match: re.Match[str]) -> str:
            return match.group(1) + (self.section_link(match.group(2)) or "#" + match.group(2))

        def eval_ref(match: re.Match[str]) -> str:
            url = self.eval_link(match.group(1))
            return f"<sup>[{match.group(1)}]({url})</sup>" if url else match.group(0)

        text = _TITLE_REF.sub(title_ref, text)
        text = _LINK.sub(link, text)
        text = _REF_DEF.sub(link, text)
        return _EVAL_REF.sub(eval_ref, text)

    def link_to(self, section: Section) -> str:
        return f"[{_inline(section.title)}]({self.section_link(section.id)})"

    # -- examples ----------------------------------------------------------------------

    def example(self, owner: str, example: Example) -> str:
        caption = _inline(self.text(example.caption))
        flags = "".join(f" `{flag}`" for flag in example.flags)
        blocks = [f"**Example:** {caption}{flags}\n{{: #{example_anchor(owner, example.id)} }}"]
        names = self.spec.config.quality_names
        for turn in example.turns:
            if isinstance(turn, Elision):
                blocks.append("*[…]*")
                continue
            if isinstance(turn, AnswerSet):
                for answer in sorted(turn.answers, key=_quality_rank):
                    label = _role_label("assistant", answer.recipient, None)
                    verdict = names.get(answer.quality, answer.quality)
                    blocks.append(f"**{verdict}**: {label}")
                    blocks.append(_quote(self.parts(answer.parts, answer.raw)))
                    if answer.comment is not None:
                        blocks.append(f"*{_inline(self.text(answer.comment))}*")
                    if answer.violates is not None:
                        target = answer.violates.target
                        section = self.index.get(target)
                        title = _inline(section.title) if section else target
                        url = self.section_link(target)
                        blocks.append(f"Conflicts with [{title}]({url})" if url else title)
                continue
            label = _role_label(turn.role, turn.recipient, turn.name)
            note = f" ({_inline(turn.comment)})" if turn.comment else ""
            blocks.append(f"**{label}**{note}:")
            blocks.append(self.parts(turn.parts, turn.raw))
        return "\n\n".join(b for b in blocks if b) + "\n"

    def parts(self, parts: tuple[Part, ...], raw: bool) -> str:
        out: list[str] = []
        for part in parts:
            if isinstance(part, AttachmentPart):
                out.append(f"*Attachment: {_inline(part.name)}* {_inline(part.caption)}".rstrip())
            elif raw and isinstance(part, TextPart):
                out.append(_fence(part.markdown.text))
            elif isinstance(part, UntrustedPart):
                out.append("**Untrusted content:**\n\n" + _quote(self.text(part.markdown)))
            else:
                out.append(self.text(part.markdown).strip("\n"))
        return "\n\n".join(out)

    # -- pages -------------------------------------------------------------------------

    def authority(self, section: Section) -> str:
        if section.authority:
            level = self.spec.config.level(section.authority)
            name = level.name if level else section.authority
            legend = self._rel(structure.LEVELS, f"level-{section.authority}")
            return f"*Authority: [{name}]({legend})*"
        return "*Informative*" if section.informative else ""

    def section_body(self, section: Section) -> tuple[str, list[Example]]:
        """The body with its placed examples in place; the examples not placed."""
        by_id = {example.id: example for example in section.examples}
        placed: set[str] = set()

        def place(match: re.Match[str]) -> str:
            example = by_id.get(match.group(2))
            if example is None or example.id in placed:
                return ""
            placed.add(example.id)
            indent = match.group(1)
            html = self.example(section.id, example).rstrip("\n")
            return "\n".join(indent + line if line else line for line in html.split("\n"))

        body = self.text(_PLACEMENT.sub(place, section.body.text))
        return body.strip("\n"), [e for e in section.examples if e.id not in placed]

    def section_page(self, section: Section) -> str:
        self.here, self.one_page = structure.section_src(section), False
        body, rest = self.section_body(section)
        blocks = [f"# {section.title}", self.authority(section), body]
        blocks += [self.example(section.id, e) for e in rest]
        if section.children:
            blocks.append("\n".join(f"- {self.link_to(c)}" for c in section.children))
        return _page(blocks)

    def home_page(self) -> str:
        self.here, self.one_page = structure.HOME, False
        config = self.spec.config
        version = " · ".join(
            x for x in (f"Version {config.version}" if config.version else "", config.date) if x
        )
        blocks = [f"# {config.title}", config.subtitle, version]
        if self.home is not None:
            blocks.append(self.text(self.home))
        blocks.append("## Contents")
        blocks.append("\n".join(f"- {self.link_to(s)}" for s in self.spec.sections))
        blocks.append("## Browse")
        browse = [
            f"- [Policies by level]({self._rel(structure.LEVELS)}): every policy grouped by "
            "its authority",
            f"- [All examples]({self._rel(structure.EXAMPLES)}), by level and verdict",
        ]
        if self.spec.eval_sets:
            browse.append(
                f"- [Eval prompts]({self._rel(structure.EVAL_INDEX)}): the prompt sets the "
                "spec cites"
            )
        browse.append(
            f"- [The whole spec on one page]({self._rel(structure.ONE_PAGE)}), to read end to "
            "end, search or print"
        )
        blocks.append("\n".join(browse))
        return _page(blocks)

    def levels_page(self) -> str:
        self.here, self.one_page = structure.LEVELS, False
        by_level: dict[str, list[Section]] = {}
        informative: list[Section] = []
        for section in self.spec.walk():
            if section.authority:
                by_level.setdefault(section.authority, []).append(section)
            elif section.informative:
                informative.append(section)
        levels = [(lv, by_level.pop(lv.id, [])) for lv in self.spec.config.levels]
        total = sum(len(sections) for _, sections in levels)
        rows = ["| Level | Meaning | Policies |", "|---|---|---:|"]
        rows += [
            f"| [{lv.name}](#level-{lv.id}) | {lv.description} | {len(ss)} |" for lv, ss in levels
        ]
        blocks = [
            "# Policies by level",
            "Each policy carries an authority level. An instruction may override a policy "
            "only when it comes from a higher level; guidelines yield to context. "
            f"{total} policies, by level:",
            "\n".join(rows),
        ]
        for level, sections in levels:
            blocks.append(f"## {level.name}: {len(sections)} policies {{ #level-{level.id} }}")
            blocks.append(level.description)
            blocks.append(self._list(sections, counts=True) or "No policy at this level.")
        for level_id, sections in sorted(by_level.items()):
            blocks.append(f"## {level_id}: not a configured level {{ #level-{level_id} }}")
            blocks.append(self._list(sections))
        if informative:
            blocks.append(f"## Informative: {len(informative)} sections {{ #informative }}")
            blocks.append(self._list(informative))
        return _page(blocks)

    def _list(self, sections: list[Section], counts: bool = False) -> str:
        lines = []
        for section in sections:
            n = len(section.examples)
            count = f" · {n} example{'' if n == 1 else 's'}" if counts and n else ""
            lines.append(f"- {self.link_to(section)}{count}")
        return "\n".join(lines)

    def examples_page(self) -> str:
        self.here, self.one_page = structure.EXAMPLES, False
        names = self.spec.config.quality_names
        rows: list[str] = []
        for section in self.spec.walk():
            level = self.spec.config.level(section.authority or "")
            for example in section.examples:
                url = self.section_link(example_anchor(section.id, example.id))
                caption = _inline(self.text(example.caption))
                present = {a.quality for t in example.answer_sets for a in t.answers}
                verdicts = [names.get(q.value, q.value) for q in QUALITY_ORDER if q in present]
                meta = [level.name if level else "", *verdicts, *example.flags]
                meta.append(f"in {self.link_to(section)}")
                rows.append(f"1. [{caption}]({url})  \n   {' · '.join(m for m in meta if m)}")
        blocks = [
            "# All examples",
            f"{len(rows)} examples, in the order of the spec.",
            "\n".join(rows),
        ]
        return _page(blocks)

    def eval_index_page(self) -> str:
        self.here, self.one_page = structure.EVAL_INDEX, False
        lines = []
        for prompt_set in sorted(self.spec.eval_sets, key=lambda s: s.id):
            cited = ", ".join(self.link_to(s) for s in self.cited.get(prompt_set.id, []))
            by = f": cited by {cited}" if cited else ""
            lines.append(
                f"- [{prompt_set.id}]({self.eval_link(prompt_set.id)}) "
                f"{_inline(prompt_set.title)}{by}"
            )
        return _page(["# Eval prompts", "\n".join(lines)])

    def eval_set_page(self, prompt_set: EvalPromptSet) -> str:
        self.here, self.one_page = structure.eval_src(prompt_set.id), False
        cited = ", ".join(self.link_to(s) for s in self.cited.get(prompt_set.id, []))
        index = f"[All eval prompt sets]({self._rel(structure.EVAL_INDEX)})"
        blocks = [
            f"# Eval prompts {prompt_set.id}",
            (f"Cited by {cited}." if cited else "Nothing in the spec cites this set.")
            + f" {index}",
            self.text(prompt_set.body),
        ]
        blocks += [self.example(prompt_set.id, p) for p in prompt_set.prompts]
        return _page(blocks)

    def one_page_view(self) -> str:
        self.here, self.one_page = structure.ONE_PAGE, True
        blocks = [f"# {self.spec.config.title}"]

        def walk(sections: tuple[Section, ...], depth: int) -> None:
            for section in sections:
                hashes = "#" * min(depth + 2, 6)
                blocks.append(f"{hashes} {section.title} {{ #{section.id} }}")
                blocks.append(self.authority(section))
                body, rest = self.section_body(section)
                blocks.append(body)
                blocks.extend(self.example(section.id, e) for e in rest)
                walk(section.children, depth + 1)

        walk(self.spec.sections, 0)
        return _page(blocks)

    def all_pages(self) -> dict[str, str]:
        """Source path (relative to docs_dir) -> Markdown, for every page of the site."""
        pages = {
            structure.HOME: self.home_page(),
            structure.LEVELS: self.levels_page(),
            structure.EXAMPLES: self.examples_page(),
            structure.ONE_PAGE: self.one_page_view(),
        }
        for section in self.spec.walk():
            pages[structure.section_src(section)] = self.section_page(section)
        if self.spec.eval_sets:
            pages[structure.EVAL_INDEX] = self.eval_index_page()
        for prompt_set in self.spec.eval_sets:
            pages[structure.eval_src(prompt_set.id)] = self.eval_set_page(prompt_set)
        return pages


def _citing_sections(spec: Spec) -> dict[str, list[Section]]:
    cited: dict[str, list[Section]] = {}
    for section in spec.walk():
        for ref in section.references:
            if ref.kind is RefKind.EVAL and section not in cited.get(ref.target, []):
                cited.setdefault(ref.target, []).append(section)
    return cited


def _quality_rank(answer: Answer) -> int:
    names = [q.value for q in QUALITY_ORDER]
    return names.index(answer.quality) if answer.quality in names else len(names)


def _role_label(role: str, recipient: str | None, name: str | None) -> str:
    label = role.capitalize() if role else "Message"
    if recipient:
        return f"{label} to {recipient}"
    return f"{label}: {name}" if name else label


def _inline(text: str) -> str:
    return " ".join(text.split())


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line.strip() else ">" for line in text.strip("\n").split("\n"))


def _fence(text: str) -> str:
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text.rstrip(chr(10))}\n{fence}"


def _page(blocks: list[str]) -> str:
    return "\n\n".join(b.strip("\n") for b in blocks if b and b.strip()) + "\n"


def mkdocs_config(spec: Spec) -> dict[str, Any]:
    return {
        "site_name": spec.config.title,
        "docs_dir": DOCS,
        "use_directory_urls": True,
        "theme": THEME,
        "plugins": ["search"],
        "markdown_extensions": MARKDOWN_EXTENSIONS,
        "nav": structure.nav_for(spec),
    }


def _prepare(out: Path) -> None:
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists():
        raise SystemExit(f"{out} is not empty and was not made by this script; not touching it")
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("generated by benchmarks/make_plain_site.py\n", "utf-8")
    if (out / DOCS).exists():
        shutil.rmtree(out / DOCS)


def generate(out: Path, source: Path = MODEL_SPEC) -> Path:
    """Write ``out/docs`` (one Markdown file per page) and ``out/mkdocs.yml``; return the
    mkdocs.yml path."""
    loaded, _ = load_spec(source)
    pages = Pages(loaded.spec, loaded.home).all_pages()
    _prepare(out)
    for src, text in pages.items():
        path = out / DOCS / src
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    config = out / "mkdocs.yml"
    yaml = YAML()
    yaml.default_flow_style = False
    yaml.width = 4096
    with config.open("w", encoding="utf-8") as handle:
        yaml.dump(mkdocs_config(loaded.spec), handle)
    return config


def check(config: Path) -> subprocess.CompletedProcess[str]:
    """``mkdocs build`` of the generated project into a temporary folder."""
    mkdocs = Path(sys.executable).with_name("mkdocs")
    with tempfile.TemporaryDirectory(prefix="specgen-plain-") as tmp:
        return subprocess.run(
            [str(mkdocs), "build", "-f", str(config), "-d", str(Path(tmp) / "site")],
            capture_output=True,
            text=True,
            check=False,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("out", type=Path, help="output folder (gets docs/ and mkdocs.yml)")
    parser.add_argument("--source", type=Path, default=MODEL_SPEC, help="the spec to mirror")
    parser.add_argument(
        "--check", action="store_true", help="build it with mkdocs; fail on an error or warning"
    )
    args = parser.parse_args(argv)
    config = generate(args.out, args.source)
    docs = config.parent / DOCS
    files = sorted(docs.rglob("*.md"))
    size = sum(p.stat().st_size for p in files)
    print(f"wrote {config} and {len(files)} pages ({size} bytes of Markdown) in {docs}")
    if args.check:
        result = check(config)
        problems = [
            line for line in result.stderr.splitlines() if line.startswith(("WARNING", "ERROR"))
        ]
        if result.returncode != 0 or problems:
            sys.stderr.write(result.stderr)
            print(f"mkdocs build {config}: exit {result.returncode}, not clean", file=sys.stderr)
            return 1
        print(f"mkdocs build {config}: clean")
    return 0


if __name__ == "__main__":
    sys.exit(main())
