"""The diff as Markdown for a pull-request comment.

What it holds, top to bottom:

- a heading naming the two sides by their specs' titles and versions (or dates), the git
  revision and short commit, and a line with the paths read, relative to the repository;
- a table of counts;
- "Changed sections": a row per changed section, most important first (authority and
  verdict changes, then removals and probable renames, then changed text, then the
  rest): its title (linked into the preview site of the new side when its address is
  known) and id, the labels of its changes, and the details: its source line on each
  side (linked to the forge when the project names its repository), the detail
  sentences and its changed examples;
- "What changed": for each section with changed words, a ``<details open>`` block listing
  each changed paragraph, linked to its line, with the deleted words in ``<del>`` and the
  inserted ones in ``<ins>`` (GitHub shows both), trimmed to the sentences that changed;
  then changed link targets (old → new) and the changed words of its examples.

Why the words sit under the table and not in it: a table cell holds one line of inline
text, so several paragraphs of a section would run together in a narrow third column
(and a phone scrolls the table sideways); under it each paragraph is a list item of the
comment's full width, with a link to its line for a review comment there, and each
section folds away once read. The table stays a one-screen index of the pull request.

Spec text is untrusted here too: every title, id, caption and word is escaped
(``md_text``; ``html_text`` inside the ``<summary>``, which GitHub reads as HTML) so that
none can break the table, start a link, an image, an issue reference or a mention, or
reach GitHub as HTML; only specgen's own fixed tags are written.

The comment stays under GitHub's limit: it shows fewer words per section first (fewer
sentences of context, long changes cut short, fewer paragraphs), then leaves out the
words of the least important sections, then whole rows, with a note saying what was
left out and where to see it all.

The words for each change come from ``specgen.diff.describe`` (labels, detail sentences,
level and verdict names) and ``specgen.diff.markdown_words`` (the changed words).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from markupsafe import escape

from specgen.diff.describe import (
    ARROW,
    MINUS,
    SideLabel,
    example_label,
    quality_name,
    section_changes,
    section_titles,
    side_labels,
    status_change,
    verdict_texts,
)
from specgen.diff.markdown_words import (
    DELETED,
    INSERTED,
    ChangedBlock,
    Piece,
    TextBlock,
    caption_text,
    compare,
    counts,
    parts_blocks,
    text_blocks,
    trim,
    whole,
)
from specgen.diff.model import (
    AnswerDiff,
    ExampleDiff,
    RenameKind,
    SectionDiff,
    SpecDiff,
    Status,
    Summary,
    TextChange,
    TurnDiff,
)
from specgen.model import Answer, Example, Location, Message, Section
from specgen.origin import Origin
from specgen.render.linker import section_slug
from specgen.render.section import example_anchor, role_label

# GitHub refuses a comment body longer than this many characters.
GITHUB_COMMENT_LIMIT = 65536
# Left free by default for a footer a workflow adds (the artifact's name, a link).
FOOTER_ROOM = 1000
MAX_ITEMS = 8  # examples or verdicts named in one section's row; the rest are counted
CAPTION_WORDS = 12

# -- Markdown ---------------------------------------------------------------------------

# What can make Markdown in the middle of a line (every line of the comment starts with
# specgen's own words, so "#", ">", "-", "+", "1." never start a block), escaped with a
# backslash: the escape character itself, code spans, emphasis ("_" only at a word's
# edge: never emphasis inside one), strikethrough, links and images, HTML and
# autolinks, entities, table cells, GitHub's math, and a colon that could make a URL,
# "mailto:" or an :emoji: (one right before a non-space; not a line number, "x.md:12").
_SPECIAL = re.compile(
    r"[\\`*~\[\]<&|$]|(?<![^\W_])_|_(?![^\W_])|:(?![\s\d]|$)|:(?=\d+:)|(?<=www)\.", re.I
)
_JOINER = "\u2060"  # a word joiner: invisible, and GitHub links no reference across it
_REFERENCE = re.compile(r"(?:@(?=\w)|#(?=\d))")


def _no_references(text: str) -> str:
    """No @mention ("@team") and no issue reference ("#12") GitHub would act on."""
    return _REFERENCE.sub(lambda m: m.group() + _JOINER, text)


def md_text(text: str) -> str:
    """``text`` as Markdown that reads as that text, on one line: no emphasis, link,
    image, HTML, table cell break, autolink, issue reference or @mention can come out of
    it. Other punctuation stays as written ("/", ".", "(", "#")."""
    text = " ".join(_no_references(text).split())
    return _SPECIAL.sub(lambda m: "\\" + m.group(), text)


def html_text(text: str) -> str:
    """``text`` inside an HTML block of the comment (GitHub reads no Markdown there)."""
    return str(escape(" ".join(_no_references(text).split())))


def _md_run(text: str) -> str:
    """``md_text`` keeping a space at either end: a run between two others."""
    core = md_text(text)
    lead = " " if text[:1].isspace() else ""
    trail = " " if text[-1:].isspace() and core else ""
    return lead + core + trail


def md_pieces(pieces: Iterable[Piece]) -> str:
    """Runs of text as one line: deleted words in ``<del>``, inserted in ``<ins>``."""
    out: list[str] = []
    for piece in pieces:
        if not piece.mark:
            out.append(_md_run(piece.text))
        elif piece.text.strip():
            lead = " " if piece.text[:1].isspace() else ""
            trail = " " if piece.text[-1:].isspace() else ""
            out.append(f"{lead}<{piece.mark}>{md_text(piece.text)}</{piece.mark}>{trail}")
    return re.sub(" {2,}", " ", "".join(out)).strip()


def _url_part(text: str) -> str:
    return quote(text, safe="")


def section_url(base_url: str, section_id: str) -> str:
    """A section's page on the published site: ``{base}/{id}/`` (``{id}_/`` for the
    site's own names)."""
    return f"{_base(base_url)}/{_url_part(section_slug(section_id))}/"


def example_url(base_url: str, section_id: str, example_id: str) -> str:
    anchor = example_anchor(section_id, example_id)  # as the site names it
    return f"{section_url(base_url, section_id)}#{_url_part(anchor)}"


def _base(base_url: str) -> str:
    return _one_target(base_url.rstrip("/"))


def _one_target(url: str) -> str:
    # An address from the user (a command-line option, mkdocs.yml): keep it one target.
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def _link(text: str, url: str | None) -> str:
    return f"[{text}]({_one_target(url)})" if url else text


# -- where things are -----------------------------------------------------------------------


def _source(origin: Origin, loc: Location, text: str | None = None) -> str:
    """``loc`` as reviewers cite it ("spec/x.md:12", or ``text``), linked to that line on
    the forge when the project names one."""
    return _link(md_text(text or origin.where(loc)), origin.source_url(loc))


def _line_link(origin: Origin, path: str, line: int | None, old: bool = False) -> str:
    """ "line 12" ("old line 12" on the old side), linked to the line on the forge."""
    if line is None:
        return "old text" if old else "text"
    words = f"{'old line' if old else 'line'} {line}"
    return _source(origin, Location(path, line), words)


def _side_name(label: SideLabel, where: str) -> str:
    """A side by its version (or date) and revision: "2026.11 (main @ 1a2b3c4)"; where
    it was read when it has no version."""
    if not label.version:
        return where
    return f"{label.version} ({where})" if label.revision is not None else label.version


def _titled(title: str, name: str, versioned: bool) -> str:
    """ "Skye spec 2026.11", "Skye spec, main @ 1a2b3c4"."""
    if not title:
        return name
    return f"{title} {name}" if versioned else f"{title}, {name}"


def _heading(diff: SpecDiff) -> list[str]:
    """The sides by their specs' title, version and revision (the title once when they
    share it), then the paths read, unless the heading already names them."""
    old, new = side_labels(diff)
    old_where = _where_read(old, diff.old_origin, diff.old_label)
    new_where = _where_read(new, diff.new_origin, diff.new_label)
    old_name, new_name = _side_name(old, old_where), _side_name(new, new_where)
    if old_name == new_name:  # one version on both sides: the places tell them apart
        old_name, new_name = old_where, new_where
    old_versioned = old_name.startswith(old.version) and bool(old.version)
    if old.title == new.title:
        sides = f"{_titled(old.title, old_name, old_versioned)} {ARROW} {new_name}"
    else:
        new_versioned = new_name.startswith(new.version) and bool(new.version)
        sides = (
            f"{_titled(old.title, old_name, old_versioned)} {ARROW} "
            f"{_titled(new.title, new_name, new_versioned)}"
        )
    lines = [f"### Spec changes: {md_text(sides)}", ""]
    named = (old_name, new_name) == (old.path, new.path)
    paths = [_read_from(old, diff.old_origin), _read_from(new, diff.new_origin)]
    if all(paths) and not named:
        lines += [f"Read from {paths[0]} {ARROW} {paths[1]}.", ""]
    return lines


def _located(origin: Origin) -> bool:
    """Whether ``origin`` says where in a repository its side was read (the command
    line's sides do; a diff of two ``Spec`` objects knows only their labels)."""
    return origin.revision is not None or bool(origin.rewrites)


def _where_read(label: SideLabel, origin: Origin, fallback: str) -> str:
    """ "main @ 1a2b3c4", the path in the repository, or the side's label ("v1")."""
    return label.where if _located(origin) else fallback


def _read_from(label: SideLabel, origin: Origin) -> str:
    """ "spec at main @ 1a2b3c4", or the path for files on disk; "" for a side read from
    nowhere a reader could look."""
    if not _located(origin):
        return ""
    if label.revision is None:
        return md_text(label.path)
    return f"{md_text(label.path)} at {md_text(label.where)}"


# -- order ------------------------------------------------------------------------------------


def meaning_changed(section: SectionDiff) -> bool:
    """Whether the section's body changed in its words (not only in formatting or link
    targets); a changed body the engine did not class counts."""
    if section.body_changes:
        return TextChange.MEANING in section.body_changes
    return section.body_changed


def importance(section: SectionDiff) -> int:
    """0: an authority or verdict change; 1: a removal or a probable rename; 2: changed
    text (an added section, changed words, changed examples); 3: the rest."""
    if section.authority is not None or any(e.verdict_changes for e in section.examples):
        return 0
    if section.status is Status.REMOVED or section.rename is RenameKind.PROBABLE:
        return 1
    if section.status is Status.ADDED or meaning_changed(section) or section.changed_examples:
        return 2
    return 3


def by_importance(sections: Iterable[SectionDiff]) -> list[SectionDiff]:
    """Most important first; in document order within each kind."""
    return sorted(sections, key=importance)


# -- the words of a section ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Located:
    """Changed blocks of a text, and the file each side of it is in."""

    blocks: tuple[ChangedBlock, ...]
    old_path: str
    new_path: str


@dataclass(frozen=True, slots=True)
class _Item:
    """A changed part of an example: its caption, a message, an answer."""

    label: str  # "Caption", "User", "Compliant answer": specgen's words, spec names
    loc: Location  # where it is (the new side's, else the old side's)
    old_side: bool
    text: _Located
    note: str = ""  # "verdict Violation → Minor issues", a changed principle


@dataclass(frozen=True, slots=True)
class _ExampleWords:
    example: ExampleDiff
    items: tuple[_Item, ...]


@dataclass(frozen=True, slots=True)
class _SectionWords:
    body: _Located | None
    examples: tuple[_ExampleWords, ...]

    @property
    def empty(self) -> bool:
        return not ((self.body and self.body.blocks) or self.examples)

    def counts(self) -> tuple[int, int]:
        """(words inserted, words deleted) in the section's text and its examples."""
        blocks = list(self.body.blocks) if self.body else []
        for example in self.examples:
            blocks += [b for item in example.items for b in item.text.blocks]
        return counts(blocks)


@dataclass(frozen=True, slots=True)
class Detail:
    """How many words the comment shows of each change: ``context`` unchanged words on
    either side of a change, ``run`` words of a change, ``blocks`` paragraphs (and
    example parts) per text; None for all (of the changed sentences)."""

    context: int | None
    run: int | None
    blocks: int | None


# From every changed sentence whole down to a few words around each change.
DETAILS = (
    Detail(None, None, None),
    Detail(16, 80, 20),
    Detail(8, 30, 8),
    Detail(4, 12, 4),
)


class _Comment:
    """One comment being written: the diff, the preview site, and the words of each
    section (compared once, shown at whatever detail fits)."""

    def __init__(self, diff: SpecDiff, base_url: str | None) -> None:
        self.diff = diff
        self.base_url = base_url
        self.titles = section_titles(diff)
        old_titles = {s.id: s.title for s in diff.old.walk()}
        new_titles = {s.id: s.title for s in diff.new.walk()}
        # [?](#id) reads as the target's title on that side (the other's if it has none).
        self.old_titles = new_titles | old_titles
        self.new_titles = old_titles | new_titles
        self._words: dict[int, _SectionWords] = {}

    # -- a row of the table

    def row(self, section: SectionDiff) -> str:
        url = (
            section_url(self.base_url, section.id)
            if self.base_url and section.status is not Status.REMOVED
            else None
        )
        cell = f"{_link(md_text(section.title), url)}<br>{md_text(section.id)}"
        kinds, details = self._changes(section)
        details = [self._where(section), *details]
        return f"| {cell} | {', '.join(kinds)} | {'<br>'.join(d for d in details if d) or ' '} |"

    def _where(self, section: SectionDiff) -> str:
        """The section's source line on each side: "spec/x.md:3 → line 5" ("old → new"
        in full when the file changed)."""
        old_origin, new_origin = self.diff.old_origin, self.diff.new_origin
        old = _source(old_origin, section.old.loc) if section.old else ""
        new = _source(new_origin, section.new.loc) if section.new else ""
        if not (section.old and section.new):
            return old or new
        old_path = old_origin.repo_path(section.old.loc.path)
        if old_path == new_origin.repo_path(section.new.loc.path):
            new = _line_link(new_origin, section.new.loc.path, section.new.loc.line)
        return f"{old} {ARROW} {new}"

    def _changes(self, section: SectionDiff) -> tuple[list[str], list[str]]:
        """(the label of each change, lower case: "modified", "retitled"; a line per
        detail)."""
        changes = section_changes(self.diff, section, self.titles)
        # Labels are specgen's own words, never spec text; escaped all the same ("+1").
        kinds = [md_text(c.label.lower()) for c in (status_change(section), *changes)]
        details: list[str] = []
        for change in changes:
            if change.detail is None:
                continue
            if change.kind in ("examples", "verdicts") and section.status is Status.MODIFIED:
                continue  # the examples are listed one by one below, verdicts with them
            line = md_text(change.detail)
            details.append(f"**{line}**" if change.kind.startswith("authority-") else line)
        if section.status is Status.MODIFIED:
            details.extend(self._example_lines(section))
        return kinds, details

    def _example_lines(self, section: SectionDiff) -> list[str]:
        lines: list[str] = []
        hidden = 0
        for example in section.changed_examples:
            node = example.new or example.old
            assert node is not None
            if len(lines) >= MAX_ITEMS:
                hidden += 1
                continue
            url = (
                example_url(self.base_url, section.id, example.id)
                if self.base_url and example.status is not Status.REMOVED
                else None
            )
            titles = self.new_titles if example.new is not None else self.old_titles
            line = f"{example_label(example)}: {_link(self._caption(node, titles), url)}"
            verdicts = verdict_texts(example, self.diff.old, self.diff.new)
            if verdicts:
                line += " — **verdict " + "; ".join(md_text(v) for v in verdicts) + "**"
            lines.append(line)
        if hidden:
            lines.append(f"and {hidden} more changed example(s)")
        return lines

    def _caption(self, example: Example, titles: Mapping[str, str]) -> str:
        """The caption as the site shows it, in words (cut after ``CAPTION_WORDS``)."""
        words = caption_text(example.caption, titles).split() or [example.id]
        cut = len(words) > CAPTION_WORDS
        return md_text(" ".join(words[:CAPTION_WORDS]) + (" …" if cut else ""))

    # -- the words

    def words(self, section: SectionDiff) -> _SectionWords:
        key = id(section)
        if key not in self._words:
            self._words[key] = self._compare(section)
        return self._words[key]

    def _compare(self, section: SectionDiff) -> _SectionWords:
        old, new = section.old, section.new
        body: _Located | None = None
        if old is None or new is None:
            node = new or old
            assert node is not None
            mark = INSERTED if new is not None else DELETED
            titles = self.new_titles if new is not None else self.old_titles
            blocks = whole(text_blocks(node.body, titles, self._placements(node, titles)), mark)
            body = _Located(tuple(blocks), node.body.loc.path, node.body.loc.path)
        elif meaning_changed(section):  # formatting and link targets: said in the table
            blocks = compare(
                text_blocks(old.body, self.old_titles, self._placements(old, self.old_titles)),
                text_blocks(new.body, self.new_titles, self._placements(new, self.new_titles)),
            )
            body = _Located(tuple(blocks), old.body.loc.path, new.body.loc.path)
        examples = tuple(
            words
            for e in section.changed_examples
            if e.status is Status.MODIFIED and (words := self._example_words(e)).items
        )
        return _SectionWords(body, examples)

    def _placements(self, section: Section, titles: Mapping[str, str]) -> dict[str, str]:
        """Example id -> caption: what the line an example's placement shows says."""
        return {e.id: caption_text(e.caption, titles) or e.id for e in section.examples}

    def _example_words(self, example: ExampleDiff) -> _ExampleWords:
        old, new = example.old, example.new
        assert old is not None and new is not None
        items: list[_Item] = []
        if example.caption_changed:
            text = self._compared(
                old.caption.loc.path,
                new.caption.loc.path,
                [
                    (
                        text_blocks(old.caption, self.old_titles),
                        text_blocks(new.caption, self.new_titles),
                    )
                ],
            )
            items.append(_Item("Caption", new.caption.loc, False, text))
        for turn in example.turns:
            if turn.kind == "message" and turn.status is not Status.UNCHANGED:
                items.append(self._message_item(turn))
            elif turn.kind == "answers":
                items.extend(self._answer_item(a) for a in turn.answers if _answer_changed(a))
        return _ExampleWords(example, tuple(i for i in items if i.note or i.text.blocks))

    def _compared(
        self,
        old_path: str,
        new_path: str,
        texts: Iterable[tuple[Sequence[TextBlock], Sequence[TextBlock]]],
    ) -> _Located:
        """The changed blocks of each (old, new) pair of texts, one after the other."""
        blocks = [block for old, new in texts for block in compare(old, new)]
        return _Located(tuple(blocks), old_path, new_path)

    def _whole_item(self, label: str, node: Message | Answer, added: bool) -> _Item:
        """A message or an answer that is new, or gone, as a whole."""
        titles = self.new_titles if added else self.old_titles
        blocks = parts_blocks(node.parts, node.raw, titles)
        if isinstance(node, Answer):
            blocks += text_blocks(node.comment, titles)
        path = node.loc.path
        text = _Located(tuple(whole(blocks, INSERTED if added else DELETED)), path, path)
        return _Item(f"{label} {'added' if added else 'removed'}", node.loc, not added, text)

    def _message_item(self, turn: TurnDiff) -> _Item:
        old, new = turn.old_message, turn.new_message
        node = new or old
        assert node is not None
        label = role_label(node.role, node.recipient, node.name)
        if old is None or new is None:
            return self._whole_item(f"{label} message", node, added=new is not None)
        text = self._compared(
            old.loc.path,
            new.loc.path,
            [
                (
                    parts_blocks(old.parts, old.raw, self.old_titles),
                    parts_blocks(new.parts, new.raw, self.new_titles),
                ),
                (_comment_blocks(old), _comment_blocks(new)),
            ],
        )
        return _Item(label, new.loc, False, text)

    def _answer_item(self, answer: AnswerDiff) -> _Item:
        old, new = answer.old, answer.new
        node = new or old
        assert node is not None
        configs = (self.diff.new.config, self.diff.old.config)
        label = f"{quality_name(node.quality, *configs)} answer"
        if old is None or new is None:
            return self._whole_item(label, node, added=new is not None)
        texts = []
        if answer.content_changed:
            old_parts = parts_blocks(old.parts, old.raw, self.old_titles)
            texts.append((old_parts, parts_blocks(new.parts, new.raw, self.new_titles)))
        if answer.comment_changed:
            old_comment = text_blocks(old.comment, self.old_titles)
            texts.append((old_comment, text_blocks(new.comment, self.new_titles)))
        notes = []
        if answer.verdict_changed:
            was = quality_name(old.quality, *reversed(configs))
            notes.append(f"verdict {was} {ARROW} {quality_name(new.quality, *configs)}")
        if answer.violates_changed:
            notes.append(self._violates(old, new))
        text = self._compared(old.loc.path, new.loc.path, texts)
        return _Item(label, new.loc, False, text, "; ".join(notes))

    def _violates(self, old: Answer, new: Answer) -> str:
        """How the principle an answer breaks changed, by the principles' titles."""
        was = self._principle(old, self.old_titles)
        now = self._principle(new, self.new_titles)
        if was is None:
            return f"now conflicts with {now}"
        if now is None:
            return f"no longer conflicts with {was}"
        return f"conflicts with {now} (was {was})"

    def _principle(self, answer: Answer, titles: Mapping[str, str]) -> str | None:
        if answer.violates is None:
            return None
        return titles.get(answer.violates.target) or answer.violates.target

    # -- the words, shown

    def words_part(self, section: SectionDiff, detail: Detail) -> str:
        """The section's ``<details>`` block at ``detail``, or "" when no word of it
        changed."""
        words = self.words(section)
        if words.empty:
            return ""
        inserted, deleted = words.counts()
        size = " ".join(
            [*([f"{MINUS}{deleted}"] if deleted else []), *([f"+{inserted}"] if inserted else [])]
        )
        size = f": {size} {'word' if inserted + deleted == 1 else 'words'}" if size else ""
        summary = html_text(f"{section.title} ({section.id}){size}")
        lines = [f"<details open><summary>{summary}</summary>", ""]
        if words.body is not None:
            lines += self._block_lines(words.body, detail, "- ")
        lines += self._example_part(section, words.examples, detail)
        return "\n".join([*lines, "", "</details>"])

    def _block_lines(self, text: _Located, detail: Detail, bullet: str) -> list[str]:
        lines = []
        shown = text.blocks[: detail.blocks] if detail.blocks is not None else text.blocks
        for block in shown:
            if block.removed:
                where = _line_link(self.diff.old_origin, text.old_path, block.line, old=True)
            else:
                where = _line_link(self.diff.new_origin, text.new_path, block.line)
            words = md_pieces(trim(block.pieces, detail.context, detail.run))
            lines.append(f"{bullet}{where}: {words}")
        more = len(text.blocks) - len(shown)
        if more:
            lines.append(f"{bullet}and {more} more changed paragraph(s)")
        return lines

    def _example_part(
        self, section: SectionDiff, examples: Sequence[_ExampleWords], detail: Detail
    ) -> list[str]:
        lines: list[str] = []
        for words in examples:
            example = words.example
            node = example.new
            assert node is not None
            url = example_url(self.base_url, section.id, example.id) if self.base_url else None
            where = _line_link(self.diff.new_origin, node.loc.path, node.loc.line)
            caption = _link(self._caption(node, self.new_titles), url)
            lines.append(f"- {example_label(example)}: {caption} ({where})")
            items = words.items[: detail.blocks] if detail.blocks is not None else words.items
            for item in items:
                lines.append(self._item_line(item, detail))
            if len(words.items) > len(items):
                lines.append(f"  - and {len(words.items) - len(items)} more changed part(s)")
        return lines

    def _item_line(self, item: _Item, detail: Detail) -> str:
        origin = self.diff.old_origin if item.old_side else self.diff.new_origin
        where = _line_link(origin, item.loc.path, item.loc.line, old=item.old_side)
        head = f"  - {md_text(item.label)} ({where})"
        if item.note:
            head += f", **{md_text(item.note)}**"
        if not item.text.blocks:
            return head
        blocks = item.text.blocks
        shown = blocks[: detail.blocks] if detail.blocks is not None else blocks
        words = " ¶ ".join(md_pieces(trim(b.pieces, detail.context, detail.run)) for b in shown)
        if len(blocks) > len(shown):
            words += f" ¶ and {len(blocks) - len(shown)} more changed paragraph(s)"
        return f"{head}: {words}"


def _answer_changed(answer: AnswerDiff) -> bool:
    return answer.status is not Status.UNCHANGED or any(
        (answer.content_changed, answer.comment_changed, answer.verdict_changed)
    )


def _comment_blocks(message: Message) -> list[TextBlock]:
    """A message's comment (plain text, a reviewer's note) as a block."""
    return [TextBlock(message.comment, message.loc.line)] if message.comment else []


# -- the comment -------------------------------------------------------------------------------


def render_diff_markdown(
    diff: SpecDiff,
    base_url: str | None = None,
    html_url: str | None = None,
    limit: int = GITHUB_COMMENT_LIMIT - FOOTER_ROOM,
) -> str:
    """A pull-request comment: counts, a row per changed section, then the changed words
    of each. ``base_url`` is the preview site of the new side; ``html_url`` the full HTML
    diff, linked when the comment has to leave something out to stay within ``limit``
    characters."""
    head = [*_heading(diff), *_summary_table(diff.summary), ""]
    if diff.home_changed:
        head += ["The front page (text before the first section) changed.", ""]
    changed = diff.changed
    if not changed:
        return "\n".join([*head, "No section changed."]) + "\n"
    comment = _Comment(diff, base_url)
    ordered = by_importance(changed)
    rows = [comment.row(section) for section in ordered]
    table = ["#### Changed sections", "", "| Section | Change | Details |", "|---|---|---|"]
    text = "\n".join([*head, *table])
    shown = 0
    for row in rows:
        note = _rows_note(len(rows) - shown - 1, html_url)
        if len(text) + 1 + len(row) + 2 + len(note) + 1 > limit:
            break
        text += "\n" + row
        shown += 1
    if shown < len(rows):
        return text + "\n\n" + _rows_note(len(rows) - shown, html_url) + "\n"
    return text + _words(comment, ordered, limit - len(text) - 1, html_url) + "\n"


_GAP = "\n\n"  # between the parts of "What changed" (each an HTML block, then a list)


def _words(
    comment: _Comment, ordered: Sequence[SectionDiff], room: int, html_url: str | None
) -> str:
    """The "What changed" part at the most detail that fits in ``room`` characters; at
    the least detail, the sections' parts that fit, most important first, and a note."""
    heading = _GAP + "#### What changed"
    room -= len(heading)
    for detail in DETAILS:
        parts = _parts_within(comment, ordered, detail, room)
        if parts is not None:
            return heading + "".join(_GAP + p for p in parts) if parts else ""
    # Sections compared only as long as there is room (thousands may have changed);
    # those left are counted by what changed in them.
    left = list(itertools.accumulate(int(_words_changed(s)) for s in reversed(ordered)))[::-1]
    text = heading
    for index, section in enumerate(ordered):
        part = comment.words_part(section, DETAILS[-1])
        if not part:
            continue
        note = _GAP + _words_note(left[index], html_url)
        if len(text) - len(heading) + len(_GAP) + len(part) + len(note) > room:
            return text + note if len(text) + len(note) <= room + len(heading) else ""
        text += _GAP + part
    return text


def _words_changed(section: SectionDiff) -> bool:
    """Whether words of ``section`` changed, by the diff's account (without comparing
    them): a whole section, changed words, a changed example."""
    return (
        section.status is not Status.MODIFIED
        or meaning_changed(section)
        or any(e.status is Status.MODIFIED for e in section.changed_examples)
    )


def _parts_within(
    comment: _Comment, ordered: Sequence[SectionDiff], detail: Detail, room: int
) -> list[str] | None:
    """The sections' parts at ``detail`` (those with changed words), or None when they
    pass ``room`` together."""
    parts: list[str] = []
    used = 0
    for section in ordered:
        part = comment.words_part(section, detail)
        if part:
            used += len(_GAP) + len(part)
            if used > room:
                return None
            parts.append(part)
    return parts


def _where_all(html_url: str | None) -> str:
    if html_url:
        return f"[the full HTML diff]({_base(html_url)})"
    return "the full diff (`specgen diff --format html`)"


def _rows_note(left_out: int, html_url: str | None) -> str:
    return (
        f"*{left_out} more changed section(s) not shown: this comment would pass GitHub's "
        f"limit of {GITHUB_COMMENT_LIMIT:,} characters. See {_where_all(html_url)}.*"
    )


def _words_note(left_out: int, html_url: str | None) -> str:
    return (
        f"*The changed words of {left_out} more section(s) are not shown: this comment "
        f"would pass GitHub's limit of {GITHUB_COMMENT_LIMIT:,} characters. "
        f"See {_where_all(html_url)}.*"
    )


def _summary_table(summary: Summary) -> list[str]:
    rows = [
        "| | Added | Removed | Modified | Unchanged |",
        "|---|---:|---:|---:|---:|",
        f"| Sections | {summary.sections_added} | {summary.sections_removed} | "
        f"{summary.sections_modified} | {summary.sections_unchanged} |",
        f"| Examples | {summary.examples_added} | {summary.examples_removed} | "
        f"{summary.examples_modified} | |",
        f"| Eval prompt sets | {summary.eval_sets_added} | {summary.eval_sets_removed} | "
        f"{summary.eval_sets_modified} | |",
    ]
    notes = [
        *_counted(
            ("renamed", summary.sections_renamed),
            ("probably renamed", summary.sections_probably_renamed),
            ("formatting only", summary.sections_formatting_only),
            ("link targets changed", summary.sections_links_changed),
        ),
        f"retitled: {summary.sections_retitled}",
        f"moved: {summary.sections_moved}",
        f"authority raised: {summary.authority_raised}",
        f"authority lowered: {summary.authority_lowered}",
    ]
    if summary.authority_other:
        notes.append(f"authority added, removed or not comparable: {summary.authority_other}")
    notes.append(f"verdicts changed: {summary.verdicts_changed}")
    emphasis = "**" if summary.authority_lowered or summary.verdicts_changed else ""
    return [*rows, "", f"{emphasis}Sections {', '.join(notes)}.{emphasis}"]


def _counted(*counts: tuple[str, int]) -> list[str]:
    """ "renamed: 2" for each count that is not 0."""
    return [f"{name}: {count}" for name, count in counts if count]
