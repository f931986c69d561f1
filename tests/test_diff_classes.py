"""Kinds of text change (``TextChange``): the words a reader reads (MEANING), link
targets (LINKS), or neither (FORMATTING only); on bodies, captions, messages, answers
and the front page; in the summary, the shared wording and the JSON. Levels outside the
level order are named and marked."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from specgen.diff.amounts import formatting_only, words_changed
from specgen.diff.describe import (
    KINDS,
    NOT_IN_ORDER,
    authority_words,
    body_changes,
    level_in_order,
    level_name,
    section_changes,
)
from specgen.diff.engine import diff_specs
from specgen.diff.json_out import diff_to_json
from specgen.diff.model import (
    AuthorityChange,
    Direction,
    SectionDiff,
    SpecDiff,
    Status,
    TextChange,
)
from specgen.diff.reading import text_changes
from specgen.model import AuthorityLevel, Location, Markdown, Message, Section, Spec, SpecConfig
from tests.test_diff_renames import by_id, review

MEANING, FORMATTING, LINKS = TextChange.MEANING, TextChange.FORMATTING, TextChange.LINKS


def classes(old: str, new: str, aliases: dict[str, str] | None = None) -> set[TextChange]:
    where = Location("x.md")
    changes, _ = text_changes(Markdown(old, where), Markdown(new, where), aliases or {})
    return set(changes)


def links(old: str, new: str) -> tuple[tuple[str | None, str | None], ...]:
    where = Location("x.md")
    return text_changes(Markdown(old, where), Markdown(new, where))[1]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Stay calm — even then.", "Stay calm --- even then."),  # em dash spelled
        ("Stay calm — even then.", "Stay calm -- even then."),  # an en dash read as one
        ("Wait...", "Wait…"),
        ('He said "no".', "He said “no”."),
        ("It's late.", "It\u2019s late."),  # a curly apostrophe
        ("An *angry* passenger.", "An _angry_ passenger."),
        ("A **firm** no.", "A __firm__ no."),
        ("A firm no.", "A **firm** no."),  # emphasis added
        ("One line\nand another.", "One line and\nanother."),  # re-wrapped
        ("- one\n- two", "* one\n* two"),  # list markers
        ("1. one\n2. two", "1) one\n2) two"),
        ("Plain max_tokens here.", "Plain `max_tokens` here."),  # code style, same letters
        ("Text <!-- a note --> here.", "Text <!-- another note --> here."),  # not shown
        ("Words.", "Words.\n\n<!-- a note -->"),
        ("A [link](#a) here.", "A [link][r] here.\n\n[r]: #a"),  # reference-style, same target
        ("# Title\n\nText.", "Title\n=====\n\nText."),  # setext heading
    ],
)
def test_formatting_only(old: str, new: str) -> None:
    assert classes(old, new) == {FORMATTING}


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Offer a refund.", "Offer a voucher."),
        ("Offer a refund.", "Offer a refund!"),  # punctuation is read
        ("cannot", "can not"),
        ("See [?](#a).", "See [?](#b)."),  # another title shows
        ("Cited[^ab12].", "Cited[^cd34]."),  # the citation marker differs
        ("::example{#one}", "::example{#two}"),  # another example placed
        ("```\nx = 1\n```", "```\n    x = 1\n```"),  # code keeps its indentation
        ("Text <b>bold</b>.", "Text bold."),  # raw HTML shows as text
    ],
)
def test_meaning(old: str, new: str) -> None:
    assert MEANING in classes(old, new)


def test_link_targets() -> None:
    assert classes("Read [the rules](#a).", "Read [the rules](#b).") == {LINKS}
    assert links("Read [the rules](#a).", "Read [the rules](#b).") == (("#a", "#b"),)
    page, other = "https://acme.example/fares", "https://acme.example/fares/2026"
    assert links(f"See [fares]({page}).", f"See [fares]({other}).") == ((page, other),)
    # A link gained or lost by the same words is a link change.
    assert links("Read the rules.", "Read [the rules](#a).") == ((None, "#a"),)
    assert classes("Read [the rules](#a).", "Read the rules.") == {LINKS}
    # A link that comes or goes with its words is a change of words only.
    assert classes("Read.", "Read [the rules](#a).") == {MEANING}
    # Both: another title shows ([?]) and the link points elsewhere.
    assert classes("See [?](#a).", "See [?](#b).") == {MEANING, LINKS}
    # Alongside other words: the link of the same words is still found.
    assert classes("Read [the rules](#a) now.", "Please read [the rules](#b).") == {
        MEANING,
        LINKS,
    }
    assert links("![a map](old.png)", "![a map](new.png)") == (("old.png", "new.png"),)


def test_a_renamed_target_is_the_same_target() -> None:
    assert classes("See [x](#old).", "See [x](#new).") == {LINKS}
    assert classes("See [x](#old).", "See [x](#new).", {"old": "new"}) == {FORMATTING}
    assert classes("See [?](#old).", "See [?](#new).", {"old": "new"}) == {FORMATTING}


def test_unchanged_texts_are_not_classed() -> None:
    spec = review("formatting_only").new
    diff = diff_specs(spec, spec)
    assert all(not s.body_changes for s in diff.sections)


# -- the fixture pairs ---------------------------------------------------------------------


def test_formatting_only_fixture() -> None:
    diff = review("formatting_only")
    tone = by_id(diff)["tone"]
    assert tone.status is Status.MODIFIED and tone.body_changed
    assert tone.body_changes == {FORMATTING}
    (delayed,) = tone.changed_examples
    assert delayed.caption_changes == {FORMATTING}  # *a* -> _a_, — -> ---, "x" -> “x”
    message, answers = delayed.turns
    assert message.text_changes == {FORMATTING}  # ... -> …
    assert [a.text_changes for a in answers.answers] == [{FORMATTING}]  # I'm, curly
    assert formatting_only(tone) and not words_changed(tone)
    summary = diff.summary
    assert (summary.sections_formatting_only, summary.sections_text_changed) == (1, 0)
    assert summary.sections_modified == 1  # still listed
    changes = [c.kind for c in section_changes(diff, tone)]
    assert changes == ["formatting", "examples"] and "text" not in changes


def test_link_target_fixture() -> None:
    diff = review("link_target")
    fees = by_id(diff)["fees"]
    assert fees.body_changes == {LINKS}
    assert fees.link_changes == (
        ("#refunds", "#vouchers"),
        ("https://acme.example/fares", "https://acme.example/fares/2026"),
    )
    assert not words_changed(fees) and not formatting_only(fees)
    assert (diff.summary.sections_links_changed, diff.summary.sections_text_changed) == (1, 0)
    (change,) = section_changes(diff, fees)
    assert (change.kind, change.label) == ("links", "Link targets changed")
    assert change.detail == (
        "Link targets changed: #refunds → #vouchers; "
        "https://acme.example/fares → https://acme.example/fares/2026"
    )


def test_captions_fixture() -> None:
    diff = review("captions")
    concise = by_id(diff)["be_concise"]
    assert not concise.body_changed
    captions = {e.id: e for e in concise.changed_examples}
    assert list(captions) == ["max-token", "lyrics", "emphatic", "declining"]
    assert all(e.caption_changes == {MEANING} for e in captions.values())
    assert all(t.status is Status.UNCHANGED for e in captions.values() for t in e.turns)
    data = by_id_json(diff)["be_concise"]
    shown = {e["id"]: e["caption"] for e in data["examples"]}
    # JSON keeps the author's Markdown as written.
    assert shown["max-token"] == {
        "old": "User sets max_token to 50",
        "new": "User sets max_token to 20",
    }
    assert shown["lyrics"]["new"] == "Full lyrics requested (see #respect_creators)"
    assert shown["emphatic"]["new"] == "An *emphatic* and _brief_ reply"
    assert shown["declining"]["new"] == "Declining politely under [?](#respect_creators)"
    assert all(e["caption_changes"] == ["meaning"] for e in data["examples"])


def by_id_json(diff: SpecDiff) -> dict[str, Any]:
    return {s["id"]: s for s in diff_to_json(diff)["sections"]}


def test_json_change_lists() -> None:
    data = diff_to_json(review("formatting_only"))
    tone = {s["id"]: s for s in data["sections"]}["tone"]
    assert tone["body_changes"] == ["formatting"] and tone["formatting_only"] is True
    assert tone["text_changed"] is False and tone["link_changes"] == []
    example = tone["examples"][0]
    assert example["caption_changes"] == ["formatting"]
    assert example["turns"][0]["text_changes"] == ["formatting"]
    assert example["turns"][1]["answers"][0]["text_changes"] == ["formatting"]
    assert example["turns"][1]["answers"][0]["comment_changes"] == []
    fees = {s["id"]: s for s in diff_to_json(review("link_target"))["sections"]}["fees"]
    assert fees["link_changes"][0] == {"old": "#refunds", "new": "#vouchers"}
    assert data["version"] == 1 and data["home_changes"] == []
    assert data["summary"]["sections_formatting_only"] == 1


def test_a_message_role_is_read_as_a_word() -> None:
    spec = review("formatting_only").new
    tone = spec.sections[0]
    example = tone.examples[0]
    message = example.turns[0]
    assert isinstance(message, Message)
    moved = replace(example, turns=(replace(message, role="developer"), *example.turns[1:]))
    new = replace(spec, sections=(replace(tone, examples=(moved,)), *spec.sections[1:]))
    (turn, _) = by_id(diff_specs(spec, new))["tone"].changed_examples[0].turns
    assert turn.text_changes == {MEANING}


def test_the_front_page() -> None:
    spec = review("link_target").old
    homes = ("Welcome -- read on.", "Welcome — read\non.")
    diff = diff_specs(spec, spec, homes=homes)
    assert diff.home_changed and diff.home_changes == {FORMATTING}
    diff = diff_specs(spec, spec, homes=("Welcome.", "Goodbye."))
    assert diff.home_changes == {MEANING}


# -- wording ---------------------------------------------------------------------------------


def test_the_new_kinds_in_order() -> None:
    assert KINDS[:2] == ("renamed", "probable-rename")
    text = KINDS.index("text")
    assert KINDS[text : text + 3] == ("text", "formatting", "links")


def _section() -> Section:
    return Section("x", "X", Location("x.md"), Markdown("Text.", Location("x.md")))


def test_body_change_wording() -> None:
    base = SectionDiff("x", Status.MODIFIED, _section(), _section(), body_changed=True)
    both = replace(base, body_changes=frozenset({MEANING, LINKS}), link_changes=(("#a", None),))
    assert [(c.kind, c.text) for c in body_changes(both)] == [
        ("text", "Text changed"),
        ("links", "Link targets changed: #a → no link"),
    ]
    formatting = replace(base, body_changes=frozenset({FORMATTING}))
    assert [c.label for c in body_changes(formatting)] == ["Formatting only"]
    # A diff made before kinds of change were known: a text change.
    assert [c.kind for c in body_changes(base)] == ["text"]
    assert body_changes(replace(base, body_changed=False)) == []


def test_levels_outside_the_order_are_named_and_marked() -> None:
    order = SpecConfig(levels=(AuthorityLevel("root", "Root"), AuthorityLevel("user", "User")))
    assert level_name("user", order) == "User"
    assert level_name("platform", order) == f"platform ({NOT_IN_ORDER})"
    assert level_name("platform", order) == "platform (not in the level order)"
    assert level_name(None, order) == "no level"
    assert level_in_order("user", order) and level_in_order(None, order)
    assert not level_in_order("platform", order)
    spec = Spec(order, ())
    words = authority_words(AuthorityChange("platform", "root", Direction.UNRANKED), spec, spec)
    assert words.sentence == ("Authority not comparable: platform (not in the level order) → Root")
    assert (words.old_in_order, words.new_in_order) == (False, True)
