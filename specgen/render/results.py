"""The results page (``results/``): each run's model, date and spec version, its totals,
its rates by level, by section and by eval set, what did not match, and every sample.

Every value from a log is untrusted text: the template escapes it."""

from __future__ import annotations

from dataclasses import dataclass

from specgen.evals.results import QUALITY_OF_VERDICT, RecordInfo, SampleRow, log_name
from specgen.model import Spec
from specgen.render.linker import LEVELS_PAGE
from specgen.render.measured import NOT_MEASURED, RateView, ResultsLookup, rate_view
from specgen.render.section import RenderContext, example_anchor
from specgen.render.templates import render_template

_STATUS_NAMES = {
    "errored": "Error: not measured",
    "changed": "Changed example: not shown",
    "unknown": "Not in this spec: not shown",
}


@dataclass(frozen=True, slots=True)
class SampleView:
    id: str
    epoch: int
    quality: str  # good | ok | bad, or "none" (not measured)
    status: str  # the verdict's name, or why it has none
    reason: str  # the grader's reason, or the error
    url: str | None  # the example card or prompt on the site


@dataclass(frozen=True, slots=True)
class RunView:
    model: str
    date: str
    spec_version: str
    spec_date: str
    logs: list[str]  # file names, never the build machine's paths
    graders: tuple[str, ...]
    epochs: int
    total: RateView
    samples: list[SampleView]


@dataclass(frozen=True, slots=True)
class RowView:
    """A row of the page's tables: a level, a section or an eval set."""

    name: str
    url: str | None
    rates: list[RateView]
    level: str | None = None  # a level's id, for its badge


@dataclass(frozen=True, slots=True)
class WarningView:
    log: str  # the log's file name
    code: str
    message: str


def render_results_page(
    spec: Spec, lookup: ResultsLookup, warnings: list[WarningView], ctx: RenderContext
) -> str:
    results = lookup.results
    runs = [
        RunView(
            model=run.model,
            date=run.date,
            spec_version=run.spec_version,
            spec_date=run.spec_date,
            logs=[log_name(p) for p in run.logs],
            graders=run.graders,
            epochs=run.epochs,
            total=rate_view(run.model, results.tally(run, results.records)),
            samples=[_sample_view(row, lookup, ctx) for row in run.samples],
        )
        for run in lookup.runs
    ]
    authorities = {r.authority for r in results.records}
    levels = [
        RowView(level.name, _level_url(level.id, ctx), lookup.level_rates(level.id), level.id)
        for level in spec.config.levels
        if level.id in authorities
    ]
    with_examples = {r.section_id for r in results.records if r.kind == "comparison"}
    sections = [
        RowView(section.title, ctx.linker.section_url(section.id), lookup.section_rates(section.id))
        for section in spec.walk()
        if section.id in with_examples
    ]
    sets = [
        RowView(s.title or s.id, ctx.linker.eval_url(s.id), lookup.set_rates(s.id))
        for s in spec.eval_sets
        if s.prompts
    ]
    parts = (
        ("runs", "Runs", True),
        ("by-level", "By level", bool(levels)),
        ("by-section", "By section", bool(sections)),
        ("by-eval-set", "By eval prompt set", bool(sets)),
        ("not-shown", "What was not shown", bool(warnings)),
        ("samples", "Every sample", True),
    )
    for anchor, title, present in parts:
        if present:
            ctx.toc.add(2, anchor, title)
    return render_template(
        "specgen/results.html",
        ctx.overrides,
        runs=runs,
        levels=levels,
        level_rank={lv.id: min(i, 5) for i, lv in enumerate(spec.config.levels)},
        sections=sections,
        sets=sets,
        warnings=warnings,
        names=spec.config.quality_names,
    )


def _level_url(level_id: str, ctx: RenderContext) -> str | None:
    legend = ctx.linker.page_url(LEVELS_PAGE)
    return f"{legend}#level-{level_id}" if legend else None


def _record_url(record: RecordInfo | None, ctx: RenderContext) -> str | None:
    """The example card (or prompt) a record is, on its section's (set's) page."""
    if record is None:
        return None
    comparison = record.kind == "comparison"
    page = ctx.linker.section_url(record.owner) if comparison else ctx.linker.eval_url(record.owner)
    return f"{page}#{example_anchor(record.owner, record.example_id)}" if page else None


def _sample_view(row: SampleRow, lookup: ResultsLookup, ctx: RenderContext) -> SampleView:
    quality = QUALITY_OF_VERDICT.get(row.status)
    if quality is not None:
        status = lookup.config.quality_names.get(quality, quality)
    else:
        status = _STATUS_NAMES.get(row.status, NOT_MEASURED)
    url = _record_url(row.record, ctx) if row.status != "unknown" else None
    return SampleView(row.id, row.epoch, quality or "none", status, row.reason, url)
