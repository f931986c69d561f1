"""The two sides as the HTML diff page renders them: each side's render context (its
links are anchors on this page), the word diff of two renderings, the line saying where
something is on each side, and images shown as text.

Spec text is as untrusted as on the site: both sides are rendered by specgen's safe
renderer and templates (autoescaped), and the word diff (``specgen.diff.words``) only
rearranges that output.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from specgen.diff.model import SpecDiff
from specgen.diff.places import Places
from specgen.diff.words import WordDiff, diff_html
from specgen.model import Location
from specgen.render.section import RenderContext
from specgen.render.templates import render_template

_IMAGE = re.compile(r"<img\b[^>]*>")
_ALT = re.compile(r'\balt="([^"]*)"')


def no_images(html: str, overrides: Sequence[Path]) -> str:
    """Images of spec text as a line of text, "[image: its alt text]": the page loads
    nothing (an image would be a request, or a broken icon where the CSP refuses it),
    and a changed image still shows in the word diff. The renderer escaped the alt."""
    if "<img" not in html:
        return html

    def marker(match: re.Match[str]) -> str:
        alt = _ALT.search(match.group())
        return render_template(
            "specgen/diff/image.html", overrides, alt=Markup(alt.group(1)) if alt else ""
        )

    return _IMAGE.sub(marker, html)


class PageLinker:
    """Links of one side's rendered text: a section is an anchor on this page (every
    section of either side has one, and a renamed section its old id too) or nothing;
    eval prompt sets and the site's own pages are not on it."""

    def __init__(self, anchors: frozenset[str], titles: Mapping[str, str]) -> None:
        self.anchors = anchors
        self.titles = titles

    def section_url(self, section_id: str) -> str | None:
        return f"#{section_id}" if section_id in self.anchors else None

    def eval_url(self, set_id: str) -> str | None:
        return None

    def section_title(self, section_id: str) -> str | None:
        return self.titles.get(section_id)

    def page_url(self, name: str) -> str | None:
        return None


@dataclass
class Sides:
    """What renders both sides on the page: the diff, each side's render context, the
    template folders, the sections' titles, where things are, and renamed sections'
    anchors."""

    diff: SpecDiff
    old: RenderContext
    new: RenderContext
    overrides: tuple[Path, ...]
    titles: dict[str, str]
    places: Places
    aliases: dict[str, str]  # a renamed section's id -> its old id, an anchor here too
    renamed: dict[str, str]  # a renamed section's old anchor -> its new one ("#a": "#b")

    def words(self, old: str, new: str) -> WordDiff:
        """The word diff of two renderings, a changed link target noted (not a renamed
        section's new anchor)."""
        return diff_html(old, new, self.link_note, self.renamed)

    def link_note(self, old: str | None, new: str | None) -> str:
        return render_template("specgen/diff/relink.html", self.overrides, old=old, new=new)

    def where(self, old: Location | None, new: Location | None, block: bool = False) -> Markup:
        """A line saying where something is on each side, from the template."""
        return Markup(
            render_template(
                "specgen/diff/where.html",
                self.overrides,
                places=self.places.places(old, new),
                block=block,
            )
        )
