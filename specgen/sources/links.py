"""Symbolic links that lead out of a spec's project (SG009).

A spec is untrusted: ``spec/logo.png -> /etc/shadow`` or ``spec/eval-prompts -> /``
must not be read, rendered or copied into the site. "The project" is the folder of the
mkdocs.yml that configures the spec, else the spec's own folder. A link that stays
inside it is followed as usual.

``outside`` and ``escaping_links`` take paths under ``boundary`` (a path under the project
can only resolve outside it through a link).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

MESSAGE = "symlink points outside the project (to {target}): not read"


def real(path: Path | str) -> str:
    """The path with every link resolved; never raises (a loop or a missing target
    stops resolution where it is)."""
    return os.path.realpath(path)


def within(real_path: str, real_base: str) -> bool:
    """Whether ``real_path`` is ``real_base`` or below it (both already resolved)."""
    return real_path == real_base or real_path.startswith(real_base.rstrip(os.sep) + os.sep)


def outside(path: Path, boundary: Path) -> Path | None:
    """The resolved target when ``path`` is, or passes through, a symbolic link that
    leads outside ``boundary``; None when it resolves inside (or is missing inside).

    Costs one ``realpath`` of each argument: for many files, resolve the boundary
    once and call :func:`within`, or use :func:`escaping_links` on the folder.
    """
    target = real(path)
    return None if within(target, real(boundary)) else Path(target)


def escaping_links(folder: Path, boundary: Path) -> Iterator[tuple[Path, Path]]:
    """Every link at any depth under ``folder`` (``folder`` itself excluded) that leads
    outside ``boundary``, with its resolved target, as (link path, target).

    Links out of the boundary are yielded, never entered. Each real folder is walked
    once, by its own path when it has one under ``folder``: linked folders that stay
    inside are entered after the plain tree, and only when not walked yet (so a loop or
    an alias of a folder reports nothing twice). Only links are resolved: the walk
    costs one directory listing per folder, no ``stat`` per file.
    """
    base = real(boundary)
    start = real(folder)
    if not within(start, base):
        return
    seen: set[str] = set()
    plain: list[tuple[Path, str]] = [(folder, start)]  # (path, real path): depth first
    linked: list[tuple[Path, str]] = []  # entered once the plain tree is done
    while plain or linked:
        current, current_real = plain.pop() if plain else linked.pop(0)
        if current_real in seen:
            continue
        seen.add(current_real)
        try:
            with os.scandir(current) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:
            continue  # unreadable folders are the reader's to report
        folders = []
        for entry in entries:
            path = Path(entry.path)
            try:
                if entry.is_symlink():
                    target = real(path)
                    if not within(target, base):
                        yield path, Path(target)
                    elif os.path.isdir(target):
                        linked.append((path, target))
                elif entry.is_dir(follow_symlinks=False):
                    folders.append((path, os.path.join(current_real, entry.name)))
            except OSError:
                continue
        plain.extend(reversed(folders))  # in name order


class ThroughLinks:
    """Whether a path under ``root`` passes, on its way down from ``root``, through a
    link whose own target is outside ``boundary``: what MkDocs, which follows links,
    must not copy. Stricter than ``outside``: ``spec/x -> ..`` leads back into the
    project, but whatever is reached through it is not the spec. Each folder on the way
    is looked at once (many files share them)."""

    def __init__(self, root: str, boundary: str) -> None:
        self.root = root
        self.boundary = boundary  # already resolved
        self.known: dict[str, bool] = {}

    def leaves(self, path: str) -> bool:
        if path == self.root or not within(path, self.root):
            return False
        if path not in self.known:
            self.known[path] = self.leaves(os.path.dirname(path)) or (
                os.path.islink(path) and not within(real(path), self.boundary)
            )
        return self.known[path]


def is_dir_entry(entry: os.DirEntry[str]) -> bool:
    """``entry.is_dir()`` (following a link), False where the entry cannot be read."""
    try:
        return entry.is_dir()
    except OSError:
        return False
