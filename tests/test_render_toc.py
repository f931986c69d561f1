"""Headings get ids and permalinks and, with examples, fill the page's table of contents;
[?] reads well after "the"; index entries drop the links of their captions."""

from __future__ import annotations

from specgen.model import Location, Markdown
from specgen.render.markdown import render_markdown
from specgen.render.toc import Toc


class _Linker:
    def section_url(self, section_id: str) -> str | None:
        return f"../{section_id}/" if section_id == "chain_of_command" else None

    def eval_url(self, set_id: str) -> str | None:
        return None

    def section_title(self, section_id: str) -> str | None:
        return "The chain of command" if section_id == "chain_of_command" else None

    def page_url(self, name: str) -> str | None:
        return None


def _md(text: str, inline: bool = False) -> Markdown:
    return Markdown(text, Location("x.md", 1, 1), inline=inline)


def test_headings_get_unique_ids_permalinks_and_toc_entries() -> None:
    toc = Toc(prefix="sec--")
    html = render_markdown(_md("## Why it matters\n\ntext\n\n### Why it matters\n"), toc=toc)
    assert '<h2 id="sec--why-it-matters">Why it matters<a class="headerlink" ' in html
    assert '<h3 id="sec--why-it-matters-2">' in html
    assert [(e.level, e.id) for e in toc.entries] == [
        (2, "sec--why-it-matters"),
        (3, "sec--why-it-matters-2"),
    ]
    toc.add_example("sec--ex", "Example: x")
    assert toc.entries[-1].level == 4  # under the last heading


def test_title_reference_after_the_drops_the_title_article() -> None:
    html = render_markdown(
        _md("follow the [?](#chain_of_command) and [?](#chain_of_command)"), _Linker()
    )
    assert "the <a" in html and ">chain of command</a> and" in html
    assert ">The chain of command</a>" in html


def test_links_dropped_for_text_shown_inside_a_link() -> None:
    caption = _md("conflict with [?](#chain_of_command) and [docs](https://example.com)", True)
    assert "<a " in render_markdown(caption, _Linker())
    plain = render_markdown(caption, _Linker(), links=False)
    assert "<a " not in plain and "</a>" not in plain
    assert plain == "conflict with The chain of command and docs"


def test_dashes_and_ellipses_are_typeset_outside_code() -> None:
    html = render_markdown(_md("even when --- or 1--2... but `a---b`"))
    assert html == "<p>even when — or 1–2… but <code>a---b</code></p>\n"  # noqa: RUF001
