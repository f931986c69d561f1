"""Runs MkDocs for `specgen build` (serve's incremental site shares its config and errors).

The site is built into a fresh folder beside the target and swapped in only when the
build succeeded, so a failed build leaves the previous site untouched. A spec with no
mkdocs.yml of its own (an OpenAI model_spec.md, a bare folder) is built with specgen's
default look.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from jinja2 import TemplateError, TemplateSyntaxError
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException

from specgen.evals.results import Results
from specgen.project import ProjectConfig
from specgen.site.offline import make_offline, write_offline_index
from specgen.site.output_folder import (
    UnsafeOutput,
    check_output_folder,
    locked,
    new_staging,
    swap_in,
    terminated_cleanly,
)
from specgen.site.plugin import SiteInputs, SpecgenPlugin
from specgen.site.preview import PreviewDiff, add_preview
from specgen.site.release import DEFAULT_SITE_URL, ReleaseContext
from specgen.sources import OPENAI, LoadResult
from specgen.writers.native import project_config_text


class BuildError(Exception):
    pass


def build_site(
    loaded: LoadResult,
    project: ProjectConfig,
    site_dir: Path | None = None,
    config_file: Path | None = None,
    release: ReleaseContext | None = None,
    preview: PreviewDiff | None = None,
    offline: bool = False,
    results: Results | None = None,
) -> Path:
    """Build the site of an already loaded (and linted) spec.

    The MkDocs configuration is ``config_file``, else the spec's own project's
    mkdocs.yml, else specgen's default; ``site_dir`` defaults to the configuration's
    (``./site`` for the default one). ``release``: the spec is one release of a
    versioned site (its own site_url under the site's, Material's version selector).
    ``preview``: the site has this diff page at ``diff/``, linked from its home page.
    ``offline``: a copy that works from disk (file://): ``.html`` links, no instant
    navigation, and a search index a page can load without a server (offline.py).
    ``results``: a run's logs matched to the spec, shown on its pages and results/.
    """
    config_file = config_file or project.config_file
    with tempfile.TemporaryDirectory(prefix="specgen-") as scratch:
        if config_file is None:
            config_file = default_config(loaded, Path(scratch))
            site_dir = site_dir or Path("site")
        config = load_mkdocs_config(config_file)
        plugin = config.plugins.get("specgen")
        if not isinstance(plugin, SpecgenPlugin):
            raise BuildError(f"{config_file} does not use the specgen plugin")
        if offline:
            make_offline(config)
        plugin.prepare(SiteInputs(loaded, release, results=results))
        if preview is not None:
            add_preview(config, preview)  # written into the staging folder, before the swap
        if release is not None:
            base = str(config.site_url or DEFAULT_SITE_URL).rstrip("/") + "/"
            config.site_url = f"{base}{release.version}/"
            extra: Any = config.extra
            extra["version"] = {"provider": "mike", "default": release.latest_alias}
        target = Path(site_dir or config.site_dir)
        finish = write_offline_index if offline else None
        return _build_atomically(
            config, target, project.root, Path(loaded.spec.source), finish=finish
        )


def default_config(loaded: LoadResult, scratch: Path) -> Path:
    """mkdocs.yml in ``scratch`` for a spec without a project of its own.

    docs_dir is an empty folder: specgen supplies every page, and MkDocs must not copy
    whatever else sits beside the spec into the site. A native folder's own images and
    other files are published with it (its docs_dir is itself). The spec itself is
    handed over loaded (or, to serve, by path): its file name, which may hold any
    character, is never written into the YAML."""
    docs = scratch / "docs"
    docs.mkdir()
    spec_path = Path(loaded.spec.source).resolve()
    if loaded.dialect != OPENAI and spec_path.is_dir():
        docs = spec_path
    path = scratch / "mkdocs.yml"
    path.write_text(project_config_text(loaded.spec, str(docs)), "utf-8")
    return path


def load_mkdocs_config(config_file: Path) -> MkDocsConfig:
    """mkdocs.yml read by MkDocs; a file it refuses is a BuildError saying why."""
    try:
        return load_config(str(config_file))
    except MkDocsException as exc:
        raise BuildError(str(exc)) from exc
    except RecursionError as exc:  # MkDocs reads it with pure-Python PyYAML
        raise BuildError(f"{config_file}: nested too deep to read") from exc


def _build_atomically(
    config: MkDocsConfig,
    site_dir: Path,
    project: Path | None,
    spec: Path,
    finish: Callable[[MkDocsConfig], None] | None = None,
) -> Path:
    """``finish``: what else is written into the staging folder once MkDocs is done."""
    try:
        target = check_output_folder(site_dir, project, spec)
    except UnsafeOutput as exc:
        raise BuildError(str(exc)) from exc
    with locked(target), terminated_cleanly():
        try:
            target = check_output_folder(site_dir, project, spec)  # again, now it is ours
        except UnsafeOutput as exc:
            raise BuildError(str(exc)) from exc
        staging = new_staging(target)
        config.site_dir = str(staging)
        try:
            with mkdocs_errors():
                mkdocs_build(config)
                if finish is not None:
                    finish(config)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        swap_in(staging, target)
    return target


@contextmanager
def mkdocs_errors() -> Iterator[None]:
    """What fails in MkDocs (or a template) inside the block, as one BuildError."""
    errors = _ErrorLog()
    logging.getLogger("mkdocs").addHandler(errors)
    try:
        yield
    except (MkDocsException, OSError, UnsafeOutput) as exc:
        # MkDocs logs a plugin's error and raises "Aborted with a BuildError!".
        raise BuildError("; ".join(errors.messages) or str(exc)) from exc
    except TemplateError as exc:
        raise BuildError(_template_error(exc)) from exc
    finally:
        logging.getLogger("mkdocs").removeHandler(errors)


class _ErrorLog(logging.Handler):
    """The errors MkDocs logs during a build, for the one-line message."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _template_error(exc: TemplateError) -> str:
    """A template's error (a project's custom_dir override, say) with its place."""
    if isinstance(exc, TemplateSyntaxError):
        where = exc.filename or exc.name or "a template"
        return f"{where}:{exc.lineno}: template error: {exc.message}"
    return f"template error: {exc.__class__.__name__}: {exc.message or exc}"
