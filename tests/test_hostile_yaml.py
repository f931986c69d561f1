"""Hostile YAML: nesting too deep for ruamel.yaml.clib's composer is refused before it runs.

The C composer recurses once per level with no limit: ``x: `` and 50,000 ``[`` killed
the process with SIGSEGV. Those inputs run in a subprocess here, so a regression fails
the test instead of killing pytest. Inputs that nest a little too deep are safe to load
in-process and check the limit and where it is reported.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.events import CollectionEndEvent, CollectionStartEvent

from specgen.sources import codes
from specgen.sources.frontmatter import MAX_YAML_DEPTH, _may_be_too_deep, load_yaml
from tests.cli_helpers import new_project

SPECGEN = str(Path(sys.executable).parent / "specgen")  # the installed console script
LEVELS = 50_000
TOO_DEEP = f"invalid YAML: nested deeper than {MAX_YAML_DEPTH} levels"

# Each makes "KEY: <LEVELS levels of nesting>" as top-level YAML lines.
DEEP: dict[str, Callable[[str], str]] = {
    "brackets": lambda key: f"{key}: " + "[" * LEVELS,
    "braces": lambda key: f"{key}: " + "{" * LEVELS,
    "closed-brackets": lambda key: f"{key}: " + "[" * LEVELS + "]" * LEVELS,
    "dashes": lambda key: f"{key}:\n" + "- " * LEVELS + "x",
    "compact-keys": lambda key: f"{key}:\n" + "- ? " * (LEVELS // 2) + "x",
    # Indentation grows with depth (quadratic size), so fewer levels.
    "indented-mappings": lambda key: (
        f"{key}:\n" + "".join(" " * i + "k:\n" for i in range(1, 1_000)) + " " * 1_000 + "x"
    ),
}


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SPECGEN, *args], cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )


def _no_crash(done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode >= 0, f"killed by signal {-done.returncode}"
    assert done.returncode != 139 and "Traceback" not in done.stdout + done.stderr


def _deep_section(proj: Path, kind: str) -> None:
    (proj / "spec" / "40-deep.md").write_text(
        f"---\nid: deep\ntitle: Deep\nauthority: user\n{DEEP[kind]('x')}\n---\nText.\n", "utf-8"
    )


@pytest.mark.parametrize("kind", DEEP)
def test_deep_front_matter_is_a_located_finding(tmp_path: Path, kind: str) -> None:
    proj = new_project(tmp_path)
    _deep_section(proj, kind)
    done = _run("lint", "--format", "concise", cwd=proj)
    _no_crash(done)
    assert done.returncode == 1, done.stdout + done.stderr
    found = re.findall(rf"^spec/40-deep\.md:(\d+):(\d+): SG101 {TOO_DEEP}$", done.stdout, re.M)
    assert len(found) == 1, done.stdout
    if kind == "brackets":
        # The 65th collection: the mapping, then the 64th "[" (column 3 + 64).
        assert found[0] == ("5", str(3 + 64))


@pytest.mark.parametrize("kind", ["brackets", "braces", "dashes", "indented-mappings"])
def test_deep_mkdocs_yml_is_a_located_finding(tmp_path: Path, kind: str) -> None:
    proj = new_project(tmp_path)
    with (proj / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write(DEEP[kind]("extra") + "\n")
    done = _run("lint", "--format", "concise", cwd=proj)
    _no_crash(done)
    assert done.returncode == 1, done.stdout + done.stderr
    assert re.search(rf"^mkdocs\.yml:\d+:\d+: SG101 {TOO_DEEP}$", done.stdout, re.M), done.stdout


def test_build_force_with_deep_front_matter_builds_the_rest(tmp_path: Path) -> None:
    proj = new_project(tmp_path)
    _deep_section(proj, "brackets")
    done = _run("build", "--force", "-d", str(tmp_path / "site"), cwd=proj)
    _no_crash(done)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"SG101 [error] {TOO_DEEP}" in done.stderr
    assert (tmp_path / "site" / "index.html").is_file()


def test_build_force_with_deep_mkdocs_yml_is_not_killed(tmp_path: Path) -> None:
    proj = new_project(tmp_path)
    with (proj / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write(DEEP["brackets"]("extra") + "\n")
    done = _run("build", "--force", "-d", str(tmp_path / "site"), cwd=proj)
    _no_crash(done)
    assert done.returncode != 0 and f"SG101 [error] {TOO_DEEP}" in done.stderr


# -- in-process: deep enough to refuse, too shallow to hurt ------------------------------


def _nested(levels: int) -> str:
    """``x:`` then ``levels - 1`` flow sequences: ``levels`` collections in all."""
    return "x: " + "[" * (levels - 1) + "1" + "]" * (levels - 1)


def test_the_limit_is_inclusive() -> None:
    data, diags = load_yaml(_nested(MAX_YAML_DEPTH), 1, "a.yml")
    assert diags == [] and data is not None
    _data, diags = load_yaml(_nested(MAX_YAML_DEPTH + 1), 1, "a.yml")
    assert [(d.code, d.message, d.loc.line, d.loc.column) for d in diags] == [
        (codes.INVALID_YAML, TOO_DEEP, 1, 4 + MAX_YAML_DEPTH - 1)
    ]


def test_block_nesting_is_reported_where_it_crosses_the_limit() -> None:
    text = "".join(" " * i + "k:\n" for i in range(MAX_YAML_DEPTH + 5)) + " " * 80 + "x\n"
    _data, diags = load_yaml(text, 10, "a.md")
    assert [(d.message, d.loc.line, d.loc.column) for d in diags] == [
        (TOO_DEEP, 10 + MAX_YAML_DEPTH, MAX_YAML_DEPTH + 1)
    ]


def test_brackets_in_a_block_scalar_are_not_nesting(tmp_path: Path) -> None:
    code = json.dumps([[[i, {"k": [i]}]] for i in range(200)])
    assert code.count("[") > 3 * 200
    text = "id: json\ntitle: JSON\nsnippet: |\n  " + code + "\nother: [[1]]\n"
    assert _may_be_too_deep(text)  # the cheap bound sends it to the event scan
    data, diags = load_yaml(text, 2, "a.md")
    assert diags == []
    assert json.loads(data["snippet"]) == json.loads(code) and data["other"] == [[1]]


def test_a_section_with_json_in_its_front_matter_lints_clean(tmp_path: Path) -> None:
    from specgen.lint.runner import lint
    from specgen.project import ProjectConfig
    from specgen.sources import load

    code = json.dumps([[[i]] for i in range(200)], indent=1)
    block = "".join(f"          {line}\n" for line in code.splitlines())
    (tmp_path / "10-json.md").write_text(
        "---\nid: json\ntitle: JSON\nauthority: user\nexamples:\n"
        "  - id: json-example\n    conversation:\n      - role: user\n        content: |\n"
        f"{block}      - answers:\n          - quality: good\n            content: Fine.\n"
        "---\nText.\n",
        "utf-8",
    )
    report = lint(load(tmp_path, ProjectConfig()))
    assert [d for d in report.diagnostics if d.code == codes.INVALID_YAML] == []


def test_the_common_case_skips_the_event_scan() -> None:
    text = "id: refunds\ntitle: Refunds\nauthority: user\ntags: [a, b]\nexamples:\n  - id: e\n"
    assert not _may_be_too_deep(text)


# -- the cheap bound never misses: depth > limit always sends text to the event scan ----


_BREAKS = ["\n", "\r\n", "\r", "\x85", "\u2028", "\u2029"]


def _block(kinds: str, col: int, rnd: random.Random) -> str:
    """YAML for nested collections (``S`` sequence, ``M`` mapping, ``F`` flow ones), in
    the tightest block layouts: compact ``- - x``, indentless sequences, 1-space steps."""
    if not kinds:
        return "x"
    kind, rest = kinds[0], kinds[1:]
    if kind == "F":
        openers = [rnd.choice(["[", "{k: "]) for _ in kinds]
        return "".join(openers) + "x" + "".join("]" if o == "[" else "}" for o in openers[::-1])
    if kind == "S":
        if rnd.random() < 0.5:
            return "- " + _block(rest, col + 2, rnd)
        step = rnd.randint(1, 2)
        return "-\n" + " " * (col + step) + _block(rest, col + step, rnd)
    if rest[:1] == "S" and rnd.random() < 0.7:  # a sequence may share its mapping's column
        return "k:\n" + " " * col + _block(rest, col, rnd)
    if not rest or rest[0] == "F":
        return "k: " + _block(rest, col, rnd)
    step = rnd.randint(1, 2)
    return "k:\n" + " " * (col + step) + _block(rest, col + step, rnd)


def _event_depth(text: str) -> int:
    depth = deepest = 0
    for event in YAML(typ="safe", pure=False).parse(text):
        if isinstance(event, CollectionStartEvent):
            depth += 1
            deepest = max(deepest, depth)
        elif isinstance(event, CollectionEndEvent):
            depth -= 1
    return deepest


@settings(max_examples=150, deadline=None)
@given(
    block=st.text("SM", min_size=1, max_size=MAX_YAML_DEPTH + 10),
    flow=st.integers(0, 12),
    seed=st.integers(0, 2**32),
)
def test_the_depth_bound_is_never_below_the_depth(block: str, flow: int, seed: int) -> None:
    rnd = random.Random(seed)
    text = _block(block + "F" * flow, 0, rnd).replace("\n", rnd.choice(_BREAKS)) + "\n"
    depth = _event_depth(text)
    assert depth == len(block) + flow
    if depth > MAX_YAML_DEPTH:
        assert _may_be_too_deep(text)
        assert [d.message for d in load_yaml(text, 1, "a.yml")[1]] == [TOO_DEEP]
