"""The eval records: one per judged turn of every example (a comparison) and one per
prompt of every eval prompt set, JSON-ready, in the shape of
``specgen/schema/eval-record.schema.json``.

A comparison's conversation is the example's turns before the judged answer set; an
earlier answer set there stands for the turn the conversation continued with (its
first good answer, else its first ok one, else its first). An eval prompt's
conversation is the whole prompt. Each record's digest covers its content but none of
its locations, so moving text does not change it, editing it does.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

from specgen.evals import nodes
from specgen.evals.citing import citing_sentence
from specgen.evals.json_text import canonical
from specgen.evals.nodes import JSON
from specgen.model import (
    Answer,
    AnswerSet,
    EvalPromptSet,
    Example,
    Quality,
    Reference,
    RefKind,
    Section,
    Spec,
    Turn,
)

FORMAT = "specgen.eval-record/1"
COMPARISON = "comparison"
EVAL_PROMPT = "eval_prompt"
_NOT_DIGESTED = ("spec", "source", "digest")


def eval_records(spec: Spec) -> list[JSON]:
    """Comparisons in document order, then eval prompts in set order."""
    context = _Context(spec)
    records = [*_comparisons(context), *_eval_prompts(context)]
    _unique_ids(records)
    for record in records:
        record["digest"] = record_digest(record)
    spec_part = {
        "title": spec.config.title,
        "version": spec.config.version,
        "date": spec.config.date,
        "digest": _sha256("\n".join(r["digest"] for r in records).encode()),
    }
    return [_ordered(record, spec_part) for record in records]


def record_digest(record: JSON) -> str:
    """sha256 of the canonical JSON of ``record`` without spec, digest and sources."""
    content = {k: _without_sources(v) for k, v in record.items() if k not in _NOT_DIGESTED}
    return _sha256(canonical(content))


def _sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _without_sources(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_sources(v) for k, v in value.items() if k != "source"}
    if isinstance(value, list):
        return [_without_sources(v) for v in value]
    return value


_KEY_ORDER = (
    "format",
    "kind",
    "id",
    "digest",
    "spec",
    "section",
    "example",
    "conversation",
    "answers",
    "unparsed",
    "eval_set",
    "cited_by",
    "source",
)


def _ordered(record: JSON, spec_part: JSON) -> JSON:
    record = {**record, "spec": spec_part}
    return {key: record[key] for key in _KEY_ORDER}


class _Context:
    """What every record of one spec looks up: titles, ancestors, citations."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.config = spec.config
        self.titles: dict[str, str] = {}
        self.paths: dict[int, list[str]] = {}
        for top in spec.sections:
            self._index(top, [])
        # eval set id -> (section, reference) in document order
        self.citations: dict[str, list[tuple[Section, Reference]]] = {}
        for section in spec.walk():
            for ref in section.references:
                if ref.kind is RefKind.EVAL:
                    self.citations.setdefault(ref.target, []).append((section, ref))

    def _index(self, section: Section, ancestors: list[str]) -> None:
        self.titles.setdefault(section.id, section.title)
        self.paths[id(section)] = ancestors
        for child in section.children:
            self._index(child, [*ancestors, section.id])

    def section(self, section: Section) -> JSON:
        level = self.config.level(section.authority) if section.authority else None
        return {
            "id": section.id,
            "title": section.title,
            "authority": section.authority,
            "authority_name": level.name if level is not None else None,
            "tags": list(section.tags),
            "text": section.body.text,
            "path": list(self.paths[id(section)]),
        }

    def answer(self, answer: Answer) -> JSON:
        return nodes.answer(answer, self.config, self.titles)

    def conversation(self, turns: tuple[Turn, ...]) -> list[JSON]:
        items: list[JSON] = []
        for turn in turns:
            item = nodes.plain_turn(turn)
            if item is not None:
                items.append(item)
            elif isinstance(turn, AnswerSet):
                items.extend(self._judged(turn))
        return items

    def _judged(self, answer_set: AnswerSet) -> list[JSON]:
        chosen = _continued_with(answer_set)
        if chosen is None:  # no answer at all: what the set holds, as written
            return [nodes.unparsed(u) for u in answer_set.unparsed]
        where = nodes.source(answer_set.loc)
        return [{"type": "judged", "answer": self.answer(chosen), "source": where}]


def _continued_with(answer_set: AnswerSet) -> Answer | None:
    for quality in (Quality.GOOD, Quality.OK):
        for answer in answer_set.answers:
            if answer.quality == quality:
                return answer
    return answer_set.answers[0] if answer_set.answers else None


def _example(example: Example, turn: int, turns: int) -> JSON:
    return {
        "id": example.id,
        "caption": example.caption.text,
        "flags": list(example.flags),
        "turn": turn,
        "turns": turns,
    }


def _comparisons(context: _Context) -> Iterator[JSON]:
    for section in context.spec.walk():
        section_part = context.section(section)
        for example in section.examples:
            judged = [i for i, t in enumerate(example.turns) if isinstance(t, AnswerSet)]
            for number, index in enumerate(judged, start=1):
                answer_set = example.turns[index]
                assert isinstance(answer_set, AnswerSet)
                yield {
                    "format": FORMAT,
                    "kind": COMPARISON,
                    "id": f"{example.id}/{number}",
                    "section": section_part,
                    "example": _example(example, number, len(judged)),
                    "conversation": context.conversation(example.turns[:index]),
                    "answers": [context.answer(a) for a in answer_set.answers],
                    "unparsed": nodes.answer_set_unparsed(answer_set),
                    "eval_set": None,
                    "cited_by": [],
                    "source": nodes.source(answer_set.loc),
                }


def _eval_prompts(context: _Context) -> Iterator[JSON]:
    for eval_set in context.spec.eval_sets:
        citations = context.citations.get(eval_set.id, [])
        cited_by = [
            {
                "section_id": section.id,
                "section_title": section.title,
                "authority": section.authority,
                "sentence": citing_sentence(section.body, ref),
                "source": nodes.source(ref.loc),
            }
            for section, ref in citations
        ]
        # The section a prompt is graded against: the first that cites its set.
        section_part = context.section(citations[0][0]) if citations else None
        for prompt in eval_set.prompts:
            yield _eval_prompt(context, eval_set, prompt, section_part, cited_by)


def _eval_prompt(
    context: _Context,
    eval_set: EvalPromptSet,
    prompt: Example,
    section_part: JSON | None,
    cited_by: list[JSON],
) -> JSON:
    # The judged turn is the prompt's end, after any answer sets inside it.
    turn = len(prompt.answer_sets) + 1
    return {
        "format": FORMAT,
        "kind": EVAL_PROMPT,
        "id": f"{eval_set.id}/{prompt.id}",
        "section": section_part,
        "example": _example(prompt, turn, turn),
        "conversation": context.conversation(prompt.turns),
        "answers": [],
        "unparsed": [],
        "eval_set": {"id": eval_set.id, "title": eval_set.title, "text": eval_set.body.text},
        "cited_by": cited_by,
        "source": nodes.source(prompt.loc),
    }


def _unique_ids(records: list[JSON]) -> None:
    """Duplicate example ids (a lint error a forced run gets past) would give two
    records one id; the later ones get "~2", "~3"... so every id stays a key."""
    seen: set[str] = set()
    for record in records:
        base = record["id"]
        candidate, n = base, 1
        while candidate in seen:
            n += 1
            candidate = f"{base}~{n}"
        seen.add(candidate)
        record["id"] = candidate
