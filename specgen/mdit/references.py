"""Finds the cross-references, eval refs and example placements in a parsed text."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from markdown_it.token import Token

from specgen.mdit.factory import parse
from specgen.mdit.spec_refs import REF_META, TITLE_META
from specgen.model import Location, Markdown, Reference, RefKind


def extract_references(
    markdown: Markdown, file_lines: Sequence[str] | None = None
) -> list[Reference]:
    """Every reference in ``markdown``, in source order, each with its file location.

    The parser says what the references are; their columns are found by searching the
    source. When ``markdown.verbatim`` is false (folded or escaped YAML text), the search
    runs over ``file_lines`` from the text's start, since text lines are not file lines.
    """
    refs: list[Reference] = []
    if markdown.verbatim or file_lines is None:
        lines: Sequence[str] = markdown.text.split("\n")
        finder = _Finder(lines, 0, 0, markdown.location_of)
        follow_blocks = True
    else:
        start = markdown.loc
        finder = _Finder(
            file_lines,
            start.line - 1,
            start.column - 1,
            lambda i, c: Location(start.path, i + 1, c),
        )
        lines, follow_blocks = file_lines, False
    block_start, block_end = 0, len(lines)
    for token in parse(markdown):
        if follow_blocks and token.map is not None:
            block_start, block_end = token.map
            finder.enter_block(block_start)
        if token.type == "example_placement":
            found = finder.locate((token.markup,), block_end)
            refs.append(Reference(RefKind.PLACEMENT, token.meta["id"], found or markdown.loc))
        elif token.type == "inline" and token.children:
            for kind, target, markers in _inline_refs(token.children):
                found = finder.locate(markers, block_end)
                loc = found or (
                    markdown.location_of(block_start) if follow_blocks else markdown.loc
                )
                refs.append(Reference(kind, target, loc))
    return refs


def _inline_refs(children: list[Token]) -> Iterator[tuple[RefKind, str, tuple[str, ...]]]:
    for index, child in enumerate(children):
        if child.type == "link_open" and REF_META in child.meta:
            target = child.meta[REF_META]
            kind = RefKind.TITLE if child.meta.get(TITLE_META) else RefKind.LINK
            text = children[index + 1].content if index + 1 < len(children) else ""
            # Inline link, angle-bracket destination, or reference-style "[text][label]".
            yield kind, target, (f"(#{target}", f"(<#{target}", f"[{text}][", f"[{text}]")
        elif child.type == "eval_ref":
            yield RefKind.EVAL, child.meta["id"], (child.markup,)


class _Finder:
    """Walks forward through source lines to place each marker the parser reported."""

    def __init__(
        self,
        lines: Sequence[str],
        line: int,
        col: int,
        to_location: Callable[[int, int], Location],
    ) -> None:
        self.lines = lines
        self.line, self.col = line, col
        self.to_location = to_location

    def enter_block(self, start: int) -> None:
        if start > self.line:
            self.line, self.col = start, 0

    def locate(self, markers: tuple[str, ...], block_end: int) -> Location | None:
        line, col = self.line, self.col
        while line < max(block_end, line + 1) and line < len(self.lines):
            text = self.lines[line]
            hits = [(text.find(m, col), m) for m in markers]
            hits = [(pos, m) for pos, m in hits if pos >= 0]
            if hits:
                found, marker = min(hits)
                self.line, self.col = line, found + len(marker)
                column = found
                if marker.startswith("("):  # point at the link's "[" rather than "(#"
                    opening = text.rfind("[", 0, found)
                    column = opening if opening >= 0 else found
                return self.to_location(line, column + 1)
            line, col = line + 1, 0
        return None
