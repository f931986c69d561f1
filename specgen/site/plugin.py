"""The ``specgen`` MkDocs plugin: loads and lints the spec, adds a page per section and
the site's own pages, and puts specgen's HTML in place of MkDocs' Markdown rendering.

MkDocs never sees spec Markdown: each page it reads is a stub holding only the title,
so its Markdown pass cannot disagree with the linter.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url
from mkdocs.utils.templates import TemplateContext

from specgen.api import load_and_lint
from specgen.diff.model import SpecDiff
from specgen.evals.results import Results, log_name
from specgen.forge import RepoSettings, forge_for
from specgen.identifiers import safe_slug
from specgen.lint.output import format_report
from specgen.model import EvalPromptSet, Location, Section, Spec
from specgen.origin import Origin
from specgen.printable import escape_controls
from specgen.render.badges import badge_for
from specgen.render.linker import (
    CHANGES_PAGE,
    EVAL_INDEX,
    EVAL_INDEX_PAGE,
    EXAMPLES,
    LEVELS,
    RESULTS,
    RESULTS_PAGE,
    SITE_PAGES,
    WHOLE_SPEC,
    Linker,
    section_slug,
)
from specgen.render.markdown import render_markdown
from specgen.render.measured import ResultsLookup
from specgen.render.pages import (
    OnePagePart,
    PartLink,
    citing_sections,
    home_lead,
    one_page_parts,
    render_eval_index,
    render_eval_set,
    render_examples_index,
    render_levels_page,
    render_one_page,
)
from specgen.render.results import WarningView, render_results_page
from specgen.render.section import RenderContext, edit_url, render_section
from specgen.render.templates import render_template
from specgen.render.toc import TocEntry
from specgen.render.views import ContentsEntry
from specgen.site import search_index, structure
from specgen.site.changes import release_diff, render_changes_page
from specgen.site.config import SpecgenConfig
from specgen.site.nav import NavScript, page_globals, render_nav_script
from specgen.site.output_folder import inside, stays_inside
from specgen.site.release import ReleaseContext
from specgen.sources import LoadResult
from specgen.sources.config import load_config
from specgen.sources.links import ThroughLinks, real, within
from specgen.sources.revisions import working_tree_origin

log = logging.getLogger("mkdocs.plugins.specgen")
# The site's own pages by the names render asks for (the one table in render.linker).
_PAGE_SRC = {page.name: page.src for page in SITE_PAGES if page is not CHANGES_PAGE}


class _PageLinker:
    """Resolves spec ids to URLs relative to one page of the site."""

    def __init__(self, plugin: SpecgenPlugin, page_url: str) -> None:
        self.plugin = plugin
        self.here = page_url

    def src_url(self, src: str) -> str:
        return get_relative_url(self.plugin.url_for_src(src), self.here)

    def section_url(self, section_id: str) -> str | None:
        section = self.plugin.index.get(section_id)
        return self.src_url(structure.section_src(section)) if section else None

    def eval_url(self, set_id: str) -> str | None:
        if set_id not in self.plugin.eval_sets:
            return None
        return self.src_url(structure.eval_src(set_id))

    def section_title(self, section_id: str) -> str | None:
        section = self.plugin.index.get(section_id)
        return section.title if section else None

    def page_url(self, name: str) -> str | None:
        src = _PAGE_SRC.get(name)
        if src is None or (name == EVAL_INDEX_PAGE and not self.plugin.eval_sets):
            return None
        if name == RESULTS_PAGE and self.plugin.results is None:
            return None
        return self.src_url(src)


class _OnePageLinker(_PageLinker):
    """On the whole spec's pages, a section is an anchor of the part that holds it."""

    def __init__(self, plugin: SpecgenPlugin, page_url: str, part: int) -> None:
        super().__init__(plugin, page_url)
        self.part = part

    def section_url(self, section_id: str) -> str | None:
        part = self.plugin.part_of.get(section_id)
        if part is None:
            return None
        anchor = f"#{safe_slug(section_id)}"
        return anchor if part == self.part else self.src_url(structure.one_page_src(part)) + anchor


@dataclass(frozen=True)
class SiteInputs:
    """Everything a build hands the plugin, in one typed call (``prepare``): the spec
    already loaded and linted, and for a release of a versioned site, its context.
    Under plain ``mkdocs build`` nothing is handed over: the plugin loads and lints
    the spec named in mkdocs.yml itself, and lint errors stop it."""

    loaded: LoadResult
    release: ReleaseContext | None = None
    # Whether the build ends with the Pagefind index: `specgen serve` writes it later
    # (IncrementalSite.refresh_search), not on the way to the browser's reload.
    search: bool = True
    # A run's logs matched to this spec (`build --results`): verdicts, rates, results/.
    results: Results | None = None


class SpecgenPlugin(BasePlugin[SpecgenConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        self.inputs: SiteInputs | None = None  # from `specgen build` (prepare)
        self.release: ReleaseContext | None = None
        self.release_diff: SpecDiff | None = None
        self.loaded: LoadResult | None = None
        self.index: dict[str, Section] = {}
        self.by_src: dict[str, Section] = {}
        self.eval_sets: dict[str, EvalPromptSet] = {}
        self.pages: dict[str, tuple[str, Callable[[RenderContext], str]]] = {}
        # What MkDocs made of the site, kept for rewriting single pages (incremental.py).
        self.files: Files | None = None
        self.nav: Navigation | None = None
        self.env: Environment | None = None
        self.part_of: dict[str, int] = {}  # section id -> the part of the whole spec holding it
        self.one_page_parts: dict[str, int] = {}  # source path -> part number
        self.nav_script: NavScript | None = None
        self.origin: Origin | None = None  # where the spec is in the repository, on its forge
        self.page_sources: dict[str, Location] = {}  # source path -> where its text starts
        self.theme_dir = str(resources.files("specgen.theme"))
        self.directory_urls = True  # mkdocs.yml's use_directory_urls
        self.results: ResultsLookup | None = None

    def prepare(self, inputs: SiteInputs) -> None:
        """The one hand-over from `specgen build`, before MkDocs runs."""
        self.inputs = inputs
        self.release = inputs.release

    @property
    def spec(self) -> Spec:
        assert self.loaded is not None
        return self.loaded.spec

    def url_for_src(self, src: str) -> str:
        """The page URL MkDocs gives a source path: ``foo/`` with directory URLs (the
        default), ``foo.html`` without (a site read from disk, ``build --offline``)."""
        if not self.directory_urls:
            return src[: -len(".md")] + ".html"
        if src == structure.HOME:
            return ""
        stem = src[: -len("/index.md")] if src.endswith("/index.md") else src[: -len(".md")]
        return f"{stem}/"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return config
        _escape_plain_settings(config)
        self.directory_urls = bool(config.use_directory_urls)
        self._take(self.inputs.loaded if self.inputs else self._load_and_lint(config))
        spec = self.spec
        self.origin = self._origin(config)
        config.nav = structure.nav_for(
            spec, with_changes=self.release is not None, with_results=self.results is not None
        )
        # Our templates, partials and CSS come after the site's custom_dir, before Material.
        if self.theme_dir not in config.theme.dirs:
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, self.theme_dir)
        results_css = (_RESULTS_CSS,) if self.results else ()
        for css in ("assets/specgen.css", *results_css):
            if css not in config.extra_css:
                config.extra_css.append(css)
        if "assets/specgen.js" not in config.extra_javascript:
            config.extra_javascript.append("assets/specgen.js")
        # Pagefind in Material's search box, in place of Material's search plugin.
        search_index.set_up(config, searchable=bool(spec.sections))
        return config

    def reload(self, loaded: LoadResult) -> None:
        """The spec read again after an edit that leaves the site's pages, navigation
        and configuration as they are (``specgen serve``, incremental.py): the pages
        rendered from now on show ``loaded``; on_config's edits of the configuration are
        not made again."""
        self._take(loaded)

    def _take(self, loaded: LoadResult) -> None:
        """What the pages are made from: the spec, its indexes and each page's renderer."""
        self.loaded = loaded
        spec = loaded.spec
        results = self.inputs.results if self.inputs else None
        self.results = ResultsLookup(results, spec.config) if results is not None else None
        self.index = spec.section_index()
        self.by_src = {structure.section_src(s): s for s in spec.walk()}
        self.eval_sets = {s.id: s for s in spec.eval_sets}
        self.one_page_parts = {}
        self.pages = self._pages(spec)
        self.page_sources = {src: s.loc for src, s in self.by_src.items()}
        self.page_sources.update({structure.eval_src(s.id): s.loc for s in spec.eval_sets})
        if loaded.home is not None:  # the home page's introduction
            self.page_sources[structure.HOME] = loaded.home.loc

    def _origin(self, config: MkDocsConfig) -> Origin | None:
        """Where the pages' source links lead: the site's forge (mkdocs.yml's repo_url,
        edit_uri and the plugin's forge, as ``specgen diff`` reads them), at the
        release's commit for a release read from git, else the configured branch with
        paths in the working tree's repository. None without a usable forge."""
        settings = _repo_settings(config)
        forge = forge_for(settings)
        if forge is None:
            return None
        release = self.release.origin if self.release is not None else None
        if release is not None and release.commit is not None:
            return replace(release, forge=forge)
        return working_tree_origin(Path(self.spec.source), settings)

    def _load_and_lint(self, config: MkDocsConfig) -> LoadResult:
        """Under plain `mkdocs build`/`serve`: read the spec named in mkdocs.yml, lint it."""
        config_file = Path(config.config_file_path)
        checked = load_and_lint(config_file.parent / self.config.spec_dir, config_file)
        if checked.report.diagnostics:
            text = format_report(checked.report, "concise", color=False)
            for line in text.rstrip("\n").split("\n"):
                log.warning(line)
        if checked.fails:  # `specgen build --force` can override
            raise PluginError("specgen: the spec has lint errors (see above); not building")
        return checked.loaded

    def _pages(self, spec: Spec) -> dict[str, tuple[str, Callable[[RenderContext], str]]]:
        """Source path -> (title, content renderer) for every page of the site."""
        pages: dict[str, tuple[str, Callable[[RenderContext], str]]] = {
            structure.HOME: ("Home", self._render_home),
            structure.LEVELS: (LEVELS.title, lambda ctx: render_levels_page(spec, ctx)),
            structure.EXAMPLES: (EXAMPLES.title, lambda ctx: render_examples_index(spec, ctx)),
        }
        parts = one_page_parts(spec)
        self.part_of = {s.id: part.number for part in parts for s, _ in part.entries}
        for part in parts:
            pages[structure.one_page_src(part.number)] = (
                _part_title(part.number, len(parts)),
                lambda ctx, part=part: render_one_page(  # type: ignore[misc]
                    part, self._part_links(parts, part, ctx.linker), ctx
                ),
            )
            self.one_page_parts[structure.one_page_src(part.number)] = part.number
        for src, section in self.by_src.items():
            pages[src] = (
                section.title,
                lambda ctx, s=section: render_section(s, ctx),  # type: ignore[misc]
            )
        if self.release is not None:
            release = self.release
            self.release_diff = release_diff(spec, release)  # the page and diff.html share it
            diff = self.release_diff
            pages[structure.CHANGES] = (
                f"{CHANGES_PAGE.title} in {release.version}",
                lambda ctx: render_changes_page(release, diff, ctx),
            )
        if self.results is not None:
            lookup = self.results
            warnings = [
                WarningView(log_name(w.loc.path), w.code, w.message)
                for w in lookup.results.warnings
            ]
            pages[structure.RESULTS] = (
                RESULTS.title,
                lambda ctx: render_results_page(spec, lookup, warnings, ctx),
            )
        if spec.eval_sets:
            pages[structure.EVAL_INDEX] = (
                EVAL_INDEX.title,
                lambda ctx: render_eval_index(spec, ctx),
            )
        cited = citing_sections(spec)
        for prompt_set in spec.eval_sets:
            pages[structure.eval_src(prompt_set.id)] = (
                f"Eval prompts {prompt_set.id}",
                lambda ctx, p=prompt_set: render_eval_set(  # type: ignore[misc]
                    p, cited.get(p.id, []), ctx
                ),
            )
        return pages

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        if self.loaded is None:
            return files
        # Spec sources are read by specgen, never rendered by MkDocs' Markdown.
        for file in [f for f in files if f.is_documentation_page()]:
            files.remove(file)
        linked_outside = _linked_outside(config)
        for file in [f for f in files if linked_outside(f)]:
            log.warning(  # a file name is the spec's text: no control character reaches a terminal
                escape_controls(
                    f"specgen: {file.src_uri} is a link to a file outside the project: "
                    "not published"
                )
            )
            files.remove(file)
        for file in [f for f in files if _serve_only(f, self.theme_dir)]:
            files.remove(file)
        if self.results is None:  # the results' styles only in a site that shows results
            for file in [f for f in files if f.src_uri == _RESULTS_CSS]:
                files.remove(file)
        for src, (title, _) in self.pages.items():
            files.append(File.generated(config, src, content=f"# {title}\n"))
        _check_destinations(files, Path(config.site_dir))
        return files

    def on_nav(
        self, nav: Navigation, /, *, config: MkDocsConfig, files: Files
    ) -> Navigation | None:
        self.nav = nav
        self.files = files
        if self.loaded is not None:
            self._chain_reading_order(nav)
        return nav

    def _chain_reading_order(self, nav: Navigation) -> None:
        """Material's footer (navigation.footer) links each page to the one before and
        after it in the nav: the home page and the sections are the spec read straight
        through; the Browse pages are other views of it, outside that chain, so the last
        section leads nowhere further and they carry no footer links."""
        chained = {structure.HOME, *self.by_src}
        reading = [p for p in nav.pages if p.file.src_uri in chained]
        for page in nav.pages:
            page.previous_page = page.next_page = None
        for before, after in pairwise(reading):
            before.next_page, after.previous_page = after, before

    def on_env(
        self, env: Environment, /, *, config: MkDocsConfig, files: Files
    ) -> Environment | None:
        # Pages are read (titles and badges set) before this: the whole tree is final.
        if self.loaded is None or self.nav is None:
            return env
        self.nav_script = render_nav_script(env, self.nav, config)
        env.globals.update(page_globals(self.nav_script))
        self.env = env
        return env

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if self.loaded is None:
            return markdown
        entry = self.pages.get(page.file.src_uri)
        if entry is None:
            return markdown
        # MkDocs' and Material's templates print titles unescaped (and <title> through
        # striptags, which undoes entities unless meta.title is set): spec text is escaped.
        page.title = str(Markup.escape(entry[0]))
        page.meta["title"] = page.title
        # MkDocs made the edit button's address from the page's own (generated) file:
        # a page with a source file of its own edits that file; the others edit none.
        source = self.page_sources.get(page.file.src_uri)
        page.edit_url = edit_url(source, self.origin) if source is not None else None
        section = self.by_src.get(page.file.src_uri)
        if section is not None:
            badge = badge_for(section, self.spec.config)
            if badge is not None:
                page.meta["specgen_badge"] = badge
        return f"# {page.title}\n"

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if self.loaded is None or page.file.src_uri not in self.pages:
            return html
        # MkDocs reads every page before it writes any: HTML made here would be held for
        # all pages at once (1.5 GB at 8,000 sections). It is made in on_page_context,
        # just before the page's template, and let go of once the page is written.
        return ""

    @event_priority(100)  # first: other plugins' on_page_context see the page's HTML
    def on_page_context(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext | None:
        entry = self.pages.get(page.file.src_uri) if self.loaded else None
        if entry is not None:
            page.content = self._page_html(page, entry, config)
        return context

    @event_priority(-100)  # last: after every other plugin has seen the page
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        if self.loaded is not None and page.file.src_uri in self.pages:
            page.content = None
        return output

    def _page_html(
        self, page: Page, entry: tuple[str, Callable[[RenderContext], str]], config: MkDocsConfig
    ) -> str:
        part = self.one_page_parts.get(page.file.src_uri)
        linker = (
            _PageLinker(self, page.url) if part is None else _OnePageLinker(self, page.url, part)
        )
        ctx = RenderContext(
            self.spec.config,
            linker,
            self._overrides(config),
            origin=self.origin,
            results=self.results,
        )
        own_title = page.file.src_uri == structure.HOME or part is not None
        title = self.spec.config.title if own_title else entry[0]
        heading = f"<h1>{Markup.escape(title)}</h1>\n"
        html = heading + entry[1](ctx)
        page.toc = get_toc(_toc_tokens(ctx.toc.entries))
        return html

    def _part_links(
        self, parts: list[OnePagePart], here: OnePagePart, linker: Linker
    ) -> list[PartLink]:
        assert isinstance(linker, _PageLinker)
        return [
            PartLink(
                part.number,
                part.entries[0][0].title if part.entries else "",
                part.entries[-1][0].title if part.entries else "",
                linker.src_url(structure.one_page_src(part.number)),
                part is here,
            )
            for part in parts
        ]

    def _render_home(self, ctx: RenderContext) -> str:
        assert self.loaded is not None
        home = self.loaded.home
        lead = None if home else home_lead(self.spec, ctx)
        if lead is not None:
            ctx.toc.add(2, "introduction", lead.section.title)
        ctx.toc.add(2, "contents", "Contents")
        ctx.toc.add(2, "browse", "Browse")
        # A release of a versioned site is labelled with its own version and date, not
        # the fixed ones of the mkdocs.yml it was built with.
        release = self.release
        return render_template(
            "specgen/home.html",
            ctx.overrides,
            spec=self.spec,
            version=release.version if release else self.spec.config.version,
            date=(release.date if release else None) or self.spec.config.date,
            intro=Markup(render_markdown(home, ctx.linker)) if home else "",
            lead=lead,
            sections=[self._contents_entry(s, ctx, depth=2) for s in self.spec.sections],
            pages={name: ctx.linker.page_url(name) for name in _PAGE_SRC},
        )

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.loaded is None:
            return
        site = Path(config.site_dir)
        if self.nav_script is not None:
            script = inside(site, *self.nav_script.path)
            script.parent.mkdir(parents=True, exist_ok=True)
            script.write_text(self.nav_script.text, "utf-8")
        overrides = self._overrides(config)
        if self.release_diff is not None:
            from specgen.diff.html_out import render_diff_html

            page = inside(site, "changes", "diff.html")
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(render_diff_html(self.release_diff, overrides), "utf-8")
        self._write_redirects(site, overrides)
        if self.inputs is None or self.inputs.search:
            search_index.write_index(config)  # last: it indexes every page written above

    def _write_redirects(self, site: Path, overrides: tuple[Path, ...]) -> None:
        """Old addresses of renamed sections (``former_ids``, also those of earlier
        releases) lead to the section."""
        redirects = dict(self.release.redirects) if self.release else {}
        for renamed in self.spec.walk():
            redirects.update({former: renamed.id for former in renamed.former_ids})
        for former, target in sorted(redirects.items()):
            section = self.index.get(target)
            if former in self.index or section is None:
                continue  # a live section keeps its address; a vanished target has none
            page = inside(site, section_slug(former), "index.html")
            if page.exists():
                continue
            url = get_relative_url(
                self.url_for_src(structure.section_src(section)), f"{section_slug(former)}/"
            )
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(
                render_template(
                    "specgen/redirect.html", overrides, url=url, title=section.title, former=former
                ),
                "utf-8",
            )

    def _contents_entry(self, section: Section, ctx: RenderContext, depth: int) -> ContentsEntry:
        """A section in the home page's contents: link, badge, and (to ``depth``) children."""
        return ContentsEntry(
            section=section,
            url=ctx.linker.section_url(section.id),
            badge=badge_for(section, self.spec.config),
            children=[self._contents_entry(c, ctx, depth - 1) for c in section.children]
            if depth > 1
            else [],
        )

    def _overrides(self, config: MkDocsConfig) -> tuple[Path, ...]:
        custom = config.theme.custom_dir
        return (Path(custom),) if custom else ()

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        spec_dir = Path(config.config_file_path).parent / self.config.spec_dir
        server.watch(str(spec_dir))
        return server


_RESULTS_CSS = "assets/specgen-results.css"
# Settings Material prints as HTML without escaping them; all are plain text here.
_PLAIN_SETTINGS = ("site_name", "site_description", "site_author", "repo_name")
_URL_SETTINGS = ("site_url", "repo_url")
_BREAKS_ATTRIBUTE = re.compile(r"[\"'<>`\s\\]")


def _escape_plain_settings(config: MkDocsConfig) -> None:
    """mkdocs.yml's text settings are escaped (Markup, so Material's own ``| e`` does
    not escape them twice); the copyright keeps its entities but loses its tags; the
    site's own URLs must be http(s), as a ``javascript:`` repo_url would be a live link."""
    for key in (*_PLAIN_SETTINGS, "copyright"):
        value = config.get(key)
        if not isinstance(value, str) or isinstance(value, Markup):
            continue
        # A lone surrogate ("\ud800" in YAML) cannot be written as UTF-8.
        value = value.encode("utf-8", "replace").decode("utf-8")
        text = Markup(value).striptags() if key == "copyright" else value
        config[key] = Markup.escape(text)
    for key in _URL_SETTINGS:
        value = config.get(key)
        if value and urlsplit(str(value)).scheme.lower() not in ("http", "https"):
            raise PluginError(
                escape_controls(f"specgen: {key} must be an http(s) address, not {value!r}")
            )
        # Material prints them unescaped into href="...": a quote would end the attribute.
        if value and _BREAKS_ATTRIBUTE.search(str(value)):
            raise PluginError(
                escape_controls(
                    f"specgen: {key} must be an address without quotes, spaces or angle "
                    f"brackets (percent-encode them), not {value!r}"
                )
            )


def _repo_settings(config: MkDocsConfig) -> RepoSettings:
    """mkdocs.yml's repository settings as written (MkDocs fills in an edit_uri of its
    own on github.com: 'edit/master/docs/'), read as ``specgen diff`` reads them."""
    return load_config(Path(config.config_file_path))[0].repo


def _linked_outside(config: MkDocsConfig) -> Callable[[File], bool]:
    """Whether a file MkDocs would copy from the docs folder is reached through a link
    out of the project (``links.ThroughLinks``); the theme's own files are not."""
    docs = os.path.abspath(config.docs_dir)
    project = real(os.path.dirname(os.path.abspath(config.config_file_path)))
    docs_real = real(docs)
    through = ThroughLinks(docs, project if within(docs_real, project) else docs_real)

    def check(file: File) -> bool:
        if file.generated_by is not None or not file.abs_src_path:
            return False
        path = os.path.abspath(file.abs_src_path)
        return within(path, docs) and through.leaves(path)

    return check


def _serve_only(file: File, theme_dir: str) -> bool:
    """specgen's own theme/serve/ files: `specgen serve` sends them, no site holds them."""
    return file.src_uri.startswith("serve/") and os.path.dirname(
        os.path.dirname(file.abs_src_path or "")
    ) == os.path.normpath(theme_dir)


def _check_destinations(files: Files, site: Path) -> None:
    """Every page and copied file lands inside the site, and no two land on one path
    (nor a file where another needs a folder): else MkDocs would overwrite one page
    with another or stop with "File exists"."""
    owners: dict[str, str] = {}
    for file in files:
        if not stays_inside(file.dest_uri):
            raise PluginError(
                escape_controls(f"specgen: refusing to write {file.dest_uri}: outside {site}")
            )
        if file.dest_uri in owners:
            raise PluginError(
                escape_controls(
                    f"specgen: {file.src_uri} and {owners[file.dest_uri]} would both be "
                    f"published as {file.dest_uri}; rename one"
                )
            )
        owners[file.dest_uri] = file.src_uri
    for dest, src in owners.items():
        folder = dest.rpartition("/")[0]
        while folder:
            if folder in owners:
                raise PluginError(
                    escape_controls(
                        f"specgen: {src} needs the folder {folder}/, which is the file of "
                        f"{owners[folder]}; rename one"
                    )
                )
            folder = folder.rpartition("/")[0]


def _part_title(number: int, count: int) -> str:
    return WHOLE_SPEC.title if count == 1 else f"Whole spec, page {number} of {count}"


def _toc_tokens(entries: list[TocEntry]) -> list[Any]:
    """MkDocs' nested table-of-contents tokens from a flat list of levelled entries."""
    root: list[Any] = []
    stack: list[tuple[int, list[Any]]] = [(1, root)]
    for entry in entries:
        while len(stack) > 1 and stack[-1][0] >= entry.level:
            stack.pop()
        children: list[Any] = []
        token = {
            "level": entry.level,
            # Material prints toc ids raw into href="#...": escaped like the titles.
            "id": str(Markup.escape(entry.id)),
            "name": str(Markup.escape(entry.title)),
            "children": children,
        }
        stack[-1][1].append(token)
        stack.append((entry.level, children))
    return root
