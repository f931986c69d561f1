"""What changed between two versions of a spec, in the spec's own terms.

The diff engine (``specgen.diff.engine``) fills these from two ``Spec`` models; the
outputs (HTML, Markdown, JSON) only read them. Like the spec model, nothing here knows
files, Markdown libraries or MkDocs. Old and new nodes are kept whole, so an output can
render either side and compare the rendered text word by word.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from specgen.model import Answer, Example, Message, Section, Spec
from specgen.origin import Origin


class Status(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    MODIFIED = "modified"
    UNCHANGED = "unchanged"


class Direction(StrEnum):
    RAISED = "raised"  # to a higher level (smaller rank)
    LOWERED = "lowered"
    ADDED = "added"  # had no authority, now has one
    REMOVED = "removed"
    UNRANKED = "unranked"  # one side's level is not in the configured order


@dataclass(frozen=True, slots=True)
class AuthorityChange:
    old: str | None  # level ids
    new: str | None
    direction: Direction


@dataclass(frozen=True, slots=True)
class Move:
    """A section under a new parent, or out of order among the siblings it kept."""

    old_parent: str | None  # section ids (a renamed parent's new id); None at the top level
    new_parent: str | None
    old_position: int  # 0-based index among siblings
    new_position: int


@dataclass(frozen=True, slots=True)
class AnswerDiff:
    status: Status
    old: Answer | None
    new: Answer | None
    verdict_changed: bool = False  # quality differs: e.g. good -> bad
    content_changed: bool = False
    comment_changed: bool = False
    violates_changed: bool = False  # the broken-principle reference
    # How the content (recipient and parts) and the comment changed; empty when they
    # did not (see ``TextChange``).
    text_changes: frozenset[TextChange] = frozenset()
    comment_changes: frozenset[TextChange] = frozenset()


@dataclass(frozen=True, slots=True)
class TurnDiff:
    """One turn of a conversation, old and new side aligned.

    ``kind`` is "message", "answers" or "elision". For "answers", ``answers`` pairs the
    alternatives of the two sets (matched by content, not by position)."""

    kind: str
    status: Status
    old_message: Message | None = None
    new_message: Message | None = None
    answers: tuple[AnswerDiff, ...] = ()
    # How a modified message changed: its parts and comment, and the role, recipient,
    # name and settings it shows (all read as words); empty otherwise.
    text_changes: frozenset[TextChange] = frozenset()


@dataclass(frozen=True, slots=True)
class ExampleDiff:
    id: str
    status: Status
    old: Example | None
    new: Example | None
    caption_changed: bool = False
    caption_changes: frozenset[TextChange] = frozenset()  # empty when it did not change
    flags_changed: bool = False
    turns: tuple[TurnDiff, ...] = ()

    @property
    def verdict_changes(self) -> tuple[AnswerDiff, ...]:
        return tuple(a for t in self.turns for a in t.answers if a.verdict_changed)


class RenameKind(StrEnum):
    DECLARED = "declared"  # the new section lists the old id in former_ids
    PROBABLE = "probable"  # an undeclared id change of a nearly identical section


class TextChange(StrEnum):
    """How a text changed (a body; captions, messages and answers alike).

    A changed text has MEANING, LINKS or both, or else FORMATTING alone: FORMATTING
    says that a reader reads the same words with the same link targets."""

    MEANING = "meaning"  # its words differ (typographic spelling aside)
    FORMATTING = "formatting"  # only whitespace, line breaks or Markdown spelling
    LINKS = "links"  # a link points elsewhere


@dataclass(frozen=True, slots=True)
class SectionDiff:
    id: str
    status: Status  # MODIFIED when anything below changed, including moves and retitles
    old: Section | None
    new: Section | None
    # The old id of a renamed section (compared body to body with the new one).
    renamed_from: str | None = None
    rename: RenameKind | None = None
    retitled: bool = False
    moved: Move | None = None
    authority: AuthorityChange | None = None
    informative_changed: bool = False
    body_changed: bool = False
    # How the body changed (empty when it did not): meaning, formatting, links.
    body_changes: frozenset[TextChange] = frozenset()
    # The body's links whose target changed, (old, new) in order: "#id" for a section,
    # else the address as written; None on the side that lacks the link.
    link_changes: tuple[tuple[str | None, str | None], ...] = ()
    # Only the source text differs (whitespace, markup, text kept unparsed): still a change.
    source_changed: bool = False
    tags_added: tuple[str, ...] = ()
    tags_removed: tuple[str, ...] = ()
    eval_refs_added: tuple[str, ...] = ()
    eval_refs_removed: tuple[str, ...] = ()
    examples: tuple[ExampleDiff, ...] = ()  # every example, unchanged ones included

    @property
    def title(self) -> str:
        node = self.new or self.old
        assert node is not None
        return node.title

    @property
    def changed_examples(self) -> tuple[ExampleDiff, ...]:
        return tuple(e for e in self.examples if e.status is not Status.UNCHANGED)


@dataclass(frozen=True, slots=True)
class EvalSetDiff:
    id: str
    status: Status


@dataclass(frozen=True, slots=True)
class Summary:
    sections_added: int = 0
    sections_removed: int = 0
    sections_modified: int = 0  # including retitled and moved ones
    sections_retitled: int = 0
    sections_moved: int = 0
    sections_unchanged: int = 0
    sections_renamed: int = 0  # declared in former_ids (counted as modified)
    sections_probably_renamed: int = 0  # undeclared (counted as modified)
    sections_text_changed: int = 0  # modified sections whose words changed
    sections_formatting_only: int = 0  # modified sections with only formatting changes
    sections_links_changed: int = 0  # sections with a link whose target changed
    authority_raised: int = 0
    authority_lowered: int = 0
    authority_other: int = 0  # added, removed or unranked
    examples_added: int = 0
    examples_removed: int = 0
    examples_modified: int = 0
    verdicts_changed: int = 0
    eval_sets_added: int = 0
    eval_sets_removed: int = 0
    eval_sets_modified: int = 0


@dataclass(frozen=True, slots=True)
class SpecDiff:
    old_label: str  # how the sides were named: a git revision, a path
    new_label: str
    old: Spec
    new: Spec
    old_origin: Origin = field(default_factory=Origin)
    new_origin: Origin = field(default_factory=Origin)
    # Every section of both sides: new document order, a removed section at the place
    # it had in the old one.
    sections: tuple[SectionDiff, ...] = ()
    eval_sets: tuple[EvalSetDiff, ...] = ()
    summary: Summary = field(default_factory=Summary)
    home_changed: bool = False  # the front page (OpenAI: text before the first heading)
    home_changes: frozenset[TextChange] = frozenset()  # how it changed

    @property
    def changed(self) -> tuple[SectionDiff, ...]:
        return tuple(s for s in self.sections if s.status is not Status.UNCHANGED)
