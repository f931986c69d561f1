"""Eval-prompt references: ``[^abcd]`` cites the eval prompt set ``abcd``.

Footnote syntax without definitions; an inline rule placed before "link" turns each
into an ``eval_ref`` token whose ``meta["id"]`` names the set.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

_REF = re.compile(r"\[\^([A-Za-z0-9_-]+)\]")


def eval_refs_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.before("link", "eval_ref", _eval_ref)


def _eval_ref(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != "[" or state.src.startswith("[^", state.pos) is False:
        return False
    match = _REF.match(state.src, state.pos)
    if match is None:
        return False
    if not silent:
        token = state.push("eval_ref", "", 0)
        token.meta = {"id": match.group(1)}
        token.markup = match.group(0)
    state.pos = match.end()
    return True
