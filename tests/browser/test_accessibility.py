"""axe-core on every page type, light and dark: the sample spec's site and the OpenAI
Model Spec's (home, a section with examples, one without, the levels legend, the
examples index, the whole spec on one page, the eval prompt sets and one set, the 404
page, the home page with search results open), a versioned site's releases page, What
changed page and older release (with its banner), and the page `specgen diff` writes.
No violation of impact serious or critical; each one found is printed with its rule,
element and why.

axe-core is injected from the copy axe-playwright-python ships (axe.min.js, read from
the installed package): nothing is fetched from the network."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from ruamel.yaml import YAML

from specgen.site_defaults import THEME
from tests.browser.helpers import REPO, build_site, new_context, settle
from tests.cli_helpers import new_project, run_cli
from tests.git_helpers import git
from tests.versions_helpers import (
    CORPUS,
    MODEL_SPEC_RELEASES,
    build_all_versions,
    commit_and_tag,
    require_corpus,
)

AXE_SOURCE = resources.files("axe_playwright_python").joinpath("axe.min.js").read_text("utf-8")
RUN_AXE = "() => axe.run(document, {resultTypes: ['violations']})"
BLOCKING = ("serious", "critical")
SCHEMES = ("light", "dark")
SEARCH_QUERY = "refund"  # in the sample spec: several sections, examples and eval prompts


class Page(NamedTuple):
    site: str  # the fixture that serves it: its base URL
    path: str  # relative to that URL
    search: bool = False  # with search results open
    material: bool = True  # a page of a Material site (with its light and dark palettes)
    ready: str = ""  # shown before axe runs (a script's work, or what makes the page type)


PAGES = {
    "sample: home": Page("sample_url", ""),
    "sample: section with examples": Page(
        "sample_url", "refunds_after_cancellation/", ready=".sg-example"
    ),
    "sample: section without examples": Page("sample_url", "definitions/"),
    "sample: levels": Page("sample_url", "levels/"),
    "sample: examples index": Page("sample_url", "examples/"),
    "sample: whole spec": Page("sample_url", "all/"),
    "sample: eval index": Page("sample_url", "eval/"),
    "sample: eval set": Page("sample_url", "eval/k7q2/"),
    "sample: 404": Page("sample_url", "404.html"),
    "sample: search results": Page("sample_url", "", search=True),
    "model spec: home": Page("model_spec_url", ""),
    "model spec: section with examples": Page(
        "model_spec_url", "ask_clarifying_questions/", ready=".sg-example"
    ),
    "model spec: section without examples": Page("model_spec_url", "comply_with_laws/"),
    "model spec: levels": Page("model_spec_url", "levels/"),
    "model spec: examples index": Page("model_spec_url", "examples/"),
    "model spec: whole spec": Page("model_spec_url", "all/"),
    "model spec: eval index": Page("model_spec_url", "eval/"),
    "model spec: eval set": Page("model_spec_url", "eval/092i/"),
    "model spec: 404": Page("model_spec_url", "404.html"),
    "versioned: releases": Page("versioned_url", "releases/", material=False),
    "versioned: what changed": Page("versioned_url", "v2.0/changes/"),
    "versioned: older release": Page(
        "versioned_url", "v1.0/be_concise/", ready="[data-md-component=outdated] a"
    ),
    "diff page": Page("diff_url", "diff.html", material=False),
}


@pytest.fixture(scope="module")
def model_spec_url(tmp_path_factory: pytest.TempPathFactory, serve: Callable[[Path], str]) -> str:
    """The site of the 2025-12-18 Model Spec, built with --force (real lint errors)."""
    require_corpus()
    source = CORPUS / MODEL_SPEC_RELEASES[-1] / "model_spec.md"
    out = tmp_path_factory.mktemp("a11y-model-spec") / "site"
    return serve(build_site(REPO, out, str(source), "--force"))


@pytest.fixture(scope="module")
def versioned_url(tmp_path_factory: pytest.TempPathFactory, serve: Callable[[Path], str]) -> str:
    """The scaffolded project, with the light and dark palettes of specgen's default
    theme, released as v1.0, then as v2.0 with a policy raised and reworded and one
    added."""
    project = new_project(tmp_path_factory.mktemp("a11y-versioned"))
    yaml = YAML()
    config = yaml.load(project / "mkdocs.yml")
    config["theme"]["palette"] = THEME["palette"]
    yaml.dump(config, project / "mkdocs.yml")
    (project / ".gitignore").write_text("site/\n", "utf-8")
    git(project, "init", "-q", "-b", "main")
    commit_and_tag(project, "v1.0")
    concise = project / "spec" / "30-be-concise.md"
    text = concise.read_text("utf-8").replace("authority: user", "authority: developer")
    concise.write_text(text + "\nKeep lists to five items.\n", "utf-8")
    (project / "spec" / "40-cite-sources.md").write_text(
        "---\nid: cite_sources\ntitle: Cite sources\nauthority: user\n---\n"
        "Name where a fact comes from.\n",
        "utf-8",
    )
    commit_and_tag(project, "v2.0")
    code, out = build_all_versions(project)
    assert code == 0, out
    return serve(project / "site")


@pytest.fixture(scope="module")
def diff_url(tmp_path_factory: pytest.TempPathFactory, serve: Callable[[Path], str]) -> str:
    """`specgen diff` of the two Model Spec releases, as an HTML page."""
    require_corpus()
    old, new = (str(CORPUS / r / "model_spec.md") for r in MODEL_SPEC_RELEASES)
    folder = tmp_path_factory.mktemp("a11y-diff")
    code, out = run_cli("diff", old, new, "-o", str(folder / "diff.html"))
    assert code == 0, out
    return serve(folder)


def _why(node: dict[str, Any]) -> str:
    """What axe says about one element (colours and ratio for contrast), else its HTML."""
    checks = node.get("any", []) + node.get("all", []) + node.get("none", [])
    messages = [check["message"] for check in checks if check.get("message")]
    return " ".join(" ".join(messages).split())[:240] or " ".join(node["html"].split())[:160]


def _report(violations: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}, {len(v['nodes'])} elements): {v['help']}\n"
        + "\n".join(f"    {', '.join(map(str, n['target']))}: {_why(n)}" for n in v["nodes"][:8])
        for v in violations
    )


def _open_search(page: Any) -> None:
    """Type into the header's search box and wait for the results."""
    box = page.locator(".md-search__input")
    box.click()
    box.press_sequentially(SEARCH_QUERY)
    page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    settle(page)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("name", PAGES)
def test_no_serious_or_critical_violation(
    browser: Any, request: pytest.FixtureRequest, name: str, scheme: str
) -> None:
    target = PAGES[name]
    url = request.getfixturevalue(target.site) + target.path
    context = new_context(browser, color_scheme=scheme)
    try:
        page = context.new_page()
        response = page.goto(url, wait_until="load")
        assert response is not None and response.status == 200, f"{url} is missing"
        settle(page)
        if target.material:  # the reader's scheme is the one shown
            palette = page.locator("body").get_attribute("data-md-color-scheme")
            assert palette == ("slate" if scheme == "dark" else "default"), palette
        if target.ready:
            page.locator(target.ready).first.wait_for(state="visible")
        if target.search:
            _open_search(page)
        page.evaluate(AXE_SOURCE)
        violations = page.evaluate(RUN_AXE)["violations"]
    finally:
        context.close()
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    if blocking:
        print(f"{name} ({scheme}):\n{_report(blocking)}")
    assert not blocking, f"{name} ({scheme}), {url}:\n{_report(blocking)}"
