"""``specgen diff --format json``: a diff as JSON, in a shape tools can rely on.

The document is one object. Its shape is stable within a ``version``: fields may be
added, but none is renamed, removed or given another meaning without raising
``version``. Every key below is always present (``null`` where it does not apply).
Strings marked *Markdown* are the author's source text, unrendered. A pair ``{"old": …,
"new": …}`` gives a value on each side; a side that lacks the node has ``null``.

```text
{
  "format": "specgen-diff",
  "version": 1,
  "old": Side, "new": Side,
  "summary": Summary,
  "home_changed": bool,     the front page (in the OpenAI dialect: the text before the
                            first heading) differs
  "home_changes": Changes,  how it differs
  "sections": [Section],    every section of both sides: the new document order, each
                            removed section right after the one that preceded it in the old
  "eval_sets": [EvalSet]    every eval prompt set of both sides, in the same kind of order
}

Side      {"label": how the side was named (a git revision, a path),
           "source": the path it was read from: as specgen opened it for files on disk,
                     "REV:path" (the repository path) for a git revision,
           "revision": the git revision as named ("main", "HEAD~1"), null for files,
           "commit": its full commit id, null for files,
           "path": the spec's path relative to the repository ("spec", "model_spec.md"),
           "title", "version", "date": the spec's own}

Changes   [str]: how a text changed, in this order: "meaning" (the words a reader reads
           differ, typographic spellings of quotes, dashes and ellipses aside; a [?](#id)
           reads as its target's title), "formatting" (only whitespace, line breaks or
           Markdown spelling: given alone), "links" (a link of the same words points
           elsewhere, or words gained or lost a link; a renamed section's old id is its
           new one); [] when the text did not change

Source    null | {"path": repository-relative path, "line": 1-based,
                  "url": the line on the forge (GitHub, GitLab, Gitea) at the side's commit,
                         else the configured branch; null when no forge is configured}

Summary   {"sections_added", "sections_removed",
           "sections_modified"  (retitled, moved and renamed sections included),
           "sections_retitled", "sections_moved", "sections_unchanged",
           "sections_renamed"   (declared in former_ids: not removed),
           "sections_probably_renamed"  (an undeclared id change of a section that reads
                                         the same: not removed, but --fail-on removed
                                         still counts it),
           "sections_text_changed"  (modified sections whose words changed: title, body,
                                     captions, messages, answers),
           "sections_formatting_only"  (modified sections with nothing but formatting
                                        changes),
           "sections_links_changed"  (sections with a link whose target changed),
           "authority_raised", "authority_lowered",
           "authority_other"    (authority added, removed, or a level outside the order),
           "examples_added", "examples_removed"  (those of added and removed sections
                                                  included),
           "examples_modified", "verdicts_changed",
           "eval_sets_added", "eval_sets_removed", "eval_sets_modified"}: integers

Section   {"id": the new id (the old one for a removed section),
           "status": "added" | "removed" | "modified" | "unchanged",
                      (modified: anything below changed, a move, a retitle or a rename
                       included)
           "renamed_from": null | the old id of a renamed section,
           "rename": null | "declared" (in former_ids) | "probable" (reads the same),
           "title": {"old", "new"}, "retitled": bool (another title),
           "parent": {"old", "new"}: the parent section's id, null at the top level,
           "location": {"old", "new"}: "path:line:column" where the section starts, the
                       path as specgen opened it (files on disk) or in the repository
                       (a git revision: never the scratch folder it was read from),
           "source": {"old": Source, "new": Source}: the same, for reviewers,
           "moved": null | {"old_parent", "new_parent": ids or null (top level), a
                                                renamed parent's by its new id,
                            "old_position", "new_position": 0-based among siblings,
                            "reparented": bool (false: reordered under the same parent)},
           "authority": {"old", "new": level ids or null,
                         "change": null | "raised" | "lowered" | "added" | "removed"
                                   | "unranked"},
                        (raised: to a higher level, by the new spec's level order; null
                         when the level is the same or the section is added or removed)
           "informative": {"old", "new": bool or null}, "informative_changed": bool,
           "source_changed": bool (only the source text differs: nothing above did),
           "body_changed": bool (the text differs beyond line endings, trailing spaces
                                 and blank-line runs),
           "body_changes": Changes,
           "link_changes": [{"old", "new"}]: the body's links (and images) whose
                           target changed: "#id" for a section, else the address as
                           written; null on a side without the link,
           "text_changed": bool (words changed anywhere in the section, as --fail-on
                                 text counts: added, removed, retitled included),
           "formatting_only": bool (modified, but nothing beyond formatting),
           "body": null | {"old", "new"}: Markdown, given when the body changed or the
                   section is added or removed,
           "tags": {"added": [str], "removed": [str]},
           "eval_refs": {"added": [str], "removed": [str]}: eval prompt sets cited
                        ([^id]) in the section's text,
           "examples": [Example]: the examples that are added, removed or modified,
                       in the section's new order,
           "examples_unchanged": int}

Example   {"id", "status",
           "caption": {"old", "new"}: Markdown, "caption_changed": bool,
           "caption_changes": Changes,
           "flags": {"old", "new"}: [str] or null, "flags_changed": bool,
           "location": {"old", "new"}, "source": {"old": Source, "new": Source},
           "verdict_changes": [{"turn": {"old", "new"}, "answer": {"old", "new"}: 0-based
                                 indices of the turn in the conversation and of the
                                 answer in its set,
                                "old", "new": the qualities, e.g. "good" -> "bad"}],
           "turns": [Turn]: every turn of both sides, aligned message by message}

Turn      {"kind": "message" | "answers" | "elision", "status",
           "index": {"old", "new"}: 0-based position in each side's conversation,
           "role": {"old", "new"} for a message, else null; text kept unparsed is a
                   message of role "unparsed" (raw text), one placed right after its
                   answer set when it stood inside one (and counted in "index"),
           "text": {"old", "new"}: Markdown of the message's parts (attachments as
                   "[name] caption", parts separated by a blank line), given for a
                   message that is not unchanged, else null,
           "text_changes": Changes of a modified message (its role, recipient, name and
                           settings read as words too),
           "answers": [Answer] for a set of answers, else []: the alternatives paired by
                      content (not position), new order}

Answer    {"status", "index": {"old", "new"}: 0-based position in its set,
           "quality": {"old", "new"},
           "verdict_changed", "content_changed", "comment_changed", "violates_changed":
               bool (violates: the broken-principle reference),
           "text_changes": Changes of the content (its recipient read as a word),
           "comment_changes": Changes of the comment,
           "text": null | {"old", "new"}: Markdown, given unless status is unchanged,
           "comment": null | {"old", "new"}: Markdown, given when the comment changed or
                      the answer is added or removed,
           "violates": {"old", "new"}: the id of the section a bad answer breaks, or null
                       (citing a renamed section by its old id is no violates change)}

EvalSet   {"id", "status", "title": {"old", "new"}, "location": {"old", "new"},
           "source": {"old": Source, "new": Source}}
```

Unchanged sections are listed (with ``"examples": []``) so a tool can place changes in
the tree; unchanged turns and answers of a modified example are listed without text.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from specgen.diff.amounts import formatting_only, words_changed
from specgen.diff.describe import side_label
from specgen.diff.examples import diffable_turns
from specgen.diff.model import (
    AnswerDiff,
    EvalSetDiff,
    ExampleDiff,
    SectionDiff,
    SpecDiff,
    Status,
    TextChange,
    TurnDiff,
)
from specgen.diff.text import parts_text
from specgen.model import (
    Answer,
    AnswerSet,
    EvalPromptSet,
    Example,
    Location,
    Markdown,
    Section,
    Spec,
)
from specgen.origin import Origin

FORMAT = "specgen-diff"
VERSION = 1

Json = dict[str, Any]


def diff_to_json(diff: SpecDiff) -> Json:
    """The diff as a JSON-ready dict (the shape in this module's docstring)."""
    old_parents, new_parents = _parents(diff.old), _parents(diff.new)
    old_sets = {s.id: s for s in diff.old.eval_sets}
    new_sets = {s.id: s for s in diff.new.eval_sets}
    origins = _Origins(diff.old_origin, diff.new_origin)
    return {
        "format": FORMAT,
        "version": VERSION,
        "old": _side(diff.old, diff.old_label, diff.old_origin),
        "new": _side(diff.new, diff.new_label, diff.new_origin),
        "summary": asdict(diff.summary),
        "home_changed": diff.home_changed,
        "home_changes": _changes(diff.home_changes),
        "sections": [_section(s, old_parents, new_parents, origins) for s in diff.sections],
        "eval_sets": [_eval_set(e, old_sets, new_sets, origins) for e in diff.eval_sets],
    }


def diff_to_json_text(diff: SpecDiff) -> str:
    return json.dumps(diff_to_json(diff), indent=2, ensure_ascii=False) + "\n"


def _side(spec: Spec, label: str, origin: Origin) -> Json:
    config = spec.config
    named = side_label(spec, origin)
    return {
        "label": label,
        "source": f"{origin.revision}:{named.path}" if origin.revision else spec.source,
        "revision": named.revision,
        "commit": origin.commit,
        "path": named.path,
        "title": config.title,
        "version": config.version,
        "date": config.date,
    }


@dataclass(frozen=True, slots=True)
class _Origins:
    old: Origin
    new: Origin

    def source(self, old: Location | None, new: Location | None) -> Json:
        """Where a node is on each side, as reviewers cite and open it."""
        return _pair(_source(self.old, old), _source(self.new, new))

    def location(self, old: Location | None, new: Location | None) -> Json:
        return _pair(_loc(old, self.old), _loc(new, self.new))


def _source(origin: Origin, loc: Location | None) -> Json | None:
    if loc is None:
        return None
    return {"path": origin.repo_path(loc.path), "line": loc.line, "url": origin.source_url(loc)}


def _changes(changes: frozenset[TextChange]) -> list[str]:
    return [change.value for change in TextChange if change in changes]


def _parents(spec: Spec) -> dict[str, str | None]:
    parents: dict[str, str | None] = {}

    def visit(sections: tuple[Section, ...], parent: str | None) -> None:
        for section in sections:
            parents.setdefault(section.id, parent)
            visit(section.children, section.id)

    visit(spec.sections, None)
    return parents


def _pair(old: object, new: object) -> Json:
    return {"old": old, "new": new}


def _loc(loc: Location | None, origin: Origin) -> str | None:
    """``path:line:column``; a git revision's path is the repository's (it was read
    from a scratch folder that is gone once the diff is made)."""
    if loc is None:
        return None
    if origin.revision is None:
        return str(loc)
    return f"{origin.repo_path(loc.path)}:{loc.line}:{loc.column}"


def _text(markdown: Markdown | None) -> str | None:
    return markdown.text if markdown is not None else None


def _section(
    diff: SectionDiff,
    old_parents: dict[str, str | None],
    new_parents: dict[str, str | None],
    origins: _Origins,
) -> Json:
    old, new = diff.old, diff.new
    move = diff.moved
    authority = diff.authority
    show_body = diff.body_changed or diff.status in (Status.ADDED, Status.REMOVED)
    return {
        "id": diff.id,
        "status": diff.status.value,
        "renamed_from": diff.renamed_from,
        "rename": diff.rename.value if diff.rename is not None else None,
        "title": _pair(old.title if old else None, new.title if new else None),
        "retitled": diff.retitled,
        "parent": _pair(
            old_parents.get(old.id) if old else None, new_parents.get(new.id) if new else None
        ),
        "location": origins.location(old.loc if old else None, new.loc if new else None),
        "source": origins.source(old.loc if old else None, new.loc if new else None),
        "moved": None
        if move is None
        else {
            "old_parent": move.old_parent,
            "new_parent": move.new_parent,
            "old_position": move.old_position,
            "new_position": move.new_position,
            "reparented": move.old_parent != move.new_parent,
        },
        "authority": {
            "old": old.authority if old else None,
            "new": new.authority if new else None,
            "change": authority.direction.value if authority is not None else None,
        },
        "informative": _pair(old.informative if old else None, new.informative if new else None),
        "informative_changed": diff.informative_changed,
        "body_changed": diff.body_changed,
        "body_changes": _changes(diff.body_changes),
        "link_changes": [_pair(before, after) for before, after in diff.link_changes],
        "text_changed": words_changed(diff),
        "formatting_only": formatting_only(diff),
        "source_changed": diff.source_changed,
        "body": _pair(_text(old.body) if old else None, _text(new.body) if new else None)
        if show_body
        else None,
        "tags": {"added": list(diff.tags_added), "removed": list(diff.tags_removed)},
        "eval_refs": {"added": list(diff.eval_refs_added), "removed": list(diff.eval_refs_removed)},
        "examples": [_example(e, origins) for e in diff.changed_examples],
        "examples_unchanged": len(diff.examples) - len(diff.changed_examples),
    }


def _example(diff: ExampleDiff, origins: _Origins) -> Json:
    old, new = diff.old, diff.new
    turns = list(_turns(diff))
    return {
        "id": diff.id,
        "status": diff.status.value,
        "caption": _pair(_text(old.caption) if old else None, _text(new.caption) if new else None),
        "caption_changed": diff.caption_changed,
        "caption_changes": _changes(diff.caption_changes),
        "flags": _pair(list(old.flags) if old else None, list(new.flags) if new else None),
        "flags_changed": diff.flags_changed,
        "location": origins.location(old.loc if old else None, new.loc if new else None),
        "source": origins.source(old.loc if old else None, new.loc if new else None),
        "verdict_changes": [
            {
                "turn": turn["index"],
                "answer": answer["index"],
                "old": answer["quality"]["old"],
                "new": answer["quality"]["new"],
            }
            for turn in turns
            for answer in turn["answers"]
            if answer["verdict_changed"]
        ],
        "turns": turns,
    }


def _turns(diff: ExampleDiff) -> Iterator[Json]:
    """Each turn with its index on each side: the alignment keeps each side's order."""
    old_i = new_i = 0
    for turn in diff.turns:
        old_index = old_i if turn.status is not Status.ADDED else None
        new_index = new_i if turn.status is not Status.REMOVED else None
        old_i += old_index is not None
        new_i += new_index is not None
        yield _turn(turn, diff.old, diff.new, old_index, new_index)


def _turn(
    turn: TurnDiff,
    old_example: Example | None,
    new_example: Example | None,
    old_index: int | None,
    new_index: int | None,
) -> Json:
    old_msg, new_msg = turn.old_message, turn.new_message
    is_message = turn.kind == "message"
    show_text = is_message and turn.status is not Status.UNCHANGED
    old_set = _answer_set(old_example, old_index)
    new_set = _answer_set(new_example, new_index)
    return {
        "kind": turn.kind,
        "status": turn.status.value,
        "index": _pair(old_index, new_index),
        "role": _pair(old_msg.role if old_msg else None, new_msg.role if new_msg else None)
        if is_message
        else None,
        "text": _pair(
            parts_text(old_msg.parts) if old_msg else None,
            parts_text(new_msg.parts) if new_msg else None,
        )
        if show_text
        else None,
        "text_changes": _changes(turn.text_changes),
        "answers": [_answer(a, old_set, new_set) for a in turn.answers],
    }


def _answer_set(example: Example | None, index: int | None) -> AnswerSet | None:
    if example is None or index is None:
        return None
    turn = diffable_turns(example.turns)[index]  # the turns as the diff aligned them
    return turn if isinstance(turn, AnswerSet) else None


def _position(answer: Answer | None, answer_set: AnswerSet | None) -> int | None:
    if answer is None or answer_set is None:
        return None
    return next((k for k, a in enumerate(answer_set.answers) if a is answer), None)


def _answer(diff: AnswerDiff, old_set: AnswerSet | None, new_set: AnswerSet | None) -> Json:
    old, new = diff.old, diff.new
    whole = diff.status in (Status.ADDED, Status.REMOVED)
    return {
        "status": diff.status.value,
        "index": _pair(_position(old, old_set), _position(new, new_set)),
        "quality": _pair(old.quality if old else None, new.quality if new else None),
        "verdict_changed": diff.verdict_changed,
        "content_changed": diff.content_changed,
        "comment_changed": diff.comment_changed,
        "violates_changed": diff.violates_changed,
        "text_changes": _changes(diff.text_changes),
        "comment_changes": _changes(diff.comment_changes),
        "text": _pair(
            parts_text(old.parts) if old else None, parts_text(new.parts) if new else None
        )
        if diff.status is not Status.UNCHANGED
        else None,
        "comment": _pair(_text(old.comment) if old else None, _text(new.comment) if new else None)
        if diff.comment_changed or whole
        else None,
        "violates": _pair(
            old.violates.target if old and old.violates else None,
            new.violates.target if new and new.violates else None,
        ),
    }


def _eval_set(
    diff: EvalSetDiff,
    old_sets: dict[str, EvalPromptSet],
    new_sets: dict[str, EvalPromptSet],
    origins: _Origins,
) -> Json:
    old = old_sets.get(diff.id) if diff.status is not Status.ADDED else None
    new = new_sets.get(diff.id) if diff.status is not Status.REMOVED else None
    return {
        "id": diff.id,
        "status": diff.status.value,
        "title": _pair(old.title if old else None, new.title if new else None),
        "location": origins.location(old.loc if old else None, new.loc if new else None),
        "source": origins.source(old.loc if old else None, new.loc if new else None),
    }
