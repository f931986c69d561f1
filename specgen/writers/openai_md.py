"""Exports a spec model in the OpenAI Model Spec dialect: one Markdown file with
``{#id authority=...}`` headings and ``~~~xml`` example blocks, plus eval prompt files.

Message text is XML-escaped the way the published files escape it, measured over every
message line of the 2025-12-18 release (``model_spec.md``; ``examples/``): ``&`` and ``<``
are always escaped (8 and 9; 2 and 6), never raw; ``>`` nearly always (12 escaped, 3 raw,
all ``=>`` or ``->`` in code; 7 and 0); ``"`` only inside an escaped HTML tag (8 in
``&lt;form action=&quot;...&gt;``, the other 88 raw; 0 escaped, 74 raw, 2 of them in a
tag); ``'`` never. The rule in ``escape`` reproduces all of ``model_spec.md`` but the 3 raw
``>``, and all of ``examples/`` but the 2 quotes. See
../shared/reference/openai-model-spec-format.md for the dialect.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from specgen.model import (
    Answer,
    AnswerSet,
    AttachmentPart,
    Elision,
    Example,
    Markdown,
    Message,
    Part,
    Quality,
    Section,
    Spec,
    TextPart,
    Turn,
    Unparsed,
    UntrustedPart,
)
from specgen.writers.native import body_lines, placement_id, tidy_body
from specgen.writers.yaml_out import WriteError

MAX_HEADING_DEPTH = 6
_TAG = re.compile(r"<[A-Za-z/!][^<>\n]*>")
_PLAIN_ATTR = re.compile(r"^[^\s\"'{}=]+$")
_QUALITIES = {q.value for q in Quality}
_SETTINGS_TAGS = ("<settings>", "</settings>")


# -- escaping ----------------------------------------------------------------------------


def escape(text: str) -> str:
    """Message text as the dialect writes it: ``& < >`` always as entities, ``"`` only
    inside an HTML tag (``<a href="x">`` -> ``&lt;a href=&quot;x&quot;&gt;``)."""
    text = text.replace("&", "&amp;")
    text = _TAG.sub(lambda m: m.group(0).replace('"', "&quot;"), text)
    return text.replace("<", "&lt;").replace(">", "&gt;")


def escape_attribute(value: str) -> str:
    return (
        value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    )


# -- conversations ---------------------------------------------------------------------


def _attrs(pairs: Sequence[tuple[str, str | None]]) -> str:
    return "".join(f' {name}="{escape_attribute(v)}"' for name, v in pairs if v is not None)


def _text_lines(text: str, keep_settings: bool) -> list[str]:
    """Escaped lines; with ``keep_settings``, ``<settings>`` lines stay markup (the dialect
    puts settings blocks in developer messages too, which readers keep as text)."""
    return [
        line if keep_settings and line.strip() in _SETTINGS_TAGS else escape(line)
        for line in text.split("\n")
    ]


def _part_lines(parts: Sequence[Part], keep_settings: bool = False) -> list[str]:
    lines: list[str] = []
    for part in parts:
        if isinstance(part, TextPart):
            lines.extend(_text_lines(part.markdown.text, keep_settings))
        elif isinstance(part, UntrustedPart):
            lines.append("<untrusted>")
            lines.extend(escape(part.markdown.text).split("\n"))
            lines.append("</untrusted>")
        elif isinstance(part, AttachmentPart):
            caption = f" {part.caption}" if part.caption else ""
            lines.append(f"[file: {part.name}{caption}]")
    return lines


def _label_word(quality: str) -> str:
    return quality.upper() if quality in _QUALITIES else quality


def _message_lines(message: Message) -> list[str]:
    end_turn = None if message.end_turn is None else str(message.end_turn).lower()
    attrs = _attrs(
        [
            ("recipient", message.recipient),
            ("name", message.name),
            ("comment", message.comment),
            ("end_turn", end_turn),
        ]
    )
    opening = f"<{message.role}{attrs}>"
    if message.stray_quality:
        opening += f" <!-- {_label_word(message.stray_quality)} -->"
    keep_settings = message.role != "system"  # in a system message they would be flags
    settings = (
        ["<settings>", *map(_flag_line, message.settings), "</settings>"]
        if message.settings
        else []
    )
    body = _part_lines(message.parts, keep_settings)
    return [opening, *body, *settings, f"</{message.role}>"]


def answer_label(answer: Answer) -> str:
    """``GOOD``, ``BAD[#id]: comment``...; empty for an answer without a quality."""
    label = _label_word(answer.quality)
    if answer.violates is not None:
        label += f"[#{answer.violates.target}]"
    if answer.comment is not None and answer.comment.text:
        label += ": " + escape(" ".join(answer.comment.text.split("\n")))
    return label


def _answer_lines(answer: Answer) -> list[str]:
    opening = f"<assistant{_attrs([('recipient', answer.recipient)])}>"
    label = answer_label(answer)
    if label:
        opening += f" <!-- {label} -->"
    return [opening, *_part_lines(answer.parts), "</assistant>"]


def _turn_lines(turn: Turn) -> list[str]:
    if isinstance(turn, Elision):
        return ["[...]"]
    if isinstance(turn, Unparsed):
        return turn.text.split("\n")  # exactly as it was written: still unparsed
    if isinstance(turn, AnswerSet):
        lines = ["<comparison>"]
        for answer in turn.answers:
            lines.extend(_answer_lines(answer))
        for unparsed in turn.unparsed:
            lines.extend(unparsed.text.split("\n"))
        return [*lines, "</comparison>"]
    return _message_lines(turn)


def _flag_line(flag: str) -> str:
    key, equals, value = flag.partition("=")
    return f"{key}: {value}" if equals else f"{flag}: true"


def example_block(example: Example) -> str:
    """``**Example**: caption``, a blank line and the ``~~~xml`` conversation."""
    caption = example.caption.text.replace("\n", " ")
    lines = [f"**Example**: {caption}" if caption else "**Example**:", "", "~~~xml"]
    if example.flags:
        lines += ["<system>", "<settings>", *map(_flag_line, example.flags)]
        lines += ["</settings>", "</system>"]
    for turn in example.turns:
        lines.extend(_turn_lines(turn))
    lines.append("~~~")
    return "\n".join(lines)


# -- documents ---------------------------------------------------------------------------


def render_body(text: str, examples: Sequence[Example]) -> str:
    """The body with each ``::example{#id}`` line replaced by that example's block, and
    the examples it does not place after it."""
    by_id = {example.id: example for example in examples}
    placed: set[str] = set()
    lines: list[str] = []
    for line, in_fence in body_lines(tidy_body(text)):
        example_id = placement_id(line, in_fence)
        if example_id is not None and example_id in by_id and example_id not in placed:
            placed.add(example_id)
            lines.append(example_block(by_id[example_id]))
        else:
            lines.append(line)
    chunks = ["\n".join(lines).strip("\n")]
    chunks += [example_block(e) for e in examples if e.id not in placed]
    return "\n\n".join(chunk for chunk in chunks if chunk)


def _attr_value(value: str) -> str:
    return value if _PLAIN_ATTR.match(value) else f'"{value}"'


def heading(section: Section, depth: int) -> str:
    """``## Title {#id authority=root tags=under_18}``."""
    attrs = [f"#{section.id}"]
    if section.authority is not None:
        attrs.append(f"authority={_attr_value(section.authority)}")
    if section.tags:
        attrs.append(f"tags={_attr_value(','.join(section.tags))}")
    attrs.extend(section.extra_attributes)  # unknown, reported, kept as written
    return f"{'#' * depth} {section.title} {{{' '.join(attrs)}}}"


def _walk(sections: Sequence[Section], depth: int) -> Iterator[tuple[Section, int]]:
    for section in sections:
        if depth > MAX_HEADING_DEPTH:
            raise WriteError(
                f"section {section.id!r} is nested {depth} deep: headings stop at "
                f"{MAX_HEADING_DEPTH}"
            )
        yield section, depth
        yield from _walk(section.children, depth + 1)


def export_openai_md(spec: Spec, home: Markdown | None = None) -> str:
    """The spec as one ``model_spec.md`` text (no newline at the end, like the original);
    ``home`` (a front page, or text that stood before the first section) comes first.

    Not representable in the dialect, so not written: ``informative`` (implied by the
    absence of authority), ``former_ids``, ``raw`` and the spec's configuration.
    """
    chunks: list[str] = [home.text.strip("\n")] if home and home.text.strip() else []
    for section, depth in _walk(spec.sections, 1):
        chunks.append(heading(section, depth))
        body = render_body(section.body.text, section.examples)
        if body:
            chunks.append(body)
    return "\n\n".join(chunks)


def export_eval_prompts(spec: Spec) -> dict[str, str]:
    """The ``examples/`` folder: file name (``abcd.md``) -> text.

    Each file starts with its body (``Examples for [^abcd] in <title>:`` when the body is
    empty), then holds one example block per prompt.
    """
    files: dict[str, str] = {}
    for eval_set in spec.eval_sets:
        text = eval_set.body.text
        if not text.strip():
            text = f"Examples for [^{eval_set.id}] in {eval_set.title}:"
        files[f"{eval_set.id}.md"] = render_body(text, eval_set.prompts)
    return files
