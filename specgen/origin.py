"""Where a spec was read from, as reviewers cite it: a git revision and commit (or files
on disk), paths relative to the repository, and links to a line on the forge.

Plain strings only: the sources layer fills it, diff and site outputs read it.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from specgen.forge import Forge
from specgen.model import Location


@dataclass(frozen=True, slots=True)
class Origin:
    """Where one side of a diff came from: how it was named, the git revision and
    commit (None for files on disk), how its source paths map to paths in the
    repository, and the forge that shows them.

    ``rewrites``: (prefix, replacement) pairs tried in order on a location's path (a
    revision is read from a scratch folder; a folder's paths are relative to where
    specgen ran); the first prefix that matches is replaced."""

    label: str = ""
    revision: str | None = None
    commit: str | None = None
    rewrites: tuple[tuple[str, str], ...] = ()
    forge: Forge | None = None

    def repo_path(self, path: str) -> str:
        """``path`` (a location's) relative to the repository, "/" separated."""
        for prefix, replacement in self.rewrites:
            if path.startswith(prefix):
                path = replacement + path[len(prefix) :]
                break
        normal = posixpath.normpath(path.replace("\\", "/"))
        return "" if normal == "." else normal

    def where(self, loc: Location) -> str:
        """ "spec/10-x.md:12": the repository path and line, as reviewers cite it."""
        return f"{self.repo_path(loc.path)}:{loc.line}"

    def source_url(self, loc: Location) -> str | None:
        """The line on the forge: at the side's commit, else the configured branch."""
        if self.forge is None:
            return None
        path = self.repo_path(loc.path)
        if path.startswith("/") or path.startswith(".."):
            return None  # not in the repository
        return self.forge.view_url(path, loc.line, self.commit)
