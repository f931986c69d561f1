"""How source paths are shown in diagnostics."""

from __future__ import annotations

import os
from pathlib import Path


def shown_path(path: Path) -> str:
    """Relative to the working folder when inside it, else absolute."""
    absolute = os.path.abspath(path)
    cwd = os.getcwd()
    if absolute == cwd or absolute.startswith(cwd + os.sep):
        return os.path.relpath(absolute, cwd)
    return absolute
