"""Example placement: a line ``::example{#id}`` puts that example at that point of the body.

The syntax is a leaf directive of the generic-directives proposal, so other Markdown
tools show it as plain text rather than as something else.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

PLACEMENT_RE = re.compile(r"::example\{#([A-Za-z0-9_-]+)\}[ \t]*$")


def example_placement_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before("paragraph", "example_placement", _placement, {"alt": ["paragraph"]})


def _placement(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    pos = state.bMarks[start_line] + state.tShift[start_line]
    maximum = state.eMarks[start_line]
    if not state.src.startswith("::example{", pos):
        return False
    match = PLACEMENT_RE.match(state.src[pos:maximum])
    if match is None:
        return False
    if silent:
        return True
    token = state.push("example_placement", "", 0)
    token.meta = {"id": match.group(1)}
    token.map = [start_line, start_line + 1]
    token.markup = match.group(0)
    state.line = start_line + 1
    return True
