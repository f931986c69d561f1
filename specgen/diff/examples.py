"""Examples compared: their turns aligned, the alternatives of their answer sets paired.

Examples are keyed by id within their section. Their turns are aligned with
``difflib.SequenceMatcher`` over turn signatures (kind, role, the first part's text);
turns in a replaced run are paired in order among turns of one kind. The alternatives of
two aligned answer sets are paired by content: identical answers first, then the most
similar pairs (word-level ratio at least ``ANSWER_MATCH_RATIO``; past
``MAX_ANSWER_PAIRS`` left-over pairs, only answers in the same place are weighed); the
rest are added or removed. Two turns or answers of the same content (their locations
left out) are unchanged without a parse; how others changed is classed by ``reading``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import replace
from difflib import SequenceMatcher

from specgen.diff.model import AnswerDiff, ExampleDiff, Status, TurnDiff
from specgen.diff.order import merge_order
from specgen.diff.reading import (
    NO_ALIASES,
    compare_readings,
    read_answer,
    read_markdown,
    read_message,
    text_changes,
)
from specgen.diff.text import (
    normalize_markdown,
    normalize_text,
    part_text,
    parts_text,
    texts_differ,
)
from specgen.model import (
    Answer,
    AnswerSet,
    AttachmentPart,
    Elision,
    Example,
    Markdown,
    Message,
    Part,
    TextPart,
    Turn,
    Unparsed,
)

ANSWER_MATCH_RATIO = 0.5  # two different answers below this similarity are not paired
# Left-over answers of two aligned sets are weighed pair by pair up to this many pairs
# (50 x 50); past it, each is weighed only with the one in its place among the left-over
# ones, so a set of thousands of answers costs no millions of comparisons.
MAX_ANSWER_PAIRS = 2_500
UNPARSED_ROLE = "unparsed"  # text kept as written is compared as a message of this role


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
        normalize_markdown(answer.comment),
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


def example_key(example: Example) -> Hashable:
    """What two examples (or eval prompts) must share to be equal."""
    return (
        normalize_markdown(example.caption),
        frozenset(example.flags),
        tuple(_turn_key(t) for t in diffable_turns(example.turns)),
    )


# -- examples ------------------------------------------------------------------------------


def example_diff(
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
        changes, _ = compare_readings(read_message(old, aliases), read_message(new, aliases))
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
    comment = normalize_markdown(old.comment) != normalize_markdown(new.comment)
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
            compare_readings(read_answer(old, aliases), read_answer(new, aliases))[0]
            if content
            else frozenset()
        ),
        comment_changes=(
            compare_readings(
                read_markdown(old.comment, aliases), read_markdown(new.comment, aliases)
            )[0]
            if comment
            else frozenset()
        ),
    )
