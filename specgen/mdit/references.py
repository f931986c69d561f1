"""Finds the cross-references, eval refs and example placements in a parsed text."""

from __future__ import annotations

from collections.abc import Iterator

from markdown_it.token import Token

from specgen.mdit.factory import parse
from specgen.mdit.spec_refs import REF_META, TITLE_META
from specgen.model import Location, Markdown, Reference, RefKind


def extract_references(markdown: Markdown) -> list[Reference]:
    """Every reference in ``markdown``, in source order, each with its file location."""
    lines = markdown.text.split("\n")
    finder = _Finder(markdown, lines)
    refs: list[Reference] = []
    block_start = 0
    block_end = len(lines)
    for token in parse(markdown):
        if token.map is not None:
            block_start, block_end = token.map
            finder.enter_block(block_start)
        if token.type == "example_placement":
            target = token.meta["id"]
            loc = finder.locate(token.markup, block_end) or markdown.location_of(block_start)
            refs.append(Reference(RefKind.PLACEMENT, target, loc))
        elif token.type == "inline" and token.children:
            for kind, target, marker in _inline_refs(token.children):
                loc = finder.locate(marker, block_end) or markdown.location_of(block_start)
                refs.append(Reference(kind, target, loc))
    return refs


def _inline_refs(children: list[Token]) -> Iterator[tuple[RefKind, str, str]]:
    for child in children:
        if child.type == "link_open" and REF_META in child.meta:
            target = child.meta[REF_META]
            kind = RefKind.TITLE if child.meta.get(TITLE_META) else RefKind.LINK
            yield kind, target, f"(#{target}"
        elif child.type == "eval_ref":
            yield RefKind.EVAL, child.meta["id"], child.markup


class _Finder:
    """Walks forward through the source lines to place each marker found by the parser."""

    def __init__(self, markdown: Markdown, lines: list[str]) -> None:
        self.markdown = markdown
        self.lines = lines
        self.line = 0
        self.col = 0

    def enter_block(self, start: int) -> None:
        if start > self.line:
            self.line, self.col = start, 0

    def locate(self, marker: str, block_end: int) -> Location | None:
        line, col = self.line, self.col
        while line < max(block_end, line + 1) and line < len(self.lines):
            found = self.lines[line].find(marker, col)
            if found >= 0:
                self.line, self.col = line, found + len(marker)
                # A link's marker starts at "(#"; point at the link's "[" when we can.
                column = found
                if marker.startswith("(#"):
                    opening = self.lines[line].rfind("[", 0, found)
                    column = opening if opening >= 0 else found
                return self.markdown.location_of(line, column + 1)
            line, col = line + 1, 0
        return None
