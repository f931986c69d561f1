r"""Math: ``\\( … \\)`` inline and ``\\[ … \\]`` display, as MathJax-on-Markdown writes it.

Markdown turns ``\\(`` into ``\(``, so after backslash-unescaping the text reads
``\( … \)`` / ``\[ … \]``: the delimiters MathJax looks for. The tokens carry in
``content`` the LaTeX as MathJax would see it (escapes and entities undone: ``\\frac``
becomes ``\frac``, ``\frac`` stays) and in ``meta["source"]`` the text as written.

* ``math_inline``: ``\\( … \\)``, or ``\\[ … \\]`` inside a paragraph (``meta["display"]``
  tells which); it may span the paragraph's lines.
* ``math_block``: a display that starts a line with ``\\[`` and ends a line with ``\\]``,
  possibly lines later and possibly interrupting a paragraph.

Dollars are never math: ``$80`` stays currency. A ``\\\[`` (an escaped backslash, then an
escaped bracket) is text, so a spec can show the delimiters themselves.

A text whose ``Markdown.math`` is false has no math at all (``math_env``): the OpenAI
dialect writes math only inside conversation messages (its page runs MathJax only
there), so its section bodies show ``\\( … \\)`` as text.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.common.utils import unescapeAll
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from specgen.model import Location, Markdown

MATH_INLINE = "math_inline"
MATH_BLOCK = "math_block"
_CLOSERS = {"(": "\\\\)", "[": "\\\\]"}
_OPEN_DISPLAY = "\\\\["
_CLOSE_DISPLAY = "\\\\]"
_MISSES = "sg_math_misses"  # on StateInline: closer -> a position after which it is absent
_NO_MATH = "sg_no_math"  # in the parse's env: this text has no math


def math_env(math: bool) -> dict[str, bool]:
    """The parse environment of a text with (``math``) or without math."""
    return {} if math else {_NO_MATH: True}


def math_plugin(md: MarkdownIt) -> None:
    # Before "escape", which would read "\\(" as an escaped backslash and a "(".
    md.inline.ruler.before("escape", MATH_INLINE, _math_inline)
    # Before "lheading": a line "=" inside the display must not make a setext heading.
    md.block.ruler.before("lheading", MATH_BLOCK, _math_block, {"alt": ["paragraph"]})


def _math_inline(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if not src.startswith("\\\\", pos) or state.env.get(_NO_MATH):
        return False
    opener = src[pos + 2 : pos + 3]
    closer = _CLOSERS.get(opener)
    if closer is None:
        return False
    misses: dict[str, int] = getattr(state, _MISSES, None) or {}
    if misses.get(closer, state.posMax + 1) <= pos:
        return False  # no closer after an earlier opener, so none after this one
    end = src.find(closer, pos + 3, state.posMax)
    if end < 0:
        misses[closer] = pos
        setattr(state, _MISSES, misses)  # keeps many unclosed openers linear
        return False
    raw = src[pos + 3 : end]
    if not raw.strip():
        return False
    if not silent:
        token = state.push(MATH_INLINE, "math", 0)
        token.content = unescapeAll(raw)
        token.markup = src[pos : pos + 3]
        token.meta = {"display": opener == "[", "source": src[pos : end + 3]}
    state.pos = end + 3
    return True


def _math_block(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if state.sCount[start_line] - state.blkIndent >= 4 or state.env.get(_NO_MATH):
        return False
    pos = state.bMarks[start_line] + state.tShift[start_line]
    if not state.src.startswith(_OPEN_DISPLAY, pos):
        return False
    lines: list[str] = []
    line = start_line
    text = state.src[pos + 3 : state.eMarks[start_line]]
    while True:
        close = text.find(_CLOSE_DISPLAY)
        if close >= 0:
            if text[close + 3 :].strip():
                return False  # text after the closer: inline math in a paragraph
            lines.append(text[:close])
            break
        lines.append(text)
        line += 1
        if line >= end_line or state.isEmpty(line) or state.sCount[line] < state.blkIndent:
            return False  # unclosed: the line stays text
        text = state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]
    raw = "\n".join(lines)
    if not raw.strip():
        return False
    if silent:
        return True
    token = state.push(MATH_BLOCK, "math", 0)
    token.block = True
    token.content = unescapeAll(raw)
    token.markup = _OPEN_DISPLAY
    token.meta = {"display": True, "source": state.getLines(start_line, line + 1, 0, False)}
    token.map = [start_line, line + 1]
    state.line = line + 1
    return True


@dataclass(frozen=True, slots=True)
class MathSpan:
    """One piece of math in a text: its LaTeX, whether it is displayed, and where it is."""

    latex: str
    display: bool
    source: str  # as written, delimiters included
    loc: Location


def find_math(markdown: Markdown, tokens: Sequence[Token]) -> Iterator[MathSpan]:
    """Every piece of math in ``markdown`` (parsed as ``tokens``), in source order.

    Columns are found by searching the source for the math as written, from the start
    of its block; text whose lines are not file lines (``verbatim`` false) gives the
    location of the text's start.
    """
    lines = markdown.text.split("\n")
    line, col = 0, 0
    for token in tokens:
        if token.map is not None and not markdown.inline and token.map[0] > line:
            line, col = token.map[0], 0
        if token.type == MATH_BLOCK:
            found = _locate(lines, token, line, col)
            if found is not None:
                line, col = found[0], found[1] + 3
            yield _span(markdown, token, found)
        elif token.type == "inline" and token.children:
            for child in token.children:
                if child.type != MATH_INLINE:
                    continue
                found = _locate(lines, child, line, col)
                if found is not None:
                    line, col = found[0], found[1] + 3
                yield _span(markdown, child, found)


def _locate(lines: Sequence[str], token: Token, line: int, col: int) -> tuple[int, int] | None:
    """The 0-based line and column of the token's source at or after (line, col)."""
    first = str(token.meta["source"]).split("\n", 1)[0].strip()
    for marker in (first, token.markup):  # then the bare opener, should the text differ
        for index in range(line, len(lines)):
            found = lines[index].find(marker, col if index == line else 0)
            if found >= 0:
                return index, found
    return None


def _span(markdown: Markdown, token: Token, found: tuple[int, int] | None) -> MathSpan:
    if found is None or not markdown.verbatim:
        loc = markdown.loc
    else:
        loc = markdown.location_of(found[0], found[1] + 1)
    return MathSpan(token.content, bool(token.meta["display"]), str(token.meta["source"]), loc)
