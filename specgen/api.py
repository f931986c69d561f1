"""The core calls the CLI and the site adapter make: find the project, load, lint."""

from __future__ import annotations

import contextlib
import os
from dataclasses import replace
from pathlib import Path

from specgen.diagnostics import Diagnostic, Severity
from specgen.lint.rule import PreviousRelease
from specgen.lint.runner import LintReport, lint
from specgen.model import AuthorityLevel
from specgen.project import LintSettings, ProjectConfig
from specgen.sources import LoadResult, load
from specgen.sources.config import find_config, load_config


def project_for(
    path: Path, config_file: Path | None = None
) -> tuple[ProjectConfig, list[Diagnostic]]:
    """The configuration that governs ``path``: the given file or the nearest mkdocs.yml."""
    # The path as written, not resolved: a spec folder that is a link out of the
    # project still belongs to the project that holds the link (SG009 then refuses it).
    return load_config(config_file or find_config(Path(os.path.abspath(path))))


def default_spec_path(cwd: Path) -> Path:
    config, _ = project_for(cwd)
    root = config.root or cwd
    return root / config.spec_dir


def with_levels(config: ProjectConfig, levels: tuple[str, ...] | None) -> ProjectConfig:
    """The configuration with its level order replaced (``--levels a,b,c``, highest
    first); names and descriptions of configured levels are kept."""
    if not levels:
        return config
    known = {level.id: level for level in config.spec.levels}
    ordered = tuple(
        known.get(level_id) or AuthorityLevel(level_id, level_id.replace("_", " ").title())
        for level_id in levels
    )
    return replace(config, spec=replace(config.spec, levels=ordered))


def load_spec(
    path: Path, config_file: Path | None = None, levels: tuple[str, ...] | None = None
) -> tuple[LoadResult, ProjectConfig]:
    config, config_diags = project_for(path, config_file)
    config = with_levels(config, levels)
    result = load(path, config)
    if config_diags:
        result = replace(result, diagnostics=config_diags + result.diagnostics)
        _add_config_text(result, config, config_diags[0].loc.path)
    return result, config


def _add_config_text(result: LoadResult, config: ProjectConfig, shown: str) -> None:
    """mkdocs.yml's text, for findings located there (the full format quotes the line)."""
    if config.config_file is not None:
        with contextlib.suppress(OSError, UnicodeDecodeError):
            result.texts.setdefault(shown, config.config_file.read_text("utf-8"))


def lint_paths(
    paths: list[Path],
    overrides: LintSettings | None = None,
    config_file: Path | None = None,
    fail_on: Severity | None = None,
    levels: tuple[str, ...] | None = None,
) -> tuple[LintReport, Severity]:
    """Lint each path with its own project settings, merged with ``overrides``.

    Returns the report and the severity from which it fails: ``fail_on`` when given,
    else the configured one (the strictest over the paths).
    """
    threshold = Severity.ERROR
    thresholds: list[Severity] = []
    diagnostics: list[Diagnostic] = []
    texts: dict[str, str] = {}
    suppressed = 0
    for path in paths:
        loaded, config = load_spec(path, config_file, levels)
        settings = merge_settings(config.lint, overrides)
        thresholds.append(config.lint.fail_on)
        previous = previous_release(path, config, levels)
        if previous is not None and previous.loc is not None:
            _add_config_text(loaded, config, previous.loc.path)
        report = lint(loaded, settings, previous)
        diagnostics.extend(report.diagnostics)
        texts.update(report.texts)
        suppressed += report.suppressed
    if fail_on is not None:
        threshold = fail_on
    elif thresholds:
        threshold = min(thresholds)
    return LintReport(diagnostics, suppressed, texts), threshold


def previous_release(
    path: Path, config: ProjectConfig, levels: tuple[str, ...] | None = None
) -> PreviousRelease | None:
    """The project's newest release, for rules that compare with it (SG211).

    Only when mkdocs.yml has a ``versions:`` block and ``path`` is the project's spec;
    no git, no releases or a release that cannot be read mean None, silently.
    """
    if not config.versions.configured or config.root is None:
        return None
    if path.resolve() != (config.root / config.spec_dir).resolve():
        return None
    # Imported here: linting a project without versions: never runs git.
    import subprocess
    import tarfile

    from specgen.diff.sides import SideError
    from specgen.releases import ReleaseError, discover_releases, load_release

    try:
        newest = discover_releases(config)[-1]
        side = load_release(newest, config, levels)
    except (
        ReleaseError,
        SideError,
        OSError,
        subprocess.SubprocessError,
        tarfile.TarError,
        ValueError,
    ):
        return None
    return PreviousRelease(newest.version, side.loaded.spec, config.versions.loc)


def merge_settings(base: LintSettings, overrides: LintSettings | None) -> LintSettings:
    if overrides is None:
        return base
    return LintSettings(
        select=overrides.select or base.select,
        ignore=base.ignore + overrides.ignore,
        severity={**base.severity, **overrides.severity},
        fail_on=base.fail_on,
        per_file_ignores=base.per_file_ignores,
        base_dir=base.base_dir,
        code_locations=base.code_locations,
    )
