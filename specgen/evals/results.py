"""A run's logs matched to the spec being built: what each judged turn and eval prompt
was measured as, and what does not match (warnings with stable codes).

Nothing is shown as measured that was not: a sample counts only when its record is in
this spec with the same digest (the same conversation, answers and section text) and
it ended with a verdict. Errored samples and records without a sample are "not
measured", never counted. The compliance rate is compliant / (compliant + minor issues
+ violation) over the graded samples of every epoch.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from specgen.diagnostics import Diagnostic, Severity
from specgen.evals import codes
from specgen.evals.log_reader import EvalLog, LogSample, read_log
from specgen.evals.records import COMPARISON, eval_records
from specgen.model import Location, Spec

# The verdicts, in the order of the spec's answer qualities they stand beside.
QUALITY_OF_VERDICT = {"compliant": "good", "minor_issues": "ok", "violation": "bad"}
_LISTED = 5  # sample ids named in one warning; the rest are counted


@dataclass(frozen=True, slots=True)
class RecordInfo:
    """A record of the spec, as the site places its results."""

    id: str
    kind: str  # "comparison" | "eval_prompt"
    digest: str
    owner: str  # the section id of a comparison, the eval set id of a prompt
    example_id: str
    turn: int  # the judged turn (a comparison), 1-based
    section_id: str | None  # a prompt's: the first section citing its set
    authority: str | None
    # Where its judged answers (a prompt: the prompt) stand: what a page looks a record
    # up by, unique even where a forced build has two examples of one id.
    source: Location


@dataclass(frozen=True, slots=True)
class Measured:
    """One graded sample (one epoch) of a record."""

    record_id: str
    verdict: str  # compliant | minor_issues | violation
    reason: str
    grader: str | None
    epoch: int


@dataclass(frozen=True, slots=True)
class SampleRow:
    """A sample of the run as the results page lists it."""

    id: str
    epoch: int
    status: str  # a verdict, or "errored", "changed", "unknown"
    reason: str  # the grader's reason, or the error
    record: RecordInfo | None


@dataclass(slots=True)
class Tally:
    compliant: int = 0
    minor_issues: int = 0
    violation: int = 0
    records: int = 0  # records of the spec counted in this tally
    measured: int = 0  # ... of which at least one sample was graded

    @property
    def graded(self) -> int:
        return self.compliant + self.minor_issues + self.violation

    @property
    def rate(self) -> float | None:
        return self.compliant / self.graded if self.graded else None

    @property
    def not_measured(self) -> int:
        return self.records - self.measured

    def add(self, verdicts: Sequence[Measured]) -> None:
        self.records += 1
        if verdicts:
            self.measured += 1
        for one in verdicts:
            if one.verdict == "compliant":
                self.compliant += 1
            elif one.verdict == "minor_issues":
                self.minor_issues += 1
            else:
                self.violation += 1


@dataclass(frozen=True)
class Run:
    """What one model was measured as: the logs of that model, merged."""

    model: str
    logs: tuple[str, ...]
    date: str  # the day the (first) run started, YYYY-MM-DD
    spec_version: str
    spec_date: str
    graders: tuple[str, ...]
    epochs: int
    verdicts: dict[str, tuple[Measured, ...]]  # record id -> its graded samples
    samples: tuple[SampleRow, ...]


@dataclass(frozen=True)
class Results:
    records: tuple[RecordInfo, ...]
    runs: tuple[Run, ...]
    warnings: tuple[Diagnostic, ...]
    by_id: dict[str, RecordInfo] = field(default_factory=dict)

    def tally(self, run: Run, records: Iterable[RecordInfo]) -> Tally:
        tally = Tally()
        for record in records:
            tally.add(run.verdicts.get(record.id, ()))
        return tally

    def tallies_by(self, run: Run, key: str) -> dict[str, Tally]:
        """Tallies per section id (``key`` "section_id") or per level ("authority")."""
        out: dict[str, Tally] = {}
        for record in self.records:
            value = getattr(record, key)
            if value is None or (key == "section_id" and record.kind != COMPARISON):
                continue
            out.setdefault(value, Tally()).add(run.verdicts.get(record.id, ()))
        return out


LOG_SUFFIXES = (".eval", ".json")


def log_files(paths: Sequence[Path]) -> tuple[list[Path], list[Diagnostic]]:
    """``paths`` with each folder replaced by the logs in it (``*.eval``, ``*.json``, by
    name): ``--results logs/`` takes a whole log folder, which a shell glob given to one
    option could not. A folder with no log is a warning."""
    files: list[Path] = []
    warnings: list[Diagnostic] = []
    for path in paths:
        if not path.is_dir():
            files.append(path)
            continue
        found = sorted(p for p in path.iterdir() if p.suffix in LOG_SUFFIXES and p.is_file())
        if not found:
            warnings.append(
                _warning(str(path), codes.UNREADABLE_LOG, "is a folder with no .eval or .json log")
            )
        files.extend(found)
    return files, warnings


def read_logs(paths: Sequence[Path]) -> tuple[list[EvalLog], list[Diagnostic]]:
    """The logs that could be read (a folder: the logs in it), and a warning for each
    problem met."""
    paths, warnings = log_files(paths)
    logs: list[EvalLog] = []
    for path in paths:
        log, problems = read_log(path)
        warnings.extend(_warning(str(path), p.code, p.message) for p in problems)
        if log is None:
            continue
        if log.spec is None:
            warnings.append(
                _warning(
                    str(path),
                    codes.NOT_A_SPEC_RUN,
                    f"is a log of task '{log.task}', not of a specgen spec: not shown",
                )
            )
            continue
        logs.append(log)
    return logs, warnings


def spec_records(spec: Spec) -> tuple[tuple[RecordInfo, ...], str]:
    """The spec's records as the site places them, and the spec's digest."""
    records = eval_records(spec)
    digest = records[0]["spec"]["digest"] if records else ""
    infos = []
    for record in records:
        section = record["section"]
        example = record["example"]
        comparison = record["kind"] == COMPARISON
        infos.append(
            RecordInfo(
                id=record["id"],
                kind=record["kind"],
                digest=record["digest"],
                owner=section["id"] if comparison else record["eval_set"]["id"],
                example_id=example["id"],
                turn=example["turn"],
                section_id=section["id"] if section else None,
                authority=section["authority"] if section else None,
                source=Location(**record["source"]),
            )
        )
    return tuple(infos), digest


def match_results(spec: Spec, logs: Sequence[EvalLog]) -> Results:
    """``logs`` (of specgen runs) matched to ``spec``: one run per model."""
    records, digest = spec_records(spec)
    by_id = {r.id: r for r in records}
    warnings: list[Diagnostic] = []
    by_model: dict[str, list[EvalLog]] = {}
    for log in logs:
        by_model.setdefault(log.model, []).append(log)
    order = {r.id: i for i, r in enumerate(records)}
    runs = []
    for model, model_logs in by_model.items():
        verdicts: dict[str, list[Measured]] = {}
        rows: list[SampleRow] = []
        for log in model_logs:
            warnings.extend(_check_spec(log, spec, digest))
            rows.extend(_match_samples(log, by_id, verdicts, warnings))
        # Over all the model's logs: a run split over several commands misses nothing.
        warnings.extend(_missing(model_logs, records))
        # The run's spec and date: of its logs of this very spec, if any, the first.
        same = [log for log in model_logs if log.spec and log.spec.digest == digest]
        first = min(same or model_logs, key=lambda log: log.created)
        assert first.spec is not None  # read_logs keeps only specgen runs
        graders = {s.grader for log in model_logs for s in log.samples if s.grader}
        runs.append(
            Run(
                model=model,
                logs=tuple(log.path for log in model_logs),
                date=first.created[:10],
                spec_version=first.spec.version,
                spec_date=first.spec.date,
                graders=tuple(sorted(graders)),
                epochs=max((s.epoch for log in model_logs for s in log.samples), default=1),
                verdicts={k: tuple(v) for k, v in verdicts.items()},
                # In the spec's order (the records'), samples of nothing in it last.
                samples=tuple(
                    sorted(
                        rows,
                        key=lambda row: (
                            order.get(row.record.id if row.record else "", len(order)),
                            row.epoch,
                        ),
                    )
                ),
            )
        )
    return Results(records, tuple(runs), tuple(warnings), by_id)


def load_results(spec: Spec, paths: Sequence[Path]) -> Results:
    logs, warnings = read_logs(paths)
    results = match_results(spec, logs)
    return Results(results.records, results.runs, (*warnings, *results.warnings), results.by_id)


@dataclass(frozen=True, slots=True)
class ReleaseStamp:
    version: str
    digest: str


def assign_to_releases(
    logs: Sequence[EvalLog], releases: Sequence[ReleaseStamp]
) -> tuple[dict[str, list[EvalLog]], list[Diagnostic]]:
    """Each log to the release it was run on: the release with its spec's digest, else
    the one with its version; a log that matches none is a warning."""
    by_digest = {r.digest: r.version for r in releases if r.digest}
    versions = {r.version for r in releases}
    assigned: dict[str, list[EvalLog]] = {}
    warnings = []
    for log in logs:
        assert log.spec is not None
        version = by_digest.get(log.spec.digest)
        if version is None and log.spec.version in versions:
            version = log.spec.version
        if version is None:
            warnings.append(
                _warning(
                    log.path,
                    codes.NO_RELEASE,
                    f"was run on spec version '{log.spec.version or 'unversioned'}', "
                    "which is no release of this site: not shown",
                )
            )
            continue
        assigned.setdefault(version, []).append(log)
    return assigned, warnings


# -- matching ---------------------------------------------------------------------------


def _check_spec(log: EvalLog, spec: Spec, digest: str) -> list[Diagnostic]:
    assert log.spec is not None
    out = []
    if log.status != "success":
        out.append(
            _warning(
                log.path,
                codes.MISSING_SAMPLES,
                f"is a run that did not finish (status '{log.status}'): only its graded "
                "samples are shown",
            )
        )
    if log.spec.digest == digest:
        return out
    here = spec.config.version or "unversioned"
    there = log.spec.version or "unversioned"
    if there != here:
        text = f"was run on spec version {there} (this site: {here})"
    else:
        text = f"was run on another text of spec version {here} (its digest differs)"
    out.append(_warning(log.path, codes.OTHER_SPEC, f"{text}: only unchanged examples are shown"))
    return out


def _match_samples(
    log: EvalLog,
    by_id: dict[str, RecordInfo],
    verdicts: dict[str, list[Measured]],
    warnings: list[Diagnostic],
) -> list[SampleRow]:
    rows = []
    unknown: list[LogSample] = []
    changed: list[LogSample] = []
    errored: list[LogSample] = []
    for sample in log.samples:
        record = by_id.get(sample.record_id)
        if record is None:
            unknown.append(sample)
            rows.append(SampleRow(sample.id, sample.epoch, "unknown", sample.reason, None))
        elif sample.digest != record.digest:
            changed.append(sample)
            rows.append(SampleRow(sample.id, sample.epoch, "changed", sample.reason, record))
        elif sample.error is not None:
            errored.append(sample)
            rows.append(SampleRow(sample.id, sample.epoch, "errored", sample.error, record))
        elif sample.verdict is not None:
            measured = Measured(
                record.id, sample.verdict, sample.reason, sample.grader, sample.epoch
            )
            verdicts.setdefault(record.id, []).append(measured)
            rows.append(SampleRow(sample.id, sample.epoch, sample.verdict, sample.reason, record))
    path = log.path
    if unknown:
        warnings.append(
            _samples_warning(path, codes.UNKNOWN_SAMPLE, unknown, "not in this spec", "are")
        )
    if changed:
        warnings.append(
            _samples_warning(
                path, codes.CHANGED_RECORD, changed, "for a changed example: not shown", "are"
            )
        )
    if errored:
        warnings.append(
            _samples_warning(
                path, codes.ERRORED_SAMPLE, errored, "ended in an error: not measured", ""
            )
        )
    return rows


def _missing(logs: Sequence[EvalLog], records: Sequence[RecordInfo]) -> list[Diagnostic]:
    """Records of the spec that no log of one model has a sample of (errored ones are
    said apart)."""
    sampled = {s.record_id for log in logs for s in log.samples}
    missing = [r for r in records if r.id not in sampled]
    if not missing:
        return []
    kinds = {r.kind for r in records}
    what = "judged turns" if kinds == {COMPARISON} else "judged turns and eval prompts"
    where = "here" if len(logs) == 1 else f"in the {len(logs)} logs of {logs[0].model}"
    ids = ", ".join(r.id for r in missing[:_LISTED]) + (", …" if len(missing) > _LISTED else "")
    return [
        _warning(
            logs[0].path,
            codes.MISSING_SAMPLES,
            f"{len(missing)} of {len(records)} {what} of this spec have no sample {where}: "
            f"not measured ({ids})",
        )
    ]


def _samples_warning(
    path: str, code: str, samples: list[LogSample], what: str, verb: str
) -> Diagnostic:
    """One warning per kind of mismatch, naming the first few samples."""
    names = [f"{s.id}" + (f" (epoch {s.epoch})" if s.epoch > 1 else "") for s in samples]
    if code == codes.ERRORED_SAMPLE:
        names = [f"{n}: {_one_line(s.error or '')}" for n, s in zip(names, samples, strict=True)]
    listed = "; ".join(names[:_LISTED]) + ("; …" if len(names) > _LISTED else "")
    verb_ = f"{verb} " if verb else ""
    if len(samples) == 1 and code != codes.ERRORED_SAMPLE:
        return _warning(path, code, f"sample {listed} {'is ' if verb else ''}{what}")
    count = "1 sample" if len(samples) == 1 else f"{len(samples)} samples"
    return _warning(path, code, f"{count} {verb_}{what} ({listed})")


def _one_line(text: str, limit: int = 120) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _warning(path: str, code: str, message: str) -> Diagnostic:
    return Diagnostic(code, message, Location(path, 1, 1), Severity.WARNING)


def log_name(path: str) -> str:
    """A log's file name: the site never shows the build machine's paths."""
    return PurePath(path).name
