"""Builds the shared MarkdownIt instance and caches parses."""

from __future__ import annotations

from functools import cache, lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin

from specgen.mdit.eval_refs import eval_refs_plugin
from specgen.mdit.example_placement import example_placement_plugin
from specgen.mdit.math import math_env, math_plugin
from specgen.mdit.spec_refs import spec_refs_plugin
from specgen.mdit.typography import typography_plugin
from specgen.model import Markdown


@cache
def make_md() -> MarkdownIt:
    """CommonMark plus tables, ~~strikethrough~~, admonitions, cross-references, eval
    refs, placements and math (``specgen.mdit.math``: MathJax's delimiters, never ``$``;
    off in texts whose ``Markdown.math`` is false).

    Raw HTML stays enabled in the parser so that comments (suppressions) are tokens;
    the renderer escapes every other piece of HTML because spec text is untrusted.
    """
    # Typographic replacements ("---" -> em dash, "..." -> ellipsis) are specgen's own
    # faithful ones (``specgen.mdit.typography``); quotes are left as written.
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    md.use(typography_plugin)
    md.use(admon_plugin)
    md.use(example_placement_plugin)
    md.use(eval_refs_plugin)
    md.use(spec_refs_plugin)
    md.use(math_plugin)
    return md


# Lint and render share each parse. The caches are bounded: tokens take about 20 times
# the memory of their text (155 MB at 8,000 sections), so past this many texts the
# oldest are parsed again when render reaches them, by the same parser, into the same
# tokens. Every text of a spec of 1,000 sections fits.
PARSES_KEPT = 8192


@lru_cache(maxsize=PARSES_KEPT)
def parse(markdown: Markdown) -> list[Token]:
    """Block tokens of a Markdown text (cached: treat the list as read-only)."""
    if markdown.inline:
        return parse_inline(markdown.text, markdown.math)
    return make_md().parse(markdown.text, math_env(markdown.math))


@lru_cache(maxsize=PARSES_KEPT)
def parse_inline(text: str, math: bool = True) -> list[Token]:
    """A single ``inline`` token with children, for captions and comments."""
    return make_md().parseInline(text, math_env(math))
