"""Browser tests: Python Playwright driving Debian's chromium on sites specgen built.

Session fixtures: the browser, the site of the repository's sample spec (built once),
and local static HTTP servers on 127.0.0.1 for built sites; pages are always loaded
over http from them, never from file://.

Without chromium the browser tests are skipped, except in CI (the ``CI`` environment
variable), where a missing browser is a failure.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.helpers import CHROMIUM_ARGS, REPO, build_site, find_chromium


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    executable = find_chromium()
    if executable is None:
        message = "chromium is not installed (apt-get install -y chromium; .ci/run does it)"
        if os.environ.get("CI"):
            pytest.fail(f"the browser tests cannot run in CI: {message}", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    except BaseException:
        playwright.stop()
        raise
    yield launched
    launched.close()
    playwright.stop()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def serve() -> Iterator[Callable[[Path], str]]:
    """``serve(folder)``: the base URL (ending in /) of a local HTTP server for it."""
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(folder: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of the repository's sample spec (spec/ and mkdocs.yml), built once."""
    return build_site(REPO, tmp_path_factory.mktemp("sample") / "site")


@pytest.fixture(scope="session")
def sample_url(sample_site: Path, serve: Callable[[Path], str]) -> str:
    return serve(sample_site)
