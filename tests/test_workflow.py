"""The pull-request workflow (.github/workflows/spec-diff.yml): the commands of its diff
step run, as written, in a repository with a base branch and a pull-request branch."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from tests.cli_helpers import new_project
from tests.git_helpers import git

WORKFLOW = Path(__file__).resolve().parents[1] / ".github" / "workflows" / "spec-diff.yml"


def _workflow() -> Any:
    return YAML(typ="safe").load(WORKFLOW.read_text("utf-8"))


def _step(step_id: str) -> Any:
    steps = _workflow()["jobs"]["diff"]["steps"]
    return next(step for step in steps if step.get("id") == step_id)


def _expand(value: str, context: dict[str, str]) -> str:
    """GitHub's ${{ expr }} substitution, for the expressions the workflow uses."""
    for expr, replacement in context.items():
        value = value.replace("${{ " + expr + " }}", replacement)
    assert "${{" not in value, value
    return value


@pytest.fixture
def pull_request(tmp_path: Path) -> Path:
    """A repository: main with the scaffolded spec; the checked-out branch changes it."""
    repo = new_project(tmp_path)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "spec")
    git(repo, "update-ref", "refs/remotes/origin/main", "main")  # as checkout fetches it
    git(repo, "checkout", "-q", "-b", "change")
    section = repo / "spec" / "30-be-concise.md"
    text = section.read_text("utf-8").replace("authority: user", "authority: developer")
    section.write_text(text + "\nKeep lists to five items.\n", "utf-8")
    git(repo, "commit", "-q", "-am", "raise be_concise, add a sentence")
    return repo


def test_the_workflow_runs_on_pull_requests_with_full_history() -> None:
    workflow = _workflow()
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 readers make "on" True
    assert "pull_request" in triggers
    steps = workflow["jobs"]["diff"]["steps"]
    checkout = next(s for s in steps if str(s.get("uses", "")).startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0
    upload = next(s for s in steps if str(s.get("uses", "")).startswith("actions/upload-"))
    assert upload["with"]["path"] == "spec-diff.html"
    comment = steps[-1]["run"]
    assert "gh pr comment" in comment and "--body-file spec-diff.md" in comment


@pytest.mark.parametrize("preview", ["https://preview.example/pr-7", ""])
def test_the_diff_step_writes_the_page_and_the_comment(pull_request: Path, preview: str) -> None:
    step = _step("diff")
    context = {"github.base_ref": "main", "vars.SPEC_PREVIEW_URL": preview}
    env = {name: _expand(str(value), context) for name, value in step["env"].items()}
    bin_dir = str(Path(sys.executable).parent)  # where this environment's specgen lives
    result = subprocess.run(
        ["bash", "-e", "-c", step["run"]],
        cwd=pull_request,
        capture_output=True,
        text=True,
        env={**os.environ, **env, "PATH": bin_dir + os.pathsep + os.environ["PATH"]},
    )
    assert result.returncode == 0, result.stderr
    page = (pull_request / "spec-diff.html").read_text("utf-8")
    assert "<ins" in page and "five items" in page
    comment = (pull_request / "spec-diff.md").read_text("utf-8")
    assert "be_concise" in comment and "raised" in comment
    assert comment.rstrip().endswith("the **spec-diff** artifact of this workflow run.")
    if preview:
        assert f"{preview}/be_concise/" in comment
    else:
        assert "https://" not in comment
