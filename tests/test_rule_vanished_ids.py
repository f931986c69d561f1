"""SG211 (vanished-section-id) through `specgen lint`: where the previous release comes
from, and that a project without a ``versions:`` block never runs git for it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.cli_helpers import new_project, run_cli
from tests.git_helpers import git

CONCISE = Path("spec") / "30-be-concise.md"
FINDING = (
    "spec/30-be-concise.md:2:5: SG211 [warning] section id 'be_concise' of release v1.0 is gone:"
    " list it under former_ids of the section that replaced it (or restore it),"
    " or links to it break"
)


def _project(tmp_path: Path, versions: str | None = "      versions: {}\n") -> Path:
    """The scaffolded project, with ``versions`` appended to its specgen settings."""
    project = new_project(tmp_path)
    if versions is not None:
        with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
            config.write(versions)
    return project


def _tagged(project: Path, tag: str = "v1.0") -> Path:
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", tag)
    git(project, "tag", tag)
    return project


def _rename(project: Path, extra: str = "") -> None:
    """be_concise becomes concise_answers (the overview's link to it is kept valid)."""
    path = project / CONCISE
    path.write_text(
        path.read_text("utf-8").replace("id: be_concise\n", f"id: concise_answers\n{extra}"),
        "utf-8",
    )
    overview = project / "spec" / "10-overview.md"
    overview.write_text(
        overview.read_text("utf-8").replace("#be_concise", "#concise_answers"), "utf-8"
    )


def test_a_renamed_id_is_reported_until_it_is_a_former_id(tmp_path: Path) -> None:
    project = _tagged(_project(tmp_path))
    assert run_cli("lint", cwd=project) == (0, "All checks passed.\n")  # the release itself
    _rename(project)
    code, out = run_cli("lint", cwd=project)
    assert (code, out.splitlines()[0]) == (0, FINDING)  # a warning: fails only on warning
    assert run_cli("lint", "--fail-on", "warning", cwd=project)[0] == 1
    _rename(project)
    (project / CONCISE).write_text(
        (project / CONCISE)
        .read_text("utf-8")
        .replace("id: concise_answers\n", "id: concise_answers\nformer_ids: [be_concise]\n"),
        "utf-8",
    )
    assert run_cli("lint", cwd=project) == (0, "All checks passed.\n")


def test_the_newest_matching_tag_is_the_previous_release(tmp_path: Path) -> None:
    project = _tagged(_project(tmp_path, "      versions:\n        tags: ^v\\d+\\.\\d+$\n"))
    _rename(project)
    git(project, "commit", "-q", "-am", "rename")
    git(project, "tag", "v1.10")
    git(project, "tag", "not-a-release")
    # v1.10 (newer than v1.9, v1.0) already has the rename: nothing vanished since.
    assert run_cli("lint", cwd=project) == (0, "All checks passed.\n")
    git(project, "tag", "-d", "v1.10")
    assert run_cli("lint", cwd=project)[1].splitlines()[0] == FINDING


def test_a_configured_release_folder_needs_no_git(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _project(
        tmp_path, '      versions:\n        releases:\n          - {version: "1.0", path: old}\n'
    )
    shutil.copytree(project / "spec", project / "old")
    _rename(project)
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))  # no git
    code, out = run_cli("lint", cwd=project)
    assert (code, out.splitlines()[0]) == (0, FINDING.replace("release v1.0 ", "release 1.0 "))


def test_no_repository_or_no_tags_mean_no_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _project(tmp_path)
    _rename(project)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    assert run_cli("lint", cwd=project) == (0, "All checks passed.\n")  # not a repository
    git(project, "init", "-q")
    assert run_cli("lint", cwd=project) == (0, "All checks passed.\n")  # no commit
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "untagged")
    git(project, "tag", "1.0-rc1")  # not a release by the default pattern
    assert run_cli("lint", cwd=project) == (0, "All checks passed.\n")


def test_no_git_means_no_finding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = _tagged(_project(tmp_path))
    _rename(project)
    assert run_cli("lint", cwd=project)[1].splitlines()[0] == FINDING
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    assert run_cli("lint", cwd=project) == (0, "All checks passed.\n")


def test_without_a_versions_block_git_never_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _tagged(_project(tmp_path, versions=None))
    _rename(project)

    def no_git(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"ran {args}")

    monkeypatch.setattr(subprocess, "run", no_git)
    monkeypatch.setattr(subprocess, "Popen", no_git)
    assert run_cli("lint", cwd=project) == (0, "All checks passed.\n")


def test_only_the_projects_spec_is_compared(tmp_path: Path) -> None:
    project = _tagged(_project(tmp_path))
    _rename(project)
    assert run_cli("lint", str(CONCISE), cwd=project) == (0, "All checks passed.\n")
    assert run_cli("lint", "spec", cwd=project)[1].splitlines()[0] == FINDING


def test_build_and_plain_mkdocs_build_compare_with_the_release_too(tmp_path: Path) -> None:
    """One load -> lint for every entry point: SG211 is not only `specgen lint`'s."""
    project = _tagged(_project(tmp_path))
    _rename(project)
    code, out = run_cli("build", cwd=project)
    assert code == 0 and "SG211" in out, out
    import logging

    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    records: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(record.getMessage())  # type: ignore[method-assign]
    logging.getLogger("mkdocs").addHandler(handler)
    try:
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "plain"))
        mkdocs_build(config)
    finally:
        logging.getLogger("mkdocs").removeHandler(handler)
    assert any("SG211" in r for r in records), records
