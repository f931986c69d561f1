"""Spec text never runs on the site: an XSS corpus in every field, every page opened.

The corpus (xss_payloads.txt) goes into every field a spec has: mkdocs.yml settings,
section titles, bodies in every Markdown context, tags, examples, every message role and
attribute, answers, eval prompt sets; once as native sources and once as an OpenAI
model_spec.md. Both sites are built with ``--force`` (the payloads are lint errors in
several fields) and every HTML page is opened in chromium over http. A payload that ran
opens a dialog, logs its canary number, sets ``window.__xss`` and ``data-xss``; one that
got through as markup leaves an element ``#xss-canary-N``; either names the payload and
the field it was put in.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.helpers import (
    FIND_TRACES,
    ONE_DIALOG,
    build_site,
    html_pages,
    new_context,
    settle,
    watch,
)
from tests.browser.xss_corpus import (
    GROUP,
    PAYLOADS_FILE,
    Corpus,
    groups,
    section_id,
    section_title,
    write_model_spec,
    write_native_project,
)
from tests.cli_helpers import new_project

# Links (and other elements with a URL) in the content area a reader could hover or click.
SUSPICIOUS_LINKS = r"""() => {
  const out = [];
  const content = document.querySelector(".md-content") || document.body;
  content.querySelectorAll("[href],[src],[action]").forEach((el, i) => {
    const raw = el.getAttribute("href") || el.getAttribute("xlink:href") ||
      el.getAttribute("src") || el.getAttribute("action") || "";
    let protocol = "";
    try { protocol = new URL(raw, location.href).protocol; } catch (e) { protocol = "bad:"; }
    if (!["http:", "https:"].includes(protocol)) {
      el.setAttribute("data-sg-suspicious", String(i));
      out.push([String(i), el.cloneNode(false).outerHTML]);
    }
  });
  return out;
}"""

# What a reader sees of a section page: its title and its content, as text.
SHOWN_TEXT = """() => [
  (document.querySelector(".md-content h1") || {innerText: ""}).innerText,
  (document.querySelector(".md-content") || {innerText: ""}).innerText,
]"""

NUMBER = re.compile(r"\b1\d{5}\b")
OUTSIDE_OK = ("data:", "blob:", "about:")


@dataclass
class Built:
    site: Path
    url: str
    corpus: Corpus


def _traces(page: Any, log: Any, url: str, corpus: Corpus) -> list[str]:
    found = [f"dialog {d}" for d in log.dialogs]
    found += [f"page error {e}" for e in log.errors]
    for kind, text in log.console:
        if any(int(n) in corpus.where for n in NUMBER.findall(text)):
            found.append(f"console.{kind} {text}")
    found += [f"request left the site: {r}" for r in log.requests if not _local(r, url)]
    found += page.evaluate(FIND_TRACES)
    return found


def _local(request: str, base: str) -> bool:
    return request.startswith(base) or request.startswith(OUTSIDE_OK)


class Findings:
    """Traces left by payloads, summed up by the field the payload was put in."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        # field -> payload numbers, kinds of trace, pages, one trace as an example
        self.fields: dict[str, tuple[set[int], set[str], set[str], list[str]]] = {}
        self.other: dict[str, set[str]] = {}  # traces that name no payload -> pages
        self.requests: dict[str, str] = {}  # host -> its line in self.other

    def add(self, where: str, traces: list[str]) -> None:
        for trace in traces:
            kind = trace.split(" ", 1)[0]
            numbers = {int(n) for n in NUMBER.findall(trace)} & self.corpus.where.keys()
            if kind == "request":
                # A request's URL may hold any text of the page: it names no payload.
                url = trace.split(": ", 1)[1]
                host = urlsplit(url).netloc
                line = f"requests left the site for {host}, e.g. {url[:120]}"
                self.other.setdefault(self.requests.setdefault(host, line), set()).add(where)
                continue
            if not numbers:
                self.other.setdefault(re.sub(r"^\d+", "N", trace[:300]), set()).add(where)
                continue
            for number in numbers:
                field, p = self.corpus.where[number]
                payloads, kinds, pages, example = self.fields.setdefault(
                    field, (set(), set(), set(), [])
                )
                payloads.add(p + 1)
                kinds.add(kind)
                pages.add(where)
                if not example:
                    example.append(f"{where}: {trace[:300]}")

    def __repr__(self) -> str:
        return f"<Findings from {len(self.fields)} fields>"

    def __bool__(self) -> bool:
        return bool(self.fields or self.other)

    def report(self) -> str:
        lines = [f"spec text ran or got through as markup, from {len(self.fields)} fields:"]
        for field, (payloads, kinds, pages, example) in sorted(self.fields.items()):
            lines.append(
                f"- {field}: payloads {sorted(payloads)} ({', '.join(sorted(kinds))}) "
                f"on {len(pages)} page(s)\n    e.g. {example[0]}"
            )
        for trace, pages in sorted(self.other.items())[:20]:
            lines.append(f"- on {len(pages)} page(s) e.g. {sorted(pages)[0]}: {trace}")
        lines.append(f"(payload numbers are lines of {PAYLOADS_FILE.name}, comments left out)")
        return "\n".join(lines)


def _open_context(browser: Any) -> Any:
    context = new_context(browser)
    context.add_init_script(ONE_DIALOG)
    return context


@dataclass
class Crawl:
    findings: Findings
    texts: dict[str, tuple[str, str]]  # section page -> (its h1, its content), as shown


def _crawl(browser: Any, built: Built) -> Crawl:
    """Open every page of the site; hover and click whatever link looks dangerous."""
    context = _open_context(browser)
    page = context.new_page()
    log = watch(page)
    crawl = Crawl(Findings(built.corpus), {})
    pages = html_pages(built.site)
    assert len(pages) > len(groups(built.corpus)), pages  # a page per section at least
    try:
        for path in pages:
            log.clear()
            url = built.url + path
            response = page.goto(url, wait_until="load")
            assert response is not None and response.ok, url
            settle(page)
            traces = _traces(page, log, built.url, built.corpus)
            # Hover and click every suspicious link of the content area.
            links = page.evaluate(SUSPICIOUS_LINKS)
            for index, html in links:
                traces.append(f"suspicious link {html[:300]}")
                target = page.locator(f'[data-sg-suspicious="{index}"]')
                with contextlib.suppress(Exception):  # hidden, or gone after a click
                    target.hover(force=True, timeout=500)
                    target.click(force=True, timeout=500, no_wait_after=True)
            if links:
                settle(page)
                traces += _traces(page, log, built.url, built.corpus)
            crawl.findings.add(path or "/", traces)
            if path.startswith("xss_g") and page.url.startswith(url):
                crawl.texts[path] = page.evaluate(SHOWN_TEXT)
    finally:
        context.close()
    return crawl


def _check_search(browser: Any, built: Built) -> None:
    """The search (Pagefind's index in Material's search box) shows titles, example
    captions and text of the spec: every result, and every row under one (examples, eval
    prompts), must stay text."""
    context = _open_context(browser)
    page = context.new_page()
    log = watch(page)
    findings = Findings(built.corpus)
    shown = ""
    try:
        page.goto(built.url, wait_until="load")
        for query in ("canary", "onerror", "script", "javascript"):
            log.clear()
            # force: a header broken by other payloads must not hide what search does.
            page.locator(".md-search__input").fill(query, force=True)
            where = f"search for {query!r}"
            try:
                results = page.locator(".md-search-result__item").first
                results.wait_for(state="attached", timeout=10_000)
            except PlaywrightTimeout:
                findings.add(where, ["no search results"])
                findings.add(where, _traces(page, log, built.url, built.corpus))
                break  # search is broken: the other queries would only wait as long
            _show_every_result(page)
            settle(page)
            findings.add(where, _traces(page, log, built.url, built.corpus))
            shown += page.locator(".md-search-result__list").inner_text()
    finally:
        context.close()
    assert not findings, findings.report()
    # Shown, as text: a script tag of a body, an example's caption under its section.
    assert "<script id=xss-canary-" in shown
    assert "EXAMPLE" in shown.upper() and "xss-canary" in shown


def _show_every_result(page: Any) -> None:
    """Press the results' "more" button until every result is on the page."""
    more = page.locator(".sg-search__more-button")
    for _ in range(100):
        if not more.count():
            return
        items = ".md-search-result__item:not(.sg-search__more)"
        before = page.locator(items).count()
        # A payload may have moved focus and closed Material's search (its toggle is the
        # #__search checkbox): open it again, the results are what is checked here.
        page.evaluate(
            "() => { const t = document.getElementById('__search'); if (t) t.checked = true; }"
        )
        more.first.click(force=True)
        page.wait_for_function(
            "([items, n]) => document.querySelectorAll(items).length > n",
            arg=[items, before],
            timeout=10_000,
        )


@pytest.fixture(scope="module")
def native(tmp_path_factory: pytest.TempPathFactory, serve: Callable[[Path], str]) -> Built:
    corpus = Corpus()
    project = new_project(tmp_path_factory.mktemp("xss-native"))
    write_native_project(project, corpus)
    site = build_site(project, project / "out", "--force")
    return Built(site, serve(site), corpus)


@pytest.fixture(scope="module")
def native_crawl(browser: Any, native: Built) -> Crawl:
    return _crawl(browser, native)


@pytest.fixture(scope="module")
def dialect(tmp_path_factory: pytest.TempPathFactory, serve: Callable[[Path], str]) -> Built:
    corpus = Corpus()
    folder = tmp_path_factory.mktemp("xss-openai")
    spec = write_model_spec(folder, corpus)
    site = build_site(folder, folder / "out", str(spec), "--force")
    return Built(site, serve(site), corpus)


@pytest.fixture(scope="module")
def dialect_crawl(browser: Any, dialect: Built) -> Crawl:
    return _crawl(browser, dialect)


def _words(text: str) -> str:
    return " ".join(text.split())


def test_the_corpus_is_big_and_distinct() -> None:
    payloads = Corpus().payloads
    assert len(payloads) >= 30 and len(set(payloads)) == len(payloads)


def test_no_payload_runs_on_any_page_of_a_native_spec(native_crawl: Crawl) -> None:
    findings = native_crawl.findings
    assert not findings, findings.report()


def test_no_payload_runs_in_search_results(browser: Any, native: Built) -> None:
    _check_search(browser, native)


def test_payloads_are_shown_as_text(native: Built, native_crawl: Crawl) -> None:
    """Dropping the payloads would pass the tests above: they must be readable text."""
    corpus = native.corpus
    for g in range(len(groups(corpus))):
        h1, _ = native_crawl.texts[f"{section_id(g)}/"]
        assert _words(h1) == _words(section_title(corpus, g)), g
    # The script tag, whole, in a paragraph of the body and in the example's messages.
    assert corpus.payloads[0].startswith("<script id=xss-canary-")
    _, text = native_crawl.texts[f"{section_id(0)}/"]
    for field in ("body paragraph alone", "user message", "good answer", "tool message"):
        assert corpus.put(field, 0) in text, field
    # Jinja never evaluates spec text: the template payloads are shown as written.
    for p in (7, 8):
        assert corpus.payloads[p].startswith("{")
        _, text = native_crawl.texts[f"{section_id(p // GROUP)}/"]
        assert corpus.put("body paragraph alone", p) in text, p
        assert corpus.put("system message", p) in text, p


def test_no_payload_runs_in_search_results_of_an_openai_model_spec(
    browser: Any, dialect: Built
) -> None:
    _check_search(browser, dialect)


def test_no_payload_runs_on_any_page_of_an_openai_model_spec(dialect_crawl: Crawl) -> None:
    findings = dialect_crawl.findings
    assert not findings, findings.report()


def test_openai_payloads_are_shown_as_text(dialect: Built, dialect_crawl: Crawl) -> None:
    corpus = dialect.corpus
    h1, text = dialect_crawl.texts[f"{section_id(0)}/"]
    assert _words(h1) == _words(section_title(corpus, 0, "md heading"))
    for field in ("md body paragraph", "md user message", "md good answer", "md tool message"):
        assert corpus.put(field, 0) in text, field
