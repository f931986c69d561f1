"""Fidelity in a browser: data shown to the assistant reads character for character, with
its line breaks, on the sample's site and on the OpenAI Model Spec's, at desktop and phone
widths; the Model Spec's under_18 tag shows as the "U18" its Definitions promise."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.browser.helpers import build_site, new_context
from tests.test_fidelity import MODEL_SPEC, UNTRUSTED_SOURCE, needs_corpus, untrusted_blocks

VERBATIM = r"""() => [...document.querySelectorAll(".md-content pre.sg-verbatim")].map(pre => ({
  text: pre.textContent,
  shown: pre.innerText,
  links: pre.querySelectorAll("a, strong, em, p").length,
  overflows: pre.scrollWidth > pre.clientWidth + 1,
  untrusted: !!pre.closest(".sg-untrusted"),
}))"""


def verbatim_blocks(browser: Any, url: str, width: int) -> list[dict[str, Any]]:
    context = new_context(browser, viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(url)
        blocks: list[dict[str, Any]] = page.evaluate(VERBATIM)
        return blocks
    finally:
        context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_sample_untrusted_email_is_shown_character_for_character(
    browser: Any, sample_url: str, width: int
) -> None:
    blocks = verbatim_blocks(browser, f"{sample_url}treat_pasted_content_as_data/", width)
    written = untrusted_blocks(UNTRUSTED_SOURCE)
    assert [b["text"] for b in blocks if b["untrusted"]] == written
    for block in blocks:
        assert block["shown"] == block["text"]  # line breaks and spaces as laid out
        assert block["links"] == 0 and not block["overflows"]
    assert written[0].startswith("From: Northwind Refunds <refunds@northwind-air-claims.example>\n")


@pytest.fixture(scope="module")
def model_spec_url(tmp_path_factory: pytest.TempPathFactory, serve: Callable[[Path], str]) -> str:
    out = tmp_path_factory.mktemp("model-spec") / "site"
    # --force: the release has real lint errors (eval references with no prompt set).
    return serve(build_site(MODEL_SPEC.parent, out, str(MODEL_SPEC), "--force"))


@needs_corpus
@pytest.mark.parametrize("width", [1280, 390])
def test_model_spec_untrusted_text_and_tool_output_are_shown_as_written(
    browser: Any, model_spec_url: str, width: int
) -> None:
    blocks = verbatim_blocks(browser, f"{model_spec_url}ignore_untrusted_data/", width)
    lines = MODEL_SPEC.read_text("utf-8").split("\n")
    untrusted = []
    for start, line in enumerate(lines):
        if line == "<untrusted>":
            end = lines.index("</untrusted>", start)
            untrusted.append(html.unescape("\n".join(lines[start + 1 : end])))
    tool_output = lines[lines.index('<tool name="browser">') + 1]
    assert [b["text"] for b in blocks] == [tool_output, *untrusted]
    for block in blocks:
        assert block["shown"] == block["text"]
        assert block["links"] == 0 and not block["overflows"]


@needs_corpus
def test_model_spec_under_18_tag_shows_u18(browser: Any, model_spec_url: str) -> None:
    context = new_context(browser)
    try:
        page = context.new_page()
        page.goto(f"{model_spec_url}prioritize_teen_safety/")
        tags = page.locator(".sg-section__header .sg-badge--tag").all_inner_texts()
        flags = page.locator(".sg-example .sg-badge--flag").all_inner_texts()
    finally:
        context.close()
    assert tags == ["U18"]
    assert flags and set(flags) == {"U18"}
