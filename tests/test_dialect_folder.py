"""A folder holding an OpenAI-dialect ``model_spec.md`` and no native spec is read as
that file: ``lint``, ``diff``, ``build``, ``import`` and ``export`` of the folder are those
of the file, and each says on stderr which reading it chose. A folder with native
sections (or configured as a project's spec_dir) stays native."""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict
from pathlib import Path

import pytest

from specgen.project import ProjectConfig
from specgen.sources import NATIVE, OPENAI, detect_dialect, dialect_file
from specgen.sources.loading import load_spec
from tests.cli_helpers import new_project, run_cli_split
from tests.git_helpers import git
from tests.test_diff_engine import CORPUS_ADDED, CORPUS_MODIFIED, CORPUS_SUMMARY
from tests.versions_helpers import (
    CORPUS,
    MODEL_SPEC_LINT_ERRORS,
    MODEL_SPEC_RELEASES,
    require_corpus,
)

OLD, NEW = MODEL_SPEC_RELEASES
SPEC = """# Overview {#overview}

What the assistant does.

## Be kind {#be_kind authority=user}

Be kind to the user[^ab12].
"""
EVAL = """Examples for [^ab12] in Be kind:

**Example**: a greeting

~~~xml
<user>
Hello!
</user>
~~~
"""


def note(model_spec: Path | str) -> str:
    return f"specgen: reading {model_spec} (OpenAI Model Spec dialect)"


def dialect_folder(folder: Path, spec: str = SPEC) -> Path:
    """A small clean spec in the dialect: folder/model_spec.md and its examples/."""
    (folder / "examples").mkdir(parents=True)
    (folder / "model_spec.md").write_text(spec, "utf-8")
    (folder / "examples" / "ab12.md").write_text(EVAL, "utf-8")
    return folder


# -- the two corpus releases ----------------------------------------------------------


@pytest.mark.parametrize("release", MODEL_SPEC_RELEASES)
@pytest.mark.parametrize("fmt", ["json", "full"])
def test_lint_of_a_release_folder_is_lint_of_its_model_spec(release: str, fmt: str) -> None:
    require_corpus()
    folder = CORPUS / release
    code, out, err = run_cli_split("lint", str(folder), "--format", fmt, "--no-color")
    file_code, file_out, file_err = run_cli_split(
        "lint", str(folder / "model_spec.md"), "--format", fmt, "--no-color"
    )
    assert (code, out) == (file_code, file_out)
    assert code == 1
    if fmt == "json":  # the note went to stderr: the report is still JSON
        findings = json.loads(out)
        assert len(findings) == MODEL_SPEC_LINT_ERRORS[release]
        assert {f["code"] for f in findings} <= {"SG401", "SG402"}
    assert err.splitlines() == [note(folder / "model_spec.md")]
    assert file_err == ""  # a file needs no note: its reading is obvious


def test_diff_of_release_folders_is_diff_of_their_model_specs() -> None:
    require_corpus()
    code, out, err = run_cli_split("diff", str(CORPUS / OLD), str(CORPUS / NEW), "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    pinned = asdict(CORPUS_SUMMARY)
    assert {key: data["summary"][key] for key in pinned} == pinned
    assert (data["summary"]["sections_added"], data["summary"]["sections_modified"]) == (2, 6)
    assert [s["id"] for s in data["sections"] if s["status"] == "added"] == CORPUS_ADDED
    assert [s["id"] for s in data["sections"] if s["status"] == "modified"] == CORPUS_MODIFIED
    assert err.splitlines() == [
        note(f"{CORPUS / OLD}/model_spec.md"),
        note(f"{CORPUS / NEW}/model_spec.md"),
    ]
    # The same, section for section, as the diff of the two files.
    code, files_out, files_err = run_cli_split(
        "diff",
        str(CORPUS / OLD / "model_spec.md"),
        str(CORPUS / NEW / "model_spec.md"),
        "--format",
        "json",
    )
    assert code == 0 and files_err == ""
    files = json.loads(files_out)
    assert (data["summary"], data["sections"], data["eval_sets"]) == (
        files["summary"],
        files["sections"],
        files["eval_sets"],
    )


def test_build_of_a_release_folder(tmp_path: Path) -> None:
    require_corpus()
    out = tmp_path / "site"
    code, _, err = run_cli_split("build", str(CORPUS / NEW), "-d", str(out))
    assert code == 1 and "not building" in err and not out.exists()
    code, stdout, err = run_cli_split("build", str(CORPUS / NEW), "-d", str(out), "--force")
    assert code == 0, err
    assert note(CORPUS / NEW / "model_spec.md") in err.splitlines()
    assert "site written despite 6 lint errors" in err
    assert f"Site written to {out}" in stdout
    assert (out / "prioritize_teen_safety" / "index.html").is_file()
    home = (out / "index.html").read_text("utf-8")
    assert "Model Spec" in home  # named after model_spec.md, as when built from the file


def test_import_of_a_release_folder_is_import_of_its_model_spec(tmp_path: Path) -> None:
    require_corpus()
    trees = []
    for source in (CORPUS / OLD, CORPUS / OLD / "model_spec.md"):
        target = tmp_path / source.name
        code, _, err = run_cli_split("import", str(source), "-o", str(target), "--force")
        assert code == 0, err
        trees.append({p.relative_to(target): p.read_bytes() for p in target.rglob("*.*")})
    assert trees[0] == trees[1] and len(trees[0]) > 100


# -- small folders ----------------------------------------------------------------------


def test_a_dialect_folder_lints_builds_and_exports_as_its_file(tmp_path: Path) -> None:
    folder = dialect_folder(tmp_path / "ms")
    (folder / "README.md").write_text("# About\n\nNot a section.\n", "utf-8")  # as upstream
    (folder / ".github").mkdir()
    (folder / "evals").mkdir()  # a folder without index.md: not a native section
    (folder / "evals" / "prompt.md").write_text("Say hi.\n", "utf-8")
    assert detect_dialect(folder) == OPENAI
    assert dialect_file(folder, ProjectConfig()) == folder / "model_spec.md"
    code, out, err = run_cli_split("lint", "ms", cwd=tmp_path)
    assert (code, out) == (0, "All checks passed.\n")
    assert err.splitlines() == [note("ms/model_spec.md")]
    code, _, err = run_cli_split("export", "ms", "-o", "out/model_spec.md", cwd=tmp_path)
    assert code == 0 and note("ms/model_spec.md") in err, err
    assert (tmp_path / "out" / "model_spec.md").read_text("utf-8") == SPEC.rstrip("\n")
    loaded, _ = load_spec(folder)
    assert loaded.folder_read_as is not None and loaded.spec.source.endswith("model_spec.md")


def test_diff_of_a_dialect_folder_at_a_revision(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    dialect_folder(repo / "ms")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "v1")
    spec = repo / "ms" / "model_spec.md"
    spec.write_text(spec.read_text("utf-8").replace("authority=user", "authority=root"), "utf-8")
    code, out, err = run_cli_split("diff", "HEAD:ms", "ms", "--format", "json", cwd=repo)
    assert code == 0, err
    assert json.loads(out)["summary"]["authority_raised"] == 1
    assert err.splitlines() == [note("HEAD:ms/model_spec.md"), note("ms/model_spec.md")]


NATIVE_SIGNS = {
    "a section file": ("10-a.md", "---\nid: a\ntitle: A\nauthority: user\n---\nText.\n"),
    "a section folder": ("10-a/index.md", "---\nid: a\ntitle: A\n---\nText.\n"),
    "a front page": ("index.md", "# Home\n\nNo front matter is needed here.\n"),
    "eval prompts": ("eval-prompts/k7q2.md", "---\ntitle: K\n---\nPrompts.\n"),
    "half-written front matter": ("10-a.md", "---\nid: a\n"),
}


@pytest.mark.parametrize("sign", NATIVE_SIGNS)
def test_a_folder_with_a_native_spec_stays_native(tmp_path: Path, sign: str) -> None:
    folder = dialect_folder(tmp_path / "ms")
    name, text = NATIVE_SIGNS[sign]
    (folder / name).parent.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, "utf-8")
    assert detect_dialect(folder) == NATIVE
    code, out, err = run_cli_split("lint", "ms", "--format", "concise", cwd=tmp_path)
    assert err == "" and code == 1
    # model_spec.md is then one more section file, without front matter: reported.
    assert "ms/model_spec.md:1:1: SG104 section has no front matter" in out, out


def test_a_projects_spec_dir_stays_native(tmp_path: Path) -> None:
    project = new_project(tmp_path)
    shutil.rmtree(project / "spec")
    dialect_folder(project / "spec")
    # The spec_dir of mkdocs.yml is the project's native spec, whatever it holds: a
    # project in the dialect names its file (spec_dir: spec/model_spec.md).
    _, config = load_spec(project / "spec")
    assert dialect_file(project / "spec", config) is None
    code, out, err = run_cli_split("lint", "--format", "concise", cwd=project)
    assert code == 1 and err == "" and "SG104" in out
    # Linted from elsewhere, with no mkdocs.yml that names it, the folder is the dialect.
    moved = shutil.move(project / "spec", tmp_path / "loose")
    code, out, err = run_cli_split("lint", str(moved), cwd=tmp_path)
    assert code == 0 and err.startswith("specgen: reading"), out + err


def test_a_model_spec_md_with_front_matter_is_not_the_dialect(tmp_path: Path) -> None:
    folder = dialect_folder(tmp_path / "ms", "---\nid: a\ntitle: A\n---\nText.\n")
    assert dialect_file(folder, ProjectConfig()) is None
    code, _, err = run_cli_split("lint", "ms", cwd=tmp_path)
    assert err == "" and code == 1  # native: examples/ is a folder without index.md


def test_files_beside_model_spec_that_lead_outside_are_never_opened(tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text("---\nid: secret\ntitle: Secret\n---\n", "utf-8")
    folder = dialect_folder(tmp_path / "proj" / "ms")
    (folder / "10-linked.md").symlink_to(outside)
    # Not a native sign (it is never read): the folder is the dialect, and the link is
    # none of its files.
    assert dialect_file(folder, ProjectConfig()) == folder / "model_spec.md"
    (folder / "model_spec.md").unlink()
    (folder / "model_spec.md").symlink_to(outside)
    assert dialect_file(folder, ProjectConfig()) is None  # the native reading reports it
    code, out, _ = run_cli_split("lint", "ms", "--format", "concise", cwd=folder.parent)
    assert code == 1 and "SG009" in out
