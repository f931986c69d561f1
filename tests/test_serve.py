"""`specgen serve`: serves on loopback and rebuilds when a spec file changes."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.cli_helpers import new_project


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(url: str, text: str, timeout: float = 30.0) -> str:
    deadline = time.monotonic() + timeout
    body = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                body = response.read().decode("utf-8")
            if text in body:
                return body
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never appeared at {url}; last body: {body[:300]!r}")


def test_serve_rebuilds_on_change(tmp_path: Path) -> None:
    project = new_project(tmp_path)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "specgen", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        url = f"http://127.0.0.1:{port}/be_concise/"
        _wait_for(url, "Be concise by default")
        section = project / "spec" / "30-be-concise.md"
        section.write_text(
            section.read_text("utf-8") + "\nA sentence added while serving.\n", "utf-8"
        )
        _wait_for(url, "A sentence added while serving.")
    finally:
        server.terminate()
        server.wait(timeout=10)
