"""Model nodes as JSON-ready dicts, shared by the eval records and the whole-model JSON.

``full`` adds what only the whole-model JSON carries (a stray quality label, where an
answer's label sits), so a record stays the contract's shape while the model JSON loses
nothing the model holds.
"""

from __future__ import annotations

from typing import Any

from specgen.model import (
    Answer,
    AnswerSet,
    AttachmentPart,
    Elision,
    Location,
    Markdown,
    Message,
    Part,
    SpecConfig,
    TextPart,
    Turn,
    Unparsed,
)

JSON = dict[str, Any]


def source(loc: Location) -> JSON:
    return {"path": loc.path, "line": loc.line, "column": loc.column}


def markdown(text: Markdown) -> JSON:
    """All a ``Markdown`` holds: its text, where it starts and how its lines map."""
    return {
        "text": text.text,
        "inline": text.inline,
        "indent": text.indent,
        "verbatim": text.verbatim,
        "math": text.math,
        "source": source(text.loc),
    }


def part(item: Part, full: bool = False) -> JSON:
    if isinstance(item, AttachmentPart):
        data: JSON = {"type": "attachment", "name": item.name, "caption": item.caption}
        return {**data, "source": source(item.loc)} if full else data
    kind = "text" if isinstance(item, TextPart) else "untrusted"
    if full:
        return {"type": kind, **markdown(item.markdown)}
    return {"type": kind, "text": item.markdown.text}


def message(msg: Message, full: bool = False) -> JSON:
    data: JSON = {
        "type": "message",
        "role": msg.role,
        "content": [part(p, full) for p in msg.parts],
        "recipient": msg.recipient,
        "name": msg.name,
        "comment": msg.comment,
        "end_turn": msg.end_turn,
        "settings": list(msg.settings),
        "raw": msg.raw,
    }
    if full:
        stray = msg.stray_quality_loc
        data["stray_quality"] = msg.stray_quality
        data["stray_quality_source"] = None if stray is None else source(stray)
    data["source"] = source(msg.loc)
    return data


def answer(item: Answer, config: SpecConfig, titles: dict[str, str], full: bool = False) -> JSON:
    violates = item.violates.target if item.violates is not None else None
    data: JSON = {
        "quality": item.quality,
        # An invalid label has no configured name: it is shown as written.
        "quality_name": config.quality_names.get(item.quality, item.quality),
        "content": [part(p, full) for p in item.parts],
        "comment": _comment(item.comment, full),
        "violates": violates,
        "violates_title": titles.get(violates) if violates is not None else None,
        "recipient": item.recipient,
        "raw": item.raw,
    }
    if full:
        data["quality_source"] = source(item.quality_loc)
        data["violates_source"] = None if item.violates is None else source(item.violates.loc)
    data["source"] = source(item.loc)
    return data


def _comment(comment: Markdown | None, full: bool) -> JSON | str | None:
    if comment is None:
        return None
    return markdown(comment) if full else comment.text


def unparsed(item: Unparsed, full: bool = False) -> JSON:
    data: JSON = {"type": "unparsed", "text": item.text}
    if full:
        data["reported"] = item.reported
    data["source"] = source(item.loc)
    return data


def elision(item: Elision) -> JSON:
    return {"type": "elision", "source": source(item.loc)}


def plain_turn(turn: Turn, full: bool = False) -> JSON | None:
    """A message, an elision or unparsed text; None for an answer set (the caller
    decides what an answer set becomes)."""
    if isinstance(turn, Message):
        return message(turn, full)
    if isinstance(turn, Elision):
        return elision(turn)
    if isinstance(turn, Unparsed):
        return unparsed(turn, full)
    return None


def answer_set_unparsed(answer_set: AnswerSet, full: bool = False) -> list[JSON]:
    """Text inside an answer set that is not an answer."""
    return [
        {k: v for k, v in unparsed(u, full).items() if k != "type"} for u in answer_set.unparsed
    ]
