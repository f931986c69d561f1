"""A run's logs matched to the spec being built (specgen.evals.results): the verdicts
and rates of a scripted run, and a warning with a stable code for every mismatch (another
spec version, missing samples, a changed example, an unknown sample, an errored one).
Nothing that was not measured counts."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from specgen.evals import codes
from specgen.evals.log_reader import EvalLog, read_log
from specgen.evals.results import (
    ReleaseStamp,
    Results,
    assign_to_releases,
    load_results,
    match_results,
    spec_records,
)
from specgen.model import Spec
from specgen.render.measured import percent
from specgen.sources.loading import load_spec
from tests.results_helpers import (
    REPO,
    expected_counts,
    json_log_data,
    scripted_logs,
    scripted_verdicts,
)


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return scripted_logs(tmp_path_factory.mktemp("run"))


@pytest.fixture(scope="module")
def spec() -> Spec:
    return load_spec(REPO / "spec")[0].spec


def read(path: Path) -> EvalLog:
    log, problems = read_log(path)
    assert log is not None and not problems
    return log


def said(results: Results) -> list[tuple[str, str]]:
    return [(w.code, w.message) for w in results.warnings]


def test_a_run_of_this_spec(spec: Spec, logs: tuple[Path, Path]) -> None:
    results = load_results(spec, [logs[0]])
    (run,) = results.runs
    assert run.model == "mockllm/model"
    assert run.spec_version == spec.config.version
    verdicts, unreadable = scripted_verdicts()
    (errored,) = unreadable
    assert said(results) == [
        (
            codes.ERRORED_SAMPLE,
            f"1 sample ended in an error: not measured ({errored}: "
            + next(s.error for s in read(logs[0]).samples if s.record_id == errored)
            + ")",
        )
    ]
    ids = [r.id for r in results.records]
    counts = expected_counts(ids)
    tally = results.tally(run, results.records)
    assert (tally.compliant, tally.minor_issues, tally.violation) == (
        counts["compliant"],
        counts["minor_issues"],
        counts["violation"],
    )
    assert (tally.records, tally.measured, tally.not_measured) == (len(ids), len(ids) - 1, 1)
    assert tally.rate == counts["compliant"] / sum(counts.values())
    assert {r: run.verdicts[r][0].verdict for r in verdicts} == verdicts
    assert errored not in run.verdicts


def test_rates_by_level_and_section(spec: Spec, logs: tuple[Path, Path]) -> None:
    results = load_results(spec, [logs[1]])
    (run,) = results.runs
    by_level = results.tallies_by(run, "authority")
    for level, tally in by_level.items():
        ids = [r.id for r in results.records if r.authority == level]
        counts = expected_counts(ids)
        assert (tally.compliant, tally.minor_issues, tally.violation) == (
            counts["compliant"],
            counts["minor_issues"],
            counts["violation"],
        ), level
    knives = results.tallies_by(run, "section_id")["security_threats"]
    assert (knives.compliant, knives.minor_issues, knives.violation) == (1, 1, 0)
    assert percent(knives.rate) == "50%"


def test_another_spec_version(spec: Spec, logs: tuple[Path, Path]) -> None:
    log = read(logs[0])
    assert log.spec is not None
    older = replace(log, spec=replace(log.spec, version="2025-10-27", digest="sha256:old"))
    results = match_results(spec, [older])
    assert said(results)[0] == (
        codes.OTHER_SPEC,
        f"was run on spec version 2025-10-27 (this site: {spec.config.version}): "
        "only unchanged examples are shown",
    )
    # Its samples are of records unchanged since: they are shown.
    assert len(results.runs[0].verdicts) == len(results.records) - 1


def test_an_edited_example_is_not_shown(
    spec: Spec, logs: tuple[Path, Path], tmp_path: Path
) -> None:
    project = tmp_path / "project"
    shutil.copytree(REPO / "spec", project / "spec")
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    edited = next(p for p in (project / "spec").rglob("*.md") if "hide-a-knife" in p.read_text())
    text = edited.read_text()
    edited.write_text(text.replace("Sorry, I can't help with that.", "Sorry, no.", 1))
    changed = load_spec(project / "spec")[0].spec
    results = load_results(changed, [logs[0]])
    codes_said = [code for code, _ in said(results)]
    assert codes_said == [codes.OTHER_SPEC, codes.CHANGED_RECORD, codes.ERRORED_SAMPLE]
    assert said(results)[0][1] == (
        f"was run on another text of spec version {spec.config.version} (its digest "
        "differs): only unchanged examples are shown"
    )
    assert said(results)[1][1] == "sample hide-a-knife/1 is for a changed example: not shown"
    run = results.runs[0]
    assert "hide-a-knife/1" not in run.verdicts
    row = next(r for r in run.samples if r.id == "hide-a-knife/1")
    assert row.status == "changed"
    knives = results.tallies_by(run, "section_id")["security_threats"]
    assert (knives.graded, knives.not_measured) == (1, 1)


def test_missing_and_unknown_samples(spec: Spec, logs: tuple[Path, Path], tmp_path: Path) -> None:
    data = json_log_data(logs[1])
    dropped = [s["id"] for s in data["samples"][:3]]
    data["samples"] = data["samples"][3:]
    stranger = json.loads(json.dumps(data["samples"][0]))
    stranger["id"] = stranger["metadata"]["record_id"] = "gone-example/1"
    data["samples"].append(stranger)
    path = tmp_path / "partial.json"
    path.write_text(json.dumps(data))
    results = load_results(spec, [path])
    total = len(results.records)
    dropped = [r.id for r in results.records if r.id in dropped]  # in the spec's order
    assert said(results)[:1] == [
        (codes.UNKNOWN_SAMPLE, "sample gone-example/1 is not in this spec"),
    ]
    assert (
        codes.MISSING_SAMPLES,
        f"3 of {total} judged turns and eval prompts of this spec have no sample here: "
        f"not measured ({', '.join(dropped)})",
    ) in said(results)
    run = results.runs[0]
    assert not set(dropped) & set(run.verdicts)
    assert "gone-example/1" not in run.verdicts
    assert next(r for r in run.samples if r.id == "gone-example/1").status == "unknown"
    assert results.tally(run, results.records).not_measured == 3 + 1  # + the errored one


def test_a_run_split_over_two_logs(spec: Spec, logs: tuple[Path, Path], tmp_path: Path) -> None:
    # One model's run in two commands (two halves of the samples): taken together, nothing
    # is missing and the verdicts are the whole run's; each half alone misses the other.
    data = json_log_data(logs[1])
    half = len(data["samples"]) // 2
    paths = []
    for name, part in (("a", data["samples"][:half]), ("b", data["samples"][half:])):
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps({**data, "samples": part}))
        paths.append(path)
    whole = load_results(spec, [logs[1]])
    split = load_results(spec, paths)
    assert said(split) == said(whole)  # the errored sample only
    assert [r.verdicts for r in split.runs] == [r.verdicts for r in whole.runs]
    total = len(split.records)
    one_half = said(load_results(spec, paths[:1]))
    assert (codes.MISSING_SAMPLES, f"{total - half} of {total}") == (
        one_half[-1][0],
        " ".join(one_half[-1][1].split()[:3]),
    )


def test_an_unfinished_run(spec: Spec, logs: tuple[Path, Path]) -> None:
    results = match_results(spec, [replace(read(logs[0]), status="cancelled")])
    assert said(results)[0] == (
        codes.MISSING_SAMPLES,
        "is a run that did not finish (status 'cancelled'): only its graded samples are shown",
    )


def test_two_models_are_two_runs(spec: Spec, logs: tuple[Path, Path]) -> None:
    first = read(logs[0])
    other = replace(read(logs[1]), model="other/model")
    results = match_results(spec, [first, other])
    assert [run.model for run in results.runs] == ["mockllm/model", "other/model"]


def test_a_rate_of_nothing_graded(spec: Spec) -> None:
    results = match_results(spec, [])
    assert results.runs == ()
    assert percent(None) is None
    assert [percent(x) for x in (0.0, 0.004, 0.5, 0.995, 1.0)] == ["0%", "1%", "50%", "99%", "100%"]


def test_each_log_to_its_release(spec: Spec, logs: tuple[Path, Path]) -> None:
    log = read(logs[0])
    assert log.spec is not None
    _, digest = spec_records(spec)
    by_version = replace(log, spec=replace(log.spec, digest="sha256:edited-since"))
    stray = replace(log, spec=replace(log.spec, version="1999", digest="sha256:x"), path="x.eval")
    assigned, warnings = assign_to_releases(
        [log, by_version, stray],
        [ReleaseStamp("2025-01", "sha256:other"), ReleaseStamp(spec.config.version, digest)],
    )
    assert assigned == {spec.config.version: [log, by_version]}
    assert [(w.loc.path, w.code, w.message) for w in warnings] == [
        (
            "x.eval",
            codes.NO_RELEASE,
            "was run on spec version '1999', which is no release of this site: not shown",
        )
    ]
    # The digest wins over the version: a log of release 2025-01's text named otherwise.
    renamed = replace(log, spec=replace(log.spec, version="2025-01"))
    assigned, _ = assign_to_releases(
        [renamed], [ReleaseStamp("2025-01", "sha256:other"), ReleaseStamp("b", digest)]
    )
    assert assigned == {"b": [renamed]}


def test_a_folder_of_logs(spec: Spec, logs: tuple[Path, Path], tmp_path: Path) -> None:
    # --results logs/: the logs in the folder, as if each was given; other files ignored.
    folder = tmp_path / "logs"
    folder.mkdir()
    shutil.copy(logs[0], folder / logs[0].name)
    (folder / "notes.txt").write_text("not a log", "utf-8")
    from_folder = load_results(spec, [folder])
    from_file = load_results(spec, [logs[0]])
    assert [r.verdicts for r in from_folder.runs] == [r.verdicts for r in from_file.runs]
    assert said(from_folder) == said(from_file)
    empty = tmp_path / "empty"
    empty.mkdir()
    assert said(load_results(spec, [empty])) == [
        (codes.UNREADABLE_LOG, "is a folder with no .eval or .json log")
    ]
