"""The diff engine: two ``Spec`` models in, a ``SpecDiff`` out.

It compares the sections, eval sets and front pages of two specs, leaning on modules of
their own for the rest:

- ``tree``: each side's section tree, and which sections moved;
- ``renames``: declared and probable renames, and the old tree under the new ids;
- ``examples``: examples, their turns, and the alternatives of their answer sets;
- ``text``: text normalised as a reader sees it, before it is compared;
- ``reading``: how a text found different changed (meaning, links, formatting);
- ``order``: two lists merged into one, in the new order;
- ``amounts``: what a change amounts to (the summary's counts, ``--fail-on``).

What is compared here, and how:

- **Sections** are keyed by id across the whole tree (the first section with an id, as
  ``Spec.section_index``); a renamed section is compared with the old section it was,
  under its new id, as one section that is always modified.
- **Authority** changes get a direction by rank in the new spec's level order (a level
  only the old spec knows is ranked in the old order; a level neither knows, or two
  levels of one rank, is ``UNRANKED``).
- **Source** texts are compared only between specs written in one format (a folder and
  the OpenAI file it was imported from differ in every byte and mean the same): a
  section or eval set whose source alone differs is modified.
- Every list (sections, examples, answers, eval sets) is in the new order, with what was
  removed placed right after what preceded it on the old side.

Markdown is parsed only for the texts found different (to class their change):
comparing two unchanged texts is a string comparison, and difflib only runs on the
turns and answers of examples that changed and on the sections without a partner.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType

from specgen.diff.amounts import summarize
from specgen.diff.examples import example_diff, example_key
from specgen.diff.model import (
    AuthorityChange,
    Direction,
    EvalSetDiff,
    Move,
    RenameKind,
    SectionDiff,
    SpecDiff,
    Status,
    TextChange,
)
from specgen.diff.order import first_by_key, merge_by_key, merge_order
from specgen.diff.reading import FORMATTING_ONLY, text_changes
from specgen.diff.renames import declared_renames, probable_renames, renamed_tree
from specgen.diff.text import normalize_markdown, texts_differ
from specgen.diff.tree import Place, moved_sections, section_tree
from specgen.model import (
    EvalPromptSet,
    Example,
    Location,
    Markdown,
    RefKind,
    Section,
    Spec,
    SpecConfig,
)
from specgen.origin import Origin

# -- sections ------------------------------------------------------------------------------


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
    old_place: Place | None,
    new_place: Place | None,
    moved: bool,
    sides: _Sides,
    rename: RenameKind | None = None,
) -> SectionDiff:
    aliases = sides.aliases
    if old is None:
        assert new is not None
        examples = tuple(example_diff(None, e, aliases) for e in first_by_key(new.examples, _id))
        return SectionDiff(new.id, Status.ADDED, None, new, examples=examples)
    if new is None:
        examples = tuple(example_diff(e, None, aliases) for e in first_by_key(old.examples, _id))
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
            example_diff(o, n, aliases) for o, n in merge_by_key(old.examples, new.examples, _id)
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


def _eval_set_key(eval_set: EvalPromptSet) -> Hashable:
    return (
        eval_set.title,
        normalize_markdown(eval_set.body),
        tuple((p.id, example_key(p)) for p in eval_set.prompts),
    )


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
    as_written, new_tree = section_tree(old), section_tree(new)
    declared = declared_renames(as_written, new_tree)
    probable = probable_renames(as_written, new_tree, declared)
    renames = {
        **{sid: (former, RenameKind.DECLARED) for sid, former in declared.items()},
        **{sid: (former, RenameKind.PROBABLE) for sid, former in probable.items()},
    }
    aliases = {former: sid for sid, (former, _) in renames.items()}
    old_tree = renamed_tree(as_written, aliases)  # keyed by the new ids of renamed sections
    moved = moved_sections(old_tree, new_tree)
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
        for o, n in merge_by_key(old.eval_sets, new.eval_sets, _id)
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
