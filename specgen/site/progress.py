"""Progress of the versioned build (`specgen build --all-versions`), release by release.

A long build (several releases of a large spec, a minute each) must show what it is
doing as it goes. On a terminal one status line is redrawn in place ("[2/5] building
1.2.0 …") and each release, once done, leaves a permanent line; anywhere else (a CI log,
a pipe) only those permanent lines are written, one per event, so a log stays readable.
"""

from __future__ import annotations

import os
import shutil
from typing import Protocol, TextIO

from specgen.printable import escape_controls

# Erases from the cursor to the end of the line: a shorter status line leaves no tail of
# the longer one it replaces.
_CLEAR_TO_END = "\x1b[K"


class ReleaseProgress(Protocol):
    """What the versioned build reports; ``index`` counts releases from 0, oldest
    first, out of the ``total`` given to ``planned``."""

    def planned(self, total: int, to_build: int) -> None: ...
    def checking(self, index: int, version: str) -> None: ...  # read and linted
    def started(self, index: int, version: str) -> None: ...
    def built(self, index: int, version: str, seconds: float, note: str = "") -> None: ...
    def up_to_date(self, index: int, version: str) -> None: ...
    def failed(self, index: int, version: str, reason: str) -> None: ...


class SilentProgress:
    """Reports nothing: the build as a library call."""

    def planned(self, total: int, to_build: int) -> None:
        pass

    def checking(self, index: int, version: str) -> None:
        pass

    def started(self, index: int, version: str) -> None:
        pass

    def built(self, index: int, version: str, seconds: float, note: str = "") -> None:
        pass

    def up_to_date(self, index: int, version: str) -> None:
        pass

    def failed(self, index: int, version: str, reason: str) -> None:
        pass


def is_terminal(stream: TextIO) -> bool:
    """Whether ``stream`` is a terminal that understands a carriage return and an
    erase to end of line (a dumb one does not)."""
    return stream.isatty() and os.environ.get("TERM", "") != "dumb"


class ProgressReporter:
    """Writes the build's progress to ``stream``: a status line redrawn in place when
    ``live`` (default: when the stream is a terminal), plain lines otherwise. Every
    text is escaped: versions and failure reasons come from the spec's repository."""

    def __init__(self, stream: TextIO, live: bool | None = None) -> None:
        self._stream = stream
        self._live = is_terminal(stream) if live is None else live
        self._total = 0
        self._status_shown = False

    def planned(self, total: int, to_build: int) -> None:
        self._total = total
        self._line(f"{total} releases: {to_build} to build, {total - to_build} up to date")

    def checking(self, index: int, version: str) -> None:
        self._status(f"{self._count(index)} checking {version} …")

    def started(self, index: int, version: str) -> None:
        self._status(f"{self._count(index)} building {version} …")

    def built(self, index: int, version: str, seconds: float, note: str = "") -> None:
        extra = f" ({note})" if note else ""
        self._line(f"{self._count(index)} {version}: built in {seconds:.1f} s{extra}")

    def up_to_date(self, index: int, version: str) -> None:
        self._line(f"{self._count(index)} {version}: up to date")

    def failed(self, index: int, version: str, reason: str) -> None:
        self._line(f"{self._count(index)} {version}: failed: {reason}")

    def __enter__(self) -> ProgressReporter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.clear()  # an error message or the shell prompt must not land on the status

    def clear(self) -> None:
        """Erases the status line, so other output (lint findings) starts on a clean
        line; the next event draws it again."""
        if self._status_shown:
            self._write("\r" + _CLEAR_TO_END)
            self._status_shown = False

    def _count(self, index: int) -> str:
        return f"[{index + 1}/{self._total}]"

    def _status(self, text: str) -> None:
        if not self._live:
            return  # a log gets the outcome of each release, not each step
        width = shutil.get_terminal_size().columns
        safe = escape_controls(text)
        if len(safe) >= width:  # a wrapped line could not be redrawn by "\r"
            safe = safe[: max(width - 2, 0)] + "…"
        self._write("\r" + safe + _CLEAR_TO_END)
        self._status_shown = True

    def _line(self, text: str) -> None:
        self.clear()
        self._write(escape_controls(text) + "\n")

    def _write(self, text: str) -> None:
        self._stream.write(text)
        self._stream.flush()
