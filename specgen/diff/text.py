"""Plain text as the diff compares it: normalised, and a message's parts as source text.

Text (bodies, captions, comments, message parts) is compared after normalising line
endings, trailing whitespace and runs of blank lines: a reader sees no change there, and
the OpenAI dialect keeps an example's lines blank in its section's body, so an example
growing by a line would otherwise look like a body change.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from specgen.model import AttachmentPart, Markdown, Part

_BLANK_RUNS = re.compile(r"\n{3,}")


def normalize_text(text: str) -> str:
    """``text`` as a reader sees it: ``\\n`` line endings, no trailing whitespace, one
    blank line where there were several, none at either end."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _BLANK_RUNS.sub("\n\n", text).strip("\n")


def texts_differ(old: str, new: str) -> bool:
    return old != new and normalize_text(old) != normalize_text(new)


def normalize_markdown(markdown: Markdown | None) -> str:
    """A Markdown's text normalised (``normalize_text``); none is ""."""
    return normalize_text(markdown.text) if markdown is not None else ""


def part_text(part: Part) -> str:
    """A part as plain source text: Markdown as written, an attachment as its name and
    caption."""
    if isinstance(part, AttachmentPart):
        return f"[{part.name}] {part.caption}".rstrip()
    return part.markdown.text


def parts_text(parts: Sequence[Part]) -> str:
    return "\n\n".join(part_text(p) for p in parts)
