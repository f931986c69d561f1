"""Diagnostics: what every stage reports about the author's text."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from specgen.model import Location


class Severity(IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        return cls[text.strip().upper()]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    message: str
    loc: Location
    severity: Severity = Severity.ERROR
    end_column: int | None = None  # exclusive; for carets wider than one character

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.loc.path, self.loc.line, self.loc.column, self.code)
