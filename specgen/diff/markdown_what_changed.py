"""The comment's "What changed" part, and the budget that keeps the comment under
GitHub's limit.

For each section with changed words, a ``<details open>`` block listing each changed
paragraph, linked to its line, with the deleted words in ``<del>`` and the inserted ones
in ``<ins>`` (GitHub shows both), trimmed to the sentences that changed; then changed
link targets (old → new) and the changed words of its examples (caption, messages,
answers, with a changed verdict or principle noted). A section's words are compared once
(``Comment.words``) and shown at whatever ``Detail`` fits.

The budget: the part shows fewer words per section first (fewer sentences of context,
long changes cut short, fewer paragraphs: ``DETAILS``), then leaves out the words of the
least important sections, with a note saying what was left out and where to see it all
(``rows_note`` says the same of the table's rows).

The changed words come from ``specgen.diff.markdown_words``; every word is escaped by
``specgen.diff.markdown_text``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from specgen.diff.describe import ARROW, MINUS, example_label, quality_name, section_titles
from specgen.diff.markdown_text import (
    example_url,
    html_text,
    line_link,
    link,
    md_pieces,
    md_text,
    where_all,
)
from specgen.diff.markdown_words import (
    DELETED,
    INSERTED,
    ChangedBlock,
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
    SectionDiff,
    SpecDiff,
    Status,
    TextChange,
    TurnDiff,
)
from specgen.model import Answer, Example, Location, Message, Section
from specgen.render.section import role_label

# GitHub refuses a comment body longer than this many characters.
GITHUB_COMMENT_LIMIT = 65536
CAPTION_WORDS = 12


def meaning_changed(section: SectionDiff) -> bool:
    """Whether the section's body changed in its words (not only in formatting or link
    targets); a changed body the engine did not class counts."""
    if section.body_changes:
        return TextChange.MEANING in section.body_changes
    return section.body_changed


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


class Comment:
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

    def caption(self, example: Example, titles: Mapping[str, str]) -> str:
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
                where = line_link(self.diff.old_origin, text.old_path, block.line, old=True)
            else:
                where = line_link(self.diff.new_origin, text.new_path, block.line)
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
            where = line_link(self.diff.new_origin, node.loc.path, node.loc.line)
            caption = link(self.caption(node, self.new_titles), url)
            lines.append(f"- {example_label(example)}: {caption} ({where})")
            items = words.items[: detail.blocks] if detail.blocks is not None else words.items
            for item in items:
                lines.append(self._item_line(item, detail))
            if len(words.items) > len(items):
                lines.append(f"  - and {len(words.items) - len(items)} more changed part(s)")
        return lines

    def _item_line(self, item: _Item, detail: Detail) -> str:
        origin = self.diff.old_origin if item.old_side else self.diff.new_origin
        where = line_link(origin, item.loc.path, item.loc.line, old=item.old_side)
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


# -- the budget -------------------------------------------------------------------------------

_GAP = "\n\n"  # between the parts of "What changed" (each an HTML block, then a list)


def what_changed(
    comment: Comment, ordered: Sequence[SectionDiff], room: int, html_url: str | None
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
    comment: Comment, ordered: Sequence[SectionDiff], detail: Detail, room: int
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


def rows_note(left_out: int, html_url: str | None) -> str:
    return (
        f"*{left_out} more changed section(s) not shown: this comment would pass GitHub's "
        f"limit of {GITHUB_COMMENT_LIMIT:,} characters. See {where_all(html_url)}.*"
    )


def _words_note(left_out: int, html_url: str | None) -> str:
    return (
        f"*The changed words of {left_out} more section(s) are not shown: this comment "
        f"would pass GitHub's limit of {GITHUB_COMMENT_LIMIT:,} characters. "
        f"See {where_all(html_url)}.*"
    )
