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
from specgen.sources.links import MESSAGE, is_dir_entry, outside, real, within
from specgen.sources.math_scope import MESSAGES, math_in_messages_only
from specgen.sources.paths import shown_path

NATIVE = "native"
OPENAI = "openai"
MODEL_SPEC = "model_spec.md"  # the file a folder in the OpenAI dialect is read as


@dataclass(frozen=True)
class LoadResult:
    spec: Spec
    diagnostics: list[Diagnostic]
    texts: dict[str, str] = field(default_factory=dict)  # shown path -> source text
    home: Markdown | None = None
    dialect: str = NATIVE
    # A folder read as the OpenAI dialect: the shown path of the model_spec.md read for
    # it (commands say so: the reading is not obvious from the folder's name).
    folder_read_as: str | None = None


def detect_dialect(path: Path, config: ProjectConfig | None = None) -> str:
    """OPENAI for a file in the dialect, or a folder read as its model_spec.md
    (``dialect_file``); else NATIVE."""
    from specgen.sources.openai.detect import looks_like_openai

    if path.is_dir():
        return OPENAI if dialect_file(path, config or ProjectConfig()) is not None else NATIVE
    return OPENAI if looks_like_openai(path) else NATIVE


def dialect_file(folder: Path, config: ProjectConfig) -> Path | None:
    """The model_spec.md a folder is read as, or None when the folder is read natively.

    A folder is the OpenAI dialect when it holds a ``model_spec.md`` in the dialect and
    no native spec. It holds a native spec when any of these is true: mkdocs.yml (the
    one governing the folder) names it as its spec_dir; it has an ``index.md`` (the
    front page) or the configured eval prompts folder (unless that is ``examples/``,
    the dialect's own); a ``.md`` file in it, or the ``index.md`` of a folder in it,
    starts with ``---`` (front matter: every native section has it, the dialect never).
    Names starting with ``.`` or ``_`` are skipped, as the native reader skips them.
    When in doubt the folder stays native: the native reading then reports every file
    it cannot place, where the dialect's would leave native sections unread.
    """
    from specgen.sources.openai.detect import looks_like_openai

    candidate = folder / MODEL_SPEC
    if not os.path.lexists(candidate) or not folder.is_dir():  # the common, native case
        return None
    boundary = project_boundary(folder, config)
    if outside(candidate, boundary) is not None:  # the native reading reports it (SG009)
        return None
    if not looks_like_openai(candidate):
        return None
    if config.root is not None and real(config.root / config.spec_dir) == real(folder):
        return None
    if _holds_native_spec(folder, config.eval_dir, real(boundary)):
        return None
    return candidate


def _holds_native_spec(folder: Path, eval_dir: str, base: str) -> bool:
    try:
        with os.scandir(folder) as scan:
            entries = list(scan)
    except OSError:
        return True  # unlistable: the native reading reports it
    for entry in entries:
        name = entry.name
        if name.startswith((".", "_")) or name == MODEL_SPEC:
            continue
        # examples/ is the dialect's own eval prompts folder, even when a project
        # configures that name for its native eval prompts.
        if name == "index.md" or (name == eval_dir and name != "examples"):
            return True
        path = Path(entry.path)
        if name.endswith(".md") and _has_front_matter(path, base):
            return True
        if is_dir_entry(entry) and _has_front_matter(path / "index.md", base):
            return True
    return False


def _has_front_matter(path: Path, base: str) -> bool:
    """Whether a regular file inside the project starts with ``---``: a link out of it
    is never opened, nor a FIFO or device (opening one could block)."""
    try:
        if not within(real(path), base) or not path.is_file():
            return False
        with path.open("rb") as handle:
            return handle.read(3) == b"---"
    except OSError:
        return False


def load(path: Path, config: ProjectConfig) -> LoadResult:
    """Read the spec at ``path``: a native folder or section file, an OpenAI file, or a
    folder holding one (``dialect_file``)."""
    boundary = project_boundary(path, config)
    escaped = outside(path, boundary)
    if escaped is not None:  # checked before detect_dialect, which would open the file
        shown = shown_path(path)
        refused = Diagnostic(codes.SYMLINK_OUTSIDE, MESSAGE.format(target=escaped), Location(shown))
        return LoadResult(Spec(config.spec, (), (), shown), [refused])
    if path.is_dir():
        model_spec = dialect_file(path, config)
        if model_spec is not None:  # read exactly as model_spec.md itself would be
            loaded = _load_openai(model_spec, config, boundary)
            return replace(loaded, folder_read_as=shown_path(model_spec))
    elif detect_dialect(path) == OPENAI:
        return _load_openai(path, config, boundary)
    from specgen.sources.native import NativeReader

    native = NativeReader(config.eval_dir, boundary).read(path)
    spec = Spec(
        config=config.spec,
        sections=tuple(native.sections),
        eval_sets=tuple(native.eval_sets),
        source=shown_path(path),
        dialect=NATIVE,
    )
    home = native.home
    if config.spec.math == MESSAGES:  # e.g. a project imported from the OpenAI dialect
        spec, home = math_in_messages_only(spec, home)
    return LoadResult(spec, native.diagnostics, native.texts, home)


def _load_openai(path: Path, config: ProjectConfig, boundary: Path) -> LoadResult:
    from specgen.sources.openai import read_openai, with_dialect_settings

    openai = read_openai(path, boundary)
    spec_config = with_dialect_settings(_named_after_file(config.spec, path))
    spec = Spec(
        spec_config, tuple(openai.sections), tuple(openai.eval_sets), shown_path(path), OPENAI
    )
    # Text before the first heading (reported) is the home page's: kept, not dropped.
    return LoadResult(spec, openai.diagnostics, openai.texts, openai.home, OPENAI)


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
