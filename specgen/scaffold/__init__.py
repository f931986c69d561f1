"""``specgen new``: a minimal spec project that lints clean."""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable
from pathlib import Path


class ScaffoldError(Exception):
    pass


def _files(root: Traversable, prefix: str = "") -> list[tuple[str, Traversable]]:
    found = []
    for entry in root.iterdir():
        name = f"{prefix}{entry.name}"
        if entry.is_dir():
            found.extend(_files(entry, name + "/"))
        elif not entry.name.endswith((".pyc",)):
            found.append((name, entry))
    return sorted(found)


def scaffold(directory: Path) -> list[Path]:
    """Write the template into ``directory``; refuse to overwrite anything."""
    template = resources.files("specgen.scaffold").joinpath("files")
    files = _files(template)
    clashes = [directory / name for name, _ in files if (directory / name).exists()]
    if clashes:
        raise ScaffoldError(f"{clashes[0]} already exists; choose an empty folder")
    written = []
    for name, source in files:
        target = directory / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(source.read_text("utf-8"), "utf-8")
        written.append(target)
    return written
