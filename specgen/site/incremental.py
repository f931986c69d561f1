"""The site of ``specgen serve``, rebuilt page by page as the author saves.

The first build is MkDocs' own, kept in memory: its configuration, files, navigation
and template environment. A save of one section file (an eval prompt set, the front
page) reads that file again, splices it into the spec (edits.py), writes the page of
the edited file first (then ``ready``: the browser may reload) and then the shared pages
that show it (the whole spec's page, the examples index...), and lints the spec last.
Anything else (mkdocs.yml, the theme, a file added or removed, an id, title or
authority changed, the OpenAI dialect's one file) is a whole build, in process.

Every page written is the page a whole build writes, byte for byte, except the search
index: it is stale until ``refresh_search``.
"""

from __future__ import annotations

import gc
import logging
import os
import shutil
import time
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import BuildError as MkDocsBuildError
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files

from specgen.api import load_and_lint
from specgen.lint.rule import PreviousRelease
from specgen.lint.runner import LintReport, lint
from specgen.project import ProjectConfig
from specgen.site import search_index
from specgen.site.build import BuildError, load_mkdocs_config, mkdocs_errors
from specgen.site.edits import SpecFiles
from specgen.site.output_folder import inside
from specgen.site.plugin import SiteInputs, SpecgenPlugin
from specgen.sources import LoadResult
from specgen.sources.loading import project_for

# A plugin's error is logged by MkDocs' build, which then raises a bare "Aborted": here
# too, for the one-line message (build.mkdocs_errors).
_mkdocs_log = logging.getLogger("mkdocs.commands.build")


@dataclass(frozen=True)
class Rebuild:
    """What one build or update did."""

    what: str  # "spec/30-be-concise.md" (relative to the project), "mkdocs.yml changed"...
    full: bool  # a whole (in-process) build was done
    pages: tuple[str, ...]  # the URLs of the pages written, as MkDocs' page.url
    seconds: float
    report: LintReport  # the spec's lint findings as read now


@dataclass(frozen=True)
class _Built:
    """What the last good build knows, for the next update."""

    config: MkDocsConfig
    plugin: SpecgenPlugin
    files: Files
    spec_files: SpecFiles
    loaded: LoadResult
    project: ProjectConfig
    previous: PreviousRelease | None
    report: LintReport


class _NotLocal(Exception):
    """An update that turns out to need a whole build."""


class IncrementalSite:
    def __init__(self, config_file: Path, workdir: Path, spec: Path | None = None) -> None:
        """``spec``: the spec to build, when it is not the one mkdocs.yml names (a
        spec served with specgen's default configuration)."""
        self.config_file = Path(os.path.abspath(config_file))
        self.spec = Path(os.path.abspath(spec)) if spec is not None else None
        self.root = self.config_file.parent
        self.workdir = workdir  # empty, serve's own: every site folder goes inside it
        self._site: Path | None = None
        self._config: MkDocsConfig | None = None  # of the site served (its search index)
        self._built: _Built | None = None  # None: the next update builds everything
        self._count = 0
        self._search_stale = False

    @property
    def site_dir(self) -> Path:
        """The folder to serve now; another one after each whole build."""
        if self._site is None:
            raise RuntimeError("no site built yet")
        return self._site

    def build(self) -> Rebuild:
        """A whole build, search index included. Lint errors never stop it; a spec that
        cannot be read, a bad mkdocs.yml or MkDocs failing raise BuildError, and the
        site served stays as it was."""
        return self._build_all("first build", time.perf_counter(), search=True)

    def update(
        self, changed: Collection[Path], ready: Callable[[tuple[str, ...]], None] | None = None
    ) -> Rebuild:
        """Rewrites what ``changed`` (absolute paths modified, created or deleted)
        shows; ``ready`` is given the URLs of the edited files' own pages as soon as
        they are written. When the update is a whole build, ``ready`` is not called:
        every page is new once it returns (``Rebuild.full``), pages that are gone too.
        Raises what ``build`` raises; the update after a failed one builds everything."""
        start = time.perf_counter()
        built = self._built
        what = self._what(changed)
        if built is not None and not changed:
            return Rebuild(what, False, (), 0.0, built.report)
        if built is None or any(_same_file(path, self.config_file) for path in changed):
            return self._build_all(what, start, search=False)
        loaded = built.loaded
        own: list[str] = []
        shared: list[str] = []
        for path in sorted(changed):
            edit = built.spec_files.edit(loaded, path)
            if edit is None:
                return self._build_all(what, start, search=False)
            loaded = edit.loaded
            own.extend(edit.own)
            shared.extend(edit.shared)
        self._built = None  # until every page is written: a failure means a whole build
        try:
            built.plugin.reload(loaded)
            pages = self._write_pages(built, dict.fromkeys(own))
            if ready is not None:
                ready(pages)
            pages += self._write_pages(built, (s for s in dict.fromkeys(shared) if s not in own))
        except _NotLocal:
            return self._build_all(what, start, search=False)
        self._search_stale = True
        report = lint(loaded, built.project.lint, built.previous)
        self._built = replace(built, loaded=loaded, report=report)
        return Rebuild(what, False, pages, time.perf_counter() - start, report)

    def refresh_search(self) -> None:
        """Rewrites the Pagefind index of the site served, when pages changed since it
        was written. Raises BuildError when Pagefind fails (the old index is kept)."""
        config = self._config
        if config is None or not self._search_stale or not search_index.has_search(config):
            return
        site = Path(config.site_dir)
        index = inside(site, search_index.SEARCH_DIR)
        # Pagefind adds to a folder and never removes: the old index is set aside, so
        # that no stale fragment is left among the new ones.
        aside = inside(self.workdir, f"old-search-{self._next()}")
        if index.is_dir():
            index.rename(aside)
        try:
            search_index.write_index(config)
        except PluginError as exc:
            shutil.rmtree(index, ignore_errors=True)
            if aside.is_dir():
                aside.rename(index)
            raise BuildError(str(exc)) from exc
        shutil.rmtree(aside, ignore_errors=True)
        self._search_stale = False

    # -- whole builds -------------------------------------------------------------

    def _build_all(
        self,
        what: str,
        start: float,
        search: bool,
    ) -> Rebuild:
        self._built = None
        gc.unfreeze()  # the last build's objects may go now (see the end)
        project, _ = project_for(self.root, self.config_file)
        spec_path = self.spec or (project.root or self.root) / project.spec_dir
        if not os.path.lexists(spec_path):
            raise BuildError(f"{spec_path}: no spec there (spec_dir of {self.config_file})")
        try:
            checked = load_and_lint(spec_path, self.config_file)
        except OSError as exc:
            raise BuildError(f"{spec_path}: cannot read the spec: {exc}") from exc
        config = load_mkdocs_config(self.config_file)
        plugin = config.plugins.get("specgen")
        if not isinstance(plugin, SpecgenPlugin):
            raise BuildError(f"{self.config_file} does not use the specgen plugin")
        plugin.prepare(SiteInputs(checked.loaded, search=search))
        folder = inside(self.workdir, f"site-{self._next()}")
        config.site_dir = str(folder)
        try:
            with mkdocs_errors():
                mkdocs_build(config)
            if plugin.files is None or plugin.nav is None or plugin.env is None:
                raise BuildError("specgen: MkDocs built the site without the specgen plugin")
            if not search and search_index.has_search(config):
                self._carry_search(folder)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        previous, self._site, self._config = self._site, folder, config
        if previous is not None:
            shutil.rmtree(previous, ignore_errors=True)  # a folder made here, in workdir
        self._search_stale = not search
        self._built = _Built(
            config,
            plugin,
            plugin.files,
            SpecFiles(checked.loaded, checked.project, spec_path),
            checked.loaded,
            checked.project,
            checked.previous,
            checked.report,
        )
        pages = tuple(f.page.url for f in plugin.files.documentation_pages() if f.page)
        # What the build keeps (MkDocs' pages, the spec) lives until the next one: out
        # of the collector's sight, a full collection during an edit's page does not
        # walk it all (90 ms for the Model Spec, 450 ms at 800 sections).
        gc.collect()
        gc.freeze()
        return Rebuild(what, True, pages, time.perf_counter() - start, checked.report)

    def _carry_search(self, folder: Path) -> None:
        """The served site's search index into a new build (hard links): stale until
        ``refresh_search``, but the search box keeps working meanwhile."""
        if self._site is None:
            return
        old = self._site / search_index.SEARCH_DIR
        if old.is_dir() and not old.is_symlink():
            shutil.copytree(old, inside(folder, search_index.SEARCH_DIR), copy_function=_link)

    # -- single pages -------------------------------------------------------------

    def _write_pages(self, built: _Built, sources: Iterable[str]) -> tuple[str, ...]:
        """The pages of these source paths written again, as MkDocs' build writes them.

        MkDocs has no public API to build one page: these are the two steps its
        ``build()`` runs for each page (mkdocs/commands/build.py, MkDocs 1.6), on the
        files, navigation and environment of the last whole build."""
        plugin, config, files = built.plugin, built.config, built.files
        assert plugin.nav is not None and plugin.env is not None
        doc_files = files.documentation_pages()
        urls: list[str] = []
        with mkdocs_errors():
            for src in sources:
                file = files.get_file_from_path(src)
                if file is None or file.page is None:
                    raise _NotLocal(src)
                try:
                    _populate_page(file.page, config, files)
                    _build_page(file.page, config, doc_files, plugin.nav, plugin.env)
                except MkDocsBuildError as exc:
                    _mkdocs_log.error(str(exc))
                    raise
                urls.append(file.page.url)
        return tuple(urls)

    # -- names --------------------------------------------------------------------

    def _what(self, changed: Collection[Path]) -> str:
        if any(_same_file(path, self.config_file) for path in changed):
            return f"{self.config_file.name} changed"
        if len(changed) != 1:
            return f"{len(changed)} files"
        # As lint shows paths: from where specgen runs, when the file is below it.
        path = os.path.abspath(next(iter(changed)))
        for base in (os.getcwd(), str(self.root)):
            if path.startswith(base.rstrip(os.sep) + os.sep):
                return os.path.relpath(path, base)
        return path

    def _next(self) -> int:
        self._count += 1
        return self._count


def _same_file(path: Path, other: Path) -> bool:
    return os.path.realpath(path) == os.path.realpath(other)


def _link(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
