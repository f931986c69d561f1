"""A spec's releases: git tags matching a pattern, or a configured list of (version, git
ref or folder). Ordered oldest first; each one loads like any spec (``load_release``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from specgen.identifiers import unsafe_message
from specgen.project import ProjectConfig
from specgen.sources.revisions import (
    Side,
    SideError,
    commit_date,
    load_side,
    source_fingerprint,
    tags,
)

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class ReleaseError(Exception):
    """No releases to build, or one that cannot be read: the message says why."""


@dataclass(frozen=True, slots=True)
class Release:
    version: str
    source: str  # a git revision (tag or ref) or a path relative to the project
    date: str  # YYYY-MM-DD: the version itself when it is a date, else the commit's date


def discover_releases(project: ProjectConfig) -> list[Release]:
    root = project.root or Path.cwd()
    configured = project.versions.releases
    if configured:
        releases = [
            Release(
                r.version,
                r.ref if r.ref is not None else str(r.path),
                _date_of(r.version, r.ref, root),
            )
            for r in configured
        ]
    else:
        pattern = re.compile(project.versions.tags)
        matching = [t for t in tags(root) if pattern.search(t)]
        for tag in matching:
            message = unsafe_message("release tag", tag)
            if message is not None:  # it would name the release's folder in the site
                raise ReleaseError(f"{message}; leave it out of versions: tags: in mkdocs.yml")
        releases = [Release(t, t, _date_of(t, t, root)) for t in matching]
    if not releases:
        raise ReleaseError(
            "no releases: tag them in git (e.g. 2025-12-18 or v1.2.3) or list them under "
            "versions: releases: in mkdocs.yml"
        )
    return sorted(releases, key=lambda r: version_key(r.version))


def version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """Sorts 2025-10-27 < 2025-12-18 and v1.9 < v1.10: numbers as numbers."""
    parts = re.findall(r"\d+|[^\d]+", version.lstrip("vV"))
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts)


def load_release(
    release: Release, project: ProjectConfig, levels: tuple[str, ...] | None = None
) -> Side:
    root = project.root or Path.cwd()
    try:
        return load_side(release.source, levels, cwd=root)
    except SideError as exc:
        raise ReleaseError(f"release {release.version}: {exc}") from exc


def release_fingerprint(release: Release, project: ProjectConfig) -> str | None:
    """A digest of the files the release's spec is read from, without reading it (the
    ids git has for them, for a tag or ref); None when it cannot be had that way."""
    return source_fingerprint(release.source, project.root or Path.cwd())


def _date_of(version: str, ref: str | None, root: Path) -> str:
    if _DATE.fullmatch(version):
        return version
    if ref is None:
        return ""
    return commit_date(ref, root)
