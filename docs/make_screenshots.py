"""Regenerate the README's screenshots of the published site (docs/screenshots/).

    python docs/make_screenshots.py [--out docs/screenshots]

Builds the OpenAI Model Spec 2025-12-18 (read from ../shared/corpus, never copied here)
into a temporary folder, serves it on 127.0.0.1, and takes with Debian's chromium the
home page, a policy page with examples, the examples index and search results, each in
the light and dark scheme, on a desktop (1280 x 800) and a phone (390 x 844) viewport:
16 PNG files named ``<page>-<scheme>-<device>.png``.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MODEL_SPEC = (
    REPO.parent / "shared" / "corpus" / "openai-model-spec" / "2025-12-18" / "model_spec.md"
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEVICES = {"desktop": (1280, 800), "phone": (390, 844)}
PAGES = {
    "home": "",
    "policy": "ask_clarifying_questions/",
    "examples": "examples/",
    "search": "",  # the home page with a query typed
}
QUERY = "clarifying questions"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve_folder(folder: Path) -> str:
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="specgen-shots-") as scratch:
        site = Path(scratch) / "site"
        subprocess.run(
            [str(Path(sys.executable).parent / "specgen"), "build", str(MODEL_SPEC), "--force",
             "-d", str(site)],
            check=True,
            capture_output=True,
        )  # fmt: skip
        base = serve_folder(site)
        args.out.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
            )
            for device, (width, height) in DEVICES.items():
                for scheme in ("light", "dark"):
                    context = browser.new_context(
                        viewport={"width": width, "height": height}, color_scheme=scheme
                    )
                    for name, path in PAGES.items():
                        page = context.new_page()
                        page.goto(base + path, wait_until="networkidle")
                        if name == "policy":  # its first example, where a reader scrolls to
                            page.locator(".sg-example").first.scroll_into_view_if_needed()
                            page.evaluate("() => window.scrollBy(0, -80)")
                        if name == "search":
                            if device == "phone":
                                page.locator("label[for='__search']").first.click()
                            page.locator(".md-search__input").fill(QUERY)
                            page.locator(".md-search-result__item").first.wait_for()
                            page.wait_for_timeout(500)
                        target = args.out / f"{name}-{scheme}-{device}.png"
                        page.screenshot(path=str(target))
                        print(target.relative_to(REPO))
                        page.close()
                    context.close()
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
