"""A section's changes in words: the one wording every human-facing output uses.

``section_changes`` turns a ``SectionDiff`` into a list of ``Change``: a stable machine
word (``kind``, for CSS classes and tests), a short ``label`` and, when there is more to
say, a ``detail`` sentence. The HTML page (chips and a section's list of changes), the
pull-request Markdown (its Change and Details cells) and a release's "What changed" page
only choose how to show them. Levels are named by their configured names (a level id
that no level order has is named as written and marked "not in the level order"),
verdicts by the configured quality names.

A label is specgen's own words (and counts), never spec text; a detail can quote spec
text (a title, a level's name, a tag) and is plain text: each output escapes it.

This module imports no renderer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from specgen.diff.model import (
    AuthorityChange,
    Direction,
    ExampleDiff,
    Move,
    RenameKind,
    SectionDiff,
    SpecDiff,
    Status,
    TextChange,
)
from specgen.model import Spec, SpecConfig
from specgen.origin import Origin

ARROW = "→"
MINUS = "\u2212"  # a minus sign, for counts of what was removed

TOP_LEVEL = "the top level"
NOT_IN_ORDER = "not in the level order"  # marks a level id no level order has

STATUS_LABELS = {
    Status.ADDED: "Added",
    Status.REMOVED: "Removed",
    Status.MODIFIED: "Modified",
    Status.UNCHANGED: "Unchanged",
}

DIRECTION_WORDS = {
    Direction.RAISED: "raised",
    Direction.LOWERED: "lowered",
    Direction.ADDED: "added",
    Direction.REMOVED: "removed",
    Direction.UNRANKED: "not comparable",
}

# Every kind ``section_changes`` can give, in the order it gives them. A section's status
# (``status_change``) is one of "added", "removed", "modified".
KINDS = (
    "renamed",
    "probable-rename",
    "authority-raised",
    "authority-lowered",
    "authority-added",
    "authority-removed",
    "authority-unranked",
    "retitled",
    "moved",
    "reordered",
    "informative",
    "normative",
    "text",
    "formatting",
    "links",
    "source",
    "tags",
    "eval-refs",
    "examples",
    "verdicts",
)


@dataclass(frozen=True, slots=True)
class Change:
    """One kind of change of a section.

    ``kind``: a stable machine word (see ``KINDS``); ``label``: a few words, specgen's
    own ("Retitled", "Authority lowered", "Examples +1 -2" with a minus sign);
    ``detail``: a sentence with the specifics, in plain text that may quote the spec,
    or None when the label says it all."""

    kind: str
    label: str
    detail: str | None = None

    @property
    def text(self) -> str:
        """The most this change says: its detail, else its label."""
        return self.detail or self.label


@dataclass(frozen=True, slots=True)
class AuthorityWords:
    """An authority change in words: the levels' display names and the direction."""

    kind: str  # "authority-lowered"...
    label: str  # "Authority lowered"
    old: str  # "User", or "no level"; "platform (not in the level order)"
    new: str
    direction: str  # "lowered"; "not comparable" when one side is out of the order
    # False for a level id outside every level order (its name says so): to mark it.
    old_in_order: bool = True
    new_in_order: bool = True

    @property
    def sentence(self) -> str:
        """ "Authority lowered: User → Guideline"."""
        return f"{self.label}: {self.old} {ARROW} {self.new}"


@dataclass(frozen=True, slots=True)
class SideLabel:
    """How a side of the diff is named to a reader: the spec's own title and version
    (or date), the git revision and short commit, and the repository path read."""

    title: str
    version: str  # the spec's version, else its date; "" when it has neither
    revision: str | None  # as named ("main", "HEAD~1"); None for files on disk
    commit: str | None  # the short commit
    path: str  # the spec's path in the repository ("spec", "model_spec.md")

    @property
    def where(self) -> str:
        """ "main @ 1a2b3c4", "HEAD", or the path for files on disk."""
        if self.revision is None:
            return self.path
        if self.commit and not self.commit.startswith(self.revision):
            return f"{self.revision} @ {self.commit}"
        return self.commit or self.revision

    @property
    def text(self) -> str:
        """ "Northwind Air spec 2026.11 (main @ 1a2b3c4)": one line, plain text."""
        name = " ".join(x for x in (self.title, self.version) if x)
        return f"{name} ({self.where})" if name else self.where


def side_label(spec: Spec, origin: Origin) -> SideLabel:
    revision, _, _ = (origin.revision or "").partition(":")
    return SideLabel(
        title=spec.config.title,
        version=spec.config.version or spec.config.date,
        revision=revision or None,
        commit=origin.commit[:7] if origin.commit else None,
        path=origin.repo_path(spec.source) if spec.source else origin.label,
    )


def side_labels(diff: SpecDiff) -> tuple[SideLabel, SideLabel]:
    return side_label(diff.old, diff.old_origin), side_label(diff.new, diff.new_origin)


# -- names --------------------------------------------------------------------------------


def level_in_order(level_id: str | None, *configs: SpecConfig) -> bool:
    """Whether a level order of ``configs`` has ``level_id`` (no level: True, nothing
    to mark). A level outside them cannot be ranked: outputs mark it."""
    return level_id is None or any(c.level(level_id) is not None for c in configs)


def level_name(level_id: str | None, *configs: SpecConfig) -> str:
    """A level's display name from the first configuration that knows it; "no level";
    for an id no level order has, the id and "(not in the level order)"."""
    if level_id is None:
        return "no level"
    for config in configs:
        level = config.level(level_id)
        if level is not None:
            return level.name
    return f"{level_id} ({NOT_IN_ORDER})"


def quality_name(quality: str, *configs: SpecConfig) -> str:
    for config in configs:
        if quality in config.quality_names:
            return config.quality_names[quality]
    return quality


def section_titles(diff: SpecDiff) -> dict[str, str]:
    """Section id -> title, the new side's first."""
    titles = {s.id: s.title for s in diff.old.walk()}
    titles.update((s.id, s.title) for s in diff.new.walk())
    return titles


def parent_name(parent: str | None, titles: Mapping[str, str]) -> str:
    return titles.get(parent, parent) if parent is not None else TOP_LEVEL


def plural(count: int, noun: str) -> str:
    """ "1 example", "2 examples"."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


# -- one kind at a time -------------------------------------------------------------------


def status_change(section: SectionDiff) -> Change:
    """The section's status as a change: kind "added", "removed", "modified"."""
    return Change(section.status.value, STATUS_LABELS[section.status])


def authority_words(change: AuthorityChange, old: Spec, new: Spec) -> AuthorityWords:
    direction = change.direction
    return AuthorityWords(
        kind=f"authority-{direction.value}",
        label=f"Authority {DIRECTION_WORDS[direction]}",
        old=level_name(change.old, old.config, new.config),
        new=level_name(change.new, new.config, old.config),
        direction=DIRECTION_WORDS[direction],
        old_in_order=level_in_order(change.old, old.config, new.config),
        new_in_order=level_in_order(change.new, new.config, old.config),
    )


def rename_change(section: SectionDiff) -> Change | None:
    """ "Renamed from old_id" (declared in former_ids), or "Probably renamed from old_id:
    declare former_ids: [old_id]" (a removed and an added section that read the same)."""
    old_id = section.renamed_from
    if section.rename is None or old_id is None:
        return None
    if section.rename is RenameKind.DECLARED:
        return Change("renamed", "Renamed", f"Renamed from {old_id}")
    return Change(
        "probable-rename",
        "Probably renamed",
        f"Probably renamed from {old_id}: declare former_ids: [{old_id}]",
    )


def body_changes(section: SectionDiff) -> list[Change]:
    """How the body changed: "Text changed" (its words), "Formatting only", "Link
    targets changed" (with each old and new target)."""
    if not section.body_changed:
        return []
    kinds = section.body_changes or frozenset({TextChange.MEANING})
    out: list[Change] = []
    if TextChange.MEANING in kinds:
        out.append(Change("text", "Text changed"))
    if TextChange.FORMATTING in kinds:
        out.append(
            Change(
                "formatting",
                "Formatting only",
                "Formatting only: whitespace, line breaks or Markdown spelling; the same words",
            )
        )
    if TextChange.LINKS in kinds:
        targets = "; ".join(
            f"{old or 'no link'} {ARROW} {new or 'no link'}" for old, new in section.link_changes
        )
        label = "Link targets changed"
        out.append(Change("links", label, f"{label}: {targets}" if targets else None))
    return out


def move_change(move: Move, titles: Mapping[str, str]) -> Change:
    """ "Moved from under A to the top level", or "Reordered under A: position 3 → 1"."""
    if move.old_parent != move.new_parent:
        old = _under(parent_name(move.old_parent, titles))
        new = _under(parent_name(move.new_parent, titles))
        return Change("moved", "Moved", f"Moved from {old} to {new}")
    return Change(
        "reordered",
        "Reordered",
        f"Reordered {_under(parent_name(move.new_parent, titles))}: "
        f"position {move.old_position + 1} {ARROW} {move.new_position + 1}",
    )


def _under(name: str) -> str:
    return name if name == TOP_LEVEL else f"under {name}"


def plus_minus(added: tuple[str, ...], removed: tuple[str, ...]) -> str:
    """ "+a +b -c" (a minus sign): what was added, then what was removed."""
    return " ".join([*(f"+{x}" for x in added), *(f"{MINUS}{x}" for x in removed)])


def example_counts(section: SectionDiff) -> dict[Status, int]:
    """How many of the section's examples were added, removed and modified."""
    counts = dict.fromkeys((Status.ADDED, Status.REMOVED, Status.MODIFIED), 0)
    for example in section.changed_examples:
        counts[example.status] += 1
    return counts


def examples_change(section: SectionDiff) -> Change | None:
    """ "Examples +1 -1 ~2" (a minus sign) / "Examples: 1 added, 1 removed, 2 modified"."""
    counts = example_counts(section)
    signs = (("+", Status.ADDED), (MINUS, Status.REMOVED), ("~", Status.MODIFIED))
    short = [f"{sign}{counts[status]}" for sign, status in signs if counts[status]]
    if not short:
        return None
    words = [f"{counts[status]} {status.value}" for _, status in signs if counts[status]]
    return Change("examples", "Examples " + " ".join(short), "Examples: " + ", ".join(words))


def example_label(example: ExampleDiff) -> str:
    """ "Example added", "Example removed", "Example modified"."""
    return f"Example {example.status.value}"


def verdicts_label(count: int) -> str:
    """ "1 verdict changed", "3 verdicts changed"."""
    return f"{plural(count, 'verdict')} changed"


def verdict_texts(example: ExampleDiff, old: Spec, new: Spec) -> list[str]:
    """ "Compliant → Violation" for each answer of ``example`` whose verdict changed."""
    out = []
    for answer in example.verdict_changes:
        assert answer.old is not None and answer.new is not None
        out.append(
            f"{quality_name(answer.old.quality, old.config, new.config)} {ARROW} "
            f"{quality_name(answer.new.quality, new.config, old.config)}"
        )
    return out


# -- a whole section ----------------------------------------------------------------------


def section_changes(
    diff: SpecDiff, section: SectionDiff, titles: Mapping[str, str] | None = None
) -> tuple[Change, ...]:
    """What changed in ``section`` beyond its status, in the order of ``KINDS``.

    ``titles`` (``section_titles(diff)``) names the parents of a move; pass it when
    describing many sections. An added or removed section has at most its examples."""
    out: list[Change] = []
    rename = rename_change(section)
    if rename is not None:
        out.append(rename)
    if section.authority is not None:
        words = authority_words(section.authority, diff.old, diff.new)
        out.append(Change(words.kind, words.label, words.sentence))
    if section.retitled and section.old is not None and section.new is not None:
        out.append(
            Change(
                "retitled",
                "Retitled",
                f"Retitled: “{section.old.title}” {ARROW} “{section.new.title}”",
            )
        )
    if section.moved is not None:
        out.append(move_change(section.moved, section_titles(diff) if titles is None else titles))
    if section.informative_changed and section.new is not None:
        if section.new.informative:
            detail = "Now informative (no authority of its own)"
            out.append(Change("informative", "Now informative", detail))
        else:
            out.append(Change("normative", "No longer informative"))
    out.extend(body_changes(section))
    if section.source_changed:
        out.append(
            Change(
                "source",
                "Source only",
                "Only the source differs: formatting, whitespace or unparsed text",
            )
        )
    if section.tags_added or section.tags_removed:
        tags = plus_minus(section.tags_added, section.tags_removed)
        out.append(Change("tags", "Tags", f"Tags: {tags}"))
    if section.eval_refs_added or section.eval_refs_removed:
        refs = plus_minus(section.eval_refs_added, section.eval_refs_removed)
        label = "Eval prompt sets cited"
        out.append(Change("eval-refs", label, f"{label}: {refs}"))
    examples = examples_change(section)
    if examples is not None:
        out.append(examples)
    verdicts = [v for e in section.examples for v in verdict_texts(e, diff.old, diff.new)]
    if verdicts:
        label = verdicts_label(len(verdicts))
        out.append(Change("verdicts", label, f"{label}: {'; '.join(verdicts)}"))
    return tuple(out)
