"""The sample spec's site with a GitHub repo_url, in a browser: a policy's "View source"
and "Edit" links sit small in its header, each example's in its caption; a reader who
clicks "View source" lands on the forge's URL of the file at the policy's line (the
forge is answered by the test, never fetched); the links pass axe."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.helpers import REPO, build_site, new_context, settle
from tests.git_helpers import git
from tests.versions_helpers import commit_and_tag

REPO_URL = "https://github.com/acme/skye-spec"
POLICY = "refunds_after_cancellation"
POLICY_FILE = "spec/50-trips/10-disruptions/20-refunds.md"
TITLE = "Offer refunds when Northwind cancels"


@pytest.fixture(scope="module")
def linked_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's sample project (spec/, theme/, mkdocs.yml) in a git repository
    of its own, with repo_url and edit_uri set; its site."""
    top = tmp_path_factory.mktemp("source-links")
    for folder in ("spec", "theme"):
        shutil.copytree(REPO / folder, top / folder)
    config = (REPO / "mkdocs.yml").read_text("utf-8")
    (top / "mkdocs.yml").write_text(
        config + f"\nrepo_url: {REPO_URL}\nedit_uri: edit/main/spec/\n", "utf-8"
    )
    git(top, "init", "-q", "-b", "main")
    commit_and_tag(top, None, "sample")
    return build_site(top, top / "site")


@pytest.fixture
def page(browser: Any, linked_site: Path, serve: Any) -> Iterator[Any]:
    context = new_context(browser)
    tab = context.new_page()
    tab.goto(serve(linked_site) + f"{POLICY}/", wait_until="load")
    settle(tab)
    yield tab
    context.close()


def _line(pattern: str) -> int:
    lines = (REPO / POLICY_FILE).read_text("utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if re.search(pattern, line))


def test_view_source_leads_to_the_policys_line(page: Any, tmp_path: Path) -> None:
    link = page.get_by_role("link", name=f"View source of {TITLE}")
    edit = page.get_by_role("link", name=f"Edit {TITLE}")
    assert link.is_visible() and edit.is_visible()
    # Small and in the header, beside the badges; not in the reading flow.
    header = page.locator("article.sg-section > header").bounding_box()
    box = link.bounding_box()
    assert header is not None and box is not None
    assert header["y"] <= box["y"] and box["y"] + box["height"] <= header["y"] + header["height"]
    body_size = page.evaluate(
        "() => parseFloat(getComputedStyle(document.querySelector('.sg-section__body p')).fontSize)"
    )
    assert float(link.evaluate("a => parseFloat(getComputedStyle(a).fontSize)")) < body_size
    page.screenshot(path=str(tmp_path / "section.png"), full_page=False)

    landed: list[str] = []

    def forge(route: Any) -> None:  # the forge is not fetched: the test answers for it
        landed.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<title>forge</title>")

    page.route("https://github.com/**", forge)
    with page.expect_navigation():
        link.click()
    expected = f"{REPO_URL}/blob/main/{POLICY_FILE}#L{_line(rf'^id: {POLICY}$')}"
    assert page.url == expected
    assert landed == [expected.split("#")[0]]  # the fragment stays in the browser


def test_each_example_links_its_own_line(page: Any) -> None:
    captions = page.locator("figcaption.sg-example__caption")
    hrefs = [
        captions.nth(i).locator(".sg-source-links a").get_attribute("href")
        for i in range(captions.count())
    ]
    ids = re.findall(r"^  - id: (\S+)$", (REPO / POLICY_FILE).read_text("utf-8"), re.M)
    assert len(hrefs) == len(ids) >= 2
    for href, example_id in zip(hrefs, ids, strict=True):
        line = _line(rf"^  - id: {re.escape(example_id)}$")
        assert href == f"{REPO_URL}/blob/main/{POLICY_FILE}#L{line}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_links_pass_axe(browser: Any, linked_site: Path, serve: Any, scheme: str) -> None:
    from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

    context = new_context(browser, color_scheme=scheme)
    try:
        tab = context.new_page()
        tab.goto(serve(linked_site) + f"{POLICY}/", wait_until="load")
        results = Axe().run(tab, context={"include": [[".sg-source-links"]]})
    finally:
        context.close()
    serious = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])})"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious
