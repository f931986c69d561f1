"""What `specgen serve` answers over HTTP: the built site, with a panel of the spec's
lint findings and build errors over every page, and the reload signal.

Each HTML page is sent with a small script (``/__specgen__/serve.js``) that waits on
``/__specgen__/wait`` for its own page's token or the findings to change: a rewritten
page reloads, new findings replace the panel without a reload. The panel is also in the
page as sent, so an error is seen without script too.
"""

from __future__ import annotations

import contextlib
import json
import mimetypes
import posixpath
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from markupsafe import Markup

from specgen.diagnostics import Diagnostic, Severity
from specgen.lint.registry import RULES
from specgen.render.templates import render_template

PREFIX = "/__specgen__/"
WAIT_SECONDS = 25.0  # a long poll answers at the latest after this (proxies, sleep)
_ASSETS = ("serve.js", "serve.css")  # theme/serve/, which builds leave out of the site
_LOOPBACK = ("127.0.0.1", "localhost", "[::1]", "::1")


@dataclass(frozen=True)
class Finding:
    """One lint finding as the panel shows it."""

    diagnostic: Diagnostic
    source_line: str | None  # the line it points into, when the text is at hand

    @property
    def severity(self) -> str:
        return self.diagnostic.severity.label

    @property
    def rule(self) -> str:
        rule = RULES.get(self.diagnostic.code)
        return rule.name if rule else ""


@dataclass
class ServeState:
    """What the server shows; changed by the rebuild thread, read by request threads.

    ``epoch`` counts full builds (every page is new); ``page_tokens`` count the rewrites
    of single pages since; ``status`` counts changes of the findings or the failure."""

    site_dir: Callable[[], Path | None]
    epoch: int = 0
    status: int = 0
    findings: tuple[Finding, ...] = ()
    failure: str | None = None  # the last build's error, while it lasts
    page_tokens: dict[str, int] = field(default_factory=dict)
    changed: threading.Condition = field(default_factory=threading.Condition)

    def token(self, page: str) -> str:
        return f"{self.epoch}.{self.page_tokens.get(page, 0)}"

    def pages_rewritten(self, pages: tuple[str, ...], full: bool) -> None:
        """The reload signal: the pages (site URLs) waiting browsers show are new."""
        with self.changed:
            if full:
                self.epoch += 1
                self.page_tokens.clear()
            for page in pages:
                self.page_tokens[page] = self.page_tokens.get(page, 0) + 1
            self.changed.notify_all()

    def reload(self, pages: tuple[str, ...]) -> None:
        """The pages an edit rewrote are ready: browsers showing them reload now."""
        self.pages_rewritten(pages, full=False)

    def report(self, findings: tuple[Finding, ...], failure: str | None) -> None:
        with self.changed:
            if (findings, failure) != (self.findings, self.failure):
                self.findings, self.failure = findings, failure
                self.status += 1
                self.changed.notify_all()

    def wait(self, page: str, token: str, status: int, timeout: float) -> dict[str, object]:
        """Blocks until the page's token or the status differs from the browser's."""
        with self.changed:
            self.changed.wait_for(
                lambda: self.token(page) != token or self.status != status, timeout
            )
            return {"token": self.token(page), "status": self.status}


def findings_of(diagnostics: list[Diagnostic], texts: dict[str, str]) -> tuple[Finding, ...]:
    lines: dict[str, list[str]] = {}

    def line(diag: Diagnostic) -> str | None:
        text = texts.get(diag.loc.path)
        if text is None:
            return None
        split = lines.setdefault(diag.loc.path, text.splitlines())
        index = diag.loc.line - 1
        return split[index] if 0 <= index < len(split) else None

    ordered = sorted(diagnostics, key=lambda d: (-d.severity, *d.sort_key()))
    return tuple(Finding(d, line(d)) for d in ordered)


def panel_html(state: ServeState) -> str:
    findings = state.findings
    errors = sum(1 for f in findings if f.diagnostic.severity is Severity.ERROR)
    return render_template(
        "specgen/serve_panel.html",
        findings=findings,
        failure=state.failure,
        errors=errors,
        others=len(findings) - errors,
        rules_url=f"{PREFIX}rules/",
    )


def inject(html: str, state: ServeState, page: str) -> str:
    """The page with the serve stylesheet, the panel and the reload script."""
    head = f'<link rel="stylesheet" href="{PREFIX}serve.css">'
    tail = render_template(
        "specgen/serve_inject.html",
        panel=Markup(panel_html(state)),
        script=f"{PREFIX}serve.js",
        page=page,
        token=state.token(page),
        status=state.status,
    )
    at_head = html.find("</head>")
    if at_head >= 0:
        html = html[:at_head] + head + html[at_head:]
    at_body = html.rfind("</body>")
    if at_body < 0:
        return html + tail
    return html[:at_body] + tail + html[at_body:]


def page_of(path: str) -> str:
    """The site URL (as MkDocs names pages: "" home, "be_concise/") a request shows."""
    page = path.lstrip("/")
    if page.endswith("index.html"):
        page = page[: -len("index.html")]
    return page


class Handler(BaseHTTPRequestHandler):
    """Serves ``state``'s site, the panel, the rules and the reload signal."""

    state: ServeState  # set on the subclass made for each server
    server_version = "specgen"

    def log_message(self, format: str, *args: object) -> None:
        pass  # requests are not news; rebuilds are (serve.py prints them)

    def do_GET(self) -> None:
        if not self._host_allowed():
            self._send(HTTPStatus.MISDIRECTED_REQUEST, b"unknown Host\n", "text/plain")
            return
        url = urlsplit(self.path)
        path = unquote(url.path)
        if path.startswith(PREFIX):
            self._own(path[len(PREFIX) :], parse_qs(url.query))
            return
        self._site(path)

    def _host_allowed(self) -> bool:
        """A page elsewhere must not read the site through a DNS name it points at us
        (DNS rebinding): on loopback, only loopback names are answered."""
        address: tuple[object, ...] = tuple(self.server.server_address)  # type: ignore[arg-type]
        bound = str(address[0])
        if not (bound.startswith("127.") or bound == "::1"):
            return True  # served to the network on purpose (-a 0.0.0.0:8000)
        host = (self.headers.get("Host") or "").strip().lower()
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        return name in _LOOPBACK

    def _own(self, name: str, query: dict[str, list[str]]) -> None:
        if name == "wait":
            page = query.get("page", [""])[0]
            token = query.get("token", [""])[0]
            given = query.get("status", ["0"])[0]
            status = int(given) if given.isdigit() else -1  # not ours: answered at once
            answer = self.state.wait(page, token, status, WAIT_SECONDS)
            self._send(HTTPStatus.OK, json.dumps(answer).encode(), "application/json")
        elif name == "panel":
            self._send(HTTPStatus.OK, panel_html(self.state).encode(), "text/html")
        elif name in ("rules", "rules/"):
            rules = sorted(RULES.values(), key=lambda rule: rule.code)
            page = render_template(
                "specgen/serve_rules.html", rules=rules, css=f"{PREFIX}serve.css"
            )
            self._send(HTTPStatus.OK, page.encode(), "text/html")
        elif name in _ASSETS:
            asset = resources.files("specgen.theme").joinpath("serve", name)
            kind = "text/css" if name.endswith(".css") else "text/javascript"
            self._send(HTTPStatus.OK, asset.read_bytes(), kind)
        else:
            self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain")

    def _site(self, path: str) -> None:
        root = self.state.site_dir()
        if root is None:  # the first build failed: say why, and wait for a fix
            page = render_template(
                "specgen/serve_no_site.html",
                panel=Markup(panel_html(self.state)),
                css=f"{PREFIX}serve.css",
                script=f"{PREFIX}serve.js",
                token=self.state.token(""),
                status=self.state.status,
            )
            self._send(HTTPStatus.SERVICE_UNAVAILABLE, page.encode(), "text/html")
            return
        file = _file_in(root, path)
        if file is None and not path.endswith("/") and _file_in(root, path + "/") is not None:
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", path + "/")
            self.end_headers()
            return
        status = HTTPStatus.OK
        if file is None:
            status, file = HTTPStatus.NOT_FOUND, _file_in(root, "/404.html")
            if file is None:
                self._send(status, b"not found\n", "text/plain")
                return
        try:
            body = file.read_bytes()
        except OSError:  # rewritten or removed between the check and the read
            self._send(HTTPStatus.SERVICE_UNAVAILABLE, b"rebuilding, reload\n", "text/plain")
            return
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if kind == "text/html":
            page = page_of(path) if status is HTTPStatus.OK else "404.html"
            body = inject(body.decode("utf-8", "replace"), self.state, page).encode()
        self._send(status, body, kind)

    def _send(self, status: HTTPStatus, body: bytes, kind: str) -> None:
        self.send_response(status)
        charset = "; charset=utf-8" if kind.startswith("text/") or kind.endswith("json") else ""
        self.send_header("Content-Type", kind + charset)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")  # a rebuilt page must be fetched anew
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)  # unless the browser left (a reload during a long poll)


def _file_in(root: Path, path: str) -> Path | None:
    """The file of the site a URL path names, never one outside the site."""
    clean = posixpath.normpath("/" + path).lstrip("/")
    if clean in ("", "."):
        clean = ""
    if "\x00" in clean or clean.startswith(".."):
        return None
    target = root / clean if clean else root
    if path.endswith("/") or not clean:
        target = target / "index.html"
    try:
        resolved = target.resolve()
        resolved.relative_to(root.resolve())
    except (OSError, ValueError):
        return None
    return resolved if resolved.is_file() else None
