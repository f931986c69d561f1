"""Site search: the search box in Material's header, on a Pagefind index of the site.

Material's own search plugin writes one lunr index of every page
(``search/search_index.json``) that each page fetches and builds in a web worker on its
first view: 0.7 MB and a second of work for the OpenAI Model Spec, tens of MB and tens of
seconds at thousands of sections. Pagefind splits its index into chunks the browser
fetches only for the words searched, and ``assets/specgen-search.js`` loads it only when
the search box is first opened or typed into.

What is indexed is said by ``data-pagefind-*`` attributes in specgen's templates
(``theme/specgen/``): each section, example, eval prompt set and the home page's
introduction once, on its own page; the one-page view, the examples index and the other
aggregate pages not at all; badges, role labels, verdicts and ``¶`` permalinks never.

The plugin calls :func:`set_up` from ``on_config`` and :func:`write_index` at the end of
``on_post_build``. Material's search plugin, when a project's mkdocs.yml still lists
``search``, is switched off (no lunr index is built); listed as ``search: {enabled:
false}`` it turns the site's search off altogether.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from specgen.printable import escape_controls
from specgen.site.output_folder import UnsafeOutput, inside

# Material's header shows its search box (partials/search.html, which specgen's theme
# replaces) when the plugins hold an enabled one under this name.
MATERIAL_SEARCH = "material/search"
# The index lives in the site's own reserved folder (a section called "search" is
# published at /search_/), where Material's search wrote its index.
SEARCH_DIR = "search"
# A large site is indexed in shards of at most this much HTML (see write_index); the
# shards' pages are linked into a folder of the site while Pagefind reads them.
SHARD_BYTES = 150 * 1024 * 1024
SHARDS_FILE = "specgen-shards.json"
VIEWS_DIR = ".specgen-search-shards"
ASSETS_CSS = "assets/specgen-search.css"
ASSETS_JS = "assets/specgen-search.js"
# Markup the templates cannot mark themselves: permalinks of headings in Markdown, and
# a section's citations of eval prompt sets (a superscript id glued to the word before).
EXCLUDE_SELECTORS = (".headerlink", ".sg-section .sg-eval-ref")
# What Pagefind writes that the site does not use: its own UIs and the highlighter.
UNUSED = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-highlight.js",
)
TIMEOUT_SECONDS = 3600
FAILED = "specgen: the search index could not be built"


class SearchBoxConfig(base.Config):  # type: ignore[no-untyped-call]
    enabled = c.Type(bool, default=True)


class SearchBox(BasePlugin[SearchBoxConfig]):  # type: ignore[no-untyped-call]
    """Stands in the plugins for Material's search plugin: Material's header then shows
    the search box, and no lunr index is built. It has no events."""


def set_up(config: MkDocsConfig, searchable: bool = True) -> bool:
    """From the plugin's ``on_config``: put the search box in the header and its script
    and styles on every page, unless mkdocs.yml turned search off or there is nothing
    to search (``searchable``: the spec has a section, which is always indexed; Pagefind
    refuses to write an empty index). Returns whether the site has search."""
    listed = config.plugins.get(MATERIAL_SEARCH)
    if isinstance(listed, SearchBox):
        return bool(listed.config.enabled)
    if listed is not None:
        wanted = bool(listed.config.get("enabled", True))
        # Material's plugin checks this in every one of its events: no lunr index.
        listed.config["enabled"] = False
        if not wanted:
            return False
    if not searchable:
        return False
    box = SearchBox()
    box.load_config({})
    config.plugins[MATERIAL_SEARCH] = box
    if ASSETS_CSS not in config.extra_css:
        config.extra_css.append(ASSETS_CSS)
    if ASSETS_JS not in config.extra_javascript:
        config.extra_javascript.append(ASSETS_JS)
    return True


def has_search(config: MkDocsConfig) -> bool:
    box = config.plugins.get(MATERIAL_SEARCH)
    return isinstance(box, SearchBox) and bool(box.config.enabled)


def write_index(config: MkDocsConfig) -> None:
    """From the end of the plugin's ``on_post_build``: index the pages written in
    ``config.site_dir`` into its ``search/`` folder. Nothing is written elsewhere.

    Pagefind holds what it indexes in memory, about three times the pages' HTML (2.1 GB
    for the 19,000 pages of an 8,000-section spec), so a large site is indexed in shards
    of at most ``SHARD_BYTES`` of HTML, one Pagefind run each: the first is the index at
    ``search/``, the others at ``search/more/N/``, listed in ``search/specgen-shards.json``
    for the search script to merge (Pagefind's mergeIndex)."""
    if not has_search(config):
        return
    site = Path(config.site_dir)
    try:
        out = inside(site, SEARCH_DIR)
        views = inside(site, VIEWS_DIR)
    except UnsafeOutput as exc:  # pragma: no cover - constants
        raise PluginError(f"{FAILED}: {exc}") from exc
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise PluginError(escape_controls(f"{FAILED}: {out} is not a folder of the site"))
    shards = _shards(_pages(site), SHARD_BYTES)
    if len(shards) <= 1:
        _index(site, out)
        merged: list[str] = []
    else:
        merged = []
        try:
            for number, shard in enumerate(shards):
                view = views / str(number)
                _link_view(site, view, shard)
                bundle = out if number == 0 else out / "more" / str(number)
                _index(view, bundle)
                shutil.rmtree(view)
                if number:
                    merged.append(f"more/{number}/")
        finally:
            shutil.rmtree(views, ignore_errors=True)
    (out / SHARDS_FILE).write_text(json.dumps(merged), "utf-8")


def _pages(site: Path) -> list[tuple[str, int]]:
    """Every HTML file of the site but the search index's own, with its size."""
    found = []
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        if relative.split("/", 1)[0] in (SEARCH_DIR, VIEWS_DIR) or path.is_symlink():
            continue
        found.append((relative, path.stat().st_size))
    return found


def _shards(pages: list[tuple[str, int]], limit: int) -> list[list[str]]:
    shards: list[list[str]] = [[]]
    size = 0
    for relative, bytes_ in pages:
        if shards[-1] and size + bytes_ > limit:
            shards.append([])
            size = 0
        shards[-1].append(relative)
        size += bytes_
    return shards


def _link_view(site: Path, view: Path, pages: list[str]) -> None:
    """The shard's pages at their own paths under ``view`` (inside the site, removed
    after): hard links, or copies where the disk has none."""
    for relative in pages:
        target = inside(view, *relative.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(site / relative, target)
        except OSError:
            shutil.copyfile(site / relative, target)


def _index(root: Path, bundle: Path) -> None:
    """One Pagefind run: the pages under ``root`` into ``bundle``."""
    command = [
        str(_pagefind()),
        "--site",
        str(root.resolve()),
        "--output-path",
        str(bundle.resolve()),
        "--silent",
    ]
    for selector in EXCLUDE_SELECTORS:
        command += ["--exclude-selectors", selector]
    try:
        with tempfile.TemporaryDirectory(prefix="specgen-pagefind-") as empty:
            done = _run(command, Path(empty))
    except subprocess.TimeoutExpired as exc:
        raise PluginError(f"{FAILED}: Pagefind ran over {TIMEOUT_SECONDS} s") from exc
    except OSError as exc:
        raise PluginError(escape_controls(f"{FAILED}: Pagefind did not run: {exc}")) from exc
    if done.returncode != 0 or not (bundle / "pagefind.js").is_file():
        said = [line.strip() for line in (done.stderr + done.stdout).splitlines() if line.strip()]
        why = said[-1] if said else "no message"
        raise PluginError(
            escape_controls(f"{FAILED}: Pagefind exited with status {done.returncode}: {why}")
        )
    for name in UNUSED:
        (bundle / name).unlink(missing_ok=True)


def _pagefind() -> Path:
    """The Pagefind binary that the ``pagefind`` package finds: $PAGEFIND_BINARY_PATH,
    else ``pagefind[extended]``'s, else ``pagefind[bin]``'s, else one on PATH."""
    found: Path | None = None
    try:
        from pagefind.service import get_executable
    except ImportError:  # pragma: no cover - a dependency of specgen
        pass
    else:
        found = get_executable()
    if found is None:
        on_path = shutil.which("pagefind_extended") or shutil.which("pagefind")
        found = Path(on_path) if on_path else None
    if found is None:
        raise PluginError(
            f"{FAILED}: Pagefind is not installed (pip install 'pagefind[bin]', "
            "which specgen depends on)"
        )
    return found


class _Runs:
    """The Pagefind processes running now: serve indexes in a thread of its own, and a
    run still going when serve stops must end with it, not outlive it."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.running: set[subprocess.Popen[str]] = set()
        self.ended = False  # the process is ending: no new run


_runs = _Runs()


def end_pagefind_runs(grace_seconds: float = 2.0) -> None:
    """Ends every Pagefind run in progress (SIGTERM, then SIGKILL after
    ``grace_seconds``) and refuses new ones: for a process about to end (serve
    stopping), whose other threads would otherwise leave Pagefind running."""
    with _runs.lock:
        _runs.ended = True
        running = list(_runs.running)
    for process in running:
        process.terminate()
    for process in running:
        try:
            process.wait(timeout=grace_seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Pagefind reads settings from PAGEFIND_* variables and from a pagefind.yml (or
    .toml, .json) in its working directory: it runs in an empty folder without them, so
    nothing but the arguments says what it reads and where it writes."""
    with _runs.lock:  # registered as it starts: end_pagefind_runs misses none
        if _runs.ended:
            raise OSError("the process is ending")
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env={k: v for k, v in os.environ.items() if not k.upper().startswith("PAGEFIND_")},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
        )
        _runs.running.add(process)
    try:
        with process:
            try:
                stdout, stderr = process.communicate(timeout=TIMEOUT_SECONDS)
            except BaseException:  # the timeout, or Ctrl-C or SIGTERM in this thread
                process.kill()
                process.wait()
                raise
    finally:
        with _runs.lock:
            _runs.running.discard(process)
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
