"""The whole spec on one page, cut into parts when it is too long for one page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from specgen.model import Spec
from specgen.render import pages
from specgen.render.pages import one_page_parts
from specgen.sources.loading import load_spec
from tests.cli_helpers import run_cli
from tests.nav_helpers import wide_spec


def _spec(project: Path) -> Spec:
    result, _ = load_spec(project / "spec", project / "mkdocs.yml")
    assert result.spec is not None
    return result.spec


def test_parts_keep_top_level_trees_together_and_hold_every_section_once(
    tmp_path: Path,
) -> None:
    spec = _spec(wide_spec(tmp_path / "p", top=20))  # 19 single sections, a group of 46
    walk = [s.id for s in spec.walk()]
    parts = one_page_parts(spec, max_sections=10)
    assert [s.id for part in parts for s, _ in part.entries] == walk
    assert all(len(part.entries) <= 10 for part in parts)
    assert [part.number for part in parts] == list(range(1, len(parts) + 1))
    # a top-level section starts a part unless the part before has room for its tree
    assert [s.id for s, _ in parts[0].entries] == ["s1", "s2"]
    assert parts[1].entries[0][0].id == "group"
    # the group's tree alone is more than a part: cut every 10 sections, and what is
    # left of it shares a part with the top-level sections after it
    assert [len(p.entries) for p in parts[1:6]] == [10, 10, 10, 10, 10]
    assert [s.id for s, _ in parts[5].entries[5:]] == ["g30", "s4", "s5", "s6", "s7"]
    # a spec that fits is one part
    assert len(one_page_parts(spec, max_sections=len(walk))) == 1


def test_a_long_spec_reads_in_parts_that_link_to_each_other(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = wide_spec(tmp_path / "p", top=20)
    first = project / "spec" / "001-s1.md"
    first.write_text(first.read_text() + "\nSee [?](#i9) and [?](#s2).\n")
    monkeypatch.setattr(pages, "ONE_PAGE_MAX_SECTIONS", 10)
    site = tmp_path / "site"
    code, out = run_cli("build", "-d", str(site), cwd=project)
    assert code == 0, out
    count = len(one_page_parts(_spec(project), max_sections=10))
    part_pages = [site / "all" / "index.html"]
    part_pages += [site / "all" / str(n) / "index.html" for n in range(2, count + 1)]
    assert all(page.is_file() for page in part_pages)
    assert not (site / "all" / str(count + 1)).exists()
    anchors: dict[Path, set[str]] = {}
    for page in part_pages:
        anchors[page] = set(
            re.findall(
                r'<section class="sg-one-page__section" aria-labelledby="([^"]+)"', page.read_text()
            )
        )
    seen = [a for found in anchors.values() for a in found]
    assert sorted(seen) == sorted(s.id for s in _spec(project).walk())
    # a reference to a section of another part leads to that part's page, at the section
    text = part_pages[0].read_text()
    i9 = next(p for p, found in anchors.items() if "i9" in found)
    assert i9 != part_pages[0]
    link = re.search(r'href="([^"]*#i9)"', text)
    assert link is not None
    target = link.group(1).split("#")[0]
    assert (part_pages[0].parent / target / "index.html").resolve() == i9.resolve()
    assert 'href="#s2"' in text  # same part: an anchor of the page
    # each part lists the parts and steps to the next
    assert f"it reads in {count} pages" in text
    assert 'rel="next">Next: page 2' in text and 'rel="prev">Previous' not in text
    last = part_pages[-1].read_text()
    assert f'rel="prev">Previous: page {count - 1}' in last and 'rel="next">Next' not in last
    assert f"<title>Whole spec, page {count} of {count}" in last
