"""The diff as one self-contained HTML page, in the site's look.

The page opens from a file and makes no request: its stylesheets are inline (specgen's
own ``specgen.css`` and a small base sheet in the spirit of Material, light and dark by
``prefers-color-scheme``), it has no script (``<details>`` collapses what is unchanged),
and a Content-Security-Policy forbids scripts and any load but inline styles, so even an
image in spec text cannot call out.

Spec text is as untrusted as on the site: both sides are rendered by specgen's safe
renderer and templates (autoescaped), and the word diff (``specgen.diff.words``) only
rearranges that output. HTML comes from the templates in ``theme/specgen/diff/``.

The words for each change come from ``specgen.diff.describe``: here they are chips in the
list of changed sections (a chip's tooltip is the change's detail) and the list that
heads each section's detail.

Every changed section, example and changed block of a body says where it is on each
side, "spec/10-a.md:12" (``Origin.where``: repository paths, never the scratch folder a
git revision is read from), linked to that line on the forge when the project names
one (``Origin.source_url``; at the side's commit for a git revision). Links are plain
navigations: the page itself still loads nothing.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path, PurePosixPath, PureWindowsPath

from markupsafe import Markup, escape

from specgen.diff.describe import (
    ARROW,
    AuthorityWords,
    Change,
    SideLabel,
    authority_words,
    example_label,
    level_in_order,
    level_name,
    quality_name,
    section_changes,
    section_titles,
    side_labels,
    status_change,
    verdicts_label,
)
from specgen.diff.model import (
    AnswerDiff,
    ExampleDiff,
    RenameKind,
    SectionDiff,
    SpecDiff,
    Status,
    TextChange,
    TurnDiff,
)
from specgen.diff.words import (
    LINE_ATTR,
    OLD_LINE_ATTR,
    WordDiff,
    diff_html,
    mark_deleted,
    mark_inserted,
)
from specgen.model import Answer, Location, Markdown, Message, Section, Spec
from specgen.render.badges import badge_for
from specgen.render.markdown import PlaceExample, SourceLines, plain_text, render_markdown
from specgen.render.section import (
    RenderContext,
    example_anchor,
    parts_view,
    render_example,
    role_label,
)
from specgen.render.templates import render_template

STYLESHEETS = ("assets/specgen.css", "specgen/diff/diff.css")
_DARK_RULE = re.compile(r'^\[data-md-color-scheme="slate"\]([^{]*)\{([^}]*)\}\s*', re.M)


@cache
def page_styles() -> str:
    """The page's inline CSS: specgen.css, its dark rules (Material's ``slate`` scheme,
    chosen there by a toggle) moved under ``prefers-color-scheme: dark``, then the diff's
    own base sheet."""
    theme = files("specgen.theme")
    site, own = ((theme / name).read_text("utf-8") for name in STYLESHEETS)
    dark = [f":root{sel.rstrip()} {{{body}}}" for sel, body in _DARK_RULE.findall(site)]
    site = _DARK_RULE.sub("", site)
    dark_block = "@media (prefers-color-scheme: dark) {\n" + "\n".join(dark) + "\n}\n"
    return f"{own}\n{site}\n{dark_block}"


_IMAGE = re.compile(r"<img\b[^>]*>")
_ALT = re.compile(r'\balt="([^"]*)"')


def _no_images(html: str, overrides: Sequence[Path]) -> str:
    """Images of spec text as a line of text, "[image: its alt text]": the page loads
    nothing (an image would be a request, or a broken icon where the CSP refuses it),
    and a changed image still shows in the word diff. The renderer escaped the alt."""
    if "<img" not in html:
        return html

    def marker(match: re.Match[str]) -> str:
        alt = _ALT.search(match.group())
        return render_template(
            "specgen/diff/image.html", overrides, alt=Markup(alt.group(1)) if alt else ""
        )

    return _IMAGE.sub(marker, html)


class _PageLinker:
    """Links of one side's rendered text: a section is an anchor on this page (every
    section of either side has one, and a renamed section its old id too) or nothing;
    eval prompt sets and the site's own pages are not on it."""

    def __init__(self, anchors: frozenset[str], titles: Mapping[str, str]) -> None:
        self.anchors = anchors
        self.titles = titles

    def section_url(self, section_id: str) -> str | None:
        return f"#{section_id}" if section_id in self.anchors else None

    def eval_url(self, set_id: str) -> str | None:
        return None

    def section_title(self, section_id: str) -> str | None:
        return self.titles.get(section_id)

    def page_url(self, name: str) -> str | None:
        return None


# -- where things are --------------------------------------------------------------------

OLD, NEW = "old", "new"


@dataclass(frozen=True, slots=True)
class Place:
    """Where something is on one side (OLD or NEW): "spec/10-a.md:12", and that line on
    the forge when there is one."""

    side: str
    where: str
    url: str | None


def _outside(path: str) -> bool:
    """Whether a repository path is none: absolute, or up out of the repository."""
    return path.startswith("/") or path == ".." or path.startswith("../") or ":" in path[:3]


class _Places:
    """Places on both sides. A path outside the repository (a spec read from elsewhere)
    is shown relative to the folder that holds both specs, never absolute."""

    def __init__(self, diff: SpecDiff) -> None:
        self.origins = {OLD: diff.old_origin, NEW: diff.new_origin}
        sources = ((OLD, diff.old.source), (NEW, diff.new.source))
        repo = [self.origins[side].repo_path(source) for side, source in sources if source]
        folders = [posixpath.dirname(p) for p in repo if _outside(p)]
        try:
            self.base = posixpath.commonpath(folders) if folders else None
        except ValueError:  # absolute and relative ones: no common folder
            self.base = None

    def path(self, side: str, path: str) -> str:
        """``path`` (a location's) as a reader cites it."""
        repo = self.origins[side].repo_path(path)
        if not _outside(repo):
            return repo
        if self.base is not None:
            try:
                shown = posixpath.relpath(repo, self.base)
            except ValueError:
                shown = ""
            if shown and not _outside(shown):
                return shown
        return posixpath.basename(repo)

    def place(self, side: str, loc: Location) -> Place:
        origin = self.origins[side]
        if _outside(origin.repo_path(loc.path)):
            return Place(side, f"{self.path(side, loc.path)}:{loc.line}", None)
        return Place(side, origin.where(loc), origin.source_url(loc))

    def places(self, old: Location | None, new: Location | None) -> list[Place]:
        """The places of something on the sides that have it."""
        found = [(OLD, old), (NEW, new)]
        return [self.place(side, loc) for side, loc in found if loc is not None]


@dataclass(frozen=True, slots=True)
class SideView:
    """A side as the page's header names it."""

    side: str  # OLD or NEW
    name: str  # the spec's title and version (or date)
    version: str
    revision: str  # "main @ 1a2b3c4"; "" for files on disk
    path: str  # the spec's path in the repository

    @property
    def text(self) -> str:
        return " · ".join(x for x in (self.name, self.revision, self.path) if x)


def side_views(diff: SpecDiff, places: _Places) -> tuple[SideView, SideView]:
    """Both sides' labels (``describe.side_labels``) with paths as readers cite them."""

    def view(side: str, label: SideLabel, spec: Spec) -> SideView:
        path = places.path(side, spec.source) if spec.source else label.path
        name = " ".join(x for x in (label.title, label.version) if x)
        revision = label.where if label.revision is not None else ""
        return SideView(side, name, label.version, revision, path)

    old, new = side_labels(diff)
    return view(OLD, old, diff.old), view(NEW, new, diff.new)


def short_labels(diff: SpecDiff, old: SideView, new: SideView) -> tuple[str, str]:
    """A few words for each side, for the page's title: what tells the two apart, the
    versions, else the git revisions, else the names the sides were given (their
    repository paths when those were absolute)."""
    if old.version and new.version and old.version != new.version:
        return old.version, new.version
    if old.revision or new.revision:
        return old.revision or old.path, new.revision or new.path
    given = (diff.old_label, diff.new_label)
    if not any(PurePosixPath(g).is_absolute() or PureWindowsPath(g).is_absolute() for g in given):
        return given
    return old.path, new.path


@dataclass
class _Sides:
    diff: SpecDiff
    old: RenderContext
    new: RenderContext
    overrides: tuple[Path, ...]
    titles: dict[str, str]
    places: _Places
    aliases: dict[str, str]  # a renamed section's id -> its old id, an anchor here too
    renamed: dict[str, str]  # a renamed section's old anchor -> its new one ("#a": "#b")

    def words(self, old: str, new: str) -> WordDiff:
        """The word diff of two renderings, a changed link target noted (not a renamed
        section's new anchor)."""
        return diff_html(old, new, self.link_note, self.renamed)

    def link_note(self, old: str | None, new: str | None) -> str:
        return render_template("specgen/diff/relink.html", self.overrides, old=old, new=new)

    def where(self, old: Location | None, new: Location | None, block: bool = False) -> Markup:
        """A line saying where something is on each side, from the template."""
        return Markup(
            render_template(
                "specgen/diff/where.html",
                self.overrides,
                places=self.places.places(old, new),
                block=block,
            )
        )


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
    places = _Places(diff)
    sides = _Sides(
        diff,
        # [?](#id) reads as the target's title on that side (the other's if it has none).
        RenderContext(diff.old.config, _PageLinker(anchors, new_titles | old_titles), paths),
        RenderContext(diff.new.config, _PageLinker(anchors, old_titles | new_titles), paths),
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


def _row(sides: _Sides, section: SectionDiff) -> ChangedRow:
    changes = (status_change(section), *section_changes(sides.diff, section, sides.titles))
    return ChangedRow(section, tuple(Chip.of(c) for c in changes))


def _authority_row(sides: _Sides, section: SectionDiff) -> AuthorityRow:
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


def _section_detail(sides: _Sides, section: SectionDiff) -> str:
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
    examples = [Markup(_example(sides, section, e)) for e in section.changed_examples]
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


def _placer(sides: _Sides, section: Section, shown: frozenset[str]) -> PlaceExample:
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
    sides: _Sides, section: Section, ctx: RenderContext, shown: frozenset[str], lines: bool
) -> str:
    html = render_markdown(
        section.body,
        ctx.linker,
        _placer(sides, section, shown),
        source_lines=_source_lines(section.body) if lines else None,
    )
    return _no_images(html, sides.overrides)


# A top-level block of a body's word diff marked with its lines (``specgen.diff.words``).
_LINE_MARKS = re.compile(rf'<([A-Za-z][A-Za-z0-9-]*)((?: (?:{LINE_ATTR}|{OLD_LINE_ATTR})="\d+")+)')
_LINE_MARK = re.compile(rf' ({LINE_ATTR}|{OLD_LINE_ATTR})="(\d+)"')


def _locate_blocks(sides: _Sides, html: str, old: Markdown, new: Markdown) -> str:
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


def _body(sides: _Sides, section: SectionDiff) -> _BodyView:
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


# -- examples ----------------------------------------------------------------------------


def _example(sides: _Sides, section: SectionDiff, example: ExampleDiff) -> str:
    if example.status in (Status.ADDED, Status.REMOVED):
        inserted = example.status is Status.ADDED
        whole, side = (example.new, sides.new) if inserted else (example.old, sides.old)
        assert whole is not None
        html = _no_images(render_example(section.id, whole, side), sides.overrides)
        return render_template(
            "specgen/diff/whole_example.html",
            sides.overrides,
            inserted=inserted,
            html=Markup(html),
            label=example_label(example),
            where=sides.where(None, whole.loc) if inserted else sides.where(whole.loc, None),
        )
    assert example.old is not None and example.new is not None
    old_flags, new_flags = set(example.old.flags), set(example.new.flags)
    caption = _inline_diff(
        sides,
        _no_images(render_markdown(example.old.caption, sides.old.linker), sides.overrides),
        _no_images(render_markdown(example.new.caption, sides.new.linker), sides.overrides),
        example.caption_changed,
    )
    return render_template(
        "specgen/diff/example.html",
        sides.overrides,
        anchor=example_anchor(section.id, example.id),
        example=example,
        label=example_label(example),
        where=sides.where(example.old.loc, example.new.loc),
        caption=caption,
        flags=[(f, "ins" if f not in old_flags else "") for f in example.new.flags]
        + [(f, "del") for f in example.old.flags if f not in new_flags],
        turns=[_turn(sides, t) for t in example.turns],
        verdicts=verdicts_label(len(example.verdict_changes)) if example.verdict_changes else None,
        formatting_only=formatting_only(example),
        arrow=ARROW,
    )


def formatting_only(example: ExampleDiff) -> bool:
    """Whether a modified example changed in formatting only: every changed text of it
    (caption, messages, answers, comments) the same words with the same link targets,
    as the engine classed them; nothing added, removed or re-judged."""
    if example.flags_changed or (example.caption_changed and not example.caption_changes):
        return False
    kinds = set(example.caption_changes)
    for turn in example.turns:
        if turn.status in (Status.ADDED, Status.REMOVED):
            return False
        if turn.kind == "message" and turn.status is Status.MODIFIED and not turn.text_changes:
            return False
        kinds |= turn.text_changes
        for answer in turn.answers:
            if answer.status is not Status.UNCHANGED and answer.status is not Status.MODIFIED:
                return False
            if answer.verdict_changed or answer.violates_changed:
                return False
            if (answer.content_changed and not answer.text_changes) or (
                answer.comment_changed and not answer.comment_changes
            ):
                return False
            kinds |= answer.text_changes | answer.comment_changes
    return kinds == {TextChange.FORMATTING}


def _inline_diff(sides: _Sides, old: str, new: str, changed: bool = True) -> Markup:
    return Markup(sides.words(old, new).html if changed else new)


def _parts_html(message: Message | Answer, ctx: RenderContext, overrides: tuple[Path, ...]) -> str:
    views = parts_view(message.parts, message.raw, ctx)
    html = render_template("specgen/parts.html", overrides, turn={"parts": views})
    return _no_images(html, overrides)


def _whole(html: str, status: Status) -> str:
    if status is Status.ADDED:
        return mark_inserted(html).html
    if status is Status.REMOVED:
        return mark_deleted(html).html
    return html


@dataclass(frozen=True, slots=True)
class _TurnView:
    """A turn of an example as the diff template shows it (message, answers, elision)."""

    kind: str
    status: str
    stacked: bool = False
    answers: list[_AnswerView] = field(default_factory=list)
    role: str = ""
    label: Markup | str = ""
    code: bool = False
    comment: Markup | str | None = None
    html: Markup | None = None


@dataclass(frozen=True, slots=True)
class _VerdictView:
    quality: str
    name: str
    old_quality: str | None
    old_name: str | None
    changed: bool


@dataclass(frozen=True, slots=True)
class _Target:
    url: str | None
    title: str


@dataclass(frozen=True, slots=True)
class _ViolatesView:
    old: _Target | None
    new: _Target | None
    changed: bool


@dataclass(frozen=True, slots=True)
class _AnswerView:
    status: str
    quality: str
    verdict: _VerdictView
    label: str
    code: bool
    content: Markup
    comment: Markup
    violates: _ViolatesView | None


def _turn(sides: _Sides, turn: TurnDiff) -> _TurnView:
    if turn.kind == "elision":
        return _TurnView("elision", turn.status.value)
    if turn.kind == "message":
        return _message(sides, turn)
    return _TurnView(
        "answers",
        turn.status.value,
        stacked=len(turn.answers) >= 4,
        answers=[_answer(sides, a) for a in turn.answers],
    )


def _message(sides: _Sides, turn: TurnDiff) -> _TurnView:
    old, new = turn.old_message, turn.new_message
    node = new or old
    assert node is not None
    label = role_label(node.role, node.recipient, node.name)
    comment: Markup | str | None = node.comment
    if old is not None and new is not None:
        content = sides.words(
            _parts_html(old, sides.old, sides.overrides),
            _parts_html(new, sides.new, sides.overrides),
        )
        old_label = role_label(old.role, old.recipient, old.name)
        label_html = _inline_diff(
            sides, str(escape(old_label)), str(escape(label)), old_label != label
        )
        if old.comment != new.comment:
            comment = _inline_diff(
                sides, str(escape(old.comment or "")), str(escape(new.comment or ""))
            )
        html: str = content.html
    else:
        ctx = sides.new if new is not None else sides.old
        html = _whole(_parts_html(node, ctx, sides.overrides), turn.status)
        label_html = Markup(_whole(str(escape(label)), turn.status))
    return _TurnView(
        "message",
        turn.status.value,
        role=node.role,
        label=label_html,
        code=bool(node.recipient) or node.role == "tool",
        comment=comment,
        html=Markup(html),
    )


def _answer(sides: _Sides, answer: AnswerDiff) -> _AnswerView:
    old, new = answer.old, answer.new
    node = new or old
    assert node is not None
    diff = sides.diff
    ctx = sides.new if new is not None else sides.old
    names = (ctx.config, (sides.old if new is not None else sides.new).config)
    verdict = _VerdictView(
        quality=node.quality,
        name=quality_name(node.quality, *names),
        old_quality=old.quality if old is not None else None,
        old_name=quality_name(old.quality, diff.old.config, diff.new.config) if old else None,
        changed=answer.verdict_changed,
    )
    if old is not None and new is not None:
        content = _inline_diff(
            sides,
            _parts_html(old, sides.old, sides.overrides),
            _parts_html(new, sides.new, sides.overrides),
            answer.content_changed,
        )
        comment = _inline_diff(
            sides, _comment(old, sides.old), _comment(new, sides.new), answer.comment_changed
        )
    else:
        content = Markup(_whole(_parts_html(node, ctx, sides.overrides), answer.status))
        comment = Markup(_whole(_comment(node, ctx), answer.status))
    return _AnswerView(
        status=answer.status.value,
        quality=node.quality,
        verdict=verdict,
        label=role_label("assistant", node.recipient, None),
        code=bool(node.recipient),
        content=content,
        comment=comment,
        violates=_violates(sides, answer),
    )


def _comment(answer: Answer, ctx: RenderContext) -> str:
    if answer.comment is None:
        return ""
    return _no_images(render_markdown(answer.comment, ctx.linker), ctx.overrides)


def _violates(sides: _Sides, answer: AnswerDiff) -> _ViolatesView | None:
    """The broken principle: its title linked to its anchor, old and new when changed."""

    def target(node: Answer | None, ctx: RenderContext) -> _Target | None:
        if node is None or node.violates is None:
            return None
        section_id = node.violates.target
        return _Target(
            ctx.linker.section_url(section_id), ctx.linker.section_title(section_id) or section_id
        )

    old = target(answer.old, sides.old)
    new = target(answer.new, sides.new)
    if old is None and new is None:
        return None
    return _ViolatesView(old, new, answer.violates_changed)
