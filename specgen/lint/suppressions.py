"""Suppression comments: ``<!-- specgen-disable-next-line SG201 -->`` silences the
next non-blank line, ``<!-- specgen-disable-file SG201 -->`` the whole file. In front
matter the same words work as a YAML comment: ``# specgen-disable-next-line SG104``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from specgen.model import Location

_COMMENT = re.compile(r"(?:<!--|#)\s*specgen-disable-(next-line|file)\b([^\n]*?)\s*(?:-->|$)")


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
    found = []
    for index, line in enumerate(lines):
        for match in _COMMENT.finditer(line):
            scope = match.group(1)
            selectors = tuple(s for s in re.split(r"[\s,]+", match.group(2)) if s)
            target = 0
            if scope == "next-line":
                target = next((j + 1 for j in range(index + 1, len(lines)) if lines[j].strip()), 0)
            loc = Location(path, index + 1, match.start() + 1)
            found.append(Suppression(loc, scope, selectors, target))
    return found
