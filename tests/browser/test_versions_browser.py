"""The versioned site in a browser: Material's version selector keeps the reader on the
same policy when the other release has it, else lands on that release's home; the
outdated banner shows on an older release only, and its link leads to the same page in
latest/, or to latest's home when latest has no such page. No request leaves the site
and no script fails."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.helpers import PageLog, new_context, settle, watch
from tests.cli_helpers import new_project
from tests.versions_helpers import build_all_versions, commit_and_tag, git

OLD, NEW = "2025-10-27", "2025-12-18"
BANNER = "[data-md-component=outdated]"
BANNER_LINK = "a[data-sg-newest]"


@pytest.fixture(scope="module")
def releases_url(model_spec_releases: Path, serve: Callable[[Path], str]) -> str:
    return serve(model_spec_releases)


@pytest.fixture(scope="module")
def dropped_url(tmp_path_factory: pytest.TempPathFactory, serve: Callable[[Path], str]) -> str:
    """The scaffolded project released twice: v2.0 drops the be_concise policy."""
    project = new_project(tmp_path_factory.mktemp("dropped"))
    (project / ".gitignore").write_text("site/\n", "utf-8")
    git(project, "init", "-q", "-b", "main")
    commit_and_tag(project, "v1.0")
    (project / "spec" / "30-be-concise.md").unlink()
    overview = project / "spec" / "10-overview.md"
    overview.write_text(
        overview.read_text("utf-8").replace("[?](#be_concise)", "the user's defaults"), "utf-8"
    )
    commit_and_tag(project, "v2.0")
    code, out = build_all_versions(project)
    assert code == 0, out
    assert not (project / "site" / "v2.0" / "be_concise").exists()
    return serve(project / "site")


@pytest.fixture
def tab(browser: Any) -> Iterator[tuple[Any, PageLog]]:
    """A fresh page (its own session storage, where Material keeps "outdated")."""
    context = new_context(browser)
    page = context.new_page()
    log = watch(page)
    yield page, log
    context.close()


def open_page(page: Any, url: str) -> None:
    page.goto(url)
    # Material adds the selector once it has read versions.json.
    page.wait_for_selector(".md-version__current")
    settle(page)


def switch_release(page: Any, version: str) -> None:
    """Open Material's version selector in the header and pick ``version``."""
    current = page.locator(".md-version__current")
    # The list opens on hover, over the button itself: hover without waiting for the
    # button to be the topmost element, as a reader's pointer does.
    current.hover(force=True)
    link = page.locator(".md-version__list a.md-version__link", has_text=version)
    link.wait_for(state="visible")
    link.click()


def assert_stayed_home(log: PageLog, base: str) -> None:
    assert [u for u in log.requests if not u.startswith((base, "data:", "blob:"))] == []
    assert log.errors == [] and log.dialogs == []


def test_switching_release_keeps_the_policy(tab: tuple[Any, PageLog], releases_url: str) -> None:
    page, log = tab
    open_page(page, f"{releases_url}{OLD}/chain_of_command/")
    assert page.locator(".md-version__current").inner_text().strip() == OLD
    assert page.locator(BANNER).is_visible()
    switch_release(page, NEW)
    page.wait_for_url(f"{releases_url}{NEW}/chain_of_command/")
    page.wait_for_selector(".md-version__current")
    settle(page)
    assert page.locator(".md-version__current").inner_text().strip() == NEW
    assert page.locator(".md-content h1").first.inner_text().strip() == "The chain of command"
    assert not page.locator(BANNER).is_visible()  # the newest release is not outdated
    assert_stayed_home(log, releases_url)


def test_switching_to_a_release_without_the_page_lands_on_its_home(
    tab: tuple[Any, PageLog], releases_url: str
) -> None:
    page, log = tab
    open_page(page, f"{releases_url}{NEW}/prioritize_teen_safety/")
    assert not page.locator(BANNER).is_visible()
    switch_release(page, OLD)
    page.wait_for_url(f"{releases_url}{OLD}/")
    page.wait_for_selector(".md-version__current")
    assert page.locator(".md-version__current").inner_text().strip() == OLD
    assert page.locator(BANNER).is_visible()
    assert_stayed_home(log, releases_url)


def test_banner_link_leads_to_the_same_page_in_latest(
    tab: tuple[Any, PageLog], releases_url: str
) -> None:
    page, log = tab
    open_page(page, f"{releases_url}{OLD}/chain_of_command/")
    link = page.locator(f"{BANNER} {BANNER_LINK}")
    assert link.inner_text().strip() == "Read this page in the newest release."
    link.click()
    page.wait_for_url(f"{releases_url}latest/chain_of_command/")
    page.wait_for_selector(".md-version__current")
    settle(page)
    # latest/ is the newest release under its alias: the selector names it, no banner.
    assert page.locator(".md-version__current").inner_text().strip() == NEW
    assert not page.locator(BANNER).is_visible()
    assert_stayed_home(log, releases_url)


def test_banner_link_on_a_page_latest_lacks_leads_to_latest_home(
    tab: tuple[Any, PageLog], dropped_url: str
) -> None:
    page, log = tab
    open_page(page, f"{dropped_url}v1.0/be_concise/")
    assert page.locator(BANNER).is_visible()
    page.locator(f"{BANNER} {BANNER_LINK}").click()
    page.wait_for_url(f"{dropped_url}latest/")
    # A page both releases have: the link keeps it.
    open_page(page, f"{dropped_url}v1.0/no_harmful_instructions/")
    page.locator(f"{BANNER} {BANNER_LINK}").click()
    page.wait_for_url(f"{dropped_url}latest/no_harmful_instructions/")
    # And the selector does the same as the banner for the dropped page.
    open_page(page, f"{dropped_url}v1.0/be_concise/")
    switch_release(page, "v2.0")
    page.wait_for_url(f"{dropped_url}v2.0/")
    assert_stayed_home(log, dropped_url)
