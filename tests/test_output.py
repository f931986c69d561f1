"""specgen.lint.output: every format, on reports from really linting a small spec."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from specgen import __version__
from specgen.diagnostics import Diagnostic, Severity
from specgen.lint.output import format_report
from specgen.lint.registry import RULES
from specgen.lint.runner import LintReport, lint
from specgen.model import Location
from specgen.project import ProjectConfig
from specgen.sources import load

INTRO = (
    "---\n"
    "id: intro\n"
    "title: Intro\n"
    "colour: blue\n"
    "authority: system\n"
    "---\n"
    "See\t[the rules](#nowhere) for more.\n"
    "\n"
    "<!-- specgen-disable-next-line SG201 -->\n"
    "Also [elsewhere](#missing).\n"
    "\n"
    "<!-- specgen-disable-next-line SG202 -->\n"
    "Plain text.\n"
)
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _lint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str = INTRO) -> LintReport:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "intro.md").write_text(text, "utf-8")
    return lint(load(Path("intro.md"), ProjectConfig()))


@pytest.fixture
def report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> LintReport:
    return _lint(tmp_path, monkeypatch)


def _report(*diags: Diagnostic, texts: dict[str, str] | None = None) -> LintReport:
    return LintReport(list(diags), 0, texts or {})


def test_the_spec_gives_the_findings_the_tests_rely_on(report: LintReport) -> None:
    found = [(d.code, d.loc.line, d.loc.column, d.severity) for d in report.diagnostics]
    assert found == [
        ("SG102", 4, 1, Severity.ERROR),
        ("SG201", 7, 5, Severity.ERROR),
        ("SG901", 12, 1, Severity.WARNING),
    ]
    assert report.suppressed == 1


# -- full -------------------------------------------------------------------------------


def test_full_shows_the_line_and_a_caret_under_the_column(report: LintReport) -> None:
    out = format_report(report, "full", color=False)
    lines = out.splitlines()
    start = lines.index("intro.md:7:5: SG201 [error] reference to unknown section 'nowhere'")
    # The tab after "See" expands to column 4, so "[" is the fifth cell.
    assert lines[start + 1 : start + 5] == [
        "  |",
        "7 | See [the rules](#nowhere) for more.",
        "  |     ^",
        "  |",
    ]
    caret_line, source_line = lines[start + 3], lines[start + 2]
    assert source_line[caret_line.index("^")] == "["
    assert "intro.md:4:1: SG102 [error] unknown key 'colour'" in lines
    assert lines[lines.index("4 | colour: blue") + 1] == "  | ^"


def test_full_ends_with_a_summary_counting_severities_and_suppressed(report: LintReport) -> None:
    out = format_report(report, "full", color=False)
    assert out.endswith("\nFound 2 errors and 1 warning (1 suppressed).\n")
    warning = report.diagnostics[2]
    assert f"{warning.loc}: {warning.code} [warning] {warning.message}" in out


def test_full_without_color_has_no_escape_codes(report: LintReport) -> None:
    assert "\x1b" not in format_report(report, "full", color=False)


def test_full_with_color_colours_path_code_and_caret(report: LintReport) -> None:
    out = format_report(report, "full", color=True)
    assert "\x1b[1mintro.md\x1b[0m:7:5: \x1b[1;31mSG201\x1b[0m [error]" in out
    assert "\x1b[1;33m" + report.diagnostics[2].code in out  # warning: yellow
    assert "\x1b[1;31m^\x1b[0m" in out
    assert ANSI.sub("", out) == format_report(report, "full", color=False)


def test_full_caret_spans_to_end_column() -> None:
    text = "title: héllo wörld\n"
    diag = Diagnostic("SG105", "bad", Location("a.md", 1, 8), Severity.ERROR, end_column=13)
    lines = format_report(_report(diag, texts={"a.md": text}), "full", color=False).splitlines()
    assert lines[2:4] == ["1 | title: héllo wörld", "  |        ^^^^^"]


def test_full_caret_counts_wide_characters_as_two_cells() -> None:
    text = "名前: [x](#nope)\n"
    diag = Diagnostic("SG201", "dangling", Location("a.md", 1, 5), end_column=8)
    lines = format_report(_report(diag, texts={"a.md": text}), "full", color=False).splitlines()
    assert lines[3] == "  |       ^^^"


def test_full_clamps_columns_past_the_end_of_the_line() -> None:
    diag = Diagnostic("SG104", "missing", Location("a.md", 2, 40), end_column=99)
    texts = {"a.md": "---\nid: x\n---\n"}
    lines = format_report(_report(diag, texts=texts), "full", color=False).splitlines()
    assert lines[2:4] == ["2 | id: x", "  |      ^"]


def test_full_tab_before_the_column_and_inside_the_span() -> None:
    text = "\ta\tb\n"
    diag = Diagnostic("SG101", "x", Location("a.md", 1, 2), end_column=5)
    lines = format_report(_report(diag, texts={"a.md": text}), "full", color=False).splitlines()
    assert lines[2:4] == ["1 |     a   b", "  |     ^^^^^"]


def test_full_cuts_a_long_line_to_a_window_around_the_caret() -> None:
    text = "a" * 200 + "[x](#nope)" + "b" * 100 + "\n"
    diag = Diagnostic("SG201", "m", Location("a.md", 1, 201), end_column=211)
    lines = format_report(_report(diag, texts={"a.md": text}), "full", color=False).splitlines()
    assert lines[2] == "1 | \u2026" + "a" * 40 + "[x](#nope)" + "b" * 50 + "\u2026"
    assert lines[3] == "  | " + " " * 41 + "^" * 10
    assert lines[2][lines[3].index("^")] == "["


def test_full_long_line_with_caret_near_the_start_is_cut_at_the_end_only() -> None:
    text = "x" * 150 + "\n"
    diag = Diagnostic("SG201", "m", Location("a.md", 1, 3))
    lines = format_report(_report(diag, texts={"a.md": text}), "full", color=False).splitlines()
    assert lines[2] == "1 | " + "x" * 100 + "\u2026"
    assert lines[3] == "  |   ^"


def test_full_without_source_or_with_line_out_of_range_prints_header_only() -> None:
    far = Diagnostic("SG201", "far", Location("a.md", 9, 1))
    unknown = Diagnostic("SG201", "gone", Location("b.md", 1, 1))
    out = format_report(_report(far, unknown, texts={"a.md": "one\n"}), "full", color=False)
    assert out == (
        "a.md:9:1: SG201 [error] far\n\nb.md:1:1: SG201 [error] gone\n\nFound 2 errors.\n"
    )


def test_full_gutter_widens_with_the_line_number() -> None:
    text = "x\n" * 11 + "here\n"
    diag = Diagnostic("SG201", "m", Location("a.md", 12, 2))
    lines = format_report(_report(diag, texts={"a.md": text}), "full", color=False).splitlines()
    assert lines[1:5] == ["   |", "12 | here", "   |  ^", "   |"]


def test_empty_report_passes() -> None:
    assert format_report(_report(), "full", color=False) == "All checks passed.\n"
    assert format_report(_report(), "concise", color=True) == "All checks passed.\n"
    suppressed = LintReport([], 2, {})
    assert format_report(suppressed, "full", color=False) == "All checks passed (2 suppressed).\n"


def test_summary_lists_infos() -> None:
    diags = [
        Diagnostic("SG201", "a", Location("a.md", 1, 1), Severity.ERROR),
        Diagnostic("SG206", "b", Location("a.md", 2, 1), Severity.WARNING),
        Diagnostic("SG206", "c", Location("a.md", 3, 1), Severity.WARNING),
        Diagnostic("SG205", "d", Location("a.md", 4, 1), Severity.INFO),
    ]
    out = format_report(_report(*diags), "concise", color=False)
    assert out.endswith("\nFound 1 error, 2 warnings and 1 info.\n")


# -- concise ----------------------------------------------------------------------------


def test_concise_is_one_line_per_finding(report: LintReport) -> None:
    lines = format_report(report, "concise", color=False).splitlines()
    warning = report.diagnostics[2]
    assert lines == [
        "intro.md:4:1: SG102 unknown key 'colour'",
        "intro.md:7:5: SG201 reference to unknown section 'nowhere'",
        f"intro.md:{warning.loc.line}:{warning.loc.column}: {warning.code} {warning.message}",
        "Found 2 errors and 1 warning (1 suppressed).",
    ]
    for line in lines[:-1]:
        assert re.fullmatch(r"[^:]+:\d+:\d+: SG\d{3} .+", line)


def test_concise_colours_only_the_code(report: LintReport) -> None:
    out = format_report(report, "concise", color=True)
    first = out.splitlines()[0]
    assert first == "intro.md:4:1: \x1b[1;31mSG102\x1b[0m unknown key 'colour'"
    assert ANSI.sub("", out) == format_report(report, "concise", color=False)


def test_concise_keeps_a_multiline_message_on_one_line() -> None:
    diag = Diagnostic("SG201", "first\nsecond\r\nthird", Location("a.md", 1, 1))
    out = format_report(_report(diag), "concise", color=False)
    assert out.splitlines()[0] == "a.md:1:1: SG201 first second third"


# -- json -------------------------------------------------------------------------------


def test_json_lists_every_finding_with_its_fields(report: LintReport) -> None:
    out = format_report(report, "json", color=True)
    assert "\x1b" not in out and out.endswith("]\n")
    data = json.loads(out)
    assert [d["code"] for d in data] == [d.code for d in report.diagnostics]
    assert data[1] == {
        "code": "SG201",
        "name": "dangling-reference",
        "severity": "error",
        "message": "reference to unknown section 'nowhere'",
        "path": "intro.md",
        "line": 7,
        "column": 5,
        "end_column": None,
    }
    assert data[2]["severity"] == "warning"
    assert out.startswith('[\n  {\n    "code": "SG102",\n')


def test_json_empty_report_is_an_empty_array() -> None:
    assert format_report(_report(), "json", color=False) == "[]\n"


# -- sarif ------------------------------------------------------------------------------

SARIF_SUBSET: dict[str, Any] = {
    "type": "object",
    "required": ["version", "$schema", "runs"],
    "properties": {
        "version": {"const": "2.1.0"},
        "$schema": {"type": "string"},
        "runs": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["tool", "results"],
                "properties": {
                    "tool": {
                        "type": "object",
                        "required": ["driver"],
                        "properties": {
                            "driver": {
                                "type": "object",
                                "required": ["name"],
                                "properties": {
                                    "name": {"type": "string"},
                                    "version": {"type": "string"},
                                    "informationUri": {"type": "string", "format": "uri"},
                                    "rules": {"type": "array", "items": {"$ref": "#/$defs/rule"}},
                                },
                            }
                        },
                    },
                    "columnKind": {"enum": ["utf16CodeUnits", "unicodeCodePoints"]},
                    "results": {"type": "array", "items": {"$ref": "#/$defs/result"}},
                },
            },
        },
    },
    "$defs": {
        "message": {
            "type": "object",
            "required": ["text"],
            "properties": {"text": {"type": "string"}, "markdown": {"type": "string"}},
        },
        "rule": {
            "type": "object",
            "required": ["id"],
            "properties": {
                "id": {"type": "string"},
                "name": {"type": "string"},
                "shortDescription": {"$ref": "#/$defs/message"},
                "fullDescription": {"$ref": "#/$defs/message"},
                "help": {"$ref": "#/$defs/message"},
                "defaultConfiguration": {
                    "type": "object",
                    "properties": {"level": {"enum": ["none", "note", "warning", "error"]}},
                },
            },
        },
        "result": {
            "type": "object",
            "required": ["message"],
            "properties": {
                "ruleId": {"type": "string"},
                "ruleIndex": {"type": "integer", "minimum": -1},
                "level": {"enum": ["none", "note", "warning", "error"]},
                "message": {"$ref": "#/$defs/message"},
                "locations": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "physicalLocation": {
                                "type": "object",
                                "properties": {
                                    "artifactLocation": {
                                        "type": "object",
                                        "properties": {"uri": {"type": "string"}},
                                    },
                                    "region": {
                                        "type": "object",
                                        "properties": {
                                            "startLine": {"type": "integer", "minimum": 1},
                                            "startColumn": {"type": "integer", "minimum": 1},
                                            "endColumn": {"type": "integer", "minimum": 1},
                                        },
                                    },
                                },
                            }
                        },
                    },
                },
            },
        },
    },
}


def test_sarif_has_the_essential_structure(report: LintReport) -> None:
    log = json.loads(format_report(report, "sarif", color=True))
    assert log["version"] == "2.1.0"
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "specgen" and driver["version"] == __version__
    codes = sorted({d.code for d in report.diagnostics})
    assert [r["id"] for r in driver["rules"]] == codes
    rule201 = driver["rules"][codes.index("SG201")]
    assert rule201["name"] == "dangling-reference"
    assert rule201["shortDescription"]["text"] == RULES["SG201"].summary
    assert rule201["fullDescription"]["text"] == RULES["SG201"].doc
    assert rule201["help"]["text"] == RULES["SG201"].doc
    assert rule201["defaultConfiguration"]["level"] == "error"
    results = run["results"]
    assert len(results) == len(report.diagnostics)
    for result, diag in zip(results, report.diagnostics, strict=True):
        assert result["ruleId"] == diag.code
        assert driver["rules"][result["ruleIndex"]]["id"] == diag.code
        assert result["message"]["text"] == diag.message
    assert results[2]["level"] == "warning"
    assert results[1]["locations"] == [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": "intro.md"},
                "region": {"startLine": 7, "startColumn": 5},
            }
        }
    ]


def test_sarif_validates_against_a_schema_subset(report: LintReport) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    extra = Diagnostic("SG999", "hand-made", Location("sub/x.md", 1, 2), Severity.INFO, 4)
    for rep in (report, _report(), _report(extra)):
        jsonschema.validate(json.loads(format_report(rep, "sarif", color=False)), SARIF_SUBSET)


def test_sarif_levels_end_column_and_uris() -> None:
    diags = [
        Diagnostic("SG201", "a", Location("sub dir\\x.md", 3, 2), Severity.INFO, end_column=6),
        Diagnostic("SG999", "b", Location("/abs/y.md", 1, 1), Severity.WARNING),
    ]
    run = json.loads(format_report(_report(*diags), "sarif", color=False))["runs"][0]
    first, second = run["results"]
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "sub%20dir/x.md"
    assert location["region"] == {"startLine": 3, "startColumn": 2, "endColumn": 6}
    assert first["level"] == "note" and second["level"] == "warning"
    assert second["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "file:///abs/y.md"
    )
    assert run["tool"]["driver"]["rules"][1] == {"id": "SG999"}


# -- github -----------------------------------------------------------------------------


def test_github_one_command_per_finding(report: LintReport) -> None:
    lines = format_report(report, "github", color=True).splitlines()
    warning = report.diagnostics[2]
    assert lines[:2] == [
        "::error file=intro.md,line=4,col=1,title=SG102 (unknown-key)::unknown key 'colour'",
        "::error file=intro.md,line=7,col=5,title=SG201 (dangling-reference)"
        "::reference to unknown section 'nowhere'",
    ]
    assert lines[2].startswith(f"::warning file=intro.md,line={warning.loc.line},")
    assert len(lines) == 3


def test_github_escapes_messages_and_properties() -> None:
    diag = Diagnostic("SG201", "a, b: 100%\r\nnext", Location("dir,1/a:b.md", 2, 3), Severity.INFO)
    out = format_report(_report(diag), "github", color=False)
    assert out == (
        "::notice file=dir%2C1/a%3Ab.md,line=2,col=3,title=SG201 (dangling-reference)"
        "::a, b: 100%25%0D%0Anext\n"
    )


def test_github_empty_report_prints_nothing() -> None:
    assert format_report(_report(), "github", color=False) == ""


# -- statistics -------------------------------------------------------------------------


def _statistics_report() -> LintReport:
    loc = Location("a.md", 1, 1)
    diags = [
        Diagnostic("SG102", "x", loc),
        *(Diagnostic("SG201", "y", loc) for _ in range(12)),
        Diagnostic("SG206", "z", loc, Severity.WARNING),
        Diagnostic("SG206", "z", loc, Severity.WARNING),
    ]
    return LintReport(diags, 0, {})


def test_statistics_table_sorted_by_count() -> None:
    out = format_report(_statistics_report(), "full", color=False, statistics=True)
    r102, r201, r206 = RULES["SG102"], RULES["SG201"], RULES["SG206"]
    width = max(len(r.name) for r in (r102, r201, r206))
    assert out.splitlines() == [
        f"  12  SG201  {r201.name:<{width}}  {r201.summary}",
        f"   2  SG206  {r206.name:<{width}}  {r206.summary}",
        f"   1  SG102  {r102.name:<{width}}  {r102.summary}",
        "Found 13 errors and 2 warnings.",
    ]
    assert format_report(_statistics_report(), "concise", color=False, statistics=True) == out


def test_statistics_on_a_linted_spec(report: LintReport) -> None:
    out = format_report(report, "concise", color=False, statistics=True)
    rows = out.splitlines()[:-1]
    assert [row.split()[:2] for row in rows] == [[str(n), code] for code, n in report.statistics()]
    assert all(re.match(r"  1  SG\d{3}  [a-z-]+ +\S", row) for row in rows)


def test_statistics_with_color_keeps_columns_aligned() -> None:
    colored = format_report(_statistics_report(), "full", color=True, statistics=True)
    assert "\x1b[1;33mSG206\x1b[0m" in colored
    plain = format_report(_statistics_report(), "full", color=False, statistics=True)
    assert ANSI.sub("", colored) == plain


def test_statistics_json() -> None:
    out = format_report(_statistics_report(), "json", color=False, statistics=True)
    assert json.loads(out) == [
        {"code": "SG201", "name": "dangling-reference", "count": 12},
        {"code": "SG206", "name": RULES["SG206"].name, "count": 2},
        {"code": "SG102", "name": "unknown-key", "count": 1},
    ]


def test_statistics_of_empty_report() -> None:
    assert format_report(_report(), "full", color=False, statistics=True) == (
        "All checks passed.\n"
    )
    assert format_report(_report(), "json", color=False, statistics=True) == "[]\n"


# -- errors -----------------------------------------------------------------------------


def test_unknown_format_raises() -> None:
    with pytest.raises(ValueError, match="unknown output format 'xml'"):
        format_report(_report(), "xml", color=False)
