"""Bad input never raises: each problem is a located diagnostic and the rest is read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from specgen.lint.runner import lint
from specgen.project import ProjectConfig
from specgen.sources import load

GOOD = """---
id: good
title: Good
authority: user
---
Fine.
"""


def _lint(path: Path) -> list[tuple[str, str, int, int]]:
    report = lint(load(path, ProjectConfig()))
    return [(d.code, Path(d.loc.path).name, d.loc.line, d.loc.column) for d in report.diagnostics]


def _spec(tmp_path: Path, files: dict[str, bytes | str]) -> Path:
    root = tmp_path / "spec"
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, "utf-8")
    return root


def test_invalid_utf8_is_located_and_the_rest_is_linted(tmp_path: Path) -> None:
    root = _spec(
        tmp_path,
        {"10-bad.md": b"---\nid: bad\ntitle: caf\xe9\n---\n", "20-good.md": GOOD + "[?](#nope)\n"},
    )
    found = _lint(root)
    assert ("SG001", "10-bad.md", 3, 11) in found
    assert ("SG201", "20-good.md", 7, 1) in found


def test_binary_and_empty_files(tmp_path: Path) -> None:
    root = _spec(
        tmp_path, {"10-bin.md": b"\x89PNG\x00\x00", "20-empty.md": "  \n\n", "30.md": GOOD}
    )
    found = _lint(root)
    assert ("SG001", "10-bin.md", 1, 1) in found
    assert ("SG002", "20-empty.md", 1, 1) in found
    assert [f for f in found if f[1] == "30.md"] == []


def test_front_matter_that_never_closes(tmp_path: Path) -> None:
    root = _spec(tmp_path, {"10-open.md": "---\nid: open\ntitle: Open\n\nBody text\n"})
    assert _lint(root) == [("SG003", "10-open.md", 1, 1)]


def test_yaml_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    bomb = ["---", "id: bomb", "title: Bomb", 'a: &a ["lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 12):
        bomb.append(f"{chr(97 + i)}: &{chr(97 + i)} [" + ",".join([f"*{chr(96 + i)}"] * 9) + "]")
    bomb += ["---", "Body"]
    root = _spec(tmp_path, {"10-bomb.md": "\n".join(bomb)})
    assert _lint(root) == [("SG006", "10-bomb.md", 5, 8)]


def test_invalid_yaml_points_inside_the_yaml(tmp_path: Path) -> None:
    root = _spec(tmp_path, {"10-x.md": "---\nid: x\ntitle: [unclosed\nauthority: user\n---\n"})
    codes = _lint(root)
    assert codes and codes[0][0] == "SG101" and codes[0][2] >= 3


def test_folder_without_index_still_lints_its_sections(tmp_path: Path) -> None:
    root = _spec(tmp_path, {"10-group/10-a.md": GOOD + "[?](#missing)\n"})
    found = _lint(root)
    assert ("SG004", "10-group", 1, 1) in found
    assert ("SG201", "10-a.md", 7, 1) in found


def test_unreadable_section_file(tmp_path: Path) -> None:
    # A directory named like a section file, and a dangling symlink: neither can be read.
    root = _spec(tmp_path, {"30-ok.md": GOOD})
    (root / "10-dir.md").mkdir()
    (root / "20-link.md").symlink_to(root / "nowhere.md")
    found = _lint(root)
    assert ("SG001", "20-link.md", 1, 1) in found
    assert all(f[0] in ("SG001", "SG004") for f in found)


def test_circular_nesting_is_reported_once(tmp_path: Path) -> None:
    root = _spec(
        tmp_path,
        {
            "10-a/index.md": GOOD.replace("authority: user\n", ""),
            "10-a/10-b.md": GOOD.replace("id: good", "id: b"),
        },
    )
    os.symlink(root, root / "10-a" / "20-loop")
    found = _lint(root)
    assert [f for f in found if f[0] == "SG005"] == [("SG005", "20-loop", 1, 1)]


def test_absurdly_deep_nesting(tmp_path: Path) -> None:
    folder = tmp_path / "spec"
    for depth in range(20):
        folder = folder / f"{depth:02d}-level"
        folder.mkdir(parents=True)
        (folder / "index.md").write_text(f"---\nid: l{depth}\ntitle: L{depth}\n---\n", "utf-8")
    (folder / "10-leaf.md").write_text(GOOD, "utf-8")
    found = _lint(tmp_path / "spec")
    assert [f[0] for f in found if f[0] == "SG005"] == ["SG005"]


# -- property-based: arbitrary text and bytes never make the loader or linter raise --

_yamlish = st.sampled_from(
    [
        "---\n",
        "id: x\n",
        "title: T\n",
        "authority: user\n",
        "examples:\n",
        "  - id: e\n",
        "    conversation:\n",
        "      - role: user\n",
        "        content: |\n",
        "          hi\n",
        "      - answers:\n",
        "          - quality: good\n",
        "[?](#x)\n",
        "[^ab12]\n",
        "::example{#e}\n",
        '!!! meta "C"\n',
        "    body\n",
        "&a [1]\n",
        "*a\n",
        "<!-- specgen-disable-file SG201 -->\n",
        "```\n",
        "~~~\n",
        "\t\n",
        ": :\n",
        "- - -\n",
    ]
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(_yamlish, max_size=30).map("".join) | st.text(max_size=400))
def test_any_text_never_raises(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    root = tmp_path_factory.mktemp("spec")
    (root / "10-a.md").write_text(text, "utf-8", errors="surrogatepass") if _encodable(
        text
    ) else None
    (root / "20-b").mkdir()
    (root / "20-b" / "index.md").write_text(text if _encodable(text) else "", "utf-8")
    report = lint(load(root, ProjectConfig()))
    assert all(d.loc.line >= 1 and d.loc.column >= 1 for d in report.diagnostics)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=300))
def test_any_bytes_never_raise(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    root = tmp_path_factory.mktemp("spec")
    (root / "10-a.md").write_bytes(b"---\nid: a\n" + data)
    (root / "20-b.md").write_bytes(data)
    report = lint(load(root, ProjectConfig()))
    assert all(d.loc.line >= 1 for d in report.diagnostics)


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
