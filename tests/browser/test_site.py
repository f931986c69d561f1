"""The sample spec's site in a browser: navigation and badges, search, dark mode,
example permalinks, no outside request, no script error, and accessibility (axe-core)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from specgen.model import Section, Spec
from specgen.sources.loading import load_spec
from tests.browser.helpers import REPO, html_pages, new_context, settle, watch

ALLOWED_SCHEMES = ("data:", "blob:", "about:")
SEARCH_WORD, SEARCH_SECTION = "knitting", "security_threats"  # only in that policy's body
AXE_PAGES = {  # name: (path, colour scheme)
    "home page": ("", "light"),
    "a policy page": ("refunds_after_cancellation/", "light"),
    "a policy page, dark": ("refunds_after_cancellation/", "dark"),
    "examples index": ("examples/", "light"),
    "levels legend": ("levels/", "light"),
    "one-page view": ("all/", "light"),
}

PAGE_FACTS = r"""() => ({
  h1: (document.querySelector(".md-content h1") || {}).textContent || "",
  section: (document.querySelector("article.sg-section") || {dataset: {}}).dataset.sectionId,
  levelBadges: [...document.querySelectorAll(".md-content .sg-badge--level")]
    .map(e => e.textContent.trim()),
  rollupBadges: [...document.querySelectorAll(".md-content .sg-badge--rollup")]
    .map(e => e.textContent.replace(/\s+/g, " ").trim()),
  nav: !!document.querySelector("nav.md-nav--primary a.md-nav__link"),
})"""

# For every link of the primary navigation: its URL and the badges it shows.
NAV_BADGES = r"""() => [...document.querySelectorAll("nav.md-nav--primary a.md-nav__link")]
  .map(a => ({
    url: a.href,
    badges: [...a.querySelectorAll(".sg-nav-badge")].map(b => ({
      text: b.textContent.replace(/\s+/g, " ").trim(),
      rollup: b.classList.contains("sg-nav-badge--rollup"),
    })),
  }))"""


@dataclass
class Visit:
    status: int
    facts: dict[str, Any]
    nav_links: list[dict[str, Any]]
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)


@dataclass
class Crawl:
    visits: dict[str, Visit]  # URL path -> what the page showed and did
    requests: list[str]


@pytest.fixture(scope="module")
def spec() -> Spec:
    return load_spec(REPO / "spec", REPO / "mkdocs.yml")[0].spec


@pytest.fixture(scope="module")
def crawl(browser: Any, sample_site: Path, sample_url: str) -> Crawl:
    """Every page of the site opened once; later tests read what each showed and did."""
    context = new_context(browser)
    page = context.new_page()
    log = watch(page)
    visits: dict[str, Visit] = {}
    requests: list[str] = []
    try:
        for path in html_pages(sample_site):
            log.clear()
            response = page.goto(sample_url + path, wait_until="load")
            settle(page)
            visits[path] = Visit(
                response.status if response else 0,
                page.evaluate(PAGE_FACTS),
                page.evaluate(NAV_BADGES),
                [text for kind, text in log.console if kind == "error"],
                list(log.errors),
            )
            requests += log.requests
    finally:
        context.close()
    return Crawl(visits, requests)


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = new_context(browser)
    yield context.new_page()
    context.close()


def _level_name(spec: Spec, level_id: str) -> str:
    level = spec.config.level(level_id)
    assert level is not None, level_id
    return level.name


def _expected_rollup(section: Section, spec: Spec) -> str | None:
    """'Root +2': the highest level below the section and how many other levels."""
    below = {s.authority for s in section.walk() if s is not section and s.authority}
    ranked = sorted(below, key=spec.config.rank)
    if not ranked:
        return None
    top = _level_name(spec, ranked[0])
    return f"{top} +{len(ranked) - 1}" if len(ranked) > 1 else top


def test_every_page_loads_with_navigation(crawl: Crawl, spec: Spec) -> None:
    assert len(crawl.visits) > len(list(spec.walk())), sorted(crawl.visits)
    for path, visit in crawl.visits.items():
        assert visit.status == 200, path
        assert visit.facts["nav"], f"{path or '/'} has no navigation"
    for section in spec.walk():
        facts = crawl.visits[f"{section.id}/"].facts
        assert facts["section"] == section.id
        assert " ".join(facts["h1"].split()) == section.title


def test_each_policy_shows_its_authority_badge(crawl: Crawl, spec: Spec) -> None:
    policies = 0
    for section in spec.walk():
        facts = crawl.visits[f"{section.id}/"].facts
        if section.authority:
            policies += 1
            assert facts["levelBadges"] == [_level_name(spec, section.authority)], section.id
        else:
            assert facts["levelBadges"] == [], section.id
            rollup = _expected_rollup(section, spec)
            assert facts["rollupBadges"] == ([rollup] if rollup else []), section.id
    assert policies >= 20


def test_navigation_shows_levels_and_rollups(crawl: Crawl, spec: Spec, sample_url: str) -> None:
    """Wherever a section is linked from the navigation (pruned or not, on any page), the
    link shows its level, or the roll-up of the levels below it, or nothing."""
    expected: dict[str, set[tuple[str, bool]]] = {}
    for section in spec.walk():
        if section.authority:
            expected[section.id] = {(_level_name(spec, section.authority), False)}
        elif (rollup := _expected_rollup(section, spec)) is not None:
            expected[section.id] = {(rollup, True)}
        else:
            expected[section.id] = set()
    assert sum(1 for badges in expected.values() for _, rollup in badges if rollup) >= 3
    seen: set[str] = set()
    wrong: set[str] = set()
    pages: dict[str, str] = {}
    for path, visit in crawl.visits.items():
        for link in visit.nav_links:
            section_id = link["url"].removeprefix(sample_url).rstrip("/")
            if section_id not in expected:
                continue
            seen.add(section_id)
            shown = {(b["text"], b["rollup"]) for b in link["badges"]}
            if shown != expected[section_id]:
                wrong.add(f"{section_id}: {sorted(shown) or 'none'}, not {expected[section_id]}")
                pages.setdefault(section_id, f"/{path}")
    assert seen == set(expected), f"not in the navigation: {set(expected) - seen}"
    assert not wrong, "nav links with the wrong badge:\n" + "\n".join(
        f"{w} (e.g. on {pages[w.split(':')[0]]})" for w in sorted(wrong)
    )


def test_search_finds_a_policy_by_a_word_of_its_body(
    page: Any, sample_url: str, spec: Spec
) -> None:
    word = re.compile(rf"\b{SEARCH_WORD}\b", re.IGNORECASE)
    section = spec.section_index()[SEARCH_SECTION]
    assert word.search(section.body.text) and not word.search(section.title)
    holders = [p for p in (REPO / "spec").rglob("*.md") if word.search(p.read_text("utf-8"))]
    assert len(holders) == 1, holders  # the word is in this one section's body only

    log = watch(page)
    page.goto(sample_url)
    search = page.locator(".md-search__input")
    search.click()
    search.press_sequentially(SEARCH_WORD)
    results = page.locator(".md-search-result__item a.md-search-result__link")
    results.first.wait_for(timeout=10_000)
    paths = {
        re.sub(r"[?#].*$", "", href).removeprefix(sample_url)
        for href in results.evaluate_all("links => links.map(a => a.href)")
    }
    # Once, on its own page: the one-page view, which holds it too, is not indexed.
    assert paths == {f"{SEARCH_SECTION}/"}, paths
    assert not _outside(log.requests, sample_url)


def test_dark_mode_toggle(page: Any, sample_url: str) -> None:
    page.goto(f"{sample_url}{SEARCH_SECTION}/")
    body = page.locator("body")
    assert body.get_attribute("data-md-color-scheme") == "default"
    light = body.evaluate("b => getComputedStyle(b).backgroundColor")
    page.locator("form[data-md-component=palette] label:visible").click()
    page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'", timeout=5000)
    assert body.evaluate("b => getComputedStyle(b).backgroundColor") != light
    # The choice is remembered on the next page.
    page.goto(sample_url)
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"


def test_example_permalink_lands_on_the_example(page: Any, sample_url: str, spec: Spec) -> None:
    # The example farthest down the page with the most examples: it starts below the fold.
    section = max(spec.walk(), key=lambda s: len(s.examples))
    page.goto(f"{sample_url}{section.id}/")
    tops = page.locator("figure.sg-example").evaluate_all(
        "figures => figures.map(f => [f.id, f.getBoundingClientRect().top, innerHeight])"
    )
    anchor, top, height = max(tops, key=lambda t: t[1])
    assert top > height, "no example below the fold: the test would not mean much"
    assert anchor.startswith(f"{section.id}--")
    assert anchor.removeprefix(f"{section.id}--") in {e.id for e in section.examples}

    page.goto(f"{sample_url}{section.id}/#{anchor}")
    page.wait_for_timeout(100)
    target = page.locator(":target")
    assert target.get_attribute("id") == anchor
    top = target.evaluate("el => el.getBoundingClientRect().top")
    header = page.locator(".md-header").evaluate("h => h.getBoundingClientRect().bottom")
    assert header - 2 <= top < height / 2, (top, header, height)


def _outside(requests: list[str], base: str) -> list[str]:
    return [r for r in requests if not r.startswith(base) and not r.startswith(ALLOWED_SCHEMES)]


def test_no_request_leaves_the_site(crawl: Crawl, sample_url: str) -> None:
    assert len(crawl.requests) > len(crawl.visits)  # pages and their assets were seen
    assert not _outside(crawl.requests, sample_url)


def test_no_console_or_page_error_on_any_page(crawl: Crawl) -> None:
    errors = {
        path or "/": visit.console_errors + visit.page_errors
        for path, visit in crawl.visits.items()
        if visit.console_errors or visit.page_errors
    }
    assert not errors


def _why(node: dict[str, Any]) -> str:
    """What axe says about one element (colours and ratio for contrast), else its HTML."""
    checks = node.get("any", []) + node.get("all", []) + node.get("none", [])
    messages = [check["message"] for check in checks if check.get("message")]
    return " ".join(" ".join(messages).split())[:240] or " ".join(node["html"].split())[:160]


@pytest.mark.parametrize(("path", "scheme"), AXE_PAGES.values(), ids=AXE_PAGES.keys())
def test_no_serious_accessibility_violation(
    browser: Any, sample_url: str, path: str, scheme: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

    context = new_context(browser, color_scheme=scheme)
    try:
        page = context.new_page()
        response = page.goto(sample_url + path, wait_until="load")
        assert response is not None and response.status == 200, f"/{path} is missing"
        expected = "slate" if scheme == "dark" else "default"
        assert page.locator("body").get_attribute("data-md-color-scheme") == expected
        results = Axe().run(page)
    finally:
        context.close()
    serious = [
        violation
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    report = [
        f"{v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(f"    {', '.join(map(str, n['target']))}: {_why(n)}" for n in v["nodes"][:8])
        for v in serious
    ]
    assert not serious, f"/{path} ({scheme}):\n" + "\n".join(report)
