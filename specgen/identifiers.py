"""What an identifier may be, now that it becomes a URL, a file name and an HTML id.

Section ids, former ids, example ids, eval prompt set names, level ids, tags, release
versions and the latest alias all reach the site as path segments, anchors or
attributes. One rule for all of them, stated here once (and checked by lint's SG212):

- letters (any script), digits, ``_``, ``-`` and ``.``;
- the first character a letter, digit or ``_`` (so never ``.``, ``..`` or ``-x``);
- at most ``MAX_ID_CHARS`` characters and ``MAX_ID_BYTES`` bytes of UTF-8 (file names
  stop at 255 bytes, and a page's folder name adds a suffix).

An identifier outside the rule is an error; a build forced past it publishes the item
under ``safe_slug(id)``, a name derived from the id and its hash, never the raw id.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

MAX_ID_CHARS = 100
MAX_ID_BYTES = 200
_SAFE = re.compile(r"\w[\w.-]*")
_UNSAFE_RUN = re.compile(r"[^\w.-]+")
_SLUG_KEEP = 40  # characters of an unsafe id kept, readable, in its slug


def why_unsafe(value: str) -> str | None:
    """None when ``value`` is a safe identifier, else the reason, for a message."""
    if not value:
        return "is empty"
    if len(value) > MAX_ID_CHARS:
        return f"is {len(value)} characters long (at most {MAX_ID_CHARS})"
    if len(value.encode("utf-8", "surrogatepass")) > MAX_ID_BYTES:
        return f"is longer than {MAX_ID_BYTES} bytes in UTF-8"
    if _SAFE.fullmatch(value):
        return None
    if not re.match(r"\w", value[0]):
        return f"starts with {_describe(value[0])}"
    bad = next(c for c in value if not re.fullmatch(r"[\w.-]", c))
    return f"contains {_describe(bad)}"


def unsafe_message(kind: str, value: str) -> str | None:
    """The finding's message when ``value`` (a ``kind`` of identifier) is unsafe."""
    reason = why_unsafe(value)
    if reason is None:
        return None
    shown = value if len(value) <= 60 else value[:60] + "…"
    return f"{kind} '{shown}' {reason}: not usable in a page address"


def is_safe_id(value: str) -> bool:
    return why_unsafe(value) is None


def safe_slug(value: str) -> str:
    """``value`` itself when it is safe; else a safe name made of its readable part and
    a hash of the whole, so that distinct unsafe ids never share a page."""
    if is_safe_id(value):
        return value
    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    readable = _UNSAFE_RUN.sub("-", value)[:_SLUG_KEEP].lstrip(".-").rstrip(".-")
    return f"{readable}-{digest}" if readable else f"id-{digest}"


def _describe(char: str) -> str:
    """A character as a message can show it: quoted when printable, else by code point."""
    name = unicodedata.name(char, "")
    if char.isprintable() and not char.isspace():
        return f"'{char}'"
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


class UniqueIds:
    """Ids made unique by numbering: ``x``, then ``x-2``, ``x-3``... the first not taken.

    Each name remembers the number it got to: the ids before it stay taken, so the
    search goes on from there and the n-th ``x`` costs no n look-ups. The ids are those
    of a search from ``x`` each time: a name that reads ``x-2`` is a name of its own,
    ``x-2-2`` when an ``x`` took ``x-2`` before it; when it comes first, the second
    ``x`` is ``x-3``.
    """

    def __init__(self, taken: set[str] | None = None) -> None:
        # ``taken`` may be shared: ids added to it from elsewhere are passed over too.
        self.taken: set[str] = set() if taken is None else taken
        self._next: dict[str, int] = {}  # name -> the number to try next (1: the name)

    def take(self, base: str) -> str:
        n = self._next.get(base, 1)
        candidate = base if n == 1 else f"{base}-{n}"
        while candidate in self.taken:
            n += 1
            candidate = f"{base}-{n}"
        self._next[base] = n + 1
        self.taken.add(candidate)
        return candidate
