"""`specgen build --all-versions`: every release into site/<version>/, an alias (latest)
for the newest, versions.json in mike's format for Material's version selector, and a
root page that leads to the newest release.

A release whose inputs did not change is not rebuilt: each release folder keeps the
hash of what it was built from (its spec's files, the site configuration and templates,
specgen's version, its release notes, and the release before it, which its "What changed" page
compares with). The hash is had without reading any spec: for a git tag or ref, from
the ids git keeps for the spec's files at that revision; so when nothing changed,
nothing is read or built.

Each release to be (re)built is linted first, with the project's lint settings; a
release that fails stops the build before anything is written, unless forced.

What happens to each release (checked, building, built, up to date, failed) is reported
as it happens to a ``ReleaseProgress`` (progress.py), which the caller chooses.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from specgen import __version__
from specgen.diagnostics import Diagnostic
from specgen.evals.log_reader import EvalLog
from specgen.evals.results import (
    ReleaseStamp,
    Results,
    assign_to_releases,
    match_results,
    spec_records,
)
from specgen.identifiers import unsafe_message
from specgen.lint.rule import PreviousRelease
from specgen.lint.runner import failing_text
from specgen.origin import Origin
from specgen.project import ProjectConfig
from specgen.releases import (
    Release,
    ReleaseError,
    discover_releases,
    load_release,
    release_fingerprint,
)
from specgen.render.templates import render_template
from specgen.site.output_folder import (
    MARKER,
    check_output_folder,
    inside,
    locked,
    mark,
    new_staging,
    swap_in,
    terminated_cleanly,
)
from specgen.site.progress import ReleaseProgress, SilentProgress
from specgen.site.release import ReleaseContext

if TYPE_CHECKING:  # MkDocs and the plugin are imported only when a release is built
    from specgen.lint.runner import LintReport
    from specgen.sources import LoadResult

KEY_FILE = ".specgen-build"


@dataclass(frozen=True)
class BuiltRelease:
    release: Release
    rebuilt: bool
    seconds: float
    lint_errors: int = 0  # findings that fail the lint, built past with force


class ReleaseLintError(ReleaseError):
    """Releases to build whose lint fails (not forced): nothing was written."""

    def __init__(self, versions: list[str]) -> None:
        super().__init__(f"lint errors in release {', '.join(versions)}")
        self.versions = versions


def build_all_versions(
    project: ProjectConfig,
    site_dir: Path,
    levels: tuple[str, ...] | None = None,
    progress: ReleaseProgress | None = None,
    force: bool = False,
    findings: Callable[[LintReport], None] | None = None,
    logs: Sequence[EvalLog] | None = None,
    log_warnings: Callable[[Sequence[Diagnostic]], None] | None = None,
) -> list[BuiltRelease]:
    """Every release into ``site_dir``, which must be a folder a build may replace
    (``output_folder``); builds into it take turns.

    ``logs`` (`build --results`): each is shown on the release it was run on (the one
    with its spec's digest, else its version); what does not match goes to
    ``log_warnings``.

    The releases to (re)build are linted first (their findings go to ``findings``):
    when one fails, ``ReleaseLintError`` is raised before anything is written, unless
    ``force``. Each release's progress goes to ``progress`` as it happens."""
    releases = discover_releases(project)
    _check_versions(releases, project.versions.latest_alias)
    root = project.root or Path.cwd()
    check_output_folder(site_dir, root, root / project.spec_dir)
    with locked(site_dir), terminated_cleanly():
        site_dir = check_output_folder(site_dir, root, root / project.spec_dir)
        built = _build_releases(
            project,
            releases,
            site_dir,
            levels,
            progress or SilentProgress(),
            force,
            findings or (lambda _: None),
            _Logs(logs, log_warnings or (lambda _: None)) if logs is not None else None,
        )
        mark(site_dir)
        return built


# Names the versioned site uses itself: no release may take one as its folder.
_SITE_NAMES = frozenset({"releases", "index.html", "versions.json", "404.html", MARKER})


def _check_versions(releases: list[Release], alias: str) -> None:
    seen: set[str] = set()
    for release in releases:
        message = unsafe_message("release version", release.version)
        if message is not None:
            raise ReleaseError(message)
        if release.version in _SITE_NAMES or release.version == alias:
            raise ReleaseError(
                f"release version '{release.version}' is a name the versioned site uses itself"
            )
        if release.version in seen:
            raise ReleaseError(f"two releases have the version '{release.version}'")
        seen.add(release.version)


@dataclass
class _Plan:
    """What a versioned build will do, decided before anything is written: each
    release's key, which are stale, their lint results. Specs are read lazily, once."""

    project: ProjectConfig
    releases: list[Release]
    levels: tuple[str, ...] | None
    notes: dict[str, str]
    keys: list[str] = field(default_factory=list)
    stale: set[int] = field(default_factory=set)
    lint_errors: dict[int, int] = field(default_factory=dict)
    loads: dict[int, LoadResult] = field(default_factory=dict)
    origins: dict[int, Origin] = field(default_factory=dict)  # where each was read from
    unreadable: dict[int, ReleaseError] = field(default_factory=dict)  # read once, failed
    logs: _Logs | None = None  # `build --results`

    def load(self, index: int) -> LoadResult:
        if index in self.unreadable:
            raise self.unreadable[index]
        if index not in self.loads:
            release = self.releases[index]
            try:
                side = load_release(release, self.project, self.levels)
            except ReleaseError as exc:
                self.unreadable[index] = exc
                raise
            self.loads[index], self.origins[index] = side.loaded, side.origin
        return self.loads[index]


@dataclass
class _Logs:
    """The logs of `build --results`, and each release's share of them."""

    logs: Sequence[EvalLog]
    warn: Callable[[Sequence[Diagnostic]], None]
    by_release: dict[str, list[EvalLog]] = field(default_factory=dict)

    def key_for(self, version: str) -> str:
        """What the logs shown on one release hold, for its key: a release rebuilds when
        its own logs change (and, as keys chain, the releases after it), not for a log
        of another release; "" for a release without logs, whose site is as without
        --results."""
        mine = self.by_release.get(version, ())
        if not mine:
            return ""
        digest = hashlib.sha256()
        for log in mine:
            with Path(log.path).open("rb") as file:
                while chunk := file.read(1 << 20):
                    digest.update(chunk)
        return digest.hexdigest()

    def assign(self, plan: _Plan) -> None:
        """Each log to its release: every release's spec is read for its digest."""
        stamps = []
        for index, release in enumerate(plan.releases):
            with contextlib.suppress(ReleaseError):  # said when the release is built
                stamps.append(ReleaseStamp(release.version, spec_records(plan.load(index).spec)[1]))
        self.by_release, warnings = assign_to_releases(self.logs, stamps)
        self.warn(warnings)

    def results_for(self, release: Release, loaded: LoadResult) -> Results | None:
        mine = self.by_release.get(release.version)
        if not mine:
            return None
        results = match_results(loaded.spec, mine)
        self.warn(results.warnings)
        return results


def _build_releases(
    project: ProjectConfig,
    releases: list[Release],
    site_dir: Path,
    levels: tuple[str, ...] | None,
    progress: ReleaseProgress,
    force: bool,
    findings: Callable[[LintReport], None],
    logs: _Logs | None = None,
) -> list[BuiltRelease]:
    plan = _plan(project, releases, site_dir, levels, logs)
    progress.planned(len(releases), len(plan.stale))
    _lint_stale(plan, progress, force, findings)
    site_dir.mkdir(parents=True, exist_ok=True)
    built = _build_stale(plan, site_dir, progress)
    _publish(plan, site_dir)
    return built


def _plan(
    project: ProjectConfig,
    releases: list[Release],
    site_dir: Path,
    levels: tuple[str, ...] | None,
    logs: _Logs | None = None,
) -> _Plan:
    """Each release's key, from what it is built of (cheap: no spec is read unless its
    source cannot be fingerprinted) and the key of the release before it; the stale
    ones are those whose folder was built with another key. A release that cannot be
    read is stale: it fails when its turn comes, after the plan is reported."""
    notes = {r.version: _changelog_notes(project, r.version) for r in releases}
    plan = _Plan(project, releases, levels, notes, logs=logs)
    if logs is not None:
        logs.assign(plan)  # before the keys: a release's logs are part of its key
    theme = _theme_fingerprint(project)
    for index, release in enumerate(releases):
        inputs = release_fingerprint(release, project)
        if inputs is None:
            try:
                inputs = _content_key(plan.load(index))
            except ReleaseError:
                inputs = ""  # in plan.unreadable
        plan.keys.append(
            _build_key(
                project,
                (
                    release.version,
                    release.date,
                    repr(levels),
                    notes[release.version],
                    inputs,
                    *_present(logs.key_for(release.version) if logs is not None else ""),
                ),
                plan.keys[-1] if plan.keys else "",
                theme,
            )
        )
    plan.stale = {
        i for i, r in enumerate(releases) if _key_of(site_dir / r.version) != plan.keys[i]
    } | set(plan.unreadable)
    return plan


def _present(key: str) -> tuple[str, ...]:
    """A key part only when there is one: a release's key without logs stays the key it
    had before `--results` existed, so no site is rebuilt for nothing."""
    return (key,) if key else ()


@contextmanager
def _failing_reported(plan: _Plan, index: int, progress: ReleaseProgress) -> Iterator[None]:
    """Reports the release at ``index`` as failed when reading, linting or building it
    raises (a release read before it that fails is reported as itself), then lets the
    error go on."""
    version = plan.releases[index].version
    try:
        yield
    except ReleaseError as exc:
        culprit = next((i for i in sorted(plan.unreadable) if plan.unreadable[i] is exc), index)
        which = plan.releases[culprit].version
        progress.failed(culprit, which, str(exc).removeprefix(f"release {which}: "))
        raise
    except Exception as exc:
        progress.failed(index, version, str(exc) or type(exc).__name__)
        raise


def _lint_stale(
    plan: _Plan,
    progress: ReleaseProgress,
    force: bool,
    findings: Callable[[LintReport], None],
) -> None:
    """Every release to build is linted before any is written: a failing one stops the
    build with the site as it was (up-to-date releases were linted when built)."""
    threshold = plan.project.lint.fail_on
    failed: list[str] = []
    for index in sorted(plan.stale):
        release = plan.releases[index]
        progress.checking(index, release.version)
        with _failing_reported(plan, index, progress):
            before = index - 1
            previous = (
                PreviousRelease(plan.releases[before].version, plan.load(before).spec)
                if index
                else None
            )
            report = _lint_release(release, plan.load(index), plan.project, previous)
        findings(report)
        if report.fails(threshold):
            plan.lint_errors[index] = report.failing(threshold)
            if not force:  # forced, its "built" line says it was written despite them
                reason = failing_text(plan.lint_errors[index], threshold)
                progress.failed(index, release.version, reason)
            failed.append(release.version)
    if failed and not force:
        raise ReleaseLintError(failed)


def _build_stale(plan: _Plan, site_dir: Path, progress: ReleaseProgress) -> list[BuiltRelease]:
    """The stale releases, oldest first. A release that is built needs the former ids
    of every release up to it, so those are read; nothing is read when every release
    is up to date."""
    releases, stale = plan.releases, plan.stale
    threshold = plan.project.lint.fail_on
    last_stale = max(stale, default=-1)
    built: list[BuiltRelease] = []
    redirects: dict[str, str] = {}  # former ids of every release so far -> current id
    for index, release in enumerate(releases):
        start = time.perf_counter()
        if index <= last_stale:
            # A renamed section's old ids lead to it in this release and every later one;
            # an id renamed again (A -> B -> C) leads to the newest name.
            with _failing_reported(plan, index, progress):
                sections = list(plan.load(index).spec.walk())
            for section in sections:
                redirects.update({former: section.id for former in section.former_ids})
                redirects = {
                    f: (section.id if t in section.former_ids else t) for f, t in redirects.items()
                }
        if index not in stale:
            progress.up_to_date(index, release.version)
            built.append(BuiltRelease(release, False, time.perf_counter() - start))
            continue
        progress.started(index, release.version)
        with _failing_reported(plan, index, progress):
            loaded = plan.load(index)
            _build_release(
                release,
                loaded,
                plan.project,
                inside(site_dir, release.version),
                ReleaseContext(
                    version=release.version,
                    date=release.date,
                    previous_version=releases[index - 1].version if index else None,
                    previous=plan.load(index - 1).spec if index else None,
                    changelog=plan.notes[release.version],
                    latest_alias=plan.project.versions.latest_alias,
                    redirects=tuple(sorted(redirects.items())),
                    origin=plan.origins.get(index),
                    previous_origin=plan.origins.get(index - 1) if index else None,
                ),
                plan.logs.results_for(release, loaded) if plan.logs else None,
            )
            _write_key(site_dir / release.version, plan.keys[index], loaded.spec.config.title)
        seconds = time.perf_counter() - start
        forced = plan.lint_errors.get(index, 0)
        despite = f"written despite {failing_text(forced, threshold)}" if forced else ""
        progress.built(index, release.version, seconds, despite)
        built.append(BuiltRelease(release, True, seconds, forced))
    return built


def _publish(plan: _Plan, site_dir: Path) -> None:
    """What ties the releases together: the latest alias, versions.json, the
    releases page and the root; and release folders of releases that are gone."""
    releases, alias = plan.releases, plan.project.versions.latest_alias
    newest = inside(site_dir, releases[-1].version)
    if len(releases) - 1 in plan.stale or _key_of(site_dir / alias) != plan.keys[-1]:
        _copy_alias(newest, inside(site_dir, alias))
    title = _title_of(newest)
    _write_versions_json(site_dir, [r.version for r in releases], alias)
    _write_root(site_dir, alias, releases, title)
    _remove_stale(site_dir, {r.version for r in releases} | {alias})


def _lint_release(
    release: Release,
    loaded: LoadResult,
    project: ProjectConfig,
    previous: PreviousRelease | None = None,
) -> LintReport:
    """The release's findings, with the project's lint settings, compared with the
    release before it (SG211), as `specgen lint` compares the spec with the newest. A
    release read from git is a scratch copy of the project: per_file_ignores apply
    relative to the copy, and findings name their files as REV:path (the copy is gone
    once read)."""
    from specgen.lint.runner import LintReport, lint

    copy = _scratch_copy(release, loaded, project)
    if copy is None:
        return lint(loaded, project.lint, previous)
    report = lint(loaded, replace(project.lint, base_dir=copy), previous)

    def named(path: str) -> str:
        absolute = os.path.abspath(path)
        if absolute.startswith(copy + os.sep):
            return f"{release.source}:{Path(os.path.relpath(absolute, copy)).as_posix()}"
        return path

    return LintReport(
        [replace(d, loc=replace(d.loc, path=named(d.loc.path))) for d in report.diagnostics],
        report.suppressed,
        {named(path): text for path, text in report.texts.items()},
    )


def _scratch_copy(release: Release, loaded: LoadResult, project: ProjectConfig) -> str | None:
    """The folder a git release's project was extracted to (its spec is read from
    ``<copy>/<spec_dir>``); None for a release read from the working tree."""
    root = project.root or Path.cwd()
    if (root / release.source).exists():  # a folder or file: as load_side tells them
        return None
    source = os.path.abspath(loaded.spec.source)
    suffix = os.sep + os.path.normpath(project.spec_dir)
    if loaded.folder_read_as is not None or not source.endswith(suffix):
        return None
    return source[: -len(suffix)]


def _build_release(
    release: Release,
    loaded: LoadResult,
    project: ProjectConfig,
    target: Path,
    context: ReleaseContext,
    results: Results | None = None,
) -> None:
    """One release's site (MkDocs and the specgen plugin are imported only to build)."""
    from specgen.site.build import build_site

    build_site(loaded, project, target, None, context, results=results)


def _build_key(
    project: ProjectConfig, inputs: tuple[str, ...], previous_key: str, theme: str
) -> str:
    """What a release is built of: specgen (and MkDocs, Material), the templates
    (``theme``: specgen's and the custom_dir's), the site configuration (mkdocs.yml as
    it is now), the release's own inputs (version, date,
    levels, release notes, its spec's fingerprint) and the key of the release before
    it."""
    digest = hashlib.sha256()
    digest.update(f"specgen {__version__}\n{_tool_versions()}\n{previous_key}\n".encode())
    digest.update(theme.encode())
    if project.config_file is not None and project.config_file.is_file():
        digest.update(project.config_file.read_bytes())
    for part in inputs:
        digest.update(f"\n--- {len(part)}\n{part}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _theme_fingerprint(project: ProjectConfig) -> str:
    """The templates, styles and scripts the pages are made with: specgen's own and the
    project's custom_dir, so editing an override rebuilds every release."""
    digest = hashlib.sha256()
    folders = [Path(str(resources.files("specgen.theme")))]
    if project.config_file is not None:
        folders.append(project.config_file.parent / (project.custom_dir or "theme"))
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            if path.suffix in (".html", ".css", ".js"):
                digest.update(f"\n--- {path.relative_to(folder)}\n".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


@cache
def _tool_versions() -> str:
    """MkDocs' and Material's versions: an upgrade changes every page."""
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in ("mkdocs", "mkdocs-material"):
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            found.append(f"{name} none")
    return ", ".join(found)


def _content_key(loaded: LoadResult) -> str:
    """A spec's fingerprint from its loaded text, when its source has no cheaper one."""
    digest = hashlib.sha256()
    for path in sorted(loaded.texts):
        digest.update(f"\n--- {Path(path).name}\n".encode())
        digest.update(loaded.texts[path].encode("utf-8", "surrogatepass"))
    digest.update(repr(loaded.spec.config).encode())
    return digest.hexdigest()


def _write_key(target: Path, key: str, title: str) -> None:
    data = {"key": key, "title": title}
    (target / KEY_FILE).write_text(json.dumps(data, indent=2) + "\n", "utf-8")


def _read_key_file(target: Path) -> dict[str, Any]:
    try:
        data = json.loads((target / KEY_FILE).read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _key_of(target: Path) -> str | None:
    key = _read_key_file(target).get("key")
    return key if isinstance(key, str) else None


def _title_of(target: Path) -> str:
    """The spec's title, as the release was built with it."""
    title = _read_key_file(target).get("title")
    return title if isinstance(title, str) else ""


def _changelog_notes(project: ProjectConfig, version: str) -> str:
    """The "## <version>" section of the changelog, when the project has one."""
    root = project.root or Path.cwd()
    path = root / project.versions.changelog
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return ""
    notes: list[str] = []
    inside = False
    for line in text.splitlines():
        if line.startswith("## "):
            heading = line[3:].strip().strip("[]")
            inside = heading.split()[0].strip("[]") == version if heading else False
            continue
        if inside:
            notes.append(line)
    return "\n".join(notes).strip()


def _copy_alias(source: Path, alias: Path) -> None:
    staging = new_staging(alias)
    try:
        shutil.copytree(source, staging, dirs_exist_ok=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    swap_in(staging, alias)


def _write_versions_json(site_dir: Path, versions: list[str], alias: str) -> None:
    """mike's format, newest first: Material's selector reads it."""
    entries = [
        {"version": v, "title": v, "aliases": [alias] if i == 0 else []}
        for i, v in enumerate(reversed(versions))
    ]
    inside(site_dir, "versions.json").write_text(json.dumps(entries, indent=2) + "\n", "utf-8")


def _write_root(site_dir: Path, alias: str, releases: list[Release], title: str) -> None:
    """The releases page (site/releases/) and the root, which leads to the newest."""
    from specgen.diff.html_out import page_styles

    newest_first = list(reversed(releases))
    common: dict[str, object] = {
        "title": title,
        "releases": newest_first,
        "alias": alias,
        "styles": Markup(page_styles()),
    }
    (site_dir / "releases").mkdir(exist_ok=True)
    (site_dir / "releases" / "index.html").write_text(
        render_template("specgen/releases.html", (), prefix="../", redirect=None, **common), "utf-8"
    )
    (site_dir / "index.html").write_text(
        render_template("specgen/releases.html", (), prefix="", redirect=f"{alias}/", **common),
        "utf-8",
    )


def _remove_stale(site_dir: Path, keep: set[str]) -> None:
    """Release folders of releases that no longer exist (a deleted tag)."""
    for child in site_dir.iterdir():
        if child.is_dir() and (child / KEY_FILE).is_file() and child.name not in keep:
            shutil.rmtree(child)
