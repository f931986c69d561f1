"""The navigation at any size: a page prints its own path through the tree, and one
script that every page shares (cached by the browser) carries the whole tree.

Material prints the whole navigation into every page, so a site of n sections weighs
n x n entries: 5,000 sections wrote 2.5 GB. Here a page prints its ancestors, a window
of siblings at each level around its path, and its children (partials/nav.html), which
is enough to move on without script; ``assets/specgen/nav.HASH.js`` holds the whole
tree, rendered once per build by the same Material macros, and puts it in place before
the page is first drawn (theme/specgen/nav.js). The name carries a hash of the content,
so a browser never keeps a stale tree from an earlier build.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

# A page's own list shows the entry on its path and this many on each side.
WINDOW_RADIUS = 5
SCRIPT_FOLDER = ("assets", "specgen")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Gap:
    """Entries of a list that a page's own navigation leaves out."""

    count: int
    sg_gap: bool = True


Numbered = list[tuple[int, Any]]


def whole(items: Sequence[Any]) -> Numbered:
    """Every entry, numbered from 1 as Material numbers its toggles (``__nav_2_3``)."""
    return list(enumerate(items, 1))


def window(items: Sequence[Any], radius: int = WINDOW_RADIUS) -> Numbered:
    """The entries around the active one (or the first ones), numbered as in the whole
    list so the page's toggles keep the ids the whole tree gives them."""
    width = 2 * radius + 1
    count = len(items)
    if count <= width + 2:  # leaving out one or two entries saves nothing
        return whole(items)
    active = next((i for i, item in enumerate(items) if getattr(item, "active", False)), 0)
    start = min(max(0, active - radius), count - width)
    end = start + width
    shown: Numbered = []
    if start > 0:
        shown.append((0, Gap(start)))
    shown.extend((i + 1, items[i]) for i in range(start, end))
    if end < count:
        shown.append((0, Gap(count - end)))
    return shown


@dataclass(frozen=True, slots=True)
class NavScript:
    path: tuple[str, ...]  # under the site's root
    text: str

    @property
    def url(self) -> str:
        return "/".join(self.path)


def page_globals(script: NavScript) -> dict[str, Any]:
    """What every page's template needs to print its own navigation."""
    return {"sg_nav_window": window, "sg_nav_skeleton": True, "sg_nav_script": script.url}


def render_nav_script(env: Environment, nav: Any, config: Any) -> NavScript:
    """The whole tree as it would show with no page open and nothing pruned, in the
    script every page loads."""
    features = [f for f in (config.theme.get("features") or []) if f != "navigation.prune"]
    context = {
        "nav": nav,
        "config": config,
        "features": features,
        "page": None,
        "base_url": "",
        "sg_nav_window": whole,
        "sg_nav_skeleton": False,
    }
    # The tree's markup has no <pre>: runs of white space are one space to a browser.
    tree = _SPACE.sub(" ", env.get_template("specgen/nav_tree.html").render(context)).strip()
    top, lists = split_lists(tree)
    text = env.get_template("specgen/nav.js").render(
        top=_js_string(top), lists=_js_string(lists), features=features
    )
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    return NavScript((*SCRIPT_FOLDER, f"nav.{digest}.js"), text)


_MARK = re.compile(r"<!--sg-nav:([^>]*?)-->|<!--/sg-nav-->")


def split_lists(tree: str) -> tuple[str, dict[str, str]]:
    """The tree's top list, and each section's list by its toggle's id, lists within it
    left empty: a page puts a list in place only when it shows it (its path, sections
    Material shows open, one the reader opens). 8,000 entries in a page's DOM take the
    browser seconds to lay out."""
    lists: dict[str, str] = {}
    parts: list[list[str]] = [[]]
    ids: list[str] = []
    position = 0
    for mark in _MARK.finditer(tree):
        parts[-1].append(tree[position : mark.start()])
        position = mark.end()
        if mark.group(1) is not None:
            ids.append(mark.group(1))
            parts.append([])
        else:
            lists[ids.pop()] = "".join(parts.pop()).strip()
    parts[-1].append(tree[position:])
    assert not ids and len(parts) == 1, "unbalanced navigation marks"
    return "".join(parts[0]), lists


def _js_string(value: object) -> Markup:
    # A literal of a script file of its own: no </script> to guard against, so plain
    # JSON (U+2028/9 written escaped for older engines) instead of tojson's \u003c.
    literal = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return Markup(literal.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
