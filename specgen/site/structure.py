"""Where each section's page lives: ``<id>/`` for every section, flat, so that a
section keeps its address when it moves in the tree."""

from __future__ import annotations

from specgen.model import Section, Spec

HOME = "index.md"


def section_src(section: Section) -> str:
    # A section with sub-sections is its nav group's index page (navigation.indexes).
    return f"{section.id}/index.md" if section.children else f"{section.id}.md"


def nav_for(spec: Spec) -> list[object]:
    return [{"Home": HOME}, *(_nav_item(s) for s in spec.sections)]


def _nav_item(section: Section) -> object:
    if not section.children:
        return {section.title: section_src(section)}
    return {section.title: [section_src(section), *(_nav_item(c) for c in section.children)]}
