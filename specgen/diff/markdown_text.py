"""Markdown a pull-request comment can hold safely, and its links.

Spec text is untrusted: every title, id, caption and word is escaped (``md_text``;
``html_text`` inside an HTML block such as a ``<summary>``, which GitHub reads as HTML)
so that none can break a table, start a link, an image, an issue reference or a mention,
or reach GitHub as HTML. ``md_pieces`` writes changed words as one line, deleted ones in
``<del>`` and inserted ones in ``<ins>``.

Links: a section or an example on the preview site (``section_url``, ``example_url``), a
source line on the forge (``source``, ``line_link``), the full HTML diff (``where_all``);
an address from the user is kept one link target.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote

from markupsafe import escape

from specgen.diff.markdown_words import Piece
from specgen.model import Location
from specgen.origin import Origin
from specgen.render.linker import section_slug
from specgen.render.section import example_anchor

# What can make Markdown in the middle of a line (every line of the comment starts with
# specgen's own words, so "#", ">", "-", "+", "1." never start a block), escaped with a
# backslash: the escape character itself, code spans, emphasis ("_" only at a word's
# edge: never emphasis inside one), strikethrough, links and images, HTML and
# autolinks, entities, table cells, GitHub's math, and a colon that could make a URL,
# "mailto:" or an :emoji: (one right before a non-space; not a line number, "x.md:12").
_SPECIAL = re.compile(
    r"[\\`*~\[\]<&|$]|(?<![^\W_])_|_(?![^\W_])|:(?![\s\d]|$)|:(?=\d+:)|(?<=www)\.", re.I
)
_JOINER = "\u2060"  # a word joiner: invisible, and GitHub links no reference across it
_REFERENCE = re.compile(r"(?:@(?=\w)|#(?=\d))")


def _no_references(text: str) -> str:
    """No @mention ("@team") and no issue reference ("#12") GitHub would act on."""
    return _REFERENCE.sub(lambda m: m.group() + _JOINER, text)


def md_text(text: str) -> str:
    """``text`` as Markdown that reads as that text, on one line: no emphasis, link,
    image, HTML, table cell break, autolink, issue reference or @mention can come out of
    it. Other punctuation stays as written ("/", ".", "(", "#")."""
    text = " ".join(_no_references(text).split())
    return _SPECIAL.sub(lambda m: "\\" + m.group(), text)


def html_text(text: str) -> str:
    """``text`` inside an HTML block of the comment (GitHub reads no Markdown there)."""
    return str(escape(" ".join(_no_references(text).split())))


def _md_run(text: str) -> str:
    """``md_text`` keeping a space at either end: a run between two others."""
    core = md_text(text)
    lead = " " if text[:1].isspace() else ""
    trail = " " if text[-1:].isspace() and core else ""
    return lead + core + trail


def md_pieces(pieces: Iterable[Piece]) -> str:
    """Runs of text as one line: deleted words in ``<del>``, inserted in ``<ins>``."""
    out: list[str] = []
    for piece in pieces:
        if not piece.mark:
            out.append(_md_run(piece.text))
        elif piece.text.strip():
            lead = " " if piece.text[:1].isspace() else ""
            trail = " " if piece.text[-1:].isspace() else ""
            out.append(f"{lead}<{piece.mark}>{md_text(piece.text)}</{piece.mark}>{trail}")
    return re.sub(" {2,}", " ", "".join(out)).strip()


def _url_part(text: str) -> str:
    return quote(text, safe="")


def section_url(base_url: str, section_id: str) -> str:
    """A section's page on the published site: ``{base}/{id}/`` (``{id}_/`` for the
    site's own names)."""
    return f"{_base(base_url)}/{_url_part(section_slug(section_id))}/"


def example_url(base_url: str, section_id: str, example_id: str) -> str:
    anchor = example_anchor(section_id, example_id)  # as the site names it
    return f"{section_url(base_url, section_id)}#{_url_part(anchor)}"


def _base(base_url: str) -> str:
    return _one_target(base_url.rstrip("/"))


def _one_target(url: str) -> str:
    # An address from the user (a command-line option, mkdocs.yml): keep it one target.
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def link(text: str, url: str | None) -> str:
    return f"[{text}]({_one_target(url)})" if url else text


# -- links to a source line -------------------------------------------------------------


def source(origin: Origin, loc: Location, text: str | None = None) -> str:
    """``loc`` as reviewers cite it ("spec/x.md:12", or ``text``), linked to that line on
    the forge when the project names one."""
    return link(md_text(text or origin.where(loc)), origin.source_url(loc))


def line_link(origin: Origin, path: str, line: int | None, old: bool = False) -> str:
    """ "line 12" ("old line 12" on the old side), linked to the line on the forge."""
    if line is None:
        return "old text" if old else "text"
    words = f"{'old line' if old else 'line'} {line}"
    return source(origin, Location(path, line), words)


def where_all(html_url: str | None) -> str:
    if html_url:
        return f"[the full HTML diff]({_base(html_url)})"
    return "the full diff (`specgen diff --format html`)"
