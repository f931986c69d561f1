"""A release's "What changed" page: its authored notes, then what the diff engine finds
against the release before it, linked to this release's pages."""

from __future__ import annotations

from markupsafe import Markup

from specgen.diff.engine import diff_specs
from specgen.diff.markdown_out import authority_text
from specgen.diff.model import SpecDiff, Status
from specgen.model import Location, Markdown, Spec
from specgen.render.markdown import render_markdown
from specgen.render.section import RenderContext
from specgen.render.templates import render_template
from specgen.site.release import ReleaseContext


def release_diff(spec: Spec, release: ReleaseContext) -> SpecDiff | None:
    """What changed since the release before; None for the first release."""
    if release.previous is None:
        return None
    return diff_specs(release.previous, spec, release.previous_version or "", release.version)


def render_changes_page(release: ReleaseContext, diff: SpecDiff | None, ctx: RenderContext) -> str:
    notes = (
        Markup(render_markdown(Markdown(release.changelog, Location("CHANGELOG.md")), ctx.linker))
        if release.changelog
        else None
    )
    if diff is None:
        return render_template(
            "specgen/changes.html", ctx.overrides, release=release, notes=notes, diff=None
        )
    rows = []
    for section in diff.changed:
        what: list[str] = []
        if section.status is Status.MODIFIED:
            if section.retitled and section.old is not None:
                what.append(f"retitled (was “{section.old.title}”)")
            if section.moved is not None:
                what.append("moved")
            if section.authority is not None:
                what.append(authority_text(section.authority, diff.old, diff.new))
            if section.body_changed:
                what.append("text changed")
            if section.source_changed:
                what.append("source changed (formatting or unparsed text)")
            changed = section.changed_examples
            if changed:
                what.append(f"{len(changed)} example{'s' if len(changed) != 1 else ''} changed")
            verdicts = sum(len(e.verdict_changes) for e in section.examples)
            if verdicts:
                what.append(f"{verdicts} verdict{'s' if verdicts != 1 else ''} changed")
        url = ctx.linker.section_url(section.id) if section.status is not Status.REMOVED else None
        rows.append({"section": section, "url": url, "what": what})
    return render_template(
        "specgen/changes.html",
        ctx.overrides,
        release=release,
        notes=notes,
        diff=diff,
        rows=rows,
        full_diff_url="diff.html",
    )
