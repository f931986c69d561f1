"""The sentence around an eval-set citation (``[^abcd]``) in a section's body.

The reference knows its file location; the body's ``Markdown`` maps that back to an
offset in its text. The sentence is taken from the paragraph (or list item) holding
the marker, cut at sentence ends, with every ``[^id]`` marker removed and its
whitespace folded: what the citation says, as Markdown source.
"""

from __future__ import annotations

import re

from specgen.model import Markdown, Reference

_MARKER = re.compile(r"\[\^[A-Za-z0-9_-]+\]")
# A sentence ends at . ! or ? (after closing quotes, brackets and markers) before space.
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]*_]*(?:\[\^[A-Za-z0-9_-]+\])*(?=\s)")
# A block ends at a blank line; a list item or a heading starts a new one.
_BLOCK_BREAK = re.compile(r"\n[ \t]*\n|\n(?=[ \t]*(?:[-*+]|\d+[.)]|#{1,6})[ \t])")
_BLOCK_MARKER = re.compile(r"[ \t]*(?:[-*+]|\d+[.)]|#{1,6}|>)[ \t]+")
_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "cf.", "Mr.", "Ms.", "Dr.", "St.")


def marker_offset(body: Markdown, ref: Reference) -> int | None:
    """Where ``ref``'s marker starts in ``body.text``: at the reference's location
    when the body's lines are the file's, else the first marker for the same set."""
    marker = f"[^{ref.target}]"
    if body.verbatim and ref.loc.path == body.loc.path:
        line_index = ref.loc.line - body.loc.line
        lines = body.text.split("\n")
        if 0 <= line_index < len(lines):
            column = ref.loc.column - (body.loc.column if line_index == 0 else body.indent + 1)
            offset = sum(len(line) + 1 for line in lines[:line_index]) + column
            if body.text.startswith(marker, offset):
                return offset
    found = body.text.find(marker)
    return found if found >= 0 else None


def citing_sentence(body: Markdown, ref: Reference) -> str:
    """The sentence citing ``ref``'s set, without markers; "" when the marker is not in
    the body (a citation in a caption or comment)."""
    offset = marker_offset(body, ref)
    if offset is None:
        return ""
    text = body.text
    start, end = _block_around(text, offset)
    for match in _SENTENCE_END.finditer(text, start, end):
        if text.endswith(_ABBREVIATIONS, start, match.start() + 1):
            continue
        if match.end() <= offset:
            start = match.end()
        else:  # the first end past the marker (or of the markers after a full stop)
            end = match.end()
            break
    marker = _BLOCK_MARKER.match(text, start, end)  # a list item's "- ", a heading's "#"
    if marker is not None:
        start = marker.end()
    sentence = _MARKER.sub("", text[start:end])
    return " ".join(sentence.split())


def _block_around(text: str, offset: int) -> tuple[int, int]:
    start, end = 0, len(text)
    for match in _BLOCK_BREAK.finditer(text):
        if match.end() <= offset:
            start = match.end()
        elif match.start() >= offset:
            end = match.start()
            break
    return start, end
