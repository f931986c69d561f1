"""The pre-commit hook of .pre-commit-hooks.yaml, run by pre-commit itself on a scratch
spec repository: as a maintainer tries it (`pre-commit try-repo`) and as a spec
repository uses it (a .pre-commit-config.yaml naming specgen's repository and a rev).

pre-commit installs the hook from a git repository into its own virtualenv with pip, so
the hook repository here is a commit of specgen's working tree as it is (untracked files
included, which `try-repo` alone would leave out), and pip gets the settings of the
environment running the tests (an offline index or wheel folder). Each virtualenv costs
about 20 s: `try-repo` always builds its own in a temporary store, the configured hook
one for the whole module (one PRE_COMMIT_HOME).
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_helpers import new_project
from tests.git_helpers import GIT_ENV, git

ROOT = Path(__file__).resolve().parents[1]
HOOK = "specgen-lint"
BAD_FILE = "spec/30-be-concise.md"
# The diagnostic of `authority: bogus` on line 4 of BAD_FILE, as `specgen lint` prints it.
BAD_DIAGNOSTIC = f"{BAD_FILE}:4:12: SG204"


def _pip_settings() -> dict[str, str]:
    """PIP_* variables for what configures pip here (`pip config list`): a config file
    of this virtualenv, or the user's, does not reach the hook's virtualenv."""
    listed = subprocess.run(
        [sys.executable, "-m", "pip", "config", "list"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    settings: dict[str, str] = {}
    for line in listed.splitlines():
        name, _, value = line.partition("=")
        section, _, key = name.partition(".")
        if section.startswith(":env:") or not key or not value:
            continue  # already in the environment
        variable = "PIP_" + key.upper().replace("-", "_")
        settings.setdefault(variable, str(ast.literal_eval(value)))
    return settings


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A git repository holding specgen's working tree (what git would commit: tracked
    and untracked files, not ignored ones), and its commit."""
    repo = tmp_path_factory.mktemp("specgen-hook-repo")
    listed = git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for name in filter(None, listed.split("\0")):
        source, target = ROOT / name, repo / name
        if not source.is_file() and not source.is_symlink():
            continue  # deleted in the working tree
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target, follow_symlinks=False)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "specgen working tree")
    return repo, git(repo, "rev-parse", "HEAD").strip()


@pytest.fixture(scope="module")
def pre_commit_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment for pre-commit: one store for the module, git without the
    user's configuration, pip as configured here."""
    home = tmp_path_factory.mktemp("pre-commit-home")
    return {**os.environ, **_pip_settings(), **GIT_ENV, "PRE_COMMIT_HOME": str(home)}


def spec_repository(parent: Path, authority: str) -> Path:
    """A scaffolded project, committed in its own git repository, whose BAD_FILE has
    the given authority."""
    project = new_project(parent)
    bad = project / BAD_FILE
    text = bad.read_text("utf-8")
    assert "authority: user\n" in text
    bad.write_text(text.replace("authority: user\n", f"authority: {authority}\n"), "utf-8")
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "spec")
    return project


def pre_commit(project: Path, env: dict[str, str], *args: str) -> tuple[int, str]:
    """``pre-commit ARGS`` run in ``project``: exit status and output."""
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )
    return result.returncode, result.stdout + result.stderr


def hook_result(out: str) -> str:
    """What pre-commit says of the hook: Passed, Failed or Skipped."""
    lines = [line for line in out.splitlines() if line.startswith("specgen lint.")]
    assert len(lines) == 1, out
    return lines[0].rsplit(".", 1)[1].split(")")[-1]


def test_try_repo_fails_on_a_lint_error_with_its_location(
    hook_repo: tuple[Path, str], pre_commit_env: dict[str, str], tmp_path: Path
) -> None:
    project = spec_repository(tmp_path, "bogus")
    code, out = pre_commit(
        project, pre_commit_env, "try-repo", str(hook_repo[0]), HOOK, "--all-files"
    )
    assert code == 1, out
    assert hook_result(out) == "Failed", out
    assert BAD_DIAGNOSTIC in out and "unknown authority level 'bogus'" in out, out


def configure_hook(project: Path, hook_repo: tuple[Path, str]) -> None:
    """The .pre-commit-config.yaml a spec repository adds (README), committed."""
    repo, rev = hook_repo
    (project / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {repo}\n    rev: {rev}\n    hooks:\n      - id: {HOOK}\n", "utf-8"
    )
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "pre-commit")


def test_configured_hook_passes_a_clean_spec_and_runs_only_for_spec_files(
    hook_repo: tuple[Path, str], pre_commit_env: dict[str, str], tmp_path: Path
) -> None:
    project = spec_repository(tmp_path, "developer")
    configure_hook(project, hook_repo)
    code, out = pre_commit(project, pre_commit_env, "run", "--all-files")
    assert code == 0 and hook_result(out) == "Passed", out
    # A commit that touches no spec source and no mkdocs.yml does not run it...
    (project / "NOTES.txt").write_text("notes\n", "utf-8")
    code, out = pre_commit(project, pre_commit_env, "run", "--files", "NOTES.txt")
    assert code == 0 and hook_result(out) == "Skipped", out
    # ...one that touches mkdocs.yml or a spec file does.
    for changed in ("mkdocs.yml", "spec/10-overview.md"):
        code, out = pre_commit(project, pre_commit_env, "run", "--files", changed)
        assert code == 0 and hook_result(out) == "Passed", (changed, out)


def test_configured_hook_lints_the_whole_spec_and_fails_with_the_location(
    hook_repo: tuple[Path, str], pre_commit_env: dict[str, str], tmp_path: Path
) -> None:
    project = spec_repository(tmp_path, "bogus")
    configure_hook(project, hook_repo)
    # Another file changed: the whole spec is linted, so the error is still found.
    code, out = pre_commit(project, pre_commit_env, "run", "--files", "spec/10-overview.md")
    assert code == 1 and hook_result(out) == "Failed", out
    assert BAD_DIAGNOSTIC in out, out
