"""What the templates receive: typed views of a conversation and of index rows.

Templates read them by attribute (``turn.kind``, ``part.html``) as they would a dict;
the types say which fields exist, so a template and the code feeding it cannot drift
apart unnoticed (mypy checks the producers).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from markupsafe import Markup

from specgen.model import Section
from specgen.render.badges import Badge
from specgen.render.measured import VerdictView


@dataclass(frozen=True, slots=True)
class PartView:
    kind: Literal["text", "untrusted", "data", "raw", "attachment"]
    html: Markup | None = None  # a text part, rendered
    text: str = ""  # an untrusted, data or raw part, shown as written
    name: str = ""  # an attachment's file name and caption
    caption: str = ""


@dataclass(frozen=True, slots=True)
class MessageView:
    role: str
    label: str  # "Assistant to python", "Tool: browser"
    code: bool  # a tool call or a tool's output
    parts: list[PartView]
    comment: str | None
    settings: tuple[str, ...]
    kind: Literal["message"] = "message"


@dataclass(frozen=True, slots=True)
class ViolatesView:
    url: str | None
    title: str


@dataclass(frozen=True, slots=True)
class AnswerView:
    quality: str
    quality_name: str
    label: str
    code: bool
    parts: list[PartView]
    comment: Markup | None
    violates: ViolatesView | None


@dataclass(frozen=True, slots=True)
class UnparsedView:
    text: str
    where: str  # "model_spec.md, line 12": the file's name, never the build's path
    kind: Literal["unparsed"] = "unparsed"


@dataclass(frozen=True, slots=True)
class AnswersView:
    side_by_side: bool  # two short answers in two columns; else one above the other
    answers: list[AnswerView]
    unparsed: list[UnparsedView]
    kind: Literal["answers"] = "answers"
    measured: list[VerdictView] = field(default_factory=list)  # a run's verdicts on it


@dataclass(frozen=True, slots=True)
class ElisionView:
    kind: Literal["elision"] = "elision"


TurnView = MessageView | AnswersView | UnparsedView | ElisionView


@dataclass(frozen=True, slots=True)
class SourceLinks:
    """Where a section's or an example's text is on the forge: the line, at the
    build's commit or branch, and the forge's editor for its file (None when edit
    links are off). ``name`` says whose source it is, for the links' accessible names."""

    name: str  # "Be concise", "the example A user asks..."
    view_url: str
    edit_url: str | None = None


@dataclass(frozen=True, slots=True)
class ContentsEntry:
    """A section in the home page's contents, with its children to some depth."""

    section: Section
    url: str | None
    badge: Badge | None
    children: list[ContentsEntry]


@dataclass(frozen=True, slots=True)
class ExampleRow:
    """A row of the examples index, with what its filters need."""

    url: str | None
    caption: Markup
    section: Section
    section_url: str | None
    badge: Badge | None
    level: str
    qualities: list[str]
    flags: tuple[str, ...]
