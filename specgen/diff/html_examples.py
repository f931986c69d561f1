"""An example's changes on the HTML diff page: an added or removed example whole, a
modified one with its caption, flags, turns and answers word-diffed (a message's role,
text and comment; an answer's verdict, text, comment and the principle it breaks).

HTML comes from the templates in ``theme/specgen/diff/`` (``example.html``,
``whole_example.html``) and specgen's own ``parts.html``; the word diff of two
renderings and the line saying where the example is on each side come from
``specgen.diff.html_sides``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup, escape

from specgen.diff.describe import ARROW, example_label, quality_name, verdicts_label
from specgen.diff.html_sides import Sides, no_images
from specgen.diff.model import AnswerDiff, ExampleDiff, SectionDiff, Status, TextChange, TurnDiff
from specgen.diff.words import mark_deleted, mark_inserted
from specgen.model import Answer, Message
from specgen.render.markdown import render_markdown
from specgen.render.section import (
    RenderContext,
    example_anchor,
    parts_view,
    render_example,
    role_label,
    shows_data,
)
from specgen.render.templates import render_template


def example_html(sides: Sides, section: SectionDiff, example: ExampleDiff) -> str:
    """A changed example: whole when added or removed, else its changes word-diffed."""
    if example.status in (Status.ADDED, Status.REMOVED):
        inserted = example.status is Status.ADDED
        whole, side = (example.new, sides.new) if inserted else (example.old, sides.old)
        assert whole is not None
        html = no_images(render_example(section.id, whole, side), sides.overrides)
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
        no_images(render_markdown(example.old.caption, sides.old.linker), sides.overrides),
        no_images(render_markdown(example.new.caption, sides.new.linker), sides.overrides),
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
        # Shown by their names, as on the site (``tag_names``).
        flags=[
            (sides.new.config.tag_name(f), "ins" if f not in old_flags else "")
            for f in example.new.flags
        ]
        + [(sides.old.config.tag_name(f), "del") for f in example.old.flags if f not in new_flags],
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


def _inline_diff(sides: Sides, old: str, new: str, changed: bool = True) -> Markup:
    return Markup(sides.words(old, new).html if changed else new)


def _parts_html(message: Message | Answer, ctx: RenderContext, overrides: tuple[Path, ...]) -> str:
    views = parts_view(message.parts, message.raw, ctx, data=shows_data(message))
    html = render_template("specgen/parts.html", overrides, turn={"parts": views})
    return no_images(html, overrides)


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


def _turn(sides: Sides, turn: TurnDiff) -> _TurnView:
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


def _message(sides: Sides, turn: TurnDiff) -> _TurnView:
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


def _answer(sides: Sides, answer: AnswerDiff) -> _AnswerView:
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
    return no_images(render_markdown(answer.comment, ctx.linker), ctx.overrides)


def _violates(sides: Sides, answer: AnswerDiff) -> _ViolatesView | None:
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
