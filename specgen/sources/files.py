"""Reading a source file without ever raising: bad bytes become diagnostics."""

from __future__ import annotations

import stat
from pathlib import Path

from specgen.diagnostics import Diagnostic
from specgen.model import Location
from specgen.sources import codes

MAX_FILE_BYTES = 8 * 1024 * 1024  # a spec section is never this big; guards memory
# A whole spec in one file (the OpenAI dialect): 10,000 sections of the Model Spec's
# kind are about 34 MB; the limit still bounds the memory a hostile file can take.
MAX_SPEC_FILE_BYTES = 64 * 1024 * 1024


def read_text(
    path: Path, shown: str, limit: int = MAX_FILE_BYTES
) -> tuple[str | None, list[Diagnostic]]:
    """The file's text, or None with a diagnostic saying why it cannot be used."""
    loc = Location(shown, 1, 1)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a FIFO or device would block or never end
            return None, [
                Diagnostic(codes.UNREADABLE_FILE, "cannot read file: not a regular file", loc)
            ]
        size = info.st_size
        if size > limit:
            return None, [
                Diagnostic(
                    codes.UNREADABLE_FILE,
                    f"file is too large ({size} bytes; at most {limit} are read)",
                    loc,
                )
            ]
        data = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        return None, [Diagnostic(codes.UNREADABLE_FILE, f"cannot read file: {reason}", loc)]
    return decode(data, shown)


def decode(data: bytes, shown: str) -> tuple[str | None, list[Diagnostic]]:
    if b"\x00" in data:
        return None, [
            Diagnostic(codes.UNREADABLE_FILE, "binary file (contains NUL bytes)", Location(shown))
        ]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        prefix = data[line_start : exc.start].removeprefix(b"\xef\xbb\xbf")
        column = len(prefix.decode("utf-8", errors="replace")) + 1
        return None, [
            Diagnostic(
                codes.UNREADABLE_FILE,
                f"invalid UTF-8 (byte 0x{data[exc.start]:02x})",
                Location(shown, line, column),
            )
        ]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return None, [Diagnostic(codes.EMPTY_FILE, "empty file", Location(shown))]
    return text, []
