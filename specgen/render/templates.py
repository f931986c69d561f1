"""The Jinja environment for specgen's fragments (theme/specgen/*.html).

Autoescaping is on: spec text reaches templates as plain strings and is escaped;
only HTML that specgen rendered itself is passed as Markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    select_autoescape,
)


@cache
def environment(override_dirs: tuple[str, ...] = ()) -> Environment:
    """Templates from ``override_dirs`` first (a site's custom_dir), then specgen's own."""
    loaders: list[BaseLoader] = [FileSystemLoader(d) for d in override_dirs]
    loaders.append(PackageLoader("specgen.theme", "."))
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    return env


def render_template(name: str, overrides: Sequence[Path] = (), **context: object) -> str:
    env = environment(tuple(str(p) for p in overrides))
    return env.get_template(name).render(**context)
