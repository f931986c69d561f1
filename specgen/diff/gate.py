"""`specgen diff --fail-on`: which kinds of change make the command exit 1 (for CI).

- ``any``: any change at all (formatting, a moved section, a changed front page...).
- ``authority`` / ``authority-lowered``: a section's level changed / went down.
- ``removed``: a section removed. A rename declared in ``former_ids`` is no removal;
  a *probable* rename (an undeclared id change) still counts, since links to the old id
  break: the message names it and says to declare ``former_ids``.
- ``text``: words a reader reads changed (``amounts.words_changed``): a section added,
  removed or retitled; a body, caption, message, answer or comment changed in meaning;
  an example, message or answer added or removed; the front page's words. Formatting
  only, link targets only, moves, levels, tags and verdicts do not count.
- ``verdict``: an answer's verdict changed.
"""

from __future__ import annotations

from collections.abc import Iterable

from specgen.diff.amounts import words_changed
from specgen.diff.describe import plural
from specgen.diff.model import Direction, RenameKind, SpecDiff, Status, TextChange

MAX_NAMED = 10  # a message names this many sections, then says how many more


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
            found.extend(_removed(diff))
        elif kind == "text":
            found.extend(_text(diff))
        elif kind == "verdict" and summary.verdicts_changed:
            found.append(f"{summary.verdicts_changed} changed verdicts")
    return found


def _removed(diff: SpecDiff) -> list[str]:
    removed = [s.id for s in diff.sections if s.status is Status.REMOVED]
    probable = [
        f"{s.renamed_from} -> {s.id}"
        for s in diff.sections
        if s.rename is RenameKind.PROBABLE and s.renamed_from is not None
    ]
    out = []
    if removed:
        out.append(f"removed sections ({', '.join(removed)})")
    if probable:
        out.append(
            f"sections probably renamed without former_ids ({', '.join(probable)}): "
            "declare the old id in the new section's former_ids, or its links break"
        )
    return out


def _text(diff: SpecDiff) -> list[str]:
    changed = [s.id for s in diff.sections if words_changed(s)]
    out = []
    if changed:
        named = ", ".join(changed[:MAX_NAMED])
        more = f" and {len(changed) - MAX_NAMED} more" if len(changed) > MAX_NAMED else ""
        out.append(f"changed text in {plural(len(changed), 'section')} ({named}{more})")
    if TextChange.MEANING in diff.home_changes:
        out.append("changed text on the front page")
    return out


def _changed_sets(diff: SpecDiff) -> int:
    return sum(1 for s in diff.eval_sets if s.status is not Status.UNCHANGED)
