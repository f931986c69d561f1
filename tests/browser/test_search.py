"""The site's search in a browser: a Pagefind index in Material's search box.

Each section, example and eval prompt set is found once, on its own page (never on the
one-page view); results are text, with the words found marked; nothing of the index is
fetched before the search is opened; the keyboard works as in Material; a release of a
versioned site searches its own index. Escaping is checked with the XSS corpus in
test_xss.py (``_check_search``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from specgen.model import Spec
from specgen.sources.loading import load_spec
from tests.browser.helpers import REPO, new_context, settle, watch

# Each word is in one place of the sample spec only (checked below).
EXAMPLE_WORD, EXAMPLE_SECTION, EXAMPLE_ID = (
    "Lindqvist",
    "verify_before_disclosing",
    "worried-parent",
)
EVAL_WORD, EVAL_SET = "Manchester", "k7q2"
TITLE_SECTION = "verify_before_disclosing"
AGGREGATE_PAGES = ("all/", "examples/", "levels/", "eval/")

# What the results show: for each item, its page row and the rows under it.
RESULTS = r"""() => [...document.querySelectorAll(".md-search-result__item")]
  .filter(item => item.querySelector(".md-search-result__link[href]"))
  .map(item => [...item.querySelectorAll("a.md-search-result__link")].map(a => ({
    href: a.href,
    title: (a.querySelector("h1, h2") || {textContent: ""}).textContent,
    kind: (a.querySelector(".sg-search__kind") || {textContent: ""}).textContent,
    where: (a.querySelector(".sg-search__where") || {textContent: ""}).textContent,
    text: (a.querySelector("p") || {textContent: ""}).textContent,
    marked: [...a.querySelectorAll("p mark")].map(m => m.textContent),
  })))"""


@pytest.fixture(scope="module")
def spec() -> Spec:
    return load_spec(REPO / "spec", REPO / "mkdocs.yml")[0].spec


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = new_context(browser)
    yield context.new_page()
    context.close()


def _only_in(word: str, path: str) -> None:
    pattern = re.compile(rf"\b{word}\b", re.IGNORECASE)
    holders = [p for p in (REPO / "spec").rglob("*.md") if pattern.search(p.read_text("utf-8"))]
    assert [p.relative_to(REPO / "spec").as_posix() for p in holders] == [path]


def search(page: Any, url: str, query: str) -> list[list[dict[str, Any]]]:
    """Open ``url``, type ``query`` in the header's search box, return the results."""
    page.goto(url)
    box = page.locator(".md-search__input")
    box.click()
    box.press_sequentially(query)
    page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    page.wait_for_function(
        "q => document.querySelector('.md-search__input').value === q"
        " && !/^(Initializing|Type)/.test(document.querySelector('.md-search-result__meta')"
        ".textContent.trim())",
        arg=query,
    )
    settle(page)
    results: list[list[dict[str, Any]]] = page.evaluate(RESULTS)
    return results


def _path(href: str, base: str) -> str:
    return href.removeprefix(base)


def test_a_section_title_finds_that_section_once(page: Any, sample_url: str, spec: Spec) -> None:
    section = spec.section_index()[TITLE_SECTION]
    results = search(page, sample_url, section.title)
    pages = [_path(item[0]["href"], sample_url) for item in results]
    assert pages.count(f"{TITLE_SECTION}/") == 1, pages
    assert pages[0] == f"{TITLE_SECTION}/", pages  # its own title ranks it first
    first = results[0][0]
    assert first["title"] == section.title
    assert first["where"].split() == ["Section", TITLE_SECTION]
    every_link = [_path(row["href"], sample_url) for item in results for row in item]
    assert not [p for p in every_link if p.split("#")[0] in AGGREGATE_PAGES], every_link


def test_a_word_of_an_example_finds_the_example(page: Any, sample_url: str) -> None:
    _only_in(EXAMPLE_WORD, "30-foundations/40-passenger-privacy/10-verify-before-disclosing.md")
    results = search(page, sample_url, EXAMPLE_WORD)
    assert len(results) == 1, results
    section, *parts = results[0]
    assert _path(section["href"], sample_url) == f"{EXAMPLE_SECTION}/"
    anchor = f"{EXAMPLE_SECTION}--{EXAMPLE_ID}"
    assert [(_path(p["href"], sample_url), p["kind"]) for p in parts] == [
        (f"{EXAMPLE_SECTION}/#{anchor}", "Example")
    ]
    assert parts[0]["marked"] and all(m == EXAMPLE_WORD for m in parts[0]["marked"])
    # The caption is the row's title, not repeated in its text.
    page.locator(f'a.md-search-result__link[href$="#{anchor}"]').click()
    page.wait_for_url(f"**/{EXAMPLE_SECTION}/#{anchor}")
    assert page.locator(f"figure#{anchor}").is_visible()


def test_an_eval_prompt_is_found(page: Any, sample_url: str) -> None:
    _only_in(EVAL_WORD, f"eval-prompts/{EVAL_SET}.md")
    results = search(page, sample_url, EVAL_WORD)
    assert len(results) == 1, results
    prompt_set, *prompts = results[0]
    assert _path(prompt_set["href"], sample_url) == f"eval/{EVAL_SET}/"
    assert EVAL_SET in prompt_set["title"]
    assert len(prompts) == 1 and prompts[0]["kind"] == "Eval prompt", prompts
    assert _path(prompts[0]["href"], sample_url).startswith(f"eval/{EVAL_SET}/#{EVAL_SET}--")
    assert prompts[0]["marked"] == [EVAL_WORD]


def test_results_are_clean_text(page: Any, sample_url: str, spec: Spec) -> None:
    """No permalink mark, no badge glued to its description, no role label or verdict."""
    results = search(page, sample_url, "passenger")
    assert len(results) >= 10
    text = page.locator(".md-search-result__list").inner_text()
    assert "¶" not in text
    for level in spec.config.levels:
        assert f"{level.name}{level.description}" not in text
        assert level.description not in text, level  # the badges are not indexed
    quality_names = set(spec.config.quality_names.values())
    for row in (row for item in results for row in item):
        first_word = row["text"].removeprefix("… ").split(" ", 1)[0]
        assert first_word not in quality_names | {"User", "Assistant", "Example"}, row


def test_the_first_view_fetches_no_search_index(browser: Any, sample_url: str) -> None:
    context = new_context(browser)
    page = context.new_page()
    log = watch(page)
    try:
        page.goto(sample_url, wait_until="networkidle")
        settle(page)
        assert page.locator(".md-search__input").is_visible()
        assert [u for u in log.requests if "/search/" in u] == []
        # Opening the search loads Pagefind; typing fetches the chunks of the index.
        page.locator(".md-search__input").click()
        page.wait_for_load_state("networkidle")
        loaded = [u for u in log.requests if "/search/" in u]
        assert any(u.endswith("/search/pagefind.js") for u in loaded), loaded
        page.locator(".md-search__input").press_sequentially(EXAMPLE_WORD)
        page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
        chunks = [u for u in log.requests if "/search/index/" in u or "/search/fragment/" in u]
        assert chunks, log.requests
        assert not [u for u in log.requests if not u.startswith((sample_url, "data:", "blob:"))]
        assert log.errors == []
    finally:
        context.close()


def test_the_keyboard_drives_the_search(page: Any, sample_url: str) -> None:
    page.goto(f"{sample_url}{EXAMPLE_SECTION}/")
    settle(page)
    box = page.locator(".md-search__input")
    toggle = page.locator("#__search")
    page.keyboard.press("/")
    assert box.evaluate("el => el === document.activeElement")
    assert toggle.is_checked()
    page.keyboard.type("refund")
    page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    settle(page)
    page.keyboard.press("ArrowDown")
    links = page.locator(".md-search-result__list a.md-search-result__link")
    assert links.first.evaluate("el => el === document.activeElement")
    page.keyboard.press("ArrowDown")
    assert links.nth(1).evaluate("el => el === document.activeElement")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert box.evaluate("el => el === document.activeElement")
    page.keyboard.press("Escape")
    assert not toggle.is_checked()
    assert not box.evaluate("el => el === document.activeElement")
    # "s" opens it again, with the query selected; Enter opens the first result.
    page.keyboard.press("s")
    assert toggle.is_checked() and box.input_value() == "refund"
    target = links.first.evaluate("a => a.href")
    page.keyboard.press("Enter")
    page.wait_for_url(target)


def test_search_in_a_release_of_a_versioned_site(
    browser: Any, model_spec_releases: Path, serve: Any
) -> None:
    base = serve(model_spec_releases)
    for release in ("2025-10-27", "2025-12-18"):
        assert (model_spec_releases / release / "search" / "pagefind.js").is_file()
        assert not (model_spec_releases / release / "search" / "search_index.json").exists()
    context = new_context(browser)
    page = context.new_page()
    log = watch(page)
    try:
        release = f"{base}2025-10-27/"
        results = search(page, f"{release}avoid_sycophancy/", "sycophancy")
        links = [row["href"] for item in results for row in item]
        assert links and all(link.startswith(release) for link in links), links
        assert f"{release}avoid_sycophancy/" in links
        assert not [u for u in log.requests if "/search/" in u and not u.startswith(release)]
        page.locator(".md-search-result__link").first.click()
        page.wait_for_load_state()
        assert page.url.startswith(release)
        assert log.errors == []
    finally:
        context.close()
