"""`specgen serve`: starts on any readable spec, says what it does, rebuilds on a save,
shows lint findings and build errors in the page, and keeps serving through them."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pagefind.service import get_executable

from specgen.cli import EXIT_ERROR
from specgen.diagnostics import Diagnostic, Severity
from specgen.model import Location
from specgen.site.serve_pages import ServeState, findings_of, inject, page_of
from tests.cli_helpers import new_project
from tests.serve_helpers import fetch, served, wait_for
from tests.versions_helpers import CORPUS, require_corpus

BOGUS = "authority: user", "authority: bogus"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_serve_starts_despite_lint_errors_and_says_where(tmp_path: Path) -> None:
    project = new_project(tmp_path)
    section = project / "spec" / "30-be-concise.md"
    _edit(section, *BOGUS)
    with served(project) as spec:
        spec.wait_line(f"Serving on {spec.url}")
        built = spec.wait_line("Built in")
        assert re.search(r"Built in \d+\.\d\d s \(\d+ pages\); lint: 1 error", built), built
        _, page = fetch(spec.url + "be_concise/")
        # The finding is in the page as sent: its place, code, message and rule link.
        assert "spec/30-be-concise.md:4:12" in page
        assert 'href="/__specgen__/rules/#SG204"' in page
        assert "bogus" in page
        assert '<script src="/__specgen__/serve.js">' in page
        _, rules = fetch(spec.url + "__specgen__/rules/")
        assert 'id="SG204"' in rules and "unknown-authority" in rules


def test_a_save_rebuilds_the_page_and_clears_the_finding(tmp_path: Path) -> None:
    project = new_project(tmp_path)
    section = project / "spec" / "30-be-concise.md"
    with served(project) as spec:
        before = len(spec.lines)
        spec.wait_line("Built in")
        url = spec.url + "be_concise/"
        wait_for(url, "Be concise by default")
        section.write_text(section.read_text("utf-8") + "\nA sentence added while serving.\n")
        wait_for(url, "A sentence added while serving.")
        line = spec.wait_line("Rebuilt spec/30-be-concise.md", after=before)
        assert re.search(r"in \d+\.\d\d s \(\d+ pages?\); lint: clean", line), line
        _edit(section, *BOGUS)
        wait_for(url, "sg-serve-finding")
        spec.wait_line("lint: 1 error")
        _edit(section, BOGUS[1], BOGUS[0])
        wait_for(url, "sg-serve-finding", present=False)


def test_a_broken_config_keeps_the_last_site_with_the_error_over_it(tmp_path: Path) -> None:
    project = new_project(tmp_path)
    config = project / "mkdocs.yml"
    good = config.read_text("utf-8")
    with served(project) as spec:
        spec.wait_line("Built in")
        url = spec.url + "be_concise/"
        config.write_text(good + "\ntheme: [unclosed\n", "utf-8")
        line = spec.wait_line("Build failed")
        assert "still serving the last good build" in line
        page = wait_for(url, "sg-serve-failure")
        assert "Be concise by default" in page  # the last good page, under the error
        config.write_text(good, "utf-8")
        wait_for(url, "sg-serve-failure", present=False)
        assert spec.process.poll() is None


def test_a_spec_that_cannot_be_built_yet_is_served_once_fixed(tmp_path: Path) -> None:
    project = new_project(tmp_path)
    config = project / "mkdocs.yml"
    good = config.read_text("utf-8")
    config.write_text(good + "\ntheme: [unclosed\n", "utf-8")
    with served(project) as spec:
        spec.wait_line("nothing to serve yet")
        status, page = fetch(spec.url)
        assert status == 503 and "No site yet" in page and "sg-serve-failure" in page
        config.write_text(good, "utf-8")
        wait_for(spec.url + "be_concise/", "Be concise by default")


def test_only_loopback_names_and_files_of_the_site_are_answered(tmp_path: Path) -> None:
    project = new_project(tmp_path)
    (tmp_path / "secret.txt").write_text("not for the browser", "utf-8")
    with served(project) as spec:
        spec.wait_line("Built in")
        # A page elsewhere reaching us through its own DNS name (rebinding) is refused.
        status, _ = fetch(spec.url, {"Host": "attacker.example:80"})
        assert status == 421
        assert fetch(spec.url, {"Host": "localhost"})[0] == 200
        for path in ("../secret.txt", "..%2f..%2fsecret.txt", "%2e%2e/%2e%2e/secret.txt"):
            status, body = _raw_get(spec.url, "/" + path)
            assert "not for the browser" not in body
        assert fetch(spec.url + "be_concise")[0] == 200  # redirected to be_concise/
        # A malformed long poll is answered, not a traceback in the author's terminal.
        status, body = fetch(spec.url + "__specgen__/wait?page=x&token=&status=%3Cb%3E")
        assert status == 200 and '"status"' in body
        status, body = fetch(spec.url + "no/such/page/")
        assert status == 404
    assert not any("Traceback" in line for line in spec.lines), spec.lines


def _raw_get(base: str, path: str) -> tuple[int, str]:
    """A request with the path as written (urllib would normalise the dots)."""
    port = int(base.rstrip("/").rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body.decode("utf-8", "replace")


def test_a_port_in_use_is_said_plainly(tmp_path: Path) -> None:
    project = new_project(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "specgen", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == EXIT_ERROR
    assert f"cannot serve on http://127.0.0.1:{port}/" in done.stderr
    assert "Traceback" not in done.stderr


def test_spec_text_in_the_panel_is_escaped() -> None:
    diag = Diagnostic(
        "SG204",
        'unknown authority "<script>alert(1)</script>"',
        Location("spec/<img src=x onerror=alert(1)>.md", 3, 12),
        Severity.ERROR,
    )
    texts = {diag.loc.path: "a\nb\nauthority: <script>alert(2)</script>\n"}
    state = ServeState(site_dir=lambda: None)
    state.report(findings_of([diag], texts), "mkdocs.yml: <b>bad</b>")
    html = inject("<html><head></head><body><p>page</p></body></html>", state, "x/")
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>bad" not in html
    assert "&lt;script&gt;alert(1)" in html and "&lt;script&gt;alert(2)" in html
    assert html.index("</head>") > html.index("serve.css")
    assert html.index('id="sg-serve"') > html.index("<p>page</p>")


def test_waiting_browsers_are_told_which_pages_changed() -> None:
    state = ServeState(site_dir=lambda: None)
    one, other = state.token("a/"), state.token("b/")
    assert state.wait("a/", one, state.status, timeout=0.01) == {"token": one, "status": 0}
    state.reload(("a/",))
    assert state.wait("a/", one, 0, timeout=0.01)["token"] != one
    assert state.wait("b/", other, 0, timeout=0.01)["token"] == other  # not rewritten
    state.pages_rewritten((), full=True)  # a full build: every page is new
    assert state.wait("b/", other, 0, timeout=0.01)["token"] != other
    assert page_of("/be_concise/index.html") == "be_concise/" and page_of("/") == ""


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_stopping_removes_the_scratch_site(tmp_path: Path, stop: int) -> None:
    project = new_project(tmp_path)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    with served(project, env={"TMPDIR": str(scratch)}, stop=stop) as spec:
        spec.wait_line("Serving on")
        assert any(scratch.iterdir())  # the site is built there, not in the project
        assert not (project / "site").exists()
    assert spec.process.returncode in (0, 128 + signal.SIGTERM)
    assert not any(scratch.iterdir())
    if stop == signal.SIGINT:
        assert spec.lines[-1] == "Stopped."


def test_an_openai_model_spec_file_is_served_as_build_shows_it(tmp_path: Path) -> None:
    """No project around it: specgen's default look, the file's folder watched."""
    require_corpus()
    folder = tmp_path / "model-spec"
    shutil.copytree(CORPUS / "2025-12-18", folder)
    spec_file = folder / "model_spec.md"
    with served(tmp_path, str(spec_file)) as spec:
        line = spec.wait_line("Built in")
        assert "lint: 6 errors" in line  # the release's own, served anyway
        url = spec.url + "follow_all_applicable_instructions/"
        wait_for(url, "Follow all applicable instructions")
        text = spec_file.read_text("utf-8")
        old = "The assistant must strive to follow all *applicable instructions*"
        assert text.count(old) == 1
        spec_file.write_text(text.replace(old, "Edited while serving: " + old), "utf-8")
        wait_for(url, "Edited while serving:")
        spec.wait_line("Rebuilt the whole site (model-spec/model_spec.md)")
    assert not (folder / "site").exists()


def test_a_spec_that_is_not_the_configs_is_refused(tmp_path: Path) -> None:
    project = new_project(tmp_path)
    other = tmp_path / "other"
    shutil.copytree(project / "spec", other)
    done = subprocess.run(
        [sys.executable, "-m", "specgen", "serve", str(other), "--config", "proj/mkdocs.yml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "is not the spec of proj/mkdocs.yml" in done.stderr


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_stopping_during_a_search_refresh_ends_pagefind(tmp_path: Path, stop: int) -> None:
    """Stopped while the search index is rewritten in the background: the Pagefind run
    ends with serve, not left running after its scratch folder is gone."""
    project = new_project(tmp_path)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    marker, pid_file = tmp_path / "hang", tmp_path / "pagefind.pid"
    real = get_executable()
    assert real is not None
    # Pagefind itself, but once the marker exists: a run that says its pid and hangs.
    fake = tmp_path / "pagefind"
    fake.write_text(
        "#!/bin/sh\n"
        f"if [ -e '{marker}' ]; then\n"
        f"  echo $$ > '{pid_file}.part' && mv '{pid_file}.part' '{pid_file}'\n"
        "  exec sleep 600\n"
        "fi\n"
        f"exec '{real}' \"$@\"\n",
        "utf-8",
    )
    fake.chmod(0o755)
    env = {"TMPDIR": str(scratch), "PAGEFIND_BINARY_PATH": str(fake)}
    pid = 0
    try:
        with served(project, env=env, stop=stop) as spec:
            spec.wait_line("Serving on")
            marker.touch()
            section = project / "spec" / "30-be-concise.md"
            section.write_text(section.read_text("utf-8") + "\nSaved while serving.\n")
            pid = int(_wait_for_file(pid_file, spec.process).read_text("utf-8"))
            assert _alive(pid)  # the search refresh is running Pagefind now
        assert spec.process.returncode in (0, 128 + signal.SIGTERM)
        assert _gone(pid), "Pagefind outlived serve"
        assert not any(scratch.iterdir())
        if stop == signal.SIGINT:
            assert spec.lines[-1] == "Stopped."  # the ended run is not reported
    finally:
        if pid and _alive(pid):
            os.kill(pid, signal.SIGKILL)


def _wait_for_file(path: Path, process: subprocess.Popen[str], bound: float = 60.0) -> Path:
    deadline = time.monotonic() + bound
    while not path.is_file():
        assert process.poll() is None, "serve ended"
        assert time.monotonic() < deadline, f"{path.name} never written"
        time.sleep(0.05)
    return path


def _alive(pid: int) -> bool:
    """The process runs (a zombie, dead but not yet collected, does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text("utf-8")
    except FileNotFoundError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def _gone(pid: int, bound: float = 10.0) -> bool:
    deadline = time.monotonic() + bound
    while _alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True
