"""benchmarks/make_synthetic.py --sections N: the OpenAI Model Spec grown to exactly N
sections, in its own dialect and imported as native sources, with unique ids, every
reference resolved (no lint finding the Model Spec does not have), copies nested under
parts, and the same bytes every time."""

from __future__ import annotations

import importlib.util
import os
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from specgen.api import load_and_lint
from specgen.model import RefKind, Spec

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO.parent / "shared" / "corpus" / "openai-model-spec" / "2025-12-18" / "model_spec.md"

pytestmark = pytest.mark.skipif(
    not SOURCE.is_file() and not os.environ.get("CI"),
    reason=f"the OpenAI Model Spec corpus is not at {SOURCE.parent} (it must be there in CI)",
)

BASE_SECTIONS = 80  # the Model Spec 2025-12-18
N = 200  # 3 copies under 3 parts: 81 + 81 + 38 (the last cut to 37 of the 80)
# Findings that would mean a broken copy: a dangling reference, a duplicate id.
BROKEN = {"SG201", "SG202", "SG203", "SG001"}


def _load_generator() -> ModuleType:
    path = REPO / "benchmarks" / "make_synthetic.py"
    spec = importlib.util.spec_from_file_location("make_synthetic", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


gen = _load_generator()


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _lint(target: Path) -> tuple[Spec, Counter[str]]:
    checked = load_and_lint(target)
    return checked.loaded.spec, Counter(d.code for d in checked.report.diagnostics)


@pytest.fixture(scope="module")
def base() -> Counter[str]:
    _, codes = _lint(SOURCE)
    assert codes == {"SG401": 4, "SG402": 2}  # its six real defects
    return codes


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("synthetic")
    return {
        dialect: gen.generate_sections(out / dialect, N, dialect, SOURCE).target
        for dialect in gen.DIALECTS
    }


@pytest.fixture(scope="module")
def linted(made: dict[str, Path]) -> dict[str, tuple[Spec, Counter[str]]]:
    return {dialect: _lint(target) for dialect, target in made.items()}


def test_plan_counts_every_section_parts_included() -> None:
    plan = gen.plan_sections
    assert plan(80, 80) == gen.Plan(80, 1, 80, False, 80)  # the spec itself
    assert plan(50, 80) == gen.Plan(50, 1, 50, False, 80)
    assert plan(162, 80) == gen.Plan(162, 2, 80, True, 80)  # 2 x (part + 80)
    assert plan(N, 80) == gen.Plan(N, 3, 37, True, 80)
    assert plan(800, 80) == gen.Plan(800, 10, 70, True, 80)
    assert plan(8000, 80) == gen.Plan(8000, 99, 61, True, 80)


@pytest.mark.parametrize("dialect", ["openai", "native"])
def test_exactly_n_sections_under_parts_unique_ids_references_resolve(
    linted: dict[str, tuple[Spec, Counter[str]]], base: Counter[str], dialect: str
) -> None:
    spec, codes = linted[dialect]
    sections = list(spec.walk())
    assert len(sections) == N
    ids = [s.id for s in sections]
    assert len(set(ids)) == N
    # One top-level part per copy, each holding the Model Spec's eight top-level sections
    # (the cut third copy: the first four, the fourth cut).
    assert [s.id for s in spec.sections] == ["part_1", "part_2", "part_3"]
    assert [len(s.children) for s in spec.sections] == [8, 8, 4]
    assert [len(list(s.walk())) for s in spec.sections] == [81, 81, 38]
    assert spec.sections[0].children[2].id == "chain_of_command"  # copy 1 keeps its ids
    assert spec.sections[1].children[2].id == "chain_of_command_c2"
    for section in sections:
        assert len({e.id for e in section.examples}) == len(section.examples)
    # Every section reference resolves: within its copy, or (from the cut copy, to a
    # section it lacks) to copy 1's.
    known = set(ids)
    for part in spec.sections:
        suffix = "" if part.id == "part_1" else "_c" + part.id.removeprefix("part_")
        for section in part.walk():
            for ref in section.references:
                if ref.kind in (RefKind.LINK, RefKind.TITLE, RefKind.VIOLATES):
                    assert ref.target in known
                    if part.id != "part_3":
                        assert ref.target.endswith(suffix) or not suffix
    # Eval prompt sets: copy k's, cited by copy k; never two with one id.
    eval_ids = [s.id for s in spec.eval_sets]
    assert len(set(eval_ids)) == len(eval_ids)
    assert {"092i", "092i_c2"} <= set(eval_ids)
    # The Model Spec's own findings, at most once per copy, nothing else.
    assert not set(codes) & BROKEN
    assert set(codes) <= set(base)
    for code, count in codes.items():
        assert count <= base[code] * 3


def test_the_dialects_hold_the_same_tree(linted: dict[str, tuple[Spec, Counter[str]]]) -> None:
    openai, native = linted["openai"][0], linted["native"][0]

    def tree(spec: Spec) -> list[tuple[str, str, tuple[str, ...], str | None]]:
        return [(s.id, s.title, tuple(c.id for c in s.children), s.authority) for s in spec.walk()]

    assert tree(native) == tree(openai)
    assert sorted(s.id for s in native.eval_sets) == sorted(s.id for s in openai.eval_sets)
    assert sum(len(s.examples) for s in native.walk()) == sum(
        len(s.examples) for s in openai.walk()
    )


def test_full_copies_have_the_model_specs_findings_once_each(
    tmp_path: Path, base: Counter[str]
) -> None:
    generated = gen.generate_sections(tmp_path / "two", 2 * (BASE_SECTIONS + 1), "openai", SOURCE)
    assert gen.check_sections(generated, SOURCE) == []
    _, codes = _lint(generated.target)
    assert codes == Counter({code: 2 * count for code, count in base.items()})


def test_one_copy_is_the_model_spec_itself_and_a_cut_one_unlinks(tmp_path: Path) -> None:
    whole = gen.generate_sections(tmp_path / "whole", BASE_SECTIONS, "openai", SOURCE)
    assert whole.target.read_bytes() == SOURCE.read_bytes()
    assert (whole.target.parent / "examples" / "092i.md").read_bytes() == (
        SOURCE.parent / "examples" / "092i.md"
    ).read_bytes()
    cut = gen.generate_sections(tmp_path / "cut", 30, "openai", SOURCE)
    spec, codes = _lint(cut.target)
    assert len(list(spec.walk())) == 30
    assert spec.sections[0].id == "overview"  # no parts for one copy
    # References to the 50 sections left out are unlinked, not left dangling.
    assert "SG201" not in codes


def test_same_bytes_every_time(tmp_path: Path, made: dict[str, Path]) -> None:
    for dialect, target in made.items():
        again = gen.generate_sections(tmp_path / dialect, N, dialect, SOURCE)
        first_root = target.parent if dialect == "native" else target.parent.parent
        second_root = again.target.parent if dialect == "native" else again.target.parent.parent
        assert _files(second_root) == _files(first_root), dialect


def test_the_command_line_checks_what_it_wrote(tmp_path: Path) -> None:
    out = tmp_path / "cli"
    code = gen.main([str(out), "--sections", "90", "--dialect", "openai", "--check"])
    assert code == 0
    text = (out / "spec" / "model_spec.md").read_text("utf-8")
    assert text.startswith("# Part 1 {#part_1}\n")
    assert "\n## Overview {#overview}\n" in text
    assert "\n##### " in text  # the Model Spec's H4s, one level down
    assert "\n# Part 2 {#part_2}\n" in text
    # The scale mode still works: copies of the sample spec, linted clean.
    assert gen.main([str(tmp_path / "scale"), "--scale", "2", "--check"]) == 0
