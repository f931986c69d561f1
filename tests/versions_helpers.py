"""Git repositories of releases for the versioned-build tests (`specgen build
--all-versions`): the two OpenAI Model Spec releases of the shared corpus, imported to
native sources and tagged; and small edits of the scaffolded project."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.cli_helpers import run_cli
from tests.git_helpers import git

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "openai-model-spec"
MODEL_SPEC_RELEASES = ("2025-10-27", "2025-12-18")
# Real lint errors of each release (SG401/SG402: eval prompt sets cited but missing, or
# present but never cited): importing or building them takes --force.
MODEL_SPEC_LINT_ERRORS = {"2025-10-27": 4, "2025-12-18": 6}


def commit_and_tag(repo: Path, tag: str | None, message: str = "") -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message or f"release {tag}")
    if tag is not None:
        git(repo, "tag", "-f", tag)


def require_corpus() -> None:
    """Skip (fail in CI) when the shared corpus is not there."""
    missing = [r for r in MODEL_SPEC_RELEASES if not (CORPUS / r / "model_spec.md").is_file()]
    if missing:
        message = f"the OpenAI Model Spec corpus is not at {CORPUS} ({', '.join(missing)})"
        if os.environ.get("CI"):
            pytest.fail(f"{message}: it must be there in CI", pytrace=False)
        pytest.skip(message)


def make_model_spec_repo(repo: Path, scratch: Path) -> Path:
    """A project whose git history has the two corpus releases, each imported with
    `specgen import --force` (each has real lint errors: MODEL_SPEC_LINT_ERRORS) and
    tagged with its date; returns the project folder."""
    for index, release in enumerate(MODEL_SPEC_RELEASES):
        imported = scratch / f"import-{release}"
        source = str(CORPUS / release / "model_spec.md")
        code, out = run_cli("import", source, "-o", str(imported), "--force")
        assert code == 0, out
        assert f"written despite {MODEL_SPEC_LINT_ERRORS[release]} lint errors" in out, out
        if index == 0:
            shutil.copytree(imported, repo)
            git(repo, "init", "-q", "-b", "main")
        else:
            shutil.rmtree(repo / "spec")
            (repo / "mkdocs.yml").unlink()
            shutil.copytree(imported, repo, dirs_exist_ok=True)
        commit_and_tag(repo, release)
    return repo


def build_all_versions(project: Path, *args: str) -> tuple[int, str]:
    """``specgen build --all-versions ARGS`` run in the project folder."""
    return run_cli("build", "--all-versions", *args, cwd=project)


def site_files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative path -> bytes)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
