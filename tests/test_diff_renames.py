"""Renamed sections in the diff: declared in ``former_ids``, or probable (an undeclared id
change of a section that reads nearly the same).

The fixture pairs are ``tests/fixtures/diff_review/<case>/{old,new}``: small native
projects whose mkdocs.yml names a GitHub repository, read as ``specgen diff`` reads
them (so each side has its origin: repository paths and forge links)."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import replace
from difflib import SequenceMatcher
from functools import cache
from pathlib import Path

import pytest

from specgen.diff import renames
from specgen.diff.describe import section_changes
from specgen.diff.engine import diff_specs
from specgen.diff.gate import triggered
from specgen.diff.json_out import diff_to_json
from specgen.diff.model import RenameKind, SectionDiff, SpecDiff, Status, TextChange
from specgen.model import Location, Markdown, Section, Spec, SpecConfig
from specgen.project import ProjectConfig
from specgen.sources import load
from specgen.sources.revisions import load_side, side_origins
from tests.cli_helpers import run_cli
from tests.git_helpers import git

ROOT = Path(__file__).resolve().parent.parent
REVIEW = ROOT / "tests" / "fixtures" / "diff_review"
SAMPLE = ROOT / "spec"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "openai-model-spec"


@cache
def review(case: str, reverse: bool = False) -> SpecDiff:
    """The fixture pair's diff, read as the CLI reads two folders from the repository."""
    old_arg, new_arg = (f"tests/fixtures/diff_review/{case}/{side}/spec" for side in ("old", "new"))
    if reverse:
        old_arg, new_arg = new_arg, old_arg
    old, new = load_side(old_arg, cwd=ROOT), load_side(new_arg, cwd=ROOT)
    for side in (old, new):
        assert not side.loaded.diagnostics, [str(d) for d in side.loaded.diagnostics]
    return diff_specs(
        old.loaded.spec, new.loaded.spec, old.label, new.label, origins=side_origins(old, new)
    )


def by_id(diff: SpecDiff) -> dict[str, SectionDiff]:
    return {s.id: s for s in diff.sections}


def statuses(diff: SpecDiff) -> list[tuple[str, str]]:
    return [(s.id, s.status.value) for s in diff.sections]


def line_of(path: Path, text: str) -> int:
    """The 1-based line of ``path`` that holds ``text``."""
    lines = path.read_text("utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def repository_top() -> Path:
    """Where repository paths start: the git top level (else the project folder)."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], cwd=ROOT, capture_output=True, text=True
        )
    except OSError:
        return REVIEW
    return Path(out.stdout.strip()) if out.returncode == 0 else REVIEW


# -- declared ------------------------------------------------------------------------------


def test_a_declared_rename_is_one_section_compared_body_to_body() -> None:
    diff = review("declared_rename")
    # In the new order, at the new section's place; nothing removed, nothing added.
    assert statuses(diff) == [
        ("overview", "modified"),
        ("cancellation_refunds", "modified"),
        ("bags", "unchanged"),
    ]
    renamed = by_id(diff)["cancellation_refunds"]
    assert (renamed.renamed_from, renamed.rename) == ("refunds", RenameKind.DECLARED)
    assert renamed.old is not None and renamed.old.id == "refunds"
    assert renamed.new is not None and renamed.new.id == "cancellation_refunds"
    assert renamed.retitled and renamed.authority is None and renamed.moved is None
    assert renamed.body_changes == {TextChange.MEANING}  # "within seven days" added
    (cancelled,) = renamed.changed_examples
    (answers,) = [t for t in cancelled.turns if t.kind == "answers"]
    good, bad = answers.answers
    assert good.status is Status.MODIFIED and good.text_changes == {TextChange.MEANING}
    # The bad answer cites the renamed section by its new id: the same section.
    assert bad.status is Status.UNCHANGED and not bad.violates_changed
    summary = diff.summary
    assert (summary.sections_removed, summary.sections_added) == (0, 0)
    assert (summary.sections_renamed, summary.sections_probably_renamed) == (1, 0)
    assert summary.sections_modified == 2 and summary.examples_modified == 1


def test_a_link_that_followed_the_rename_is_formatting_only() -> None:
    overview = by_id(review("declared_rename"))["overview"]
    # [?](#refunds) -> [?](#cancellation_refunds): the same section, the same title.
    assert overview.body_changes == {TextChange.FORMATTING} and overview.link_changes == ()
    assert review("declared_rename").summary.sections_formatting_only == 1


def test_a_declared_rename_is_not_removed_for_the_gate() -> None:
    diff = review("declared_rename")
    assert triggered(diff, ["removed"]) == []
    assert triggered(diff, ["text"]) == ["changed text in 1 section (cancellation_refunds)"]


def test_a_declared_rename_in_words_and_json() -> None:
    diff = review("declared_rename")
    renamed = by_id(diff)["cancellation_refunds"]
    kinds = [(c.kind, c.text) for c in section_changes(diff, renamed)]
    assert kinds[0] == ("renamed", "Renamed from refunds")
    assert [k for k, _ in kinds] == ["renamed", "retitled", "text", "examples"]
    data = {s["id"]: s for s in diff_to_json(diff)["sections"]}
    assert "refunds" not in data
    section = data["cancellation_refunds"]
    assert (section["renamed_from"], section["rename"], section["status"]) == (
        "refunds",
        "declared",
        "modified",
    )
    assert section["title"] == {"old": "Offer refunds", "new": "Offer refunds when we cancel"}
    assert section["body_changes"] == ["meaning"] and section["text_changed"] is True


def test_sources_of_a_renamed_section_on_each_side() -> None:
    diff = review("declared_rename")
    section = {s["id"]: s for s in diff_to_json(diff)["sections"]}["cancellation_refunds"]
    top = repository_top()
    for side, section_id in (("old", "refunds"), ("new", "cancellation_refunds")):
        file = REVIEW / "declared_rename" / side / "spec" / "20-refunds.md"
        path = file.relative_to(top).as_posix()
        line = line_of(file, f"id: {section_id}")
        assert section["source"][side] == {
            "path": path,
            "line": line,
            "url": f"https://github.com/acme/spec/blob/main/{path}#L{line}",
        }
        example = section["examples"][0]
        example_line = line_of(file, "- id: cancelled")
        assert example["source"][side]["line"] == example_line
        assert example["source"][side]["url"].endswith(f"/{path}#L{example_line}")


def test_reversed_the_rename_is_undeclared_so_probable() -> None:
    # The old side lists no former_ids: read backwards, the same change is undeclared.
    diff = review("declared_rename", reverse=True)
    renamed = by_id(diff)["refunds"]
    assert (renamed.renamed_from, renamed.rename) == ("cancellation_refunds", RenameKind.PROBABLE)
    assert diff.summary.sections_probably_renamed == 1 and diff.summary.sections_removed == 0


def test_a_former_id_still_in_use_is_no_rename() -> None:
    # The new side lists "bags" as a former id of a new section, but still has "bags".
    old = review("declared_rename").old
    new = review("declared_rename").new
    extra = replace(
        new.sections[-1], id="luggage", title="Luggage", former_ids=("bags",), source="x"
    )
    diff = diff_specs(old, replace(new, sections=(*new.sections, extra)))
    assert by_id(diff)["bags"].status is Status.UNCHANGED
    assert by_id(diff)["luggage"].status is Status.ADDED
    assert by_id(diff)["luggage"].rename is None


def test_the_children_of_a_renamed_section_stay_put() -> None:
    spec = load(SAMPLE, ProjectConfig()).spec

    def rename(sections: tuple[Section, ...]) -> tuple[Section, ...]:
        return tuple(
            replace(s, id="privacy", former_ids=("passenger_privacy",))
            if s.id == "passenger_privacy"
            else replace(s, children=rename(s.children))
            for s in sections
        )

    diff = diff_specs(spec, replace(spec, sections=rename(spec.sections)))
    changed = [(s.id, s.renamed_from, s.moved) for s in diff.changed]
    assert changed == [("privacy", "passenger_privacy", None)]
    data = {s["id"]: s for s in diff_to_json(diff)["sections"]}
    assert data["verify_before_disclosing"]["parent"] == {
        "old": "passenger_privacy",
        "new": "privacy",
    }
    assert data["privacy"]["parent"] == {"old": "foundations", "new": "foundations"}


def test_a_git_revision_side_links_at_its_commit(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(REVIEW / "declared_rename" / "old", repo)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "old")
    shutil.rmtree(repo / "spec")
    shutil.copytree(REVIEW / "declared_rename" / "new" / "spec", repo / "spec")
    shutil.copy(REVIEW / "declared_rename" / "new" / "mkdocs.yml", repo / "mkdocs.yml")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "rename refunds")
    old_sha = git(repo, "rev-parse", "HEAD~1").strip()
    new_sha = git(repo, "rev-parse", "HEAD").strip()
    code, out = run_cli("diff", "HEAD~1", "HEAD", "--format", "json", cwd=repo)
    assert code == 0, out
    data = json.loads(out)
    assert {k: data["old"][k] for k in ("revision", "commit", "path")} == {
        "revision": "HEAD~1",
        "commit": old_sha,
        "path": "spec",
    }
    assert (data["new"]["commit"], data["new"]["version"]) == (new_sha, "1.1")
    section = {s["id"]: s for s in data["sections"]}["cancellation_refunds"]
    new_line = line_of(repo / "spec" / "20-refunds.md", "id: cancellation_refunds")
    assert section["source"]["new"] == {
        "path": "spec/20-refunds.md",
        "line": new_line,
        "url": f"https://github.com/acme/spec/blob/{new_sha}/spec/20-refunds.md#L{new_line}",
    }
    assert section["source"]["old"]["url"].startswith(
        f"https://github.com/acme/spec/blob/{old_sha}/spec/20-refunds.md#L"
    )
    code, out = run_cli("diff", "HEAD~1", "HEAD", "--fail-on", "removed", cwd=repo)
    assert code == 0, out


# -- probable ------------------------------------------------------------------------------


def test_an_undeclared_near_identical_rename_is_probable() -> None:
    diff = review("probable_rename")
    assert statuses(diff) == [
        ("overview", "unchanged"),
        ("changing_seats", "modified"),
        ("pets", "removed"),  # different content: not paired
        ("meals", "added"),
    ]
    seats = by_id(diff)["changing_seats"]
    assert (seats.renamed_from, seats.rename) == ("seat_changes", RenameKind.PROBABLE)
    assert seats.body_changes == {TextChange.MEANING}  # "for free" -> "free of charge"
    assert not seats.retitled
    summary = diff.summary
    assert (summary.sections_probably_renamed, summary.sections_renamed) == (1, 0)
    assert (summary.sections_removed, summary.sections_added) == (1, 1)
    change = section_changes(diff, seats)[0]
    assert (change.kind, change.text) == (
        "probable-rename",
        "Probably renamed from seat_changes: declare former_ids: [seat_changes]",
    )


def test_a_probable_rename_still_counts_as_removed_and_says_what_to_do() -> None:
    diff = review("probable_rename")
    assert triggered(diff, ["removed"]) == [
        "removed sections (pets)",
        "sections probably renamed without former_ids (seat_changes -> changing_seats): "
        "declare the old id in the new section's former_ids, or its links break",
    ]
    # Declared, the same change is a rename and nothing else.
    new = diff.new
    declared = tuple(
        replace(s, former_ids=("seat_changes",)) if s.id == "changing_seats" else s
        for s in new.sections
    )
    again = diff_specs(diff.old, replace(new, sections=declared))
    assert by_id(again)["changing_seats"].rename is RenameKind.DECLARED
    assert triggered(again, ["removed"]) == ["removed sections (pets)"]


def test_probable_renames_in_json() -> None:
    data = {s["id"]: s for s in diff_to_json(review("probable_rename"))["sections"]}
    assert (data["changing_seats"]["renamed_from"], data["changing_seats"]["rename"]) == (
        "seat_changes",
        "probable",
    )
    assert data["pets"]["rename"] is None and data["meals"]["renamed_from"] is None
    assert data["changing_seats"]["source"]["old"]["path"].endswith(
        "probable_rename/old/spec/20-seats.md"
    )


def test_the_fixture_pairs_against_themselves() -> None:
    for case in sorted(p.name for p in REVIEW.iterdir()):
        for side in ("old", "new"):
            spec = review(case).old if side == "old" else review(case).new
            diff = diff_specs(spec, spec)
            assert diff.changed == (), (case, side)
            assert diff.summary.sections_unchanged == len(list(spec.walk()))


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no corpus at {CORPUS}")
def test_the_openai_dialect_has_probable_renames(tmp_path: Path) -> None:
    # The dialect cannot declare former_ids: an id change is a probable rename.
    release = tmp_path / "release"
    shutil.copytree(CORPUS / "2025-12-18", release)
    spec_file = release / "model_spec.md"
    text = spec_file.read_text("utf-8")
    heading = "## No other objectives {#no_other_objectives authority=root}"
    assert text.count(heading) == 1
    spec_file.write_text(text.replace(heading, heading.replace("no_other", "no_hidden")), "utf-8")
    old = load(CORPUS / "2025-12-18" / "model_spec.md", ProjectConfig()).spec
    new = load(spec_file, ProjectConfig()).spec
    diff = diff_specs(old, new)
    assert [(s.id, s.renamed_from, s.rename) for s in diff.changed] == [
        ("no_hidden_objectives", "no_other_objectives", RenameKind.PROBABLE)
    ]
    renamed = diff.changed[0]
    assert not renamed.body_changed and not renamed.changed_examples


# -- scale: thousands of removed and added sections ---------------------------------------


def _flat_spec(ids: list[str], bodies: list[str]) -> Spec:
    sections = tuple(
        Section(sid, f"Section {k}", Location("x.md", k + 1), Markdown(body, Location("x.md")))
        for k, (sid, body) in enumerate(zip(ids, bodies, strict=True))
    )
    return Spec(SpecConfig(), sections)


def _body(k: int) -> str:
    # Distinct words per section, so that no two sections read alike.
    return " ".join(f"w{k}x{n}" for n in range(40)) + " and the rest of the policy"


class _CountingMatcher(SequenceMatcher):  # type: ignore[type-arg]
    ratios = 0

    def ratio(self) -> float:
        type(self).ratios += 1
        return super().ratio()


@pytest.mark.parametrize("renamed", [True, False])
def test_thousands_of_removed_and_added_sections_are_not_weighed_pair_by_pair(
    renamed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    n = 3000
    old = _flat_spec([f"old{k}" for k in range(n)], [_body(k) for k in range(n)])
    # Every id changes; every body gains a word (renamed), or reads all new (not).
    bodies = [_body(k) + " now" if renamed else _body(k + n) for k in range(n)]
    new = _flat_spec([f"new{k}" for k in range(n)], bodies)
    monkeypatch.setattr(_CountingMatcher, "ratios", 0)
    monkeypatch.setattr(renames, "SequenceMatcher", _CountingMatcher)
    diff = diff_specs(old, new)
    assert n * n > renames.MAX_RENAME_PAIRS  # the neighbourhood path, not every pair
    if renamed:
        assert diff.summary.sections_probably_renamed == n
        assert all(s.renamed_from == f"old{s.id[3:]}" for s in diff.sections)
        # One full comparison per pair found (the others stay under their bound).
        assert _CountingMatcher.ratios == n
    else:
        assert diff.summary.sections_probably_renamed == 0
        assert (diff.summary.sections_removed, diff.summary.sections_added) == (n, n)
        assert _CountingMatcher.ratios == 0  # no pair shares enough words to be weighed
