"""A generated native spec whose navigation has long lists and deep nesting: long
enough that a page's own navigation shows windows of it (specgen.site.nav.window)."""

from __future__ import annotations

from pathlib import Path

# A hook that makes every page print the whole tree itself, as Material does (the
# reference the shared navigation script must reproduce).
WHOLE_NAV_HOOK = """\
from specgen.site.nav import whole


def on_env(env, config, files):
    env.globals.update(sg_nav_window=whole, sg_nav_skeleton=False, sg_nav_script=None)
    return env
"""


def _section(path: Path, section_id: str, title: str, authority: str | None) -> None:
    level = f"authority: {authority}\n" if authority else ""
    path.write_text(f"---\nid: {section_id}\ntitle: {title}\n{level}---\nText of {title}.\n")


def wide_spec(project: Path, top: int = 20, *, whole_nav: bool = False, tabs: bool = False) -> Path:
    """``top`` top-level sections; the third holds 30 sections, the seventh of which
    holds 15. ``whole_nav``: every page prints the whole tree (the reference build);
    ``tabs``: Material's navigation.tabs."""
    spec = project / "spec"
    spec.mkdir(parents=True)
    (spec / "index.md").write_text("---\ntitle: Wide\n---\n# Wide spec\n\nText.\n")
    levels = ["root", "system", "developer", "user", "guideline"]
    for i in range(1, top + 1):
        if i != 3:
            _section(spec / f"{i:03d}-s{i}.md", f"s{i}", f"Section {i}", levels[i % 5])
            continue
        group = spec / f"{i:03d}-group"
        group.mkdir()
        _section(group / "index.md", "group", "A group of thirty", None)
        for j in range(1, 31):
            if j != 7:
                _section(group / f"{j:03d}-g{j}.md", f"g{j}", f"Grouped {j}", levels[j % 5])
                continue
            inner = group / f"{j:03d}-inner"
            inner.mkdir()
            _section(inner / "index.md", "inner", "An inner group", None)
            for k in range(1, 16):
                _section(inner / f"{k:03d}-i{k}.md", f"i{k}", f"Inner {k}", levels[k % 5])
    features = ["navigation.indexes", "navigation.sections"]
    if tabs:
        features.append("navigation.tabs")
    if not whole_nav:
        features.append("navigation.prune")
    hooks = ""
    if whole_nav:
        (project / "whole_nav.py").write_text(WHOLE_NAV_HOOK)
        hooks = "hooks:\n  - whole_nav.py\n"
    (project / "mkdocs.yml").write_text(
        "site_name: Wide\ndocs_dir: spec\n"
        "theme:\n  name: material\n  font: false\n  features: ["
        + ", ".join(features)
        + "]\nplugins:\n  - specgen:\n      spec_dir: spec\n"
        + hooks
    )
    return project
