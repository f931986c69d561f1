"""What a change amounts to: the counts of a diff's summary, and what ``--fail-on``
checks (whether a section's words changed, a link points elsewhere, or only its
formatting changed)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence

from specgen.diff.model import (
    AnswerDiff,
    Direction,
    EvalSetDiff,
    ExampleDiff,
    RenameKind,
    SectionDiff,
    Status,
    Summary,
    TextChange,
    TurnDiff,
)
from specgen.diff.reading import FORMATTING_ONLY


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
