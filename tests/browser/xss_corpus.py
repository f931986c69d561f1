"""Spec projects with an XSS payload in every field (see xss_payloads.txt).

Each payload placed in a field gets its own canary number (``Corpus.put``), so a payload
that ran tells which payload in which field (``Corpus.where[number]``).
"""

from __future__ import annotations

import json
from pathlib import Path

PAYLOADS_FILE = Path(__file__).with_name("xss_payloads.txt")
JS = (
    "top.__xss=@ID@;top.document.documentElement.dataset.xss=@ID@;"
    "console.error(@ID@);alert(@ID@);confirm(@ID@);prompt(@ID@)"
)
GROUP = 8  # payloads to a section
CORE = 10  # the first payloads, which also go (together) into mkdocs.yml's settings
LEVELS = ("root", "developer", "user")


def load_payloads() -> list[str]:
    payloads = []
    for line in PAYLOADS_FILE.read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("# ") or line == "#":
            continue
        payloads.append(line.replace("\\n", "\n").replace("\\t", "\t"))
    return payloads


class Corpus:
    """Hands out payloads for fields and remembers which canary number went where."""

    def __init__(self) -> None:
        self.payloads = load_payloads()
        self.fields: dict[str, int] = {}
        self.where: dict[int, tuple[str, int]] = {}

    def number(self, field: str, p: int) -> int:
        f = self.fields.setdefault(field, len(self.fields))
        assert p < 100 and f < 900
        number = 100000 + f * 100 + p
        self.where[number] = (field, p)
        return number

    def put(self, field: str, p: int) -> str:
        """Payload ``p`` as placed in ``field``."""
        number = str(self.number(field, p))
        return self.payloads[p].replace("@JS@", JS).replace("@ID@", number)

    def put_core(self, field: str, before: str = "") -> str:
        """The first CORE payloads, one after another, for a one-line setting."""
        parts = [self.put(field, p).replace("\n", " ") for p in range(CORE)]
        return " ".join([before, *parts]).strip()


def q(text: str) -> str:
    """A YAML scalar for any text (JSON strings are YAML double-quoted scalars)."""
    return json.dumps(text, ensure_ascii=False)


def _indent(text: str, spaces: int) -> str:
    pad = " " * spaces
    return "\n".join(pad + line if line else line for line in text.split("\n"))


def _one_line(text: str) -> str:
    return text.replace("\n", " ")


def groups(corpus: Corpus) -> list[list[int]]:
    """Payloads by section: a few to a section keeps the sites small and quick to open."""
    n = len(corpus.payloads)
    return [list(range(i, min(i + GROUP, n))) for i in range(0, n, GROUP)]


def section_id(g: int) -> str:
    return f"xss_g{g}"


def section_title(corpus: Corpus, g: int, field: str = "section title") -> str:
    """The title of group ``g``'s section: its payloads, one after another."""
    return " ".join(_one_line(corpus.put(field, p)) for p in groups(corpus)[g])


# ----------------------------------------------------------------------- native spec


def write_native_project(project: Path, corpus: Corpus) -> None:
    """Turn a ``specgen new`` project into one with a payload in every field."""
    spec = project / "spec"
    n = len(corpus.payloads)
    (project / "mkdocs.yml").write_text(_mkdocs_yml(corpus), "utf-8")
    home = "\n\n".join(corpus.put("home page body", p) for p in range(n))
    (spec / "index.md").write_text(f"Welcome.\n\n{home}\n", "utf-8")
    folder = spec / "40-xss"
    folder.mkdir()
    parent_title = corpus.put("parent section title", 0)
    (folder / "index.md").write_text(
        "---\nid: xss_corpus\n"
        f"title: {q('Payload corpus ' + parent_title)}\n"
        f"---\nEvery payload, in every field; see [?](#{section_id(0)}). "
        "Evaluated by [^xsse].\n",
        "utf-8",
    )
    count = len(groups(corpus))
    for g in range(count):
        (folder / f"{g + 10:02d}-g{g}.md").write_text(_section(corpus, g, count), "utf-8")
    (spec / "eval-prompts").mkdir(exist_ok=True)
    (spec / "eval-prompts" / "xsse.md").write_text(_eval_set(corpus), "utf-8")


def _mkdocs_yml(c: Corpus) -> str:
    levels = "".join(
        f"        - id: {level}\n"
        f"          name: {q(c.put_core(f'level {level} name', level.title()))}\n"
        f"          description: {q(c.put_core(f'level {level} description'))}\n"
        for level in LEVELS
    )
    qualities = "".join(
        f"        {quality}: {q(c.put_core(f'quality name {quality}', quality))}\n"
        for quality in ("good", "ok", "bad")
    )
    return (
        # site_name and site_description are MkDocs' own settings, which Material prints
        # unescaped by design: mkdocs.yml is trusted (it can add extra_javascript too).
        "site_name: XSS corpus\n"
        "docs_dir: spec\n"
        "theme:\n  name: material\n  font: false\n"
        "  features: [navigation.indexes, navigation.sections]\n"
        "plugins:\n  - specgen:\n"
        "      spec_dir: spec\n      eval_prompts_dir: eval-prompts\n"
        f"      title: {q(c.put_core('spec title', 'XSS'))}\n"
        f"      subtitle: {q(c.put_core('spec subtitle'))}\n"
        f"      version: {q(c.put_core('spec version', '1.0'))}\n"
        f"      date: {q(c.put_core('spec date', '2026-01-01'))}\n"
        f"      levels:\n{levels}"
        f"      quality_names:\n{qualities}"
    )


def _body(c: Corpus, p: int, other: str) -> str:
    """Payload ``p`` in every Markdown context of a body."""

    def put(field: str) -> str:
        return c.put(f"body {field}", p)

    def line(field: str) -> str:
        return _one_line(put(field))

    cell = line("table cell").replace("|", "\\|")
    header = line("table header").replace("|", "\\|")
    return "\n\n".join(
        [
            f"Paragraph: {put('paragraph')}",
            put("paragraph alone"),
            f"## {line('heading')}",
            f"### Sub {line('sub-heading')}",
            "- first item\n- " + _indent(put("list item"), 2).lstrip(),
            "1. " + _indent(put("ordered list item"), 3).lstrip(),
            "> " + put("blockquote").replace("\n", "\n> "),
            f"| {header} | b |\n|---|---|\n| {cell} | x |",
            f'!!! note "{line("admonition title")}"\n' + _indent(put("admonition body"), 4),
            '!!! meta "Commentary"\n' + _indent(put("commentary body"), 4),
            f"[{line('link text')}](#overview) and [?](#{other}) and [text](#{other})",
            f"[link target]({line('link target')}) [angle target](<{line('angle link target')}>)",
            f"![{line('image alt')}](x.png) ![alt]({line('image src')}) "
            f"![alt](<{line('angle image src')}>)",
            f"*{line('emphasis')}* **{line('strong')}** `{line('code span')}`",
            "```html\n" + put("code block") + "\n```",
            f"::example{{#x{p}}}",
        ]
    )


def _example(c: Corpus, p: int, other: str) -> str:
    def put(field: str) -> str:
        return q(c.put(field, p))

    return f"""  - id: x{p}
    caption: {put("example caption")}
    flags: [{put("example flag")}]
    conversation:
      - role: system
        content: {put("system message")}
        comment: {put("system message comment")}
      - role: developer
        content: {put("developer message")}
      - role: user
        content:
          - text: {put("user message text part")}
          - untrusted: {put("untrusted content")}
          - attachment: {put("attachment name")}
            caption: {put("attachment caption")}
        comment: {put("user message comment")}
      - role: assistant
        recipient: {put("assistant recipient")}
        content: {put("assistant message to a tool")}
        end_turn: false
      - role: tool
        name: {put("tool name")}
        content: {put("tool message")}
      - role: assistant
        raw: true
        content: {put("raw assistant message")}
      - elided: true
      - role: {put("message role")}
        content: {put("message with an unknown role")}
      - role: user
        content: {put("user message")}
      - answers:
          - quality: good
            content: {put("good answer")}
            comment: {put("good answer comment")}
            recipient: {put("answer recipient")}
          - quality: ok
            raw: true
            content: {put("raw ok answer")}
          - quality: bad
            content: {put("bad answer")}
            comment: {put("bad answer comment")}
            violates: {other}
          - quality: bad
            content: {put("bad answer with a dangling violates")}
            violates: {put("violates target")}
          - quality: {put("answer quality")}
            content: {put("answer of unknown quality")}
"""


def _section(c: Corpus, g: int, count: int) -> str:
    ps = groups(c)[g]
    other = section_id((g + 1) % count)
    # Every other section has a payload for its authority (an unknown level, SG204).
    authority = q(section_title(c, g, "authority")) if g % 2 else LEVELS[g // 2 % len(LEVELS)]
    tags = ", ".join(q(c.put("tag", p)) for p in ps)
    examples = "".join(_example(c, p, other) for p in ps)
    body = "\n\n".join(_body(c, p, other) for p in ps)
    return f"""---
id: {section_id(g)}
title: {q(section_title(c, g))}
authority: {authority}
tags: [{tags}, plain]
examples:
{examples}  - id: last
    caption: Placed after the body
    conversation:
      - role: user
        content: {q(" ".join(c.put("second example user message", p) for p in ps))}
      - answers:
          - quality: good
            content: Fine.
---
{body}
"""


def _eval_set(c: Corpus) -> str:
    prompts = "".join(
        f"  - caption: {q(c.put('eval prompt caption', p))}\n"
        f"    flags: [{q(c.put('eval prompt flag', p))}]\n"
        "    conversation:\n"
        f"      - role: developer\n        content: {q(c.put('eval prompt developer', p))}\n"
        f"      - role: user\n        content: {q(c.put('eval prompt user', p))}\n"
        for p in range(len(c.payloads))
    )
    body = "\n\n".join(c.put("eval set body", p) for p in range(len(c.payloads)))
    return f"---\ntitle: {q(c.put_core('eval set title'))}\nprompts:\n{prompts}---\n{body}\n"


# -------------------------------------------------------------------- OpenAI dialect


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(text: str) -> str:
    return _xml(_one_line(text)).replace('"', "&quot;")


def write_model_spec(folder: Path, corpus: Corpus) -> Path:
    """A model_spec.md (and examples/) with payloads in headings, bodies and messages."""
    count = len(groups(corpus))
    parts = ["# Payload spec {#xss_root}", "", corpus.put("md intro", 0), ""]
    for g, ps in enumerate(groups(corpus)):
        authority = LEVELS[g % len(LEVELS)]
        title = section_title(corpus, g, "md heading")
        parts += [f"## {title} {{#{section_id(g)} authority={authority}}}", ""]
        for p in ps:
            parts += _dialect_payload(corpus, p, section_id((g + 1) % count))
    parts += ["A sentence evaluated by [^xsse].", ""]
    spec = folder / "model_spec.md"
    spec.write_text("\n".join(parts), "utf-8")
    examples = folder / "examples"
    examples.mkdir()
    prompts = [f"Examples for [^xsse] in {_one_line(corpus.put('md eval title', 0))}:", ""]
    for p in range(len(corpus.payloads)):
        prompts += [
            f"**Example**: {_one_line(corpus.put('md eval caption', p))}",
            "",
            "~~~xml",
            f"<user>\n{_xml(corpus.put('md eval user', p))}\n</user>",
            "~~~",
            "",
        ]
    (examples / "xsse.md").write_text("\n".join(prompts), "utf-8")
    return spec


def _dialect_payload(corpus: Corpus, p: int, other: str) -> list[str]:
    def put(field: str) -> str:
        return corpus.put(f"md {field}", p)

    def label(field: str) -> str:
        return _one_line(put(field)).replace("-->", "")

    return [
        put("body paragraph"),
        "",
        "- " + _indent(put("body list item"), 2).lstrip(),
        "",
        '!!! meta "Commentary"',
        _indent(put("commentary"), 4),
        "",
        f"**Example**: {_one_line(put('example caption'))}",
        "",
        "~~~xml",
        f"<system>\n{_xml(put('system message'))}\n</system>",
        f"<developer>\n{_xml(put('developer message'))}\n"
        f"<untrusted>\n{_xml(put('untrusted content'))}\n</untrusted>\n</developer>",
        f'<user comment="{_attr(put("user comment"))}">\n{_xml(put("user message"))}\n'
        f"[file: {_one_line(put('attachment')).replace(' ', '_')} photo]\n</user>",
        f'<assistant recipient="{_attr(put("recipient"))}" end_turn="false">\n'
        f"{_xml(put('assistant message'))}\n</assistant>",
        f'<tool name="{_attr(put("tool name"))}">\n{_xml(put("tool message"))}\n</tool>',
        f"<user>\n{put('unescaped user message')}\n</user>",
        "<comparison>",
        f"<assistant> <!-- GOOD: {label('good label')} -->\n"
        f"{_xml(put('good answer'))}\n</assistant>",
        f"<assistant> <!-- BAD[#{other}]: {label('bad label')} -->\n"
        f"{_xml(put('bad answer'))}\n</assistant>",
        "</comparison>",
        "~~~",
        "",
    ]
