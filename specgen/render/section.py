"""Builds the view of a section (and its examples) and renders it with the templates."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath

from markupsafe import Markup

from specgen.identifiers import safe_slug
from specgen.model import (
    QUALITY_ORDER,
    Answer,
    AnswerSet,
    AttachmentPart,
    Elision,
    Example,
    Location,
    Message,
    Part,
    Section,
    SpecConfig,
    Turn,
    Unparsed,
    UntrustedPart,
)
from specgen.origin import Origin
from specgen.render.answer_layout import side_by_side
from specgen.render.badges import Badge, badge_for
from specgen.render.linker import LEVELS_PAGE, Linker
from specgen.render.markdown import plain_text, render_markdown
from specgen.render.measured import ResultsLookup, VerdictView
from specgen.render.templates import render_template
from specgen.render.toc import Toc
from specgen.render.views import (
    AnswersView,
    AnswerView,
    ElisionView,
    MessageView,
    PartView,
    SourceLinks,
    TurnView,
    UnparsedView,
    ViolatesView,
)


def example_anchor(section_id: str, example_id: str) -> str:
    return f"{safe_slug(section_id)}--{safe_slug(example_id)}"


@dataclass
class RenderContext:
    config: SpecConfig
    linker: Linker
    overrides: tuple[Path, ...] = ()
    toc: Toc = field(default_factory=Toc)  # what the page's table of contents lists
    # Where the spec was read from: with a forge, "View source" and "Edit" links.
    origin: Origin | None = None
    # A run's results (`build --results`): verdicts on the examples, rates on the pages.
    results: ResultsLookup | None = None


def source_links(
    loc: Location, name: str, origin: Origin | None, edit: bool = True
) -> SourceLinks | None:
    """The forge's view of ``loc``'s line (at the build's commit, else the configured
    branch) and, when ``edit``, its editor, for the text ``name`` calls; None without
    a forge, or for a file outside the repository."""
    view_url = origin.source_url(loc) if origin is not None else None
    if view_url is None:
        return None
    return SourceLinks(name, view_url, edit_url(loc, origin) if edit else None)


def edit_url(loc: Location, origin: Origin | None) -> str | None:
    """The forge's editor for ``loc``'s file on the configured branch; None without a
    forge, when edit links are off, or for a file outside the repository."""
    if origin is None or origin.forge is None:
        return None
    path = origin.repo_path(loc.path)
    if path.startswith(("/", "..")):
        return None
    return origin.forge.edit_url(path)


def render_section(section: Section, ctx: RenderContext, in_one_page: bool = False) -> str:
    """A section's page content: badges, body with its placed examples, the other
    examples, and (on its own page) links to its sub-sections."""
    by_id = {example.id: example for example in section.examples}
    placed: set[str] = set()  # a set: a section may place thousands of examples

    def place(example_id: str) -> str:
        example = by_id.get(example_id)
        if example is None or example_id in placed:
            return ""
        placed.add(example_id)
        ctx.toc.add_example(example_anchor(section.id, example.id), _toc_title(example))
        return render_example(section, example, ctx)

    body = Markup(render_markdown(section.body, ctx.linker, place, ctx.toc))
    rest = []
    for example in section.examples:
        if example.id not in placed:
            anchor = example_anchor(section.id, example.id)
            ctx.toc.add_example(anchor, _toc_title(example), after_body=True)
            rest.append(render_example(section, example, ctx))
    badge = badge_for(section, ctx.config)
    return render_template(
        "specgen/section.html",
        ctx.overrides,
        section=section,
        badge=badge,
        badge_url=badge_url(badge, ctx.linker),
        tag_name=ctx.config.tag_name,
        source=source_links(section.loc, section.title, ctx.origin),
        body=body,
        examples=[Markup(html) for html in rest],
        children=[]
        if in_one_page
        else [(c, ctx.linker.section_url(c.id)) for c in section.children],
        rates=ctx.results.section_rates(section.id) if ctx.results else [],
    )


def _toc_title(example: Example) -> str:
    return f"Example: {plain_text(example.caption)}"


def _example_name(example: Example) -> str:
    return f"the example {plain_text(example.caption) or example.id}"


def badge_url(badge: Badge | None, linker: Linker) -> str | None:
    """Where a badge leads: the level's entry in the levels legend."""
    if badge is None or badge.kind == "unknown":
        return None
    legend = linker.page_url(LEVELS_PAGE)
    return f"{legend}#level-{badge.level_id}" if legend else None


def render_example(
    section: Section | str, example: Example, ctx: RenderContext, kicker: str = "Example"
) -> str:
    """An example (or an eval prompt, whose owner is its set's id: ``kicker`` "Prompt")
    as a conversation."""
    owner = section if isinstance(section, str) else section.id
    turns = [_turn_view(turn, ctx) for turn in example.turns]
    measured: list[VerdictView] = []
    if ctx.results is not None:
        if isinstance(section, str):  # an eval prompt: measured as a whole
            measured = ctx.results.verdicts(ctx.results.record(example.loc))
        else:
            turns = _with_verdicts(turns, example, ctx.results)
    return render_template(
        "specgen/example.html",
        ctx.overrides,
        kicker=kicker,
        anchor=example_anchor(owner, example.id),
        example=example,
        tag_name=ctx.config.tag_name,
        caption=Markup(render_markdown(example.caption, ctx.linker)),
        source=source_links(example.loc, _example_name(example), ctx.origin, edit=False),
        turns=turns,
        measured=measured,
    )


def _with_verdicts(
    turns: list[TurnView], example: Example, results: ResultsLookup
) -> list[TurnView]:
    """Each judged turn (answer set) with what the runs measured for it."""
    return [
        replace(view, measured=results.verdicts(results.record(turn.loc)))
        if isinstance(view, AnswersView) and isinstance(turn, AnswerSet)
        else view
        for turn, view in zip(example.turns, turns, strict=True)
    ]


def _turn_view(turn: Turn, ctx: RenderContext) -> TurnView:
    if isinstance(turn, Elision):
        return ElisionView()
    if isinstance(turn, Unparsed):
        return _unparsed_view(turn)
    if isinstance(turn, Message):
        return MessageView(
            role=turn.role,
            label=role_label(turn.role, turn.recipient, turn.name),
            # A message addressed to a tool is a call; a tool's message is its output.
            code=bool(turn.recipient) or turn.role == "tool",
            parts=parts_view(turn.parts, turn.raw, ctx, data=shows_data(turn)),
            comment=turn.comment,
            settings=turn.settings,
        )
    ordered = sorted(turn.answers, key=_quality_rank)
    return AnswersView(
        side_by_side=side_by_side(ordered),
        answers=[_answer_view(a, ctx) for a in ordered],
        unparsed=[_unparsed_view(u) for u in turn.unparsed],
    )


def _unparsed_view(unparsed: Unparsed) -> UnparsedView:
    # The file's name and line, not its path: the site must not show the build machine's.
    where = f"{PurePath(unparsed.loc.path).name}, line {unparsed.loc.line}"
    return UnparsedView(unparsed.text, where)


def _quality_rank(answer: Answer) -> int:
    names = [q.value for q in QUALITY_ORDER]
    return names.index(answer.quality) if answer.quality in names else len(names)


def _answer_view(answer: Answer, ctx: RenderContext) -> AnswerView:
    violates = None
    if answer.violates is not None:
        target = answer.violates.target
        violates = ViolatesView(
            ctx.linker.section_url(target), ctx.linker.section_title(target) or target
        )
    return AnswerView(
        quality=answer.quality,
        quality_name=ctx.config.quality_names.get(answer.quality, answer.quality),
        label=role_label("assistant", answer.recipient, None),
        code=bool(answer.recipient),
        parts=parts_view(answer.parts, answer.raw, ctx),
        comment=Markup(render_markdown(answer.comment, ctx.linker)) if answer.comment else None,
        violates=violates,
    )


def shows_data(message: Message | Answer) -> bool:
    """Whether a message is data shown to the assistant as it is (a tool's output), not
    text its author formatted: the Model Spec counts tool outputs with untrusted text
    and quoted documents as data without authority."""
    return isinstance(message, Message) and message.role == "tool"


def parts_view(
    parts: tuple[Part, ...], raw: bool, ctx: RenderContext, data: bool = False
) -> list[PartView]:
    """The parts of a message. Untrusted content, and every text part of a message that
    is data (``data``: ``shows_data``), is shown character for character: no Markdown,
    no links, its line breaks and spaces kept; a raw part is code, likewise verbatim."""
    views: list[PartView] = []
    for part in parts:
        if isinstance(part, AttachmentPart):
            views.append(PartView("attachment", name=part.name, caption=part.caption))
        elif isinstance(part, UntrustedPart):
            views.append(PartView("untrusted", text=part.markdown.text))
        elif raw:
            views.append(PartView("raw", text=part.markdown.text))
        elif data:
            views.append(PartView("data", text=part.markdown.text))
        else:
            views.append(PartView("text", Markup(render_markdown(part.markdown, ctx.linker))))
    return views


def role_label(role: str, recipient: str | None, name: str | None) -> str:
    label = role.capitalize() if role else "Message"
    if recipient:
        return f"{label} to {recipient}"
    if name:
        return f"{label}: {name}"
    return label
