"""`specgen serve`: builds the site into a scratch folder, serves it on loopback, and
on every save rebuilds what changed (specgen.site.incremental), reloads the pages that
were rewritten and shows the spec's lint findings and build errors in the browser.

It starts on any spec, lint errors or not, and keeps serving through every error: a
failed rebuild leaves the last good site up, with the error over it.
"""

from __future__ import annotations

import queue
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

from specgen.diagnostics import Severity
from specgen.lint.runner import LintReport
from specgen.printable import escape_controls
from specgen.site import search_index
from specgen.site.build import BuildError
from specgen.site.incremental import IncrementalSite, Rebuild
from specgen.site.output_folder import MARKER, terminated_cleanly
from specgen.site.serve_pages import Handler, ServeState, findings_of

SETTLE_SECONDS = 0.02  # an editor's save is several events (write, rename): take them together
SEARCH_DELAY_SECONDS = 0.3  # quiet time after a rebuild before the search index is rewritten
STOP_SECONDS = 10.0  # at most this long, on stopping, for the search refresh to wind up
# Folders of tools, never of the spec (hidden ones are skipped too).
_SKIPPED = frozenset({"__pycache__", "node_modules"})


@dataclass(frozen=True)
class Address:
    host: str
    port: int

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"


def serve(
    config_file: Path | None,
    address: Address,
    say: Callable[[str], None],
    spec: Path | None = None,
) -> None:
    """Serves the project of ``config_file`` (or, without one, ``spec`` in specgen's
    default look) until interrupted: Ctrl-C, or SIGTERM; both remove the scratch site."""
    with tempfile.TemporaryDirectory(prefix="specgen-serve-") as workdir, terminated_cleanly():
        scratch = Path(workdir)
        if config_file is None:
            assert spec is not None
            config_file, watched, shown = _default_project(spec, scratch / "project")
        else:
            config_file = config_file.resolve()
            watched, shown, spec = config_file.parent, _shown(config_file), None
        (scratch / "sites").mkdir()
        site = IncrementalSite(config_file, scratch / "sites", spec)
        built = threading.Event()  # set once there is a site to show
        state = ServeState(site_dir=lambda: site.site_dir if built.is_set() else None)
        server = _server(address, state)  # bound now: a port in use is said before building
        changes: queue.Queue[Path] = queue.Queue()
        observer = _watch(watched, changes)  # a save during the first build counts too
        serving = threading.Thread(target=server.serve_forever, daemon=True)
        search = _SearchRefresh(site, say)
        try:
            say(escape_controls(f"Building the site of {shown} ..."))
            _first_build(site, state, built, say)
            serving.start()
            say(escape_controls(f"Serving on {address.url} (Ctrl-C to stop)"))
            _rebuild_loop(site, state, built, changes, search, say)
        except KeyboardInterrupt:
            say("Stopped.")
        finally:
            search.stop()  # before the scratch folder, which Pagefind writes in, goes
            observer.stop()
            if serving.is_alive():
                server.shutdown()  # waits for serve_forever: only once it runs
            server.server_close()


def _default_project(spec: Path, folder: Path) -> tuple[Path, Path, str]:
    """A spec with no project of its own (an OpenAI model_spec.md, a bare folder), as
    `specgen build SPEC` builds it: specgen's default mkdocs.yml, written into the
    scratch folder. Watched: the spec's folder (an OpenAI file's eval prompts are
    beside it)."""
    from specgen.site.build import default_config
    from specgen.sources.loading import load_spec

    spec = spec.resolve()
    folder.mkdir()
    loaded, _ = load_spec(spec)
    watched = spec if spec.is_dir() else spec.parent
    return default_config(loaded, folder), watched, _shown(spec)


class ServeError(Exception):
    """The address cannot be served on (a port in use, a host not of this machine)."""


def _server(address: Address, state: ServeState) -> ThreadingHTTPServer:
    handler = type("SpecHandler", (Handler,), {"state": state})
    server_class = type(
        "SpecServer",
        (ThreadingHTTPServer,),
        {
            "address_family": socket.AF_INET6 if ":" in address.host else socket.AF_INET,
            "daemon_threads": True,  # a waiting long poll must not hold Ctrl-C
        },
    )
    try:
        server: ThreadingHTTPServer = server_class((address.host, address.port), handler)
        return server
    except OSError as exc:
        raise ServeError(f"cannot serve on {address.url}: {exc.strerror or exc}") from exc


def _first_build(
    site: IncrementalSite, state: ServeState, built: threading.Event, say: Callable[[str], None]
) -> None:
    try:
        result = site.build()
    except BuildError as exc:
        _failed(state, exc, say, first=True)
        return
    built.set()
    _done(result, state, say)


def _rebuild_loop(
    site: IncrementalSite,
    state: ServeState,
    built: threading.Event,
    changes: queue.Queue[Path],
    search: _SearchRefresh,
    say: Callable[[str], None],
) -> None:
    while True:
        changed = _next_batch(changes)
        try:
            with search.paused:
                result = site.update(changed, state.reload) if built.is_set() else site.build()
        except BuildError as exc:
            _failed(state, exc, say, first=not built.is_set())
            continue
        except Exception as exc:  # a bug of ours must not stop the server: said, and kept serving
            error = BuildError(f"internal error: {type(exc).__name__}: {exc}")
            _failed(state, error, say, first=not built.is_set())
            continue
        built.set()
        state.pages_rewritten(result.pages, full=result.full)
        _done(result, state, say)
        search.request()


class _SearchRefresh:
    """Rewrites the search index after rebuilds, in a thread of its own, once saves
    pause: the reload is not held up by it (Pagefind takes a second or more). It reads
    every page, so a rebuild waits while it runs rather than change pages under it."""

    def __init__(self, site: IncrementalSite, say: Callable[[str], None]) -> None:
        self.site = site
        self.say = say
        self.paused = threading.Lock()  # held by a rebuild, and by the index's writing
        self.wanted = threading.Event()
        self.stopping = threading.Event()
        threading.Thread(target=self._run, daemon=True).start()

    def request(self) -> None:
        self.wanted.set()

    def stop(self) -> None:
        """Serve is stopping: ends a Pagefind run in progress (a daemon thread's child
        would outlive serve) and waits for the refresh to put the old index back, so
        that nothing writes in the scratch folder while it is removed."""
        self.stopping.set()
        search_index.end_pagefind_runs()
        if self.paused.acquire(timeout=STOP_SECONDS):
            self.paused.release()  # the thread sees ``stopping`` and starts no refresh

    def _run(self) -> None:
        while True:
            self.wanted.wait()
            while self.wanted.is_set():  # until the author pauses: saves come in bursts
                self.wanted.clear()
                time.sleep(SEARCH_DELAY_SECONDS)
            with self.paused:
                if self.stopping.is_set():
                    return
                start = time.perf_counter()
                try:
                    self.site.refresh_search()
                    said = f"Search index updated in {time.perf_counter() - start:.2f} s"
                except BuildError as exc:
                    said = escape_controls(f"Search index not updated: {exc}")
                if not self.stopping.is_set():  # a run ended by stop() is no news
                    self.say(said)


def _next_batch(changes: queue.Queue[Path]) -> set[Path]:
    """The paths of one save: waits for the first, then takes what follows at once."""
    batch = {changes.get()}
    deadline = time.monotonic() + SETTLE_SECONDS
    while (left := deadline - time.monotonic()) > 0:
        try:
            batch.add(changes.get(timeout=left))
        except queue.Empty:
            break
    while not changes.empty():
        batch.add(changes.get_nowait())
    return batch


def _done(result: Rebuild, state: ServeState, say: Callable[[str], None]) -> None:
    state.report(findings_of(result.report.diagnostics, result.report.texts), None)
    pages = len(result.pages)
    if result.what == "first build":
        what = "Built"
    elif result.full:
        what = f"Rebuilt the whole site ({result.what})"
    else:
        what = f"Rebuilt {result.what}"
    say(
        escape_controls(
            f"{what} in {result.seconds:.2f} s ({pages} page{'s' if pages != 1 else ''}); "
            f"{lint_summary(result.report)}"
        )
    )


def _failed(state: ServeState, exc: BuildError, say: Callable[[str], None], first: bool) -> None:
    state.report(state.findings, str(exc))
    state.pages_rewritten((), full=True)  # pages waiting reload to the error page
    still = "nothing to serve yet" if first else "still serving the last good build"
    say(escape_controls(f"Build failed: {exc} ({still}; fix it and save)"))


def lint_summary(report: LintReport) -> str:
    """ "lint: 2 errors, 1 warning (shown in the browser)", or "lint: clean"."""
    counts = {sev: 0 for sev in Severity}
    for diag in report.diagnostics:
        counts[diag.severity] += 1
    parts = [
        f"{counts[sev]} {sev.label}{'s' if counts[sev] != 1 else ''}"
        for sev in (Severity.ERROR, Severity.WARNING, Severity.INFO)
        if counts[sev]
    ]
    return f"lint: {', '.join(parts)} (shown in the browser)" if parts else "lint: clean"


class _Collect(FileSystemEventHandler):
    """Queues the paths an edit touched, not those of files nobody edits."""

    def __init__(self, root: Path, changes: queue.Queue[Path]) -> None:
        self.root = root
        self.changes = changes

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write") or (
            event.is_directory and event.event_type == "modified"
        ):
            return  # reads, and a folder's mtime moving with its files
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            text = raw.decode() if isinstance(raw, bytes) else raw
            if text and not self._skipped(Path(text)):
                self.changes.put(Path(text))

    def _skipped(self, path: Path) -> bool:
        try:
            parts = path.relative_to(self.root).parts
        except ValueError:
            return True
        if not parts:
            return True
        if any(part.startswith(".") or part in _SKIPPED for part in parts):
            return True  # .git, .venv, a build's staging folder, __pycache__...
        name = parts[-1]
        if name.startswith("#") or name.endswith(("~", ".swp", ".swx", ".tmp")) or name == "4913":
            return True  # editors' lock, swap and backup files; vim's write probe
        # A site `specgen build` wrote (site/ by default): output, not an edit.
        return len(parts) > 1 and (self.root / parts[0] / MARKER).is_file()


def _watch(root: Path, changes: queue.Queue[Path]) -> BaseObserver:
    """Watches the project (mkdocs.yml's folder: the spec, the theme overrides, the
    config); serve's own builds are in a scratch folder outside it."""
    observer = Observer()
    observer.schedule(_Collect(root, changes), str(root), recursive=True)
    observer.daemon = True
    observer.start()
    return observer


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd())) or "."
    except ValueError:
        return str(path)
