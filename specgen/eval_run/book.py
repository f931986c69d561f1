"""The spec an eval runs and its records, loaded once per process for the task and its
scorer (plain Python, no inspect_ai).

The task builds its samples from these records and the scorer grades against them; a
sample carries only the record's id and digest, so the scorer finds the record here
and checks that it is still the one the sample was made from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from specgen.evals.records import eval_records
from specgen.model import Spec
from specgen.sources.loading import default_spec_path, load_spec


class SpecNotFound(ValueError):
    """No spec at the path given (or, with none, in the project of the current folder)."""


@dataclass(frozen=True, slots=True)
class SpecRecords:
    path: Path
    spec: Spec
    records: tuple[Mapping[str, Any], ...]

    def record(self, record_id: str) -> Mapping[str, Any] | None:
        return next((r for r in self.records if r["id"] == record_id), None)


_loaded: dict[tuple[Path, tuple[str, ...]], SpecRecords] = {}


def spec_path(spec: str | Path | None) -> Path:
    """The spec to run: the path given, else the current project's (as for build)."""
    path = Path(spec) if spec is not None else default_spec_path(Path.cwd())
    if not path.exists():
        where = "" if spec is not None else " (the project's spec folder; pass spec=PATH)"
        raise SpecNotFound(f"no spec at {path}{where}")
    return path


def spec_records(
    spec: str | Path | None, level_order: tuple[str, ...] = (), fresh: bool = False
) -> SpecRecords:
    """The spec's records; loaded again when ``fresh`` (the sources changed)."""
    path = spec_path(spec).resolve()
    key = (path, level_order)
    if fresh or key not in _loaded:
        loaded, _ = load_spec(path, None, level_order or None)
        records = tuple(eval_records(loaded.spec))
        _loaded.clear()  # one spec at a time: a run never needs two
        _loaded[key] = SpecRecords(path, loaded.spec, records)
    return _loaded[key]
