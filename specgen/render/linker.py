"""Where things live on the published site; the site adapter decides, render asks."""

from __future__ import annotations

from typing import Protocol

from specgen.identifiers import safe_slug

# The site's own pages besides the sections, by the names render asks for them.
LEVELS_PAGE = "levels"
EXAMPLES_PAGE = "examples"
EVAL_INDEX_PAGE = "eval"
ONE_PAGE = "all"

# A section lives at /<id>/; an id that is one of the site's own paths (or MkDocs'
# files, or the home page's source) gets /<id>_/. Compared case-blind: on a
# case-insensitive disk "Assets/" is "assets/".
RESERVED_IDS = frozenset(
    {"assets", "search", "levels", "examples", "eval", "all", "changes", "404", "index"}
    | {"404.html", "index.html", "sitemap.xml", "sitemap.xml.gz", "specgen"}
)


def section_slug(section_id: str) -> str:
    """The path segment of a section's page: the id itself when it is a safe identifier
    and not one of the site's own names, never a raw unsafe one."""
    return unreserved(safe_slug(section_id), RESERVED_IDS)


def unreserved(slug: str, reserved: frozenset[str]) -> str:
    """``slug`` with a ``_`` added when, but for trailing ``_``, it is a reserved name:
    "assets" -> "assets_" and "assets_" -> "assets__", so two ids never share a page."""
    return f"{slug}_" if slug.rstrip("_").casefold() in reserved else slug


class Linker(Protocol):
    def section_url(self, section_id: str) -> str | None:
        """URL of a section, relative to the page being rendered; None if unknown."""

    def eval_url(self, set_id: str) -> str | None:
        """URL of an eval prompt set's page; None if the set does not exist."""

    def section_title(self, section_id: str) -> str | None: ...

    def page_url(self, name: str) -> str | None:
        """URL of one of the site's own pages (``LEVELS_PAGE``...); None if absent."""
