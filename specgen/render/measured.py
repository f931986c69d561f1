"""Measured results on the site: what each judged turn and eval prompt was measured as,
and the compliance rates of a section, a level and an eval set (the results page is
``results.py``).

Every value from a log (model names, the grader's reasons, errors) is untrusted text:
it reaches the templates as plain strings and is escaped there.
"""

from __future__ import annotations

from dataclasses import dataclass

from specgen.evals.results import (
    QUALITY_OF_VERDICT,
    RecordInfo,
    Results,
    Run,
    Tally,
)
from specgen.model import Location, SpecConfig

NOT_MEASURED = "Not measured"


@dataclass(frozen=True, slots=True)
class VerdictView:
    """One run's verdict on a judged turn (or that it was not measured)."""

    model: str
    quality: str  # good | ok | bad, the spec's answer qualities; "none": not measured
    quality_name: str  # the spec's name for it: Compliant, Minor issues, Violation
    reason: str
    grader: str | None
    epoch: int | None  # shown when the run has more than one


@dataclass(frozen=True, slots=True)
class RateView:
    """A run's compliance over some records: the rate and its counts."""

    model: str
    percent: str | None  # "93%"; None when nothing was graded
    compliant: int
    minor_issues: int
    violation: int
    graded: int
    records: int
    not_measured: int

    @property
    def title(self) -> str:
        return (
            f"{self.compliant} compliant, {self.minor_issues} minor issues, "
            f"{self.violation} violations of {self.graded} graded; "
            f"{self.not_measured} of {self.records} not measured"
        )


def percent(rate: float | None) -> str | None:
    """A rate as the site writes it, in whole percent: rounded, but "100%" only when
    every graded sample was compliant and "0%" only when none was."""
    if rate is None:
        return None
    value = int(rate * 100 + 0.5)
    if rate < 1:
        value = min(value, 99)
    if rate > 0:
        value = max(value, 1)
    return f"{value}%"


def rate_view(model: str, tally: Tally) -> RateView:
    return RateView(
        model,
        percent(tally.rate),
        tally.compliant,
        tally.minor_issues,
        tally.violation,
        tally.graded,
        tally.records,
        tally.not_measured,
    )


class ResultsLookup:
    """What the pages of one site ask of the results: by judged turn, section, level."""

    def __init__(self, results: Results, config: SpecConfig) -> None:
        self.results = results
        self.config = config
        self._places = {record.source: record for record in results.records}
        self._sections = [results.tallies_by(run, "section_id") for run in results.runs]
        self._levels = [results.tallies_by(run, "authority") for run in results.runs]

    @property
    def runs(self) -> tuple[Run, ...]:
        return self.results.runs

    def record(self, place: Location) -> RecordInfo | None:
        """The record of the judged answers (a comparison) or the prompt (an eval
        prompt) that stand at ``place``."""
        return self._places.get(place)

    def verdicts(self, record: RecordInfo | None) -> list[VerdictView]:
        if record is None:
            return []
        views = []
        for run in self.runs:
            measured = run.verdicts.get(record.id, ())
            if not measured:
                views.append(VerdictView(run.model, "none", NOT_MEASURED, "", None, None))
            for one in measured:
                quality = QUALITY_OF_VERDICT[one.verdict]
                views.append(
                    VerdictView(
                        run.model,
                        quality,
                        self.config.quality_names.get(quality, quality),
                        one.reason,
                        one.grader,
                        one.epoch if run.epochs > 1 else None,
                    )
                )
        return views

    def section_rates(self, section_id: str) -> list[RateView]:
        """The runs' rates over the section's own examples; none when it has none."""
        return [
            rate_view(run.model, tallies[section_id])
            for run, tallies in zip(self.runs, self._sections, strict=True)
            if section_id in tallies
        ]

    def level_rates(self, level_id: str) -> list[RateView]:
        """Over the judged turns of the level's policies and the prompts they cite."""
        return [
            rate_view(run.model, tallies.get(level_id, Tally()))
            for run, tallies in zip(self.runs, self._levels, strict=True)
        ]

    def set_rates(self, set_id: str) -> list[RateView]:
        prompts = [r for r in self.results.records if r.kind != "comparison" and r.owner == set_id]
        return [rate_view(run.model, self.results.tally(run, prompts)) for run in self.runs]
