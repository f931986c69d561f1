"""The pull-request workflow (.github/workflows/spec-diff.yml): the commands of its preview
and comment steps run, as written, in a repository with a base branch and a
pull-request branch, with the variables a GitHub runner sets."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from tests.cli_helpers import new_project
from tests.git_helpers import git

WORKFLOW = Path(__file__).resolve().parents[1] / ".github" / "workflows" / "spec-diff.yml"
# What the runner sets for every step (GitHub's default environment variables).
RUNNER = {
    "GITHUB_SERVER_URL": "https://github.com",
    "GITHUB_REPOSITORY": "acme/assistant-spec",
    "GITHUB_RUN_ID": "4242",
}
REPO_URL = "https://github.com/acme/assistant-spec"
ARTIFACTS_URL = f"{REPO_URL}/actions/runs/4242#artifacts"
CHANGED = "spec/30-be-concise.md"


def _workflow() -> Any:
    return YAML(typ="safe").load(WORKFLOW.read_text("utf-8"))


def _job() -> Any:
    return _workflow()["jobs"]["diff"]


def _step(step_id: str) -> Any:
    return next(step for step in _job()["steps"] if step.get("id") == step_id)


def _uses(prefix: str) -> Any:
    return next(s for s in _job()["steps"] if str(s.get("uses", "")).startswith(prefix))


def _expand(value: str, context: dict[str, str]) -> str:
    """GitHub's ${{ expr }} substitution, for the expressions the workflow uses."""
    for expr, replacement in context.items():
        value = value.replace("${{ " + expr + " }}", replacement)
    assert "${{" not in value, value
    return value


def _run_step(step_id: str, repo: Path, context: dict[str, str]) -> None:
    """One step's ``run``, by bash as the runner runs it, with the job's and the step's
    ``env`` and the runner's variables; this environment's specgen first on PATH."""
    step = _step(step_id)
    declared = {**_job().get("env", {}), **step.get("env", {})}
    env = {name: _expand(str(value), context) for name, value in declared.items()}
    bin_dir = str(Path(sys.executable).parent)
    result = subprocess.run(
        ["bash", "-e", "-c", step["run"]],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**os.environ, **RUNNER, **env, "PATH": bin_dir + os.pathsep + os.environ["PATH"]},
    )
    assert result.returncode == 0, f"step {step_id}: {result.stdout}\n{result.stderr}"


def _hrefs(html: str) -> set[str]:
    return set(re.findall(r'href="([^"]*)"', html))


def _md_links(markdown: str) -> set[str]:
    """The targets of the Markdown links ``[text](url)``."""
    return set(re.findall(r"\]\((\S+?)\)", markdown))


@pytest.fixture
def pull_request(tmp_path: Path) -> Path:
    """A repository: main with the scaffolded spec; the checked-out branch changes it."""
    repo = new_project(tmp_path)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "spec")
    git(repo, "update-ref", "refs/remotes/origin/main", "main")  # as checkout fetches it
    git(repo, "checkout", "-q", "-b", "change")
    section = repo / CHANGED
    text = section.read_text("utf-8").replace("authority: user", "authority: developer")
    section.write_text(text + "\nKeep lists to five items.\n", "utf-8")
    git(repo, "commit", "-q", "-am", "raise be_concise, add a sentence")
    return repo


def test_the_workflow_runs_on_pull_requests_with_full_history() -> None:
    workflow = _workflow()
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 readers make "on" True
    assert "pull_request" in triggers
    assert _uses("actions/checkout")["with"]["fetch-depth"] == 0
    steps = _job()["steps"]
    order = [s.get("id") or s.get("uses", "").split("@")[0] for s in steps]
    # The site is built before it is uploaded; the comment is written before it is posted.
    assert order.index("preview") < order.index("actions/upload-artifact") < order.index("diff")
    comment = steps[-1]["run"]
    assert "gh pr comment" in comment and "--body-file spec-diff.md" in comment
    assert "--edit-last" in comment


@pytest.mark.parametrize("preview", ["https://preview.example/pr-7", ""])
def test_the_steps_build_the_preview_and_write_the_comment(
    pull_request: Path, preview: str
) -> None:
    context = {"github.base_ref": "main", "vars.SPEC_PREVIEW_URL": preview}
    commit = git(pull_request, "rev-parse", "HEAD").strip()
    _run_step("preview", pull_request, context)
    _run_step("diff", pull_request, context)

    # The artifact: the folder the upload step names is the site the build wrote.
    upload = _uses("actions/upload-artifact")
    assert upload["with"]["name"] == "spec-preview"
    site = pull_request / upload["with"]["path"]
    home = (site / "index.html").read_text("utf-8")
    assert "diff/" in _hrefs(home)
    page = (site / "diff" / "index.html").read_text("utf-8")
    assert "../" in _hrefs(page)  # back to the site
    assert "be_concise" in page and "<ins" in page and "five items" in page
    # The changed section's source, at the pull request's commit (--repo-url).
    at_commit = f"{REPO_URL}/blob/{commit}/{CHANGED}#L"
    assert any(href.startswith(at_commit) for href in _hrefs(page)), sorted(_hrefs(page))

    comment = (pull_request / "spec-diff.md").read_text("utf-8")
    assert "be_concise" in comment and "raised" in comment
    links = _md_links(comment)
    assert ARTIFACTS_URL in links
    assert any(link.startswith(f"{REPO_URL}/blob/{commit}/{CHANGED}") for link in links), links
    if preview:
        assert f"{preview}/diff/" in links
        assert f"{preview}/be_concise/" in links
    else:
        assert not [link for link in links if "/diff/" in link or "preview" in link], links
