"""Golden outputs of the reviewer's fixture pairs (tests/fixtures/diff_review/<case>/old
and new), in all three formats: what `specgen diff old new` prints, checked by hand
once and compared byte for byte since.

The HTML is compared from <body> on (the inline stylesheet is specgen.css, tested
elsewhere). After an intended change of output, regenerate with
``SPECGEN_UPDATE_GOLDEN=1 pytest tests/test_diff_golden.py`` and read the new files
before committing them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.cli_helpers import run_cli_split

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "fixtures" / "diff_review"
FORMATS = {"markdown": "expected.md", "json": "expected.json", "html": "expected.html"}


def _output(case: str, fmt: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(ROOT)  # paths in the output are relative to the repository
    rel = CASES.relative_to(ROOT) / case
    code, out, err = run_cli_split("diff", str(rel / "old"), str(rel / "new"), "--format", fmt)
    assert code == 0, err
    if fmt == "html":
        out = out[out.index("<body") :]
    return out


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_output_is_the_golden_one(case: str, fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    got = _output(case, fmt, monkeypatch)
    golden = CASES / case / FORMATS[fmt]
    if os.environ.get("SPECGEN_UPDATE_GOLDEN"):
        golden.write_text(got, "utf-8")
    assert golden.is_file(), f"no golden output {golden}: run with SPECGEN_UPDATE_GOLDEN=1"
    assert got == golden.read_text("utf-8")
