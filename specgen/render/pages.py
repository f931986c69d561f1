"""The site's pages beyond the sections: the levels legend, the examples index, the eval
prompt sets and the whole spec on one page. Each builds a view and renders a template."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from markupsafe import Markup

from specgen.identifiers import safe_slug
from specgen.model import QUALITY_ORDER, EvalPromptSet, Example, RefKind, Section, Spec
from specgen.render.badges import badge_for
from specgen.render.markdown import render_markdown
from specgen.render.section import (
    RenderContext,
    example_anchor,
    render_example,
    render_section,
)
from specgen.render.templates import render_template
from specgen.render.toc import Toc
from specgen.render.views import ExampleRow


@dataclass(frozen=True, slots=True)
class SectionLink:
    section: Section
    url: str | None
    examples: int


@dataclass(frozen=True, slots=True)
class HomeLead:
    """The spec's opening text on a home page that has none of its own (the OpenAI
    Model Spec begins with its Overview section, as its own site's front page does)."""

    section: Section
    url: str | None
    html: Markup
    read_on: SectionLink | None  # the section after it in reading order


def home_lead(spec: Spec, ctx: RenderContext) -> HomeLead | None:
    """The first section's own text, when it is an introduction: no level (a policy's
    text without its badge would read as plain prose) and no examples (they belong on
    its page)."""
    if not spec.sections:
        return None
    first = spec.sections[0]
    if first.authority or first.examples or not first.body.text.strip():
        return None
    after = first.children[0] if first.children else next(iter(spec.sections[1:]), None)
    read_on = SectionLink(after, ctx.linker.section_url(after.id), 0) if after else None
    return HomeLead(
        first,
        ctx.linker.section_url(first.id),
        Markup(render_markdown(first.body, ctx.linker)),
        read_on,
    )


def render_levels_page(spec: Spec, ctx: RenderContext) -> str:
    """Every policy grouped by its level, counted; then the levels the configuration
    lacks and the informative sections."""
    by_level: dict[str, list[SectionLink]] = {}
    informative: list[SectionLink] = []
    for section in spec.walk():
        link = SectionLink(section, ctx.linker.section_url(section.id), len(section.examples))
        if section.authority:
            by_level.setdefault(section.authority, []).append(link)
        elif section.informative:
            informative.append(link)
    levels = [(level, by_level.pop(level.id, [])) for level in ctx.config.levels]
    for level, links in levels:
        ctx.toc.add(2, f"level-{level.id}", f"{level.name} ({len(links)})")
    if informative:
        ctx.toc.add(2, "informative", f"Informative ({len(informative)})")
    return render_template(
        "specgen/levels.html",
        ctx.overrides,
        levels=levels,
        unknown=sorted(by_level.items()),
        informative=informative,
        total=sum(len(links) for _, links in levels),
        runs=ctx.results.runs if ctx.results else [],
        rates={lv.id: ctx.results.level_rates(lv.id) for lv, _ in levels} if ctx.results else {},
    )


def render_examples_index(spec: Spec, ctx: RenderContext) -> str:
    """All examples in document order, with what the filters need as data attributes."""
    rows: list[ExampleRow] = []
    quality_counts: Counter[str] = Counter()
    for section in spec.walk():
        badge = badge_for(section, ctx.config)
        url = ctx.linker.section_url(section.id)
        for example in section.examples:
            qualities = _qualities(example)
            quality_counts.update(qualities)
            rows.append(
                ExampleRow(
                    url=f"{url}#{example_anchor(section.id, example.id)}" if url else None,
                    caption=Markup(render_markdown(example.caption, ctx.linker, links=False)),
                    section=section,
                    section_url=url,
                    badge=badge,
                    level=badge.level_id if badge else "none",
                    qualities=qualities,
                    flags=example.flags,
                )
            )
    levels_used = {row.level for row in rows}
    return render_template(
        "specgen/examples_index.html",
        ctx.overrides,
        rows=rows,
        levels=[lv for lv in ctx.config.levels if lv.id in levels_used],
        has_unlabelled="none" in levels_used,
        qualities=[
            (q.value, ctx.config.quality_names.get(q.value, q.value), quality_counts[q.value])
            for q in QUALITY_ORDER
        ],
        quality_names=ctx.config.quality_names,
        tag_name=ctx.config.tag_name,
        levels_url=ctx.linker.page_url("levels"),
    )


def _qualities(example: Example) -> list[str]:
    present = {answer.quality for turn in example.answer_sets for answer in turn.answers}
    return [q.value for q in QUALITY_ORDER if q.value in present]


def citing_sections(spec: Spec) -> dict[str, list[Section]]:
    """Eval prompt set id -> the sections whose text cites it."""
    cited: dict[str, list[Section]] = {}
    for section in spec.walk():
        for target in dict.fromkeys(r.target for r in section.references if r.kind is RefKind.EVAL):
            cited.setdefault(target, []).append(section)
    return cited


def render_eval_index(spec: Spec, ctx: RenderContext) -> str:
    cited = citing_sections(spec)
    sets = [
        {
            "set": prompt_set,
            "url": ctx.linker.eval_url(prompt_set.id),
            "cited_by": [(s, ctx.linker.section_url(s.id)) for s in cited.get(prompt_set.id, [])],
        }
        for prompt_set in sorted(spec.eval_sets, key=lambda s: s.id)
    ]
    return render_template("specgen/eval_index.html", ctx.overrides, sets=sets)


def render_eval_set(prompt_set: EvalPromptSet, cited: Sequence[Section], ctx: RenderContext) -> str:
    """``cited``: the sections citing the set (``citing_sections``, found once for all
    sets: a walk of the spec per set would make the site quadratic)."""
    return render_template(
        "specgen/eval_set.html",
        ctx.overrides,
        set=prompt_set,
        cited_by=[(s, ctx.linker.section_url(s.id)) for s in cited],
        body=Markup(render_markdown(prompt_set.body, ctx.linker)),
        prompts=[
            Markup(render_example(prompt_set.id, p, ctx, kicker="Prompt"))
            for p in prompt_set.prompts
        ],
        index_url=ctx.linker.page_url("eval"),
        rates=ctx.results.set_rates(prompt_set.id) if ctx.results else [],
    )


# The whole spec on one page is for reading end to end, Ctrl+F and printing: past this
# many sections a page is too heavy for a browser (8,000 sections: 66 MB), so the view
# is cut into parts, at top-level sections where they fit.
ONE_PAGE_MAX_SECTIONS = 300


@dataclass(frozen=True, slots=True)
class OnePagePart:
    number: int  # from 1
    entries: tuple[tuple[Section, int], ...]  # each section with its depth in the tree


@dataclass(frozen=True, slots=True)
class PartLink:
    """Another part of the whole spec, as its navigator shows it."""

    number: int
    first: str  # the titles of its first and last sections
    last: str
    url: str
    current: bool


def one_page_parts(spec: Spec, max_sections: int | None = None) -> list[OnePagePart]:
    """The whole spec in reading order, cut into parts of at most ``max_sections``
    (default ``ONE_PAGE_MAX_SECTIONS``): a top-level section and all below it stay
    together unless they alone are more."""
    max_sections = max_sections or ONE_PAGE_MAX_SECTIONS
    cuts: list[list[tuple[Section, int]]] = []
    current: list[tuple[Section, int]] = []
    for top in spec.sections:
        tree = _walk_with_depth((top,), 0)
        if current and len(current) + len(tree) > max_sections:
            cuts.append(current)
            current = []
        while len(tree) > max_sections:
            cuts.append(tree[:max_sections])
            tree = tree[max_sections:]
        current.extend(tree)
    if current or not cuts:
        cuts.append(current)
    return [OnePagePart(n, tuple(entries)) for n, entries in enumerate(cuts, 1)]


def render_one_page(part: OnePagePart, parts: Sequence[PartLink], ctx: RenderContext) -> str:
    """One part of the whole spec (the whole of it, for most specs).

    ``ctx.linker`` must resolve sections of this part to anchors on this page."""
    entries = []
    for section, depth in part.entries:
        level = min(depth + 2, 6)
        anchor = safe_slug(section.id)
        ctx.toc.add(level, anchor, section.title)
        # Headings and examples get ids unique on the page; only sections are listed.
        own = replace(ctx, toc=Toc(prefix=f"{anchor}--", used=ctx.toc.used))
        html = Markup(render_section(section, own, in_one_page=True))
        entries.append({"section": section, "anchor": anchor, "level": level, "html": html})
    neighbours = {link.number: link for link in parts}
    return render_template(
        "specgen/one_page.html",
        ctx.overrides,
        entries=entries,
        parts=parts if len(parts) > 1 else [],
        previous=neighbours.get(part.number - 1),
        next=neighbours.get(part.number + 1),
    )


def _walk_with_depth(sections: Sequence[Section], depth: int) -> list[tuple[Section, int]]:
    out: list[tuple[Section, int]] = []
    for section in sections:
        out.append((section, depth))
        out.extend(_walk_with_depth(section.children, depth + 1))
    return out
