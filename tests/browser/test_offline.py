"""`specgen build --offline` opened from disk (file://) in chromium, with no server.

The reader follows the navigation to a section, then finds another section with the
search box (the offline index, search/specgen-offline.js) and opens it: every page is a
page, never a folder listing, and nothing asks for Pagefind's files (which a browser
refuses from disk). The XSS corpus's payloads stay text in the offline search results.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from specgen.model import Section, Spec
from specgen.sources.loading import load_spec
from tests.browser.helpers import REPO, build_site, new_context, settle, watch
from tests.browser.test_xss import Findings, _open_context, _show_every_result, _traces
from tests.browser.xss_corpus import Corpus, write_native_project
from tests.cli_helpers import new_project

WORD = re.compile(r"[^\W\d_]{5,}")
XSS_QUERIES = ("canary", "onerror", "script", "javascript")


@pytest.fixture(scope="module")
def spec() -> Spec:
    return load_spec(REPO / "spec", REPO / "mkdocs.yml")[0].spec


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(REPO, tmp_path_factory.mktemp("offline") / "site", "--offline")


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = new_context(browser)
    yield context.new_page()
    context.close()


def _title_words(section: Section) -> list[str]:
    return [w.lower() for w in WORD.findall(section.title)]


def _found_by_title_word(spec: Spec, besides: Section) -> tuple[Section, str]:
    """A section (not ``besides``) with a word in its title that begins no word of any
    other page's title: searched for, that section must come first."""
    sections = list(spec.walk())
    others = [w for s in sections for w in _title_words(s)]
    others += [w.lower() for w in WORD.findall(spec.config.title)]  # the home page's
    for section in sections:
        if section is besides:
            continue
        for word in _title_words(section):
            if sum(other.startswith(word) for other in others) == 1:
                return section, word
    raise AssertionError("no section has a title word of its own")


def _heading(page: Any) -> str:
    text: str = page.locator(".md-content h1").first.inner_text()
    return text.strip()


def test_from_disk_links_open_pages_and_search_finds_a_section(
    page: Any, offline_site: Path, spec: Spec
) -> None:
    log = watch(page)
    root = offline_site.as_uri() + "/"
    page.goto(root + "index.html")
    assert _heading(page) == spec.config.title

    # Through the navigation: a part of the spec, then a section in it.
    part = next(s for s in spec.sections if s.children)
    child = part.children[0]
    nav = page.locator("nav.md-nav--primary")
    nav.locator("a.md-nav__link", has_text=part.title).first.click()
    page.wait_for_load_state("load")
    assert page.url.startswith(root) and page.url.endswith(".html"), page.url
    assert _heading(page) == part.title
    nav.locator("a.md-nav__link", has_text=child.title).first.click()
    page.wait_for_load_state("load")
    assert page.url.startswith(root) and page.url.endswith(".html"), page.url
    assert _heading(page) == child.title
    assert page.locator(f'article.sg-section[data-section-id="{child.id}"]').is_visible()

    # The search box, on the offline index: a word of a title finds that section first.
    target, word = _found_by_title_word(spec, besides=child)
    box = page.locator(".md-search__input")
    box.click()
    box.press_sequentially(word)
    first = page.locator(".md-search-result__item a.md-search-result__link").first
    first.wait_for(timeout=15_000)
    settle(page)
    status = page.locator(".md-search-result__meta").inner_text()
    assert "needs" not in status, status
    assert first.locator("h1").inner_text() == target.title
    assert first.locator(".sg-search__where").inner_text().split() == ["Section", target.id]
    marked = [m.lower() for m in first.locator("h1 mark").all_inner_texts()]
    assert marked and all(m.startswith(word) for m in marked), marked
    first.click()
    page.wait_for_url(re.compile(r".*\.html$"))
    assert page.url.startswith(root), page.url
    assert _heading(page) == target.title
    assert page.locator(f'article.sg-section[data-section-id="{target.id}"]').is_visible()

    assert log.errors == [], log.errors
    assert [text for kind, text in log.console if kind == "error"] == []
    assert [r for r in log.requests if not r.startswith(root)] == []
    assert not [r for r in log.requests if "pagefind" in r]  # nothing a browser refuses


def test_a_site_built_without_offline_says_how_to_search_from_disk(
    page: Any, sample_site: Path
) -> None:
    page.goto((sample_site / "index.html").as_uri())
    box = page.locator(".md-search__input")
    box.click()
    box.press_sequentially("baggage")
    status = page.locator(".md-search-result__meta")
    status.filter(has_text="specgen build --offline").wait_for(timeout=15_000)


def test_no_payload_runs_in_offline_search_results(
    browser: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    corpus = Corpus()
    project = new_project(tmp_path_factory.mktemp("xss-offline"))
    write_native_project(project, corpus)
    site = build_site(project, project / "out", "--force", "--offline")
    root = site.as_uri() + "/"
    context = _open_context(browser)
    page = context.new_page()
    log = watch(page)
    findings = Findings(corpus)
    shown = ""
    try:
        page.goto(root + "index.html", wait_until="load")
        for query in XSS_QUERIES:
            log.clear()
            # force: a header broken by other payloads must not hide what search does.
            page.locator(".md-search__input").fill(query, force=True)
            page.locator(".md-search-result__item").first.wait_for(state="attached", timeout=15_000)
            _show_every_result(page)
            settle(page)
            findings.add(f"offline search for {query!r}", _traces(page, log, root, corpus))
            shown += page.locator(".md-search-result__list").inner_text()
    finally:
        context.close()
    assert not findings, findings.report()
    # Shown, as text: a script tag of a body, an example's caption under its section.
    assert "<script id=xss-canary-" in shown
    assert "EXAMPLE" in shown.upper() and "xss-canary" in shown
