"""Where things live on the published site; the site adapter decides, render asks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from specgen.identifiers import safe_slug


@dataclass(frozen=True, slots=True)
class SitePage:
    """One of the site's own pages besides the home page and the sections."""

    name: str  # how render asks for it (``page_url(name)``)
    src: str  # its source path on the site: it is published at /<name>/
    title: str  # in the navigation and as the page's heading


# The one table of the site's own pages, in navigation order ("Browse"): the site
# adapter takes their sources, titles and navigation from it, and section ids that
# would take their addresses are derived from it.
CHANGES_PAGE = SitePage("changes", "changes.md", "What changed")  # versioned builds only
LEVELS = SitePage("levels", "levels.md", "Policies by level")
EXAMPLES = SitePage("examples", "examples.md", "All examples")
# eval.md, not eval/index.md: Material would take it as the Browse group's index.
EVAL_INDEX = SitePage("eval", "eval.md", "Eval prompts")  # when there are eval sets
# A run's results (`build --results`), only then; the name is reserved in every build, so
# a section's address never depends on whether results are shown.
RESULTS = SitePage("results", "results.md", "Results")
WHOLE_SPEC = SitePage("all", "all.md", "Whole spec on one page")
SITE_PAGES: tuple[SitePage, ...] = (
    CHANGES_PAGE,
    LEVELS,
    EXAMPLES,
    EVAL_INDEX,
    RESULTS,
    WHOLE_SPEC,
)
HOME_SRC = "index.md"

# The names render asks for.
LEVELS_PAGE = LEVELS.name
EXAMPLES_PAGE = EXAMPLES.name
EVAL_INDEX_PAGE = EVAL_INDEX.name
RESULTS_PAGE = RESULTS.name
ONE_PAGE = WHOLE_SPEC.name

# What MkDocs and Material write at the top of a site, besides pages.
# "diff": a preview site's diff page (specgen build --diff-base).
_TOOL_NAMES = {"assets", "search", "diff", "404", "404.html", "sitemap.xml", "sitemap.xml.gz"}
# A section lives at /<id>/; an id that is one of these gets /<id>_/. Compared
# case-blind: on a case-insensitive disk "Assets/" is "assets/".
RESERVED_IDS = frozenset(
    {page.name for page in SITE_PAGES}
    | _TOOL_NAMES
    | {"index", "index.html", "specgen"}  # the home page's source and page; our assets
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
