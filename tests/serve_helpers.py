"""`specgen serve` in a subprocess, for the serve tests: its address, its terminal
lines as they come, and waiting for a page to show something."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Served:
    url: str
    process: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)

    def wait_line(self, text: str, after: int = 0, timeout: float = 60.0) -> str:
        """The first terminal line from index ``after`` on that contains ``text``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.lines[after:]:
                if text in line:
                    return line
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(f"no line with {text!r}; output:\n" + "\n".join(self.lines))


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


def wait_for(url: str, text: str, present: bool = True, timeout: float = 60.0) -> str:
    """The page at ``url`` once ``text`` is in it (or, ``present=False``, gone from it)."""
    deadline = time.monotonic() + timeout
    body = ""
    while time.monotonic() < deadline:
        try:
            _, body = fetch(url)
            if (text in body) == present:
                return body
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise AssertionError(f"{text!r} {'never appeared' if present else 'stayed'} at {url}")


def _ctrl_c_as_in_a_terminal() -> None:
    """SIGINT in serve as in a terminal: a shell that starts the tests in the background
    without job control (``pytest &`` in a script) hands its children SIGINT ignored,
    and Python then never raises KeyboardInterrupt, so Ctrl-C would do nothing."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@contextmanager
def served(
    project: Path, *args: str, env: dict[str, str] | None = None, stop: int = signal.SIGTERM
) -> Iterator[Served]:
    """``specgen serve`` on a free port; stopped with ``stop`` (SIGTERM, or SIGINT as
    Ctrl-C sends) at the end."""
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "NO_COLOR": "1", **(env or {})}
    process = subprocess.Popen(
        [sys.executable, "-m", "specgen", "serve", "-a", f"127.0.0.1:{port}", *args],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        preexec_fn=_ctrl_c_as_in_a_terminal,
    )
    served = Served(f"http://127.0.0.1:{port}/", process)

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            served.lines.append(line.rstrip("\n"))

    threading.Thread(target=read, daemon=True).start()
    try:
        yield served
    finally:
        process.send_signal(stop)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
