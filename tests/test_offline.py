"""`specgen build --offline` (specgen/site/offline.py): a site that works from disk.

Every link of every page (and of the shared navigation script) opens a file, never a
folder; instant navigation is left out; search/specgen-offline.js holds the pages
Pagefind indexes, with the same words and metadata, in a script no spec text can break
out of. The browser side is tests/browser/test_offline.py."""

from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from specgen.site.offline import GLOBAL_NAME, OFFLINE_INDEX, offline_script, read_page
from tests.cli_helpers import new_project, run_cli
from tests.test_search_index import _fragments

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "openai-model-spec"
MODEL_SPEC = CORPUS / "2025-12-18" / "model_spec.md"
needs_corpus = pytest.mark.skipif(
    not MODEL_SPEC.is_file() and not os.environ.get("CI"),
    reason=f"the OpenAI Model Spec corpus is not at {CORPUS} (it must be there in CI)",
)
URL_ATTRIBUTES = ("href", "src", "action", "poster", "data")
NAV_SCRIPT_HREF = re.compile(r'href=\\"([^"\\]*)\\"')


def _build_offline(cwd: Path, out: Path, *args: str) -> Path:
    code, output = run_cli("build", "--offline", *args, "-d", str(out), cwd=cwd)
    assert code == 0, output
    assert f"Site written to {out}; open {out / 'index.html'}" in output, output
    return out


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build_offline(REPO, tmp_path_factory.mktemp("offline-sample") / "site")


@pytest.fixture(scope="module")
def model_spec(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("offline-model-spec") / "site"
    # Its real defects are lint errors: --force, as tests/test_site_model_spec.py does.
    return _build_offline(MODEL_SPEC.parent, out, str(MODEL_SPEC), "--force")


class _Links(HTMLParser):
    """Every URL a page's markup holds (and a meta refresh's), with its tag."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name in URL_ATTRIBUTES:
            if name in values:
                self.found.append((tag, values[name]))
        if values.get("http-equiv", "").lower() == "refresh":
            _, _, url = values.get("content", "").partition("url=")
            self.found.append((tag, url.strip()))


def _internal(url: str) -> str | None:
    """The path of a link within the site (None: elsewhere, or this page's anchor)."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    return unquote(parts.path)


def _broken_links(site: Path) -> list[str]:
    """Links that end in "/" or lead to no file, as "page: link"."""
    broken = []
    # 404.html is what a server shows for an address it does not have: from disk no
    # one opens it, and MkDocs writes its links from the server's root on purpose.
    pages = [page for page in sorted(site.rglob("*.html")) if page != site / "404.html"]
    assert len(pages) > 10, pages
    checked = 0
    for page in pages:
        reader = _Links()
        reader.feed(page.read_text("utf-8"))
        for tag, url in reader.found:
            path = _internal(url)
            if path is None:
                continue
            checked += 1
            target = page.parent / path
            if path.endswith("/") or not target.is_file():
                broken.append(f"{page.relative_to(site)}: <{tag}> {url}")
    # The whole navigation, in the script every page shares: links from the site's root.
    scripts = list((site / "assets" / "specgen").glob("nav.*.js"))
    assert len(scripts) == 1, scripts
    tree = NAV_SCRIPT_HREF.findall(scripts[0].read_text("utf-8"))
    assert len(tree) > 10, tree
    for url in tree:
        path = _internal(url)
        if path is not None and (path.endswith("/") or not (site / path).is_file()):
            broken.append(f"navigation script: {url}")
    assert checked > 10 * len(pages)  # the pages' links were read
    return broken


def test_every_link_of_the_sample_site_opens_a_file(sample: Path) -> None:
    assert _broken_links(sample) == []


@needs_corpus
def test_every_link_of_the_model_spec_site_opens_a_file(model_spec: Path) -> None:
    assert _broken_links(model_spec) == []


def _offline_index(site: Path) -> list[dict[str, Any]]:
    text = (site / "search" / OFFLINE_INDEX).read_text("utf-8")
    prefix = f"window.{GLOBAL_NAME} = "
    assert text.startswith(prefix) and text.endswith(";\n")
    pages: list[dict[str, Any]] = json.loads(text[len(prefix) : -2])["pages"]
    return pages


def _words(text: str) -> list[str]:
    # Pagefind and the offline index split the same text; punctuation may sit apart.
    return re.sub(r"[^\w]+", " ", text).split()


def _same_pages_as_pagefind(site: Path) -> None:
    offline = {}
    for page in _offline_index(site):
        assert not page["url"].endswith("/") and (site / page["url"]).is_file(), page["url"]
        # Pagefind names a folder's index.html by its folder: /a/index.html is /a/.
        offline["/" + page["url"].removesuffix("index.html")] = page
    pagefind = {record["url"]: record for record in _fragments(site)}
    assert sorted(offline) == sorted(pagefind)
    for url, record in pagefind.items():
        page = offline[url]
        assert page["meta"] == record["meta"], url  # titles, section ids, example captions
        assert _words(page["content"]) == _words(record["content"]), url
        headings = [(a["id"], a["text"]) for a in page["anchors"] if a["element"] != "figure"]
        assert headings == [
            (a["id"], a["text"]) for a in record["anchors"] if a["element"][0] == "h"
        ], url


def test_the_offline_index_holds_pagefinds_pages_of_the_sample(sample: Path) -> None:
    pages = _offline_index(sample)
    urls = {page["url"] for page in pages}
    # Sections, eval prompt sets and the home page; never the aggregate pages.
    assert {"index.html", "verify_before_disclosing.html", "eval/k7q2.html"} <= urls
    assert not urls & {"all.html", "examples.html", "levels.html", "eval.html"}
    _same_pages_as_pagefind(sample)


@needs_corpus
def test_the_offline_index_holds_pagefinds_pages_of_the_model_spec(model_spec: Path) -> None:
    _same_pages_as_pagefind(model_spec)


def test_spec_text_cannot_break_out_of_the_offline_script() -> None:
    hostile = "</script><script>alert(1)</script><!-- \u2028\u2029 & ' \" \\ ]]> \ud7ff"
    pages = [{"url": "a.html", "content": hostile, "meta": {"title": hostile}, "anchors": []}]
    script = offline_script(pages)
    assert "<" not in script and ">" not in script and "&" not in script
    assert "\u2028" not in script and "\u2029" not in script
    assert script.count("\n") == 1 and script.endswith(";\n")
    prefix = f"window.{GLOBAL_NAME} = "
    assert json.loads(script[len(prefix) : -2]) == {"pages": pages}


def test_a_page_is_read_as_pagefind_reads_it() -> None:
    html = """<html><head><title>T</title><script>var x = "script words";</script></head>
    <body><h1>The <em>title</em></h1><nav>navigation words</nav>
    <article data-pagefind-body data-pagefind-meta="sid[data-id]" data-id="s1">
      <header data-pagefind-ignore data-pagefind-index-attrs="data-sg-id" data-sg-id="s1">
        badge words</header>
      <p>Run r<sup>2</sup> on<span data-pagefind-ignore> hidden</span> text.</p>
      <h2 id="more">More <a class="headerlink" href="#more">¶</a></h2>
      <figure id="ex1"><figcaption data-pagefind-meta="ex.ex1"><span data-pagefind-ignore>
        Example</span> A caption</figcaption><p>Said</p></figure>
      <form>form words</form>
    </article>
    <div data-pagefind-ignore="all"><div data-pagefind-body>dropped words</div></div>
    </body></html>"""
    page = read_page(html)
    assert page is not None
    assert page["content"] == "s1. Run r2 on text. More A caption Said"
    assert page["meta"] == {"title": "The title", "sid": "s1", "ex.ex1": "A caption"}
    assert page["anchors"] == [
        {"element": "h2", "id": "more", "text": "More", "location": 5},
        {"element": "figure", "id": "ex1", "text": "", "location": 6},
    ]
    assert read_page("<body><h1>No body</h1><p>text</p></body>") is None
    assert read_page('<div data-pagefind-ignore="all"><p data-pagefind-body>x</p></div>') is None
    assert read_page("<div data-pagefind-body> </div>") is None  # no word: not indexed


def _features(page: Path) -> list[str]:
    config = re.search(
        r'<script id="__config" type="application/json">(.*?)</script>',
        page.read_text("utf-8"),
        re.DOTALL,
    )
    assert config is not None
    features: list[str] = json.loads(config.group(1))["features"]
    return features


def test_instant_navigation_is_left_out_and_a_plain_build_is_unchanged(tmp_path: Path) -> None:
    project = new_project(tmp_path)
    config = project / "mkdocs.yml"
    text = config.read_text("utf-8")
    instant = "    - navigation.instant\n    - navigation.instant.prefetch\n"
    config.write_text(text.replace("  features:\n", "  features:\n" + instant), "utf-8")
    offline = _build_offline(project, tmp_path / "offline")
    assert not [f for f in _features(offline / "index.html") if "instant" in f]
    assert "navigation.indexes" in _features(offline / "index.html")
    assert (offline / "be_concise.html").is_file() and not (offline / "be_concise").exists()

    code, output = run_cli("build", "-d", str(tmp_path / "served"), cwd=project)
    assert code == 0, output
    served = tmp_path / "served"
    assert "navigation.instant" in _features(served / "index.html")
    assert (served / "be_concise" / "index.html").is_file()
    assert not (served / "search" / OFFLINE_INDEX).exists()
    assert (served / "search" / "pagefind.js").is_file()


@pytest.mark.parametrize("other", [["--all-versions"], ["--diff-base", "HEAD"]])
def test_offline_is_one_site_only(tmp_path: Path, other: list[str]) -> None:
    project = new_project(tmp_path)
    code, output = run_cli("build", "--offline", *other, cwd=project)
    assert code == 2, output
    assert "--offline" in output and other[0] in output.split("Error:")[-1]
    assert not (project / "site").exists()
