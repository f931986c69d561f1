"""Reading the site straight through, and the small things a reader trips on: the footer's
previous and next links follow the spec's reading order; the examples index counts what
its filter shows and keeps the filter in its address; the eval set page's text; an eval
reference's accessible name; one top-level heading on the home page; each release of a
versioned site labelled with its own version; and the older-release banner leading to a
renamed section."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from specgen.model import Spec
from specgen.sources.loading import load_spec
from tests.browser.helpers import REPO, PageLog, new_context, settle, watch
from tests.cli_helpers import new_project
from tests.versions_helpers import build_all_versions, commit_and_tag, git

NEXT = "a.md-footer__link--next"
PREVIOUS = "a.md-footer__link--prev"
BANNER_LINK = "[data-md-component=outdated] a[data-sg-newest]"


@pytest.fixture(scope="module")
def sample_spec() -> Spec:
    return load_spec(REPO / "spec")[0].spec


@pytest.fixture
def tab(browser: Any) -> Iterator[tuple[Any, PageLog]]:
    context = new_context(browser)
    page = context.new_page()
    log = watch(page)
    yield page, log
    context.close()


def open_page(page: Any, url: str) -> None:
    page.goto(url)
    settle(page)


def heading(page: Any) -> str:
    return str(page.locator(".md-content h1").first.inner_text()).strip()


def test_footer_reads_the_sections_in_order(
    tab: tuple[Any, PageLog], sample_url: str, sample_spec: Spec
) -> None:
    """From the home page, Next after Next visits every section once, in the order of
    the spec, and stops at the last; Previous goes back one."""
    page, log = tab
    open_page(page, sample_url)
    visited = []
    while page.locator(NEXT).count():
        page.locator(NEXT).click()
        page.wait_for_load_state()
        visited.append(heading(page))
        assert len(visited) <= len(list(sample_spec.walk())), visited
    assert visited == [s.title for s in sample_spec.walk()]
    # The last section leads back to the one before it, not on to the Browse pages.
    before = page.url
    page.locator(PREVIOUS).click()
    page.wait_for_load_state()
    assert heading(page) == visited[-2]
    assert page.locator(NEXT).get_attribute("href") is not None
    page.locator(NEXT).click()
    page.wait_for_url(before)
    assert log.errors == []


def test_browse_pages_stand_outside_the_reading_order(
    tab: tuple[Any, PageLog], sample_url: str
) -> None:
    page, _ = tab
    for path in ("levels/", "examples/", "eval/", "all/"):
        open_page(page, sample_url + path)
        assert page.locator(f"{NEXT}, {PREVIOUS}").count() == 0, path


def shown_items(page: Any) -> int:
    return int(page.locator(".sg-examples-index__item:visible").count())


def test_examples_filter_counts_what_it_shows_and_survives_a_reload(
    tab: tuple[Any, PageLog], sample_url: str
) -> None:
    page, log = tab
    open_page(page, sample_url + "examples/")
    count = page.locator(".sg-filter__count")
    total = page.locator(".sg-examples-index__item").count()
    assert total > 3
    assert count.inner_text().startswith(f"{total} examples")
    # Only root-level examples with an answer rated a violation.
    for box in page.locator('.sg-filter input[name="level"]').all():
        if box.get_attribute("value") != "root":
            box.uncheck()
    for box in page.locator('.sg-filter input[name="quality"]').all():
        if box.get_attribute("value") != "bad":
            box.uncheck()
    shown = shown_items(page)
    assert 0 < shown < total
    assert count.inner_text().startswith(f"{shown} of {total} examples shown")
    for item in page.locator(".sg-examples-index__item:visible").all():
        assert item.get_attribute("data-level") == "root"
        assert "bad" in str(item.get_attribute("data-qualities")).split()
    assert "level=root" in page.url and "rated=bad" in page.url

    page.reload()
    settle(page)
    assert shown_items(page) == shown
    assert count.inner_text().startswith(f"{shown} of {total} examples shown")
    checked = page.locator(".sg-filter input:checked").evaluate_all(
        "boxes => boxes.map(b => b.name + '=' + b.value)"
    )
    assert checked == ["level=root", "quality=bad"]
    # Ticking every box again shows them all and leaves a plain address.
    for box in page.locator(".sg-filter input").all():
        box.check()
    assert shown_items(page) == total
    assert "?" not in page.url
    assert log.errors == []


def test_eval_set_page_reads_as_prompts(tab: tuple[Any, PageLog], sample_url: str) -> None:
    page, _ = tab
    open_page(page, sample_url + "eval/")
    first = page.locator(".sg-eval-index tbody a").first
    first.click()
    page.wait_for_load_state()
    cited = page.locator(".sg-eval-set__cited").inner_text()
    prompts = page.locator(".sg-eval-set .sg-example").count()
    assert prompts > 0
    assert re.fullmatch(rf"Cited by .+\. {prompts} prompts?\.", cited.strip()), cited
    assert "All eval prompt sets" not in cited
    back = page.get_by_role("link", name="All eval prompt sets")
    assert back.count() == 1
    kickers = page.locator(".sg-eval-set .sg-example__kicker").all_text_contents()
    assert [k.strip() for k in kickers] == ["Prompt"] * prompts
    back.click()
    page.wait_for_url(sample_url + "eval/")


def test_eval_reference_says_what_it_is(
    tab: tuple[Any, PageLog], sample_url: str, sample_spec: Spec
) -> None:
    page, _ = tab
    cited = {
        s.id: r.target for s in sample_spec.walk() for r in s.references if r.kind.name == "EVAL"
    }
    section, set_id = next(iter(cited.items()))
    open_page(page, f"{sample_url}{section}/")
    link = page.get_by_role("link", name=f"Eval prompt set {set_id}", exact=True)
    assert link.count() >= 1
    assert link.first.inner_text().strip() == set_id
    assert f"Eval prompt set {set_id}" in str(link.first.get_attribute("title"))
    link.first.click()
    page.wait_for_load_state()
    assert heading(page) == f"Eval prompts {set_id}"


def test_sample_home_has_one_top_level_heading(tab: tuple[Any, PageLog], sample_url: str) -> None:
    page, _ = tab
    open_page(page, sample_url)
    assert page.locator("h1").count() == 1
    assert "the support assistant that Northwind Air runs" in page.locator(".sg-home").inner_text()


FIXED_LABEL = "fixed-label"


@pytest.fixture(scope="module")
def renamed_url(tmp_path_factory: pytest.TempPathFactory, serve: Callable[[Path], str]) -> str:
    """The scaffolded project, its mkdocs.yml with a fixed `version:` label, released
    twice: v2.0 renames be_concise to be_brief (former_ids)."""
    project = new_project(tmp_path_factory.mktemp("renamed"))
    (project / ".gitignore").write_text("site/\n", "utf-8")
    config = project / "mkdocs.yml"
    text = config.read_text("utf-8")
    assert '      version: "0.1"\n' in text
    config.write_text(text.replace('version: "0.1"', f'version: "{FIXED_LABEL}"'), "utf-8")
    git(project, "init", "-q", "-b", "main")
    commit_and_tag(project, "v1.0")
    policy = project / "spec" / "30-be-concise.md"
    policy.write_text(
        policy.read_text("utf-8").replace(
            "id: be_concise\n", "id: be_brief\nformer_ids: [be_concise]\n"
        ),
        "utf-8",
    )
    overview = project / "spec" / "10-overview.md"
    overview.write_text(
        overview.read_text("utf-8").replace("(#be_concise)", "(#be_brief)"), "utf-8"
    )
    commit_and_tag(project, "v2.0")
    code, out = build_all_versions(project)
    assert code == 0, out
    site = project / "site"
    assert (site / "v2.0" / "be_brief" / "index.html").is_file()
    assert (site / "v2.0" / "be_concise" / "index.html").is_file()  # the redirect page
    return serve(site)


@pytest.mark.parametrize("version", ["v1.0", "v2.0", "latest"])
def test_each_release_shows_its_own_version(
    tab: tuple[Any, PageLog], renamed_url: str, version: str
) -> None:
    page, _ = tab
    open_page(page, f"{renamed_url}{version}/")
    label = page.locator(".sg-home__version").inner_text()
    own = "v2.0" if version == "latest" else version
    assert label.startswith(f"Version {own}"), label
    assert FIXED_LABEL not in page.content()


def test_banner_on_a_renamed_page_leads_to_the_renamed_section(
    tab: tuple[Any, PageLog], renamed_url: str
) -> None:
    page, log = tab
    open_page(page, f"{renamed_url}v1.0/be_concise/")
    page.wait_for_selector(BANNER_LINK)
    page.locator(BANNER_LINK).click()
    page.wait_for_url(f"{renamed_url}latest/be_brief/")
    assert heading(page) == "Be concise by default"
    # A page both releases have: the sitemap finds it.
    open_page(page, f"{renamed_url}v1.0/no_harmful_instructions/")
    page.wait_for_selector(BANNER_LINK)
    page.locator(BANNER_LINK).click()
    page.wait_for_url(f"{renamed_url}latest/no_harmful_instructions/")
    assert [u for u in log.requests if not u.startswith((renamed_url, "data:", "blob:"))] == []
    assert log.errors == []
