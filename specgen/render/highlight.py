"""Fenced code highlighted at build time with Pygments, in the HTML pymdownx.highlight writes.

Material colours ``.highlight`` blocks with Pygments' short class names (``.kn``, ``.s1``)
through its ``--md-code-hl-*`` variables, so light and dark schemes both work without a
script. Pygments is imported on the first highlighted block, never while linting.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Any

from markdown_it.common.utils import escapeHtml

_LANG = re.compile(r"[A-Za-z0-9_+#.-]{1,40}")


def highlight_code(code: str, lang: str) -> str | None:
    """``<div class="language-LANG highlight">…</div>``, or None for an unknown language."""
    lexer = _lexer(lang.lower()) if _LANG.fullmatch(lang) else None
    if lexer is None:
        return None
    from pygments import highlight

    spans = highlight(code, lexer, _formatter())
    return (
        f'<div class="language-{escapeHtml(lang)} highlight">'
        f"<pre><span></span><code>{spans}</code></pre></div>\n"
    )


@lru_cache(maxsize=128)
def _lexer(lang: str) -> Any:
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        # As pymdownx.highlight: leading and trailing blank lines are dropped.
        return get_lexer_by_name(lang, stripnl=True)
    except ClassNotFound:
        return None


@cache
def _formatter() -> Any:
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(nowrap=True)
