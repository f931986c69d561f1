"""Reads inspect-ai logs (``.eval`` and ``.json``) with the standard library, never with
inspect_ai: `specgen build --results` must work where only the core is installed.

A log is untrusted input: it may be no zip, a zip bomb, malformed JSON or JSON of the
wrong shape. Every problem is a ``LogProblem`` (a stable code and a sentence naming the
log), never a traceback; only what is read whole and well-formed is kept.

``.eval`` files are zips whose members inspect compresses with zstd (method 93) since
0.3.2xx: Python reads zstd itself from 3.14 (``compression.zstd``), earlier with the
``zstandard`` package (installed with ``specgen[eval]``), when present.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from specgen.evals import codes

SCORER = "spec_compliance"
VERDICTS = ("compliant", "minor_issues", "violation")
# A score's value ("C"/"P"/"I") when its metadata lacks the verdict word.
_VALUE_VERDICTS = {"C": "compliant", "P": "minor_issues", "I": "violation"}

# Caps on what one log may make us read: a member (a sample with its events), all of a
# .eval's members together, a .json log, and the number of samples.
MAX_MEMBER_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
MAX_JSON_LOG_BYTES = 512 * 1024 * 1024
MAX_SAMPLES = 200_000
_ZSTD = 93
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")  # a zip member's local file header
_TEXT_LIMIT = 20_000  # a grader's reason or error message kept for the site


@dataclass(frozen=True, slots=True)
class LogProblem:
    """Something in a log that is not read as it should be: a stable code, a sentence."""

    code: str
    message: str


class UnreadableLog(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TooLarge(UnreadableLog):
    """Over a cap: the whole log is refused, not just the member."""


@dataclass(frozen=True, slots=True)
class SpecStamp:
    """The spec a run was made of (the task's metadata)."""

    title: str
    version: str
    date: str
    digest: str
    records: int | None
    grader: str | None


@dataclass(frozen=True, slots=True)
class LogSample:
    """One sample of one epoch: its verdict, or why it has none."""

    id: str
    epoch: int
    record_id: str
    digest: str | None
    kind: str | None
    verdict: str | None  # one of VERDICTS; None when errored or unscored
    reason: str
    grader: str | None
    error: str | None


@dataclass(frozen=True, slots=True)
class EvalLog:
    path: str  # as given on the command line
    model: str
    created: str  # ISO date and time the run started
    status: str  # inspect's: "success", "error", "cancelled", "started"
    task: str
    spec: SpecStamp | None  # None: not a run of a specgen task
    samples: tuple[LogSample, ...]


def read_log(path: Path) -> tuple[EvalLog | None, list[LogProblem]]:
    """The log at ``path`` and what in it could not be read; None when nothing could."""
    problems: list[LogProblem] = []
    try:
        if path.suffix == ".json":
            log = _read_json_log(path, problems)
        else:
            log = _read_eval_log(path, problems)
    except UnreadableLog as exc:
        return None, [LogProblem(codes.UNREADABLE_LOG, exc.message)]
    except OSError as exc:
        return None, [LogProblem(codes.UNREADABLE_LOG, f"cannot be read: {exc.strerror or exc}")]
    return log, problems


# -- .json -------------------------------------------------------------------------------


def _read_json_log(path: Path, problems: list[LogProblem]) -> EvalLog:
    with path.open("rb") as file:
        data = file.read(MAX_JSON_LOG_BYTES + 1)
    if len(data) > MAX_JSON_LOG_BYTES:
        raise UnreadableLog(f"is larger than {_amount(MAX_JSON_LOG_BYTES)}: not read")
    log = _parse(data, "the log")
    if not isinstance(log, dict):
        raise UnreadableLog("is not an inspect log (a JSON object with 'eval')")
    samples = log.get("samples")
    if samples is None:
        samples = []
    if not isinstance(samples, list):
        raise UnreadableLog("has 'samples' that is not a list")
    return _log(str(path), log, iter(samples), problems)


# -- .eval (a zip) -----------------------------------------------------------------------


def _read_eval_log(path: Path, problems: list[LogProblem]) -> EvalLog:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise UnreadableLog(f"is not an inspect .eval log (not a zip: {exc})") from exc
    with archive:
        reader = _ZipReader(path, archive)
        header = reader.json("header.json")
        if not isinstance(header, dict):
            raise UnreadableLog("has no header.json object: not an inspect .eval log")
        names = [n for n in archive.namelist() if n.startswith("samples/") and n.endswith(".json")]
        if len(names) > MAX_SAMPLES:
            raise UnreadableLog(f"has more than {MAX_SAMPLES} samples: not read")
        return _log(str(path), header, reader.samples(names, problems), problems)


class _ZipReader:
    """Members of a .eval read with caps on their uncompressed size."""

    def __init__(self, path: Path, archive: zipfile.ZipFile) -> None:
        self.path = path
        self.archive = archive
        self.total = 0

    def json(self, name: str) -> Any:
        try:
            info = self.archive.getinfo(name)
        except KeyError:
            raise UnreadableLog(f"has no {name}: not an inspect .eval log") from None
        return _parse(self.read(info), name)

    def samples(self, names: list[str], problems: list[LogProblem]) -> Iterator[Any]:
        for name in names:
            try:
                yield _parse(self.read(self.archive.getinfo(name)), name)
            except TooLarge:
                raise
            except UnreadableLog as exc:
                problems.append(LogProblem(codes.BAD_SAMPLE, f"{exc.message}: sample not read"))

    def read(self, info: zipfile.ZipInfo) -> bytes:
        if info.file_size > MAX_MEMBER_BYTES:
            raise TooLarge(_too_big(info.filename))
        if info.compress_type == _ZSTD:
            data = _zstd(self._raw(info), info.filename)
        else:
            try:
                with self.archive.open(info) as member:
                    data = member.read(MAX_MEMBER_BYTES + 1)  # the header's size may lie
            except NotImplementedError as exc:
                raise UnreadableLog(
                    f"{info.filename} is compressed in a way not read here"
                ) from exc
            except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
                raise UnreadableLog(f"{info.filename} is damaged ({exc})") from exc
        if len(data) > MAX_MEMBER_BYTES:
            raise TooLarge(_too_big(info.filename))
        self.total += len(data)
        if self.total > MAX_TOTAL_BYTES:
            raise TooLarge(f"holds more than {_amount(MAX_TOTAL_BYTES)}: not read")
        return data

    def _raw(self, info: zipfile.ZipInfo) -> bytes:
        """A member's compressed bytes, read past its local header (stdlib zipfile
        before Python 3.14 refuses to open a zstd member at all)."""
        if info.compress_size > MAX_MEMBER_BYTES:
            raise TooLarge(_too_big(info.filename))
        try:
            with self.path.open("rb") as file:
                file.seek(info.header_offset)
                fields = _LOCAL_HEADER.unpack(file.read(_LOCAL_HEADER.size))
                if fields[0] != b"PK\x03\x04":
                    raise UnreadableLog(f"{info.filename} is damaged (bad local header)")
                file.seek(fields[-2] + fields[-1], io.SEEK_CUR)  # name and extra field
                raw = file.read(info.compress_size)
        except struct.error as exc:
            raise UnreadableLog(f"{info.filename} is damaged (truncated)") from exc
        if len(raw) != info.compress_size:
            raise UnreadableLog(f"{info.filename} is damaged (truncated)")
        return raw


def _too_big(name: str) -> str:
    return f"is larger than allowed: {name} holds more than {_amount(MAX_MEMBER_BYTES)}"


def _amount(size: int) -> str:
    return f"{size // 2**20} MB" if size >= 2**20 else f"{size} bytes"


def _zstd(raw: bytes, name: str) -> bytes:
    """``raw`` decompressed, at most MAX_MEMBER_BYTES + 1 bytes of it (a bomb stops there)."""
    try:
        from compression import zstd  # type: ignore[import-not-found, unused-ignore]  # 3.14+

        try:
            stream = zstd.ZstdFile(io.BytesIO(raw))
            return bytes(stream.read(MAX_MEMBER_BYTES + 1))
        except zstd.ZstdError as exc:
            raise UnreadableLog(f"{name} is damaged ({exc})") from exc
    except ImportError:
        pass
    try:
        import zstandard  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        raise UnreadableLog(
            "is compressed with zstd, which this Python cannot read: install specgen's "
            "eval extra (pip install 'specgen[eval]', for the zstandard package), or "
            "convert it with `inspect log convert --to json`"
        ) from None
    try:
        reader = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(raw))
        return bytes(reader.read(MAX_MEMBER_BYTES + 1))
    except zstandard.ZstdError as exc:
        raise UnreadableLog(f"{name} is damaged ({exc})") from exc


def _parse(data: bytes, name: str) -> Any:
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise UnreadableLog(f"{name} is not valid JSON ({_short(str(exc))})") from exc


# -- the log's content, checked field by field ----------------------------------------------


def _log(
    path: str, header: dict[str, Any], samples: Iterator[Any], problems: list[LogProblem]
) -> EvalLog:
    spec_eval = header.get("eval")
    if not isinstance(spec_eval, dict):
        raise UnreadableLog("has no 'eval' object: not an inspect log")
    read: list[LogSample] = []
    for sample in samples:
        if len(read) >= MAX_SAMPLES:
            raise UnreadableLog(f"has more than {MAX_SAMPLES} samples: not read")
        one = _sample(sample, problems)
        if one is not None:
            read.append(one)
    return EvalLog(
        path=path,
        model=_text(spec_eval.get("model")) or "unknown model",
        created=_text(spec_eval.get("created")),
        status=_text(header.get("status")) or "unknown",
        task=_text(spec_eval.get("task")),
        spec=_stamp(spec_eval.get("metadata")),
        samples=tuple(sorted(read, key=lambda s: (s.record_id, s.epoch))),
    )


def _stamp(metadata: object) -> SpecStamp | None:
    meta = metadata.get("specgen") if isinstance(metadata, dict) else None
    if not isinstance(meta, dict):
        return None
    records = meta.get("records")
    return SpecStamp(
        title=_text(meta.get("spec_title")),
        version=_text(meta.get("spec_version")),
        date=_text(meta.get("spec_date")),
        digest=_text(meta.get("spec_digest")),
        records=records if isinstance(records, int) and not isinstance(records, bool) else None,
        grader=_text(meta.get("grader")) or None,
    )


def _sample(sample: object, problems: list[LogProblem]) -> LogSample | None:
    if not isinstance(sample, dict):
        problems.append(LogProblem(codes.BAD_SAMPLE, "a sample is not a JSON object: not read"))
        return None
    sample_id = sample.get("id")
    if not isinstance(sample_id, (str, int)) or isinstance(sample_id, bool):
        problems.append(LogProblem(codes.BAD_SAMPLE, "a sample has no id: not read"))
        return None
    epoch = sample.get("epoch", 1)
    if not isinstance(epoch, int) or isinstance(epoch, bool):
        epoch = 1
    metadata = sample.get("metadata")
    meta: Mapping[str, object] = metadata if isinstance(metadata, dict) else {}
    record_id = _text(meta.get("record_id")) or str(sample_id)
    verdict, reason, grader, bad = _score(sample.get("scores"))
    error = _error(sample.get("error"))
    if bad is not None and error is None:
        error = bad
    if verdict is None and error is None:
        error = f"it has no {SCORER} score"
    return LogSample(
        id=str(sample_id),
        epoch=epoch,
        record_id=record_id,
        digest=_text(meta.get("digest")) or None,
        kind=_text(meta.get("kind")) or None,
        verdict=None if error is not None else verdict,
        reason=reason,
        grader=grader,
        error=error,
    )


def _score(scores: object) -> tuple[str | None, str, str | None, str | None]:
    """The verdict, reason and grader of the sample's spec_compliance score; the last
    item says why a score that is there cannot be read (then it is no verdict)."""
    if not isinstance(scores, dict) or SCORER not in scores:
        return None, "", None, None
    score = scores[SCORER]
    if not isinstance(score, dict):
        return None, "", None, "its score is not an object"
    metadata = score.get("metadata")
    meta: Mapping[str, object] = metadata if isinstance(metadata, dict) else {}
    verdict = meta.get("verdict")
    value = score.get("value")
    if verdict not in VERDICTS:
        verdict = _VALUE_VERDICTS.get(value) if isinstance(value, str) else None
    reason = _text(score.get("explanation"))[:_TEXT_LIMIT]
    grader = _text(meta.get("grader")) or None
    if verdict is None:
        return None, reason, grader, f"its score {_short(repr(value))} is no verdict"
    return str(verdict), reason, grader, None


def _error(error: object) -> str | None:
    if error is None or error == "":
        return None
    if isinstance(error, dict):
        return _text(error.get("message"))[:_TEXT_LIMIT] or "error"
    return _text(error)[:_TEXT_LIMIT] or "error"


def _text(value: object) -> str:
    """A string field as text; anything else (a number, a list, null) is no text."""
    return value if isinstance(value, str) else ""


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
