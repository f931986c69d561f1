"""Builds the shared MarkdownIt instance and caches parses."""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin

from specgen.mdit.eval_refs import eval_refs_plugin
from specgen.mdit.example_placement import example_placement_plugin
from specgen.mdit.math import math_plugin
from specgen.mdit.spec_refs import spec_refs_plugin
from specgen.model import Markdown


@cache
def make_md() -> MarkdownIt:
    """CommonMark plus tables, admonitions, cross-references, eval refs, placements and
    math (``specgen.mdit.math``: MathJax's delimiters, never ``$``).

    Raw HTML stays enabled in the parser so that comments (suppressions) are tokens;
    the renderer escapes every other piece of HTML because spec text is untrusted.
    """
    # Typographic replacements ("---" -> em dash, "..." -> ellipsis), as the published
    # Model Spec reads; quotes are left as written.
    md = MarkdownIt("commonmark", {"typographer": True}).enable(["table", "replacements"])
    md.use(admon_plugin)
    md.use(example_placement_plugin)
    md.use(eval_refs_plugin)
    md.use(spec_refs_plugin)
    md.use(math_plugin)
    return md


@cache
def parse(markdown: Markdown) -> list[Token]:
    """Block tokens of a Markdown text (cached: treat the list as read-only)."""
    if markdown.inline:
        return parse_inline(markdown.text)
    return make_md().parse(markdown.text)


@cache
def parse_inline(text: str) -> list[Token]:
    """A single ``inline`` token with children, for captions and comments."""
    return make_md().parseInline(text)
