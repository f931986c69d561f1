"""Spec sources: every reader turns files into the same model plus diagnostics.

Readers are imported when needed: linting an OpenAI-dialect file never loads the YAML
and JSON Schema machinery of native sources.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from specgen.diagnostics import Diagnostic
from specgen.model import Location, Markdown, Spec, SpecConfig
from specgen.project import ProjectConfig
from specgen.sources import codes
from specgen.sources.links import MESSAGE, outside, real, within
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
    boundary = project_boundary(path, config)
    escaped = outside(path, boundary)
    if escaped is not None:  # checked before detect_dialect, which would open the file
        shown = shown_path(path)
        refused = Diagnostic(codes.SYMLINK_OUTSIDE, MESSAGE.format(target=escaped), Location(shown))
        return LoadResult(Spec(config.spec, (), (), shown), [refused])
    if detect_dialect(path) == OPENAI:
        from specgen.sources.openai import read_openai

        openai = read_openai(path, boundary)
        spec_config = _named_after_file(config.spec, path)
        spec = Spec(spec_config, tuple(openai.sections), tuple(openai.eval_sets), shown_path(path))
        return LoadResult(spec, openai.diagnostics, openai.texts, None, OPENAI)
    from specgen.sources.native import NativeReader

    native = NativeReader(config.eval_dir, boundary).read(path)
    spec = Spec(
        config=config.spec,
        sections=tuple(native.sections),
        eval_sets=tuple(native.eval_sets),
        source=shown_path(path),
    )
    return LoadResult(spec, native.diagnostics, native.texts, native.home)


def project_boundary(path: Path, config: ProjectConfig) -> Path:
    """The folder no link in the spec may lead out of (SG009): the project's (the folder
    of its mkdocs.yml) when ``path`` is in it, else the spec's own folder (a section or
    OpenAI file: the folder holding it)."""
    folder = path if path.is_dir() else path.parent
    root = config.root
    # Written under the root, or really there (the root from find_config is resolved):
    # a spec given with --config elsewhere is bounded by its own folder.
    if root is not None and (
        within(os.path.abspath(path), os.path.abspath(root)) or within(real(path), real(root))
    ):
        return root
    return folder


def _named_after_file(config: SpecConfig, path: Path) -> SpecConfig:
    """A single-file spec with no configured title is named after its file
    (model_spec.md: "Model Spec"), and dated by a YYYY-MM-DD folder holding it."""
    if config.title != SpecConfig().title:
        return config
    # A file name is untrusted text: only its letters, digits and a few marks name the
    # site ('<img src=x onerror=...>.md' becomes "Img Src X Onerror").
    words = re.sub(r"[^\w.()']+|_", " ", path.stem.replace("-", " ")).split()
    title = " ".join(word.capitalize() for word in words)[:100]
    folder = path.resolve().parent.name
    dated = re.fullmatch(r"\d{4}-\d{2}-\d{2}", folder) is not None
    return replace(
        config, title=title or config.title, date=config.date or (folder if dated else "")
    )
