"""Text from a spec made safe to print: control characters shown as escapes.

A spec's values reach the terminal in lint messages (a quoted id, title or authority) and
quoted source lines. Written raw, an ESC or CSI (``\\x9b``) starts a terminal command
(colours, cursor moves, a changed window title), a CR or BEL rewrites or hides what was
printed, and a bidi override reorders the line on screen (the "Trojan Source" trick).
"""

from __future__ import annotations

import re

# C0 controls (newline and tab too: a finding is one line), DEL, C1 controls, the line
# and paragraph separators, and the bidi embeddings, overrides and isolates.
_OTHERS = r"\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(rf"[\x00-\x1f{_OTHERS}]")
# json.dumps escapes C0 controls itself (ensure_ascii=False keeps the rest raw).
_UNSAFE_IN_JSON = re.compile(f"[{_OTHERS}]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escaped(char: str) -> str:
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def escape_controls(text: str, keep: str = "") -> str:
    """``text`` with every unsafe character written as an escape (``\\x1b``, ``\\r``,
    ``\\u202e``), but those in ``keep``; other text, non-ASCII included, is unchanged."""
    return _UNSAFE.sub(lambda m: m[0] if m[0] in keep else _escaped(m[0]), text)


def escape_json(dumped: str) -> str:
    """``json.dumps`` output with the unsafe characters it leaves raw (DEL, C1, line
    separators, bidi controls) as ``\\u`` escapes: the same JSON value, safe to print.
    They can only occur inside strings, where the escape means the same character."""
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m[0]):04x}", dumped)
