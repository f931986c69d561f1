"""`specgen build --all-versions`: every release into site/<version>/, an alias (latest)
for the newest, versions.json in mike's format for Material's version selector, and a
root page that leads to the newest release.

A release whose inputs did not change is not rebuilt: each release folder keeps the
hash of what it was built from (its spec's files, the site configuration, specgen's
version, and the release before it, which its "What changed" page compares with).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig

from specgen import __version__
from specgen.project import ProjectConfig
from specgen.releases import Release, discover_releases, load_release
from specgen.render.templates import render_template
from specgen.site.build import build_site
from specgen.site.plugin import ReleaseContext, SpecgenPlugin
from specgen.sources import LoadResult

KEY_FILE = ".specgen-build"
DEFAULT_SITE_URL = "http://localhost/"  # Material's selector only needs sitemap paths


@dataclass(frozen=True)
class BuiltRelease:
    release: Release
    rebuilt: bool
    seconds: float


def build_all_versions(
    project: ProjectConfig,
    site_dir: Path,
    levels: tuple[str, ...] | None = None,
    progress: Callable[[str], None] = print,
) -> list[BuiltRelease]:
    releases = discover_releases(project)
    site_dir.mkdir(parents=True, exist_ok=True)
    alias = project.versions.latest_alias
    built: list[BuiltRelease] = []
    previous: tuple[Release, LoadResult, str] | None = None
    redirects: dict[str, str] = {}  # former ids of every release so far -> current id
    title = ""
    for index, release in enumerate(releases, 1):
        start = time.perf_counter()
        loaded = load_release(release, project, levels).loaded
        title = loaded.spec.config.title
        # A renamed section's old ids lead to it in this release and every later one;
        # an id renamed again (A -> B -> C) leads to the newest name.
        for section in loaded.spec.walk():
            redirects.update({former: section.id for former in section.former_ids})
            redirects = {
                f: (section.id if t in section.former_ids else t) for f, t in redirects.items()
            }
        carried = tuple(sorted(redirects.items()))
        key = _build_key(loaded, project, (previous[2] if previous else "") + repr(carried))
        target = site_dir / release.version
        label = f"[{index}/{len(releases)}] {release.version}"
        if _key_of(target) == key:
            progress(f"{label}: up to date")
            built.append(BuiltRelease(release, False, time.perf_counter() - start))
        else:
            progress(f"{label}: building...")
            context = ReleaseContext(
                version=release.version,
                date=release.date,
                previous_version=previous[0].version if previous else None,
                previous=previous[1].spec if previous else None,
                changelog=_changelog_notes(project, release.version),
                latest_alias=alias,
                redirects=carried,
            )
            build_site(loaded, project, target, None, _release_config(release, alias, context))
            (target / KEY_FILE).write_text(key + "\n", "utf-8")
            seconds = time.perf_counter() - start
            progress(f"{label}: built in {seconds:.1f} s")
            built.append(BuiltRelease(release, True, seconds))
        previous = (release, loaded, key)
    newest = releases[-1].version
    _copy_alias(site_dir / newest, site_dir / alias)
    _write_versions_json(site_dir, [r.version for r in releases], alias)
    _write_root(site_dir, alias, releases, title)
    _remove_stale(site_dir, {r.version for r in releases} | {alias})
    return built


def _release_config(
    release: Release, alias: str, context: ReleaseContext
) -> Callable[[MkDocsConfig, SpecgenPlugin], None]:
    def adjust(config: MkDocsConfig, plugin: SpecgenPlugin) -> None:
        base = str(config.site_url or DEFAULT_SITE_URL).rstrip("/") + "/"
        config.site_url = f"{base}{release.version}/"
        extra: Any = config.extra
        extra["version"] = {"provider": "mike", "default": alias}
        plugin.release = context

    return adjust


def _build_key(loaded: LoadResult, project: ProjectConfig, previous_key: str) -> str:
    digest = hashlib.sha256()
    digest.update(f"specgen {__version__}\n{previous_key}\n".encode())
    if project.config_file is not None and project.config_file.is_file():
        digest.update(project.config_file.read_bytes())
    for path in sorted(loaded.texts):
        digest.update(f"\n--- {Path(path).name}\n".encode())
        digest.update(loaded.texts[path].encode("utf-8", "surrogatepass"))
    digest.update(repr(loaded.spec.config).encode())
    return digest.hexdigest()


def _key_of(target: Path) -> str | None:
    try:
        return (target / KEY_FILE).read_text("utf-8").strip()
    except OSError:
        return None


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
    staging = alias.with_name(f".{alias.name}-new")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(source, staging)
    if alias.exists():
        shutil.rmtree(alias)
    staging.rename(alias)


def _write_versions_json(site_dir: Path, versions: list[str], alias: str) -> None:
    """mike's format, newest first: Material's selector reads it."""
    entries = [
        {"version": v, "title": v, "aliases": [alias] if i == 0 else []}
        for i, v in enumerate(reversed(versions))
    ]
    (site_dir / "versions.json").write_text(json.dumps(entries, indent=2) + "\n", "utf-8")


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
