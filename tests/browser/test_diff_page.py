"""The HTML diff in a browser: insertions and deletions rendered and visible, the page
self-contained (no request leaves it, over http or from a file), readable in light and
dark (axe-core), and spec text inert: the XSS corpus, in the changed and the unchanged
fields of two versions of a spec, runs nowhere in the diff page nor in the Markdown
comment."""

from __future__ import annotations

import contextlib
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

from specgen.diff.engine import diff_specs
from specgen.diff.html_out import render_diff_html
from specgen.diff.markdown_out import render_diff_markdown
from specgen.sources.loading import load_spec
from tests.browser.helpers import REPO, new_context, settle, watch
from tests.browser.test_xss import (
    ONE_DIALOG,
    SUSPICIOUS_LINKS,
    Findings,
    _traces,
)
from tests.browser.xss_corpus import (
    Corpus,
    _example,
    groups,
    q,
    section_title,
    write_native_project,
)
from tests.cli_helpers import new_project

FIXTURES = REPO / "tests" / "fixtures" / "diff_output"
PREVIEW = "https://preview.example.com/spec"

# Every <ins> and <del> a reader can see: its text and how it is told apart.
MARKS = r"""() => [...document.querySelectorAll("ins, del")]
  .filter(e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden")
  .map(e => {
    const style = getComputedStyle(e);
    return {
      kind: e.localName,
      block: e.classList.contains("sgd-block"),
      text: e.innerText.replace(/\s+/g, " ").trim(),
      line: style.textDecorationLine,
      color: style.color,
      background: style.backgroundColor,
    };
  })"""


@pytest.fixture(scope="module")
def diff_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    old = load_spec(FIXTURES / "old" / "spec")[0].spec
    new = load_spec(FIXTURES / "new" / "spec")[0].spec
    folder = tmp_path_factory.mktemp("diff-page")
    page = folder / "diff.html"
    page.write_text(render_diff_html(diff_specs(old, new, "v1", "v2")), "utf-8")
    return page


@pytest.fixture(scope="module")
def diff_url(diff_file: Path, serve: Callable[[Path], str]) -> str:
    return serve(diff_file.parent) + diff_file.name


def _open(browser: Any, url: str, scheme: str = "light") -> tuple[Any, Any, Any]:
    context = new_context(browser, color_scheme=scheme)
    page = context.new_page()
    log = watch(page)
    response = page.goto(url, wait_until="load")
    assert response is None or response.ok, url  # file:// has no response
    settle(page)
    return context, page, log


def _check_marks(page: Any) -> list[dict[str, Any]]:
    marks = page.evaluate(MARKS)
    inserted = [m["text"] for m in marks if m["kind"] == "ins"]
    deleted = [m["text"] for m in marks if m["kind"] == "del"]
    # Inline insertions and deletions, word by word, in the body and the examples.
    assert "prompt refund to the original payment method" in inserted
    assert "full refund in cash" in deleted
    assert "to your card" in inserted and "I think so." in deleted
    assert "Vouchers are never the default." in deleted
    # Whole examples and sections, as blocks.
    assert any(m["block"] and "We will book you a hotel" in m["text"] for m in marks)
    assert any(m["block"] and "Yes, here is your voucher code." in m["text"] for m in marks)
    # Told apart by more than colour: underlined and struck through.
    for mark in marks:
        if not mark["block"]:
            expected = "underline" if mark["kind"] == "ins" else "line-through"
            assert mark["line"] == expected, mark
            assert mark["background"] not in ("rgba(0, 0, 0, 0)", "transparent"), mark
    verdicts = page.locator(".sgd-verdict-change").all_inner_texts()
    assert [" ".join(v.split()) for v in verdicts] == [
        "VERDICT CHANGED: Violation → Minor issues",
        "VERDICT CHANGED: Compliant → Violation",
    ]
    return marks


def test_insertions_and_deletions_are_rendered(browser: Any, diff_url: str) -> None:
    context, page, log = _open(browser, diff_url)
    try:
        _check_marks(page)
        # A section of the list leads to its detail.
        page.locator(".sgd-changes a", has_text="Be friendly").click()
        assert page.url.endswith("#friendly")
        assert page.locator("#friendly").is_visible()
        # Unchanged sections are collapsed until asked for.
        assert not page.locator("#concise").is_visible()
        page.locator(".sgd-unchanged summary").click()
        assert page.locator("#concise").is_visible()
    finally:
        context.close()
    # Nothing but the page itself was fetched (the spec's image is named, not loaded).
    assert log.requests == [diff_url], log.requests
    assert not log.console and not log.errors


def test_the_page_opens_from_a_file(browser: Any, diff_file: Path) -> None:
    url = diff_file.as_uri()
    context, page, log = _open(browser, url)
    try:
        _check_marks(page)
        assert page.title() == "Changes to Skye spec: v1 → v2"
    finally:
        context.close()
    assert log.requests == [url], log.requests


def test_dark_scheme_follows_the_reader(browser: Any, diff_url: str) -> None:
    colours = {}
    for scheme in ("light", "dark"):
        context, page, _ = _open(browser, diff_url, scheme)
        try:
            body = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
            marks = _check_marks(page)
            ins = next(m for m in marks if m["kind"] == "ins" and not m["block"])
            colours[scheme] = (body, ins["background"], ins["color"])
        finally:
            context.close()
    assert colours["light"][0] == "rgb(255, 255, 255)"
    assert colours["dark"] != colours["light"]
    assert all(a != b for a, b in zip(colours["light"], colours["dark"], strict=True))


def _why(node: dict[str, Any]) -> str:
    checks = node.get("any", []) + node.get("all", []) + node.get("none", [])
    messages = [check["message"] for check in checks if check.get("message")]
    return " ".join(" ".join(messages).split())[:240] or " ".join(node["html"].split())[:160]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violation(browser: Any, diff_url: str, scheme: str) -> None:
    """Contrast of insertions, deletions, chips and verdicts included, in both schemes."""
    from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

    context, page, _ = _open(browser, diff_url, scheme)
    try:
        page.locator(".sgd-unchanged summary").click()
        results = Axe().run(page)
    finally:
        context.close()
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    report = [
        f"{v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(f"    {', '.join(map(str, n['target']))}: {_why(n)}" for n in v["nodes"][:8])
        for v in serious
    ]
    assert not serious, f"diff page ({scheme}):\n" + "\n".join(report)


# -- the XSS corpus -----------------------------------------------------------------------


@dataclass
class XssDiff:
    folder: Path
    url: str
    corpus: Corpus
    markdown: str


def _change_native_project(project: Path, corpus: Corpus) -> None:
    """The next version of an XSS corpus project: payloads added, removed, changed,
    moved; sections retitled, moved, removed and added; verdicts and levels changed."""
    folder = project / "spec" / "40-xss"
    count = len(groups(corpus))
    for g, ps in enumerate(groups(corpus)):
        path = folder / f"{g + 10:02d}-g{g}.md"
        text = path.read_text("utf-8")
        if g % 2 == 0:  # even groups change; odd ones keep their text
            for p in ps:
                alone = corpus.put("body paragraph alone", p)
                text = text.replace(f"\n\n{alone}\n\n", "\n\n", 1)  # a deleted payload
                text = text.replace(
                    f"Paragraph: {corpus.put('body paragraph', p)}",
                    f"Paragraph, changed: {corpus.put('body paragraph', p)}",
                )
                text = text.replace(
                    q(corpus.put("user message", p)), q(corpus.put("diff user message", p))
                )
                text += f"\n\nAdded: {corpus.put('diff added paragraph', p)}\n"
            text = text.replace("- quality: good\n", "- quality: bad\n")  # verdicts
            tags = ", ".join(q(corpus.put("diff added tag", p)) for p in ps)
            text = text.replace("tags: [", f"tags: [{tags}, ", 1)
        if g == 0:
            text = text.replace(
                q(section_title(corpus, g)), q(section_title(corpus, g, "diff title"))
            )
            text = text.replace("authority: root", "authority: user")
            added = _example(corpus, ps[0], "xss_g1").replace(f"- id: x{ps[0]}", "- id: added")
            text = text.replace("examples:\n", f"examples:\n{added}", 1)
        if g == 3:
            text = re.sub(r"  - id: last\n(    .*\n|      .*\n)*", "", text)  # an example removed
        path.write_text(text, "utf-8")
    # Moved out of its parent, removed, added.
    (folder / "11-g1.md").rename(project / "spec" / "45-g1.md")
    (folder / "12-g2.md").unlink()
    added = (folder / "13-g3.md").read_text("utf-8").replace("id: xss_g3", "id: xss_added", 1)
    (folder / f"{count + 10:02d}-added.md").write_text(added, "utf-8")


@pytest.fixture(scope="module")
def xss_diff(tmp_path_factory: pytest.TempPathFactory, serve: Callable[[Path], str]) -> XssDiff:
    corpus = Corpus()
    root = tmp_path_factory.mktemp("xss-diff")
    old = new_project(root / "old")
    write_native_project(old, corpus)
    new = root / "new" / "proj"
    shutil.copytree(old, new)
    _change_native_project(new, corpus)
    old_spec = load_spec(old / "spec")[0].spec
    new_spec = load_spec(new / "spec")[0].spec
    label = corpus.put("diff label", 1).replace("\n", " ")
    result = diff_specs(old_spec, new_spec, label, "new")
    # Changes of every kind, so payloads sit in every part of the page.
    summary = result.summary
    assert summary.sections_added and summary.sections_removed and summary.sections_moved
    assert summary.sections_retitled and summary.authority_lowered and summary.verdicts_changed
    assert summary.examples_added and summary.examples_removed and summary.sections_unchanged
    folder = root / "page"
    folder.mkdir()
    (folder / "diff.html").write_text(render_diff_html(result), "utf-8")
    markdown = render_diff_markdown(result, PREVIEW, html_url=f"{PREVIEW}/diff.html")
    return XssDiff(folder, serve(folder), corpus, markdown)


# The page's text read as each side: without its deletions, and without its insertions.
SIDES = """() => ["del", "ins"].map(drop => {
  const copy = document.body.cloneNode(true);
  copy.querySelectorAll(drop).forEach(e => e.remove());
  document.body.after(copy);
  const text = copy.innerText.replace(/\\s+/g, " ");
  copy.remove();
  return text;
})"""


def _visit(browser: Any, url: str, corpus: Corpus, bypass_csp: bool) -> tuple[Findings, list[str]]:
    """Open the page (every <details> opened, suspicious links hovered and clicked):
    the traces payloads left, and the page's text as the new and the old side."""
    context = new_context(browser, bypass_csp=bypass_csp)
    context.add_init_script(ONE_DIALOG)
    page = context.new_page()
    log = watch(page)
    findings = Findings(corpus)
    where = "diff page" + (" (CSP bypassed)" if bypass_csp else "")
    try:
        page.goto(url, wait_until="load")
        settle(page)
        traces = _traces(page, log, url.rsplit("/", 1)[0] + "/", corpus)
        page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
        for index, html in page.evaluate(SUSPICIOUS_LINKS):
            traces.append(f"suspicious link {html[:300]}")
            target = page.locator(f'[data-sg-suspicious="{index}"]')
            with contextlib.suppress(Exception):
                target.hover(force=True, timeout=500)
                target.click(force=True, timeout=500, no_wait_after=True)
        settle(page)
        traces += _traces(page, log, url.rsplit("/", 1)[0] + "/", corpus)
        findings.add(where, traces)
        shown = page.evaluate(SIDES)
    finally:
        context.close()
    return findings, shown


@pytest.mark.parametrize("bypass_csp", [True, False], ids=["escaping alone", "with its CSP"])
def test_no_payload_runs_in_the_diff_page(
    browser: Any, xss_diff: XssDiff, bypass_csp: bool
) -> None:
    """With the page's Content-Security-Policy bypassed, escaping alone must hold."""
    findings, shown = _visit(browser, xss_diff.url + "diff.html", xss_diff.corpus, bypass_csp)
    assert not findings, findings.report()
    # The payloads are there, as text: changed, added, removed and unchanged ones.
    corpus = xss_diff.corpus
    new_side, old_side = shown

    def there(text: str, side: str) -> bool:
        return " ".join(text.split()) in side

    for field, p in [
        ("diff added paragraph", 0),  # inserted
        ("diff user message", 0),  # a changed message
        ("body paragraph", 7),  # an unchanged payload in changed text
        ("diff label", 1),
    ]:
        assert there(corpus.put(field, p), new_side), field
    assert there(corpus.put("body paragraph alone", 0), old_side)  # deleted
    assert there(corpus.put("user message", 0), old_side)  # changed
    assert not there(corpus.put("body paragraph alone", 0), new_side)
    assert there(section_title(corpus, 0, "diff title"), new_side)
    assert there(section_title(corpus, 5), new_side)  # an unchanged section


ALLOWED_TAGS = {
    "h3",
    "h4",
    "p",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "a",
    "strong",
    "em",
    "br",
    "code",
}


def test_no_payload_gets_through_the_markdown_comment(browser: Any, xss_diff: XssDiff) -> None:
    # GitHub lets some raw HTML through: render with raw HTML on, as the worst case.
    rendered = MarkdownIt("commonmark", {"html": True}).enable("table").render(xss_diff.markdown)
    tags = set(re.findall(r"</?([a-zA-Z][\w-]*)", rendered))
    assert tags <= ALLOWED_TAGS, tags - ALLOWED_TAGS
    links = re.findall(r'href="([^"]*)"', rendered)
    assert links and all(link.startswith(PREVIEW + "/") for link in links), links
    assert not re.search(r"<[^>]*(xss-canary|onerror|onload|onmouseover)", rendered)
    assert len(xss_diff.markdown) < 65536
    # And in a browser: nothing runs.
    context = new_context(browser)
    context.add_init_script(ONE_DIALOG)
    page = context.new_page()
    log = watch(page)
    findings = Findings(xss_diff.corpus)
    try:
        page.set_content(f"<!doctype html><html><body>{rendered}</body></html>")
        settle(page)
        findings.add("markdown comment", _traces(page, log, "about:", xss_diff.corpus))
    finally:
        context.close()
    assert not findings, findings.report()
