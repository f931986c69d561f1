"""inspect-ai is an optional extra: the core install does not ask for it, and lint, build
and export never import it (each is run in a process where importing it is recorded and
refused)."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "openai-model-spec"
MODEL_SPEC = CORPUS / "2025-12-18" / "model_spec.md"

# Run specgen's CLI with a meta-path finder that writes down, then refuses (as if it were
# not installed), any import of inspect_ai: a command that tried it is seen, even one
# that caught the ImportError.
BLOCKED_RUN = """
import sys
from importlib.abc import MetaPathFinder

record = open(sys.argv[1], "w")

class RefuseInspect(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "inspect_ai" or name.startswith("inspect_ai."):
            record.write(name + "\\n")
            record.flush()
            # what Python raises for a package that is not installed
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, RefuseInspect())
sys.argv = ["specgen", *sys.argv[2:]]
from specgen.cli import main
try:
    main()
finally:
    record.write("loaded\\n" if any(m.startswith("inspect_ai") for m in sys.modules) else "")
"""


def _requirements() -> list[Requirement]:
    return [Requirement(r) for r in metadata.requires("specgen") or []]


def test_the_core_requirements_leave_inspect_ai_out() -> None:
    core = [r.name for r in _requirements() if r.marker is None]
    assert core, "the installed metadata lists specgen's requirements"
    assert "inspect-ai" not in {name.lower() for name in core}
    # ... and the extra that brings it is declared, in pyproject.toml as installed.
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    extra = declared["project"]["optional-dependencies"]["eval"]
    assert [Requirement(r).name for r in extra] == ["inspect-ai"]
    assert any(
        r.name == "inspect-ai" and r.marker is not None and r.marker.evaluate({"extra": "eval"})
        for r in _requirements()
    )
    assert all(r.name != "inspect-ai" for r in _requirements() if r.marker is None)


def _run_blocked(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], str]:
    record = tmp_path / "inspect-imports.txt"
    done = subprocess.run(
        [sys.executable, "-c", BLOCKED_RUN, str(record), *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    return done, record.read_text("utf-8")


@pytest.mark.parametrize(
    "args",
    [
        ("lint", str(ROOT / "spec")),
        ("lint", str(MODEL_SPEC)),
        ("build", str(ROOT / "spec"), "-d", "{tmp}/site"),
        ("export", "--format", "jsonl", str(MODEL_SPEC), "-o", "{tmp}/records.jsonl"),
        ("export", "--format", "json", str(ROOT / "spec"), "-o", "{tmp}/spec.json"),
    ],
    ids=["lint-sample", "lint-model-spec", "build", "export-jsonl", "export-json"],
)
def test_lint_build_and_export_never_import_inspect_ai(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    done, imports = _run_blocked(tmp_path, *(a.format(tmp=tmp_path) for a in args))
    # lint of the Model Spec exits 1 (its six dangling eval refs); nothing else may fail.
    assert done.returncode in ((0, 1) if args[0] == "lint" else (0,)), done.stderr
    assert "Traceback" not in done.stderr
    assert imports == ""


def test_the_blocker_sees_an_import_of_inspect_ai(tmp_path: Path) -> None:
    # The same harness on a command that does import it: the record is not empty.
    done, imports = _run_blocked(tmp_path, "eval", str(ROOT / "spec"), "--model", "mockllm/model")
    assert imports.startswith("inspect_ai"), (done.stdout, done.stderr)
    assert done.returncode == 2
    assert "specgen[eval]" in done.stderr
    assert "Traceback" not in done.stderr
