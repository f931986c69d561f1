"""The diff engine: two ``Spec`` models in, a ``SpecDiff`` out.

What is compared, and how:

- **Sections** are keyed by id across the whole tree (the first section with an id, as
  ``Spec.section_index``). A section is *moved* when its parent id differs, or when it is
  out of order among the siblings it shares with the other side under the same parent:
  the longest run of those siblings kept in order stays put and only the others are
  moved, so inserting or removing a section moves nothing.
- **Renames** pair an old section with a new one of another id, compared as one
  section (title, body, examples, authority...) that is always modified: *declared*
  when the new section lists the old id in ``former_ids`` (and the old id is no section
  of the new side, nor the new id one of the old); else *probable* when a section only
  the old side has and one only the new side has read nearly the same: identical words
  (title, body, examples) first, then the pairs whose word-level ``SequenceMatcher``
  ratio is at least ``RENAME_MATCH_RATIO``, best first. Up to ``MAX_RENAME_PAIRS``
  candidate pairs every pair is a candidate; past it, each old section is weighed only
  against the new ones near its place (``RENAME_NEIGHBOURS`` on either side, within the
  stretch between two sections both sides keep), so thousands of removed and added
  sections cost no millions of comparisons. A candidate's ratio is computed only when
  its upper bound (the share of words in common) is the best left. Old ids are then
  translated to the new ones: a renamed section's children are not moved, a move's
  parents are named by their new ids, and a reference to the old id (``[?](#old)``,
  ``violates: old``) is one to the new.
- **Authority** changes get a direction by rank in the new spec's level order (a level
  only the old spec knows is ranked in the old order; a level neither knows, or two
  levels of one rank, is ``UNRANKED``).
- **Text** (bodies, captions, comments, message parts) is compared after normalising
  line endings, trailing whitespace and runs of blank lines: a reader sees no change
  there, and the OpenAI dialect keeps an example's lines blank in its section's body, so
  an example growing by a line would otherwise look like a body change.
- **Kinds of text change** (``TextChange``) of a text found different: from its
  markdown-it parse, the words a reader reads (typographic spellings of quotes, dashes
  and ellipses made one; whitespace, line breaks, emphasis and list markup left out;
  code kept line by line; ``[?](#id)`` read as its target's title, ``[^id]`` as a word)
  and its links' targets (a section reference as its id). Other words: MEANING; a link
  of the same words pointing elsewhere (or words gaining or losing a link while no word
  changed): LINKS; neither: FORMATTING. Texts that differ only in whitespace (and hold
  no code) are FORMATTING without a parse. A message also reads its role, recipient,
  name and settings as words.
- **Examples** are keyed by id within their section. Their turns are aligned with
  ``difflib.SequenceMatcher`` over turn signatures (kind, role, the first part's text);
  turns in a replaced run are paired in order among turns of one kind. The alternatives
  of two aligned answer sets are paired by content: identical answers first, then the
  most similar pairs (word-level ratio at least ``ANSWER_MATCH_RATIO``; past
  ``MAX_ANSWER_PAIRS`` left-over pairs, only answers in the same place are weighed); the
  rest are added or removed.
- Every list (sections, examples, answers, eval sets) is in the new order, with what was
  removed placed right after what preceded it on the old side.

Markdown is parsed only for the texts found different (to class their change):
comparing two unchanged texts is a string comparison, and difflib only runs on the
turns and answers of examples that changed and on the sections without a partner.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from heapq import heapify, heappop, heappush
from types import MappingProxyType
from typing import TypeVar

from markdown_it.token import Token

from specgen.diff.model import (
    AnswerDiff,
    AuthorityChange,
    Direction,
    EvalSetDiff,
    ExampleDiff,
    Move,
    RenameKind,
    SectionDiff,
    SpecDiff,
    Status,
    Summary,
    TextChange,
    TurnDiff,
)
from specgen.mdit import parse
from specgen.mdit.spec_refs import REF_META, TITLE_META
from specgen.model import (
    Answer,
    AnswerSet,
    AttachmentPart,
    Elision,
    EvalPromptSet,
    Example,
    Location,
    Markdown,
    Message,
    Part,
    RefKind,
    Section,
    Spec,
    SpecConfig,
    TextPart,
    Turn,
    Unparsed,
    UntrustedPart,
)
from specgen.origin import Origin

ANSWER_MATCH_RATIO = 0.5  # two different answers below this similarity are not paired
# Left-over answers of two aligned sets are weighed pair by pair up to this many pairs
# (50 x 50); past it, each is weighed only with the one in its place among the left-over
# ones, so a set of thousands of answers costs no millions of comparisons.
MAX_ANSWER_PAIRS = 2_500
RENAME_MATCH_RATIO = 0.8  # a section only on each side, this similar: a probable rename
# Sections only on one side are weighed pair by pair up to this many pairs; past it, each
# old one against the new ones nearest its place (this many on either side).
MAX_RENAME_PAIRS = 2_500
RENAME_NEIGHBOURS = 4

UNPARSED_ROLE = "unparsed"  # text kept as written is compared as a message of this role
K = TypeVar("K", bound=Hashable)
T = TypeVar("T")

_BLANK_RUNS = re.compile(r"\n{3,}")


# -- text ---------------------------------------------------------------------------------


def normalize_text(text: str) -> str:
    """``text`` as a reader sees it: ``\\n`` line endings, no trailing whitespace, one
    blank line where there were several, none at either end."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _BLANK_RUNS.sub("\n\n", text).strip("\n")


def texts_differ(old: str, new: str) -> bool:
    return old != new and normalize_text(old) != normalize_text(new)


def _md(markdown: Markdown | None) -> str:
    return normalize_text(markdown.text) if markdown is not None else ""


def part_text(part: Part) -> str:
    """A part as plain source text: Markdown as written, an attachment as its name and
    caption."""
    if isinstance(part, AttachmentPart):
        return f"[{part.name}] {part.caption}".rstrip()
    return part.markdown.text


def parts_text(parts: Sequence[Part]) -> str:
    return "\n\n".join(part_text(p) for p in parts)


# -- kinds of text change: what a reader reads, from the parse ---------------------------

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
class _Reading:
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


def _read(markdown: Markdown | None, aliases: Mapping[str, str]) -> _Reading:
    reading = _Reading(aliases)
    if markdown is not None:
        reading.markdown(markdown)
    return reading


def _read_parts(reading: _Reading, parts: Sequence[Part], raw: bool) -> None:
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


def _read_message(message: Message, aliases: Mapping[str, str]) -> _Reading:
    """A message as shown: who speaks to whom, its settings and parts, its comment."""
    reading = _Reading(aliases)
    reading.mark(f"role:{message.role}", f"to:{message.recipient}", f"name:{message.name}")
    reading.mark(*(f"setting:{s}" for s in message.settings), f"end:{message.end_turn}")
    _read_parts(reading, message.parts, message.raw)
    if message.comment:
        reading.mark("comment")
        reading.text(message.comment)
    return reading


def _read_answer(answer: Answer, aliases: Mapping[str, str]) -> _Reading:
    reading = _Reading(aliases)
    reading.mark(f"to:{answer.recipient}")
    _read_parts(reading, answer.parts, answer.raw)
    return reading


def _paired_links(old: _Reading, new: _Reading) -> Iterator[tuple[_Link | None, _Link | None]]:
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


def _link_changes(old: _Reading, new: _Reading) -> LinkChanges:
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


def _compare(old: _Reading, new: _Reading) -> tuple[frozenset[TextChange], LinkChanges]:
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
    return _compare(_read(old, aliases), _read(new, aliases))


# A line that may be code (indented, or a fence), where whitespace can be meaning.
_MAYBE_CODE = re.compile(r"^(?: {4}|\t| {0,3}(?:```|~~~))", re.M)


def _only_whitespace_differs(old: str, new: str) -> bool:
    return (
        old.split() == new.split()
        and _MAYBE_CODE.search(old) is None
        and _MAYBE_CODE.search(new) is None
    )


# -- content keys: what two nodes must share to be equal, locations left out ---------------


def _part_key(part: Part) -> tuple[str, str, str]:
    if isinstance(part, AttachmentPart):
        return ("attachment", part.name, part.caption)
    kind = "text" if isinstance(part, TextPart) else "untrusted"
    return (kind, normalize_text(part.markdown.text), "")


def _message_key(message: Message) -> Hashable:
    return (
        message.role,
        tuple(_part_key(p) for p in message.parts),
        message.recipient,
        message.name,
        message.comment,
        message.end_turn,
        message.raw,
        message.settings,
    )


def _answer_content_key(answer: Answer) -> Hashable:
    return (tuple(_part_key(p) for p in answer.parts), answer.recipient, answer.raw)


def _violates(answer: Answer) -> str | None:
    return answer.violates.target if answer.violates is not None else None


def _answer_key(answer: Answer) -> Hashable:
    return (
        answer.quality,
        _answer_content_key(answer),
        _md(answer.comment),
        _violates(answer),
    )


def diffable_turns(turns: Sequence[Turn]) -> tuple[Turn, ...]:
    """The turns as the diff compares them: text kept unparsed (on its own, or left
    inside an answer set) becomes a message of role "unparsed" holding the raw text,
    so a change in it is a change like any other."""
    out: list[Turn] = []
    for turn in turns:
        if isinstance(turn, Unparsed):
            out.append(_unparsed_message(turn))
        elif isinstance(turn, AnswerSet) and turn.unparsed:
            out.append(replace(turn, unparsed=()))
            out.extend(_unparsed_message(u) for u in turn.unparsed)
        else:
            out.append(turn)
    return tuple(out)


def _unparsed_message(unparsed: Unparsed) -> Message:
    text = Markdown(unparsed.text, unparsed.loc)
    return Message(UNPARSED_ROLE, (TextPart(text),), unparsed.loc, raw=True)


def _turn_key(turn: Turn) -> Hashable:
    if isinstance(turn, Message):
        return _message_key(turn)
    if isinstance(turn, AnswerSet):
        return ("answers", tuple(_answer_key(a) for a in turn.answers))
    return ("elision",)


def _example_key(example: Example) -> Hashable:
    return (
        _md(example.caption),
        frozenset(example.flags),
        tuple(_turn_key(t) for t in diffable_turns(example.turns)),
    )


def _eval_set_key(eval_set: EvalPromptSet) -> Hashable:
    return (
        eval_set.title,
        _md(eval_set.body),
        tuple((p.id, _example_key(p)) for p in eval_set.prompts),
    )


# -- order ---------------------------------------------------------------------------------


def merge_order(
    n_old: int, new_to_old: Sequence[int | None]
) -> list[tuple[int | None, int | None]]:
    """(old index, new index) pairs in the new order, each old item without a partner
    right after the old item that preceded it (or first, if nothing did).

    ``new_to_old[j]`` is the old partner of new item ``j``, or None.
    """
    matched = {i for i in new_to_old if i is not None}
    out: list[tuple[int | None, int | None]] = []

    def tail(i: int) -> None:
        k = i + 1
        while k < n_old and k not in matched:
            out.append((k, None))
            k += 1

    tail(-1)
    for j, i in enumerate(new_to_old):
        out.append((i, j))
        if i is not None:
            tail(i)
    return out


def _merge_by_key(
    old: Sequence[T], new: Sequence[T], key: Callable[[T], K]
) -> Iterator[tuple[T | None, T | None]]:
    """Items of both sides paired by a unique key (the first item of a key wins; later
    ones are left out), in ``merge_order``."""
    old_items = _first_by_key(old, key)
    new_items = _first_by_key(new, key)
    old_pos = {key(item): i for i, item in enumerate(old_items)}
    mapping = [old_pos.get(key(item)) for item in new_items]
    for i, j in merge_order(len(old_items), mapping):
        yield (old_items[i] if i is not None else None, new_items[j] if j is not None else None)


def _first_by_key(items: Sequence[T], key: Callable[[T], K]) -> list[T]:
    seen: set[K] = set()
    out: list[T] = []
    for item in items:
        k = key(item)
        if k not in seen:
            seen.add(k)
            out.append(item)
    return out


def _longest_increasing(seq: Sequence[int]) -> set[int]:
    """Indices into ``seq`` of one longest strictly increasing subsequence."""
    tails: list[int] = []  # tails[k]: index in seq ending the best run of length k+1
    prev: list[int] = [-1] * len(seq)
    for i, value in enumerate(seq):
        lo, hi = 0, len(tails)
        while lo < hi:
            mid = (lo + hi) // 2
            if seq[tails[mid]] < value:
                lo = mid + 1
            else:
                hi = mid
        if lo > 0:
            prev[i] = tails[lo - 1]
        if lo == len(tails):
            tails.append(i)
        else:
            tails[lo] = i
    kept: set[int] = set()
    k = tails[-1] if tails else -1
    while k != -1:
        kept.add(k)
        k = prev[k]
    return kept


# -- sections ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Place:
    section: Section
    parent: str | None
    position: int  # among its siblings


@dataclass(slots=True)
class _Tree:
    places: dict[str, _Place]
    order: list[str]  # ids in document order
    children: dict[str | None, list[str]]  # parent id -> child ids, in order


def _tree(spec: Spec) -> _Tree:
    tree = _Tree({}, [], {})

    def visit(sections: tuple[Section, ...], parent: str | None) -> None:
        for position, section in enumerate(sections):
            if section.id not in tree.places:
                tree.places[section.id] = _Place(section, parent, position)
                tree.order.append(section.id)
                tree.children.setdefault(parent, []).append(section.id)
            visit(section.children, section.id)

    visit(spec.sections, None)
    return tree


def _moved(old: _Tree, new: _Tree) -> set[str]:
    moved = {
        sid
        for sid, place in new.places.items()
        if sid in old.places and old.places[sid].parent != place.parent
    }
    for parent, new_kids in new.children.items():
        old_kids = old.children.get(parent)
        if not old_kids:
            continue
        old_rank = {sid: i for i, sid in enumerate(old_kids)}
        kept = [sid for sid in new_kids if sid in old_rank]
        in_order = _longest_increasing([old_rank[sid] for sid in kept])
        moved.update(sid for i, sid in enumerate(kept) if i not in in_order)
    return moved


# -- renames -------------------------------------------------------------------------------


def _declared_renames(old: _Tree, new: _Tree) -> dict[str, str]:
    """New id -> old id: a section only the new side has that lists, in ``former_ids``,
    a section only the old side has (the first such id; each old id once)."""
    found: dict[str, str] = {}
    claimed: set[str] = set()
    for sid in new.order:
        if sid in old.places:
            continue
        for former in new.places[sid].section.former_ids:
            if former in old.places and former not in new.places and former not in claimed:
                found[sid] = former
                claimed.add(former)
                break
    return found


def _probable_renames(old: _Tree, new: _Tree, declared: Mapping[str, str]) -> dict[str, str]:
    """New id -> old id of sections only one side has (renames aside) that read nearly
    the same: identical words first, then the most similar pairs, best first."""
    taken = set(declared.values())
    gone = [sid for sid in old.order if sid not in new.places and sid not in taken]
    came = [sid for sid in new.order if sid not in old.places and sid not in declared]
    if not gone or not came:
        return {}
    old_words = [_section_words(old.places[sid].section) for sid in gone]
    new_words = [_section_words(new.places[sid].section) for sid in came]
    found: dict[str, str] = {}
    same: dict[tuple[str, ...], list[int]] = {}
    for i, words in enumerate(old_words):
        same.setdefault(tuple(words), []).append(i)
    paired_old: set[int] = set()
    rest_new: list[int] = []
    for j, words in enumerate(new_words):
        twins = same.get(tuple(words))
        if words and twins:
            i = twins.pop(0)
            found[came[j]] = gone[i]
            paired_old.add(i)
        else:
            rest_new.append(j)
    rest_old = [i for i in range(len(gone)) if i not in paired_old and old_words[i]]
    rest_new = [j for j in rest_new if new_words[j]]
    if len(rest_old) * len(rest_new) <= MAX_RENAME_PAIRS:
        pairs: Iterable[tuple[int, int]] = ((i, j) for i in rest_old for j in rest_new)
    else:
        pairs = _neighbours(old, new, declared, gone, came, rest_old, rest_new)
    for i, j in _best_pairs(pairs, old_words, new_words):
        found[came[j]] = gone[i]
    return found


def _section_words(section: Section) -> list[str]:
    """What a rename is recognised by: the title, body and examples, as written."""
    texts = [section.title, section.body.text]
    for example in section.examples:
        texts.append(example.caption.text)
        texts.extend(_turn_text(turn) for turn in example.turns)
    return " ".join(texts).split()


def _turn_text(turn: Turn) -> str:
    if isinstance(turn, Message):
        return parts_text(turn.parts)
    if isinstance(turn, AnswerSet):
        return " ".join(parts_text(a.parts) for a in turn.answers)
    return turn.text if isinstance(turn, Unparsed) else ""


def _neighbours(
    old: _Tree,
    new: _Tree,
    declared: Mapping[str, str],
    gone: Sequence[str],
    came: Sequence[str],
    rest_old: Sequence[int],
    rest_new: Sequence[int],
) -> Iterator[tuple[int, int]]:
    """Each left-over old section with the left-over new ones nearest its place: in the
    merged order, sections kept on both sides cut it into stretches; within a stretch,
    the k-th old section is weighed against the new ones around the same share of the
    stretch (``RENAME_NEIGHBOURS`` on either side)."""
    old_index = {sid: i for i, sid in enumerate(old.order)}
    new_to_old = [old_index.get(declared.get(sid, sid)) for sid in new.order]
    old_rest = {old_index[gone[i]]: i for i in rest_old}
    new_index = {sid: j for j, sid in enumerate(new.order)}
    new_rest = {new_index[came[j]]: j for j in rest_new}
    stretches: list[tuple[list[int], list[int]]] = [([], [])]
    for i, j in merge_order(len(old.order), new_to_old):
        if i is not None and j is not None:
            stretches.append(([], []))
        elif i is not None and i in old_rest:
            stretches[-1][0].append(old_rest[i])
        elif j is not None and j in new_rest:
            stretches[-1][1].append(new_rest[j])
    for olds, news in stretches:
        if not olds or not news:
            continue
        for rank, i in enumerate(olds):
            middle = rank * len(news) // len(olds)
            for j in news[max(0, middle - RENAME_NEIGHBOURS) : middle + RENAME_NEIGHBOURS + 1]:
                yield i, j


def _best_pairs(
    pairs: Iterable[tuple[int, int]], old_words: Sequence[list[str]], new_words: Sequence[list[str]]
) -> Iterator[tuple[int, int]]:
    """The pairs at least ``RENAME_MATCH_RATIO`` alike, most alike first, each section in
    one pair at most (greedy). difflib's ratio is costly on long texts, so it is computed
    lazily: pairs wait in a heap under an upper bound of it (the share of words in
    common, counted by set intersection), and a pair's ratio is computed only when its
    bound is the best left; a computed ratio goes back in under its exact value."""
    bags_old: dict[int, frozenset[tuple[str, int]]] = {}
    bags_new: dict[int, frozenset[tuple[str, int]]] = {}
    heap: list[tuple[float, bool, int, int]] = []  # (-score, is an upper bound, i, j)
    for i, j in pairs:
        a, b = len(old_words[i]), len(new_words[j])
        if 2 * min(a, b) < RENAME_MATCH_RATIO * (a + b):
            continue  # too different in length to reach the ratio
        old_bag = bags_old.get(i) or bags_old.setdefault(i, _bag(old_words[i]))
        new_bag = bags_new.get(j) or bags_new.setdefault(j, _bag(new_words[j]))
        bound = 2 * len(old_bag & new_bag) / (a + b)
        if bound >= RENAME_MATCH_RATIO:
            heap.append((-bound, True, i, j))
    heapify(heap)
    paired_old: set[int] = set()
    paired_new: set[int] = set()
    while heap:
        _, estimate, i, j = heappop(heap)
        if i in paired_old or j in paired_new:
            continue
        if estimate:
            ratio = SequenceMatcher(None, old_words[i], new_words[j], autojunk=False).ratio()
            if ratio >= RENAME_MATCH_RATIO:
                heappush(heap, (-ratio, False, i, j))
            continue
        paired_old.add(i)
        paired_new.add(j)
        yield i, j


def _bag(words: Sequence[str]) -> frozenset[tuple[str, int]]:
    """The words as a set of (word, occurrence): a multiset, intersected in C."""
    seen: dict[str, int] = {}
    out = []
    for word in words:
        count = seen[word] = seen.get(word, 0) + 1
        out.append((word, count))
    return frozenset(out)


def _renamed(tree: _Tree, new_ids: Mapping[str, str]) -> _Tree:
    """``tree`` with renamed sections under their new ids (old id -> new id), so that
    places, parents and sibling orders compare with the other side's."""
    if not new_ids:
        return tree

    def key(sid: str) -> str:
        return new_ids.get(sid, sid)

    return _Tree(
        places={
            key(sid): replace(place, parent=None if place.parent is None else key(place.parent))
            for sid, place in tree.places.items()
        },
        order=[key(sid) for sid in tree.order],
        children={
            (None if parent is None else key(parent)): [key(sid) for sid in kids]
            for parent, kids in tree.children.items()
        },
    )


def _level_rank(level: str, old: SpecConfig, new: SpecConfig) -> int | None:
    if new.level(level) is not None:
        return new.rank(level)
    if old.level(level) is not None:
        return old.rank(level)
    return None


def authority_change(
    old: str | None, new: str | None, old_config: SpecConfig, new_config: SpecConfig
) -> AuthorityChange | None:
    if old == new:
        return None
    if old is None:
        return AuthorityChange(old, new, Direction.ADDED)
    if new is None:
        return AuthorityChange(old, new, Direction.REMOVED)
    old_rank = _level_rank(old, old_config, new_config)
    new_rank = _level_rank(new, old_config, new_config)
    if old_rank is None or new_rank is None or old_rank == new_rank:
        direction = Direction.UNRANKED
    elif new_rank < old_rank:
        direction = Direction.RAISED
    else:
        direction = Direction.LOWERED
    return AuthorityChange(old, new, direction)


def _eval_refs(section: Section) -> tuple[str, ...]:
    return tuple(dict.fromkeys(r.target for r in section.references if r.kind is RefKind.EVAL))


def _only_in(these: Sequence[str], those: Sequence[str]) -> tuple[str, ...]:
    other = set(those)
    return tuple(dict.fromkeys(x for x in these if x not in other))


@dataclass(frozen=True, slots=True)
class _Sides:
    """What the comparison of every section shares."""

    old_config: SpecConfig
    new_config: SpecConfig
    same_format: bool  # source texts are comparable
    aliases: Mapping[str, str]  # old id -> new id of renamed sections


def _section_diff(
    old: Section | None,
    new: Section | None,
    old_place: _Place | None,
    new_place: _Place | None,
    moved: bool,
    sides: _Sides,
    rename: RenameKind | None = None,
) -> SectionDiff:
    aliases = sides.aliases
    if old is None:
        assert new is not None
        examples = tuple(_example_diff(None, e, aliases) for e in _first_by_key(new.examples, _id))
        return SectionDiff(new.id, Status.ADDED, None, new, examples=examples)
    if new is None:
        examples = tuple(_example_diff(e, None, aliases) for e in _first_by_key(old.examples, _id))
        return SectionDiff(old.id, Status.REMOVED, old, None, examples=examples)
    assert old_place is not None and new_place is not None
    move = (
        Move(old_place.parent, new_place.parent, old_place.position, new_place.position)
        if moved
        else None
    )
    old_refs, new_refs = _eval_refs(old), _eval_refs(new)
    body_changed = texts_differ(old.body.text, new.body.text)
    body_changes, links = (
        text_changes(old.body, new.body, aliases) if body_changed else (frozenset(), ())
    )
    diff = SectionDiff(
        id=new.id,
        status=Status.UNCHANGED,
        old=old,
        new=new,
        renamed_from=old.id if rename is not None else None,
        rename=rename,
        retitled=old.title != new.title,
        moved=move,
        authority=authority_change(
            old.authority, new.authority, sides.old_config, sides.new_config
        ),
        informative_changed=old.informative != new.informative,
        body_changed=body_changed,
        body_changes=body_changes,
        link_changes=links,
        tags_added=_only_in(new.tags, old.tags),
        tags_removed=_only_in(old.tags, new.tags),
        eval_refs_added=_only_in(new_refs, old_refs),
        eval_refs_removed=_only_in(old_refs, new_refs),
        examples=tuple(
            _example_diff(o, n, aliases) for o, n in _merge_by_key(old.examples, new.examples, _id)
        ),
    )
    changed = (
        diff.rename is not None
        or diff.retitled
        or diff.moved is not None
        or diff.authority is not None
        or diff.informative_changed
        or diff.body_changed
        or diff.tags_added
        or diff.tags_removed
        or diff.eval_refs_added
        or diff.eval_refs_removed
        or diff.changed_examples
    )
    if changed:
        return replace(diff, status=Status.MODIFIED)
    if sides.same_format and old.source != new.source:  # nothing the model holds differs
        return replace(diff, status=Status.MODIFIED, source_changed=True)
    return diff


def _id(node: Example | EvalPromptSet) -> str:
    return node.id


# -- examples ------------------------------------------------------------------------------


def _example_diff(
    old: Example | None, new: Example | None, aliases: Mapping[str, str] = NO_ALIASES
) -> ExampleDiff:
    if old is None:
        assert new is not None
        turns = _one_side(diffable_turns(new.turns), False)
        return ExampleDiff(new.id, Status.ADDED, None, new, turns=turns)
    if new is None:
        turns = _one_side(diffable_turns(old.turns), True)
        return ExampleDiff(old.id, Status.REMOVED, old, None, turns=turns)
    caption_changed = texts_differ(old.caption.text, new.caption.text)
    caption_changes = (
        text_changes(old.caption, new.caption, aliases)[0] if caption_changed else frozenset()
    )
    flags_changed = set(old.flags) != set(new.flags)
    aligned = _align_turns(diffable_turns(old.turns), diffable_turns(new.turns))
    turns = tuple(_turn_diff(o, n, aliases) for o, n in aligned)
    changed = (
        caption_changed or flags_changed or any(t.status is not Status.UNCHANGED for t in turns)
    )
    return ExampleDiff(
        new.id,
        Status.MODIFIED if changed else Status.UNCHANGED,
        old,
        new,
        caption_changed=caption_changed,
        caption_changes=caption_changes,
        flags_changed=flags_changed,
        turns=turns,
    )


def _kind(turn: Turn) -> str:
    if isinstance(turn, Message):
        return "message"
    if isinstance(turn, AnswerSet):
        return "answers"
    return "elision"


def _flat(text: str) -> str:
    return " ".join(text.split())


def _signature(turn: Turn) -> tuple[str, str, str]:
    if isinstance(turn, Message):
        first = _flat(part_text(turn.parts[0])) if turn.parts else ""
        return ("message", turn.role, first)
    if isinstance(turn, AnswerSet):
        answer = turn.answers[0] if turn.answers else None
        first = _flat(part_text(answer.parts[0])) if answer and answer.parts else ""
        return ("answers", "", first)
    return ("elision", "", "")


def _align_turns(old: Sequence[Turn], new: Sequence[Turn]) -> list[tuple[Turn | None, Turn | None]]:
    old_sigs = [_signature(t) for t in old]
    new_sigs = [_signature(t) for t in new]
    if old_sigs == new_sigs:
        return list(zip(old, new, strict=True))
    pairs: list[tuple[Turn | None, Turn | None]] = []
    matcher = SequenceMatcher(None, old_sigs, new_sigs, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs.extend(zip(old[i1:i2], new[j1:j2], strict=True))
        else:
            pairs.extend(_pair_by_kind(old[i1:i2], new[j1:j2]))
    return pairs


def _pair_by_kind(
    old: Sequence[Turn], new: Sequence[Turn]
) -> list[tuple[Turn | None, Turn | None]]:
    """Turns of a replaced run: paired in order among turns of one kind."""
    pairs: list[tuple[Turn | None, Turn | None]] = []
    matcher = SequenceMatcher(None, [_kind(t) for t in old], [_kind(t) for t in new], False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs.extend(zip(old[i1:i2], new[j1:j2], strict=True))
        else:
            pairs.extend((t, None) for t in old[i1:i2])
            pairs.extend((None, t) for t in new[j1:j2])
    return pairs


def _one_side(turns: Sequence[Turn], removed: bool) -> tuple[TurnDiff, ...]:
    return tuple(_turn_diff(t, None) if removed else _turn_diff(None, t) for t in turns)


def _turn_diff(
    old: Turn | None, new: Turn | None, aliases: Mapping[str, str] = NO_ALIASES
) -> TurnDiff:
    if old is None or new is None:
        turn = new if old is None else old
        assert turn is not None
        status = Status.ADDED if old is None else Status.REMOVED
        message = turn if isinstance(turn, Message) else None
        answers = (
            tuple(
                AnswerDiff(status, None if old is None else a, a if old is None else None)
                for a in turn.answers
            )
            if isinstance(turn, AnswerSet)
            else ()
        )
        return TurnDiff(
            _kind(turn),
            status,
            old_message=message if new is None else None,
            new_message=message if old is None else None,
            answers=answers,
        )
    if isinstance(old, Message) and isinstance(new, Message):
        if _message_key(old) == _message_key(new):
            return TurnDiff("message", Status.UNCHANGED, old, new)
        changes, _ = _compare(_read_message(old, aliases), _read_message(new, aliases))
        return TurnDiff("message", Status.MODIFIED, old, new, text_changes=changes)
    if isinstance(old, AnswerSet) and isinstance(new, AnswerSet):
        answers = _answer_diffs(old.answers, new.answers, aliases)
        changed = any(a.status is not Status.UNCHANGED for a in answers)
        return TurnDiff(
            "answers", Status.MODIFIED if changed else Status.UNCHANGED, answers=answers
        )
    assert isinstance(old, Elision) and isinstance(new, Elision)
    return TurnDiff("elision", Status.UNCHANGED)


def _words(answer: Answer) -> list[str]:
    return parts_text(answer.parts).split()


def _similarity(old: list[str], new: list[str]) -> float:
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    if matcher.real_quick_ratio() < ANSWER_MATCH_RATIO:
        return 0.0
    if matcher.quick_ratio() < ANSWER_MATCH_RATIO:
        return 0.0
    return matcher.ratio()


def _answer_diffs(
    old: Sequence[Answer], new: Sequence[Answer], aliases: Mapping[str, str] = NO_ALIASES
) -> tuple[AnswerDiff, ...]:
    partner: list[int | None] = [None] * len(new)  # new index -> old index
    taken: set[int] = set()
    # Identical content first, in order (a verdict flip keeps its text).
    by_content: dict[Hashable, list[int]] = {}
    for i, answer in enumerate(old):
        by_content.setdefault(_answer_content_key(answer), []).append(i)
    used: Counter[Hashable] = Counter()  # how many of each content are paired so far
    for j, answer in enumerate(new):
        key = _answer_content_key(answer)
        candidates = by_content.get(key)
        if candidates and used[key] < len(candidates):
            i = candidates[used[key]]
            used[key] += 1
            partner[j] = i
            taken.add(i)
    # Then the most similar of the rest, best pairs first.
    rest_old = [i for i in range(len(old)) if i not in taken]
    rest_new = [j for j in range(len(new)) if partner[j] is None]
    if rest_old and rest_new:
        old_words = {i: _words(old[i]) for i in rest_old}
        new_words = {j: _words(new[j]) for j in rest_new}
        if len(rest_old) * len(rest_new) <= MAX_ANSWER_PAIRS:
            pairs: Iterable[tuple[int, int]] = ((i, j) for i in rest_old for j in rest_new)
        else:  # too many to weigh every pair: each with the one in its place
            pairs = zip(rest_old, rest_new, strict=False)
        scored = sorted(
            (-ratio, i, j)
            for i, j in pairs
            if (ratio := _similarity(old_words[i], new_words[j])) >= ANSWER_MATCH_RATIO
        )
        for _, i, j in scored:
            if i not in taken and partner[j] is None:
                partner[j] = i
                taken.add(i)
    return tuple(
        _answer_diff(old[i] if i is not None else None, new[j] if j is not None else None, aliases)
        for i, j in merge_order(len(old), partner)
    )


def _answer_diff(
    old: Answer | None, new: Answer | None, aliases: Mapping[str, str] = NO_ALIASES
) -> AnswerDiff:
    if old is None:
        return AnswerDiff(Status.ADDED, None, new)
    if new is None:
        return AnswerDiff(Status.REMOVED, old, None)
    verdict = old.quality != new.quality
    content = _answer_content_key(old) != _answer_content_key(new)
    comment = _md(old.comment) != _md(new.comment)
    old_violates = _violates(old)
    # A bad answer citing a section that was renamed cites the same section.
    violates = aliases.get(old_violates, old_violates) if old_violates else None
    violates_changed = violates != _violates(new)
    changed = verdict or content or comment or violates_changed
    return AnswerDiff(
        Status.MODIFIED if changed else Status.UNCHANGED,
        old,
        new,
        verdict_changed=verdict,
        content_changed=content,
        comment_changed=comment,
        violates_changed=violates_changed,
        text_changes=(
            _compare(_read_answer(old, aliases), _read_answer(new, aliases))[0]
            if content
            else frozenset()
        ),
        comment_changes=(
            _compare(_read(old.comment, aliases), _read(new.comment, aliases))[0]
            if comment
            else frozenset()
        ),
    )


# -- eval sets -----------------------------------------------------------------------------


def _eval_set_diff(
    old: EvalPromptSet | None, new: EvalPromptSet | None, same_format: bool = True
) -> EvalSetDiff:
    if old is None:
        assert new is not None
        return EvalSetDiff(new.id, Status.ADDED)
    if new is None:
        return EvalSetDiff(old.id, Status.REMOVED)
    same = _eval_set_key(old) == _eval_set_key(new) and (
        not same_format or old.source == new.source
    )
    return EvalSetDiff(new.id, Status.UNCHANGED if same else Status.MODIFIED)


# -- the whole spec ------------------------------------------------------------------------


def diff_specs(
    old: Spec,
    new: Spec,
    old_label: str = "old",
    new_label: str = "new",
    homes: tuple[str, str] = ("", ""),
    origins: tuple[Origin, Origin] | None = None,
) -> SpecDiff:
    """What changed from ``old`` to ``new``, section by section; ``homes``: the text of
    each side's front page, which belongs to no section; ``origins``: where each side
    was read from (git revision, repository paths, forge), for labels and links."""
    as_written, new_tree = _tree(old), _tree(new)
    declared = _declared_renames(as_written, new_tree)
    probable = _probable_renames(as_written, new_tree, declared)
    renames = {
        **{sid: (former, RenameKind.DECLARED) for sid, former in declared.items()},
        **{sid: (former, RenameKind.PROBABLE) for sid, former in probable.items()},
    }
    aliases = {former: sid for sid, (former, _) in renames.items()}
    old_tree = _renamed(as_written, aliases)  # keyed by the new ids of renamed sections
    moved = _moved(old_tree, new_tree)
    old_index = {sid: i for i, sid in enumerate(old_tree.order)}
    new_to_old = [old_index.get(sid) for sid in new_tree.order]
    # Source texts are compared only between specs written in one format: a folder and
    # the OpenAI file it was imported from differ in every byte and mean the same.
    same_format = old.dialect == new.dialect
    sides = _Sides(old.config, new.config, same_format, MappingProxyType(aliases))
    sections: list[SectionDiff] = []
    for i, j in merge_order(len(old_tree.order), new_to_old):
        old_key = old_tree.order[i] if i is not None else None  # the new id when renamed
        key = new_tree.order[j] if j is not None else old_key
        assert key is not None
        old_place = old_tree.places[old_key] if old_key is not None else None
        new_place = new_tree.places[key] if j is not None else None
        sections.append(
            _section_diff(
                old_place.section if old_place else None,
                new_place.section if new_place else None,
                old_place,
                new_place,
                key in moved,
                sides,
                renames[key][1] if key in renames and old_place is not None else None,
            )
        )
    eval_sets = tuple(
        _eval_set_diff(o, n, same_format)
        for o, n in _merge_by_key(old.eval_sets, new.eval_sets, _id)
    )
    home_changed = homes[0] != homes[1] if same_format else texts_differ(homes[0], homes[1])
    return SpecDiff(
        old_label=old_label,
        new_label=new_label,
        old=old,
        new=new,
        old_origin=origins[0] if origins else Origin(old_label),
        new_origin=origins[1] if origins else Origin(new_label),
        sections=tuple(sections),
        eval_sets=eval_sets,
        summary=summarize(sections, eval_sets),
        home_changed=home_changed,
        home_changes=_home_changes(homes, home_changed),
    )


def _home_changes(homes: tuple[str, str], changed: bool) -> frozenset[TextChange]:
    if not changed:
        return frozenset()
    if not texts_differ(*homes):
        return FORMATTING_ONLY  # only line endings or trailing whitespace
    old, new = (Markdown(text, Location("home")) for text in homes)
    return text_changes(old, new)[0]


def summarize(sections: Sequence[SectionDiff], eval_sets: Sequence[EvalSetDiff]) -> Summary:
    """The counts of a diff. Examples of an added (removed) section count as added
    (removed) examples."""
    status = Counter(s.status for s in sections)
    directions = Counter(s.authority.direction for s in sections if s.authority is not None)
    renames = Counter(s.rename for s in sections if s.rename is not None)
    examples = Counter(e.status for s in sections for e in s.examples)
    eval_status = Counter(e.status for e in eval_sets)
    return Summary(
        sections_added=status[Status.ADDED],
        sections_removed=status[Status.REMOVED],
        sections_modified=status[Status.MODIFIED],
        sections_retitled=sum(1 for s in sections if s.retitled),
        sections_moved=sum(1 for s in sections if s.moved is not None),
        sections_unchanged=status[Status.UNCHANGED],
        sections_renamed=renames[RenameKind.DECLARED],
        sections_probably_renamed=renames[RenameKind.PROBABLE],
        sections_text_changed=sum(
            1 for s in sections if s.status is Status.MODIFIED and words_changed(s)
        ),
        sections_formatting_only=sum(1 for s in sections if formatting_only(s)),
        sections_links_changed=sum(1 for s in sections if links_changed(s)),
        authority_raised=directions[Direction.RAISED],
        authority_lowered=directions[Direction.LOWERED],
        authority_other=sum(directions.values())
        - directions[Direction.RAISED]
        - directions[Direction.LOWERED],
        examples_added=examples[Status.ADDED],
        examples_removed=examples[Status.REMOVED],
        examples_modified=examples[Status.MODIFIED],
        verdicts_changed=sum(len(e.verdict_changes) for s in sections for e in s.examples),
        eval_sets_added=eval_status[Status.ADDED],
        eval_sets_removed=eval_status[Status.REMOVED],
        eval_sets_modified=eval_status[Status.MODIFIED],
    )


# -- what a change amounts to (summary and --fail-on) -------------------------------------


def _answer_text_sets(answer: AnswerDiff) -> Iterator[frozenset[TextChange]]:
    yield answer.text_changes
    yield answer.comment_changes


def _example_text_sets(example: ExampleDiff) -> Iterator[frozenset[TextChange]]:
    yield example.caption_changes
    for turn in example.turns:
        yield turn.text_changes
        for answer in turn.answers:
            yield from _answer_text_sets(answer)


def text_change_sets(section: SectionDiff) -> Iterator[frozenset[TextChange]]:
    """How each text of ``section`` that changed did: body, captions, messages, answers
    and comments (empty sets for texts that did not)."""
    yield section.body_changes
    for example in section.changed_examples:
        yield from _example_text_sets(example)


def _has_words(turn: TurnDiff) -> bool:
    return turn.kind != "elision"


def words_changed(section: SectionDiff) -> bool:
    """Whether a reader reads other words in ``section``: it is added or removed, or
    retitled; a text in it changed in MEANING; an example, message or answer in it was
    added or removed. Not: formatting, link targets, moves, authority, tags, verdicts."""
    if section.status in (Status.ADDED, Status.REMOVED) or section.retitled:
        return True
    if any(TextChange.MEANING in changes for changes in text_change_sets(section)):
        return True
    for example in section.changed_examples:
        if example.status is not Status.MODIFIED:
            return True
        for turn in example.turns:
            if turn.status in (Status.ADDED, Status.REMOVED) and _has_words(turn):
                return True
            if any(a.status in (Status.ADDED, Status.REMOVED) for a in turn.answers):
                return True
    return False


def links_changed(section: SectionDiff) -> bool:
    """Whether a link in ``section`` (body, captions, messages, answers) points
    elsewhere."""
    return any(TextChange.LINKS in changes for changes in text_change_sets(section))


def formatting_only(section: SectionDiff) -> bool:
    """Whether ``section`` changed, but only in formatting: its source alone, or texts
    whose words and link targets all stayed, and nothing else."""
    if section.status is not Status.MODIFIED:
        return False
    if section.source_changed:
        return True
    if (
        section.rename is not None
        or section.retitled
        or section.moved is not None
        or section.authority is not None
        or section.informative_changed
        or section.tags_added
        or section.tags_removed
        or section.eval_refs_added
        or section.eval_refs_removed
    ):
        return False
    if section.body_changed and section.body_changes != FORMATTING_ONLY:
        return False
    return all(_example_formatting_only(e) for e in section.changed_examples)


def _example_formatting_only(example: ExampleDiff) -> bool:
    if example.status is not Status.MODIFIED or example.flags_changed:
        return False
    if example.caption_changed and example.caption_changes != FORMATTING_ONLY:
        return False
    return all(_turn_formatting_only(t) for t in example.turns)


def _turn_formatting_only(turn: TurnDiff) -> bool:
    if turn.status is Status.UNCHANGED:
        return True
    if turn.status is not Status.MODIFIED:
        return False
    if turn.kind == "message":
        return turn.text_changes == FORMATTING_ONLY
    return all(_answer_formatting_only(a) for a in turn.answers)


def _answer_formatting_only(answer: AnswerDiff) -> bool:
    if answer.status is Status.UNCHANGED:
        return True
    if answer.status is not Status.MODIFIED or answer.verdict_changed or answer.violates_changed:
        return False
    return all(not changes or changes == FORMATTING_ONLY for changes in _answer_text_sets(answer))
