"""The real-world check: the site of the OpenAI Model Spec 2025-12-18, built from its
model_spec.md with `specgen build`, has every section, example, badge, roll-up and eval
prompt link the reference describes."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from specgen.model import RefKind, Spec
from specgen.sources.loading import load_spec
from tests.cli_helpers import run_cli

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "openai-model-spec"
SOURCE = CORPUS / "2025-12-18" / "model_spec.md"

pytestmark = pytest.mark.skipif(
    not SOURCE.is_file() and not os.environ.get("CI"),
    reason=f"the OpenAI Model Spec corpus is not at {CORPUS} (it must be there in CI)",
)

ARTICLE = re.compile(r'<article class="sg-section" data-section-id="([^"]+)"')
EXAMPLE = re.compile(r'<figure class="sg-example" id="([^"]+)"')


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("model-spec") / "site"
    code, output = run_cli("build", str(SOURCE), "-d", str(out))
    # Its six real defects (SG401, SG402) are lint errors: the build stops without --force.
    assert code == 1 and output.count("SG401") == 4 and "not building" in output
    assert not out.exists()
    code, output = run_cli("build", str(SOURCE), "-d", str(out), "--force")
    assert code == 0, output
    return out


@pytest.fixture(scope="module")
def spec() -> Spec:
    return load_spec(SOURCE)[0].spec


def _page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text("utf-8")


def test_every_section_has_its_page_and_every_example_its_anchor(site: Path, spec: Spec) -> None:
    sections: list[str] = []
    examples: list[str] = []
    for section in spec.walk():
        html = _page(site, section.id)
        sections.extend(ARTICLE.findall(html))
        examples.extend(EXAMPLE.findall(html))
    assert len(sections) == len(set(sections)) == 80
    assert len(examples) == len(set(examples)) == 183
    one_page = _page(site, "all")
    assert len(ARTICLE.findall(one_page)) == 80
    assert sorted(EXAMPLE.findall(one_page)) == sorted(examples)
    index = _page(site, "examples")
    assert index.count('class="sg-examples-index__item"') == 183


def _header_badge(html: str) -> str | None:
    header = html.split('<div class="sg-badges">', 1)[1].split("</div>", 1)[0]
    match = re.search(r'class="sg-badge sg-badge--(\w+)[^"]*"[^>]*>([^<]+)<', header)
    return f"{match.group(1)}:{match.group(2)}" if match else None


def test_badges_and_roll_ups_as_in_the_reference(site: Path, spec: Spec) -> None:
    # The roll-ups the reference lists for 2025-12-18.
    expected = {
        "stay_in_bounds": "rollup:Root +3",
        "disallowed_content": "rollup:Root +2",
        "seek_truth": "rollup:User +1",
        "chatgpt_u18": "rollup:Root",
    }
    for section_id, badge in expected.items():
        assert _header_badge(_page(site, section_id)) == badge, section_id
    levels = {level.id: level.name for level in spec.config.levels}
    labelled = 0
    for section in spec.walk():
        badge = _header_badge(_page(site, section.id))
        if section.authority:
            labelled += 1
            assert badge == f"level:{levels[section.authority]}", section.id
        elif section.informative:
            assert badge == "informative:Informative", section.id
    assert labelled == 59
    # The navigation carries the same badges: each page's own link shows its badge.
    nav_badges = {}
    for section in spec.walk():
        nav = _page(site, section.id).split('<div class="md-content"', 1)[0]
        own_link = nav.split('<a href="./" class="md-nav__link md-nav__link--active">', 1)[1]
        match = re.match(r"(?:(?!</a>).)*?sg-nav-badge--(\w+)[^>]*>([^<]+)<", own_link, re.S)
        nav_badges[section.id] = f"{match.group(1)}:{match.group(2)}" if match else None
    for section in spec.walk():
        assert nav_badges[section.id] == (
            None if section.informative else _header_badge(_page(site, section.id))
        ), section.id
    assert sum(1 for b in nav_badges.values() if b and b.startswith("level:")) == 59
    assert nav_badges["stay_in_bounds"] == "rollup:Root +3"


def test_levels_legend_groups_and_counts_every_policy(site: Path, spec: Spec) -> None:
    html = _page(site, "levels")
    total = 0
    for level in spec.config.levels:
        count = sum(1 for s in spec.walk() if s.authority == level.id)
        total += count
        group = html.split(f'id="level-{level.id}"', 1)[1].split("</section>", 1)[0]
        assert f"</span> {count} polic" in group
        assert group.count("<li>") == count
    assert total == 59 and "59 policies, by level" in html


def test_eval_prompt_references_link_to_their_pages(site: Path, spec: Spec) -> None:
    known = {s.id for s in spec.eval_sets}
    linked, missing = 0, set()
    for section in spec.walk():
        html = _page(site, section.id)
        for ref in section.references:
            if ref.kind is not RefKind.EVAL:
                continue
            if ref.target in known:
                assert f'href="../eval/{ref.target}/"' in html, (section.id, ref.target)
                linked += 1
            else:
                assert f'sg-eval-ref--missing">{ref.target}<' in html
                missing.add(ref.target)
    assert linked == 112 and missing == {"d0pu", "h82a", "rse0", "t5q0"}
    for set_id in known:
        page = _page(site, f"eval/{set_id}")
        assert "<h1>Eval prompts " in page
    assert "nothing cites it" in _page(site, "eval")  # 91ld and lds1


def test_cross_references_resolve_to_pages_and_titles(site: Path) -> None:
    html = _page(site, "chain_of_command")
    assert 'href="../levels/#level-root"' in html
    pages = [p / "index.html" for p in site.iterdir() if (p / "index.html").is_file()]
    assert len(pages) > 80
    assert not any("sg-ref--broken" in page.read_text("utf-8") for page in pages)
