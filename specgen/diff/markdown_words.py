"""What changed in a text, in words a pull-request comment can show.

A text (a section's body, a caption, a message, an answer or its comment) is read as
plain text from its parse, block by block (a paragraph, a list item, a heading, a table
cell, a code block), each block with the file line it starts at: markup is dropped, a
link keeps its text, ``[?](#id)`` reads as the target's title (as the site shows it),
and what the renderer shows as a line of its own (an example's placement, raw HTML)
reads as that line. Eval references are left out: they are a change of their own.

Two sides' blocks are compared by ``specgen.diff.words``, the HTML diff's own
comparison, so the comment marks the same words as the page; its result is read back as
``Piece`` runs (unchanged, inserted or deleted text) and only the changed blocks are
kept. ``trim`` then keeps what a reader needs of a block: the sentences that changed,
and, when the comment runs out of room, fewer words around and inside each change.

Everything here is plain text: the Markdown output escapes it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser

from markdown_it.token import Token
from markupsafe import escape

from specgen.diff.words import diff_html
from specgen.mdit import parse
from specgen.mdit.spec_refs import REF_META, TITLE_META
from specgen.model import AttachmentPart, Markdown, Part

INSERTED, DELETED = "ins", "del"
ELLIPSIS = "…"

# Inline tokens read as their content; everything else of a line is markup.
_TEXT_TOKENS = frozenset(("text", "code_inline", "math_inline"))
_BREAKS = frozenset(("softbreak", "hardbreak"))
# Block tokens read as a block of their own content (code, math, raw HTML).
_CONTENT_BLOCKS = frozenset(("fence", "code_block", "math_block", "html_block"))


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of text: unchanged (``mark`` ""), inserted ("ins") or deleted ("del")."""

    text: str
    mark: str = ""


@dataclass(frozen=True, slots=True)
class TextBlock:
    text: str
    line: int  # the file line the block starts at (the text's own, when not verbatim)


@dataclass(frozen=True, slots=True)
class ChangedBlock:
    """A block with words inserted or deleted, and where it is: the new side's line
    (the old side's for a block removed as a whole)."""

    pieces: tuple[Piece, ...]
    line: int | None
    removed: bool = False  # the whole block is gone from the new side

    def words(self, mark: str) -> int:
        return sum(len(p.text.split()) for p in self.pieces if p.mark == mark)


# -- plain text from a parse ------------------------------------------------------------


def inline_text(children: Sequence[Token], titles: Mapping[str, str]) -> str:
    """The words of an inline token's children: markup dropped, ``[?](#id)`` as the
    target's title from ``titles`` (its id when it has none), breaks as spaces."""
    out: list[str] = []
    for i, child in enumerate(children):
        if child.type in _BREAKS:
            out.append(" ")
        elif child.type == "html_inline":
            if not child.content.startswith("<!--"):
                out.append(child.content)  # shown as text by the renderer
        elif child.type == "image":  # as the HTML diff shows it (it loads no image)
            out.append(f"[image: {child.content}]")
        elif child.type in _TEXT_TOKENS:
            out.append(_token_text(children, i, titles))
    return " ".join("".join(out).split())


def _token_text(children: Sequence[Token], i: int, titles: Mapping[str, str]) -> str:
    child = children[i]
    if child.type == "text" and child.content == "?" and i > 0:
        link = children[i - 1]
        if link.meta.get(TITLE_META):
            target = str(link.meta[REF_META])
            title = titles.get(target) or target
            # As the renderer reads it: "the [?](#the_x)" is not "the The x".
            before = children[i - 2].content if i > 1 and children[i - 2].type == "text" else ""
            if before.lower().endswith("the ") and title.startswith("The "):
                title = title[len("The ") :]
            return title
    return child.content


def caption_text(markdown: Markdown, titles: Mapping[str, str]) -> str:
    """An inline text (a caption) as plain words."""
    tokens = parse(markdown)
    return inline_text(tokens[0].children or [], titles) if tokens else ""


def text_blocks(
    markdown: Markdown | None,
    titles: Mapping[str, str],
    placements: Mapping[str, str] | None = None,
) -> list[TextBlock]:
    """The blocks of ``markdown`` as plain text, in order, empty ones left out.
    ``placements``: example id -> caption, for the line an example's placement shows."""
    if markdown is None:
        return []
    tokens = parse(markdown)
    if markdown.inline:
        text = inline_text(tokens[0].children or [], titles) if tokens else ""
        return [TextBlock(text, markdown.loc.line)] if text else []
    blocks: list[TextBlock] = []
    for token in tokens:
        text = _block_text(token, titles, placements or {})
        if text:
            blocks.append(TextBlock(text, _line(markdown, token)))
    return blocks


def _block_text(token: Token, titles: Mapping[str, str], placements: Mapping[str, str]) -> str:
    if token.type == "inline":
        return inline_text(token.children or [], titles)
    if token.type in _CONTENT_BLOCKS:
        if token.type == "html_block" and token.content.lstrip().startswith("<!--"):
            return ""
        return " ".join(token.content.split())
    if token.type == "example_placement":
        example_id = str(token.meta["id"])
        return f"Example shown here: {placements.get(example_id, example_id)}"
    return ""


def _line(markdown: Markdown, token: Token) -> int:
    if markdown.verbatim and token.map:
        return markdown.loc.line + token.map[0]
    return markdown.loc.line


def parts_blocks(parts: Sequence[Part], raw: bool, titles: Mapping[str, str]) -> list[TextBlock]:
    """A message's or answer's parts as blocks: Markdown by its blocks, verbatim text
    (code) and an attachment ("[name] caption") as one block each."""
    blocks: list[TextBlock] = []
    for part in parts:
        if isinstance(part, AttachmentPart):
            blocks.append(TextBlock(f"[{part.name}] {part.caption}".strip(), part.loc.line))
        elif raw:
            text = " ".join(part.markdown.text.split())
            if text:
                blocks.append(TextBlock(text, part.markdown.loc.line))
        else:
            blocks.extend(text_blocks(part.markdown, titles))
    return blocks


# -- comparing -----------------------------------------------------------------------------


def _as_html(blocks: Iterable[TextBlock]) -> str:
    """The comparison's input (never output): each block a paragraph of escaped text."""
    return "".join(f"<p>{escape(block.text)}</p>" for block in blocks)


def compare(old: Sequence[TextBlock], new: Sequence[TextBlock]) -> list[ChangedBlock]:
    """The blocks of ``new`` with words inserted or deleted since ``old``, and the
    blocks of ``old`` removed as a whole, in the new order."""
    if [b.text for b in old] == [b.text for b in new]:
        return []
    reader = _Reader()
    reader.feed(diff_html(_as_html(old), _as_html(new)).html)
    reader.close()
    changed: list[ChangedBlock] = []
    new_at = iter(new)
    old_from = 0  # where to look for the next block removed as a whole
    for pieces in reader.blocks:
        if any(p.mark != DELETED for p in pieces):
            block = next(new_at, None)
            if any(p.mark for p in pieces):
                changed.append(ChangedBlock(tuple(pieces), block.line if block else None))
            continue
        text = " ".join("".join(p.text for p in pieces).split())
        found = next((i for i in range(old_from, len(old)) if old[i].text == text), None)
        if found is not None:
            old_from = found + 1
        line = old[found].line if found is not None else None
        changed.append(ChangedBlock(tuple(pieces), line, removed=True))
    return changed


def whole(blocks: Sequence[TextBlock], mark: str) -> list[ChangedBlock]:
    """Every block of a text that is new (``mark`` "ins") or gone ("del") as a whole."""
    return [ChangedBlock((Piece(b.text, mark),), b.line, removed=mark == DELETED) for b in blocks]


class _Reader(HTMLParser):
    """Reads ``diff_html`` of ``<p>`` blocks back: per block, its runs of text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[list[Piece]] = []
        self.mark = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "p":
            self.blocks.append([])
        elif tag in (INSERTED, DELETED):
            self.mark = tag

    def handle_endtag(self, tag: str) -> None:
        if tag in (INSERTED, DELETED):
            self.mark = ""

    def handle_data(self, data: str) -> None:
        if not self.blocks:  # nothing is written before the first block
            self.blocks.append([])
        pieces = self.blocks[-1]
        if pieces and pieces[-1].mark == self.mark:
            pieces[-1] = Piece(pieces[-1].text + data, self.mark)
        else:
            pieces.append(Piece(data, self.mark))


# -- trimming -------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def sentences(pieces: Sequence[Piece]) -> list[list[Piece]]:
    """``pieces`` cut into sentences, at a sentence end in unchanged text (the spaces
    after it stay with it; a change stays whole in the sentence it starts in)."""
    out: list[list[Piece]] = [[]]
    for piece in pieces:
        if piece.mark:
            out[-1].append(piece)
            continue
        start = 0
        for end in _SENTENCE_END.finditer(piece.text):
            out[-1].append(Piece(piece.text[start : end.end()]))
            out.append([])
            start = end.end()
        if start < len(piece.text):
            out[-1].append(Piece(piece.text[start:]))
    return [s for s in out if s]


def trim(pieces: Sequence[Piece], context: int | None, run: int | None) -> list[Piece]:
    """The sentences of a block that changed, "…" for those left out; at most
    ``context`` unchanged words on either side of a change and ``run`` words of a change
    ("…" for the rest), when given."""
    out: list[Piece] = []
    left_out = False
    for sentence in sentences(pieces):
        if not any(p.mark for p in sentence):
            left_out = True
            continue
        if left_out:
            out.append(Piece(ELLIPSIS + " "))
        for piece in _trim_sentence(sentence, context, run):
            if out and not (out[-1].mark or piece.mark) and out[-1].text.endswith(ELLIPSIS + " "):
                piece = Piece(piece.text.lstrip().removeprefix(ELLIPSIS).lstrip())
            if piece.text:
                out.append(piece)
        left_out = False
    if left_out and not (out and out[-1].text.rstrip().endswith(ELLIPSIS)):
        spaced = not out or out[-1].text[-1:].isspace()
        out.append(Piece(ELLIPSIS if spaced else " " + ELLIPSIS))
    return out


def _trim_sentence(sentence: list[Piece], context: int | None, run: int | None) -> list[Piece]:
    out: list[Piece] = []
    last = len(sentence) - 1
    for i, piece in enumerate(sentence):
        if piece.mark:
            out.append(_cut_run(piece, run))
        elif context is None:
            out.append(piece)
        else:
            out.append(_cut_context(piece, context, first=i == 0, last=i == last))
    return out


def _cut_run(piece: Piece, run: int | None) -> Piece:
    words = piece.text.split()
    if run is None or len(words) <= run:
        return piece
    return Piece(" ".join([*words[:run], ELLIPSIS]), piece.mark)


def _cut_context(piece: Piece, context: int, first: bool, last: bool) -> Piece:
    """Unchanged words around changes: the last ``context`` before the first change, the
    first after the last one, both ends between two changes."""
    words = piece.text.split()
    lead = " " if piece.text[:1].isspace() else ""
    trail = " " if piece.text[-1:].isspace() else ""
    keep_head = 0 if first else context
    keep_tail = 0 if last else context
    if len(words) <= keep_head + keep_tail + 1:
        return piece
    head, tail = words[:keep_head], words[len(words) - keep_tail :] if keep_tail else []
    text = " ".join([*head, ELLIPSIS, *tail])
    return Piece(lead + text + trail)


def counts(blocks: Iterable[ChangedBlock]) -> tuple[int, int]:
    """(words inserted, words deleted) in ``blocks``."""
    inserted = deleted = 0
    for block in blocks:
        inserted += block.words(INSERTED)
        deleted += block.words(DELETED)
    return inserted, deleted
