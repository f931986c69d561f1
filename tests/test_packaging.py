"""The wheel must ship every package: pyproject lists them explicitly (theme/ is mapped
into the package as specgen.theme, which automatic discovery cannot do)."""

from __future__ import annotations

import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_every_package_is_listed_in_pyproject() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]
    listed = set(config["packages"])
    found = {
        ".".join(init.parent.relative_to(REPO).parts)
        for init in (REPO / "specgen").rglob("__init__.py")
        if "scaffold/files" not in init.as_posix()
    }
    assert found - listed == set()
    assert "specgen.theme" in listed and config["package-dir"]["specgen.theme"] == "theme"
