"""A whole spec in one file (the OpenAI dialect) may be far larger than a section file:
10,000 sections of the Model Spec's kind are about 34 MB."""

from __future__ import annotations

from pathlib import Path

from specgen.sources.files import MAX_FILE_BYTES, MAX_SPEC_FILE_BYTES
from tests.cli_helpers import run_cli


def test_an_openai_spec_larger_than_a_section_file_may_be_is_read(tmp_path: Path) -> None:
    spec = tmp_path / "model_spec.md"
    section = "## Section {i} {{#s{i} authority=user}}\n\n" + "Policy text. " * 400 + "\n\n"
    parts: list[str] = []
    size, i = 0, 0
    while size <= MAX_FILE_BYTES:
        parts.append(section.format(i=i))
        size += len(parts[-1])
        i += 1
    spec.write_text("".join(parts), "utf-8")
    (tmp_path / "examples").mkdir()
    code, out = run_cli("lint", "--format", "concise", str(spec), cwd=tmp_path)
    assert "SG001" not in out, out[:500]
    assert code == 0, out[:500]


def test_an_openai_spec_over_its_limit_is_refused_unread(tmp_path: Path) -> None:
    spec = tmp_path / "model_spec.md"
    with spec.open("wb") as sparse:  # never read: refused on its size
        sparse.truncate(MAX_SPEC_FILE_BYTES + 1)
    code, out = run_cli("lint", str(spec), cwd=tmp_path)
    assert code == 1
    assert f"SG001 [error] file is too large ({MAX_SPEC_FILE_BYTES + 1} bytes" in out, out
