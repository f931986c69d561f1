"""`specgen serve` in Chromium: a save shows up in the open page by itself; a lint error
is shown over the page with its place and a link to its rule; fixing it removes it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.browser.helpers import new_context, watch
from tests.cli_helpers import new_project
from tests.serve_helpers import served

WAIT_MS = 60_000


def test_edit_error_and_fix_seen_in_the_open_page(browser: Any, tmp_path: Path) -> None:
    project = new_project(tmp_path)
    section = project / "spec" / "30-be-concise.md"
    text = section.read_text("utf-8")
    with served(project) as spec:
        spec.wait_line("Serving on")
        context = new_context(browser)
        page = context.new_page()
        log = watch(page)
        page.goto(spec.url + "be_concise/")
        page.get_by_role("heading", name="Be concise by default").wait_for()
        assert page.locator(".sg-serve-panel").count() == 0  # a clean spec: no panel

        # An edit: the open page reloads by itself and shows the new text.
        section.write_text(text + "\nA sentence written while the page was open.\n", "utf-8")
        page.get_by_text("A sentence written while the page was open.").wait_for(timeout=WAIT_MS)

        # A lint error: shown over the page, with its place, code and rule link.
        section.write_text(text.replace("authority: user", "authority: bogus", 1), "utf-8")
        panel = page.locator(".sg-serve-panel")
        panel.wait_for(timeout=WAIT_MS)
        where = panel.locator(".sg-serve-where").first.inner_text()
        assert where == "spec/30-be-concise.md:4:12"
        code = panel.locator("a.sg-serve-code").first
        assert code.inner_text() == "SG204"
        assert "bogus" in panel.inner_text()
        assert page.get_by_role("heading", name="Be concise by default").is_visible()
        rules = context.new_page()
        rules.goto(spec.url + code.get_attribute("href").lstrip("/"))
        assert rules.locator("#SG204").is_visible()
        rules.close()

        # Fixed: the panel goes away, without touching the browser.
        section.write_text(text, "utf-8")
        panel.wait_for(state="detached", timeout=WAIT_MS)
        assert not log.errors, log.errors
        context.close()
