"""Spec sources: every reader turns files into the same model plus diagnostics.

Readers are imported when needed: linting an OpenAI-dialect file never loads the YAML
and JSON Schema machinery of native sources.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from specgen.diagnostics import Diagnostic
from specgen.model import Markdown, Spec, SpecConfig
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
        spec_config = _named_after_file(config.spec, path)
        spec = Spec(spec_config, tuple(openai.sections), tuple(openai.eval_sets), shown_path(path))
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


def _named_after_file(config: SpecConfig, path: Path) -> SpecConfig:
    """A single-file spec with no configured title is named after its file
    (model_spec.md: "Model Spec"), and dated by a YYYY-MM-DD folder holding it."""
    if config.title != SpecConfig().title:
        return config
    title = " ".join(word.capitalize() for word in path.stem.replace("-", "_").split("_"))
    folder = path.resolve().parent.name
    dated = re.fullmatch(r"\d{4}-\d{2}-\d{2}", folder) is not None
    return replace(
        config, title=title or config.title, date=config.date or (folder if dated else "")
    )
