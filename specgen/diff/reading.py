"""Kinds of text change: what a reader reads, from the parse.

The kind of change (``TextChange``) of a text found different comes from its markdown-it
parse: the words a reader reads (typographic spellings of quotes, dashes and ellipses
made one; whitespace, line breaks, emphasis and list markup left out; code kept line by
line; ``[?](#id)`` read as its target's title, ``[^id]`` as a word) and its links'
targets (a section reference as its id). Other words: MEANING; a link of the same words
pointing elsewhere (or words gaining or losing a link while no word changed): LINKS;
neither: FORMATTING. Texts that differ only in whitespace (and hold no code) are
FORMATTING without a parse. A message also reads its role, recipient, name and settings
as words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from types import MappingProxyType

from markdown_it.token import Token

from specgen.diff.model import TextChange
from specgen.mdit import parse
from specgen.mdit.spec_refs import REF_META, TITLE_META
from specgen.model import Answer, AttachmentPart, Markdown, Message, Part, UntrustedPart

# Typographic spellings a reader takes for one another: curly and straight quotes, the
# dashes markdown-it's typographer makes of "---" and "--", the ellipsis of "...", and
# characters that show nothing.
_TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2012": "\u2014",
        "\u2013": "\u2014",
        "\u2015": "\u2014",
        "\u2026": "...",
        "\u00ad": None,
        "\u200b": None,
        "\u2060": None,
        "\ufeff": None,
    }
)
_READ_WORD = re.compile(r"\w+|[^\w\s]")  # whitespace separates words and is no word
_SHOWN_INLINE = ("text", "code_inline", "math_inline", "html_inline")
FORMATTING_ONLY = frozenset({TextChange.FORMATTING})
NO_ALIASES: Mapping[str, str] = MappingProxyType({})  # no section was renamed
LinkChanges = tuple[tuple[str | None, str | None], ...]  # (old target, new target)


def read_words(text: str) -> list[str]:
    """The words of plain text as a reader takes them: runs of letters and digits and
    single other characters, typographic spellings made one."""
    return _READ_WORD.findall(text.translate(_TYPOGRAPHY))


@dataclass(frozen=True, slots=True)
class _Link:
    text: tuple[str, ...]  # its words
    target: str  # compared: "#id" (a renamed section's new id), else the address
    shown: str  # as written: "#old_id", "https://..."
    # A link whose words come from its target ([?](#id) shows the title) is known by
    # its target; another by its words.
    derived: bool = False

    @property
    def key(self) -> tuple[str, ...]:
        return ("\x00derived", self.target) if self.derived else self.text


@dataclass(slots=True)
class Reading:
    """What a reader takes from one or more texts: words and links, in order. Section
    references are resolved through ``aliases`` (old id -> new id of renamed sections)."""

    aliases: Mapping[str, str]
    words: list[str] = field(default_factory=list)
    links: list[_Link] = field(default_factory=list)

    def mark(self, *words: str) -> None:
        """Words that are not text (a role, a recipient): "\\x00" keeps them apart."""
        self.words.extend(f"\x00{w}" for w in words)

    def text(self, text: str) -> None:
        self.words.extend(read_words(text))

    def verbatim(self, text: str) -> None:
        """Code: each line as written, its indentation included."""
        self.words.extend(line.rstrip() for line in text.split("\n") if line.strip())

    def markdown(self, markdown: Markdown) -> None:
        for token in parse(markdown):
            kind = token.type
            if kind == "inline":
                self._inline(token.children or [])
            elif kind in ("fence", "code_block"):
                self.verbatim(token.content)
            elif kind in ("html_block", "math_block") and not _is_comment(token.content):
                self.text(token.content)  # raw HTML is shown as text, escaped
            elif kind == "example_placement":
                self.mark(f"example:{token.meta.get('id', '')}")
            elif kind == "admonition_open":
                self.mark(f"admonition:{token.meta.get('tag', '')}")

    def _inline(self, children: Sequence[Token]) -> None:
        link: tuple[str, str, bool, int] | None = None  # target, shown, [?], first word
        for child in children:
            kind = child.type
            if kind == "link_open":
                target, shown = self._target(child)
                link = (target, shown, bool(child.meta.get(TITLE_META)), len(self.words))
            elif kind == "link_close" and link is not None:
                target, shown, title, start = link
                text = ("?",) if title else tuple(self.words[start:])
                self.links.append(_Link(text, target, shown, derived=title))
                link = None
            elif kind == "text" and link is not None and link[2]:
                self.mark(f"title:{link[0]}")  # [?](#id) reads as the target's title
            elif _shown_inline(child):
                self.text(child.content)
            elif kind == "image":
                start = len(self.words)
                self._inline(child.children or [])
                src = str(child.attrGet("src") or "")
                self.links.append(_Link(tuple(self.words[start:]), src, src))
            elif kind == "eval_ref":  # a citation marker in the text: read as a word
                self.mark(f"eval:{child.meta.get('id', '')}")

    def _target(self, link_open: Token) -> tuple[str, str]:
        ref = link_open.meta.get(REF_META)
        if ref is not None:
            return f"#{self.aliases.get(ref, ref)}", f"#{ref}"
        href = str(link_open.attrGet("href") or "")
        return href, href


def _is_comment(html: str) -> bool:
    return html.lstrip().startswith("<!--")


def _shown_inline(token: Token) -> bool:
    """Inline text a reader sees: raw HTML too (shown as text, escaped), comments not."""
    if token.type == "html_inline":
        return not _is_comment(token.content)
    return token.type in _SHOWN_INLINE


def read_markdown(markdown: Markdown | None, aliases: Mapping[str, str]) -> Reading:
    reading = Reading(aliases)
    if markdown is not None:
        reading.markdown(markdown)
    return reading


def _read_parts(reading: Reading, parts: Sequence[Part], raw: bool) -> None:
    for part in parts:
        if isinstance(part, AttachmentPart):
            reading.mark("attachment", part.name)
            reading.text(part.caption)
        elif raw:
            reading.verbatim(part.markdown.text)
        else:
            if isinstance(part, UntrustedPart):
                reading.mark("untrusted")
            reading.markdown(part.markdown)


def read_message(message: Message, aliases: Mapping[str, str]) -> Reading:
    """A message as shown: who speaks to whom, its settings and parts, its comment."""
    reading = Reading(aliases)
    reading.mark(f"role:{message.role}", f"to:{message.recipient}", f"name:{message.name}")
    reading.mark(*(f"setting:{s}" for s in message.settings), f"end:{message.end_turn}")
    _read_parts(reading, message.parts, message.raw)
    if message.comment:
        reading.mark("comment")
        reading.text(message.comment)
    return reading


def read_answer(answer: Answer, aliases: Mapping[str, str]) -> Reading:
    reading = Reading(aliases)
    reading.mark(f"to:{answer.recipient}")
    _read_parts(reading, answer.parts, answer.raw)
    return reading


def _paired_links(old: Reading, new: Reading) -> Iterator[tuple[_Link | None, _Link | None]]:
    """The links of two readings paired: those of the same words; a [?](#id) replaced
    by one other; the rest alone."""
    matcher = SequenceMatcher(
        None, [link.key for link in old.links], [link.key for link in new.links], False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        before, after = old.links[i1:i2], new.links[j1:j2]
        if tag == "equal" or (
            tag == "replace"
            and len(before) == len(after) == 1
            and before[0].derived
            and after[0].derived
        ):
            yield from zip(before, after, strict=True)
        else:
            yield from ((link, None) for link in old.links[i1:i2])
            yield from ((None, link) for link in new.links[j1:j2])


def _link_changes(old: Reading, new: Reading) -> LinkChanges:
    """(old target, new target) of each link that points elsewhere; a link gained or lost
    counts only when the words stayed (else it came or went with its words)."""
    same_words = old.words == new.words
    out: list[tuple[str | None, str | None]] = []
    for before, after in _paired_links(old, new):
        if before is not None and after is not None:
            if before.target != after.target:
                out.append((before.shown, after.shown))
        elif same_words:
            out.append((before.shown if before else None, after.shown if after else None))
    return tuple(out)


def compare_readings(old: Reading, new: Reading) -> tuple[frozenset[TextChange], LinkChanges]:
    """How two different texts differ (MEANING and/or LINKS, else FORMATTING), and
    the links that point elsewhere."""
    links = _link_changes(old, new) if old.links != new.links else ()
    found = set()
    if old.words != new.words:
        found.add(TextChange.MEANING)
    if links:
        found.add(TextChange.LINKS)
    return (frozenset(found) if found else FORMATTING_ONLY), links


def text_changes(
    old: Markdown, new: Markdown, aliases: Mapping[str, str] = NO_ALIASES
) -> tuple[frozenset[TextChange], LinkChanges]:
    """How ``old`` changed into ``new`` (two texts found different) and which link
    targets changed; ``aliases`` maps old section ids to the new ids of renamed
    sections, so a link that followed its section's rename is no change."""
    if _only_whitespace_differs(old.text, new.text):
        return FORMATTING_ONLY, ()  # re-wrapped or re-spaced: known without a parse
    return compare_readings(read_markdown(old, aliases), read_markdown(new, aliases))


# A line that may be code (indented, or a fence), where whitespace can be meaning.
_MAYBE_CODE = re.compile(r"^(?: {4}|\t| {0,3}(?:```|~~~))", re.M)


def _only_whitespace_differs(old: str, new: str) -> bool:
    return (
        old.split() == new.split()
        and _MAYBE_CODE.search(old) is None
        and _MAYBE_CODE.search(new) is None
    )
