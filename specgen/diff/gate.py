"""`specgen diff --fail-on`: which kinds of change make the command exit 1 (for CI)."""

from __future__ import annotations

from collections.abc import Iterable

from specgen.diff.model import Direction, SpecDiff, Status


def triggered(diff: SpecDiff, kinds: Iterable[str]) -> list[str]:
    """The requested kinds of change that ``diff`` contains, described for a message."""
    found: list[str] = []
    summary = diff.summary
    for kind in kinds:
        if kind == "any" and (diff.changed or diff.home_changed or _changed_sets(diff)):
            parts = [f"{len(diff.changed)} changed sections"] if diff.changed else []
            if _changed_sets(diff):
                parts.append(f"{_changed_sets(diff)} changed eval prompt sets")
            if diff.home_changed:
                parts.append("a changed front page")
            found.append(", ".join(parts))
        elif kind == "authority":
            changes = sum(1 for s in diff.sections if s.authority is not None)
            if changes:
                found.append(f"{changes} authority changes")
        elif kind == "authority-lowered":
            lowered = [
                s.id
                for s in diff.sections
                if s.authority is not None and s.authority.direction is Direction.LOWERED
            ]
            if lowered:
                found.append(f"lowered authority ({', '.join(lowered)})")
        elif kind == "removed":
            removed = [s.id for s in diff.sections if s.status is Status.REMOVED]
            if removed:
                found.append(f"removed sections ({', '.join(removed)})")
        elif kind == "verdict" and summary.verdicts_changed:
            found.append(f"{summary.verdicts_changed} changed verdicts")
    return found


def _changed_sets(diff: SpecDiff) -> int:
    return sum(1 for s in diff.eval_sets if s.status is not Status.UNCHANGED)
