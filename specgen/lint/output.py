"""How ``specgen lint`` prints its findings: ``full``, ``concise``, ``json``, ``sarif``
and ``github`` (workflow commands), plus the ``--statistics`` table.

Every formatter takes the report and returns text; nothing here prints or reads files.
Columns are 1-based and counted in characters (code points), as in ``Diagnostic``.
Messages, paths and source lines quote the spec, so control characters in them are
escaped (specgen.printable) in every format: none reaches the terminal raw.
"""

from __future__ import annotations

import bisect
import json
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath
from urllib.parse import quote

from specgen import __version__
from specgen.diagnostics import Diagnostic, Severity
from specgen.lint.registry import RULES
from specgen.lint.runner import LintReport
from specgen.printable import escape_controls, escape_json

FORMATS = ("full", "concise", "json", "sarif", "github")
TAB_SIZE = 4
MAX_WIDTH = 100  # cells of a source line shown before it is cut around the caret
CONTEXT = 40  # cells kept before the caret when a line is cut
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_GUTTER = "\x1b[1;34m"
_SEVERITY_COLOR = {
    Severity.ERROR: "\x1b[1;31m",
    Severity.WARNING: "\x1b[1;33m",
    Severity.INFO: "\x1b[1;34m",
}
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_GITHUB_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
_NOUN = {
    Severity.ERROR: ("error", "errors"),
    Severity.WARNING: ("warning", "warnings"),
    Severity.INFO: ("info", "info"),
}


def format_report(report: LintReport, fmt: str, *, color: bool, statistics: bool = False) -> str:
    """The text to print for ``report`` in format ``fmt``; ends in a newline unless empty.

    ``statistics`` replaces the per-finding lines of ``full``, ``concise`` and ``json``
    with counts per rule; ``sarif`` and ``github`` always list findings.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown output format {fmt!r} (expected one of {', '.join(FORMATS)})")
    if statistics and fmt in ("full", "concise"):
        return _statistics_text(report, color)
    if statistics and fmt == "json":
        return _statistics_json(report)
    formatter: Callable[[LintReport, bool], str] = _FORMATTERS[fmt]
    return formatter(report, color)


# -- shared helpers ---------------------------------------------------------------------


def _paint(text: str, style: str, color: bool) -> str:
    return f"{style}{text}{_RESET}" if color and text else text


def _one_line(message: str) -> str:
    """A message as one printable line: line breaks become spaces, other controls (a
    lone CR too: it would rewrite the line) escapes."""
    return escape_controls(" ".join(message.replace("\r\n", "\n").split("\n")))


def _rule_name(code: str) -> str | None:
    rule = RULES.get(code)
    return rule.name if rule else None


def _summary(report: LintReport) -> str:
    counts = Counter(d.severity for d in report.diagnostics)
    parts = [
        f"{counts[sev]} {_NOUN[sev][counts[sev] != 1]}"
        for sev in (Severity.ERROR, Severity.WARNING, Severity.INFO)
        if counts[sev]
    ]
    suppressed = f" ({report.suppressed} suppressed)" if report.suppressed else ""
    if not parts:
        return f"All checks passed{suppressed}."
    listed = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
    return f"Found {listed}{suppressed}."


# -- full -------------------------------------------------------------------------------


def _full(report: LintReport, color: bool) -> str:
    sources = _Sources(report.texts)
    blocks = [_full_block(d, sources, color) for d in report.diagnostics]
    return "".join(f"{block}\n" for block in blocks) + _summary(report) + "\n"


def _full_block(diag: Diagnostic, sources: _Sources, color: bool) -> str:
    header = (
        f"{_location(diag, color)}: {_paint(diag.code, _SEVERITY_COLOR[diag.severity], color)} "
        f"[{diag.severity.label}] {_one_line(diag.message)}"
    )
    source = sources.line(diag.loc.path, diag.loc.line)
    if source is None:
        return header + "\n"
    return header + "\n" + _snippet(diag, source, color)


def _location(diag: Diagnostic, color: bool) -> str:
    path = escape_controls(diag.loc.path)
    return f"{_paint(path, _BOLD, color)}:{diag.loc.line}:{diag.loc.column}"


@dataclass(frozen=True, slots=True)
class _Measured:
    """A source line measured once, however many findings point into it: the line as
    shown (tabs expanded, controls escaped) and, for each character boundary ``i``, the
    display cell it starts at (``stops[i]``) and its offset in ``shown`` (``offsets[i]``)."""

    length: int  # characters of the source line
    shown: str
    stops: list[int]
    offsets: list[int]


class _Sources:
    """The source lines findings point at: each file split once, each line measured once
    (a report may hold thousands of findings on one long line)."""

    def __init__(self, texts: dict[str, str]) -> None:
        self._texts = texts
        self._lines: dict[str, list[str] | None] = {}
        self._measured: dict[tuple[str, int], _Measured | None] = {}

    def line(self, path: str, line: int) -> _Measured | None:
        key = (path, line)
        if key not in self._measured:
            if path not in self._lines:
                self._lines[path] = _split_lines(self._texts.get(path))
            lines = self._lines[path]
            if lines is None or not 1 <= line <= len(lines):
                self._measured[key] = None
            else:
                self._measured[key] = _measure(lines[line - 1])
        return self._measured[key]


def _split_lines(text: str | None) -> list[str] | None:
    """The lines of ``text``, split as the loader counts lines (on ``\\n``), each without
    a trailing ``\\r``."""
    if text is None:
        return None
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    return [line.removesuffix("\r") for line in lines]


def _measure(source: str) -> _Measured:
    stops = [0]
    offsets = [0]
    parts: list[str] = []
    for char in source:
        shown, width = _cell(char, stops[-1])
        parts.append(shown)
        stops.append(stops[-1] + width)
        offsets.append(offsets[-1] + len(shown))
    return _Measured(len(source), "".join(parts), stops, offsets)


def _snippet(diag: Diagnostic, source: _Measured, color: bool) -> str:
    number = str(diag.loc.line)
    pad = " " * len(number)
    bar = _paint("|", _GUTTER, color)
    shown, start, width = _excerpt(source, diag.loc.column, diag.end_column)
    caret = _paint("^" * width, _SEVERITY_COLOR[diag.severity], color)
    return (
        f"{pad} {bar}\n"
        f"{_paint(number, _GUTTER, color)} {bar}{' ' + shown if shown else ''}\n"
        f"{pad} {bar} {' ' * start}{caret}\n"
        f"{pad} {bar}\n"
    )


def _excerpt(source: _Measured, column: int, end_column: int | None) -> tuple[str, int, int]:
    """The line as shown, and the caret's offset and width under it.

    ``column`` is 1-based and ``end_column`` exclusive; both are clamped to one past the
    end of the line. Tabs expand to ``TAB_SIZE`` stops and wide characters take two
    cells. A line wider than ``MAX_WIDTH`` is cut to a window around the caret.
    """
    stops = source.stops
    first = min(max(column, 1), source.length + 1) - 1
    last = min(max(end_column or 0, first + 2), source.length + 1) - 1
    start, end = stops[first], max(stops[last], stops[first] + 1)
    if stops[-1] <= MAX_WIDTH:
        return source.shown, start, end - start
    return _window(source, start, end)


def _window(source: _Measured, start: int, end: int) -> tuple[str, int, int]:
    """Cut a long line to about ``MAX_WIDTH`` cells, keeping some context before the
    caret; cut ends are marked with an ellipsis.

    The characters kept are those wholly inside the window: a run of consecutive
    characters (cells only grow along the line), found by bisection, not by a scan.
    """
    stops, offsets = source.stops, source.offsets
    low = max(0, min(start - CONTEXT, stops[-1] - MAX_WIDTH))
    high = low + MAX_WIDTH
    # Character i is kept when stops[i] >= low and stops[i + 1] <= high.
    first = bisect.bisect_left(stops, low)
    stop = min(source.length, bisect.bisect_right(stops, high) - 1)
    kept = first < stop
    begin = stops[first] if kept else start
    head = "\u2026" if low > 0 else ""
    tail = "\u2026" if high < stops[-1] else ""
    body = source.shown[offsets[first] : offsets[stop]] if kept else ""
    shown = head + body + tail
    width = max(min(end, high) - start, 1)
    return shown, len(head) + start - begin, width


def _cell(char: str, at: int) -> tuple[str, int]:
    """How one character is shown at display column ``at`` (0-based), and its width:
    tabs expand, control characters become escapes (as in the message), a cell a character."""
    if char == "\t":
        cells = TAB_SIZE - at % TAB_SIZE
        return " " * cells, cells
    escaped = escape_controls(char)
    if escaped != char:
        return escaped, len(escaped)
    if unicodedata.combining(char) or unicodedata.category(char) == "Cf":
        return char, 0
    return char, 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


# -- concise ----------------------------------------------------------------------------


def _concise(report: LintReport, color: bool) -> str:
    lines = [
        f"{escape_controls(str(diag.loc))}: "
        f"{_paint(diag.code, _SEVERITY_COLOR[diag.severity], color)} {_one_line(diag.message)}"
        for diag in report.diagnostics
    ]
    return "".join(f"{line}\n" for line in lines) + _summary(report) + "\n"


# -- statistics -------------------------------------------------------------------------


def _statistics_rows(report: LintReport) -> list[tuple[str, str, str, int, Severity]]:
    worst: dict[str, Severity] = {}
    for diag in report.diagnostics:
        worst[diag.code] = max(worst.get(diag.code, diag.severity), diag.severity)
    rows = []
    for code, count in report.statistics():
        rule = RULES.get(code)
        name, summary = (rule.name, rule.summary) if rule else ("", "")
        rows.append((code, name, summary, count, worst[code]))
    return rows


def _statistics_text(report: LintReport, color: bool) -> str:
    rows = _statistics_rows(report)
    if not rows:
        return _summary(report) + "\n"
    count_w = max(len(str(row[3])) for row in rows)
    code_w = max(len(row[0]) for row in rows)
    name_w = max(len(row[1]) for row in rows)
    lines = []
    for code, name, summary, count, severity in rows:
        painted = _paint(code, _SEVERITY_COLOR[severity], color) + " " * (code_w - len(code))
        line = f"  {count:>{count_w}}  {painted}  {name:<{name_w}}  {summary}"
        lines.append(line.rstrip())
    return "\n".join(lines) + "\n" + _summary(report) + "\n"


def _statistics_json(report: LintReport) -> str:
    data = [
        {"code": code, "name": name or None, "count": count}
        for code, name, _summary_text, count, _severity in _statistics_rows(report)
    ]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# -- json -------------------------------------------------------------------------------


def _json(report: LintReport, color: bool) -> str:
    data = [
        {
            "code": diag.code,
            "name": _rule_name(diag.code),
            "severity": diag.severity.label,
            "message": diag.message,
            "path": diag.loc.path,
            "line": diag.loc.line,
            "column": diag.loc.column,
            "end_column": diag.end_column,
        }
        for diag in report.diagnostics
    ]
    return escape_json(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"


# -- sarif ------------------------------------------------------------------------------


def _sarif(report: LintReport, color: bool) -> str:
    codes = sorted({diag.code for diag in report.diagnostics})
    index = {code: i for i, code in enumerate(codes)}
    run: dict[str, object] = {
        "tool": {
            "driver": {
                "name": "specgen",
                "version": __version__,
                "rules": [_sarif_rule(code) for code in codes],
            }
        },
        "columnKind": "unicodeCodePoints",
        "results": [_sarif_result(diag, index[diag.code]) for diag in report.diagnostics],
    }
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return escape_json(json.dumps(log, indent=2, ensure_ascii=False)) + "\n"


def _sarif_rule(code: str) -> dict[str, object]:
    rule = RULES.get(code)
    if rule is None:
        return {"id": code}
    return {
        "id": code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.doc, "markdown": rule.doc},
        "help": {"text": rule.doc, "markdown": rule.doc},
        "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity]},
    }


def _sarif_result(diag: Diagnostic, rule_index: int) -> dict[str, object]:
    region: dict[str, int] = {"startLine": diag.loc.line, "startColumn": diag.loc.column}
    if diag.end_column is not None:
        region["endColumn"] = diag.end_column
    location = {"artifactLocation": {"uri": _uri(diag.loc.path)}, "region": region}
    return {
        "ruleId": diag.code,
        "ruleIndex": rule_index,
        "level": _SARIF_LEVEL[diag.severity],
        "message": {"text": diag.message},
        "locations": [{"physicalLocation": location}],
    }


def _uri(path: str) -> str:
    """A URI reference for a shown path: relative paths stay relative, with ``/``."""
    posix = path.replace("\\", "/")
    if PurePosixPath(posix).is_absolute():
        return PurePosixPath(posix).as_uri()
    if PureWindowsPath(path).is_absolute():
        return PureWindowsPath(path).as_uri()
    return quote(posix, safe="/")


# -- github -----------------------------------------------------------------------------


def _github(report: LintReport, color: bool) -> str:
    return "".join(_github_line(diag) + "\n" for diag in report.diagnostics)


def _github_line(diag: Diagnostic) -> str:
    name = _rule_name(diag.code)
    title = f"{diag.code} ({name})" if name else diag.code
    props = {
        "file": diag.loc.path,
        "line": str(diag.loc.line),
        "col": str(diag.loc.column),
        "title": title,
    }
    joined = ",".join(f"{key}={_escape_property(value)}" for key, value in props.items())
    return f"::{_GITHUB_COMMAND[diag.severity]} {joined}::{_escape_data(diag.message)}"


def _escape_data(text: str) -> str:
    # Line breaks are the workflow command's own %-escapes; other controls are escaped.
    text = escape_controls(text, keep="\r\n")
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


_FORMATTERS: dict[str, Callable[[LintReport, bool], str]] = {
    "full": _full,
    "concise": _concise,
    "json": _json,
    "sarif": _sarif,
    "github": _github,
}
