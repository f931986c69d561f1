"""The core calls the CLI and the site adapter make on a loaded spec: lint paths with
their project's settings (and the previous release), the levels a spec uses, what to
say about a folder read as the OpenAI dialect. Finding the project and loading its spec
is ``specgen.sources.loading``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from specgen.diagnostics import Diagnostic, Severity
from specgen.lint.rule import PreviousRelease
from specgen.lint.runner import LintReport, lint
from specgen.model import Location, Spec
from specgen.project import LintSettings, ProjectConfig
from specgen.sources import LoadResult
from specgen.sources.loading import add_config_text, load_spec, ordered_levels
from specgen.sources.revisions import Side, side_origins

if TYPE_CHECKING:
    from specgen.diff.model import SpecDiff


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
        checked = load_and_lint(path, config_file, levels, overrides)
        said = reading_note(checked.loaded)
        if note is not None and said is not None:
            note(said)
        thresholds.append(checked.project.lint.fail_on)
        report = checked.report
        diagnostics.extend(report.diagnostics)
        texts.update(report.texts)
        suppressed += report.suppressed
    if fail_on is not None:
        threshold = fail_on
    elif thresholds:
        threshold = min(thresholds)
    return LintReport(diagnostics, suppressed, texts), threshold


@dataclass(frozen=True)
class Checked:
    """A spec loaded and linted with its project's settings: what every entry point
    (lint, build, serve, plain mkdocs build) gates on."""

    loaded: LoadResult
    project: ProjectConfig
    report: LintReport
    previous: PreviousRelease | None = None  # what SG211 compared with (lint it again)

    @property
    def fails(self) -> bool:
        """Whether the findings reach the project's failing severity (lint.fail_on)."""
        return self.report.fails(self.project.lint.fail_on)


def load_and_lint(
    path: Path,
    config_file: Path | None = None,
    levels: tuple[str, ...] | None = None,
    overrides: LintSettings | None = None,
) -> Checked:
    """The one load -> lint of a spec: its project's settings (merged with
    ``overrides``) and, when the project has released before, its newest release for
    the rules that compare with it (SG211)."""
    loaded, config = load_spec(path, config_file, levels)
    previous = previous_release(path, config, levels)
    if previous is not None and previous.loc is not None:
        add_config_text(loaded, config, previous.loc.path)
    report = lint(loaded, merge_settings(config.lint, overrides), previous)
    return Checked(loaded, config, report, previous)


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
    # Imported here for start-up time only (git, tarfile): a project without
    # versions: never needs them. No cycle hides here (tests/test_architecture.py).
    import subprocess
    import tarfile

    from specgen.releases import ReleaseError, discover_releases, load_release
    from specgen.sources.revisions import SideError

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


def diff_sides(old: Side, new: Side, repo_url: str | None = None) -> SpecDiff:
    """What changed from ``old`` to ``new`` (each a spec folder, file or git revision
    as ``load_side`` read it): their front pages compared too, each side cited where
    it was read from, on the forge of ``repo_url`` or the sides' mkdocs.yml."""
    from specgen.diff.engine import diff_specs

    old_home, new_home = (s.loaded.home.text if s.loaded.home else "" for s in (old, new))
    return diff_specs(
        old.loaded.spec,
        new.loaded.spec,
        old.label,
        new.label,
        (old_home, new_home),
        side_origins(old, new, repo_url),
    )
