"""A page's weight does not grow with the spec: it prints its own path through the
navigation, and the whole tree is one script every page shares (specgen.site.nav)."""

from __future__ import annotations

import re
from pathlib import Path

from specgen.site.nav import Gap, split_lists, window
from tests.cli_helpers import run_cli
from tests.nav_helpers import wide_spec

_NAV = re.compile(r'<nav class="md-nav md-nav--primary".*?</nav>\s*</div>', re.S)
_SCRIPT = re.compile(r'<script src="((?:\.\./)*/?assets/specgen/nav\.[0-9a-f]{12}\.js)"></script>')


def _build(project: Path) -> Path:
    site = project / "site"
    code, out = run_cli("build", "-d", str(site), cwd=project)
    assert code == 0, out
    return site


def _nav_entries(page: Path) -> int:
    nav = _NAV.search(page.read_text("utf-8"))
    assert nav is not None
    return nav.group(0).count('class="md-nav__item')


def test_a_page_carries_the_same_navigation_whatever_the_spec_size(tmp_path: Path) -> None:
    small = _build(wide_spec(tmp_path / "small", top=20))
    large = _build(wide_spec(tmp_path / "large", top=200))
    for page in ("s1/index.html", "s15/index.html", "i9/index.html", "index.html"):
        entries = _nav_entries(small / page), _nav_entries(large / page)
        assert entries[0] == entries[1], (page, entries)
        assert entries[0] < 45, (page, entries)
    # the whole tree is in the shared script, once
    (script,) = (large / "assets" / "specgen").glob("nav.*.js")
    text = script.read_text("utf-8")
    assert all(f"Section {i} " in text for i in (1, 100, 200))


def test_every_page_loads_the_one_shared_script_from_its_own_depth(tmp_path: Path) -> None:
    site = _build(wide_spec(tmp_path / "p", top=20))
    scripts = set()
    for page in site.rglob("*.html"):
        found = _SCRIPT.findall(page.read_text("utf-8"))
        assert len(found) == 1, page
        if page.name != "404.html":  # the 404 page's links hang from the site's root
            target = (page.parent / found[0]).resolve()
            assert target.is_file(), (page, found[0])
            scripts.add(target)
    assert len(scripts) == 1


def test_window_keeps_the_active_entry_and_numbers_as_the_whole_list() -> None:
    class Item:
        def __init__(self, n: int, active: bool = False) -> None:
            self.n, self.active = n, active

    items = [Item(n, active=n == 50) for n in range(1, 101)]
    shown = window(items, radius=5)
    assert isinstance(shown[0][1], Gap) and shown[0][1].count == 44
    assert [pos for pos, _ in shown[1:-1]] == list(range(45, 56))
    assert all(item.n == pos for pos, item in shown[1:-1])
    assert isinstance(shown[-1][1], Gap) and shown[-1][1].count == 45
    # at the ends, the window is as wide as in the middle
    items = [Item(n, active=n == 2) for n in range(1, 101)]
    assert [pos for pos, _ in window(items, radius=5)[:-1]] == list(range(1, 12))
    # short lists are whole
    assert len(window([Item(n) for n in range(13)], radius=5)) == 13


def test_the_whole_tree_keeps_each_sections_list_apart() -> None:
    tree = (
        '<li>a</li><li><input id="__nav_2"><ul><!--sg-nav:__nav_2--><li>b</li>'
        '<li><input id="__nav_2_2"><ul><!--sg-nav:__nav_2_2--> <li>c</li> <!--/sg-nav--></ul>'
        "</li><!--/sg-nav--></ul></li>"
    )
    top, lists = split_lists(tree)
    assert top == '<li>a</li><li><input id="__nav_2"><ul></ul></li>'
    assert lists == {
        "__nav_2": '<li>b</li><li><input id="__nav_2_2"><ul></ul></li>',
        "__nav_2_2": "<li>c</li>",
    }
