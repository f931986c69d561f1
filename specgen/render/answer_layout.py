"""Whether an example's answers sit side by side or one above the other.

Side by side is for comparing two short answers at a glance ("Sure!" beside a refusal).
Anything longer, three or more answers, code, tool calls or attachments would be squeezed
into half a card, so those are stacked, each answer the card's full width. The rule looks
only at the answers, never at the page, so every card shows the same kind of example the
same way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from specgen.model import Answer, TextPart

# Two answers of this many characters each fill about seven lines of a half-width column
# at a desktop width: a glance, not a read.
SHORT_ANSWER_CHARS = 320
# Blocks that need the card's full width: fenced or indented code, tables.
_WIDE_BLOCK = re.compile(r"^\s*(```|~~~|\|)|^( {4}|\t)\S", re.MULTILINE)


def side_by_side(answers: Sequence[Answer]) -> bool:
    """Two answers, both short prose: shown in two columns (when the card is wide enough;
    the stylesheet stacks them on a narrow screen)."""
    return len(answers) == 2 and all(_short_prose(answer) for answer in answers)


def _short_prose(answer: Answer) -> bool:
    if answer.recipient or answer.raw:
        return False
    if not all(isinstance(part, TextPart) for part in answer.parts):
        return False
    text = "\n".join(part.markdown.text for part in answer.parts if isinstance(part, TextPart))
    return len(text.strip()) <= SHORT_ANSWER_CHARS and not _WIDE_BLOCK.search(text)
