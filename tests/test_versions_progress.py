"""Progress of `specgen build --all-versions`: each release is reported as it is done
(built, up to date, failed), as plain lines in a log and as a status line redrawn in
place on a terminal (specgen/site/progress.py)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from specgen.site.progress import ProgressReporter
from specgen.site.versions import KEY_FILE, build_all_versions
from specgen.sources.loading import project_for
from tests.cli_helpers import new_project, run_cli_split
from tests.git_helpers import git
from tests.versions_helpers import commit_and_tag

VERSIONS = ("v1.0", "v2.0", "v3.0")
# A release's permanent line, as plain output prints it.
LINE = re.compile(r"\[(\d+)/(\d+)\] (\S+): (built in \d+\.\d s|up to date|failed: .+)")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The scaffolded project with three tagged releases, each with another sentence."""
    project = new_project(tmp_path)
    (project / ".gitignore").write_text("site/\n", "utf-8")
    git(project, "init", "-q", "-b", "main")
    for version in VERSIONS:
        append(project / "spec" / "30-be-concise.md", f"Said in {version}.")
        commit_and_tag(project, version)
    return project


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text("utf-8").rstrip("\n") + f"\n\n{text}\n", "utf-8")


def build(project: Path, *args: str) -> tuple[int, str, str]:
    return run_cli_split("build", "--all-versions", *args, cwd=project)


def outcomes(err: str) -> list[tuple[str, str]]:
    """(version, outcome) of each release line, in the order printed; every line of
    ``err`` that is not the plan line must be a release line."""
    found = []
    for line in err.splitlines()[1:]:
        match = LINE.fullmatch(line)
        assert match, f"not a release line: {line!r} in\n{err}"
        found.append((match[3], match[4].split(" in ")[0].split(":")[0]))
    return found


def test_a_log_gets_one_plain_line_per_release_in_order(repo: Path) -> None:
    code, out, err = build(repo)
    assert code == 0, err
    assert "\r" not in err and "\x1b" not in err  # not a terminal: no redrawing
    lines = err.splitlines()
    assert lines[0] == "3 releases: 3 to build, 0 up to date"
    assert outcomes(err) == [(v, "built") for v in VERSIONS]
    counts = [match.group(1, 2) for match in map(LINE.fullmatch, lines[1:]) if match]
    assert counts == [("1", "3"), ("2", "3"), ("3", "3")]
    assert "3 releases in" in out and "(3 built, 0 up to date)" in out

    # Built again: nothing to build, each release says so.
    code, out, err = build(repo)
    assert code == 0, err
    assert err.splitlines()[0] == "3 releases: 0 to build, 3 up to date"
    assert outcomes(err) == [(v, "up to date") for v in VERSIONS]

    # A new release: it alone is built, after the others are said to be up to date.
    append(repo / "spec" / "30-be-concise.md", "Said in v4.0.")
    commit_and_tag(repo, "v4.0")
    code, out, err = build(repo)
    assert code == 0, err
    assert err.splitlines()[0] == "4 releases: 1 to build, 3 up to date"
    assert outcomes(err) == [*[(v, "up to date") for v in VERSIONS], ("v4.0", "built")]


class Recorder:
    """A ReleaseProgress that notes each event with what the site folder holds at that
    moment: which releases have been written (their key file)."""

    def __init__(self, site: Path) -> None:
        self.site = site
        self.events: list[tuple[str, str, tuple[str, ...]]] = []

    def _note(self, event: str, version: str) -> None:
        written = tuple(v for v in VERSIONS if (self.site / v / KEY_FILE).is_file())
        self.events.append((event, version, written))

    def planned(self, total: int, to_build: int) -> None:
        self._note(f"planned {total} {to_build}", "")

    def checking(self, index: int, version: str) -> None:
        self._note("checking", version)

    def started(self, index: int, version: str) -> None:
        self._note("started", version)

    def built(self, index: int, version: str, seconds: float, note: str = "") -> None:
        assert seconds > 0 and note == ""
        self._note("built", version)

    def up_to_date(self, index: int, version: str) -> None:
        self._note("up to date", version)

    def failed(self, index: int, version: str, reason: str) -> None:
        self._note(f"failed: {reason}", version)


def test_each_release_is_reported_as_soon_as_it_is_written(repo: Path) -> None:
    """The events come while the build goes on, not at its end: when a release is
    reported built, it is written and the next one is not yet."""
    project, _ = project_for(repo)
    recorder = Recorder(repo / "site")
    build_all_versions(project, repo / "site", progress=recorder)
    assert recorder.events == [
        ("planned 3 3", "", ()),
        # Every release to build is read and linted before any is written.
        ("checking", "v1.0", ()),
        ("checking", "v2.0", ()),
        ("checking", "v3.0", ()),
        ("started", "v1.0", ()),
        ("built", "v1.0", ("v1.0",)),
        ("started", "v2.0", ("v1.0",)),
        ("built", "v2.0", ("v1.0", "v2.0")),
        ("started", "v3.0", ("v1.0", "v2.0")),
        ("built", "v3.0", VERSIONS),
    ]


def test_a_release_with_lint_errors_is_reported_failed(repo: Path) -> None:
    code, _, err = build(repo)
    assert code == 0, err
    append(repo / "spec" / "30-be-concise.md", "See [?](#nowhere).")
    commit_and_tag(repo, "v4.0")
    code, _, err = build(repo)
    assert code == 1, err
    assert err.splitlines()[0] == "4 releases: 1 to build, 3 up to date"
    # Checked before anything is built: the failing release is the only release line.
    release_lines = [line for line in err.splitlines() if LINE.fullmatch(line)]
    assert release_lines == ["[4/4] v4.0: failed: 1 lint error"], err
    assert "v4.0:spec/30-be-concise.md:" in err and "SG201" in err
    # Forced, it is built and its line says it was written despite the error.
    code, _, err = build(repo, "--force")
    assert code == 0, err
    assert re.search(
        r"^\[4/4\] v4\.0: built in \d+\.\d s \(written despite 1 lint error\)$", err, re.M
    )


def test_a_release_that_cannot_be_read_is_reported_failed(repo: Path) -> None:
    code, _, err = build(repo)
    assert code == 0, err
    git(repo, "rm", "-r", "-q", "spec")
    commit_and_tag(repo, "v4.0")  # a release without a spec
    code, out, err = build(repo)
    assert code == 2, err
    lines = err.splitlines()
    assert lines[0] == "4 releases: 1 to build, 3 up to date"
    assert lines[1] == "[4/4] v4.0: failed: v4.0: spec does not exist at revision v4.0", err
    assert lines[2].startswith("specgen: release v4.0:")
    assert out == ""


def test_a_release_that_fails_to_build_is_reported_failed(repo: Path) -> None:
    """A template override that does not compile: the first release built fails, and
    the build stops there."""
    config = repo / "mkdocs.yml"
    text = config.read_text("utf-8")
    assert "  name: material\n" in text
    config.write_text(text.replace("  name: material\n", "  name: material\n  custom_dir: theme\n"))
    theme = repo / "theme" / "specgen"
    theme.mkdir(parents=True)
    (theme / "example.html").write_text("{% if %}\n", "utf-8")
    code, _, err = build(repo)
    assert code == 2, err
    assert outcomes("\n".join(err.splitlines()[:2])) == [("v1.0", "failed")], err
    assert "example.html:1: template error" in err.splitlines()[1]
    assert not (repo / "site" / "v2.0").exists()


class Terminal(io.StringIO):
    """What the reporter writes to, standing in for a terminal."""

    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_a_status_line_redrawn_in_place(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLUMNS", "200")
    project, _ = project_for(repo)
    screen = Terminal()
    with ProgressReporter(screen) as reporter:
        build_all_versions(project, repo / "site", progress=reporter)
    written = screen.getvalue()
    # Each step replaces the status line: a carriage return, the text, erase to the end.
    for step in ("checking v1.0", "building v1.0", "building v3.0"):
        index = VERSIONS.index(step.split()[1]) + 1
        assert f"\r[{index}/3] {step} …\x1b[K" in written, written
    # Each release leaves a permanent line, the status erased before it.
    for index, version in enumerate(VERSIONS, 1):
        assert re.search(rf"\r\x1b\[K\[{index}/3\] {version}: built in \d+\.\d s\n", written)
    # What stays on screen once the carriage returns are played: the permanent lines.
    assert [shown(line) for line in written.split("\n")] == [
        "3 releases: 3 to build, 0 up to date",
        *[f"[{i}/3] {v}: built in" for i, v in enumerate(VERSIONS, 1)],
        "",
    ]


def shown(line: str) -> str:
    """What a terminal shows of a line: the text after its last carriage return (when
    erased to its end), without the timing."""
    visible = line.rsplit("\r", 1)[-1].replace("\x1b[K", "")
    return visible.split(" in ")[0] + " in" if " built in " in visible else visible


def test_a_dumb_terminal_or_a_pipe_gets_plain_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "dumb")
    for stream in (Terminal(), io.StringIO()):
        reporter = ProgressReporter(stream)
        reporter.planned(2, 1)
        reporter.checking(1, "2.0")
        reporter.up_to_date(0, "1.0")
        reporter.started(1, "2.0")
        reporter.failed(1, "2.0", "no spec")
        assert stream.getvalue().splitlines() == [
            "2 releases: 1 to build, 1 up to date",
            "[1/2] 1.0: up to date",
            "[2/2] 2.0: failed: no spec",
        ]
        assert stream.getvalue().endswith("\n")


def test_text_from_the_repository_is_printed_escaped() -> None:
    """Versions are checked before a build, failure reasons are not: neither reaches
    the terminal raw."""
    for live in (True, False):
        stream = Terminal()
        reporter = ProgressReporter(stream, live=live)
        reporter.planned(1, 1)
        reporter.started(0, "1.0\x1b]0;owned\x07")
        reporter.failed(0, "1.0\u202e", "bad\rline\x1b[2J")
        written = stream.getvalue().replace("\x1b[K", "")  # the reporter's own erase
        assert "\x1b" not in written and "\u202e" not in written and "\x07" not in written
        assert "[1/1] 1.0\\u202e: failed: bad\\rline\\x1b[2J\n" in written
        assert ("\\x1b]0;owned\\x07" in written) is live  # the status shows only live
