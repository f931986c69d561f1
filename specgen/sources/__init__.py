"""Spec sources: every reader turns files into the same model plus diagnostics.

Readers are imported when needed: linting an OpenAI-dialect file never loads the YAML
and JSON Schema machinery of native sources.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from specgen.diagnostics import Diagnostic
from specgen.model import Markdown, Spec
from specgen.project import ProjectConfig
from specgen.sources.paths import shown_path

NATIVE = "native"
OPENAI = "openai"


@dataclass(frozen=True)
class LoadResult:
    spec: Spec
    diagnostics: list[Diagnostic]
    texts: dict[str, str] = field(default_factory=dict)  # shown path -> source text
    home: Markdown | None = None
    dialect: str = NATIVE


def detect_dialect(path: Path) -> str:
    from specgen.sources.openai.detect import looks_like_openai

    return OPENAI if looks_like_openai(path) else NATIVE


def load(path: Path, config: ProjectConfig) -> LoadResult:
    """Read the spec at ``path``: a native folder or section file, or an OpenAI file."""
    if detect_dialect(path) == OPENAI:
        from specgen.sources.openai import read_openai

        openai = read_openai(path)
        spec = Spec(config.spec, tuple(openai.sections), tuple(openai.eval_sets), shown_path(path))
        return LoadResult(spec, openai.diagnostics, openai.texts, None, OPENAI)
    from specgen.sources.native import NativeReader

    native = NativeReader(config.eval_dir).read(path)
    spec = Spec(
        config=config.spec,
        sections=tuple(native.sections),
        eval_sets=tuple(native.eval_sets),
        source=shown_path(path),
    )
    return LoadResult(spec, native.diagnostics, native.texts, native.home)
