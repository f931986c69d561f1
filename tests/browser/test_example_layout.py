"""How example cards are laid out, on every page with examples of the Model Spec site and
of the sample, at a phone's width and a desktop's.

Every card takes the content column's width (so cards on a page are as wide as each
other); answers sit side by side only when there are two short ones; no message box is
wider than its card (code wraps inside its own box); a role label such as "Assistant to
functions.ask_clarifying_question" breaks only between words or at the break points
offered after "." and "_", never inside a word; a code block's copy button covers none of
its text. Each page is loaded once and measured at both widths.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.browser.helpers import REPO, build_site, new_context, settle
from tests.versions_helpers import CORPUS, require_corpus

WIDTHS = (390, 1280)

# Returns what a reader would see wrong with the page's example cards at its current width.
MEASURE = r"""() => {
  const round = (x) => Math.round(x * 10) / 10;
  const box = (el) => el.getBoundingClientRect();
  const lines = (range) => {
    const tops = new Set();
    for (const r of range.getClientRects()) if (r.width > 0) tops.add(Math.round(r.top));
    return tops.size;
  };
  // Each run of non-space characters of the text nodes under el, as a Range.
  const words = (el) => {
    const found = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.data.matchAll(/\S+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        found.push([m[0], range]);
      }
    }
    return found;
  };
  const overlaps = (a, b) =>
    a.left < b.right - 0.5 && b.left < a.right - 0.5 &&
    a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
  const cards = [...document.querySelectorAll(".sg-example")];
  const out = { cards: [], overflow: [], codeScrolls: [], splitWords: [], covered: [], buttons: 0,
               labels: [], answerSets: [] };
  for (const card of cards) {
    const parent = card.parentElement;
    const style = getComputedStyle(parent);
    const column =
      parent.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    out.cards.push({ id: card.id, width: round(box(card).width), column: round(column) });
    for (const el of [card, ...card.querySelectorAll(".sg-msg, .sg-answer")]) {
      if (el.scrollWidth > el.clientWidth) {
        out.overflow.push(`${card.id}: ${el.className} ${el.scrollWidth} > ${el.clientWidth}`);
      }
    }
    for (const code of card.querySelectorAll(".sg-msg pre > code")) {
      if (code.scrollWidth > code.clientWidth) {
        out.codeScrolls.push(`${card.id}: ${code.textContent.slice(0, 60)}`);
      }
    }
    for (const role of card.querySelectorAll(".sg-msg__role")) {
      out.labels.push(role.textContent.trim());
      for (const [word, range] of words(role)) {
        if (lines(range) > 1) out.splitWords.push(`${card.id}: "${word}" in ${out.labels.at(-1)}`);
      }
    }
    // Material's copy button, in its little bar at the code block's top right corner.
    for (const bar of card.querySelectorAll("pre > .md-code__nav, pre > .md-clipboard")) {
      if (!bar.offsetParent) continue;
      out.buttons += 1;
      const code = bar.parentElement.querySelector(":scope > code");
      const target = box(bar);
      for (const [word, range] of words(code)) {
        if ([...range.getClientRects()].some((r) => overlaps(r, target))) {
          out.covered.push(`${card.id}: "${word}"`);
          break;
        }
      }
    }
    for (const answers of card.querySelectorAll(".sg-answers")) {
      const tops = new Set([...answers.children].map((a) => Math.round(box(a).top)));
      out.answerSets.push({ id: card.id, answers: answers.children.length, rows: tops.size,
                            pair: answers.classList.contains("sg-answers--pair") });
    }
  }
  return out;
}"""


@dataclass(frozen=True)
class Measured:
    page: str
    width: int
    found: dict[str, Any]


def _pages_with_examples(site: Path) -> list[str]:
    pages = []
    for path in sorted(site.rglob("*.html")):
        if 'class="sg-example"' in path.read_text(encoding="utf-8"):
            pages.append(path.relative_to(site).as_posix().removesuffix("index.html"))
    return pages


def _measure_site(browser: Any, site: Path, serve: Callable[[Path], str]) -> list[Measured]:
    base = serve(site)
    pages = _pages_with_examples(site)
    assert pages, f"no page of {site} shows an example"
    context = new_context(browser)
    page = context.new_page()
    # The search index is not needed to measure a page: keep each load short.
    page.route(re.compile(r".*/search/.*"), lambda route: route.abort())
    measured = []
    try:
        for path in pages:
            page.set_viewport_size({"width": WIDTHS[0], "height": 800})
            page.goto(base + path)
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 800})
                settle(page)
                measured.append(Measured(path, width, page.evaluate(MEASURE)))
    finally:
        context.close()
    return measured


@pytest.fixture(scope="module")
def model_spec_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of the 2025-12-18 Model Spec, built with --force (it has real lint errors)."""
    require_corpus()
    source = CORPUS / "2025-12-18" / "model_spec.md"
    return build_site(REPO, tmp_path_factory.mktemp("model-spec") / "site", str(source), "--force")


@pytest.fixture(scope="module")
def sample_measured(
    browser: Any, sample_site: Path, serve: Callable[[Path], str]
) -> list[Measured]:
    return _measure_site(browser, sample_site, serve)


@pytest.fixture(scope="module")
def model_spec_measured(
    browser: Any, model_spec_site: Path, serve: Callable[[Path], str]
) -> list[Measured]:
    return _measure_site(browser, model_spec_site, serve)


# Each test runs on both sites; a site's pages are measured once for all of them.
SITES = ("sample_measured", "model_spec_measured")


def _site(request: pytest.FixtureRequest, site: str) -> list[Measured]:
    measured: list[Measured] = request.getfixturevalue(site)
    return measured


def _all(measured: list[Measured], key: str) -> list[str]:
    return [f"{m.page} at {m.width} px: {what}" for m in measured for what in m.found[key]]


@pytest.mark.parametrize("site", SITES)
def test_every_card_takes_the_column_width(request: pytest.FixtureRequest, site: str) -> None:
    ragged = []
    pages_with_several = 0
    for m in _site(request, site):
        cards = m.found["cards"]
        pages_with_several += len(cards) >= 2
        widths = {card["width"] for card in cards}
        if len(widths) > 1:
            ragged.append(f"{m.page} at {m.width} px: card widths {sorted(widths)}")
        for card in cards:
            if abs(card["width"] - card["column"]) > 1:
                ragged.append(
                    f"{m.page} at {m.width} px: {card['id']} is {card['width']} px "
                    f"in a {card['column']} px column"
                )
    assert pages_with_several > 0
    assert ragged == []


@pytest.mark.parametrize("site", SITES)
def test_answers_side_by_side_only_two_short_ones_on_a_wide_card(
    request: pytest.FixtureRequest, site: str
) -> None:
    wrong = []
    seen = {"pair": 0, "stacked": 0}
    for m in _site(request, site):
        for answers in m.found["answerSets"]:
            # Two short answers share a row on a desktop; everything else, and everything on
            # a phone, has one answer per row.
            side_by_side = answers["pair"] and m.width == max(WIDTHS)
            expected_rows = 1 if side_by_side else answers["answers"]
            if answers["pair"] and answers["answers"] != 2:
                wrong.append(f"{m.page}: {answers['id']} pairs {answers['answers']} answers")
            if answers["rows"] != expected_rows:
                wrong.append(
                    f"{m.page} at {m.width} px: {answers['id']} shows {answers['answers']} "
                    f"answers in {answers['rows']} rows, not {expected_rows}"
                )
            if m.width == max(WIDTHS) and answers["answers"] >= 2:
                seen["pair" if answers["pair"] else "stacked"] += 1
    assert seen["pair"] > 0 and seen["stacked"] > 0, seen
    assert wrong == []


@pytest.mark.parametrize("site", SITES)
def test_no_message_box_overflows(request: pytest.FixtureRequest, site: str) -> None:
    assert _all(_site(request, site), "overflow") == []


@pytest.mark.parametrize("site", SITES)
def test_code_in_a_message_wraps_instead_of_scrolling(
    request: pytest.FixtureRequest, site: str
) -> None:
    assert _all(_site(request, site), "codeScrolls") == []


@pytest.mark.parametrize("site", SITES)
def test_role_labels_break_only_between_words(request: pytest.FixtureRequest, site: str) -> None:
    # Tool calls' labels ("Assistant to flight_status") are the long ones.
    labels = {label for m in _site(request, site) for label in m.found["labels"]}
    assert [label for label in labels if "_" in label], sorted(labels)
    assert _all(_site(request, site), "splitWords") == []


@pytest.mark.parametrize("site", SITES)
def test_the_copy_button_covers_no_code(request: pytest.FixtureRequest, site: str) -> None:
    assert sum(m.found["buttons"] for m in _site(request, site)) > 0
    assert _all(_site(request, site), "covered") == []
