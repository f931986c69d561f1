"""`specgen diff --fail-on`: which changes trip which kind (``specgen.diff.gate``).

``text`` trips on words a reader reads, not on formatting or link targets alone;
``removed`` not on a declared rename, but on a probable one (its links break)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from specgen.diff.engine import diff_specs
from specgen.diff.gate import triggered
from tests.cli_helpers import run_cli
from tests.test_diff_renames import REVIEW, ROOT, review

KINDS = ("any", "authority", "authority-lowered", "removed", "text", "verdict")


def tripped(case: str) -> set[str]:
    diff = review(case)
    return {kind for kind in KINDS if triggered(diff, [kind])}


@pytest.mark.parametrize(
    ("case", "kinds"),
    [
        ("formatting_only", {"any"}),  # listed, but no words changed
        ("link_target", {"any"}),  # links point elsewhere; the words are the same
        ("captions", {"any", "text"}),  # caption words changed
        ("declared_rename", {"any", "text"}),  # the body's words; not a removal
        ("probable_rename", {"any", "text", "removed"}),
    ],
)
def test_which_kinds_each_fixture_trips(case: str, kinds: set[str]) -> None:
    assert tripped(case) == kinds


def test_text_names_the_sections_and_counts_them() -> None:
    assert triggered(review("captions"), ["text"]) == ["changed text in 1 section (be_concise)"]
    diff = review("probable_rename")
    # An added or removed section's words come or go with it.
    assert triggered(diff, ["text"]) == ["changed text in 3 sections (changing_seats, pets, meals)"]


def test_text_on_the_front_page() -> None:
    spec = review("link_target").old
    reworded = diff_specs(spec, spec, homes=("Welcome.", "Goodbye."))
    assert triggered(reworded, ["text"]) == ["changed text on the front page"]
    rewrapped = diff_specs(spec, spec, homes=("Welcome to\nthe spec.", "Welcome to the\nspec."))
    assert triggered(rewrapped, ["text"]) == []
    assert triggered(rewrapped, ["any"]) == ["a changed front page"]


def test_text_lists_at_most_ten_sections() -> None:
    old = review("probable_rename").old
    empty = diff_specs(old, old)
    assert triggered(empty, ["text"]) == []
    many = review("probable_rename").new
    sections = tuple(
        replace(s, id=f"s{k}", title=f"Section {k}") for k, s in enumerate(many.sections * 4)
    )
    diff = diff_specs(replace(old, sections=()), replace(many, sections=sections))
    (message,) = triggered(diff, ["text"])
    assert message.startswith("changed text in 12 sections (s0, s1, ")
    assert message.endswith(", s9 and 2 more)")


@pytest.mark.parametrize(
    ("case", "code"),
    [("formatting_only", 0), ("link_target", 0), ("captions", 1), ("declared_rename", 1)],
)
def test_fail_on_text_exit_status(case: str, code: int) -> None:
    # Needs "text" among the CLI's --fail-on choices (specgen.cli.FAIL_ON_CHANGES).
    old, new = (REVIEW / case / side / "spec" for side in ("old", "new"))
    status, out = run_cli("diff", str(old), str(new), "--fail-on", "text", cwd=ROOT)
    assert status == code, out
    assert ("changed text in" in out) == bool(code)


def test_fail_on_removed_exit_status() -> None:
    for case, code in (("declared_rename", 0), ("probable_rename", 1)):
        old, new = (REVIEW / case / side / "spec" for side in ("old", "new"))
        status, out = run_cli("diff", str(old), str(new), "--fail-on", "removed", cwd=ROOT)
        assert status == code, out
    assert "declare the old id in the new section's former_ids" in out
