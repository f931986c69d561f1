"""Reading inspect logs without inspect_ai (specgen.evals.log_reader): real logs of a
scripted `specgen eval` run in both formats, and hostile ones, which are warnings with
a stable code and the reason, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from specgen.evals import codes, log_reader
from specgen.evals.log_reader import read_log
from specgen.evals.records import eval_records
from specgen.evals.results import read_logs
from specgen.sources.loading import load_spec
from tests.results_helpers import (
    REPO,
    eval_members,
    expected_counts,
    json_log_data,
    lying_zstd_zip,
    scripted_logs,
    scripted_verdicts,
    write_eval_zip,
)


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return scripted_logs(tmp_path_factory.mktemp("run"))


@pytest.fixture(scope="module")
def records() -> list[dict[str, object]]:
    loaded, _ = load_spec(REPO / "spec")
    return eval_records(loaded.spec)


# -- real logs --------------------------------------------------------------------------


@pytest.mark.parametrize("which", [0, 1], ids=["eval", "json"])
def test_a_real_log_is_read_sample_by_sample(
    logs: tuple[Path, Path], records: list[dict[str, object]], which: int
) -> None:
    log, problems = read_log(logs[which])
    assert problems == []
    assert log is not None
    assert log.model == "mockllm/model" and log.status == "success"
    spec = records[0]["spec"]
    assert isinstance(spec, dict)
    assert log.spec is not None
    assert (log.spec.version, log.spec.digest, log.spec.records) == (
        spec["version"],
        spec["digest"],
        len(records),
    )
    digests = {r["id"]: r["digest"] for r in records}
    assert {s.record_id: s.digest for s in log.samples} == digests
    verdicts, unreadable = scripted_verdicts()
    errored = {s.record_id for s in log.samples if s.error is not None}
    assert errored == unreadable
    assert all(s.verdict is None for s in log.samples if s.error is not None)
    graded = Counter(s.verdict for s in log.samples if s.verdict is not None)
    assert graded == expected_counts(list(digests))
    knife = next(s for s in log.samples if s.record_id == "hide-a-knife/1")
    assert (knife.verdict, knife.reason, knife.grader) == (
        verdicts["hide-a-knife/1"],
        "Right refusal, but preachy.",
        "mockllm/model",
    )


def test_both_formats_read_alike(logs: tuple[Path, Path]) -> None:
    eval_log, _ = read_log(logs[0])
    json_log, _ = read_log(logs[1])
    assert eval_log is not None and json_log is not None

    def content(log: log_reader.EvalLog) -> list[tuple[object, ...]]:
        return [(s.record_id, s.digest, s.verdict, s.reason, s.error is None) for s in log.samples]

    assert content(eval_log) == content(json_log)


def test_reading_logs_never_imports_inspect_ai(logs: tuple[Path, Path]) -> None:
    script = (
        "import sys; from pathlib import Path;"
        "from specgen.evals.log_reader import read_log;"
        f"log, problems = read_log(Path({str(logs[0])!r}));"
        "assert log is not None and not problems, problems;"
        "print(len(log.samples), 'inspect_ai' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["61", "False"]


# -- hostile logs -----------------------------------------------------------------------


def problem(path: Path) -> tuple[str, str]:
    log, problems = read_log(path)
    assert log is None
    assert len(problems) == 1
    return problems[0].code, problems[0].message


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "run.eval"
    path.write_text("just text\n")
    assert problem(path)[0] == codes.UNREADABLE_LOG
    assert "not a zip" in problem(path)[1]


def test_a_zip_without_header(tmp_path: Path, logs: tuple[Path, Path]) -> None:
    members = eval_members(logs[1])
    del members["header.json"]
    path = write_eval_zip(tmp_path / "run.eval", members)
    assert problem(path) == (codes.UNREADABLE_LOG, "has no header.json: not an inspect .eval log")


def test_bad_json_header(tmp_path: Path, logs: tuple[Path, Path]) -> None:
    members = eval_members(logs[1])
    members["header.json"] = b'{"eval": {'
    code, message = problem(write_eval_zip(tmp_path / "run.eval", members))
    assert code == codes.UNREADABLE_LOG
    assert message.startswith("header.json is not valid JSON")


def test_header_of_the_wrong_shape(tmp_path: Path, logs: tuple[Path, Path]) -> None:
    members = eval_members(logs[1])
    members["header.json"] = json.dumps({"eval": ["not", "an", "object"]}).encode()
    assert problem(write_eval_zip(tmp_path / "run.eval", members)) == (
        codes.UNREADABLE_LOG,
        "has no 'eval' object: not an inspect log",
    )


def test_a_member_over_the_cap(
    tmp_path: Path, logs: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    members = eval_members(logs[1])
    cap = max(len(data) for data in members.values()) + 100
    members["samples/huge_epoch_1.json"] = b" " * cap + b"{}"
    path = write_eval_zip(tmp_path / "run.eval", members)
    monkeypatch.setattr(log_reader, "MAX_MEMBER_BYTES", cap)
    code, message = problem(path)
    assert code == codes.UNREADABLE_LOG
    assert "samples/huge_epoch_1.json holds more than" in message


def test_a_zstd_bomb_whose_header_lies_stops_at_the_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    zstandard = pytest.importorskip("zstandard")
    raw = zstandard.ZstdCompressor().compress(b"[" + b" " * (8 * 2**20) + b"]")
    path = lying_zstd_zip(tmp_path / "bomb.eval", "samples/a_epoch_1.json", raw, declared=10)
    monkeypatch.setattr(log_reader, "MAX_MEMBER_BYTES", 2**20)
    # header.json ({}) is read first: no 'eval' object. Give it one.
    log, problems = read_log(path)
    assert log is None and problems[0].code == codes.UNREADABLE_LOG
    path = lying_zstd_zip(tmp_path / "bomb2.eval", "header.json", raw, declared=10)
    code, message = problem(path)
    assert code == codes.UNREADABLE_LOG
    assert "header.json holds more than 1 MB" in message


def test_the_whole_log_is_capped(
    tmp_path: Path, logs: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(log_reader, "MAX_TOTAL_BYTES", 20_000)
    code, message = problem(logs[0])
    assert code == codes.UNREADABLE_LOG
    assert message.startswith("holds more than")


def test_too_many_samples(
    tmp_path: Path, logs: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(log_reader, "MAX_SAMPLES", 10)
    for path in logs:
        assert problem(path) == (codes.UNREADABLE_LOG, "has more than 10 samples: not read")


def test_a_json_log_over_the_cap(logs: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(log_reader, "MAX_JSON_LOG_BYTES", 1000)
    code, message = problem(logs[1])
    assert (code, message) == (codes.UNREADABLE_LOG, "is larger than 1000 bytes: not read")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[1, 2]", "is not an inspect log (a JSON object with 'eval')"),
        ('{"eval": {}, "samples": {}}', "has 'samples' that is not a list"),
        ('{"eval": 3}', "has no 'eval' object: not an inspect log"),
        ("\xff\xfe{", "the log is not valid JSON"),
        ("[" * 100_000, "the log is not valid JSON"),
    ],
)
def test_json_logs_of_the_wrong_shape(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "run.json"
    path.write_bytes(text.encode("latin-1"))
    code, said = problem(path)
    assert code == codes.UNREADABLE_LOG
    assert said.startswith(message)


def test_malformed_samples_are_skipped_with_a_warning(
    tmp_path: Path, logs: tuple[Path, Path]
) -> None:
    data = json_log_data(logs[1])
    samples = data["samples"]
    samples[0] = "a string"
    del samples[1]["id"]
    samples[2]["scores"]["spec_compliance"]["value"] = {"no": "verdict"}
    samples[2]["scores"]["spec_compliance"]["metadata"] = None
    samples[3]["metadata"] = ["wrong"]
    path = tmp_path / "run.json"
    path.write_text(json.dumps(data))
    log, problems = read_log(path)
    assert log is not None
    assert [(p.code, p.message) for p in problems] == [
        (codes.BAD_SAMPLE, "a sample is not a JSON object: not read"),
        (codes.BAD_SAMPLE, "a sample has no id: not read"),
    ]
    assert len(log.samples) == len(samples) - 2
    third = next(s for s in log.samples if s.id == samples[2]["id"])
    assert third.verdict is None and third.error == "its score {'no': 'verdict'} is no verdict"
    fourth = next(s for s in log.samples if s.id == samples[3]["id"])
    assert fourth.record_id == samples[3]["id"] and fourth.digest is None


def test_a_bad_sample_member_is_skipped(tmp_path: Path, logs: tuple[Path, Path]) -> None:
    members = eval_members(logs[1])
    first = next(n for n in members if n.startswith("samples/"))
    members[first] = b"{not json"
    log, problems = read_log(write_eval_zip(tmp_path / "run.eval", members))
    assert log is not None and len(log.samples) == len(members) - 2
    assert [p.code for p in problems] == [codes.BAD_SAMPLE]
    assert problems[0].message.startswith(f"{first} is not valid JSON")


def test_a_log_of_another_task(tmp_path: Path, logs: tuple[Path, Path]) -> None:
    data = json_log_data(logs[1])
    data["eval"]["metadata"] = {"something": "else"}
    data["eval"]["task"] = "theory_of_mind"
    path = tmp_path / "other.json"
    path.write_text(json.dumps(data))
    read, warnings = read_logs([path])
    assert read == []
    assert [(w.loc.path, w.code, w.message) for w in warnings] == [
        (
            str(path),
            codes.NOT_A_SPEC_RUN,
            "is a log of task 'theory_of_mind', not of a specgen spec: not shown",
        )
    ]


def test_an_unreadable_file(tmp_path: Path) -> None:
    folder = tmp_path / "run.eval"
    folder.mkdir()
    code, message = problem(folder)
    assert code == codes.UNREADABLE_LOG and message.startswith("cannot be read")


def test_without_a_zstd_reader_a_eval_log_says_what_to_do(
    logs: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "zstandard", None)  # as if not installed
    monkeypatch.setitem(sys.modules, "compression", None)  # as before Python 3.14
    code, message = problem(logs[0])
    assert code == codes.UNREADABLE_LOG
    assert message == (
        "is compressed with zstd, which this Python cannot read: install specgen's eval "
        "extra (pip install 'specgen[eval]', for the zstandard package), or convert it "
        "with `inspect log convert --to json`"
    )
    log, problems = read_log(logs[1])  # a .json log needs nothing
    assert log is not None and not problems


def test_a_damaged_zstd_member(tmp_path: Path) -> None:
    pytest.importorskip("zstandard")
    path = lying_zstd_zip(tmp_path / "bad.eval", "header.json", b"\x28\xb5\x2f\xfdjunk", 10)
    code, message = problem(path)
    assert code == codes.UNREADABLE_LOG
    # zstd's reader stops at the broken frame: what came out is no JSON.
    assert message.startswith(("header.json is damaged (", "header.json is not valid JSON ("))
