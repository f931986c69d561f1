"""A preview site: the site of a branch with, as one of its pages, the diff of its spec
against the base it will merge into (``specgen build --diff-base REV``).

The page at ``diff/`` is the one ``specgen diff BASE SPEC --format html`` writes (a
self-contained page that opens from a file), with a link back to the site above it; the
home page links to it. A small MkDocs plugin, added to the build's configuration, puts
both in place, so the page is written into the build's staging folder and arrives with
the rest of the site in its swap: nothing is written outside the site, and a failed
build leaves the previous site as it was.

When the spec being built is what git's HEAD holds (a pull request's checkout), its
side of the diff is that commit, so source links on the page lead to the lines at it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from specgen.api import diff_sides
from specgen.diff.describe import plural, side_label
from specgen.diff.html_out import render_diff_html
from specgen.diff.model import SpecDiff, Summary
from specgen.render.templates import render_template
from specgen.site import structure
from specgen.site.output_folder import UnsafeOutput, inside
from specgen.sources.paths import shown_path
from specgen.sources.revisions import Side, SideError, load_side

DIFF_DIR = "diff"  # the page's folder in the site: /diff/
PLUGIN_NAME = "specgen-preview"
HEAD = "HEAD"
_BODY = re.compile(r"<body\b[^>]*>")


@dataclass(frozen=True)
class PreviewDiff:
    """The diff page of a preview site, and what the home page says of it."""

    page: str  # the self-contained HTML page
    base: str  # where the base side is: "origin/main @ 1a2b3c4", or its path
    summary: Summary
    site_title: str


def preview_diff(
    base: str, spec: Path, levels: tuple[str, ...] | None = None, repo_url: str | None = None
) -> PreviewDiff:
    """The diff from ``base`` (a git revision, or a spec folder or file) to ``spec``, as
    ``specgen diff`` reads both; ``repo_url`` as its ``--repo-url``. SideError when
    ``base`` names no spec."""
    return _preview(diff_sides(load_side(base, levels), built_side(spec, levels), repo_url))


def _preview(diff: SpecDiff) -> PreviewDiff:
    base = side_label(diff.old, diff.old_origin).where
    title = diff.new.config.title or diff.old.config.title
    return PreviewDiff(render_diff_html(diff), base, diff.summary, title)


def built_side(spec: Path, levels: tuple[str, ...] | None) -> Side:
    """The spec as read from disk; at HEAD's commit when its files are HEAD's."""
    working = load_side(shown_path(spec), levels)
    try:
        head = load_side(f"{HEAD}:{spec}", levels)
    except SideError:  # not in a git repository, or not committed at all
        return working
    if _sources(head) != _sources(working):
        return working  # changed since HEAD: lines at that commit would be wrong
    at_head = replace(working.origin, revision=HEAD, commit=head.origin.commit)
    return replace(working, label=HEAD, origin=at_head)


def _sources(side: Side) -> dict[str, str]:
    """The side's source texts by repository path."""
    return {side.origin.repo_path(path): text for path, text in side.loaded.texts.items()}


# -- the plugin ----------------------------------------------------------------------------


class _NoOptions(Config):  # type: ignore[no-untyped-call]
    """The preview plugin is added by the build, never set in mkdocs.yml."""


class PreviewPlugin(BasePlugin[_NoOptions]):  # type: ignore[no-untyped-call]
    """Links the home page to the diff page and writes the page, in the site's build."""

    def __init__(self, preview: PreviewDiff) -> None:
        super().__init__()
        self.preview = preview

    def on_page_context(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext | None:
        # After the specgen plugin's (priority 100), which made the page's HTML.
        if page.file.src_uri == structure.HOME and page.content is not None:
            note = render_template(
                "specgen/preview_note.html",
                _overrides(config),
                url=f"{DIFF_DIR}/",
                base=self.preview.base,
                changes=_changes(self.preview.summary),
            )
            page.content = _after_heading(page.content, note)
        return context

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        try:
            write_diff_page(Path(config.site_dir), self.preview, _overrides(config))
        except UnsafeOutput as exc:
            raise PluginError(str(exc)) from exc


def add_preview(config: MkDocsConfig, preview: PreviewDiff) -> None:
    """Make the build of ``config`` a preview site with ``preview``'s diff page."""
    plugin = PreviewPlugin(preview)
    plugin.load_config({})
    config.plugins[PLUGIN_NAME] = plugin


def write_diff_page(site: Path, preview: PreviewDiff, overrides: tuple[Path, ...] = ()) -> Path:
    """``diff/index.html`` of ``site``: the diff page with a link back to the site. A
    page the site already has there (a section or file of that name) is never replaced."""
    page = inside(site, DIFF_DIR, "index.html")
    if page.exists() or page.is_symlink() or page.parent.is_symlink():
        raise UnsafeOutput(
            f"the site already has a page at {DIFF_DIR}/ (a section or file of that name): "
            "the diff page (--diff-base) would replace it"
        )
    back = render_template(
        "specgen/preview_back.html", overrides, url="../", title=preview.site_title
    )
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(_after_body(preview.page, back), "utf-8")
    return page


def _changes(summary: Summary) -> str:
    """ "1 section modified, 2 added", or "no section changed"."""
    counts = (
        (summary.sections_modified, "modified"),
        (summary.sections_added, "added"),
        (summary.sections_removed, "removed"),
    )
    told = [(count, word) for count, word in counts if count]
    if not told:
        return "no section changed"
    (first, word), rest = told[0], told[1:]
    return ", ".join([f"{plural(first, 'section')} {word}", *(f"{n} {w}" for n, w in rest)])


def _after_heading(html: str, note: str) -> str:
    """``note`` after the page's heading (the specgen plugin starts each page with its
    ``<h1>``); first when there is none."""
    heading, marker, rest = html.partition("</h1>")
    return f"{heading}{marker}\n{note}{rest}" if marker else note + html


def _after_body(page: str, back: str) -> str:
    """``back`` first in the page's body."""
    body = _BODY.search(page)
    if body is None:
        return back + page
    return f"{page[: body.end()]}\n{back}{page[body.end() :]}"


def _overrides(config: MkDocsConfig) -> tuple[Path, ...]:
    custom = config.theme.custom_dir
    return (Path(custom),) if custom else ()
