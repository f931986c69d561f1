"""The spec model: typed, immutable, and free of files, Markdown libraries and MkDocs.

Every node keeps the location of the author's text it came from, so lint, render and
diff can all point back at it. Markdown is held as source text (``Markdown``); parsing
it is the job of ``specgen.mdit``, which caches one parse per text.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A point in a source file; line and column start at 1."""

    path: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Markdown:
    """Markdown source text and where its first character sits.

    ``inline`` marks text that is a single line of inline Markdown (captions, comments).
    ``line_offset`` and ``column_offset`` map a line of ``text`` back to the file: text
    line ``i`` (0-based) sits at file line ``loc.line + i``.
    """

    text: str
    loc: Location
    inline: bool = False
    indent: int = 0  # columns stripped from each line (YAML block scalars, indented blocks)
    verbatim: bool = True  # False when text lines are not file lines (folded YAML, escapes)
    # Whether \\( … \\) is math here: the OpenAI dialect has math only in messages.
    math: bool = True

    def location_of(self, line_index: int, column: int = 1) -> Location:
        """The file location of a 0-based line and a 1-based column in ``text``."""
        if line_index == 0:
            return Location(self.loc.path, self.loc.line, self.loc.column + column - 1)
        return Location(self.loc.path, self.loc.line + line_index, self.indent + column)


class RefKind(StrEnum):
    LINK = "link"  # [text](#id)
    TITLE = "title"  # [?](#id): the link text becomes the target's title
    VIOLATES = "violates"  # an answer's broken-principle reference
    PLACEMENT = "placement"  # ::example{#id} in a body
    EVAL = "eval"  # [^abcd] -> eval prompt set abcd


@dataclass(frozen=True, slots=True)
class Reference:
    kind: RefKind
    target: str
    loc: Location


class Quality(StrEnum):
    GOOD = "good"
    OK = "ok"
    BAD = "bad"


QUALITY_ORDER: tuple[Quality, ...] = (Quality.GOOD, Quality.OK, Quality.BAD)


@dataclass(frozen=True, slots=True)
class TextPart:
    markdown: Markdown


@dataclass(frozen=True, slots=True)
class UntrustedPart:
    """Content the assistant must treat as data, not instructions."""

    markdown: Markdown


@dataclass(frozen=True, slots=True)
class AttachmentPart:
    name: str
    caption: str
    loc: Location


Part = TextPart | UntrustedPart | AttachmentPart


@dataclass(frozen=True, slots=True)
class Message:
    role: str
    parts: tuple[Part, ...]
    loc: Location
    recipient: str | None = None  # assistant -> tool, e.g. "python"
    name: str | None = None  # tool name for role tool
    comment: str | None = None  # a reviewer's note on the message, e.g. "in Korean"
    end_turn: bool | None = None
    raw: bool = False  # content is verbatim text (code), not Markdown
    # A quality label on a message nobody judges: the word, or the whole label as
    # written when it says more ("GOOD: accepts the compliment"), so nothing is lost.
    stray_quality: str | None = None
    stray_quality_loc: Location | None = None
    # The dialect's <settings> inside this message ("max_tokens=1024"; "name" for
    # "name: true"); a system message's settings are its example's flags instead.
    settings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Answer:
    """One alternative reply being judged."""

    quality: str  # a Quality value when valid; kept raw so lint can report bad ones
    parts: tuple[Part, ...]
    loc: Location
    quality_loc: Location
    comment: Markdown | None = None
    violates: Reference | None = None
    recipient: str | None = None
    raw: bool = False


@dataclass(frozen=True, slots=True)
class Unparsed:
    """Source text a reader could not place, kept verbatim where it stood (the reader
    has reported why): shown as written, exported unchanged, never dropped."""

    text: str
    loc: Location
    reported: bool = False  # the reader already said why (else lint's SG308 does)


@dataclass(frozen=True, slots=True)
class AnswerSet:
    answers: tuple[Answer, ...]
    loc: Location
    unparsed: tuple[Unparsed, ...] = ()  # text inside the set that is not an answer


@dataclass(frozen=True, slots=True)
class Elision:
    """Turns left out of a conversation (``[...]``)."""

    loc: Location


Turn = Message | AnswerSet | Elision | Unparsed


@dataclass(frozen=True, slots=True)
class Example:
    id: str
    caption: Markdown
    turns: tuple[Turn, ...]
    loc: Location
    flags: tuple[str, ...] = ()

    @property
    def answer_sets(self) -> tuple[AnswerSet, ...]:
        return tuple(t for t in self.turns if isinstance(t, AnswerSet))

    @property
    def messages(self) -> tuple[Message, ...]:
        return tuple(t for t in self.turns if isinstance(t, Message))


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: str
    loc: Location  # where the section starts (front matter or heading)
    body: Markdown
    authority: str | None = None
    authority_loc: Location | None = None
    informative: bool = False
    tags: tuple[str, ...] = ()
    examples: tuple[Example, ...] = ()
    children: tuple[Section, ...] = ()
    references: tuple[Reference, ...] = ()  # from the body, captions and comments
    former_ids: tuple[str, ...] = ()
    incomplete: bool = False  # its source could not be fully read (already reported)
    # Heading attributes the reader did not know ("color=red"), kept as written and
    # reported; exported back, never dropped.
    extra_attributes: tuple[str, ...] = ()
    # The section's own source text as written (its file; in the OpenAI dialect, its
    # heading up to the next heading): diff reports a change wherever these differ,
    # even when nothing the model holds did (whitespace, markup, unplaced text).
    source: str = ""

    def walk(self) -> Iterator[Section]:
        """This section and all its descendants, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()

    @property
    def placements(self) -> tuple[Reference, ...]:
        return tuple(r for r in self.references if r.kind is RefKind.PLACEMENT)


@dataclass(frozen=True, slots=True)
class EvalPromptSet:
    """A set of prompts used to evaluate the policy sentence that cites it."""

    id: str
    title: str
    loc: Location
    body: Markdown
    prompts: tuple[Example, ...] = ()
    source: str = ""  # the file's text as written (see Section.source)


@dataclass(frozen=True, slots=True)
class AuthorityLevel:
    id: str
    name: str
    description: str = ""


DEFAULT_LEVELS: tuple[AuthorityLevel, ...] = (
    AuthorityLevel("root", "Root", "Fundamental rules that nothing can override."),
    AuthorityLevel("system", "System", "Rules set by the platform's system messages."),
    AuthorityLevel("developer", "Developer", "Defaults a developer may change."),
    AuthorityLevel("user", "User", "Defaults a user may change."),
    AuthorityLevel("guideline", "Guideline", "Defaults that context may implicitly override."),
)

DEFAULT_QUALITY_NAMES: Mapping[str, str] = MappingProxyType(
    {"good": "Compliant", "ok": "Minor issues", "bad": "Violation"}
)

NO_TAG_NAMES: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class SpecConfig:
    """Spec-level settings: how the spec names itself and orders its levels."""

    title: str = "Behaviour spec"
    subtitle: str = ""
    version: str = ""
    date: str = ""
    levels: tuple[AuthorityLevel, ...] = DEFAULT_LEVELS
    quality_names: Mapping[str, str] = field(default_factory=lambda: DEFAULT_QUALITY_NAMES)
    # Where \\( … \\) is math: "everywhere", or "messages" (only inside conversation
    # messages, the OpenAI dialect's rule; ``specgen.sources.math_scope``).
    math: str = "everywhere"
    # How a tag (a section's tag, an example's flag) is shown: "under_18" -> "U18".
    tag_names: Mapping[str, str] = field(default_factory=lambda: NO_TAG_NAMES)

    def tag_name(self, tag: str) -> str:
        """The name a tag is shown by: its configured name, else the tag as written."""
        return self.tag_names.get(tag) or tag

    def level(self, level_id: str) -> AuthorityLevel | None:
        return next((lv for lv in self.levels if lv.id == level_id), None)

    def rank(self, level_id: str) -> int:
        """0 for the highest level; len(levels) for an unknown one."""
        for i, lv in enumerate(self.levels):
            if lv.id == level_id:
                return i
        return len(self.levels)


@dataclass(frozen=True, slots=True)
class Spec:
    config: SpecConfig
    sections: tuple[Section, ...]
    eval_sets: tuple[EvalPromptSet, ...] = ()
    source: str = ""  # the path the spec was read from, for messages only
    dialect: str = ""  # the source format: sources of two specs compare only if it is one

    def walk(self) -> Iterator[Section]:
        for section in self.sections:
            yield from section.walk()

    def section_index(self) -> dict[str, Section]:
        """First section for each id (duplicates are a lint finding, not an error)."""
        index: dict[str, Section] = {}
        for section in self.walk():
            index.setdefault(section.id, section)
        return index
