"""`specgen diff OLD NEW`: sides from git revisions, folders and OpenAI files; formats;
--fail-on exit statuses; bad sides get a message, not a traceback."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.cli_helpers import new_project, run_cli
from tests.git_helpers import git

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "openai-model-spec"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """Two commits: v1 is the scaffolded spec; HEAD lowers be_concise and drops a section."""
    project = new_project(tmp_path)
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "v1")
    git(project, "tag", "v1")
    section = project / "spec" / "30-be-concise.md"
    section.write_text(
        section.read_text("utf-8").replace("authority: user", "authority: root"), "utf-8"
    )
    git(project, "commit", "-q", "-am", "raise be_concise")
    return project


def _json(repo: Path, *args: str) -> dict[str, object]:
    code, out = run_cli("diff", *args, "--format", "json", cwd=repo)
    assert code == 0, out
    return dict(json.loads(out))


def test_git_revisions_of_the_project_spec(repo: Path) -> None:
    data = _json(repo, "v1", "HEAD")
    summary = data["summary"]
    assert isinstance(summary, dict)
    assert summary["authority_raised"] == 1 and summary["sections_modified"] == 1
    sections = data["sections"]
    assert isinstance(sections, list)
    changed = [s for s in sections if s["status"] != "unchanged"]
    assert [(s["id"], s["authority"]["change"]) for s in changed] == [("be_concise", "raised")]
    assert data["old"]["label"] == "v1" and data["new"]["label"] == "HEAD"  # type: ignore[index]


def test_a_revision_against_the_working_folder_and_rev_path(repo: Path) -> None:
    (repo / "spec" / "10-overview.md").unlink()
    data = _json(repo, "HEAD:spec", "spec")
    removed = [s["id"] for s in data["sections"] if s["status"] == "removed"]  # type: ignore[union-attr,index]
    assert removed == ["overview"]


def test_fail_on_exit_statuses(repo: Path) -> None:
    code, out = run_cli("diff", "v1", "HEAD", "--format", "json", "--fail-on", "removed", cwd=repo)
    assert code == 0, out
    code, out = run_cli("diff", "v1", "HEAD", "--fail-on", "authority", cwd=repo)
    assert code == 1 and "authority changes" in out
    code, out = run_cli("diff", "HEAD", "v1", "--fail-on", "authority-lowered", cwd=repo)
    assert code == 1 and "lowered authority (be_concise)" in out
    code, out = run_cli("diff", "v1", "v1", "--fail-on", "any", cwd=repo)
    assert code == 0, out


def test_formats_write_to_a_file(repo: Path) -> None:
    for fmt, marker in (("html", "<!doctype html>"), ("markdown", "be_concise")):
        out = repo / f"diff.{fmt}"
        code, output = run_cli("diff", "v1", "HEAD", "--format", fmt, "-o", str(out), cwd=repo)
        assert code == 0, output
        assert marker in out.read_text("utf-8").lower() or marker in out.read_text("utf-8")


def test_a_side_that_is_nothing_is_a_usage_error(repo: Path) -> None:
    code, out = run_cli("diff", "no-such-rev", "HEAD", cwd=repo)
    assert code == 2 and "neither a spec folder or file nor a git revision" in out
    code, out = run_cli("diff", "HEAD:missing", "HEAD", cwd=repo)
    assert code == 2 and "missing does not exist at revision HEAD" in out
    assert "Traceback" not in out


@pytest.mark.skipif(
    not CORPUS.is_dir() and not os.environ.get("CI"), reason="the corpus is not in ../shared"
)
def test_the_two_model_spec_releases(tmp_path: Path) -> None:
    old = CORPUS / "2025-10-27" / "model_spec.md"
    new = CORPUS / "2025-12-18" / "model_spec.md"
    data = _json(tmp_path, str(old), str(new))
    added = [s["id"] for s in data["sections"] if s["status"] == "added"]  # type: ignore[union-attr,index]
    assert added == ["chatgpt_u18", "prioritize_teen_safety"]
