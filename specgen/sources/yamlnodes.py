"""Turns validated front matter (ruamel nodes) into model nodes, with locations.

Front matter has already been checked against the schema; here every access is still
defensive, because a file with schema errors is loaded as far as it can be.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

from specgen.model import (
    Answer,
    AnswerSet,
    AttachmentPart,
    Elision,
    Example,
    Location,
    Markdown,
    Message,
    Part,
    Reference,
    RefKind,
    TextPart,
    Turn,
    Unparsed,
    UntrustedPart,
)


@dataclass(frozen=True, slots=True)
class YamlSource:
    """Where the YAML text sits, to turn ruamel's 0-based marks into file locations."""

    shown: str
    first_line: int  # file line of YAML line 0
    lines: list[str]  # the file's lines, to find block scalar indentation

    def at(self, line: int, col: int) -> Location:
        return Location(self.shown, self.first_line + line, col + 1)

    def key_loc(self, node: Any, key: str) -> Location:
        try:
            return self.at(*node.lc.key(key))
        except (AttributeError, KeyError, TypeError):
            return self.node_loc(node)

    def value_loc(self, node: Any, key: str) -> Location:
        try:
            return self.at(*node.lc.value(key))
        except (AttributeError, KeyError, TypeError):
            return self.node_loc(node)

    def item_loc(self, node: Any, index: int) -> Location:
        try:
            return self.at(*node.lc.item(index))
        except (AttributeError, KeyError, TypeError, IndexError):
            return self.node_loc(node)

    def node_loc(self, node: Any) -> Location:
        try:
            return self.at(node.lc.line, node.lc.col)
        except (AttributeError, TypeError):
            return Location(self.shown, self.first_line, 1)

    def markdown(self, node: Any, key: str, inline: bool = False) -> Markdown:
        value = node.get(key) if isinstance(node, dict) else None
        text = value if isinstance(value, str) else ""
        loc = self.value_loc(node, key)
        if isinstance(value, LiteralScalarString):
            # The text starts on the line after the '|' or '>' indicator.
            file_line = loc.line + 1
            indent = _indent_of(self.lines, file_line)
            return Markdown(
                text.rstrip("\n"), Location(self.shown, file_line, indent + 1), inline, indent
            )
        if isinstance(value, FoldedScalarString):
            return Markdown(text.rstrip("\n"), loc, inline, 0, verbatim=False)
        line = self._line(loc.line)
        if isinstance(value, str) and loc.column <= len(line) and line[loc.column - 1] in "'\"":
            loc = Location(loc.path, loc.line, loc.column + 1)
        # Plain or quoted text is verbatim only if it stands as is on one line.
        verbatim = line[loc.column - 1 : loc.column - 1 + len(text)] == text
        return Markdown(text, loc, inline, loc.column - 1, verbatim=verbatim)

    def _line(self, file_line: int) -> str:
        index = file_line - 1
        return self.lines[index] if 0 <= index < len(self.lines) else ""


def _indent_of(lines: list[str], file_line: int) -> int:
    for index in range(*slice(file_line - 1, None).indices(len(lines))):  # no copy
        line = lines[index]
        if line.strip():
            return len(line) - len(line.lstrip(" "))
    return 0


def _str(node: Any, key: str) -> str | None:
    value = node.get(key) if isinstance(node, dict) else None
    return str(value) if isinstance(value, str) else None


def _bool(node: Any, key: str) -> bool | None:
    value = node.get(key) if isinstance(node, dict) else None
    return value if isinstance(value, bool) else None


def strings(node: Any, key: str) -> tuple[str, ...]:
    value = node.get(key) if isinstance(node, dict) else None
    if not isinstance(value, list):
        return ()
    return tuple(str(v) for v in value if isinstance(v, str))


def build_examples(src: YamlSource, items: Any) -> list[Example]:
    if not isinstance(items, list):
        return []
    examples = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        example_id = _str(item, "id") or f"example-{index + 1}"
        loc = src.value_loc(item, "id") if "id" in item else src.item_loc(items, index)
        examples.append(
            Example(
                id=example_id,
                caption=src.markdown(item, "caption", inline=True),
                turns=tuple(build_turns(src, item.get("conversation"))),
                loc=loc,
                flags=strings(item, "flags"),
            )
        )
    return examples


def build_turns(src: YamlSource, items: Any) -> list[Turn]:
    if not isinstance(items, list):
        return []
    turns: list[Turn] = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        loc = src.item_loc(items, index)
        if "answers" in item:
            answers = item.get("answers")
            built = []
            if isinstance(answers, list):
                built = [
                    _answer(src, a, src.item_loc(answers, i))
                    for i, a in enumerate(answers)
                    if isinstance(a, dict)
                ]
            unparsed = _str(item, "unparsed")
            kept = (Unparsed(unparsed, src.value_loc(item, "unparsed")),) if unparsed else ()
            turns.append(AnswerSet(tuple(built), loc, kept))
        elif "elided" in item:
            turns.append(Elision(loc))
        elif "unparsed" in item:
            turns.append(Unparsed(_str(item, "unparsed") or "", src.value_loc(item, "unparsed")))
        else:
            turns.append(_message(src, item, loc))
    return turns


def _message(src: YamlSource, item: Any, loc: Location) -> Message:
    quality = _str(item, "quality")
    return Message(
        role=_str(item, "role") or "",
        parts=tuple(_parts(src, item)),
        loc=src.value_loc(item, "role") if "role" in item else loc,
        recipient=_str(item, "recipient"),
        name=_str(item, "name"),
        comment=_str(item, "comment"),
        end_turn=_bool(item, "end_turn"),
        raw=bool(_bool(item, "raw")),
        stray_quality=quality,
        stray_quality_loc=src.value_loc(item, "quality") if quality is not None else None,
        settings=strings(item, "settings"),
    )


def _answer(src: YamlSource, item: Any, loc: Location) -> Answer:
    violates = _str(item, "violates")
    reference = None
    if violates is not None:
        reference = Reference(
            RefKind.VIOLATES, violates.lstrip("#"), src.value_loc(item, "violates")
        )
    return Answer(
        quality=_str(item, "quality") or "",
        parts=tuple(_parts(src, item)),
        loc=loc,
        quality_loc=src.value_loc(item, "quality") if "quality" in item else loc,
        comment=src.markdown(item, "comment", inline=True) if "comment" in item else None,
        violates=reference,
        recipient=_str(item, "recipient"),
        raw=bool(_bool(item, "raw")),
    )


def _parts(src: YamlSource, item: Any) -> list[Part]:
    content = item.get("content")
    if isinstance(content, str):
        return [TextPart(src.markdown(item, "content"))]
    if not isinstance(content, list):
        return []
    parts: list[Part] = []
    for index, part in enumerate(content):
        if not isinstance(part, dict):
            continue
        if "text" in part:
            parts.append(TextPart(src.markdown(part, "text")))
        elif "untrusted" in part:
            parts.append(UntrustedPart(src.markdown(part, "untrusted")))
        elif "attachment" in part:
            parts.append(
                AttachmentPart(
                    _str(part, "attachment") or "",
                    _str(part, "caption") or "",
                    src.item_loc(content, index),
                )
            )
    return parts
