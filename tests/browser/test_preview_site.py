"""A pull request's preview site (`specgen build --diff-base main --repo-url ...`) in a
browser: the home page's note leads to the diff page, whose source links lead to the
pull request's commit on the forge (answered by the test, never fetched), and whose
back link leads home; the note and the back link pass axe."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.helpers import build_site, new_context, settle, watch
from tests.cli_helpers import new_project
from tests.git_helpers import git

REPO_URL = "https://github.com/acme/assistant-spec"
CHANGED = "spec/30-be-concise.md"


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The preview site of a branch that adds a sentence to be_concise, and the
    branch's commit."""
    repo = new_project(tmp_path_factory.mktemp("preview"))
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "spec")
    git(repo, "checkout", "-q", "-b", "change")
    section = repo / CHANGED
    section.write_text(section.read_text("utf-8") + "\nKeep lists to five items.\n", "utf-8")
    git(repo, "commit", "-q", "-am", "add a sentence")
    site = build_site(repo, repo / "preview", "--diff-base", "main", "--repo-url", REPO_URL)
    return site, git(repo, "rev-parse", "HEAD").strip()


@pytest.fixture
def home(browser: Any, preview: tuple[Path, str], serve: Any) -> Iterator[Any]:
    context = new_context(browser)
    tab = context.new_page()
    tab.goto(serve(preview[0]), wait_until="load")
    settle(tab)
    yield tab
    context.close()


def test_home_to_the_diff_to_the_source_line_and_back(home: Any, preview: tuple[Path, str]) -> None:
    root = home.url
    log = watch(home)
    note = home.get_by_role("note").filter(has_text="This site is a preview")
    assert note.is_visible()
    with home.expect_navigation():
        note.get_by_role("link", name="what changed since main").click()
    assert home.url == root + "diff/"
    assert home.locator("ins", has_text="five items").first.is_visible()
    assert all(url.startswith(root) for url in log.requests), log.requests  # self-contained

    landed: list[str] = []

    def forge(route: Any) -> None:  # the forge is not fetched: the test answers for it
        landed.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<title>forge</title>")

    at_commit = f"{REPO_URL}/blob/{preview[1]}/{CHANGED}#L"
    source = home.locator(f'a[href^="{at_commit}"]').first
    href = source.get_attribute("href")
    home.route("https://github.com/**", forge)
    with home.expect_navigation():
        source.click()
    assert home.url == href and landed == [href.split("#")[0]]

    home.go_back(wait_until="load")
    with home.expect_navigation():
        home.get_by_role("link", name="Back to the preview site").click()
    assert home.url == root


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_note_and_the_back_link_pass_axe(
    browser: Any, preview: tuple[Path, str], serve: Any, scheme: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

    context = new_context(browser, color_scheme=scheme)
    try:
        tab = context.new_page()
        root = serve(preview[0])
        results = []
        for url, part in ((root, ".sg-preview-note"), (root + "diff/", ".sg-preview-back")):
            tab.goto(url, wait_until="load")
            results.append(Axe().run(tab, context={"include": [[part]]}))
    finally:
        context.close()
    serious = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])})"
        for result in results
        for v in result.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious
