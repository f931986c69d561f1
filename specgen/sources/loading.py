"""A spec as its project reads it: the mkdocs.yml that governs a path, and the spec
loaded with that configuration (its level order replaced when asked).

Everything that reads a spec goes through here: the CLI, the site adapter, lint's
comparison with the previous release, and the sides of a diff (``revisions``).
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from specgen.diagnostics import Diagnostic
from specgen.model import AuthorityLevel, SpecConfig
from specgen.project import ProjectConfig
from specgen.sources import LoadResult, load
from specgen.sources.config import find_config, load_config


def project_for(
    path: Path, config_file: Path | None = None
) -> tuple[ProjectConfig, list[Diagnostic]]:
    """The configuration that governs ``path``: the given file or the nearest mkdocs.yml."""
    # The path as written, not resolved: a spec folder that is a link out of the
    # project still belongs to the project that holds the link (SG009 then refuses it).
    found = config_file or find_config(Path(os.path.abspath(path)))
    if found is None:
        return load_config(None)
    try:
        info = found.stat()
    except OSError:
        return load_config(found)  # its own diagnostic says why
    # One parse of mkdocs.yml per process while it is unchanged: finding the spec, then
    # loading it, then linting it all ask for the same file.
    config, diagnostics = _parsed(str(found.resolve()), info.st_mtime_ns, info.st_size)
    return config, list(diagnostics)


@lru_cache(maxsize=8)
def _parsed(path: str, mtime_ns: int, size: int) -> tuple[ProjectConfig, tuple[Diagnostic, ...]]:
    config, diagnostics = load_config(Path(path))
    return config, tuple(diagnostics)


def default_spec_path(cwd: Path) -> Path:
    config, _ = project_for(cwd)
    root = config.root or cwd
    return root / config.spec_dir


def with_levels(config: ProjectConfig, levels: tuple[str, ...] | None) -> ProjectConfig:
    """The configuration with its level order replaced (``--levels a,b,c``, highest
    first); names and descriptions of configured levels are kept."""
    if not levels:
        return config
    return replace(config, spec=replace(config.spec, levels=ordered_levels(config.spec, levels)))


def ordered_levels(config: SpecConfig, levels: tuple[str, ...]) -> tuple[AuthorityLevel, ...]:
    """The levels ``levels`` names, in that order: a configured level keeps its name and
    description, another is named after its id."""
    known = {level.id: level for level in config.levels}
    return tuple(
        known.get(level_id) or AuthorityLevel(level_id, level_id.replace("_", " ").title())
        for level_id in levels
    )


def load_spec(
    path: Path, config_file: Path | None = None, levels: tuple[str, ...] | None = None
) -> tuple[LoadResult, ProjectConfig]:
    config, config_diags = project_for(path, config_file)
    config = with_levels(config, levels)
    result = load(path, config)
    if config_diags:
        result = replace(result, diagnostics=config_diags + result.diagnostics)
        add_config_text(result, config, config_diags[0].loc.path)
    return result, config


def add_config_text(result: LoadResult, config: ProjectConfig, shown: str) -> None:
    """mkdocs.yml's text, for findings located there (the full format quotes the line)."""
    if config.config_file is not None:
        with contextlib.suppress(OSError, UnicodeDecodeError):
            result.texts.setdefault(shown, config.config_file.read_text("utf-8"))
