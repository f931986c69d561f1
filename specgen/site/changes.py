"""A release's "What changed" page: its authored notes, then what the diff engine finds
against the release before it, linked to this release's pages. A section's changes are
told in the words of ``specgen.diff.describe``, as the diff outputs tell them."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from specgen.diff.describe import Change, section_changes, section_titles, status_change
from specgen.diff.engine import diff_specs
from specgen.diff.model import SectionDiff, SpecDiff, Status
from specgen.model import Location, Markdown, Spec
from specgen.origin import Origin
from specgen.render.markdown import render_markdown
from specgen.render.section import RenderContext
from specgen.render.templates import render_template
from specgen.site.release import ReleaseContext


def release_diff(spec: Spec, release: ReleaseContext) -> SpecDiff | None:
    """What changed since the release before; None for the first release."""
    if release.previous is None:
        return None
    old_label, new_label = release.previous_version or "", release.version
    # Each side cites its own tag's files (never the scratch folder they were read from).
    origins = (
        release.previous_origin or Origin(old_label),
        release.origin or Origin(new_label),
    )
    return diff_specs(release.previous, spec, old_label, new_label, origins=origins)


@dataclass(frozen=True, slots=True)
class ChangeRow:
    """A changed section: linked to its page in this release unless it was removed."""

    section: SectionDiff
    url: str | None
    status: Change
    what: tuple[Change, ...]


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
    titles = section_titles(diff)
    rows = [
        ChangeRow(
            section,
            ctx.linker.section_url(section.id) if section.status is not Status.REMOVED else None,
            status_change(section),
            section_changes(diff, section, titles),
        )
        for section in diff.changed
    ]
    return render_template(
        "specgen/changes.html",
        ctx.overrides,
        release=release,
        notes=notes,
        diff=diff,
        rows=rows,
        full_diff_url="diff.html",
    )
