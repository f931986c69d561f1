"""The section tree of each side: where each section stands, and which ones moved.

A section is *moved* when its parent id differs, or when it is out of order among the
siblings it shares with the other side under the same parent: the longest run of those
siblings kept in order stays put and only the others are moved, so inserting or removing
a section moves nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from specgen.diff.order import longest_increasing
from specgen.model import Section, Spec


@dataclass(frozen=True, slots=True)
class Place:
    """Where a section stands in its side's tree."""

    section: Section
    parent: str | None
    position: int  # among its siblings


@dataclass(slots=True)
class Tree:
    """A side's sections by id (the first section of an id), in order and by parent."""

    places: dict[str, Place]
    order: list[str]  # ids in document order
    children: dict[str | None, list[str]]  # parent id -> child ids, in order


def section_tree(spec: Spec) -> Tree:
    tree = Tree({}, [], {})

    def visit(sections: tuple[Section, ...], parent: str | None) -> None:
        for position, section in enumerate(sections):
            if section.id not in tree.places:
                tree.places[section.id] = Place(section, parent, position)
                tree.order.append(section.id)
                tree.children.setdefault(parent, []).append(section.id)
            visit(section.children, section.id)

    visit(spec.sections, None)
    return tree


def moved_sections(old: Tree, new: Tree) -> set[str]:
    """Ids of the sections that moved from ``old`` to ``new`` (keyed alike)."""
    moved = {
        sid
        for sid, place in new.places.items()
        if sid in old.places and old.places[sid].parent != place.parent
    }
    for parent, new_kids in new.children.items():
        old_kids = old.children.get(parent)
        if not old_kids:
            continue
        old_rank = {sid: i for i, sid in enumerate(old_kids)}
        kept = [sid for sid in new_kids if sid in old_rank]
        in_order = longest_increasing([old_rank[sid] for sid in kept])
        moved.update(sid for i, sid in enumerate(kept) if i not in in_order)
    return moved
