"""``specgen build --offline``: a copy of the site that works from disk (file://).

Opened from disk, a folder URL (``foo/``) shows a folder listing, Material's instant
navigation fetches pages, and Pagefind fetches its wasm and index chunks, all of which
a browser refuses or cannot do without a server. The offline build therefore links
pages as ``foo.html`` (MkDocs' ``use_directory_urls: false``, which the plugin's URLs
follow), leaves out the ``navigation.instant*`` features, and writes beside Pagefind's
index ``search/specgen-offline.js``: the same pages' text in one plain script that
``assets/specgen-search.js`` loads with a ``<script>`` element and searches itself.

Which pages and which of their text the offline index holds is read from the same
``data-pagefind-*`` attributes Pagefind reads (see search_index.py), so a search from
disk finds what the served site's search finds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from specgen.printable import escape_controls
from specgen.site.output_folder import UnsafeOutput, inside
from specgen.site.search_index import EXCLUDE_SELECTORS, SEARCH_DIR, VIEWS_DIR, has_search

OFFLINE_INDEX = "specgen-offline.js"  # in search/, beside Pagefind's pagefind.js
GLOBAL_NAME = "__specgenOfflineIndex"  # the script assigns the index to window[GLOBAL_NAME]
# Material's features that fetch pages: without a server they break every link.
SERVER_FEATURES = "navigation.instant"
FAILED = "specgen: the offline search index could not be written"

# What Pagefind leaves out of a page's text whatever the attributes say.
_SKIPPED_TAGS = frozenset(
    {"script", "style", "noscript", "template", "svg", "form", "nav", "iframe", "head"}
)
_VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
     "track", "wbr"}
)  # fmt: skip
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Where a word ends whatever the text says; within other (inline) elements, text runs
# on ("r<sup>2</sup>" is the word "r2"), as in Pagefind's index.
_BLOCK_TAGS = _HEADINGS | frozenset(
    {"address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "dialog",
     "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "header", "hgroup", "hr",
     "li", "main", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot",
     "th", "thead", "tr", "ul"}
)  # fmt: skip


def make_offline(config: MkDocsConfig) -> None:
    """The offline settings, on a loaded configuration before the build."""
    config.use_directory_urls = False
    features = list(config.theme.get("features") or [])
    config.theme["features"] = [f for f in features if not str(f).startswith(SERVER_FEATURES)]


def write_offline_index(config: MkDocsConfig) -> None:
    """After the build (and Pagefind): ``search/specgen-offline.js`` in the site."""
    if not has_search(config):
        return
    site = Path(config.site_dir)
    try:
        target = inside(site, SEARCH_DIR, OFFLINE_INDEX)
    except UnsafeOutput as exc:  # pragma: no cover - constants
        raise PluginError(f"{FAILED}: {exc}") from exc
    if target.is_symlink() or not target.parent.is_dir():
        raise PluginError(escape_controls(f"{FAILED}: {target.parent} is not the index's folder"))
    target.write_text(offline_script(index_pages(site)), "utf-8")


def offline_script(pages: list[dict[str, Any]]) -> str:
    """The plain script holding the index. Spec text is JSON, with ``<`` (no
    ``</script>`` or ``<!--``), ``>``, ``&`` and U+2028/2029 (line ends to older
    engines) written as escapes, so no text can end the literal or the script."""
    data = json.dumps({"pages": pages}, ensure_ascii=False, separators=(",", ":"))
    for char in ("<", ">", "&", "\u2028", "\u2029"):
        data = data.replace(char, f"\\u{ord(char):04x}")
    return f"window.{GLOBAL_NAME} = {data};\n"


def index_pages(site: Path) -> list[dict[str, Any]]:
    """Each page Pagefind indexes, as its results give it: url (relative to the site's
    root), content (the indexed words, one space apart), meta (title, ``sid``, the
    examples' captions) and anchors (the examples and headings, by word position)."""
    pages = []
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        if relative.split("/", 1)[0] in (SEARCH_DIR, VIEWS_DIR) or path.is_symlink():
            continue
        page = read_page(path.read_text("utf-8", errors="replace"))
        if page is not None:
            pages.append({"url": relative, **page})
    return pages


def read_page(html: str) -> dict[str, Any] | None:
    """A page's entry, or None when it has no ``data-pagefind-body`` or no word in it
    (Pagefind then leaves it out: the one-page view, the indexes, redirects, a home
    page without an introduction)."""
    if "data-pagefind-body" not in html:
        return None  # no need to parse it
    reader = _PageReader()
    reader.feed(html)
    reader.close()
    if not reader.has_body or not reader.words:
        return None
    meta = {"title": reader.title.strip(), **reader.meta}
    return {"content": " ".join(reader.words), "meta": meta, "anchors": reader.anchors}


def _excluded_classes() -> list[tuple[str, ...]]:
    """search_index.EXCLUDE_SELECTORS as class chains (``.a .b`` -> ("a", "b")): the
    only form of selector they use."""
    chains = []
    for selector in EXCLUDE_SELECTORS:
        parts = tuple(part[1:] for part in selector.split())
        assert all(p and f".{p}" in selector.split() for p in parts), selector
        chains.append(parts)
    return chains


_EXCLUDED = _excluded_classes()


@dataclass
class _Element:
    tag: str
    classes: frozenset[str]
    ignored: bool  # its text is not indexed (it or an ancestor is ignored)
    body: bool  # it is in a data-pagefind-body element
    dropped: bool  # it is in a data-pagefind-ignore="all" element
    meta_key: str | None = None  # its text is this meta value
    meta_start: int = 0
    heading: dict[str, Any] | None = None  # its anchor (a heading's text is its own)


class _PageReader(HTMLParser):
    """The words Pagefind indexes on a page: those inside ``data-pagefind-body``
    elements, less ``data-pagefind-ignore`` elements, EXCLUDE_SELECTORS and the tags
    Pagefind skips; a ``data-pagefind-index-attrs`` attribute's value is indexed as
    ``value.`` even on an ignored element, as Pagefind does."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[_Element] = []
        self.has_body = False
        self.words: list[str] = []
        self.run: list[str] = []  # text not yet split into words: the block goes on
        self.meta: dict[str, str] = {}
        self.anchors: list[dict[str, Any]] = []
        self.title = ""
        self._in_title_h1 = False
        self._seen_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        parent = self.stack[-1] if self.stack else None
        classes = frozenset(values.get("class", "").split())
        # data-pagefind-ignore="all" leaves out everything within, bodies too.
        dropped = (parent is not None and parent.dropped) or (
            values.get("data-pagefind-ignore") == "all"
        )
        body = not dropped and (
            (parent is not None and parent.body) or "data-pagefind-body" in values
        )
        self.has_body = self.has_body or body
        if tag in _BLOCK_TAGS:
            self._end_run()
        inherited = parent is not None and parent.body and parent.ignored
        ignored = (
            not body
            or inherited
            or "data-pagefind-ignore" in values
            or tag in _SKIPPED_TAGS
            or self._excluded(classes)
        )
        if body:
            self._meta_attributes(values)
        if body and values.get("data-pagefind-index-attrs"):
            self._end_run()
            for name in values["data-pagefind-index-attrs"].split(","):
                if values.get(name.strip()):
                    self.words.append(values[name.strip()] + ".")
        element = _Element(tag, classes, ignored, body, dropped)
        key = _meta_key(values.get("data-pagefind-meta", ""))
        if body and key is not None:
            element.meta_key = key
            element.meta_start = len(self.words)
        if body and not ignored and values.get("id") and (tag in _HEADINGS or tag == "figure"):
            element.heading = {"element": tag, "id": values["id"], "text": "", "location": 0}
            element.heading["location"] = len(self.words)
            self.anchors.append(element.heading)
        if tag == "h1" and not self._seen_h1:
            self._seen_h1 = True
            self._in_title_h1 = True
        if tag in _VOID_TAGS:
            return
        self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID_TAGS and self.stack and self.stack[-1].tag == tag:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if not any(element.tag == tag for element in self.stack):
            return  # a stray end tag
        while self.stack:
            element = self.stack.pop()
            if element.tag in _BLOCK_TAGS:
                self._end_run()
            if element.meta_key is not None:
                self.meta[element.meta_key] = " ".join(self.words[element.meta_start :])
            if element.heading is not None and element.tag in _HEADINGS:
                element.heading["text"] = " ".join(self.words[element.heading["location"] :])
            if element.tag == "h1" and self._in_title_h1:
                self._in_title_h1 = False
            if element.tag == tag:
                return

    def handle_data(self, data: str) -> None:
        if self._in_title_h1:
            self.title += data
        element = self.stack[-1] if self.stack else None
        if element is None or element.ignored:
            return
        self.run.append(data)

    def close(self) -> None:
        super().close()
        self._end_run()

    def _end_run(self) -> None:
        if self.run:
            self.words.extend("".join(self.run).split())
            self.run = []

    def _meta_attributes(self, values: dict[str, str]) -> None:
        """``data-pagefind-meta="key[attribute]"``: the meta value from an attribute."""
        for item in values.get("data-pagefind-meta", "").split(","):
            key, _, rest = item.strip().partition("[")
            if rest.endswith("]") and values.get(rest[:-1]) is not None:
                self.meta[key.strip()] = values[rest[:-1]]

    def _excluded(self, classes: frozenset[str]) -> bool:
        for chain in _EXCLUDED:
            if chain[-1] not in classes:
                continue
            wanted = list(chain[:-1])
            for element in reversed(self.stack):
                if wanted and wanted[-1] in element.classes:
                    wanted.pop()
            if not wanted:
                return True
        return False


def _meta_key(value: str) -> str | None:
    """The key of a ``data-pagefind-meta`` taken from the element's text (no
    ``[attribute]``, no ``key:value``), else None."""
    key = value.strip()
    if not key or "[" in key or ":" in key or "," in key:
        return None
    return key
