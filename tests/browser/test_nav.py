"""The navigation every page shares (specgen.site.nav): after the shared script has
run, each page's navigation is exactly the markup Material renders for that page when
it prints the whole tree into every page; before it, or without script, a page holds
only its own path through the tree."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.browser.helpers import build_site, html_pages, new_context, watch
from tests.nav_helpers import wide_spec

_NAV = "nav.md-nav--primary"


def _markup(html: str) -> str:
    # what the browser keeps of the markup: the shared script's own tag and the data it
    # reads are the only differences allowed
    html = re.sub(r'\s*<script src="[^"]*nav\.[0-9a-f]+\.js"></script>', "", html)
    html = re.sub(r' data-sg-nav-(?:base|page)="[^"]*"', "", html)
    html = re.sub(r"<!--/?sg-nav(?::[^>]*)?-->", "", html)  # the reference build's marks
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


def _pair(root: Path, tabs: bool) -> tuple[Path, Path]:
    shared = wide_spec(root / "shared", tabs=tabs)
    whole = wide_spec(root / "whole", whole_nav=True, tabs=tabs)
    return build_site(shared, root / "shared-site"), build_site(whole, root / "whole-site")


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return _pair(tmp_path_factory.mktemp("nav"), tabs=False)


@pytest.fixture(scope="module")
def tab_sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return _pair(tmp_path_factory.mktemp("nav-tabs"), tabs=True)


_UNSHOWN = """() => Array.from(
  document.querySelectorAll("nav.md-nav--primary li.md-nav__item--nested"))
  .filter(li => !li.querySelector(":scope > nav > ul.md-nav__list > *"))
  .map(li => li.querySelector(":scope > input.md-nav__toggle").id)"""
_EMPTY = """ids => ids.forEach(id => document.getElementById(id)
  .parentElement.querySelector(":scope > nav > ul.md-nav__list").replaceChildren())"""
_LIST = """id => document.getElementById(id)
  .parentElement.querySelector(":scope > nav > ul.md-nav__list").outerHTML"""


@pytest.mark.parametrize("pair", ["sites", "tab_sites"])
def test_every_page_gets_the_navigation_material_renders_for_it(
    browser: Any, pair: str, request: pytest.FixtureRequest, serve: Callable[[Path], str]
) -> None:
    """The same markup as Material's whole tree, but for the lists of closed sections,
    which are put in place when opened: the page's path and the sections Material shows
    open are there from the start."""
    shared, whole = request.getfixturevalue(pair)
    shared_url, whole_url = serve(shared), serve(whole)
    assert html_pages(whole) == html_pages(shared)
    # every kind of page: the home page, top-level pages at both ends and inside the
    # window, group index pages, pages in a long list and in a nested one, the site's
    # own pages, and the 404 page (absolute links, no page)
    pages = ["", "s1/", "s10/", "s20/", "group/", "g1/", "g15/", "g30/", "inner/"]
    pages += ["i1/", "i9/", "i15/", "levels/", "examples/", "404.html"]
    context = new_context(browser)
    page = context.new_page()
    log = watch(page)
    try:
        differ = []
        for path in pages:
            page.goto(shared_url + path)
            got = _markup(page.eval_on_selector(_NAV, "e => e.outerHTML"))
            unshown = page.evaluate(_UNSHOWN)
            page.goto(whole_url + path)
            # what Material shows open is shown: the page's path, top-level sections
            opened = page.eval_on_selector_all(
                f"{_NAV} input.md-nav__toggle:checked", "es => es.map(e => e.id)"
            )
            assert not set(opened) & set(unshown), (path, opened, unshown)
            if pair == "sites":
                assert not {u for u in unshown if u.count("_") == 3}, (path, unshown)
            page.evaluate(_EMPTY, unshown)
            want = _markup(page.eval_on_selector(_NAV, "e => e.outerHTML"))
            if got != want:
                differ.append(path)
        assert not differ, f"navigation differs from Material's on {differ}"
        assert not log.errors, log.errors
        if pair == "tab_sites":
            return  # with tabs, s1's tab does not show the group
        # a closed section opened by the reader gets Material's list
        page.goto(shared_url + "s1/")
        toggle = "__nav_4_8"  # the inner group, inside the group of thirty
        page.locator(f"label[for={toggle}]").first.click()
        got = _markup(page.evaluate(_LIST, toggle))
        page.goto(whole_url + "s1/")
        assert got == _markup(page.evaluate(_LIST, toggle))
        assert "Inner 15" in got
        assert not log.errors, log.errors
    finally:
        context.close()


def test_the_tree_opens_at_the_page(
    browser: Any, sites: tuple[Path, Path], serve: Callable[[Path], str]
) -> None:
    base = serve(sites[0])
    context = new_context(browser)
    page = context.new_page()
    try:
        page.goto(base + "i9/")
        active = page.locator(f"{_NAV} a.md-nav__link--active")
        assert active.count() == 1 and "Inner 9" in active.inner_text()
        assert page.locator(f"{_NAV} a.md-nav__link").count() > 60  # the tree, open at it
        # its sections are open, down to it
        checked = page.eval_on_selector_all(
            f"{_NAV} input.md-nav__toggle:checked", "es => es.map(e => e.id)"
        )
        assert checked == ["__nav_4", "__nav_4_8"], checked
        # a link of the tree leads where it says, from this page's depth
        page.locator(f"{_NAV} a.md-nav__link", has_text="Grouped 30").first.click()
        assert page.url == base + "g30/"
    finally:
        context.close()


def test_without_script_a_page_holds_its_own_path(
    browser: Any, sites: tuple[Path, Path], serve: Callable[[Path], str]
) -> None:
    base = serve(sites[0])
    context = new_context(browser, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(base + "i9/")
        nav = page.locator(_NAV)
        active = nav.locator("a.md-nav__link--active")
        assert "Inner 9" in active.first.inner_text()
        titles = nav.locator(".md-ellipsis").all_inner_texts()
        text = " | ".join(t.strip() for t in titles)
        # ancestors, a window of each list around the path, and what was left out
        for shown in ("A group of thirty", "An inner group", "Inner 4", "Inner 14", "Grouped 2"):
            assert shown in text, text
        for hidden in ("Inner 1 ", "Grouped 30", "Section 20"):
            assert hidden not in text + " ", text
        assert re.search(r"\b\d+ more\b", text), text
        page.locator(f"{_NAV} a.md-nav__link", has_text="Inner 14").click()
        assert page.url == base + "i14/"
    finally:
        context.close()
