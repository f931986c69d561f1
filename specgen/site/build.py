"""Runs MkDocs for `specgen build` and `specgen serve`.

The site is built into a fresh folder beside the target and swapped in only when the
build succeeded, so a failed build leaves the previous site untouched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.commands.serve import serve as mkdocs_serve
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from specgen.site.plugin import FORCE_ENV


class BuildError(Exception):
    pass


def build_site(config_file: Path, site_dir: Path | None = None, force: bool = False) -> Path:
    if force:
        os.environ[FORCE_ENV] = "1"
    try:
        config = load_config(str(config_file))
    except MkDocsException as exc:
        raise BuildError(str(exc)) from exc
    target = Path(site_dir or config.site_dir).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    config.site_dir = str(staging)
    try:
        mkdocs_build(config)
    except (MkDocsException, OSError) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildError(str(exc)) from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}-old-{os.getpid()}")
        target.rename(old)
    staging.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return target


def serve_site(config_file: Path, host: str, port: int) -> None:
    mkdocs_serve(str(config_file), dev_addr=f"{host}:{port}", livereload=True)
