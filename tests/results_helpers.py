"""Logs for the results tests: helper B's scripted `specgen eval` run of the sample spec
(tests/eval_helpers.py: mockllm answering and grading, no network), and hand-made logs
(for hostile input: a zip specgen's reader must refuse without a traceback)."""

from __future__ import annotations

import json
import struct
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
_VERDICT_WORDS = {"violation": "violation", "minor issues": "minor_issues"}


def scripted_logs(folder: Path) -> tuple[Path, Path]:
    """The scripted run, once as a .eval log and once as a .json log."""
    from tests.eval_helpers import scripted_run

    eval_log = scripted_run(folder / "eval")
    json_log = scripted_run(folder / "json", log_format="json")
    return Path(eval_log.log_path), Path(json_log.log_path)


def scripted_verdicts() -> tuple[dict[str, str], set[str]]:
    """What the scripted grader says per record id (the others: compliant), and the
    ids whose reply holds no verdict (they end in an error)."""
    from tests.eval_helpers import SCRIPTED_GRADES

    verdicts: dict[str, str] = {}
    unreadable: set[str] = set()
    for record_id, reply in SCRIPTED_GRADES.items():
        first = reply.split("\n")[0].lower()
        word = next((v for k, v in _VERDICT_WORDS.items() if k in first), None)
        if word is None:
            unreadable.add(record_id)
        else:
            verdicts[record_id] = word
    return verdicts, unreadable


def expected_counts(record_ids: list[str]) -> Counter[str]:
    """The scripted verdicts counted over ``record_ids``."""
    verdicts, unreadable = scripted_verdicts()
    return Counter(verdicts.get(r, "compliant") for r in record_ids if r not in unreadable)


def json_log_data(json_log: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(json_log.read_text("utf-8"))
    return data


def write_eval_zip(path: Path, members: dict[str, bytes]) -> Path:
    """A .eval-shaped zip (deflate, as inspect wrote before zstd) with ``members``."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def eval_members(json_log: Path) -> dict[str, bytes]:
    """The members of a .eval holding the run of ``json_log``."""
    data = json_log_data(json_log)
    samples = data.pop("samples")
    members = {"header.json": json.dumps(data).encode()}
    for sample in samples:
        name = f"samples/{sample['id']}_epoch_{sample['epoch']}.json"
        members[name] = json.dumps(sample).encode()
    return members


def lying_zstd_zip(path: Path, name: str, raw: bytes, declared: int) -> Path:
    """A zip whose member ``name`` holds ``raw`` zstd bytes (method 93) and claims to
    hold ``declared`` bytes uncompressed: a bomb whose header lies."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
        if name != "header.json":
            archive.writestr("header.json", b"{}")
        archive.writestr(name, raw)
    data = bytearray(path.read_bytes())
    encoded = name.encode()
    for signature, method_at, size_at, name_at in (
        (b"PK\x03\x04", 8, 22, 30),
        (b"PK\x01\x02", 10, 24, 46),
    ):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            if data[start + name_at : start + name_at + len(encoded)] == encoded:
                struct.pack_into("<H", data, start + method_at, 93)
                struct.pack_into("<I", data, start + size_at, declared)
            start += 4
    path.write_bytes(bytes(data))
    return path
