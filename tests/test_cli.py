"""The command line, run in-process with click's runner on real specs."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_helpers import new_project, run_cli

REPO = Path(__file__).resolve().parent.parent
BROKEN = """---
id: broken
title: Broken
autority: user
---
See [?](#nowhere).
"""


def run(*args: str, cwd: Path | None = None) -> tuple[int, str]:
    return run_cli(*args, cwd=cwd)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return new_project(tmp_path)


def test_new_project_lints_clean(project: Path) -> None:
    assert sorted(p.name for p in (project / "spec").iterdir()) == [
        "10-overview.md",
        "20-no-harmful-instructions.md",
        "30-be-concise.md",
    ]
    code, out = run("lint", cwd=project)
    assert (code, out.strip()) == (0, "All checks passed.")


def test_new_refuses_to_overwrite(project: Path) -> None:
    code, out = run("new", str(project))
    assert code == 1 and "already exists" in out


def test_findings_exit_1_with_locations(project: Path) -> None:
    (project / "spec" / "40-broken.md").write_text(BROKEN, "utf-8")
    code, out = run("lint", "--format", "concise", cwd=project)
    assert code == 1
    assert "spec/40-broken.md:4:1: SG102 unknown key 'autority'; did you mean 'authority'?" in out
    assert "spec/40-broken.md:6:5: SG201 reference to unknown section 'nowhere'" in out


def test_fail_on_and_ignore(project: Path) -> None:
    (project / "spec" / "40-broken.md").write_text(BROKEN, "utf-8")
    code, _ = run("lint", "--ignore", "SG102,SG201,SG205", cwd=project)
    assert code == 0
    code, out = run("lint", "--select", "SG201", "--format", "json", cwd=project)
    assert code == 1 and [d["code"] for d in json.loads(out)] == ["SG201"]


def test_warning_fails_only_with_fail_on_warning(project: Path) -> None:
    index = project / "spec" / "10-overview.md"
    index.write_text(
        index.read_text("utf-8") + "\n<!-- specgen-disable-next-line SG201 -->\nNothing.\n"
    )
    code, out = run("lint", "--format", "concise", cwd=project)
    assert code == 0 and "SG901" in out
    code, _ = run("lint", "--fail-on", "warning", cwd=project)
    assert code == 1


def test_usage_errors_exit_2(project: Path) -> None:
    assert run("lint", "no/such/path", cwd=project)[0] == 2
    assert run("lint", "--select", "XX999", cwd=project)[0] == 2
    assert run("lint", "--format", "xml", cwd=project)[0] == 2
    assert run("rules", "SG999")[0] == 2


def test_rules_list_and_explain() -> None:
    code, out = run("rules")
    assert code == 0
    assert re.search(
        r"^SG201\s+dangling-reference\s+error\s+A reference points at nothing$", out, re.M
    )
    code, out = run("rules", "unknown-key")
    assert code == 0 and out.startswith("SG102 unknown-key")
    assert "## Example" in out and "## Use instead" in out


def test_schema_command_prints_the_shipped_schema() -> None:
    code, out = run("schema")
    assert code == 0 and json.loads(out)["required"] == ["id", "title"]


def test_console_script_runs_outside_click_runner(project: Path) -> None:
    exe = Path(sys.executable).with_name("specgen")
    done = subprocess.run([str(exe), "lint"], cwd=project, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "All checks passed."


def test_sample_spec_lints_clean() -> None:
    code, out = run("lint", "--format", "concise", cwd=REPO)
    assert (code, out.strip()) == (0, "All checks passed.")


def test_color_is_forced_with_the_flag_and_off_without(project: Path) -> None:
    (project / "spec" / "40-broken.md").write_text(BROKEN, "utf-8")
    code, out = run("lint", "--color", cwd=project)
    assert code == 1 and "\x1b[" in out
    code, out = run("lint", cwd=project)  # not a terminal: plain text
    assert code == 1 and "\x1b[" not in out
