"""Commands that write (import, export, build --all-versions) lint what they read, with
the project's lint settings, and write nothing when it fails unless --force; and
``import`` writes the authority levels the source uses."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from specgen.sources.loading import load_spec
from tests.cli_helpers import new_project, run_cli, run_cli_split
from tests.versions_helpers import (
    CORPUS,
    MODEL_SPEC_LINT_ERRORS,
    build_all_versions,
    commit_and_tag,
    git,
    require_corpus,
)

PLATFORM_SPEC = """# Overview {#overview}

How the assistant behaves on this platform.

## Follow the platform {#follow_platform authority=platform}

The platform's rules come first.

## Help the user {#help_user authority=user}

Help with what the user asks, within the platform's rules[^ab12].
"""
EVAL = """Examples for [^ab12] in Help the user:

**Example**: a plain request

~~~xml
<user>
What time is it in Paris?
</user>
~~~
"""
DEFAULT_LEVELS = ["root", "system", "developer", "user", "guideline"]


def dialect_spec(folder: Path, text: str = PLATFORM_SPEC) -> Path:
    (folder / "examples").mkdir(parents=True)
    (folder / "examples" / "ab12.md").write_text(EVAL, "utf-8")
    path = folder / "model_spec.md"
    path.write_text(text, "utf-8")
    return path


def written_levels(project: Path) -> list[str]:
    config = yaml.safe_load((project / "mkdocs.yml").read_text("utf-8"))
    (plugin,) = [p["specgen"] for p in config["plugins"] if isinstance(p, dict)]
    return [level["id"] for level in plugin["levels"]]


def add_specgen_setting(project: Path, text: str) -> None:
    """Append settings (unindented YAML) to the specgen block that ends mkdocs.yml."""
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("".join(f"      {line}\n" for line in text.splitlines()))


# -- import: the levels the source uses --------------------------------------------------


def test_import_writes_the_levels_the_source_uses(tmp_path: Path) -> None:
    source = dialect_spec(tmp_path / "src")
    code, out, err = run_cli_split("import", str(source), "-o", str(tmp_path / "proj"))
    assert code == 0, err
    assert written_levels(tmp_path / "proj") == ["platform", "user"]
    assert "order of first use: platform, user" in err and "--levels" in err
    assert "Imported 3 sections" in out
    code, out = run_cli("lint", cwd=tmp_path / "proj")
    assert (code, out) == (0, "All checks passed.\n")
    imported, _ = load_spec(tmp_path / "proj" / "spec")
    assert sum(1 for _ in imported.spec.walk()) == 3


def test_import_of_default_levels_writes_all_five(tmp_path: Path) -> None:
    source = dialect_spec(tmp_path / "src", PLATFORM_SPEC.replace("=platform", "=root"))
    code, _, err = run_cli_split("import", str(source), "-o", str(tmp_path / "proj"))
    assert code == 0 and err == "", err
    assert written_levels(tmp_path / "proj") == DEFAULT_LEVELS


def test_import_with_levels_that_miss_a_used_one_fails(tmp_path: Path) -> None:
    source = dialect_spec(tmp_path / "src")
    target = tmp_path / "proj"
    code, _, err = run_cli_split("import", str(source), "-o", str(target), "--levels", "root,user")
    assert code == 1
    assert "--levels does not name: platform (first at " in err and "model_spec.md:5:" in err
    assert not target.exists()
    # Named: that order is written.
    code, _, err = run_cli_split(
        "import", str(source), "-o", str(target), "--levels", "platform,root,user"
    )
    assert code == 0, err
    assert written_levels(target) == ["platform", "root", "user"]
    # Forced: written as asked, and the SG204 errors are said.
    forced = tmp_path / "forced"
    code, _, err = run_cli_split(
        "import", str(source), "-o", str(forced), "--levels", "root,user", "--force"
    )
    assert code == 0 and forced.is_dir(), err
    assert "SG204" in err and "written despite 1 lint error" in err


def test_a_platform_release_imports_without_sg204(tmp_path: Path) -> None:
    """A corpus release with root renamed platform: imported with its own levels, its
    project has the release's findings (SG401/SG402) and no others."""
    require_corpus()
    release = "2025-12-18"
    text = (CORPUS / release / "model_spec.md").read_text("utf-8")
    source = tmp_path / release / "model_spec.md"
    source.parent.mkdir()
    source.write_text(text.replace("authority=root", "authority=platform"), "utf-8")
    shutil.copytree(CORPUS / release / "examples", source.parent / "examples")
    target = tmp_path / "proj"
    code, out, err = run_cli_split("import", str(source), "-o", str(target), "--force")
    assert code == 0, err
    assert "SG204" not in err
    assert written_levels(target)[0] == "platform"
    errors = MODEL_SPEC_LINT_ERRORS[release]
    assert f"written despite {errors} lint errors" in err
    code, lint_out = run_cli("lint", "--format", "concise", cwd=target)
    assert code == 1 and f"Found {errors} errors." in lint_out
    assert set(re.findall(r" (SG\d+) ", lint_out)) == {"SG401", "SG402"}
    sections = int(re.search(r"Imported (\d+) sections", out).group(1))  # type: ignore[union-attr]
    assert sections == sum(1 for _ in load_spec(target / "spec")[0].spec.walk()) == 80


# -- import and export refuse to write on lint errors ------------------------------------


def test_import_refuses_a_source_with_lint_errors(tmp_path: Path) -> None:
    require_corpus()
    target = tmp_path / "proj"
    source = str(CORPUS / "2025-10-27" / "model_spec.md")
    code, out, err = run_cli_split("import", source, "-o", str(target))
    assert code == 1 and out == ""
    assert not target.exists()
    assert err.count("SG401 [error]") == 4 and "\n     |" in err  # the full format
    assert err.splitlines()[-1] == (
        f"specgen: not writing {target} because of lint errors (use --force to write anyway)"
    )


def test_export_lints_with_the_projects_settings(tmp_path: Path) -> None:
    project = new_project(tmp_path)
    concise = project / "spec" / "30-be-concise.md"
    concise.write_text(concise.read_text("utf-8") + "\nSee [?](#nowhere).\n", "utf-8")
    output = tmp_path / "out" / "model_spec.md"
    code, _, err = run_cli_split("export", "spec", "-o", str(output), cwd=project)
    assert code == 1 and "SG201 [error]" in err and not output.exists()
    assert "specgen: not writing" in err and "--force" in err
    code, out, err = run_cli_split("export", "spec", "-o", str(output), "--force", cwd=project)
    assert code == 0 and output.is_file()
    assert f"Wrote {output}" in out
    assert f"specgen: {output} written despite 1 lint error\n" in err
    output.unlink()
    add_specgen_setting(project, "lint:\n  ignore: [SG201]")
    code, _, err = run_cli_split("export", "spec", "-o", str(output), cwd=project)
    assert code == 0 and err == "" and output.is_file()


# -- build --all-versions lints each release it builds ------------------------------------


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The scaffolded project tagged v1.0 (clean), then v2.0 with a dangling reference."""
    project = new_project(tmp_path)
    (project / ".gitignore").write_text("site/\n", "utf-8")
    git(project, "init", "-q", "-b", "main")
    commit_and_tag(project, "v1.0")
    concise = project / "spec" / "30-be-concise.md"
    concise.write_text(concise.read_text("utf-8") + "\nSee [?](#nowhere).\n", "utf-8")
    commit_and_tag(project, "v2.0")
    return project


def test_versioned_build_refuses_a_release_with_lint_errors(repo: Path) -> None:
    code, out = build_all_versions(repo)
    assert code == 1, out
    # Located in the release (REV:path), not in the scratch copy it was read from.
    assert "v2.0:spec/30-be-concise.md:" in out and "SG201 [error]" in out
    assert "[2/2] v2.0: failed: 1 lint error" in out
    assert "not writing release v2.0 because of lint errors (use --force" in out
    assert not (repo / "site").exists()  # nothing written, not even the clean v1.0
    code, out = build_all_versions(repo, "--force")
    assert code == 0, out
    assert "[2/2] v2.0: built in" in out and "(written despite 1 lint error)" in out
    assert (repo / "site" / "v2.0" / "be_concise" / "index.html").is_file()
    # Up to date: nothing to build, so nothing is linted.
    code, out = build_all_versions(repo)
    assert code == 0 and "SG201" not in out and "0 built, 2 up to date" in out, out


def test_versioned_build_uses_the_projects_lint_settings(repo: Path) -> None:
    add_specgen_setting(repo, 'lint:\n  per_file_ignores: {"spec/30-be-concise.md": [SG201]}')
    code, out = build_all_versions(repo)
    assert code == 0 and "SG201" not in out, out
