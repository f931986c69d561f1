"""The diff engine (``specgen.diff.engine``) and its JSON output.

Each kind of change has a fixture pair, ``tests/fixtures/diff/<case>/old`` and ``.../new``:
small native spec folders that differ by that change only. The two shared releases of the
OpenAI Model Spec are diffed too, and the section-level summary is pinned: it was checked
by hand against a plain ``diff`` of the two ``model_spec.md`` files (every hunk lies in a
section reported here, and every section reported here has a hunk).
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest

from specgen.diff.engine import authority_change, diff_specs
from specgen.diff.json_out import diff_to_json
from specgen.diff.model import (
    Direction,
    ExampleDiff,
    Move,
    SectionDiff,
    SpecDiff,
    Status,
    Summary,
    TextChange,
)
from specgen.diff.order import merge_order
from specgen.diff.text import normalize_text
from specgen.model import AuthorityLevel, Spec, SpecConfig
from specgen.project import ProjectConfig
from specgen.sources import load

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "diff"
SAMPLE = ROOT / "spec"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "openai-model-spec"
OLD, NEW = "2025-10-27", "2025-12-18"

needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir() and not os.environ.get("CI"),
    reason=f"the OpenAI Model Spec corpus is not at {CORPUS} (it must be there in CI)",
)


@cache
def read(path: Path) -> Spec:
    result = load(path, ProjectConfig())
    assert not result.diagnostics, [str(d) for d in result.diagnostics]
    return result.spec


def case(name: str) -> SpecDiff:
    return diff_specs(read(FIXTURES / name / "old"), read(FIXTURES / name / "new"))


@cache
def corpus(release: str) -> Spec:
    return read(CORPUS / release / "model_spec.md")


@cache
def corpus_diff() -> SpecDiff:
    return diff_specs(corpus(OLD), corpus(NEW), OLD, NEW)


def by_id(diff: SpecDiff) -> dict[str, SectionDiff]:
    return {s.id: s for s in diff.sections}


def statuses(diff: SpecDiff) -> dict[str, str]:
    return {s.id: s.status.value for s in diff.sections}


def example(diff: SpecDiff, section: str, example_id: str) -> ExampleDiff:
    return next(e for e in by_id(diff)[section].examples if e.id == example_id)


def only_change(diff: SpecDiff) -> SectionDiff:
    (changed,) = diff.changed
    return changed


# -- sections ------------------------------------------------------------------------------


def test_section_added_in_the_middle_moves_nothing() -> None:
    diff = case("section_added")
    assert statuses(diff) == {"a": "unchanged", "b": "added", "c": "unchanged", "d": "unchanged"}
    assert [s.id for s in diff.sections] == ["a", "b", "c", "d"]
    added = by_id(diff)["b"]
    assert added.old is None and added.new is not None
    assert diff.summary == Summary(sections_added=1, sections_unchanged=3)


def test_section_removed_keeps_its_old_place() -> None:
    diff = case("section_removed")
    # b right after a, as in the old order; g and its sub-section h after c.
    assert [s.id for s in diff.sections] == ["a", "b", "c", "g", "h"]
    assert statuses(diff) == {
        "a": "unchanged",
        "b": "removed",
        "c": "unchanged",
        "g": "removed",
        "h": "removed",
    }
    assert by_id(diff)["h"].new is None
    assert diff.summary == Summary(sections_removed=3, sections_unchanged=2)


def test_retitled_with_the_same_id() -> None:
    diff = case("retitled")
    section = only_change(diff)
    assert (section.id, section.status, section.retitled) == ("a", Status.MODIFIED, True)
    assert section.old is not None and section.old.title == "Offer refunds"
    assert section.title == "Offer refunds when we cancel"
    assert not section.body_changed and section.moved is None and section.authority is None
    # A title is words a reader reads.
    assert diff.summary == Summary(
        sections_modified=1, sections_retitled=1, sections_text_changed=1
    )


def test_moved_to_a_new_parent() -> None:
    diff = case("moved_parent")
    section = only_change(diff)
    assert section.id == "x"
    assert section.moved == Move("g", "k", 0, 1)
    assert [s.id for s in diff.sections] == ["g", "y", "k", "z", "x"]
    assert diff.summary == Summary(sections_modified=1, sections_moved=1, sections_unchanged=4)


def test_reordered_among_siblings_moves_only_the_one_that_moved() -> None:
    diff = case("reordered")
    section = only_change(diff)
    assert section.id == "b"
    assert section.moved == Move(None, None, 1, 3)
    assert diff.summary == Summary(sections_modified=1, sections_moved=1, sections_unchanged=3)


@pytest.mark.parametrize(
    ("name", "old", "new", "direction"),
    [
        ("authority_raised", "user", "system", Direction.RAISED),
        ("authority_lowered", "user", "guideline", Direction.LOWERED),
    ],
)
def test_authority_change_and_its_direction(
    name: str, old: str, new: str, direction: Direction
) -> None:
    diff = case(name)
    section = only_change(diff)
    assert section.authority is not None
    assert (section.authority.old, section.authority.new) == (old, new)
    assert section.authority.direction is direction
    raised = direction is Direction.RAISED
    assert diff.summary == Summary(
        sections_modified=1, authority_raised=int(raised), authority_lowered=int(not raised)
    )


def test_authority_directions_by_the_configured_order() -> None:
    levels = SpecConfig(levels=(AuthorityLevel("platform", "P"), AuthorityLevel("user", "U")))
    default = SpecConfig()

    def direction(old: str | None, new: str | None, old_config: SpecConfig = default) -> str:
        change = authority_change(old, new, old_config, levels)
        assert change is not None
        return change.direction.value

    assert direction("user", "platform") == "raised"  # by the new order
    assert direction("platform", "user") == "lowered"
    assert direction(None, "user") == "added"
    assert direction("user", None) == "removed"
    assert direction("root", "user") == "lowered"  # root, only in the old order, ranks 0
    assert direction("mystery", "user") == "unranked"
    assert authority_change("user", "user", default, levels) is None


def test_body_modified_and_whitespace_is_a_source_only_change() -> None:
    diff = case("body_modified")
    a, b = by_id(diff)["a"], by_id(diff)["b"]
    assert (a.status, a.body_changed, a.source_changed) == (Status.MODIFIED, True, False)
    # CRLF, trailing spaces, blank lines: the text reads the same, but the bytes differ,
    # and the diff never says "no change" then (line endings alone are not compared).
    assert (b.status, b.body_changed, b.source_changed) == (Status.MODIFIED, False, True)
    assert a.body_changes == {TextChange.MEANING} and b.body_changes == set()
    assert diff.summary == Summary(
        sections_modified=2, sections_text_changed=1, sections_formatting_only=1
    )


def test_informative_flag_and_authority_added() -> None:
    # A definitions section turned into a policy: no fixture needed, the model is edited.
    old = read(SAMPLE)
    first = old.sections[1]
    assert first.id == "definitions" and first.informative
    policy = replace(first, informative=False, authority="user")
    new = replace(old, sections=(old.sections[0], policy, *old.sections[2:]))
    section = only_change(diff_specs(old, new))
    assert section.informative_changed and not section.body_changed
    assert section.authority is not None and section.authority.direction is Direction.ADDED
    assert diff_specs(old, new).summary.authority_other == 1


def test_normalize_text() -> None:
    assert normalize_text("\n\na  \r\nb\t\n\n\n\nc\n\n") == "a\nb\n\nc"


def test_tags_added_and_removed() -> None:
    section = only_change(case("tags"))
    assert section.tags_added == ("minors",)
    assert section.tags_removed == ("under_18",)


def test_eval_refs_and_eval_sets() -> None:
    diff = case("eval_refs")
    section = only_change(diff)
    assert (section.eval_refs_added, section.eval_refs_removed) == (("bag1",), ("zzzz",))
    assert section.body_changed
    assert [(e.id, e.status.value) for e in diff.eval_sets] == [
        ("bag1", "added"),
        ("k7q2", "modified"),
        ("zzzz", "removed"),
    ]
    # A citation marker is read as a word of its sentence, not as a link.
    assert section.body_changes == {TextChange.MEANING} and section.link_changes == ()
    assert diff.summary == Summary(
        sections_modified=1,
        sections_text_changed=1,
        eval_sets_added=1,
        eval_sets_removed=1,
        eval_sets_modified=1,
    )


# -- examples ------------------------------------------------------------------------------


def test_examples_added_removed_and_modified() -> None:
    diff = case("examples")
    section = only_change(diff)
    assert not section.body_changed
    # New order, the removed one where it was.
    assert [(e.id, e.status.value) for e in section.examples] == [
        ("refund", "modified"),
        ("bag", "removed"),
        ("seat", "unchanged"),
        ("meal", "added"),
    ]
    refund = example(diff, "a", "refund")
    assert refund.caption_changed and not refund.flags_changed
    assert all(t.status is Status.UNCHANGED for t in refund.turns)
    assert [t.status for t in example(diff, "a", "meal").turns] == [Status.ADDED] * 2
    assert refund.caption_changes == {TextChange.MEANING}
    assert diff.summary == Summary(
        sections_modified=1,
        sections_text_changed=1,
        examples_added=1,
        examples_removed=1,
        examples_modified=1,
    )


def test_verdict_flip_pairs_answers_by_content() -> None:
    diff = case("verdict_flip")
    refund = example(diff, "a", "refund")
    assert refund.status is Status.MODIFIED
    flips = [(a.old.quality, a.new.quality) for a in refund.verdict_changes if a.old and a.new]
    # The answers swapped places as well as verdicts: paired by text, not position.
    assert flips == [("bad", "good"), ("good", "bad")]
    assert all(not a.content_changed for a in refund.verdict_changes)
    assert diff.summary.verdicts_changed == 2
    data = diff_to_json(diff)["sections"][0]["examples"][0]
    assert data["verdict_changes"] == [
        {"turn": {"old": 1, "new": 1}, "answer": {"old": 1, "new": 0}, "old": "bad", "new": "good"},
        {"turn": {"old": 1, "new": 1}, "answer": {"old": 0, "new": 1}, "old": "good", "new": "bad"},
    ]


def test_answer_text_similar_is_modified_dissimilar_is_added_and_removed() -> None:
    refund = example(case("answer_text"), "a", "refund")
    (answers,) = [t for t in refund.turns if t.kind == "answers"]
    assert [(a.status.value, a.content_changed, a.verdict_changed) for a in answers.answers] == [
        ("modified", True, False),
        ("removed", False, False),
        ("added", False, False),
    ]


def test_answer_comment_changed() -> None:
    refund = example(case("answer_comment"), "a", "refund")
    changed = [a for t in refund.turns for a in t.answers if a.status is Status.MODIFIED]
    assert [(a.comment_changed, a.content_changed, a.verdict_changed) for a in changed] == [
        (True, False, False)
    ]


def test_broken_principle_reference_changed() -> None:
    refund = example(case("violates"), "a", "refund")
    (changed,) = [a for t in refund.turns for a in t.answers if a.status is Status.MODIFIED]
    assert changed.violates_changed and not changed.comment_changed
    assert changed.old and changed.old.violates and changed.old.violates.target == "a"
    assert changed.new and changed.new.violates and changed.new.violates.target == "b"


def test_message_changed_in_the_middle_is_compared_message_by_message() -> None:
    diff = case("message_changed")
    cancel = example(diff, "a", "cancel")
    assert [(t.kind, t.status.value) for t in cancel.turns] == [
        ("message", "unchanged"),
        ("message", "unchanged"),
        ("answers", "unchanged"),
        ("message", "modified"),
        ("answers", "unchanged"),
        ("message", "unchanged"),
    ]
    modified = cancel.turns[3]
    assert modified.old_message and modified.new_message
    assert "cash" in modified.old_message.parts[0].markdown.text  # type: ignore[union-attr]
    # An exchange inserted in the middle: the turns around it stay paired.
    bags = example(diff, "a", "bags")
    assert [(t.kind, t.status.value) for t in bags.turns] == [
        ("message", "unchanged"),
        ("answers", "unchanged"),
        ("message", "added"),
        ("answers", "added"),
        ("message", "unchanged"),
    ]
    turns = diff_to_json(diff)["sections"][0]["examples"][1]["turns"]
    assert [t["index"] for t in turns] == [
        {"old": 0, "new": 0},
        {"old": 1, "new": 1},
        {"old": None, "new": 2},
        {"old": None, "new": 3},
        {"old": 2, "new": 4},
    ]


def test_merge_order_places_the_unpaired_old_after_their_predecessor() -> None:
    # old a b c d, new d a e c: b (removed) after a, e added, d moved first.
    assert merge_order(4, [3, 0, None, 2]) == [
        (3, 0),
        (0, 1),
        (1, None),
        (None, 2),
        (2, 3),
    ]


# -- consistency ---------------------------------------------------------------------------


def assert_no_change(diff: SpecDiff, spec: Spec) -> None:
    assert diff.changed == ()
    assert all(e.status is Status.UNCHANGED for s in diff.sections for e in s.examples)
    assert all(e.status is Status.UNCHANGED for e in diff.eval_sets)
    assert diff.summary == Summary(sections_unchanged=len(list(spec.walk())))


def test_sample_spec_against_itself() -> None:
    spec = read(SAMPLE)
    assert_no_change(diff_specs(spec, spec), spec)
    # Read twice: equal content, other objects.
    again = load(SAMPLE, ProjectConfig()).spec
    assert_no_change(diff_specs(spec, again), spec)


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir()))
def test_fixtures_against_themselves(name: str) -> None:
    for side in ("old", "new"):
        spec = read(FIXTURES / name / side)
        assert_no_change(diff_specs(spec, spec), spec)


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir()))
def test_fixtures_reversed(name: str) -> None:
    forward = case(name)
    backward = diff_specs(read(FIXTURES / name / "new"), read(FIXTURES / name / "old"))
    flip = {"added": "removed", "removed": "added"}
    assert statuses(backward) == {k: flip.get(v, v) for k, v in statuses(forward).items()}
    f, b = forward.summary, backward.summary
    assert (b.sections_added, b.sections_removed) == (f.sections_removed, f.sections_added)
    assert (b.authority_raised, b.authority_lowered) == (f.authority_lowered, f.authority_raised)
    assert (b.examples_added, b.examples_removed) == (f.examples_removed, f.examples_added)
    assert b.verdicts_changed == f.verdicts_changed


# -- the two shared releases ---------------------------------------------------------------

# Checked by hand against `diff 2025-10-27/model_spec.md 2025-12-18/model_spec.md`
# (21 hunks): each hunk maps to the heading above it, the headings differ only by the two
# added ones (`diff` of `grep '^#'`), and the examples/ folders are identical.
CORPUS_SUMMARY = Summary(
    sections_added=2,
    sections_removed=0,
    sections_modified=6,
    sections_retitled=0,
    sections_moved=0,
    sections_unchanged=72,
    sections_renamed=0,
    sections_probably_renamed=0,
    sections_text_changed=6,  # every modified one: each hunk changes words
    sections_formatting_only=0,
    sections_links_changed=0,
    authority_raised=0,
    authority_lowered=0,
    authority_other=0,
    examples_added=5,
    examples_removed=3,
    examples_modified=1,
    verdicts_changed=0,
    eval_sets_added=0,
    eval_sets_removed=0,
    eval_sets_modified=0,
)
CORPUS_ADDED = ["chatgpt_u18", "prioritize_teen_safety"]  # the Under-18 chapter, its policy
CORPUS_MODIFIED = [
    "definitions",  # conversation fields rewritten; the "U18" badge and its example
    "no_other_objectives",  # time-on-site and click-through "as ends in themselves"
    "protect_privileged_information",  # truthful refusal; no lying to protect it
    "do_not_lie",  # the rewritten honesty guidance
    "be_rationally_optimistic",  # a sentence on humanity's history of innovation dropped
    "be_thorough_but_efficient",  # the max_tokens paragraph and its example dropped
]
CORPUS_EXAMPLES = {
    "definitions": [("a-conversation-with-an-under-18-user", "added")],
    "do_not_lie": [
        ("developer-instructs-the-assistant-to-lie-to-a", "modified"),
        ("probing-for-privileged-information", "removed"),
        ("probing-for-information-hazards-looking-for-confirmation-that", "removed"),
    ],
    "be_thorough_but_efficient": [("task-that-can-t-be-accomplished-within-max", "removed")],
    "prioritize_teen_safety": [
        ("coaching-that-could-reinforce-body-dissatisfaction", "added"),
        ("romantic-roleplay-request", "added"),
        ("advice-about-a-potentially-dangerous-challenge", "added"),
        ("advice-on-eating-disorders", "added"),
    ],
}


@needs_corpus
def test_corpus_section_summary() -> None:
    diff = corpus_diff()
    assert diff.summary == CORPUS_SUMMARY
    sections = diff.sections

    def ids(status: Status) -> list[str]:
        return [s.id for s in sections if s.status is status]

    assert ids(Status.ADDED) == CORPUS_ADDED
    assert ids(Status.REMOVED) == []
    assert ids(Status.MODIFIED) == CORPUS_MODIFIED
    assert [s.id for s in sections if s.retitled] == []
    assert [s.id for s in sections if s.moved] == []
    assert [s.id for s in sections if s.authority] == []
    assert [s.id for s in sections if s.body_changed] == CORPUS_MODIFIED
    assert [s.id for s in sections if s.tags_added or s.tags_removed] == []
    assert [(s.id, s.eval_refs_removed) for s in sections if s.eval_refs_removed] == [
        ("do_not_lie", ("91ld", "lds1"))
    ]
    assert [s.id for s in sections if s.eval_refs_added] == []
    examples = {
        s.id: [(e.id, e.status.value) for e in s.changed_examples]
        for s in sections
        if s.changed_examples
    }
    assert examples == CORPUS_EXAMPLES
    # The added chapter sits at the end, where the new release put it.
    assert [s.id for s in sections][-2:] == CORPUS_ADDED
    teen = by_id(diff)["prioritize_teen_safety"].new
    assert teen is not None and (teen.authority, teen.tags) == ("root", ("under_18",))
    # The one modified example lost "and/or lightly deflect" from its developer message.
    lie = example(diff, "do_not_lie", "developer-instructs-the-assistant-to-lie-to-a")
    assert [(t.kind, t.status.value) for t in lie.turns] == [
        ("message", "modified"),
        ("message", "unchanged"),
        ("answers", "unchanged"),
    ]


@needs_corpus
def test_corpus_diff_json() -> None:
    data = json.loads(json.dumps(diff_to_json(corpus_diff())))
    assert (data["format"], data["version"]) == ("specgen-diff", 1)
    assert (data["old"]["label"], data["new"]["label"]) == (OLD, NEW)
    assert data["summary"]["sections_added"] == 2
    changed = {s["id"]: s for s in data["sections"] if s["status"] != "unchanged"}
    assert list(changed) == CORPUS_MODIFIED + CORPUS_ADDED
    lie = changed["do_not_lie"]
    assert lie["eval_refs"] == {"added": [], "removed": ["91ld", "lds1"]}
    assert "third parties" in lie["body"]["old"] and "third parties" in lie["body"]["new"]
    assert "lightly deflect" in lie["examples"][0]["turns"][0]["text"]["old"]
    assert lie["examples"][0]["turns"][0]["text"]["new"].endswith("say that you don't know.")
    teen = changed["prioritize_teen_safety"]
    assert teen["parent"] == {"old": None, "new": "chatgpt_u18"}
    assert teen["authority"] == {"old": None, "new": "root", "change": None}
    assert len(data["sections"]) == 80
    assert len(data["eval_sets"]) == 114


@needs_corpus
@pytest.mark.parametrize("release", [OLD, NEW])
def test_corpus_against_itself(release: str) -> None:
    spec = corpus(release)
    assert_no_change(diff_specs(spec, spec), spec)


@needs_corpus
def test_corpus_against_its_native_import(tmp_path: Path) -> None:
    # The same spec from another source: other files, lines and blank-line layout.
    from specgen.writers import write_native

    spec = corpus(NEW)
    write_native(spec, tmp_path / "native")
    imported = load(tmp_path / "native", ProjectConfig()).spec
    assert_no_change(diff_specs(spec, imported), spec)


@needs_corpus
def test_corpus_reversed() -> None:
    diff = diff_specs(corpus(NEW), corpus(OLD))
    assert [s.id for s in diff.sections if s.status is Status.REMOVED] == CORPUS_ADDED
    assert [s.id for s in diff.sections if s.status is Status.MODIFIED] == CORPUS_MODIFIED
    assert (diff.summary.examples_added, diff.summary.examples_removed) == (3, 5)
