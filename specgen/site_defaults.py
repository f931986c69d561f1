"""The look a new or imported project starts with (the theme block of its mkdocs.yml).

Plain data, no MkDocs import: the writers put it in the mkdocs.yml they create, and the
site adapter uses it to build a spec that has no mkdocs.yml of its own.
"""

from __future__ import annotations

from typing import Any

THEME: dict[str, Any] = {
    "name": "material",
    "font": False,  # no web fonts from elsewhere: the site makes no outside request
    "features": [
        "navigation.indexes",
        "navigation.prune",  # each page carries only the visible part of the nav
        "navigation.sections",
        "navigation.top",
        "navigation.footer",  # previous and next section at each page's foot: reading order
        "content.code.copy",
    ],
    "palette": [
        {
            "media": "(prefers-color-scheme: light)",
            "scheme": "default",
            "primary": "indigo",
            "toggle": {"icon": "material/weather-night", "name": "Switch to dark mode"},
        },
        {
            "media": "(prefers-color-scheme: dark)",
            "scheme": "slate",
            "primary": "indigo",
            "toggle": {"icon": "material/weather-sunny", "name": "Switch to light mode"},
        },
    ],
}
