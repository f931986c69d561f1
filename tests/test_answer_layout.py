"""Which answers sit side by side: two short prose answers only (the browser test
tests/browser/test_example_layout.py checks what a reader then sees)."""

from __future__ import annotations

from specgen.model import Answer, AttachmentPart, Location, Markdown, TextPart, UntrustedPart
from specgen.render.answer_layout import SHORT_ANSWER_CHARS, side_by_side

HERE = Location("spec/x.md", 3)


def answer(
    text: str, quality: str = "good", recipient: str | None = None, raw: bool = False
) -> Answer:
    part = TextPart(Markdown(text, HERE))
    return Answer(quality, (part,), HERE, HERE, recipient=recipient, raw=raw)


def test_two_short_answers_sit_side_by_side() -> None:
    assert side_by_side([answer("Sure, here it is."), answer("I can't help with that.", "bad")])


def test_one_answer_or_three_are_stacked() -> None:
    assert not side_by_side([answer("Yes.")])
    assert not side_by_side([answer("Yes."), answer("No.", "bad"), answer("Maybe.", "ok")])


def test_a_long_answer_stacks_both() -> None:
    longest_short = "word " * (SHORT_ANSWER_CHARS // 5)
    assert side_by_side([answer(longest_short), answer("No.", "bad")])
    assert not side_by_side([answer(longest_short + "more"), answer("No.", "bad")])


def test_code_tables_and_tool_calls_are_stacked() -> None:
    short = answer("Sure.")
    for wide in (
        "Here:\n\n```json\n{}\n```",
        "Here:\n\n    indented code",
        "| a | b |\n|---|---|\n| 1 | 2 |",
    ):
        assert not side_by_side([short, answer(wide)]), wide
    assert not side_by_side([short, answer('{"q": 1}', recipient="functions.search")])
    assert not side_by_side([short, answer("<form></form>", raw=True)])


def test_attachments_and_untrusted_parts_are_stacked() -> None:
    short = answer("Sure.")
    attached = Answer("good", (AttachmentPart("a.png", "", HERE),), HERE, HERE)
    quoted = Answer("good", (UntrustedPart(Markdown("hi", HERE)),), HERE, HERE)
    assert not side_by_side([short, attached])
    assert not side_by_side([short, quoted])


def test_a_nested_list_is_still_prose() -> None:
    listed = "Options:\n\n- one\n- two\n  - two and a half"
    assert side_by_side([answer(listed), answer("No.", "bad")])
