"""Spec sources: every reader turns files into the same model plus diagnostics."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from specgen.diagnostics import Diagnostic
from specgen.model import Markdown, Spec
from specgen.project import ProjectConfig
from specgen.sources.native import NativeReader, shown_path


@dataclass(frozen=True)
class LoadResult:
    spec: Spec
    diagnostics: list[Diagnostic]
    texts: dict[str, str] = field(default_factory=dict)  # shown path -> source text
    home: Markdown | None = None


def load(path: Path, config: ProjectConfig) -> LoadResult:
    """Read the spec at ``path`` (a folder or a single section file)."""
    reader = NativeReader(config.eval_dir)
    native = reader.read(path)
    spec = Spec(
        config=config.spec,
        sections=tuple(native.sections),
        eval_sets=tuple(native.eval_sets),
        source=shown_path(path),
    )
    return LoadResult(spec, native.diagnostics, native.texts, native.home)
