"""The core calls the CLI and the site adapter make: find the project, load, lint."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from specgen.diagnostics import Diagnostic, Severity
from specgen.lint.rule import PreviousRelease
from specgen.lint.runner import LintReport, lint
from specgen.model import AuthorityLevel, Location, Spec, SpecConfig
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
    return replace(config, spec=replace(config.spec, levels=ordered_levels(config.spec, levels)))


def ordered_levels(config: SpecConfig, levels: tuple[str, ...]) -> tuple[AuthorityLevel, ...]:
    """The levels ``levels`` names, in that order: a configured level keeps its name and
    description, another is named after its id."""
    known = {level.id: level for level in config.levels}
    return tuple(
        known.get(level_id) or AuthorityLevel(level_id, level_id.replace("_", " ").title())
        for level_id in levels
    )


def used_levels(spec: Spec) -> dict[str, Location]:
    """Every authority level the spec's sections use, in the order of first use, with
    where it is first used."""
    used: dict[str, Location] = {}
    for section in spec.walk():
        if section.authority is not None and section.authority not in used:
            used[section.authority] = section.authority_loc or section.loc
    return used


def with_spec_levels(loaded: LoadResult, levels: tuple[str, ...]) -> LoadResult:
    """``loaded`` with its spec's level order replaced (the spec's own title and date
    are kept, unlike reloading it with another configuration)."""
    config = loaded.spec.config
    spec = replace(loaded.spec, config=replace(config, levels=ordered_levels(config, levels)))
    return replace(loaded, spec=spec)


def reading_note(loaded: LoadResult, shown: str | None = None) -> str | None:
    """The line a command prints when it read a folder as the OpenAI dialect (the reading
    is not obvious from a folder's name): ``shown`` names the file, by default as read."""
    if loaded.folder_read_as is None:
        return None
    return f"specgen: reading {shown or loaded.folder_read_as} (OpenAI Model Spec dialect)"


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
    note: Callable[[str], None] | None = None,
) -> tuple[LintReport, Severity]:
    """Lint each path with its own project settings, merged with ``overrides``.

    Returns the report and the severity from which it fails: ``fail_on`` when given,
    else the configured one (the strictest over the paths). ``note`` is given the
    ``reading_note`` of each folder read as the OpenAI dialect.
    """
    threshold = Severity.ERROR
    thresholds: list[Severity] = []
    diagnostics: list[Diagnostic] = []
    texts: dict[str, str] = {}
    suppressed = 0
    for path in paths:
        loaded, config = load_spec(path, config_file, levels)
        said = reading_note(loaded)
        if note is not None and said is not None:
            note(said)
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
