"""The ``specgen`` MkDocs plugin: loads and lints the spec, adds a page per section,
and puts specgen's own HTML in place of MkDocs' Markdown rendering of those pages."""

from __future__ import annotations

import logging
import os
from importlib import resources
from pathlib import Path
from typing import Any

from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from specgen.api import load_spec
from specgen.lint.output import format_report
from specgen.lint.runner import lint
from specgen.model import Section, Spec
from specgen.render.markdown import render_markdown
from specgen.render.section import RenderContext, render_section
from specgen.render.templates import render_template
from specgen.site.config import SpecgenConfig
from specgen.site.structure import HOME, nav_for, section_src
from specgen.sources import LoadResult

log = logging.getLogger("mkdocs.plugins.specgen")
FORCE_ENV = "SPECGEN_FORCE"  # set by `specgen build --force`: build despite lint errors


class _PageLinker:
    def __init__(self, plugin: SpecgenPlugin, page_url: str) -> None:
        self.plugin = plugin
        self.page_url = page_url

    def section_url(self, section_id: str) -> str | None:
        section = self.plugin.index.get(section_id)
        if section is None:
            return None
        return get_relative_url(self.plugin.url_of(section), self.page_url)

    def eval_url(self, set_id: str) -> str | None:
        return None

    def section_title(self, section_id: str) -> str | None:
        section = self.plugin.index.get(section_id)
        return section.title if section else None


class SpecgenPlugin(BasePlugin[SpecgenConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        self.loaded: LoadResult | None = None
        self.index: dict[str, Section] = {}
        self.by_src: dict[str, Section] = {}
        self.theme_dir = str(resources.files("specgen.theme"))

    @property
    def spec(self) -> Spec:
        assert self.loaded is not None
        return self.loaded.spec

    def url_of(self, section: Section) -> str:
        return f"{section.id}/"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return config
        config_file = Path(config.config_file_path)
        spec_path = config_file.parent / self.config.spec_dir
        loaded, project = load_spec(spec_path, config_file)
        report = lint(loaded, project.lint)
        if report.diagnostics:
            text = format_report(report, "concise", color=False)
            for line in text.rstrip("\n").split("\n"):
                log.warning(line)
        if report.fails(project.lint.fail_on) and not os.environ.get(FORCE_ENV):
            raise PluginError("specgen: the spec has lint errors (see above); not building")
        self.loaded = loaded
        self.index = loaded.spec.section_index()
        self.by_src = {section_src(s): s for s in loaded.spec.walk()}
        config.nav = nav_for(loaded.spec)
        # Our fragments and CSS come after the site's custom_dir, before Material.
        if self.theme_dir not in config.theme.dirs:
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, self.theme_dir)
        if "assets/specgen.css" not in config.extra_css:
            config.extra_css.append("assets/specgen.css")
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        if self.loaded is None:
            return files
        # Spec sources are read by specgen, never rendered by MkDocs' Markdown.
        for file in [f for f in files if f.is_documentation_page()]:
            files.remove(file)
        files.append(File.generated(config, HOME, content=f"# {self.spec.config.title}\n"))
        for src, section in self.by_src.items():
            files.append(File.generated(config, src, content=f"# {section.title}\n"))
        return files

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if self.loaded is None:
            return markdown
        section = self.by_src.get(page.file.src_uri)
        page.title = section.title if section else self.spec.config.title
        return f"# {page.title}\n"

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if self.loaded is None:
            return html
        linker = _PageLinker(self, page.url)
        ctx = RenderContext(self.spec.config, linker, self._overrides(config))
        heading = f"<h1>{Markup.escape(page.title or '')}</h1>\n"
        section = self.by_src.get(page.file.src_uri)
        if section is not None:
            return heading + render_section(section, ctx)
        if page.file.src_uri == HOME:
            intro = Markup(render_markdown(self.loaded.home, linker)) if self.loaded.home else ""
            return heading + render_template(
                "specgen/home.html",
                ctx.overrides,
                spec=self.spec,
                intro=intro,
                sections=[(s, linker.section_url(s.id)) for s in self.spec.sections],
            )
        return html

    def _overrides(self, config: MkDocsConfig) -> tuple[Path, ...]:
        custom = config.theme.custom_dir
        return (Path(custom),) if custom else ()

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        spec_dir = Path(config.config_file_path).parent / self.config.spec_dir
        server.watch(str(spec_dir))
        return server
