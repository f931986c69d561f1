"""Runs the rules over a loaded spec and applies configuration and suppressions.

All findings are collected first; the caller then decides the exit status.
"""

from __future__ import annotations

import fnmatch
import os
from collections import Counter
from dataclasses import dataclass, replace

from specgen.diagnostics import Diagnostic, Severity
from specgen.lint.registry import RULES, expand, lookup
from specgen.lint.rule import PreviousRelease
from specgen.lint.rules.suppression_rules import UNKNOWN_CODE, UNUSED_SUPPRESSION
from specgen.lint.suppressions import Suppression, find_suppressions
from specgen.project import LintSettings
from specgen.sources import LoadResult
from specgen.sources.codes import INVALID_CONFIG


@dataclass(frozen=True)
class LintReport:
    diagnostics: list[Diagnostic]
    suppressed: int
    texts: dict[str, str]

    def worst(self) -> Severity | None:
        return max((d.severity for d in self.diagnostics), default=None)

    def fails(self, threshold: Severity) -> bool:
        worst = self.worst()
        return worst is not None and worst >= threshold

    def failing(self, threshold: Severity) -> int:
        """How many findings reach ``threshold``: those that make the report fail."""
        return sum(1 for d in self.diagnostics if d.severity >= threshold)

    def statistics(self) -> list[tuple[str, int]]:
        counts = Counter(d.code for d in self.diagnostics)
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def failing_text(count: int, threshold: Severity) -> str:
    """ "6 lint errors" (or "lint findings" when warnings fail too): what a forced
    command wrote past."""
    noun = "lint error" if threshold is Severity.ERROR else "lint finding"
    return f"{count} {noun}{'' if count == 1 else 's'}"


def enabled_codes(settings: LintSettings) -> set[str]:
    selected = expand(settings.select) if settings.select else set(RULES)
    return selected - expand(settings.ignore)


def lint(
    loaded: LoadResult,
    settings: LintSettings | None = None,
    previous: PreviousRelease | None = None,
) -> LintReport:
    """Every finding on ``loaded``; rules that compare with the previous release run
    only when ``previous`` is given."""
    settings = settings or LintSettings()
    enabled = enabled_codes(settings)
    found: list[Diagnostic] = [d for d in loaded.diagnostics if d.code in enabled]
    for code in sorted(enabled):
        rule = RULES[code]
        if rule.check is not None:
            found.extend(rule.check(loaded.spec))
        if rule.compare is not None and previous is not None:
            found.extend(rule.compare(loaded.spec, previous))
    found = [_with_severity(d, settings) for d in found if not _ignored_for_file(d, settings)]
    found.extend(_unknown_codes(settings))

    suppressions = {path: find_suppressions(path, text) for path, text in loaded.texts.items()}
    indexes: dict[str, _SuppressionIndex] = {}
    kept: list[Diagnostic] = []
    suppressed = 0
    for diag in found:
        path = diag.loc.path
        if path not in indexes:
            indexes[path] = _SuppressionIndex(suppressions.get(path, []))
        if indexes[path].suppress(diag):
            suppressed += 1
        else:
            kept.append(diag)
    kept.extend(_suppression_findings(suppressions, enabled, settings))
    kept.sort(key=Diagnostic.sort_key)
    return LintReport(kept, suppressed, loaded.texts)


def _with_severity(diag: Diagnostic, settings: LintSettings) -> Diagnostic:
    rule = RULES.get(diag.code)
    severity = settings.severity.get(diag.code, rule.severity if rule else diag.severity)
    return diag if severity == diag.severity else replace(diag, severity=severity)


def _ignored_for_file(diag: Diagnostic, settings: LintSettings) -> bool:
    if not settings.per_file_ignores:
        return False
    path = diag.loc.path
    if settings.base_dir is not None:
        path = os.path.relpath(os.path.abspath(path), settings.base_dir)
    path = path.replace(os.sep, "/")
    for pattern, codes in settings.per_file_ignores.items():
        if fnmatch.fnmatch(path, pattern) and diag.code in expand(codes):
            return True
    return False


def _unknown_codes(settings: LintSettings) -> list[Diagnostic]:
    """Codes in the configuration that name no rule: always reported, since a misspelt
    ``select`` would otherwise silently turn every rule off."""
    found = []
    for code, loc in settings.code_locations:
        if lookup(code) is None and not any(c.startswith(code.upper()) for c in RULES):
            found.append(Diagnostic(INVALID_CONFIG, f"unknown rule '{code}' in lint settings", loc))
    return found


class _SuppressionIndex:
    """The suppressions of one file, found for a finding without reading them all.

    A finding is silenced by the first suppression, in file order, that covers its line
    (a ``file`` one, or a ``next-line`` one aimed at that line) and names its rule or
    names none (``*``, or no selector); that one is marked used. For each group (the
    file-wide ones, those aimed at one line), the first that names each rule and the
    first that names any are noted once, so a finding costs a few look-ups, not one per
    suppression of the file.
    """

    def __init__(self, suppressions: list[Suppression]) -> None:
        self._sups = suppressions
        self._file = _FirstMatches()
        self._lines: dict[int, _FirstMatches] = {}
        for position, sup in enumerate(suppressions):
            if sup.scope == "next-line":
                group = self._lines.setdefault(sup.target_line, _FirstMatches())
            else:
                group = self._file
            group.add(position, sup)

    def suppress(self, diag: Diagnostic) -> bool:
        rule = RULES.get(diag.code)
        code = rule.code if rule is not None else None
        line = self._lines.get(diag.loc.line)
        found = [
            first
            for first in (self._file.first(code), line.first(code) if line else None)
            if first is not None
        ]
        if not found:
            return False
        self._sups[min(found)].used.add(diag.code)
        return True


class _FirstMatches:
    """Of a group of suppressions, the position of the first that matches every rule
    (``*``, or no selector) and of the first that names each rule."""

    def __init__(self) -> None:
        self._any: int | None = None
        self._by_code: dict[str, int] = {}

    def add(self, position: int, sup: Suppression) -> None:
        for selector in sup.selectors or ("*",):
            if selector == "*":
                if self._any is None:
                    self._any = position
                continue
            matched = lookup(selector)
            if matched is not None:
                self._by_code.setdefault(matched.code, position)

    def first(self, code: str | None) -> int | None:
        named = self._by_code.get(code) if code is not None else None
        if named is None or (self._any is not None and self._any < named):
            return self._any
        return named


def _suppression_findings(
    suppressions: dict[str, list[Suppression]], enabled: set[str], settings: LintSettings
) -> list[Diagnostic]:
    findings = []
    for sups in suppressions.values():
        for sup in sups:
            unknown = [s for s in sup.selectors if lookup(s) is None]
            if unknown and UNKNOWN_CODE.code in enabled:
                findings.append(
                    _with_severity(
                        UNKNOWN_CODE.at(
                            sup.loc, f"unknown rule {', '.join(unknown)} in suppression"
                        ),
                        settings,
                    )
                )
            known = [rule for rule in map(lookup, sup.selectors) if rule is not None]
            # Unused only if every rule it names ran: with --select or ignore, a rule
            # that did not run might well have needed the suppression.
            ran = all(rule.code in enabled for rule in known) if known else not sup.selectors
            if not sup.selectors:
                ran = enabled >= set(RULES)
            if not sup.used and UNUSED_SUPPRESSION.code in enabled and ran:
                what = ", ".join(sup.selectors) if sup.selectors else "all rules"
                findings.append(
                    _with_severity(
                        UNUSED_SUPPRESSION.at(sup.loc, f"unused suppression ({what})"), settings
                    )
                )
    return findings
