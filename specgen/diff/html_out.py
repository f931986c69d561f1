"""The diff as one self-contained HTML page, in the site's look: the page, the summary
(counts, the list of changed sections, authority changes) and each changed section's
detail (its title, badge, what changed, where it is, its body word-diffed with each
changed block located, and its changed examples from ``specgen.diff.html_examples``).

The page opens from a file and makes no request: its stylesheets are inline (specgen's
own ``specgen.css`` and a small base sheet in the spirit of Material, light and dark by
``prefers-color-scheme``), it has no script (``<details>`` collapses what is unchanged),
and a Content-Security-Policy forbids scripts and any load but inline styles, so even an
image in spec text cannot call out.

Spec text is as untrusted as on the site: both sides are rendered by specgen's safe
renderer and templates (autoescaped), and the word diff (``specgen.diff.words``) only
rearranges that output (``specgen.diff.html_sides``). HTML comes from the templates in
``theme/specgen/diff/``.

The words for each change come from ``specgen.diff.describe``: here they are chips in the
list of changed sections (a chip's tooltip is the change's detail) and the list that
heads each section's detail.

Every changed section, example and changed block of a body says where it is on each
side, "spec/10-a.md:12", linked to that line on the forge when the project names one
(``specgen.diff.places``). Links are plain navigations: the page itself still loads
nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

from markupsafe import Markup, escape

from specgen.diff.describe import (
    ARROW,
    AuthorityWords,
    Change,
    authority_words,
    level_in_order,
    level_name,
    section_changes,
    section_titles,
    status_change,
)
from specgen.diff.html_examples import example_html
from specgen.diff.html_sides import PageLinker, Sides, no_images
from specgen.diff.model import RenameKind, SectionDiff, SpecDiff, Status, TextChange
from specgen.diff.places import Places, short_labels, side_views
from specgen.diff.words import LINE_ATTR, OLD_LINE_ATTR, WordDiff
from specgen.model import Location, Markdown, Section
from specgen.render.badges import badge_for
from specgen.render.markdown import PlaceExample, SourceLines, plain_text, render_markdown
from specgen.render.section import RenderContext, example_anchor
from specgen.render.templates import render_template

STYLESHEETS = ("assets/specgen.css", "specgen/diff/diff.css")
_DARK_RULE = re.compile(r'^\[data-md-color-scheme="slate"\]([^{]*)\{([^}]*)\}\s*', re.M)
# Material's light scheme is named on <body> in the site; on the diff page it is the root.
_LIGHT_SELECTOR = ', [data-md-color-scheme="default"]'


@cache
def page_styles() -> str:
    """The page's inline CSS: specgen.css, its dark rules (Material's ``slate`` scheme,
    chosen there by a toggle) moved under ``prefers-color-scheme: dark``, then the diff's
    own base sheet."""
    theme = files("specgen.theme")
    site, own = ((theme / name).read_text("utf-8") for name in STYLESHEETS)
    dark = [f":root{sel.rstrip()} {{{body}}}" for sel, body in _DARK_RULE.findall(site)]
    site = _DARK_RULE.sub("", site).replace(_LIGHT_SELECTOR, "")
    dark_block = "@media (prefers-color-scheme: dark) {\n" + "\n".join(dark) + "\n}\n"
    return f"{own}\n{site}\n{dark_block}"


def _aliases(diff: SpecDiff) -> dict[str, str]:
    """Renamed sections' old ids that can be anchors on this page: no section's id."""
    ids = {s.id for s in diff.sections}
    return {
        s.id: s.renamed_from
        for s in diff.sections
        if s.renamed_from is not None and s.renamed_from not in ids
    }


def render_diff_html(diff: SpecDiff, overrides: Sequence[Path] = ()) -> str:
    """The whole page. ``overrides``: template folders searched before specgen's own."""
    aliases = _aliases(diff)
    anchors = frozenset(s.id for s in diff.sections) | frozenset(aliases.values())
    old_titles = {s.id: s.title for s in diff.old.walk()}
    new_titles = {s.id: s.title for s in diff.new.walk()}
    paths = tuple(overrides)
    places = Places(diff)
    sides = Sides(
        diff,
        # [?](#id) reads as the target's title on that side (the other's if it has none).
        RenderContext(diff.old.config, PageLinker(anchors, new_titles | old_titles), paths),
        RenderContext(diff.new.config, PageLinker(anchors, old_titles | new_titles), paths),
        paths,
        section_titles(diff),
        places,
        aliases,
        {f"#{s.renamed_from}": f"#{s.id}" for s in diff.sections if s.renamed_from},
    )
    changed = diff.changed
    summary = render_template(
        "specgen/diff/summary.html",
        paths,
        summary=diff.summary,
        rows=[_row(sides, s) for s in changed],
        authority=[_authority_row(sides, s) for s in changed if s.authority is not None],
        eval_sets=[e for e in diff.eval_sets if e.status is not Status.UNCHANGED],
        home_changed=diff.home_changed,
        arrow=ARROW,
    )
    details = [Markup(_section_detail(sides, s)) for s in changed]
    unchanged = [s for s in diff.sections if s.status is Status.UNCHANGED]
    old_side, new_side = side_views(diff, places)
    return render_template(
        "specgen/diff/page.html",
        paths,
        diff=diff,
        spec_title=diff.new.config.title or diff.old.config.title,
        sides=(old_side, new_side),
        short=short_labels(diff, old_side, new_side),
        styles=Markup(page_styles()),
        summary=Markup(summary),
        details=details,
        unchanged=unchanged,
        aliases=aliases,
        arrow=ARROW,
    )


# -- the summary -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Chip:
    """A change as a chip: its label, its detail as a tooltip, styled by ``classes``
    (each a ``sgd-chip--`` modifier: the kind, and the groups diff.css colours)."""

    text: str
    title: str | None
    classes: tuple[str, ...]

    @classmethod
    def of(cls, change: Change) -> Chip:
        kind = change.kind
        classes: tuple[str, ...] = (kind,)
        if kind.startswith("authority-"):
            direction = kind.removeprefix("authority-")
            classes = ("authority", kind, *((direction,) if direction in _ARROWED else ()))
        elif kind == "verdicts":
            classes = ("verdict", kind)
        return cls(change.label, change.detail, classes)


_ARROWED = ("raised", "lowered")  # diff.css marks these chips with ▲ and ▼


@dataclass(frozen=True, slots=True)
class ChangedRow:
    """A changed section in the summary's list."""

    section: SectionDiff
    chips: tuple[Chip, ...]


@dataclass(frozen=True, slots=True)
class AuthorityRow:
    """An authority change: in the summary's callout, and heading a section's changes."""

    section: SectionDiff
    words: AuthorityWords
    css: str  # the direction: "lowered", "unranked"...


def _row(sides: Sides, section: SectionDiff) -> ChangedRow:
    changes = (status_change(section), *section_changes(sides.diff, section, sides.titles))
    return ChangedRow(section, tuple(Chip.of(c) for c in changes))


def _authority_row(sides: Sides, section: SectionDiff) -> AuthorityRow:
    assert section.authority is not None
    words = authority_words(section.authority, sides.diff.old, sides.diff.new)
    return AuthorityRow(section, words, section.authority.direction.value)


# -- a section ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _RenameView:
    """A renamed section: its old id, and its old title when that differs."""

    old_id: str
    old_title: str | None
    declared: bool


@dataclass(frozen=True, slots=True)
class _LevelView:
    """A section's level badge when the level is in no level order: named, marked."""

    name: str


def _section_detail(sides: Sides, section: SectionDiff) -> str:
    diff = sides.diff
    old, new = section.old, section.new
    node = new or old
    assert node is not None
    side = sides.new if new is not None else sides.old
    other = sides.old if new is not None else sides.new
    badge = badge_for(node, side.config)
    unknown = None
    if node.authority is not None and not level_in_order(node.authority, side.config, other.config):
        unknown = _LevelView(level_name(node.authority, side.config, other.config))
    title = escape(node.title)
    if section.retitled and old is not None and new is not None:
        title = Markup(sides.words(str(escape(old.title)), str(escape(new.title))).html)
    authority = _authority_row(sides, section) if section.authority is not None else None
    moved_to = section.moved.new_parent if section.moved is not None else None
    body = _body(sides, section)
    what = section_changes(diff, section, sides.titles)
    # A kind of change the list already names needs no note under the text.
    note = None if any(c.kind == body.kind for c in what) else body.note
    examples = [Markup(example_html(sides, section, e)) for e in section.changed_examples]
    return render_template(
        "specgen/diff/section.html",
        sides.overrides,
        section=section,
        title=title,
        badge=badge,
        unknown_level=unknown,
        status=status_change(section),
        what=what,
        authority=authority,
        moved_to=moved_to,
        where=sides.where(old.loc if old else None, new.loc if new else None),
        rename=_rename(section),
        alias=sides.aliases.get(section.id),
        body=body.html,
        body_mark=body.mark,
        body_note=note,
        body_kind=body.kind,
        examples=examples,
        unchanged_examples=len(section.examples) - len(section.changed_examples),
        arrow=ARROW,
    )


def _rename(section: SectionDiff) -> _RenameView | None:
    if section.renamed_from is None:
        return None
    old_title = section.old.title if section.old is not None else None
    if old_title == section.title:
        old_title = None
    return _RenameView(section.renamed_from, old_title, section.rename is not RenameKind.PROBABLE)


def _placer(sides: Sides, section: Section, shown: frozenset[str]) -> PlaceExample:
    """Where the body places an example, a one-line marker (so a moved placement shows
    in the word diff), linked to the example when this page shows it."""
    by_id = {e.id: e for e in section.examples}

    def place(example_id: str) -> str:
        example = by_id.get(example_id)
        caption = plain_text(example.caption) if example is not None else example_id
        anchor = example_anchor(section.id, example_id) if example_id in shown else None
        return render_template(
            "specgen/diff/placement.html", sides.overrides, caption=caption, anchor=anchor
        )

    return place


def _source_lines(body: Markdown) -> SourceLines:
    """A line of ``body``'s text -> its file line (the body's first line when its text
    lines are not the file's: a folded YAML scalar)."""
    if body.verbatim:
        return lambda index: body.location_of(index).line
    return lambda index: body.loc.line


def _render_body(
    sides: Sides, section: Section, ctx: RenderContext, shown: frozenset[str], lines: bool
) -> str:
    html = render_markdown(
        section.body,
        ctx.linker,
        _placer(sides, section, shown),
        source_lines=_source_lines(section.body) if lines else None,
    )
    return no_images(html, sides.overrides)


# A top-level block of a body's word diff marked with its lines (``specgen.diff.words``).
_LINE_MARKS = re.compile(rf'<([A-Za-z][A-Za-z0-9-]*)((?: (?:{LINE_ATTR}|{OLD_LINE_ATTR})="\d+")+)')
_LINE_MARK = re.compile(rf' ({LINE_ATTR}|{OLD_LINE_ATTR})="(\d+)"')


def _locate_blocks(sides: Sides, html: str, old: Markdown, new: Markdown) -> str:
    """The source lines of the changed blocks of a body's word diff as a line saying
    where each is, before it; the marks themselves removed."""

    def located(match: re.Match[str]) -> str:
        lines = dict(_LINE_MARK.findall(match.group(2)))
        old_line, new_line = lines.get(OLD_LINE_ATTR), lines.get(LINE_ATTR)
        where = sides.where(
            Location(old.loc.path, int(old_line)) if old_line else None,
            Location(new.loc.path, int(new_line)) if new_line else None,
            block=True,
        )
        return f"{where}<{match.group(1)}"

    return _LINE_MARKS.sub(located, html)


@dataclass(frozen=True, slots=True)
class _BodyView:
    html: Markup | None  # a word diff, or a whole side; None: not shown
    mark: str  # the whole body marked "ins" or "del", or ""
    note: str | None
    kind: str  # how a compared body changed: "meaning", "links", "formatting"; else ""


FORMATTING_NOTE = (
    "Formatting only: whitespace, line breaks or Markdown spelling changed, not the words."
)
LINKS_NOTE = "Only link targets changed (marked “link target”)."


def _body(sides: Sides, section: SectionDiff) -> _BodyView:
    """The body to show, how it is marked as a whole, a note about it and how it
    changed."""
    old, new = section.old, section.new
    shown = frozenset(e.id for e in section.changed_examples)
    if old is None or new is None:
        node = new or old
        assert node is not None
        ctx = sides.new if new is not None else sides.old
        html = _render_body(sides, node, ctx, shown, lines=False)
        if not html.strip():
            return _BodyView(None, "", "No text.", "")
        return _BodyView(Markup(html), "ins" if new is not None else "del", None, "")
    if not section.body_changed and not section.body_changes:
        return _BodyView(None, "", "Text unchanged.", "")
    result = sides.words(
        _render_body(sides, old, sides.old, shown, lines=True),
        _render_body(sides, new, sides.new, shown, lines=True),
    )
    html = Markup(_locate_blocks(sides, result.html, old.body, new.body))
    kind = _text_kind(section.body_changes, result)
    note = {"formatting": FORMATTING_NOTE, "links": LINKS_NOTE}.get(kind)
    return _BodyView(html, "", note, kind)


def _text_kind(changes: frozenset[TextChange], result: WordDiff) -> str:
    """How a text changed: as the engine classed it, else as its word diff shows."""
    if changes:
        if TextChange.MEANING in changes:
            return "meaning"
        return "links" if TextChange.LINKS in changes else "formatting"
    if result.changed:
        return "meaning"
    return "links" if result.links else "formatting"
