"""Suppression comments: ``<!-- specgen-disable-next-line SG201 -->`` silences the
next non-blank line, ``<!-- specgen-disable-file SG201 -->`` the whole file. In front
matter the same words work as a YAML comment: ``# specgen-disable-next-line SG104``.

Only real comments count: HTML comments outside fenced code in the body, and YAML
comments (a ``#`` at the start of a line or after a space) in the front matter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from specgen.model import Location

_HTML = re.compile(r"<!--\s*specgen-disable-(next-line|file)\b([^\n]*?)\s*-->")
_YAML = re.compile(r"(?:^|\s)#\s*specgen-disable-(next-line|file)\b([^\n]*)$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


@dataclass
class Suppression:
    loc: Location
    scope: str  # "next-line" or "file"
    selectors: tuple[str, ...]  # codes or names as written
    target_line: int  # for next-line; 0 for file
    used: set[str] = field(default_factory=set)


def find_suppressions(path: str, text: str) -> list[Suppression]:
    if "specgen-disable" not in text:
        return []
    lines = text.split("\n")
    front_end = _front_matter_end(lines)
    found = []
    fence: str | None = None
    targets: list[int] | None = None  # line numbers of the next non-blank lines
    for index, line in enumerate(lines):
        in_front = index < front_end
        if not in_front:
            fence = _track_fence(line, fence)
            if fence is not None or _FENCE.match(line):
                continue
        if "specgen-disable" not in line:
            continue
        pattern = _YAML if in_front else _HTML
        for match in pattern.finditer(line):
            if in_front and _inside_quotes(line, line.index("#", match.start())):
                continue
            selectors = tuple(s for s in re.split(r"[\s,]+", match.group(2)) if s)
            target = 0
            if match.group(1) == "next-line":
                if targets is None:
                    targets = _next_non_blank(lines)
                target = targets[index + 1]
            column = line.index("#", match.start()) if in_front else match.start()
            found.append(
                Suppression(
                    Location(path, index + 1, column + 1), match.group(1), selectors, target
                )
            )
    return found


def _next_non_blank(lines: list[str]) -> list[int]:
    """For each index ``i`` (and ``len(lines)``), the 1-based number of the first
    non-blank line at ``i`` or after it, 0 when there is none: one pass from the end."""
    targets = [0] * (len(lines) + 1)
    for index in range(len(lines) - 1, -1, -1):
        targets[index] = index + 1 if lines[index].strip() else targets[index + 1]
    return targets


def _inside_quotes(line: str, position: int) -> bool:
    """Whether ``position`` sits inside a YAML quoted string on this line."""
    quote: str | None = None
    index = 0
    while index < position:
        char = line[index]
        if quote is None and char in "'\"":
            quote = char
        elif quote == '"' and char == "\\":
            index += 1
        elif char == quote:
            quote = None
        index += 1
    return quote is not None


def _front_matter_end(lines: list[str]) -> int:
    if not lines or lines[0].rstrip() != "---":
        return 0
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return index
    return 0


def _track_fence(line: str, fence: str | None) -> str | None:
    """The fence that is open after ``line`` (None when outside code)."""
    match = _FENCE.match(line)
    if fence is None:
        return match.group(1) if match else None
    closes = match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence)
    if closes and not line.strip().lstrip(fence[0]):
        return None
    return fence
