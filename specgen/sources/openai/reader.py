"""Reads ``model_spec.md`` (and its ``examples/`` folder) into the spec model."""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from specgen.diagnostics import Diagnostic, Severity
from specgen.identifiers import UniqueIds
from specgen.mdit import extract_references
from specgen.model import EvalPromptSet, Example, Location, Markdown, Reference, Section
from specgen.sources import codes, links
from specgen.sources.files import MAX_SPEC_FILE_BYTES, read_text
from specgen.sources.openai.conversation import Block, parse_conversation
from specgen.sources.paths import shown_path

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*\{#([^\s}]*)([^}]*)\}[ \t]*$")
_ANY_HEADING = re.compile(r"^#{1,6}(?:[ \t]|$)")
_ATTR = re.compile(r"([\w-]+)=(\"[^\"]*\"|'[^']*'|[^\s}]+)")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_EXAMPLE = "**Example**:"
_EVAL_HEADER = re.compile(r"^Examples for \[\^([^\]]+)\] in (.*?):?\s*$")
_SLUG = re.compile(r"[^a-z0-9]+")
KNOWN_ATTRIBUTES = ("authority", "tags")
EXAMPLES_DIR = "examples"


@dataclass
class OpenAILoad:
    sections: list[Section] = field(default_factory=list)
    eval_sets: list[EvalPromptSet] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    home: Markdown | None = None  # text before the first section (reported, kept)


@dataclass
class _Heading:
    level: int
    section_id: str
    title: str
    attrs: dict[str, tuple[str, int]]  # name -> (value, column)
    line: int  # 0-based
    id_column: int
    extra: tuple[str, ...] = ()  # attribute text it does not know, as written (reported)


@dataclass
class _Node:
    heading: _Heading
    body_lines: list[str] = field(default_factory=list)
    examples: list[Example] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)


def read_openai(path: Path, boundary: Path | None = None) -> OpenAILoad:
    """Read an OpenAI-dialect spec; eval prompts come from the sibling ``examples/``.
    Links there that lead outside ``boundary`` (the project; default: the file's
    folder) are reported (SG009), not read."""
    result = OpenAILoad()
    shown = shown_path(path)
    text, diags = read_text(path, shown, MAX_SPEC_FILE_BYTES)
    result.diagnostics.extend(diags)
    if text is None:
        return result
    result.texts[shown] = text
    reader = _SpecReader(shown, text.split("\n"), result.diagnostics)
    result.sections = reader.read()
    result.home = reader.preamble
    examples_dir = path.parent / EXAMPLES_DIR
    if examples_dir.is_dir():
        result.eval_sets = _read_eval_sets(examples_dir, result, boundary or path.parent)
    else:
        result.diagnostics.append(
            Diagnostic(
                codes.MISSING_EVAL_FOLDER,
                f"no {EXAMPLES_DIR}/ folder beside {path.name}: eval prompt sets cannot be found",
                Location(shown),
                Severity.WARNING,
            )
        )
    return result


class _SpecReader:
    def __init__(self, shown: str, lines: list[str], diagnostics: list[Diagnostic]) -> None:
        self.shown = shown
        self.lines = lines
        self.diagnostics = diagnostics
        self.example_ids = UniqueIds()
        self.preamble: Markdown | None = None
        self._heading_lines: list[int] = []

    def report(self, code: str, message: str, line: int, column: int = 1) -> None:
        self.diagnostics.append(Diagnostic(code, message, Location(self.shown, line + 1, column)))

    def read(self) -> list[Section]:
        roots: list[_Node] = []
        stack: list[_Node] = []
        preamble: list[str] = []
        current: list[str] = preamble
        fence: str | None = None
        fence_line = 0
        i = 0
        while i < len(self.lines):
            line = self.lines[i]
            if fence is not None:
                current.append(line)
                fence = _after_fence_line(line, fence)
                i += 1
                continue
            if line.startswith(_EXAMPLE):
                consumed = self._example(i, stack[-1] if stack else None, current)
                if consumed:
                    i += consumed
                    continue
            fence_match = _FENCE.match(line)
            if fence_match is not None:
                fence, fence_line = fence_match.group(1), i
                current.append(line)
                i += 1
                continue
            heading = self._heading(i) if _ANY_HEADING.match(line) else None
            if heading is None:
                current.append(line)
                i += 1
                continue
            node = _Node(heading)
            while stack and stack[-1].heading.level >= heading.level:
                stack.pop()
            (stack[-1].children if stack else roots).append(node)
            stack.append(node)
            current = node.body_lines
            i += 1
        if fence is not None:
            self.report(
                codes.UNCLOSED_EXAMPLE,
                f"code fence opened on line {fence_line + 1} is never closed: "
                "the rest of the file is read as code",
                fence_line,
            )
        if any(line.strip() for line in preamble):
            first = next(n for n, line in enumerate(preamble) if line.strip())
            self.report(
                codes.HEADING_WITHOUT_ID,
                "text before the first section heading belongs to no section "
                "(it is shown on the home page)",
                first,
            )
            self.preamble = Markdown("\n".join(preamble), Location(self.shown, 1, 1), math=False)
        self._heading_lines = sorted(n.heading.line for n in _all_nodes(roots))
        return [self._section(node) for node in roots]

    def _source(self, line: int) -> str:
        """The file's lines of the section whose heading is on ``line``: the blank lines
        before its heading, the heading, and what follows up to the next section's
        blank lines (the last section keeps the file's end). So every line belongs to
        one section, and a section inserted after another leaves that one's bytes as
        they were."""
        index = bisect.bisect_left(self._heading_lines, line)
        start = line
        floor = self._heading_lines[index - 1] + 1 if index > 0 else 0
        while start > floor and not self.lines[start - 1].strip():
            start -= 1
        end = len(self.lines)
        if index + 1 < len(self._heading_lines):
            end = self._heading_lines[index + 1]
            while end > line + 1 and not self.lines[end - 1].strip():
                end -= 1
        return "\n".join(self.lines[start:end])

    def _heading(self, i: int) -> _Heading | None:
        line = self.lines[i]
        match = _HEADING.match(line)
        if match is None or not match.group(3):
            self.report(
                codes.HEADING_WITHOUT_ID,
                "section heading without an id: end it with {#some_id}",
                i,
            )
            return None
        attrs: dict[str, tuple[str, int]] = {}
        extra: list[tuple[int, str]] = []  # (position, text as written)
        attr_start = match.start(4)
        blanked = _ATTR.sub(lambda m: " " * len(m.group(0)), match.group(4))
        leftover = [(w.start(), w.group(0)) for w in re.finditer(r"\S+", blanked)]
        if leftover:  # words that are no name=value: kept, never dropped
            words = " ".join(w for _, w in leftover)
            self.report(
                codes.UNKNOWN_HEADING_ATTRIBUTE,
                f"heading attribute text '{words}' is not name=value",
                i,
                attr_start + leftover[0][0] + 1,
            )
            extra.extend(leftover)
        for attr in _ATTR.finditer(match.group(4)):
            name, value = attr.group(1), attr.group(2).strip("\"'")
            column = attr_start + attr.start() + 1
            if name not in KNOWN_ATTRIBUTES:
                close = difflib.get_close_matches(name, KNOWN_ATTRIBUTES, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                self.report(
                    codes.UNKNOWN_HEADING_ATTRIBUTE,
                    f"unknown heading attribute '{name}'{hint}",
                    i,
                    column,
                )
                extra.append((attr.start(), attr.group(0)))
                continue
            attrs[name] = (value, column)
        return _Heading(
            level=len(match.group(1)),
            section_id=match.group(3),
            title=match.group(2).strip(),
            attrs=attrs,
            line=i,
            id_column=match.start(3) + 1,
            extra=tuple(text for _, text in sorted(extra)),
        )

    def _example(self, i: int, node: _Node | None, body: list[str]) -> int:
        """Read the example whose caption is on line ``i``; returns the lines consumed
        (0 when the caption has no ``~~~xml`` block: the line stays body text)."""
        j = i + 1
        while j < len(self.lines) and not self.lines[j].strip():
            j += 1
        opening = _FENCE.match(self.lines[j]) if j < len(self.lines) else None
        if opening is None or opening.group(1)[0] != "~":
            self.report(
                codes.EXAMPLE_WITHOUT_CONVERSATION,
                "example caption without a ~~~xml conversation block after it",
                i,
            )
            return 0
        info = opening.group(2).strip()
        if info.lower() not in ("xml", ""):
            # "~~~x" or "~~~python": not a conversation; the caption and the block
            # stay in the body as written (shown as code), nothing is dropped.
            self.report(
                codes.EXAMPLE_WITHOUT_CONVERSATION,
                f"example caption followed by a ~~~{info} block, not ~~~xml: kept as text",
                j,
            )
            return 0
        fence = opening.group(1)
        end = j + 1
        inner: str | None = None  # a ``` fence inside a message: headings there are code
        while end < len(self.lines) and not (inner is None and _closes(self.lines[end], fence)):
            line = self.lines[end]
            if inner is not None:
                inner = _after_fence_line(line, inner)
            elif (inner_open := _FENCE.match(line)) is not None and inner_open.group(1)[0] == "`":
                inner = inner_open.group(1)
            elif _HEADING.match(line) or line.startswith(_EXAMPLE):
                break  # the block was never closed: stop before the next section or example
            end += 1
        closed = end < len(self.lines) and _closes(self.lines[end], fence)
        if not closed:
            self.report(
                codes.UNCLOSED_EXAMPLE,
                f"example block opened on line {j + 1} is never closed",
                j,
            )
        caption_text = self.lines[i][len(_EXAMPLE) :].strip()
        caption_col = len(self.lines[i]) - len(self.lines[i][len(_EXAMPLE) :].lstrip()) + 1
        block = Block(self.shown, self.lines[j + 1 : end], j + 2)
        conversation = parse_conversation(block)
        self.diagnostics.extend(conversation.diagnostics)
        example_id = self.example_ids.take(_slug(caption_text) or "example")
        example = Example(
            id=example_id,
            caption=Markdown(
                caption_text, Location(self.shown, i + 1, caption_col), inline=True, math=False
            ),
            turns=tuple(conversation.turns),
            loc=Location(self.shown, i + 1, 1),
            flags=tuple(conversation.flags),
        )
        consumed = (end + 1 if closed else end) - i
        if node is None:
            self.report(codes.HEADING_WITHOUT_ID, "example before the first section", i)
            body.extend(self.lines[i : i + consumed])  # kept, as text, where it stood
            return consumed
        node.examples.append(example)
        # Keep body lines aligned with file lines: the example becomes a placement.
        body.append(f"::example{{#{example_id}}}")
        body.extend([""] * (consumed - 1))
        return consumed

    def _section(self, node: _Node) -> Section:
        heading = node.heading
        # Math is a conversation's only (``Markdown.math``): a body shows \\( \\) as text.
        body = Markdown(
            "\n".join(node.body_lines), Location(self.shown, heading.line + 2, 1), math=False
        )
        references: list[Reference] = list(extract_references(body))
        for example in node.examples:
            references.extend(extract_references(example.caption))
            for answer_set in example.answer_sets:
                for answer in answer_set.answers:
                    if answer.comment is not None:
                        references.extend(extract_references(answer.comment))
        children = tuple(self._section(child) for child in node.children)
        authority = heading.attrs.get("authority")
        tags = heading.attrs.get("tags")
        section = Section(
            id=heading.section_id,
            title=heading.title,
            loc=Location(self.shown, heading.line + 1, heading.id_column),
            body=body,
            authority=authority[0] if authority else None,
            authority_loc=(
                Location(self.shown, heading.line + 1, authority[1]) if authority else None
            ),
            tags=tuple(t for t in tags[0].split(",") if t) if tags else (),
            examples=tuple(node.examples),
            children=children,
            references=tuple(references),
            source=self._source(heading.line),
            extra_attributes=heading.extra,
        )
        # The dialect has no "informative" marker: a section is informative when neither
        # it nor anything below it has an authority.
        if not any(s.authority for s in section.walk()):
            section = _informative(section)
        return section


def _all_nodes(nodes: list[_Node]) -> Iterator[_Node]:
    for node in nodes:
        yield node
        yield from _all_nodes(node.children)


def _informative(section: Section) -> Section:
    from dataclasses import replace

    return replace(
        section,
        informative=True,
        children=tuple(_informative(child) for child in section.children),
    )


def _closes(line: str, fence: str) -> bool:
    stripped = line.strip()
    return stripped.startswith(fence) and not stripped.lstrip(fence[0])


def _after_fence_line(line: str, fence: str) -> str | None:
    return None if _closes(line, fence) else fence


def _slug(text: str, words: int = 8) -> str:
    plain = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # link text only
    slug = _SLUG.sub("-", plain.lower()).strip("-")
    # Capped well below the identifier limit (SG212): the author never wrote this id.
    return "-".join(slug.split("-")[:words])[:80].rstrip("-")


def _read_eval_sets(folder: Path, result: OpenAILoad, boundary: Path) -> list[EvalPromptSet]:
    def refuse(path: Path, target: Path) -> None:
        message = links.MESSAGE.format(target=target)
        result.diagnostics.append(
            Diagnostic(codes.SYMLINK_OUTSIDE, message, Location(shown_path(path)))
        )

    escaped = links.outside(folder, boundary)
    if escaped is not None:
        refuse(folder, escaped)
        return []
    # The whole folder, not only *.md: a site built from it may copy any file in it.
    refused = set()
    for link, target in links.escaping_links(folder, boundary):
        refuse(link, target)
        refused.add(link)
    sets = []
    for path in sorted(folder.glob("*.md")):
        if path in refused:
            continue
        shown = shown_path(path)
        text, diags = read_text(path, shown)
        result.diagnostics.extend(diags)
        if text is None:
            continue
        result.texts[shown] = text
        lines = text.split("\n")
        header_index = next((n for n, line in enumerate(lines) if line.strip()), 0)
        header = _EVAL_HEADER.match(lines[header_index].strip())
        title = header.group(2) if header else ""
        reader = _SpecReader(shown, lines, result.diagnostics)
        node = _Node(_Heading(0, path.stem, title, {}, -1, 1))
        body: list[str] = []
        i = 0
        while i < len(lines):
            if lines[i].startswith(_EXAMPLE):
                consumed = reader._example(i, node, body)
                if consumed:
                    # Prompts are the set's content, not placements in a body.
                    body[len(body) - consumed :] = []
                    i += consumed
                    continue
            body.append(lines[i])
            i += 1
        sets.append(
            EvalPromptSet(
                id=path.stem,
                title=title,
                loc=Location(shown),
                body=Markdown(
                    "\n".join(body).strip("\n"), Location(shown, header_index + 1), math=False
                ),
                prompts=tuple(node.examples),
                source=text,
            )
        )
    return sets
