"""Where each page lives and how the navigation reads (MkDocs-free: plain data).

Every section lives at ``<id>/``, flat, so that it keeps its address when it moves in
the tree. The site's own pages (levels legend, examples index, eval prompts, one-page
view) and MkDocs' folders take a few names; a section whose id is one of them is
published at ``<id>_/`` instead.
"""

from __future__ import annotations

from markupsafe import escape

from specgen.identifiers import safe_slug
from specgen.model import Section, Spec
from specgen.render.linker import (
    CHANGES_PAGE,
    HOME_SRC,
    SITE_PAGES,
    SitePage,
    section_slug,
    unreserved,
)
from specgen.render.linker import EVAL_INDEX as EVAL_INDEX_PAGE
from specgen.render.linker import EXAMPLES as EXAMPLES_PAGE
from specgen.render.linker import LEVELS as LEVELS_PAGE
from specgen.render.linker import RESULTS as RESULTS_PAGE
from specgen.render.linker import WHOLE_SPEC as WHOLE_SPEC_PAGE

# Source paths of the site's own pages (from the one table in render.linker).
HOME = HOME_SRC
LEVELS = LEVELS_PAGE.src
EXAMPLES = EXAMPLES_PAGE.src
ONE_PAGE = WHOLE_SPEC_PAGE.src
CHANGES = CHANGES_PAGE.src
EVAL_INDEX = EVAL_INDEX_PAGE.src
RESULTS = RESULTS_PAGE.src
_EVAL_RESERVED = frozenset({"index"})


def section_src(section: Section) -> str:
    # A section with sub-sections is its nav group's index page (navigation.indexes).
    slug = section_slug(section.id)
    return f"{slug}/index.md" if section.children else f"{slug}.md"


def one_page_src(part: int) -> str:
    """The whole spec's first part is its one page; a spec too long for one page has
    more (``/all/2/``, ``/all/3/``...)."""
    return ONE_PAGE if part == 1 else f"{ONE_PAGE.removesuffix('.md')}/{part}.md"


def eval_src(set_id: str) -> str:
    # eval/index.md would be the address of the eval prompts index (eval.md): taken.
    return f"eval/{unreserved(safe_slug(set_id), _EVAL_RESERVED)}.md"


def site_pages(
    spec: Spec, with_changes: bool = False, with_results: bool = False
) -> list[SitePage]:
    """The site's own pages this spec has, in navigation order."""
    return [
        page
        for page in SITE_PAGES
        if (page is not CHANGES_PAGE or with_changes)
        and (page is not EVAL_INDEX_PAGE or spec.eval_sets)
        and (page is not RESULTS_PAGE or with_results)
    ]


def nav_for(spec: Spec, with_changes: bool = False, with_results: bool = False) -> list[object]:
    pages = site_pages(spec, with_changes, with_results)
    browse: list[object] = [{p.title: p.src} for p in pages]
    return [{"Home": HOME}, *(_nav_item(s) for s in spec.sections), {"Browse": browse}]


def _nav_item(section: Section) -> object:
    # MkDocs' templates print nav titles as HTML: spec text must arrive escaped.
    title = str(escape(section.title))
    if not section.children:
        return {title: section_src(section)}
    return {title: [section_src(section), *(_nav_item(c) for c in section.children)]}
