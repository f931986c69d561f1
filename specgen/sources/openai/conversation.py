"""The inside of a ``~~~xml`` example block: messages, comparisons, labels, settings.

The block is read line by line, one message at a time: a message ends at its own
closing tag, so a code fence left open inside it cannot swallow the next message.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field, replace
from typing import Any

from specgen.diagnostics import Diagnostic
from specgen.model import (
    Answer,
    AnswerSet,
    AttachmentPart,
    Elision,
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
from specgen.sources import codes

ROLES = ("system", "developer", "user", "assistant", "tool")
_OPEN = re.compile(r"^<([A-Za-z_][\w-]*)((?:\s+[\w-]+=\"[^\"]*\")*)\s*>(.*)$")
_CLOSE = re.compile(r"^</([A-Za-z_][\w-]*)\s*>$")
_ATTR = re.compile(r"([\w-]+)=\"([^\"]*)\"")
_LABEL = re.compile(
    r"<!--\s*(?P<label>[A-Za-z_]+)(?:\[#(?P<ref>[^\]]*)\])?\s*(?:[:,]\s*(?P<text>.*?))?\s*-->"
)
# Text stuck before a tag ("*<comparison>", "x</user>"): the tag is read, the text kept.
_STRAY = re.compile(
    r"^(?P<stray>[^<\s][^<]*?)\s*(?P<tag></?(?:comparison|system|developer|user|assistant|tool)"
    r"(?:[\s>]|$).*)$"
)
_ATTACHMENT = re.compile(r"^\[file:\s*(\S+)\s*(.*?)\]$")
_ELISION = "[...]"
_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"), ("&amp;", "&"))


def unescape(text: str) -> str:
    """XML entities of the dialect back to characters (``&amp;`` last, so ``&amp;lt;``
    stays ``&lt;``)."""
    if "&" not in text:
        return text
    for entity, char in _ENTITIES:
        text = text.replace(entity, char)
    return text


@dataclass
class Block:
    """The lines of one ``~~~xml`` block and where they sit in the file."""

    path: str
    lines: list[str]
    first_line: int  # file line (1-based) of lines[0]

    def loc(self, index: int, column: int = 1) -> Location:
        return Location(self.path, self.first_line + index, column)


@dataclass
class Conversation:
    turns: list[Turn] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def parse_conversation(block: Block) -> Conversation:
    return _Parser(block).parse()


class _Parser:
    def __init__(self, block: Block) -> None:
        self.block = block
        self.lines = list(block.lines)  # a stray prefix is blanked out once reported
        self.out = Conversation()
        self.i = 0

    def report(self, code: str, message: str, index: int, column: int = 1) -> None:
        self.out.diagnostics.append(Diagnostic(code, message, self.block.loc(index, column)))

    def keep(self, into: list[Any], first: int, end: int, text: str | None = None) -> None:
        """Keep lines ``first``..``end - 1`` (or ``text`` found on line ``first``) as
        unparsed text in ``into`` (a conversation's turns or an answer set's leftovers);
        runs of adjacent kept lines become one block.

        A run's lines are gathered in a list and joined once (``settle``), not copied
        into a longer string at every line."""
        kept = text if text is not None else "\n".join(self.block.lines[first:end])
        loc = self.block.loc(first)
        if into and isinstance(into[-1], Unparsed) and self._kept_end == first:
            if self._run is None or self._run[0] is not into or self._run[1] != len(into) - 1:
                self.settle()
                self._run = (into, len(into) - 1, [into[-1].text])
            self._run[2].append(kept)
        else:
            self.settle()
            into.append(Unparsed(kept, loc, reported=True))
        self._kept_end = end if text is None else first + 1

    _kept_end = -1
    # The run of kept lines being gathered: the list it is in, its index there, its
    # texts so far (the Unparsed there holds only the first until ``settle``).
    _run: tuple[list[Any], int, list[str]] | None = None

    def settle(self) -> None:
        """Write the run of kept lines being gathered into its place as one block."""
        if self._run is not None:
            into, at, texts = self._run
            into[at] = Unparsed("\n".join(texts), into[at].loc, reported=True)
            self._run = None

    def stray(self, into: list[Any]) -> bool:
        """Text before a tag on the line (``*<comparison>``): reported and kept, then
        blanked so that the tag itself is read where it stands."""
        raw = self.lines[self.i]
        match = _STRAY.match(raw.strip())
        if match is None:
            return False
        start = len(raw) - len(raw.lstrip())
        stray = match.group("stray")
        tag = match.group("tag")
        name = tag[1:].split(">")[0].split()[0]
        self.report(codes.UNKNOWN_TAG, f"stray text '{stray}' before <{name}>", self.i, start + 1)
        self.keep(into, self.i, self.i + 1, stray)
        cut = start + raw.strip().index(tag)
        self.lines[self.i] = " " * cut + raw[cut:]
        return True

    def parse(self) -> Conversation:
        turns: list[Turn] = self.out.turns
        while self.i < len(self.lines):
            raw = self.lines[self.i]
            text = raw.strip()
            column = len(raw) - len(raw.lstrip()) + 1
            if not text:
                self.i += 1
            elif text == _ELISION:
                self.out.turns.append(Elision(self.block.loc(self.i, column)))
                self.i += 1
            elif (opening := _OPEN.match(text)) is not None:
                tag = opening.group(1)
                if tag == "comparison":
                    self.comparison(self.i)
                elif tag in ROLES:
                    message = self.message(self.i, opening, inside_comparison=False)
                    if isinstance(message, Message):
                        self.out.turns.append(message)
                else:
                    self.report(codes.UNKNOWN_TAG, f"unknown tag <{tag}>", self.i, column)
                    start = self.i
                    self._skip_unknown(tag, opening.group(3))
                    self.keep(turns, start, self.i)
            elif (closing := _CLOSE.match(text)) is not None:
                self.report(
                    codes.MISMATCHED_TAG,
                    f"</{closing.group(1)}> closes nothing",
                    self.i,
                    column,
                )
                self.keep(turns, self.i, self.i + 1)
                self.i += 1
            elif self.stray(turns):
                continue
            else:
                self.report(
                    codes.UNKNOWN_TAG,
                    "text outside any message (wrap it in a role tag)",
                    self.i,
                    column,
                )
                self.keep(turns, self.i, self.i + 1)
                self.i += 1
        self.settle()
        return self.out

    def _skip_unknown(self, tag: str, rest: str) -> None:
        """Step over an unknown element up to its closing tag (reported once)."""
        closing = f"</{tag}>"
        start = self.i
        self.i += 1
        if rest.strip().endswith(closing):
            return
        while self.i < len(self.lines):
            stripped = self.lines[self.i].strip()
            self.i += 1
            if stripped == closing:
                return
            if self._starts_turn(stripped):
                self.i -= 1
                break
        self.i = max(self.i, start + 1)

    # -- comparisons -------------------------------------------------------------------

    def comparison(self, start: int) -> None:
        answers: list[Answer] = []
        unparsed: list[Unparsed] = []
        self.i = start + 1
        while self.i < len(self.lines):
            raw = self.lines[self.i]
            text = raw.strip()
            column = len(raw) - len(raw.lstrip()) + 1
            if not text:
                self.i += 1
                continue
            if text == "</comparison>":
                self.i += 1
                break
            opening = _OPEN.match(text)
            if opening is not None and opening.group(1) == "comparison":
                break  # a new comparison: this one was never closed
            if opening is not None and opening.group(1) in ROLES:
                first = self.i
                message = self.message(self.i, opening, inside_comparison=True)
                if isinstance(message, Answer):
                    answers.append(message)
                else:  # another role's message: reported, kept as written
                    self.keep(unparsed, first, self.i)
                continue
            if self.stray(unparsed):
                continue
            self.report(
                codes.UNKNOWN_TAG,
                "only <assistant> answers may stand inside <comparison>",
                self.i,
                column,
            )
            self.keep(unparsed, self.i, self.i + 1)
            self.i += 1
        else:
            self.report(codes.UNCLOSED_EXAMPLE, "<comparison> is never closed", start)
        self.settle()
        self.out.turns.append(AnswerSet(tuple(answers), self.block.loc(start), tuple(unparsed)))

    # -- messages ----------------------------------------------------------------------

    def message(
        self, start: int, opening: re.Match[str], inside_comparison: bool
    ) -> Message | Answer | None:
        tag = opening.group(1)
        attrs = {key: unescape(value) for key, value in _ATTR.findall(opening.group(2))}
        rest = opening.group(3).strip()
        raw_line = self.lines[start]
        indent = len(raw_line) - len(raw_line.lstrip())
        label = _LABEL.search(rest)
        if label is not None:
            rest = (rest[: label.start()] + rest[label.end() :]).strip()
        content: list[tuple[int, str]] = []
        if rest:
            content.append((start, rest))
        end = self._collect(start, tag, content)
        if inside_comparison and tag != "assistant":
            self.report(
                codes.UNKNOWN_TAG,
                f"<{tag}> inside <comparison>: only assistant answers are judged",
                start,
                indent + 1,
            )
            return None
        loc = self.block.loc(start, indent + 1)
        settings: list[str] = []
        if tag == "system":
            content = self._settings(content, self.out.flags)  # the example's flags
            if not any(text.strip() for _, text in content):
                return None  # a flag-only system message: settings, no message
        elif any(text.strip() == "<settings>" for _, text in content):
            content = self._settings(content, settings)  # kept on the message
        parts = self._parts(content)
        raw = _is_raw_code(parts)
        if inside_comparison:
            answer = self._answer(loc, start, raw_line, label, attrs, parts)
            return replace(answer, raw=True) if raw else answer
        del end
        stray = None
        stray_loc = None
        if label is not None:
            # A whole label with a comment ("GOOD: accepts the compliment") is kept as
            # written: nobody judges this message, but its words must not be lost.
            inner = label.group(0)[len("<!--") : -len("-->")].strip()
            plain = inner == label.group("label")
            stray = _quality_word(label.group("label")) if plain else inner
            stray_loc = self.block.loc(start, raw_line.find(label.group("label")) + 1)
        return Message(
            role=tag,
            parts=tuple(parts),
            loc=loc,
            recipient=attrs.get("recipient"),
            name=attrs.get("name"),
            comment=attrs.get("comment"),
            end_turn=_bool(attrs.get("end_turn")),
            raw=raw,
            stray_quality=stray,
            stray_quality_loc=stray_loc,
            settings=tuple(settings),
        )

    def _collect(self, start: int, tag: str, content: list[tuple[int, str]]) -> int:
        """Gather lines up to ``</tag>``; returns the index after it."""
        closing = f"</{tag}>"
        if content and content[-1][1].endswith(closing):  # <user>Hi</user>
            index, text = content.pop()
            if text[: -len(closing)].strip():
                content.append((index, text[: -len(closing)].rstrip()))
            self.i = start + 1
            return self.i
        self.i = start + 1
        while self.i < len(self.lines):
            line = self.lines[self.i]
            stripped = line.strip()
            if stripped == closing:
                self.i += 1
                return self.i
            if stripped.endswith(closing) and not stripped.startswith("<"):
                content.append((self.i, line.rstrip()[: -len(closing)]))
                self.i += 1
                return self.i
            if self._starts_turn(stripped):
                break  # the message was never closed: stop before the next turn
            other = _CLOSE.match(stripped)
            if other is not None and other.group(1) in (*ROLES, "comparison"):
                column = len(line) - len(line.lstrip()) + 1
                self.report(
                    codes.MISMATCHED_TAG,
                    f"</{other.group(1)}> where </{tag}> was expected",
                    self.i,
                    column,
                )
                self.i += 1
                return self.i
            content.append((self.i, line))
            self.i += 1
        self.report(codes.UNCLOSED_EXAMPLE, f"<{tag}> is never closed", start)
        return self.i

    def _starts_turn(self, stripped: str) -> bool:
        """An opening role or comparison tag at the start of a line: the next turn.

        A message that holds such a line was not closed; stopping there keeps one
        missing close tag from swallowing the rest of the conversation.
        """
        opening = _OPEN.match(stripped)
        return opening is not None and (
            opening.group(1) == "comparison"
            or (opening.group(1) in ROLES and "<!--" in stripped)
            or (stripped == f"<{opening.group(1)}>" and opening.group(1) in ROLES)
        )

    def _settings(self, content: list[tuple[int, str]], into: list[str]) -> list[tuple[int, str]]:
        """Takes ``<settings>`` out of a message's lines into ``into``: ``key: true``
        becomes ``key``, ``key: value`` becomes ``key=value``."""
        kept: list[tuple[int, str]] = []
        inside = False
        for index, text in content:
            stripped = text.strip()
            if stripped == "<settings>":
                inside = True
            elif stripped == "</settings>":
                inside = False
            elif inside:
                key, _, value = stripped.partition(":")
                if value.strip().lower() == "true":
                    into.append(key.strip())
                elif stripped:
                    into.append(f"{key.strip()}={value.strip()}")
            else:
                kept.append((index, text))
        return kept

    def _parts(self, content: list[tuple[int, str]]) -> list[Part]:
        parts: list[Part] = []
        run: list[tuple[int, str]] = []
        untrusted: list[tuple[int, str]] | None = None

        def flush(lines: list[tuple[int, str]], kind: type[TextPart] | type[UntrustedPart]) -> None:
            first = next((n for n, (_, text) in enumerate(lines) if text.strip()), len(lines))
            end = len(lines)
            while end > first and not lines[end - 1][1].strip():
                end -= 1
            lines = lines[first:end]  # blank lines around the part left out
            if lines:
                text = unescape("\n".join(text for _, text in lines))
                parts.append(kind(Markdown(text, self.block.loc(lines[0][0]))))

        for index, text in content:
            stripped = text.strip()
            if untrusted is None and stripped == "<untrusted>":
                flush(run, TextPart)
                run, untrusted = [], []
            elif untrusted is not None and stripped == "</untrusted>":
                flush(untrusted, UntrustedPart)
                untrusted = None
            elif untrusted is not None:
                untrusted.append((index, text))
            elif (attachment := _ATTACHMENT.match(stripped)) is not None:
                flush(run, TextPart)
                run = []
                parts.append(
                    AttachmentPart(attachment.group(1), attachment.group(2), self.block.loc(index))
                )
            else:
                run.append((index, text))
        if untrusted is not None:
            flush(untrusted, UntrustedPart)
        flush(run, TextPart)
        return parts

    def _answer(
        self,
        loc: Location,
        start: int,
        raw_line: str,
        label: re.Match[str] | None,
        attrs: dict[str, str],
        parts: list[Part],
    ) -> Answer:
        if label is None:
            return Answer("", tuple(parts), loc, loc, recipient=attrs.get("recipient"))
        quality_loc = self.block.loc(start, raw_line.find(label.group("label")) + 1)
        violates = None
        if label.group("ref") is not None:
            ref_column = raw_line.find("[#", label.start()) + 3
            violates = Reference(
                RefKind.VIOLATES, label.group("ref"), self.block.loc(start, ref_column)
            )
        comment = None
        if label.group("text"):
            text_column = raw_line.find(label.group("text"), label.start()) + 1
            comment = Markdown(  # a label's words, not a message: no math (as in bodies)
                unescape(label.group("text")),
                self.block.loc(start, text_column),
                inline=True,
                math=False,
            )
        return Answer(
            quality=_quality_word(label.group("label")),
            parts=tuple(parts),
            loc=loc,
            quality_loc=quality_loc,
            comment=comment,
            violates=violates,
            recipient=attrs.get("recipient"),
        )


_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")


def _is_raw_code(parts: list[Part]) -> bool:
    """Whether a message is code written without a fence (the dialect has a few): some
    line is indented four spaces right under a line that is not a list item, which
    Markdown would run into the paragraph above and so lose the indentation."""
    if len(parts) != 1 or not isinstance(parts[0], TextPart):
        return False
    lines = parts[0].markdown.text.split("\n")
    if any(line.lstrip().startswith(("```", "~~~")) for line in lines):
        return False
    return any(
        line.startswith("    ")
        and prev.strip()
        and not _LIST_ITEM.match(prev)
        and not prev.startswith("    ")
        for prev, line in itertools.pairwise(lines)
    )


def _quality_word(label: str) -> str:
    """GOOD, OK, BAD -> good, ok, bad; anything else is kept for the linter to report."""
    lowered = label.lower()
    return lowered if lowered in ("good", "ok", "bad") else label


def _bool(value: str | None) -> bool | None:
    if value is None:
        return None
    return value.strip().lower() == "true"
