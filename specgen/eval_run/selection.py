"""Which records an eval runs: by section (a parent selects its descendants), authority
level, tag and kind. Plain Python over the records and the spec's section tree.

An eval prompt belongs to the sections whose sentences cite its set (and their
ancestors), and to their levels and tags, unless its record names a section itself.
A name the spec does not have is refused, so a typo never runs an empty or wrong eval.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from specgen.model import Section, Spec

KINDS = ("comparison", "eval_prompt")


class SelectionError(ValueError):
    """The selection names something the spec does not have, or matches no record."""


@dataclass(frozen=True, slots=True)
class Selection:
    sections: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, list[str]]:
        return {
            "sections": list(self.sections),
            "levels": list(self.levels),
            "tags": list(self.tags),
            "kinds": list(self.kinds),
        }


def names(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """A task argument as names: "a,b" (as ``inspect eval -T`` passes it) or a list."""
    if value is None:
        return ()
    items = value.split(",") if isinstance(value, str) else value
    return tuple(dict.fromkeys(s.strip() for s in items if s and s.strip()))


def select(
    records: Sequence[Mapping[str, Any]], spec: Spec, selection: Selection
) -> list[Mapping[str, Any]]:
    """The records the selection keeps, in their order; raises ``SelectionError``."""
    if not records:
        raise SelectionError("the spec has no example with judged answers and no eval prompt")
    index = spec.section_index()
    _check(spec, index, selection)
    parents = {child.id: s.id for s in index.values() for child in s.children}
    lineage = {sid: _lineage(sid, parents) for sid in index}
    chosen = [r for r in records if _keeps(r, selection, index, lineage)]
    if not chosen:
        what = ", ".join(
            f"{key} {', '.join(values)}" for key, values in selection.as_dict().items() if values
        )
        raise SelectionError(f"no example or eval prompt of the spec matches {what or 'all'}")
    return chosen


def _check(spec: Spec, index: Mapping[str, Section], selection: Selection) -> None:
    unknown = [s for s in selection.sections if s not in index]
    if unknown:
        raise SelectionError(f"no section with id {', '.join(unknown)}")
    levels = {lv.id for lv in spec.config.levels} | {
        s.authority for s in index.values() if s.authority
    }
    unknown = [lv for lv in selection.levels if lv not in levels]
    if unknown:
        known = ", ".join(lv.id for lv in spec.config.levels)
        raise SelectionError(f"no authority level {', '.join(unknown)} (the spec's: {known})")
    tags = {t for s in index.values() for t in s.tags}
    unknown = [t for t in selection.tags if t not in tags]
    if unknown:
        raise SelectionError(f"no section has the tag {', '.join(unknown)}")
    unknown = [k for k in selection.kinds if k not in KINDS]
    if unknown:
        raise SelectionError(f"no kind {', '.join(unknown)} (kinds: {', '.join(KINDS)})")


def _lineage(section_id: str, parents: Mapping[str, str]) -> tuple[str, ...]:
    """The id and its ancestors' ids."""
    ids = [section_id]
    while ids[-1] in parents and parents[ids[-1]] not in ids:
        ids.append(parents[ids[-1]])
    return tuple(ids)


def _owners(record: Mapping[str, Any]) -> list[str]:
    """The sections a record tests: its own, else those citing its eval prompt set."""
    section = record.get("section")
    if section:
        return [str(section["id"])]
    return [str(c["section_id"]) for c in record.get("cited_by") or [] if c.get("section_id")]


def _keeps(
    record: Mapping[str, Any],
    selection: Selection,
    index: Mapping[str, Section],
    lineage: Mapping[str, tuple[str, ...]],
) -> bool:
    if selection.kinds and record.get("kind") not in selection.kinds:
        return False
    owners = _owners(record)
    if selection.sections:
        reach = {sid for owner in owners for sid in lineage.get(owner, (owner,))}
        if not reach & set(selection.sections):
            return False
    if selection.levels:
        levels = {record_level(record, index), *(_level(owner, index) for owner in owners)}
        if not levels & set(selection.levels):
            return False
    if selection.tags:
        tags = {t for owner in owners if owner in index for t in index[owner].tags}
        if not tags & set(selection.tags):
            return False
    return True


def _level(section_id: str, index: Mapping[str, Section]) -> str | None:
    section = index.get(section_id)
    return section.authority if section else None


def record_level(record: Mapping[str, Any], index: Mapping[str, Section]) -> str | None:
    """The record's authority level: its section's, else the first citing sentence's."""
    section = record.get("section")
    if section:
        level = section.get("authority")
        return str(level) if level else None
    for cited in record.get("cited_by") or []:
        level = cited.get("authority") or _level(str(cited.get("section_id")), index)
        if level:
            return str(level)
    return None
