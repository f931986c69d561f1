"""The publishing workflow (.github/workflows/publish.yml): it runs on the tags specgen
takes for releases, builds the versioned site with the commands of its steps, as
written, in a repository with release tags, uploads that folder as the Pages artifact and
deploys it; the site folder kept from the last run (its cache) is reused, the new release
built and the earlier ones kept."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from specgen.project import DEFAULT_TAG_PATTERN
from tests.cli_helpers import new_project
from tests.git_helpers import git
from tests.versions_helpers import commit_and_tag

WORKFLOW = Path(__file__).resolve().parents[1] / ".github" / "workflows" / "publish.yml"
RUNNER = {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "acme/assistant-spec"}
# Tags a project may push: which are releases is DEFAULT_TAG_PATTERN's to say.
TAGS = [
    "2025-12-18", "v1.2.3", "v1.10", "1.2", "1.2.3", "v10.0.1", "2025-1-8", "v1", "1",
    "v1.2.3.4", "latest", "release-1.0", "v1.2-rc1", "1.2.x", "x2025-12-18", "2025-12-18b",
    "v.1.2", "vv1.2",
]  # fmt: skip


def _workflow() -> Any:
    return YAML(typ="safe").load(WORKFLOW.read_text("utf-8"))


def _steps(job: str) -> list[Any]:
    steps: list[Any] = _workflow()["jobs"][job]["steps"]
    return steps


def _step(step_id: str) -> Any:
    return next(step for step in _steps("build") if step.get("id") == step_id)


def _uses(job: str, action: str) -> Any:
    return next(s for s in _steps(job) if str(s.get("uses", "")).split("@")[0] == action)


def _glob_regex(pattern: str) -> re.Pattern[str]:
    """A GitHub filter pattern as a regular expression: ``*`` any run of characters but
    ``/``, ``+`` and ``?`` one or more / at most one of what precedes, ``[...]`` a class;
    anything else (``.`` and ``-`` among them) stands for itself."""
    out = ""
    for token in re.findall(r"\[[^\]]*\]|\*\*|.", pattern):
        if token == "**":
            out += ".*"
        elif token == "*":
            out += "[^/]*"
        elif token in "+?" or token.startswith("["):
            out += token
        else:
            out += re.escape(token)
    return re.compile(out)


def _run_step(step_id: str, repo: Path, output: Path) -> str:
    """One step's ``run``, by bash as the runner runs it (``bash -e``), with the runner's
    variables and this environment's specgen first on PATH; returns its stderr."""
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, **RUNNER, "GITHUB_OUTPUT": str(output)}
    result = subprocess.run(
        ["bash", "-e", "-c", _step(step_id)["run"]],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**env, "PATH": bin_dir + os.pathsep + os.environ["PATH"]},
    )
    assert result.returncode == 0, f"step {step_id}: {result.stdout}\n{result.stderr}"
    return result.stderr


def _cache_key(repo: Path, tmp_path: Path) -> str:
    """The key the cache step is given: the ``tags`` step's output, as GitHub expands it."""
    output = tmp_path / "github-output"
    output.write_text("", "utf-8")
    _run_step("tags", repo, output)
    outputs = dict(line.split("=", 1) for line in output.read_text("utf-8").splitlines())
    key = str(_uses("build", "actions/cache")["with"]["key"])
    return key.replace("${{ steps.tags.outputs.key }}", outputs["key"])


@pytest.fixture
def released(tmp_path: Path) -> Path:
    """The scaffolded project tagged v1.0, then v2.0 with a policy added."""
    project = new_project(tmp_path)
    (project / ".gitignore").write_text("site/\n", "utf-8")
    git(project, "init", "-q", "-b", "main")
    commit_and_tag(project, "v1.0")
    (project / "spec" / "40-cite-sources.md").write_text(
        "---\nid: cite_sources\ntitle: Cite sources\nauthority: user\n---\n"
        "Name where a fact comes from.\n",
        "utf-8",
    )
    commit_and_tag(project, "v2.0")
    return project


def test_the_workflow_runs_on_the_release_tags() -> None:
    workflow = _workflow()
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 readers make "on" True
    filters = [_glob_regex(p) for p in triggers["push"]["tags"]]
    assert set(triggers["push"]) == {"tags"}  # not on branch pushes
    releases = re.compile(DEFAULT_TAG_PATTERN)
    started = {tag: any(f.fullmatch(tag) for f in filters) for tag in TAGS}
    assert started == {tag: bool(releases.search(tag)) for tag in TAGS}
    assert any(started.values()) and not all(started.values())


def test_the_workflow_deploys_to_pages_from_the_full_history() -> None:
    workflow = _workflow()
    assert workflow["permissions"]["pages"] == "write"
    assert workflow["permissions"]["id-token"] == "write"
    assert workflow["concurrency"]["group"]
    assert _uses("build", "actions/checkout")["with"]["fetch-depth"] == 0
    steps = _steps("build")
    order = [s.get("id") or s["uses"].split("@")[0] for s in steps if "id" in s or "uses" in s]
    # The cache is keyed on the tags, restored before the build; the build is uploaded.
    assert order.index("tags") < order.index("actions/cache") < order.index("build")
    assert order.index("build") < order.index("actions/upload-pages-artifact")
    assert _uses("build", "actions/cache")["with"]["path"].rstrip("/") == "site"
    assert _uses("build", "actions/upload-pages-artifact")["with"]["path"].rstrip("/") == "site"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert _uses("deploy", "actions/deploy-pages")["id"] == "deployment"


def test_the_build_step_writes_every_release_and_reuses_the_cached_ones(
    released: Path, tmp_path: Path
) -> None:
    git(released, "checkout", "-q", "v2.0")  # the runner checks out the pushed tag
    first_key = _cache_key(released, tmp_path)
    log = _run_step("build", released, tmp_path / "github-output")
    site = released / str(_uses("build", "actions/upload-pages-artifact")["with"]["path"])
    assert "2 releases: 2 to build" in log, log
    versions = json.loads((site / "versions.json").read_text("utf-8"))
    assert [v["version"] for v in versions] == ["v2.0", "v1.0"]
    assert (site / "index.html").is_file() and (site / "releases" / "index.html").is_file()
    for release in ("v1.0", "v2.0", "latest"):
        assert (site / release / "be_concise" / "index.html").is_file(), release
    assert (site / "v2.0" / "cite_sources" / "index.html").is_file()
    assert not (site / "v1.0" / "cite_sources").exists()
    # upload-pages-artifact leaves dotfiles out: only the build's bookkeeping is hidden.
    hidden = {p.name for p in site.rglob(".*")}
    assert hidden and hidden <= {".specgen-site", ".specgen-build"}, hidden
    v1_home = (site / "v1.0" / "index.html").read_bytes()

    # The next release: a new cache key; the folder restored from the last run (here,
    # left in place) keeps v1.0 and v2.0 as they were and builds the new release only.
    (released / "spec" / "40-cite-sources.md").write_text(
        "---\nid: cite_sources\ntitle: Cite your sources\nauthority: user\n---\n"
        "Name where a fact comes from.\n",
        "utf-8",
    )
    commit_and_tag(released, "v2.1")
    assert _cache_key(released, tmp_path) != first_key
    log = _run_step("build", released, tmp_path / "github-output")
    assert "v1.0: up to date" in log and "v2.0: up to date" in log, log
    assert "v2.1: built" in log, log
    assert [v["version"] for v in json.loads((site / "versions.json").read_text("utf-8"))] == [
        "v2.1",
        "v2.0",
        "v1.0",
    ]
    assert (site / "v1.0" / "index.html").read_bytes() == v1_home
    assert "Cite your sources" in (site / "latest" / "cite_sources" / "index.html").read_text(
        "utf-8"
    )
