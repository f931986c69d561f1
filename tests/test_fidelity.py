"""Fidelity to the source (issue 15): what the author wrote is what the site shows.

Data shown to the assistant (untrusted content, tool outputs) appears character for
character; ~~strikethrough~~ is struck; the OpenAI dialect has math only inside
conversations; "..." is never turned into something else; tags show their names.
Checked on the repository's sample spec and the OpenAI Model Spec 2025-12-18.
"""

from __future__ import annotations

import html
import os
import re
import textwrap
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from specgen.diff.reading import Reading
from specgen.model import (
    Example,
    Location,
    Markdown,
    Message,
    Section,
    Spec,
    SpecConfig,
    UntrustedPart,
)
from specgen.render.markdown import render_markdown
from specgen.render.section import RenderContext, render_example, render_section
from specgen.site.edits import SpecFiles
from specgen.sources.config import load_config
from specgen.sources.loading import load_spec
from specgen.writers.native import project_config_text, write_project

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "openai-model-spec"
MODEL_SPEC = CORPUS / "2025-12-18" / "model_spec.md"
UNTRUSTED_SOURCE = REPO / "spec" / "30-foundations" / "50-untrusted-content.md"

needs_corpus = pytest.mark.skipif(
    not MODEL_SPEC.is_file() and not os.environ.get("CI"),
    reason=f"the OpenAI Model Spec corpus is not at {CORPUS} (it must be there in CI)",
)
_VERBATIM = re.compile(r'<pre class="sg-verbatim">\n(.*?)</pre>', re.DOTALL)
_TAGS = re.compile(r"<[^>]+>")
_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # CommonMark's backslash escapes


def verbatim_texts(page: str) -> list[str]:
    """The text of each verbatim block as a browser reads it (the newline right after
    <pre> is not content)."""
    return [html.unescape(text) for text in _VERBATIM.findall(page)]


def shown_text(fragment: str) -> str:
    return html.unescape(_TAGS.sub("", fragment))


@pytest.fixture(scope="module")
def model_spec() -> Spec:
    return load_spec(MODEL_SPEC)[0].spec


@pytest.fixture(scope="module")
def sample() -> Spec:
    return load_spec(REPO / "spec")[0].spec


class SpecLinker:
    """Links to a spec's sections as the site's pages are laid out."""

    def __init__(self, spec: Spec) -> None:
        self.sections = spec.section_index()

    def section_url(self, section_id: str) -> str | None:
        return f"../{section_id}/" if section_id in self.sections else None

    def eval_url(self, set_id: str) -> str | None:
        return f"../eval/{set_id}/"

    def section_title(self, section_id: str) -> str | None:
        section = self.sections.get(section_id)
        return section.title if section else None

    def page_url(self, name: str) -> str | None:
        return f"../{name}/"


def context(spec: Spec) -> RenderContext:
    return RenderContext(spec.config, SpecLinker(spec))


def source_lines(path: Path) -> list[str]:
    return path.read_text("utf-8").split("\n")


# -- untrusted content and tool outputs: shown as they are ------------------------------


def untrusted_blocks(path: Path) -> list[str]:
    """Each ``- untrusted: |`` block of a native section file, read from its lines (not
    by specgen's reader): the block scalar's lines, dedented."""
    lines = source_lines(path)
    blocks = []
    for index, line in enumerate(lines):
        if line.strip() != "- untrusted: |":
            continue
        indent = len(line) - len(line.lstrip()) + 2
        body: list[str] = []
        for following in lines[index + 1 :]:
            if following.strip() and len(following) - len(following.lstrip()) < indent:
                break
            body.append(following)
        blocks.append(textwrap.dedent("\n".join(body)).strip("\n"))
    return blocks


def test_the_northwind_email_renders_character_for_character(sample: Spec) -> None:
    section = sample.section_index()["treat_pasted_content_as_data"]
    example = next(e for e in section.examples if e.id == "forwarded-refund-email")
    page = render_example(section, example, context(sample))
    shown = verbatim_texts(page)
    written = untrusted_blocks(UNTRUSTED_SOURCE)
    assert shown[0] == written[0]
    assert shown[0].startswith("From: Northwind Refunds <refunds@northwind-air-claims.example>\n")
    assert "mailto:" not in page and "<p>From:" not in page


def test_untrusted_content_is_neither_markdown_nor_links() -> None:
    text = "**Act now**: <b>click</b> [here](https://x.example)\n  - not a list\n\\( x \\)"
    part = UntrustedPart(Markdown(text, Location("t.md")))
    message = Message("user", (part,), Location("t.md"))
    spec = Spec(SpecConfig(), ())
    section = Section("s", "S", Location("t.md"), Markdown("", Location("t.md")))
    example = Example("e", Markdown("E", Location("t.md"), inline=True), (message,), section.loc)
    page = render_example(section, example, context(spec))
    assert verbatim_texts(page) == [text]
    assert "<strong>" not in page and "<a " not in page.split("sg-untrusted", 1)[1]
    assert "<math" not in page and "<b>" not in page


@needs_corpus
def test_model_spec_untrusted_and_tool_output_are_shown_as_written(model_spec: Spec) -> None:
    section = model_spec.section_index()["ignore_untrusted_data"]
    page = render_section(section, context(model_spec))
    shown = verbatim_texts(page)
    lines = source_lines(MODEL_SPEC)
    untrusted = []
    for start, line in enumerate(lines):
        if line == "<untrusted>" and start > 740 and start < 800:  # this section's two
            end = lines.index("</untrusted>", start)
            untrusted.append(html.unescape("\n".join(lines[start + 1 : end])))
    tool_start = lines.index('<tool name="browser">')
    tool_output = lines[tool_start + 1]
    assert len(untrusted) == 2
    assert shown == [tool_output, *untrusted]  # in page order: the tool's, then the two


# -- strikethrough, math only in conversations, faithful dots ---------------------------


@needs_corpus
def test_model_spec_body_keeps_math_delimiters_dots_and_strikethrough(model_spec: Spec) -> None:
    section = model_spec.section_index()["formatting"]
    body = render_markdown(section.body, SpecLinker(model_spec))
    lines = source_lines(MODEL_SPEC)
    sentence = next(line for line in lines if line.startswith("For math, use"))
    # What the sentence says once Markdown's backslash escapes are read, and nothing else.
    expected = _MD_ESCAPE.sub(r"\1", sentence)
    assert "For math, use \\( ... \\) for inline" in expected  # the delimiters, three dots
    assert expected in shown_text(body)
    assert "<math" not in body
    assert "<s>strikethroughs</s>" in body and "~~" not in body
    # Inside the conversation, math is still math.
    example = render_section(section, context(model_spec))
    assert example.count("<math") == 3  # \\( x^2 \\), \\( x \\) and the display


@needs_corpus
def test_model_spec_dashes_and_dots_read_as_published(model_spec: Spec) -> None:
    section = model_spec.section_index()["stay_in_bounds"]
    body = shown_text(render_markdown(section.body, SpecLinker(model_spec)))
    assert "request \u2014 even when" in body  # " --- " is the spec's em dash
    message = next(
        part
        for s in model_spec.walk()
        for e in s.examples
        for m in e.messages
        for part in m.parts
        if "money is pretty tight this month..." in part.markdown.text
    )
    assert "this month\u2026" in shown_text(render_markdown(message.markdown))


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("Wait...", "Wait\u2026"),
        ("Four dots....", "Four dots...."),
        ("Two dots..", "Two dots.."),
        ("Escaped \\... dot", "Escaped ... dot"),
        ("Really????", "Really????"),
        ("Wow!!!!!", "Wow!!!!!"),
        ("a,,b", "a,,b"),
        ("(c) (tm) (r) +-", "(c) (tm) (r) +-"),
        ("use --force here", "use --force here"),
        ("--force starts the line", "--force starts the line"),
        ("Stay calm -- even then", "Stay calm \u2013 even then"),
        ("pages 3--5", "pages 3\u20135"),
        ("one---two", "one\u2014two"),
        ("<https://x.example/a...b>", "https://x.example/a...b"),
    ],
)
def test_typography_never_changes_what_was_written(written: str, shown: str) -> None:
    assert shown_text(render_markdown(Markdown(written, Location("t.md")))) == f"{shown}\n"


def test_strikethrough_is_struck_for_render_and_read_as_words_by_diff() -> None:
    markdown = Markdown("Prices ~~EUR 80~~ EUR 60.", Location("t.md"))
    assert render_markdown(markdown) == "<p>Prices <s>EUR 80</s> EUR 60.</p>\n"
    reading = Reading({})
    reading.markdown(markdown)
    assert "~" not in "".join(reading.words) and "80" in reading.words


def test_native_text_keeps_its_math() -> None:
    assert "<math" in render_markdown(Markdown("Area \\\\( r^2 \\\\).", Location("t.md")))


# -- tag display names ------------------------------------------------------------------


@needs_corpus
def test_model_spec_tags_show_its_own_names(model_spec: Spec) -> None:
    assert model_spec.config.tag_name("under_18") == "U18"
    ctx = context(model_spec)
    teen = model_spec.section_index()["prioritize_teen_safety"]
    page = render_section(teen, ctx)
    assert 'title="Tag: under_18">U18</span>' in page
    assert ">under_18<" not in page
    flagged = [e for s in model_spec.walk() for e in s.examples if "under_18" in e.flags]
    assert flagged
    assert "data-pagefind-ignore>U18</span>" in render_example(teen, flagged[0], ctx)


def _write_config(folder: Path, block: str) -> Path:
    path = folder / "mkdocs.yml"
    path.write_text(f"site_name: T\nplugins:\n  - specgen:\n{block}", "utf-8")
    return path


def test_tag_names_are_read_from_mkdocs_yml(tmp_path: Path) -> None:
    path = _write_config(
        tmp_path, "      tag_names:\n        under_18: Under 18\n        beta: 2\n"
    )
    config, diags = load_config(path)
    assert diags == []
    assert config.spec.tag_name("under_18") == "Under 18"
    assert config.spec.tag_name("beta") == "2"
    assert config.spec.tag_name("other") == "other"


@pytest.mark.parametrize(
    ("block", "code", "line", "words"),
    [
        ("      tag_names: [under_18]\n", "SG007", 4, "must map tags"),
        ("      tag_names:\n        under_18: ''\n", "SG007", 5, "non-empty text"),
        ("      tag_names:\n        under_18: [U, 18]\n", "SG007", 5, "non-empty text"),
        ("      tag_names:\n        '../x': X\n", "SG212", 5, "tag"),
        ("      tag_name:\n        under_18: U18\n", "SG007", 4, "did you mean 'tag_names'"),
    ],
)
def test_bad_tag_names_are_reported_where_they_are(
    tmp_path: Path, block: str, code: str, line: int, words: str
) -> None:
    config, diags = load_config(_write_config(tmp_path, block))
    assert [(d.code, d.loc.line) for d in diags] == [(code, line)]
    assert words in diags[0].message
    assert config.spec.tag_name("under_18") == "under_18"


@needs_corpus
def test_a_configured_name_wins_over_the_dialects(tmp_path: Path) -> None:
    folder = tmp_path / "ms"
    folder.mkdir()
    (folder / "model_spec.md").write_text(MODEL_SPEC.read_text("utf-8"), "utf-8")
    _write_config(folder, "      tag_names:\n        under_18: Teen\n")
    spec = load_spec(folder / "model_spec.md")[0].spec
    assert spec.config.tag_name("under_18") == "Teen"


@needs_corpus
def test_import_writes_the_model_specs_tag_names(model_spec: Spec, tmp_path: Path) -> None:
    path = tmp_path / "mkdocs.yml"
    path.write_text(project_config_text(model_spec), "utf-8")
    config, diags = load_config(path)
    assert diags == []
    assert dict(config.spec.tag_names) == {"under_18": "U18"}


def test_a_tag_name_is_escaped_where_it_is_shown(sample: Spec) -> None:
    hostile = '<img src=x onerror="alert(1)">'
    config = replace(sample.config, tag_names={"under_18": hostile})
    spec = replace(sample, config=config)
    flagged = next((s, e) for s in spec.walk() for e in s.examples if "under_18" in e.flags)
    page = render_example(flagged[0], flagged[1], context(spec))
    assert hostile not in page
    assert html.escape(hostile, quote=False).replace('"', "&#34;") in page


# -- math only in messages, kept by a project imported from the dialect ---------------


@pytest.mark.parametrize(("value", "diags"), [("messages", []), ("everywhere", []), ("body", 1)])
def test_math_scope_is_read_from_mkdocs_yml(tmp_path: Path, value: str, diags: Any) -> None:
    config, found = load_config(_write_config(tmp_path, f"      math: {value}\n"))
    if diags:
        assert [(d.code, d.loc.line) for d in found] == [("SG007", 4)]
        assert config.spec.math == "everywhere"
    else:
        assert found == [] and config.spec.math == value


@needs_corpus
def test_an_imported_model_spec_keeps_math_only_in_messages(tmp_path: Path) -> None:
    loaded = load_spec(MODEL_SPEC)[0]
    write_project(loaded.spec, tmp_path / "project", loaded.home)
    assert "math: messages" in (tmp_path / "project" / "mkdocs.yml").read_text("utf-8")
    imported = load_spec(tmp_path / "project" / "spec")[0].spec
    section = imported.section_index()["formatting"]
    body = render_markdown(section.body, SpecLinker(imported))
    assert "For math, use \\( ... \\) for inline" in shown_text(body) and "<math" not in body
    assert render_section(section, context(imported)).count("<math") == 3
    # A native spec configured otherwise has math in its bodies, as before.
    everywhere = replace(section.body, math=True)
    assert "<math" in render_markdown(everywhere, SpecLinker(imported))


@needs_corpus
def test_a_section_saved_in_serve_keeps_the_imported_math_rule(tmp_path: Path) -> None:
    loaded = load_spec(MODEL_SPEC)[0]
    write_project(loaded.spec, tmp_path / "project", loaded.home)
    spec_dir = tmp_path / "project" / "spec"
    imported, project = load_spec(spec_dir)
    section = imported.spec.section_index()["formatting"]
    path = Path(section.body.loc.path)
    path = path if path.is_absolute() else Path.cwd() / path
    path.write_text(path.read_text("utf-8").replace("For math, use", "For math, write"))
    edit = SpecFiles(imported, project, spec_dir).edit(imported, path)
    assert edit is not None  # rewritten on its own, as any edit
    saved = edit.loaded.spec.section_index()["formatting"]
    body = render_markdown(saved.body, SpecLinker(edit.loaded.spec))
    assert "For math, write \\( ... \\) for inline" in shown_text(body) and "<math" not in body
