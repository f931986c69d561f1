"""What a lint rule is: a code, a name, an explanation and a check over the model."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from specgen.diagnostics import Diagnostic, Severity
from specgen.model import Location, Spec


@dataclass(frozen=True)
class PreviousRelease:
    """The spec as last released, for rules that compare the spec with it."""

    version: str
    spec: Spec
    loc: Location | None = None  # where releases are configured (mkdocs.yml versions:)


Check = Callable[[Spec], Iterator[Diagnostic]]
Compare = Callable[[Spec, PreviousRelease], Iterator[Diagnostic]]


@dataclass(frozen=True)
class Rule:
    """One rule. ``doc`` has the parts "What it does", "Why is this bad?", "Example"
    and "Use instead" (a bad and a good snippet), as Ruff's rule docs do.

    ``check`` looks at the spec alone; ``compare`` at the spec and its previous release,
    and runs only when the lint run has one (a project with a ``versions:`` block). A
    rule with neither is reported while the sources are read (bad YAML, an unreadable
    file); it is listed so that it can be explained, selected and ignored.
    """

    code: str
    name: str  # kebab-case, usable in select/ignore and suppressions
    summary: str
    doc: str
    check: Check | None = None
    severity: Severity = Severity.ERROR
    compare: Compare | None = None

    def at(self, loc: Location, message: str) -> Diagnostic:
        return Diagnostic(self.code, message, loc, self.severity)
