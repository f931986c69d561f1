"""The diff engine: two ``Spec`` models in, a ``SpecDiff`` out.

What is compared, and how:

- **Sections** are keyed by id across the whole tree (the first section with an id, as
  ``Spec.section_index``). A section is *moved* when its parent id differs, or when it is
  out of order among the siblings it shares with the other side under the same parent:
  the longest run of those siblings kept in order stays put and only the others are
  moved, so inserting or removing a section moves nothing.
- **Authority** changes get a direction by rank in the new spec's level order (a level
  only the old spec knows is ranked in the old order; a level neither knows, or two
  levels of one rank, is ``UNRANKED``).
- **Text** (bodies, captions, comments, message parts) is compared after normalising
  line endings, trailing whitespace and runs of blank lines: a reader sees no change
  there, and the OpenAI dialect keeps an example's lines blank in its section's body, so
  an example growing by a line would otherwise look like a body change.
- **Examples** are keyed by id within their section. Their turns are aligned with
  ``difflib.SequenceMatcher`` over turn signatures (kind, role, the first part's text);
  turns in a replaced run are paired in order among turns of one kind. The alternatives
  of two aligned answer sets are paired by content: identical answers first, then the
  most similar pairs (word-level ratio at least ``ANSWER_MATCH_RATIO``; past
  ``MAX_ANSWER_PAIRS`` left-over pairs, only answers in the same place are weighed); the
  rest are added or removed.
- Every list (sections, examples, answers, eval sets) is in the new order, with what was
  removed placed right after what preceded it on the old side.

Nothing here parses Markdown: comparing two unchanged texts is a string comparison, and
difflib only runs on the turns and answers of examples that changed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from typing import TypeVar

from specgen.diff.model import (
    AnswerDiff,
    AuthorityChange,
    Direction,
    EvalSetDiff,
    ExampleDiff,
    Move,
    SectionDiff,
    SpecDiff,
    Status,
    Summary,
    TurnDiff,
)
from specgen.model import (
    Answer,
    AnswerSet,
    AttachmentPart,
    Elision,
    EvalPromptSet,
    Example,
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
)
from specgen.origin import Origin

ANSWER_MATCH_RATIO = 0.5  # two different answers below this similarity are not paired
# Left-over answers of two aligned sets are weighed pair by pair up to this many pairs
# (50 x 50); past it, each is weighed only with the one in its place among the left-over
# ones, so a set of thousands of answers costs no millions of comparisons.
MAX_ANSWER_PAIRS = 2_500

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


def _section_diff(
    old: Section | None,
    new: Section | None,
    old_place: _Place | None,
    new_place: _Place | None,
    moved: bool,
    old_config: SpecConfig,
    new_config: SpecConfig,
    same_format: bool = True,
) -> SectionDiff:
    if old is None:
        assert new is not None
        examples = tuple(_example_diff(None, e) for e in _first_by_key(new.examples, _id))
        return SectionDiff(new.id, Status.ADDED, None, new, examples=examples)
    if new is None:
        examples = tuple(_example_diff(e, None) for e in _first_by_key(old.examples, _id))
        return SectionDiff(old.id, Status.REMOVED, old, None, examples=examples)
    assert old_place is not None and new_place is not None
    move = (
        Move(old_place.parent, new_place.parent, old_place.position, new_place.position)
        if moved
        else None
    )
    old_refs, new_refs = _eval_refs(old), _eval_refs(new)
    diff = SectionDiff(
        id=new.id,
        status=Status.UNCHANGED,
        old=old,
        new=new,
        retitled=old.title != new.title,
        moved=move,
        authority=authority_change(old.authority, new.authority, old_config, new_config),
        informative_changed=old.informative != new.informative,
        body_changed=texts_differ(old.body.text, new.body.text),
        tags_added=_only_in(new.tags, old.tags),
        tags_removed=_only_in(old.tags, new.tags),
        eval_refs_added=_only_in(new_refs, old_refs),
        eval_refs_removed=_only_in(old_refs, new_refs),
        examples=tuple(
            _example_diff(o, n) for o, n in _merge_by_key(old.examples, new.examples, _id)
        ),
    )
    changed = (
        diff.retitled
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
    if same_format and old.source != new.source:  # nothing the model holds; the bytes differ
        return replace(diff, status=Status.MODIFIED, source_changed=True)
    return diff


def _id(node: Example | EvalPromptSet) -> str:
    return node.id


# -- examples ------------------------------------------------------------------------------


def _example_diff(old: Example | None, new: Example | None) -> ExampleDiff:
    if old is None:
        assert new is not None
        turns = _one_side(diffable_turns(new.turns), False)
        return ExampleDiff(new.id, Status.ADDED, None, new, turns=turns)
    if new is None:
        turns = _one_side(diffable_turns(old.turns), True)
        return ExampleDiff(old.id, Status.REMOVED, old, None, turns=turns)
    caption_changed = texts_differ(old.caption.text, new.caption.text)
    flags_changed = set(old.flags) != set(new.flags)
    aligned = _align_turns(diffable_turns(old.turns), diffable_turns(new.turns))
    turns = tuple(_turn_diff(o, n) for o, n in aligned)
    changed = (
        caption_changed or flags_changed or any(t.status is not Status.UNCHANGED for t in turns)
    )
    return ExampleDiff(
        new.id,
        Status.MODIFIED if changed else Status.UNCHANGED,
        old,
        new,
        caption_changed=caption_changed,
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


def _turn_diff(old: Turn | None, new: Turn | None) -> TurnDiff:
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
        same = _message_key(old) == _message_key(new)
        return TurnDiff("message", Status.UNCHANGED if same else Status.MODIFIED, old, new)
    if isinstance(old, AnswerSet) and isinstance(new, AnswerSet):
        answers = _answer_diffs(old.answers, new.answers)
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


def _answer_diffs(old: Sequence[Answer], new: Sequence[Answer]) -> tuple[AnswerDiff, ...]:
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
        _answer_diff(old[i] if i is not None else None, new[j] if j is not None else None)
        for i, j in merge_order(len(old), partner)
    )


def _answer_diff(old: Answer | None, new: Answer | None) -> AnswerDiff:
    if old is None:
        return AnswerDiff(Status.ADDED, None, new)
    if new is None:
        return AnswerDiff(Status.REMOVED, old, None)
    verdict = old.quality != new.quality
    content = _answer_content_key(old) != _answer_content_key(new)
    comment = _md(old.comment) != _md(new.comment)
    violates = _violates(old) != _violates(new)
    changed = verdict or content or comment or violates
    return AnswerDiff(
        Status.MODIFIED if changed else Status.UNCHANGED,
        old,
        new,
        verdict_changed=verdict,
        content_changed=content,
        comment_changed=comment,
        violates_changed=violates,
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
    old_tree, new_tree = _tree(old), _tree(new)
    moved = _moved(old_tree, new_tree)
    old_index = {sid: i for i, sid in enumerate(old_tree.order)}
    new_to_old = [old_index.get(sid) for sid in new_tree.order]
    # Source texts are compared only between specs written in one format: a folder and
    # the OpenAI file it was imported from differ in every byte and mean the same.
    same_format = old.dialect == new.dialect
    sections: list[SectionDiff] = []
    for i, j in merge_order(len(old_tree.order), new_to_old):
        old_place = old_tree.places[old_tree.order[i]] if i is not None else None
        new_place = new_tree.places[new_tree.order[j]] if j is not None else None
        place = new_place or old_place
        assert place is not None
        sid = place.section.id
        sections.append(
            _section_diff(
                old_place.section if old_place else None,
                new_place.section if new_place else None,
                old_place,
                new_place,
                sid in moved,
                old.config,
                new.config,
                same_format,
            )
        )
    eval_sets = tuple(
        _eval_set_diff(o, n, same_format)
        for o, n in _merge_by_key(old.eval_sets, new.eval_sets, _id)
    )
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
        home_changed=(homes[0] != homes[1] if same_format else texts_differ(homes[0], homes[1])),
    )


def summarize(sections: Sequence[SectionDiff], eval_sets: Sequence[EvalSetDiff]) -> Summary:
    """The counts of a diff. Examples of an added (removed) section count as added
    (removed) examples."""
    status = Counter(s.status for s in sections)
    directions = Counter(s.authority.direction for s in sections if s.authority is not None)
    examples = Counter(e.status for s in sections for e in s.examples)
    eval_status = Counter(e.status for e in eval_sets)
    return Summary(
        sections_added=status[Status.ADDED],
        sections_removed=status[Status.REMOVED],
        sections_modified=status[Status.MODIFIED],
        sections_retitled=sum(1 for s in sections if s.retitled),
        sections_moved=sum(1 for s in sections if s.moved is not None),
        sections_unchanged=status[Status.UNCHANGED],
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
