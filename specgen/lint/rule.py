"""What a lint rule is: a code, a name, an explanation and a check over the model."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from specgen.diagnostics import Diagnostic, Severity
from specgen.model import Location, Spec

Check = Callable[[Spec], Iterator[Diagnostic]]


@dataclass(frozen=True)
class Rule:
    """One rule. ``doc`` has the parts "What it does", "Why is this bad?", "Example"
    and "Use instead" (a bad and a good snippet), as Ruff's rule docs do.

    A rule whose ``check`` is None is reported while the sources are read (bad YAML, an
    unreadable file); it is listed so that it can be explained, selected and ignored.
    """

    code: str
    name: str  # kebab-case, usable in select/ignore and suppressions
    summary: str
    doc: str
    check: Check | None = None
    severity: Severity = Severity.ERROR

    def at(self, loc: Location, message: str) -> Diagnostic:
        return Diagnostic(self.code, message, loc, self.severity)
