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
from specgen.render.linker import section_slug, unreserved

HOME = "index.md"
LEVELS = "levels.md"
EXAMPLES = "examples.md"
ONE_PAGE = "all.md"
CHANGES = "changes.md"  # a release's "What changed" (versioned builds only)
EVAL_INDEX = "eval.md"  # not eval/index.md: Material would take it as the Browse group's index
_EVAL_RESERVED = frozenset({"index"})


def section_src(section: Section) -> str:
    # A section with sub-sections is its nav group's index page (navigation.indexes).
    slug = section_slug(section.id)
    return f"{slug}/index.md" if section.children else f"{slug}.md"


def eval_src(set_id: str) -> str:
    # eval/index.md would be the address of the eval prompts index (eval.md): taken.
    return f"eval/{unreserved(safe_slug(set_id), _EVAL_RESERVED)}.md"


def nav_for(spec: Spec, with_changes: bool = False) -> list[object]:
    browse: list[object] = [{"What changed": CHANGES}] if with_changes else []
    browse += [
        {"Policies by level": LEVELS},
        {"All examples": EXAMPLES},
    ]
    if spec.eval_sets:
        browse.append({"Eval prompts": EVAL_INDEX})
    browse.append({"Whole spec on one page": ONE_PAGE})
    return [{"Home": HOME}, *(_nav_item(s) for s in spec.sections), {"Browse": browse}]


def _nav_item(section: Section) -> object:
    # MkDocs' templates print nav titles as HTML: spec text must arrive escaped.
    title = str(escape(section.title))
    if not section.children:
        return {title: section_src(section)}
    return {title: [section_src(section), *(_nav_item(c) for c in section.children)]}
