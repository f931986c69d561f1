"""Where things are on each side of a diff, as a reader cites them, and the sides'
labels with those paths.

A place is "spec/10-a.md:12" (``Origin.where``: repository paths, never the scratch
folder a git revision is read from), with that line on the forge when the project names
one (``Origin.source_url``; at the side's commit for a git revision). A path outside the
repository (a spec read from elsewhere) is shown relative to the folder that holds both
specs, never absolute, and links nowhere.

Plain strings only, no markup: the HTML page uses these today, and any output could.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from specgen.diff.describe import SideLabel, side_labels
from specgen.diff.model import SpecDiff
from specgen.model import Location, Spec

OLD, NEW = "old", "new"


@dataclass(frozen=True, slots=True)
class Place:
    """Where something is on one side (OLD or NEW): "spec/10-a.md:12", and that line on
    the forge when there is one."""

    side: str
    where: str
    url: str | None


def _outside(path: str) -> bool:
    """Whether a repository path is none: absolute, or up out of the repository."""
    return path.startswith("/") or path == ".." or path.startswith("../") or ":" in path[:3]


class Places:
    """Places on both sides. A path outside the repository (a spec read from elsewhere)
    is shown relative to the folder that holds both specs, never absolute."""

    def __init__(self, diff: SpecDiff) -> None:
        self.origins = {OLD: diff.old_origin, NEW: diff.new_origin}
        sources = ((OLD, diff.old.source), (NEW, diff.new.source))
        repo = [self.origins[side].repo_path(source) for side, source in sources if source]
        folders = [posixpath.dirname(p) for p in repo if _outside(p)]
        try:
            self.base = posixpath.commonpath(folders) if folders else None
        except ValueError:  # absolute and relative ones: no common folder
            self.base = None

    def path(self, side: str, path: str) -> str:
        """``path`` (a location's) as a reader cites it."""
        repo = self.origins[side].repo_path(path)
        if not _outside(repo):
            return repo
        if self.base is not None:
            try:
                shown = posixpath.relpath(repo, self.base)
            except ValueError:
                shown = ""
            if shown and not _outside(shown):
                return shown
        return posixpath.basename(repo)

    def place(self, side: str, loc: Location) -> Place:
        origin = self.origins[side]
        if _outside(origin.repo_path(loc.path)):
            return Place(side, f"{self.path(side, loc.path)}:{loc.line}", None)
        return Place(side, origin.where(loc), origin.source_url(loc))

    def places(self, old: Location | None, new: Location | None) -> list[Place]:
        """The places of something on the sides that have it."""
        found = [(OLD, old), (NEW, new)]
        return [self.place(side, loc) for side, loc in found if loc is not None]


@dataclass(frozen=True, slots=True)
class SideView:
    """A side as the page's header names it."""

    side: str  # OLD or NEW
    name: str  # the spec's title and version (or date)
    version: str
    revision: str  # "main @ 1a2b3c4"; "" for files on disk
    path: str  # the spec's path in the repository

    @property
    def text(self) -> str:
        return " · ".join(x for x in (self.name, self.revision, self.path) if x)


def side_views(diff: SpecDiff, places: Places) -> tuple[SideView, SideView]:
    """Both sides' labels (``describe.side_labels``) with paths as readers cite them."""

    def view(side: str, label: SideLabel, spec: Spec) -> SideView:
        path = places.path(side, spec.source) if spec.source else label.path
        name = " ".join(x for x in (label.title, label.version) if x)
        revision = label.where if label.revision is not None else ""
        return SideView(side, name, label.version, revision, path)

    old, new = side_labels(diff)
    return view(OLD, old, diff.old), view(NEW, new, diff.new)


def short_labels(diff: SpecDiff, old: SideView, new: SideView) -> tuple[str, str]:
    """A few words for each side, for the page's title: what tells the two apart, the
    versions, else the git revisions, else the names the sides were given (their
    repository paths when those were absolute)."""
    if old.version and new.version and old.version != new.version:
        return old.version, new.version
    if old.revision or new.revision:
        return old.revision or old.path, new.revision or new.path
    given = (diff.old_label, diff.new_label)
    if not any(PurePosixPath(g).is_absolute() or PureWindowsPath(g).is_absolute() for g in given):
        return given
    return old.path, new.path
