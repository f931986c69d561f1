"""The reviewer's way from the HTML diff to the source: in Chromium, a click on a source
location of a git-revision diff navigates to that file and line on the forge (GitHub's
URL form, at the side's commit). The navigation is caught and answered locally:
nothing is fetched. The page's Content-Security-Policy, which forbids every load, does not stop a
link a reader follows.

And on a phone (390 px wide) the header's side labels stay compact: both visible, the
changes below them on the first screen. A changed link target, a renamed section's old
anchor and the pages' contrast, in a browser."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.browser.helpers import new_context, settle, watch
from tests.cli_helpers import run_cli
from tests.git_helpers import git
from tests.test_diff_html_sources import CONCISE, REPO_URL, REVIEW, line_of, make_review_repo

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def review(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the repository, its diff page of v1 -> HEAD written by the CLI)."""
    repo = make_review_repo(tmp_path_factory.mktemp("review"))
    out = tmp_path_factory.mktemp("page") / "diff.html"
    code, output = run_cli("diff", "v1", "HEAD", "-o", str(out), cwd=repo)
    assert code == 0, output
    return repo, out


@pytest.fixture(scope="module")
def review_url(review: tuple[Path, Path], serve: Callable[[Path], str]) -> str:
    return serve(review[1].parent) + review[1].name


class _Forge:
    """The forge as the browser sees it: every request to it is caught and answered
    here (a navigation with a blank page, anything else, a favicon, with nothing), so
    nothing is fetched; the navigations are recorded."""

    def __init__(self, context: Any) -> None:
        self.navigations: list[str] = []
        context.route(f"{REPO_URL}/**", self.answer)
        context.route("https://github.com/favicon.ico", self.answer)

    def answer(self, route: Any) -> None:
        if route.request.is_navigation_request():
            self.navigations.append(route.request.url)
            route.fulfill(status=200, content_type="text/plain", body="the forge")
        else:
            route.fulfill(status=204, body="")

    def follow(self, page: Any, link: Any) -> str:
        """Click ``link``: the URL the page lands on."""
        before = len(self.navigations)
        with page.expect_navigation():
            link.click()
        assert len(self.navigations) == before + 1
        assert page.url.startswith(self.navigations[-1]), (self.navigations, page.url)
        return str(page.url)


def test_a_click_on_a_source_location_lands_on_the_forge_line(
    browser: Any, review: tuple[Path, Path], review_url: str
) -> None:
    repo = review[0]
    context = new_context(browser)
    forge = _Forge(context)
    page = context.new_page()
    log = watch(page)
    try:
        page.goto(review_url, wait_until="load")
        settle(page)
        # The new side of the changed paragraph, then the old side of the example.
        body = page.locator("#be_concise .sgd-body .sgd-src--block").first
        new_link = body.locator(".sgd-src__place--new a")
        line = line_of(repo, "HEAD", CONCISE, "Answer simple questions")
        assert new_link.inner_text() == f"{CONCISE}:{line}"
        head = git(repo, "rev-parse", "HEAD").strip()
        assert forge.follow(page, new_link) == f"{REPO_URL}/blob/{head}/{CONCISE}#L{line}"

        page.goto(review_url, wait_until="load")
        example = page.locator("#be_concise--short-answer .sgd-src__place--old a")
        line = line_of(repo, "v1", CONCISE, "- id: short-answer")
        v1 = git(repo, "rev-parse", "v1").strip()
        assert forge.follow(page, example) == f"{REPO_URL}/blob/{v1}/{CONCISE}#L{line}"
    finally:
        context.close()
    # The page itself loaded nothing; no CSP report, no error.
    assert [u for u in log.requests if not u.startswith("https://github.com/")] == [
        review_url,
        review_url,
    ]
    assert not log.errors and not [m for m in log.console if m[0] == "error"], log.console


def test_side_labels_stay_compact_on_a_phone(
    browser: Any, review: tuple[Path, Path], review_url: str, tmp_path: Path
) -> None:
    repo = review[0]
    context = new_context(browser, viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(review_url, wait_until="load")
        settle(page)
        shot = tmp_path / "diff-390.png"
        page.screenshot(path=str(shot))
        assert shot.stat().st_size > 0
        sides = page.locator(".sgd-side")
        assert sides.count() == 2
        short = {rev: git(repo, "rev-parse", "--short=7", rev).strip() for rev in ("v1", "HEAD")}
        for index, (side, rev) in enumerate((("old", "v1"), ("new", "HEAD"))):
            label = sides.nth(index)
            assert label.is_visible()
            text = label.inner_text()
            assert text.lower().startswith(side) and "My assistant spec" in text
            box = label.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
            assert box["height"] <= 40, box  # one line each
            assert f"{rev} @ {short[rev]}" in (label.get_attribute("title") or "")
        header = page.locator(".sgd-header").bounding_box()
        assert header is not None and header["height"] <= PHONE["height"] * 0.2, header
        # Below it, the heading and the summary start on the first screen.
        summary = page.locator("#sgd-summary").bounding_box()
        assert summary is not None and summary["y"] < PHONE["height"] / 2, summary
        # Nothing is wider than the screen (the page does not scroll sideways).
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= PHONE["width"], width
    finally:
        context.close()


# -- renames, formatting, link targets: seen, and readable --------------------------------

REVIEW_CASES = ("declared_rename", "formatting_only", "link_target", "probable_rename")


@pytest.fixture(scope="module")
def review_urls(
    tmp_path_factory: pytest.TempPathFactory, serve: Callable[[Path], str]
) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("review-cases")
    for case in REVIEW_CASES:
        sides = [str(REVIEW / case / side / "spec") for side in ("old", "new")]
        code, output = run_cli("diff", *sides, "-o", str(folder / f"{case}.html"))
        assert code == 0, output
    base = serve(folder)
    return {case: f"{base}{case}.html" for case in REVIEW_CASES}


def test_a_changed_link_target_is_seen(browser: Any, review_urls: dict[str, str]) -> None:
    context = new_context(browser)
    page = context.new_page()
    try:
        page.goto(review_urls["link_target"], wait_until="load")
        notes = page.locator("#fees .sgd-relink")
        assert [" ".join(t.split()) for t in notes.all_inner_texts()] == [
            "link target: #refunds → #vouchers",
            "link target: https://acme.example/fares → https://acme.example/fares/2026",
        ]
        for i in range(2):
            assert notes.nth(i).is_visible()
            marker = notes.nth(i).evaluate("e => getComputedStyle(e, '::before').content")
            assert marker == '"⇄ "'

        link = page.locator("#fees a.sgd-relinked").first
        assert link.evaluate("e => getComputedStyle(e).outlineStyle") == "dashed"
        old = page.locator("#fees .sgd-relink__old").first
        assert "line-through" in old.evaluate("e => getComputedStyle(e).textDecorationLine")
    finally:
        context.close()


def test_a_renamed_sections_old_anchor_leads_to_it(
    browser: Any, review_urls: dict[str, str]
) -> None:
    context = new_context(browser)
    page = context.new_page()
    try:
        page.goto(review_urls["declared_rename"] + "#refunds", wait_until="load")
        settle(page)
        title = page.locator("#sgd-title--cancellation_refunds")
        assert title.is_visible()
        box = title.bounding_box()
        assert box is not None and 0 <= box["y"] < 200, box  # scrolled to the section
        assert (
            page.locator("#cancellation_refunds .sgd-rename")
            .inner_text()
            .startswith("Renamed from refunds")
        )
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_review_pages_have_no_serious_accessibility_violation(
    browser: Any, review_urls: dict[str, str], review_url: str, scheme: str
) -> None:
    """Source locations, link-target notes, renames and formatting-only notes are
    readable (contrast included) in both schemes."""
    from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

    problems = []
    for url in [review_url, *review_urls.values()]:
        context = new_context(browser, color_scheme=scheme)
        page = context.new_page()
        try:
            page.goto(url, wait_until="load")
            for summary in page.locator("details summary").all():
                summary.click()
            results = Axe().run(page)
        finally:
            context.close()
        for v in results.response["violations"]:
            if v["impact"] in ("serious", "critical"):
                targets = [", ".join(map(str, n["target"])) for n in v["nodes"][:5]]
                problems.append(f"{url} {v['id']}: {v['help']} {targets}")
    assert not problems, "\n".join(problems)
