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
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path

from markupsafe import Markup, escape

from specgen.diff.describe import (
    ARROW,
    AuthorityWords,
    Change,
    authority_words,
    example_label,
    level_name,
    quality_name,
    section_changes,
    section_titles,
    status_change,
    verdicts_label,
)
from specgen.diff.model import (
    AnswerDiff,
    ExampleDiff,
    SectionDiff,
    SpecDiff,
    Status,
    TurnDiff,
)
from specgen.diff.words import diff_html, mark_deleted, mark_inserted
from specgen.model import Answer, Message, Section
from specgen.render.badges import badge_for
from specgen.render.markdown import PlaceExample, plain_text, render_markdown
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
    section of either side has one) or nothing; eval prompt sets and the site's own
    pages are not on it."""

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


@dataclass
class _Sides:
    diff: SpecDiff
    old: RenderContext
    new: RenderContext
    overrides: tuple[Path, ...]
    titles: dict[str, str]


def render_diff_html(diff: SpecDiff, overrides: Sequence[Path] = ()) -> str:
    """The whole page. ``overrides``: template folders searched before specgen's own."""
    anchors = frozenset(s.id for s in diff.sections)
    old_titles = {s.id: s.title for s in diff.old.walk()}
    new_titles = {s.id: s.title for s in diff.new.walk()}
    paths = tuple(overrides)
    sides = _Sides(
        diff,
        # [?](#id) reads as the target's title on that side (the other's if it has none).
        RenderContext(diff.old.config, _PageLinker(anchors, new_titles | old_titles), paths),
        RenderContext(diff.new.config, _PageLinker(anchors, old_titles | new_titles), paths),
        paths,
        section_titles(diff),
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
    return render_template(
        "specgen/diff/page.html",
        paths,
        diff=diff,
        spec_title=diff.new.config.title or diff.old.config.title,
        styles=Markup(page_styles()),
        summary=Markup(summary),
        details=details,
        unchanged=unchanged,
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


def _section_detail(sides: _Sides, section: SectionDiff) -> str:
    diff = sides.diff
    old, new = section.old, section.new
    node = new or old
    assert node is not None
    side = sides.new if new is not None else sides.old
    badge = badge_for(node, side.config)
    title = escape(node.title)
    if section.retitled and old is not None and new is not None:
        title = Markup(diff_html(str(escape(old.title)), str(escape(new.title))).html)
    authority = _authority_row(sides, section) if section.authority is not None else None
    moved_to = section.moved.new_parent if section.moved is not None else None
    body, body_mark, body_note = _body(sides, section)
    examples = [Markup(_example(sides, section, e)) for e in section.changed_examples]
    return render_template(
        "specgen/diff/section.html",
        sides.overrides,
        section=section,
        title=title,
        badge=badge,
        status=status_change(section),
        what=section_changes(diff, section, sides.titles),
        authority=authority,
        moved_to=moved_to,
        old_level=level_name(old.authority, diff.old.config) if old and old.authority else None,
        body=body,
        body_mark=body_mark,
        body_note=body_note,
        examples=examples,
        unchanged_examples=len(section.examples) - len(section.changed_examples),
        arrow=ARROW,
    )


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


def _render_body(sides: _Sides, section: Section, ctx: RenderContext, shown: frozenset[str]) -> str:
    html = render_markdown(section.body, ctx.linker, _placer(sides, section, shown))
    return _no_images(html, sides.overrides)


def _body(sides: _Sides, section: SectionDiff) -> tuple[Markup | None, str, str | None]:
    """The body to show (a word diff, or a whole side), how it is marked as a whole
    ("ins", "del" or ""), and a note about it."""
    old, new = section.old, section.new
    shown = frozenset(e.id for e in section.changed_examples)
    if old is None or new is None:
        node = new or old
        assert node is not None
        html = _render_body(sides, node, sides.new if new is not None else sides.old, shown)
        if not html.strip():
            return None, "", "No text."
        return Markup(html), "ins" if new is not None else "del", None
    if not section.body_changed:
        return None, "", "Text unchanged."
    result = diff_html(
        _render_body(sides, old, sides.old, shown), _render_body(sides, new, sides.new, shown)
    )
    note = None if result.changed else "Only formatting or link targets changed."
    return Markup(result.html), "", note


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
        )
    assert example.old is not None and example.new is not None
    old_flags, new_flags = set(example.old.flags), set(example.new.flags)
    caption = _inline_diff(
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
        caption=caption,
        flags=[(f, "ins" if f not in old_flags else "") for f in example.new.flags]
        + [(f, "del") for f in example.old.flags if f not in new_flags],
        turns=[_turn(sides, t) for t in example.turns],
        verdicts=verdicts_label(len(example.verdict_changes)) if example.verdict_changes else None,
        arrow=ARROW,
    )


def _inline_diff(old: str, new: str, changed: bool = True) -> Markup:
    return Markup(diff_html(old, new).html if changed else new)


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
        content = diff_html(
            _parts_html(old, sides.old, sides.overrides),
            _parts_html(new, sides.new, sides.overrides),
        )
        old_label = role_label(old.role, old.recipient, old.name)
        label_html = _inline_diff(str(escape(old_label)), str(escape(label)), old_label != label)
        if old.comment != new.comment:
            comment = _inline_diff(str(escape(old.comment or "")), str(escape(new.comment or "")))
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
            _parts_html(old, sides.old, sides.overrides),
            _parts_html(new, sides.new, sides.overrides),
            answer.content_changed,
        )
        comment = _inline_diff(
            _comment(old, sides.old), _comment(new, sides.new), answer.comment_changed
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
