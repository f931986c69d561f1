r"""Typographic replacements that never change what the author wrote: ``---`` becomes an
em dash, ``--`` between spaces or between words an en dash, and exactly three dots an
ellipsis, as the published Model Spec reads.

markdown-it's own ``replacements`` rule is not faithful: it makes ``..`` and ``....`` one
ellipsis (so ``\...``, an escaped dot and two more, reads ".…"), ``????`` three
question marks, ``,,`` one comma, ``(c)`` ©, ``+-`` ±, and a ``--flag`` starting a
line an en dash and "flag". Here a run of dots other than three stays as written, a
``--`` that starts a word stays two hyphens, and nothing else is touched. Text in
autolinks is left alone.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

RULE = "sg_typography"
_ELLIPSIS = re.compile(r"(?<!\.)\.\.\.(?!\.)")
_EM_DASH = re.compile(r"(^|[^-])---(?=[^-]|$)", flags=re.MULTILINE)  # markdown-it's own
_EN_DASH_SPACED = re.compile(r"(^|\s)--(?=\s|$)", flags=re.MULTILINE)  # "a -- b"
_EN_DASH_JOINED = re.compile(r"([^-\s])--(?=[^-\s]|$)")  # "3--5", never "--flag"


def typography_plugin(md: MarkdownIt) -> None:
    # Where markdown-it's rule runs: after inline parsing, before text tokens are joined
    # (so an escaped "\." stays a token of its own and counts as no dot of a run).
    md.core.ruler.after("replacements", RULE, _replace)


def _replace(state: StateCore) -> None:
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        if "..." not in token.content and "--" not in token.content:
            continue
        inside_autolink = False
        for child in token.children:
            if child.type == "link_open" and child.info == "auto":
                inside_autolink = True
            elif child.type == "link_close" and child.info == "auto":
                inside_autolink = False
            elif child.type == "text" and not inside_autolink:
                text = _EM_DASH.sub("\\1\u2014", _ELLIPSIS.sub("\u2026", child.content))
                text = _EN_DASH_SPACED.sub("\\1\u2013", text)
                child.content = _EN_DASH_JOINED.sub("\\1\u2013", text)
