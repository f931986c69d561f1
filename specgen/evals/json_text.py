"""JSON text that stays valid whatever the spec says.

``json.dumps`` escapes control characters; what it leaves is made safe here: a lone
surrogate (a YAML ``"\\ud800"`` escape can put one in a string; it has no UTF-8 form)
becomes U+FFFD, and the line separators U+2028, U+2029 and U+0085 are escaped, so a
JSONL record is one line for every line splitter (Python's ``splitlines`` splits at them).
"""

from __future__ import annotations

import json
import re
from typing import Any

_UNSAFE = re.compile("[\ud800-\udfff\u2028\u2029\u0085]")


def _safe(text: str) -> str:
    if _UNSAFE.search(text) is None:  # the usual case: one scan, no copy
        return text
    return _UNSAFE.sub(_replacement, text)


def _replacement(match: re.Match[str]) -> str:
    char = match.group()
    return "\ufffd" if "\ud800" <= char <= "\udfff" else f"\\u{ord(char):04x}"


def dumps(data: Any, indent: int | None = None) -> str:
    """``data`` as JSON text: UTF-8 characters as they are, but valid and line-safe."""
    separators = (",", ": ") if indent is not None else (",", ":")
    return _safe(json.dumps(data, ensure_ascii=False, indent=indent, separators=separators))


def canonical(data: Any) -> bytes:
    """The bytes a digest is taken of: sorted keys, no spaces, UTF-8 (a lone surrogate
    kept as its own code, so two texts never share a digest)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.encode("utf-8", "surrogatepass")
