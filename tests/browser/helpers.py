"""Helpers of the browser tests: finding chromium, building sites, watching pages."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.cli_helpers import run_cli

REPO = Path(__file__).resolve().parents[2]
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Hermetic: no host name resolves, so a request that tries to leave the site fails
    # at once instead of waiting on DNS (page.on("request") still sees it).
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
VIEWPORT = {"width": 1280, "height": 800}  # wide enough for Material's header search

# Evaluated on each page after load: what a payload that got through would leave (an
# element or attribute it added, a dangerous URL, a call of alert/confirm/prompt counted
# by ONE_DIALOG).
FIND_TRACES = r"""() => {
  const traces = [];
  const tag = (el) => el.cloneNode(false).outerHTML.slice(0, 300);
  if (window.__xss !== undefined) traces.push("window.__xss = " + window.__xss);
  if (window.__xssDialogs) traces.push(window.__xssDialogs + " calls of alert/confirm/prompt");
  for (const el of document.querySelectorAll("[data-xss],[id^=xss-canary]")) {
    traces.push("element " + tag(el));
  }
  const dangerous = /^(javascript|vbscript|data):/i;
  const image = /^data:image\/(gif|png|jpeg|webp);/i;
  const urlAttrs = ["href", "xlink:href", "src", "action", "formaction", "data", "srcdoc"];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      if (/^on/i.test(attr.name)) {
        traces.push("event attribute " + attr.name + " on " + tag(el));
      } else if (urlAttrs.includes(attr.name.toLowerCase())) {
        const url = attr.value.replace(/[\u0000-\u0020]/g, "");
        if (attr.name === "srcdoc" || (dangerous.test(url) && !image.test(url))) {
          traces.push("dangerous " + attr.name + " on " + tag(el));
        }
      }
    }
  }
  for (const el of document.querySelectorAll("script")) {
    if ((el.textContent || "").includes("__xss") || /^data:/i.test(el.getAttribute("src") || "")) {
      traces.push("script " + el.outerHTML.slice(0, 300));
    }
  }
  return traces;
}"""

# Only a page's first dialog opens: a site where every page runs hundreds of payloads
# must fail in seconds, not minutes. Later calls are counted in window.__xssDialogs.
ONE_DIALOG = """(() => {
  for (const name of ["alert", "confirm", "prompt"]) {
    const real = window[name];
    window[name] = function (...args) {
      window.__xssDialogs = (window.__xssDialogs || 0) + 1;
      if (window.__xssDialogs === 1) return real.apply(window, args);
      return null;
    };
  }
})();"""


def find_chromium() -> str | None:
    for candidate in CHROMIUM_CANDIDATES:
        found = candidate if "/" in candidate else shutil.which(candidate)
        if found and os.path.isfile(found) and os.access(found, os.X_OK):
            return found
    return None


def build_site(project: Path, out: Path, *args: str) -> Path:
    """``specgen build ARGS -d OUT`` run in ``project``; returns OUT."""
    code, output = run_cli("build", *args, "-d", str(out), cwd=project)
    assert code == 0, f"specgen build {' '.join(args)} failed ({code}):\n{output}"
    assert (out / "index.html").is_file(), output
    return out


def html_pages(site: Path) -> list[str]:
    """URL paths, relative to the site root, of every HTML page of a built site."""
    paths = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        paths.append(rel.removesuffix("index.html"))
    return paths


@dataclass
class PageLog:
    """What a page did: dialogs opened, console messages, uncaught errors, requests."""

    dialogs: list[str] = field(default_factory=list)
    console: list[tuple[str, str]] = field(default_factory=list)  # (type, text)
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def clear(self) -> None:
        self.dialogs.clear()
        self.console.clear()
        self.errors.clear()
        self.requests.clear()


def watch(page: Any) -> PageLog:
    """Record everything ``page`` does; dialogs are recorded, then dismissed."""
    log = PageLog()

    def on_dialog(dialog: Any) -> None:
        log.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("console", lambda msg: log.console.append((msg.type, msg.text)))
    page.on("pageerror", lambda exc: log.errors.append(str(exc)))
    page.on("request", lambda request: log.requests.append(request.url))
    return log


def new_context(browser: Any, **options: Any) -> Any:
    options.setdefault("viewport", VIEWPORT)
    options.setdefault("color_scheme", "light")
    return browser.new_context(**options)


def settle(page: Any) -> None:
    """Give what a page does right after load (autofocus, ontoggle, timers) its turn: a
    frame, then a short timer."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 20)))")
