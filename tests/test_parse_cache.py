"""Lint and render share each parse through bounded caches (specgen.mdit.factory): a
text evicted before render reaches it is parsed again and must render the same, so
nothing may change the tokens a cache holds."""

from __future__ import annotations

from pathlib import Path

from specgen.api import load_and_lint
from specgen.mdit import factory
from specgen.render.section import RenderContext, render_section

REPO = Path(__file__).resolve().parent.parent


class _Linker:
    def section_url(self, section_id: str) -> str | None:
        return f"../{section_id}/"

    def eval_url(self, set_id: str) -> str | None:
        return f"../eval/{set_id}/"

    def section_title(self, section_id: str) -> str | None:
        return section_id

    def page_url(self, name: str) -> str | None:
        return f"../{name}/"


def _pages(spec_path: Path) -> dict[str, str]:
    checked = load_and_lint(spec_path)  # lint parses every text: the caches are warm
    spec = checked.loaded.spec
    return {s.id: render_section(s, RenderContext(spec.config, _Linker())) for s in spec.walk()}


def test_a_section_renders_the_same_from_the_cache_and_from_a_fresh_parse() -> None:
    warm = _pages(REPO / "spec")
    assert factory.parse.cache_info().currsize > 0
    twice = _pages(REPO / "spec")  # every text from the caches, after render used them
    factory.parse.cache_clear()
    factory.parse_inline.cache_clear()
    cold_spec = load_and_lint(REPO / "spec").loaded.spec
    factory.parse.cache_clear()  # render parses every text anew
    factory.parse_inline.cache_clear()
    cold = {
        s.id: render_section(s, RenderContext(cold_spec.config, _Linker()))
        for s in cold_spec.walk()
    }
    assert len(warm) > 40
    assert warm == twice == cold


def test_the_caches_are_bounded() -> None:
    for cached in (factory.parse, factory.parse_inline):
        assert cached.cache_info().maxsize == factory.PARSES_KEPT
