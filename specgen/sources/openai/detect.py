"""Telling an OpenAI-dialect file from a native section file."""

from __future__ import annotations

import re
from pathlib import Path

_ID_HEADING = re.compile(r"^#{1,6}[ \t].*\{#[^\s}]+[^}]*\}[ \t]*$", re.M)


def looks_like_openai(path: Path) -> bool:
    """A Markdown file without front matter whose headings carry ``{#id}`` attributes."""
    if not path.is_file() or path.suffix != ".md":
        return False
    try:
        with path.open("rb") as handle:
            head = handle.read(16384).decode("utf-8", errors="replace")
    except OSError:
        return False
    if head.startswith("---"):
        return False
    return path.name == "model_spec.md" or _ID_HEADING.search(head) is not None
