"""Where a build may write, and how a new site takes the old one's place.

A build never writes outside its output folder, never uses a folder that holds the
project or the spec (or is the filesystem root or a home folder), and never replaces a
non-empty folder that an earlier specgen build did not make. It builds into a staging
folder beside the target and swaps it in, so the target exists at every moment; builds
into one place take turns (a lock), and the next build clears the staging folders of
one that was killed.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

MARKER = ".specgen-site"  # in every folder a build made: it may be replaced
_STAGING = ".specgen-staging-"
_OLD = ".specgen-old-"


class UnsafeOutput(Exception):
    """The output folder (or a path under it) may not be written: the message says why."""


def inside(root: Path, *parts: str) -> Path:
    """``root / parts``, refused unless it stays inside ``root``.

    The parts are checked as written, with no file system call: the folders a build
    writes into are its own (a fresh staging folder, release folders it made), which
    hold no links, so only an absolute part or a ``..`` can lead out. That keeps the
    check off the cost of building thousands of pages."""
    relative = os.path.normpath(os.path.join(*parts)) if parts else "."
    if not stays_inside(relative):
        raise UnsafeOutput(f"refusing to write {relative}: it is outside the output folder {root}")
    return root / relative


def stays_inside(relative: str) -> bool:
    """Whether a relative path (``a/b/index.html``) names a place under its folder."""
    normal = os.path.normpath(relative)
    return not (os.path.isabs(normal) or normal == ".." or normal.startswith(".." + os.sep))


def check_output_folder(target: Path, project: Path | None, spec: Path) -> Path:
    """The resolved ``target`` if a build may replace it, else UnsafeOutput.

    The target may not be the project's folder or the spec's (a spec folder, or the
    folder of an OpenAI file), nor hold either; nor lie inside a spec folder (its pages
    would be read back as sources)."""
    resolved = target.resolve()
    home = Path.home().resolve()
    if resolved == Path(resolved.anchor) or resolved == home or resolved in home.parents:
        raise UnsafeOutput(
            f"refusing to build into {resolved}: the filesystem root or a home folder"
        )
    spec = spec.resolve()
    for kept in (project.resolve() if project else None, spec):
        if kept is None:
            continue
        folder = kept if kept.is_dir() else kept.parent
        if resolved == folder or resolved in folder.parents:
            raise UnsafeOutput(
                f"refusing to build into {resolved}: it holds {kept}, which the build reads"
            )
    if spec.is_dir() and spec in resolved.parents:
        raise UnsafeOutput(f"refusing to build into {resolved}: it is inside the spec {spec}")
    if resolved.exists() and not resolved.is_dir():
        raise UnsafeOutput(f"refusing to build into {resolved}: it is a file")
    if resolved.is_dir() and not _replaceable(resolved):
        raise UnsafeOutput(
            f"refusing to build into {resolved}: the folder is not empty and was not made by "
            f"specgen (no {MARKER} file); choose another folder, or empty this one yourself"
        )
    return resolved


def _replaceable(folder: Path) -> bool:
    if (folder / MARKER).is_file() or not any(folder.iterdir()):
        return True
    # A site from before the marker existed: MkDocs always writes the first two, a
    # versioned build the third.
    site = (folder / "sitemap.xml").is_file() and (folder / "404.html").is_file()
    return site or (folder / "versions.json").is_file()


def mark(folder: Path) -> None:
    (folder / MARKER).write_text("Made by specgen build: a later build may replace it.\n", "utf-8")


# -- taking turns ------------------------------------------------------------------------

_held: dict[Path, int] = {}
_held_guard = threading.Lock()


@contextlib.contextmanager
def locked(target: Path) -> Iterator[None]:
    """Builds into ``target`` take turns: an exclusive lock on the folder that holds it
    (a lock on the folder itself, so no lock file is left behind). Re-entrant within a
    process; a no-op where the platform has no flock."""
    parent = target.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # Windows: no flock; builds do not take turns there
        yield
        return
    with _held_guard:
        depth = _held.get(parent, 0)
        _held[parent] = depth + 1
    fd = None
    try:
        if depth == 0:
            fd = os.open(parent, os.O_RDONLY)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        if fd is not None:
            os.close(fd)  # closing releases the lock
        with _held_guard:
            _held[parent] -= 1
            if not _held[parent]:
                del _held[parent]


# -- staging and the swap ----------------------------------------------------------------


def new_staging(target: Path) -> Path:
    """A fresh staging folder beside ``target``, after removing any that a killed build
    left (safe: the caller holds the lock, so no other build is using one)."""
    for leftover in target.parent.glob(f".{target.name}{_STAGING}*"):
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in target.parent.glob(f".{target.name}{_OLD}*"):
        shutil.rmtree(leftover, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}{_STAGING}", dir=target.parent))
    os.chmod(staging, 0o755)  # mkdtemp makes it private; a published site is not
    return staging


def swap_in(staging: Path, target: Path) -> None:
    """Put ``staging`` at ``target``; the old target (if any) is removed. ``target``
    exists at every moment: the two are exchanged in one step where the system can
    (Linux renameat2, macOS renamex_np); elsewhere the old one is moved aside first."""
    mark(staging)
    if not target.exists():
        staging.rename(target)
        return
    if _exchange(staging, target):
        shutil.rmtree(staging, ignore_errors=True)  # it now holds the old site
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}{_OLD}", dir=target.parent))
    old.rmdir()
    target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths; False when the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
            at_fdcwd, rename_exchange = -100, 2
            rc = libc.renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
            return bool(rc == 0)
        if sys.platform == "darwin" and hasattr(libc, "renamex_np"):
            rename_swap = 2
            return bool(libc.renamex_np(os.fsencode(a), os.fsencode(b), rename_swap) == 0)
    except (OSError, AttributeError):
        return False
    return False


@contextlib.contextmanager
def terminated_cleanly() -> Iterator[None]:
    """SIGTERM during a build unwinds like Ctrl+C, so the staging folder is removed
    (only SIGKILL leaves one, and the next build clears it)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
