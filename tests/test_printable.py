"""Control characters from a spec never reach the terminal raw, in any lint format."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from specgen.diagnostics import Diagnostic
from specgen.lint.output import FORMATS, format_report
from specgen.lint.runner import LintReport, lint
from specgen.model import Location
from specgen.printable import escape_controls, escape_json
from specgen.project import ProjectConfig
from specgen.sources import load
from tests.cli_helpers import run_cli

BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _unsafe(text: str) -> list[str]:
    """Characters a terminal would act on: controls but the newline, bidi controls."""
    return [
        f"U+{ord(c):04X}"
        for c in text
        if (unicodedata.category(c) == "Cc" and c != "\n") or c in BIDI or c in "\u2028\u2029"
    ]


def _without_own_colours(out: str) -> str:
    """``out`` without the colours output.py paints with (its own, and fine)."""
    for code in ("\x1b[0m", "\x1b[1m", "\x1b[1;31m", "\x1b[1;33m", "\x1b[1;34m"):
        out = out.replace(code, "")
    return out


def test_escape_controls() -> None:
    text = "a\x1b[31m\tb\r\n\x07\x00\x7f\x85\x9b\u2028\u202e\u2066 é 名 \u200b"
    assert escape_controls(text) == (
        "a\\x1b[31m\\tb\\r\\n\\x07\\x00\\x7f\\x85\\x9b\\u2028\\u202e\\u2066 é 名 \u200b"
    )
    assert escape_controls("x\r\ny\x1b", keep="\r\n") == "x\r\ny\\x1b"
    assert escape_controls("plain text, café") == "plain text, café"


def test_escape_json_keeps_the_value() -> None:
    value = {"m": "a\x1b\x7f\x85\x9b\u2028\u202e\u2069 é\n"}
    dumped = escape_json(json.dumps(value, indent=2, ensure_ascii=False))
    assert _unsafe(dumped) == [] and json.loads(dumped) == value
    assert "\\u009b" in dumped and "\\u202e" in dumped and "é" in dumped


# -- a hostile spec, in every format ----------------------------------------------------

HOSTILE = (
    "---\n"
    'id: "evil\\e[2J\\r\\a\\x9b\\u202eid"\n'
    'title: "Title \\e]0;pwned\\a \\x9b31m \\u202e"\n'
    'authority: "\\e[31mred\\e[0m\\r\\a\\x9b\\u202e"\n'
    "---\n"
    "Text.\n"
)
# YAML itself refuses a raw ESC; a raw bidi override it reads.
RAW_ESC = "---\nid: raw_esc\ntitle: Raw\nauthority: \x1b[31mred\n---\nText.\n"
RAW_BIDI = "---\nid: raw_bidi\ntitle: Raw\nauthority: \u202eresu\n---\nText.\n"
ODD_NAME = "30-\x1b[31m\u202ename.md"


@pytest.fixture
def report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> LintReport:
    monkeypatch.chdir(tmp_path)
    spec = tmp_path / "spec"
    spec.mkdir()
    (spec / "10-hostile.md").write_text(HOSTILE, "utf-8")
    (spec / "20-raw-esc.md").write_text(RAW_ESC, "utf-8")
    (spec / "25-raw-bidi.md").write_text(RAW_BIDI, "utf-8")
    (spec / ODD_NAME).write_text(RAW_BIDI.replace("raw_bidi", "odd"), "utf-8")
    return lint(load(Path("spec"), ProjectConfig()))


def test_the_hostile_spec_gives_findings_that_quote_it(report: LintReport) -> None:
    found = {(Path(d.loc.path).name, d.code) for d in report.diagnostics}
    assert {
        ("10-hostile.md", "SG204"),  # unknown authority, quoted
        ("10-hostile.md", "SG212"),  # unsafe id, quoted
        ("20-raw-esc.md", "SG101"),  # unacceptable character
        ("25-raw-bidi.md", "SG204"),
        (ODD_NAME, "SG204"),
    } <= found
    quoted = " ".join(d.message for d in report.diagnostics)
    assert "\x1b" in quoted and "\x9b" in quoted and "\u202e" in quoted


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("color", [False, True])
def test_no_raw_control_character_in_any_format(report: LintReport, fmt: str, color: bool) -> None:
    out = _without_own_colours(format_report(report, fmt, color=color))
    assert _unsafe(out) == []
    if fmt in ("json", "sarif"):
        assert "\\u001b[31mred\\u001b[0m\\r\\u0007\\u009b\\u202e" in out
        assert json.loads(out)  # still JSON
    elif fmt == "github":  # line breaks are the workflow command's to escape
        assert "\\x1b[31mred\\x1b[0m%0D\\x07\\x9b\\u202e" in out
    else:
        assert "\\x1b[31mred\\x1b[0m\\r\\x07\\x9b\\u202e" in out
        assert "30-\\x1b[31m\\u202ename.md" in out


def test_statistics_have_no_raw_control_character(report: LintReport) -> None:
    for fmt in ("full", "concise", "json"):
        assert _unsafe(format_report(report, fmt, color=False, statistics=True)) == []


def test_full_quotes_the_line_escaped(report: LintReport) -> None:
    out = format_report(report, "full", color=False)
    assert "4 | authority: \\x1b[31mred" in out  # the raw ESC, as the reader refused it
    assert "4 | authority: \\u202eresu" in out


def test_cli_output_has_no_raw_control_character(report: LintReport) -> None:
    for fmt in ("full", "concise", "github"):
        code, out = run_cli("lint", "spec", "--format", fmt, "--color")
        assert code == 1 and "\\x1b[31mred" in out
        assert _unsafe(_without_own_colours(out)) == []


# -- the caret still lines up -----------------------------------------------------------


def _caret_under(text: str, column: int, end_column: int | None = None) -> tuple[str, str]:
    """What the full format shows at the caret for a finding at ``column`` of ``text``."""
    diag = Diagnostic("SG204", "m", Location("a.md", 1, column), end_column=end_column)
    lines = format_report(LintReport([diag], 0, {"a.md": text}), "full", color=False).split("\n")
    source, caret = lines[2], lines[3]
    start = caret.index("^")
    return source[start : len(caret)], source


@pytest.mark.parametrize("control", ["\x1b", "\x07", "\x9b", "\x7f", "\u202e", "\u2066"])
def test_caret_lines_up_after_control_characters(control: str) -> None:
    text = f"a: {control}{control}x{control}y\n"
    under, source = _caret_under(text, 6)  # the "x"
    assert under == "x" and escape_controls(control) * 2 in source
    under, _ = _caret_under(text, 7, 9)  # the control and the "y"
    assert under == escape_controls(control) + "y"


def test_caret_lines_up_in_a_cut_long_line() -> None:
    text = "\x1b" * 60 + "target" + "\u202e" * 60 + "\n"
    under, source = _caret_under(text, 61, 67)
    assert under == "target" and source.startswith("1 | \u2026") and _unsafe(source) == []
