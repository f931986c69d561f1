"""Cross-references: ``[?](#id)`` takes the target's title; ``[text](#id)`` is a plain link.

A core rule after "inline" marks links whose href is a bare fragment: their ``meta``
gets ``spec_ref`` (the target id) and ``spec_ref_title`` when the text is ``?``.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

REF_META = "spec_ref"
TITLE_META = "spec_ref_title"


def spec_refs_plugin(md: MarkdownIt) -> None:
    md.core.ruler.after("inline", "spec_refs", _mark_refs)


def _mark_refs(state: StateCore) -> None:
    for token in state.tokens:
        if token.type == "inline" and token.children:
            mark_children(token.children)


def mark_children(children: list[Token]) -> None:
    for i, child in enumerate(children):
        if child.type != "link_open":
            continue
        href = str(child.attrGet("href") or "")
        if not href.startswith("#") or len(href) < 2:
            continue
        child.meta[REF_META] = href[1:]
        nxt = children[i + 1] if i + 1 < len(children) else None
        after = children[i + 2] if i + 2 < len(children) else None
        if (
            nxt is not None
            and nxt.type == "text"
            and nxt.content == "?"
            and after is not None
            and after.type == "link_close"
        ):
            child.meta[TITLE_META] = True
