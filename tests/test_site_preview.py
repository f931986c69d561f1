"""A preview site (`specgen build --diff-base REV`): the diff against REV is a page of the
site at diff/, linked from the home page and back; it comes and goes with the site."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from specgen.site.preview import built_side
from tests.cli_helpers import new_project, run_cli
from tests.git_helpers import git

CHANGED = "spec/30-be-concise.md"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """main holds the scaffolded spec; the checked-out branch adds a sentence."""
    repo = new_project(tmp_path)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "spec")
    git(repo, "checkout", "-q", "-b", "change")
    section = repo / CHANGED
    section.write_text(section.read_text("utf-8") + "\nKeep lists to five items.\n", "utf-8")
    git(repo, "commit", "-q", "-am", "add a sentence")
    return repo


def _hrefs(html: str) -> set[str]:
    return set(re.findall(r'href="([^"]*)"', html))


def test_the_diff_is_a_page_of_the_site_linked_both_ways(repo: Path) -> None:
    code, out = run_cli("build", "--diff-base", "main", cwd=repo)
    assert code == 0, out
    site = repo / "site"
    page = (site / "diff" / "index.html").read_text("utf-8")
    assert "five items" in page and "<ins" in page  # the diff of main to the branch
    assert "../" in _hrefs(page)
    home = (site / "index.html").read_text("utf-8")
    assert "diff/" in _hrefs(home)
    main = git(repo, "rev-parse", "--short=7", "main").strip()
    note = home.split('class="admonition info sg-preview-note"', 1)[1].split("</div>", 1)[0]
    assert f"main @ {main}" in note and "1 section modified" in note
    assert f"{site / 'diff' / 'index.html'}" in out

    # Built again without --diff-base: the site has no diff page and no link to one.
    code, out = run_cli("build", cwd=repo)
    assert code == 0, out
    assert not (site / "diff").exists()
    assert "diff/" not in _hrefs((site / "index.html").read_text("utf-8"))


def test_a_base_that_names_no_spec_is_a_usage_error(repo: Path) -> None:
    code, out = run_cli("build", "--diff-base", "no-such-branch", cwd=repo)
    assert code == 2, out
    assert "--diff-base no-such-branch: neither a spec folder or file nor a git revision" in out
    assert "Traceback" not in out and "internal error" not in out
    assert not (repo / "site").exists()


@pytest.mark.parametrize(
    "args",
    [("--repo-url", "https://github.com/a/b"), ("--all-versions", "--diff-base", "main")],
)
def test_options_that_do_not_go_together(repo: Path, args: tuple[str, ...]) -> None:
    code, out = run_cli("build", *args, cwd=repo)
    assert code == 2, out
    assert "Error:" in out and not (repo / "site").exists()


def test_a_section_called_diff_moves_aside_for_the_diff_page(repo: Path) -> None:
    (repo / "spec" / "40-diff.md").write_text(
        "---\nid: diff\ntitle: How we diff\nauthority: user\n---\nA section called diff.\n",
        "utf-8",
    )
    code, out = run_cli("build", "--diff-base", "main", cwd=repo)
    assert code == 0, out
    assert "How we diff" in (repo / "site" / "diff_" / "index.html").read_text("utf-8")
    assert "How we diff" in (repo / "site" / "diff" / "index.html").read_text("utf-8")  # added
    assert "sg-preview-back" in (repo / "site" / "diff" / "index.html").read_text("utf-8")


def test_text_from_the_spec_is_escaped_on_both_pages(repo: Path) -> None:
    config = repo / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace(
            "title: My assistant spec", 'title: "<img src=x onerror=alert(1)>"'
        ),
        "utf-8",
    )
    code, out = run_cli("build", "--diff-base", "main", cwd=repo)
    assert code == 0, out
    page = (repo / "site" / "diff" / "index.html").read_text("utf-8")
    back = page.split('<nav class="sg-preview-back"', 1)[1].split("</nav>", 1)[0]
    assert "&lt;img src=x onerror=alert(1)&gt;" in back and "<img" not in back


def test_the_built_side_is_at_head_only_while_its_files_are_heads(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    head = git(repo, "rev-parse", "HEAD").strip()
    side = built_side(Path("spec"), None)
    assert (side.label, side.origin.revision, side.origin.commit) == ("HEAD", "HEAD", head)
    assert side.origin.where(side.loaded.spec.sections[-1].loc).startswith(CHANGED + ":")

    section = repo / CHANGED
    section.write_text(section.read_text("utf-8") + "\nNot committed.\n", "utf-8")
    side = built_side(Path("spec"), None)
    assert (side.origin.revision, side.origin.commit) == (None, None)  # lines are the tree's
    assert "Not committed." in side.loaded.texts[CHANGED]


def test_a_spec_outside_git_has_no_commit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = new_project(tmp_path)
    monkeypatch.chdir(project)
    side = built_side(Path("spec"), None)
    assert side.origin.commit is None and side.label == "spec"
