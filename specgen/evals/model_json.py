"""The whole model as JSON (``specgen export --format json``), in the shape of
``specgen/schema/spec.schema.json``: the configuration, the section tree with bodies,
examples (every turn and answer), references and locations, and the eval prompt sets.
Nothing the model holds is left out, so another tool can work from this file alone.
"""

from __future__ import annotations

from specgen.evals import nodes
from specgen.evals.nodes import JSON
from specgen.model import (
    AnswerSet,
    EvalPromptSet,
    Example,
    Markdown,
    Reference,
    Section,
    Spec,
    SpecConfig,
    Turn,
)

FORMAT = "specgen.spec/1"


def spec_json(spec: Spec, home: Markdown | None = None) -> JSON:
    """``spec`` as one JSON-ready dict; ``home`` is the front page the loader read
    beside it (the text before an OpenAI file's first heading), when there is one."""
    titles: dict[str, str] = {}
    for section in spec.walk():
        titles.setdefault(section.id, section.title)
    writer = _Writer(spec.config, titles)
    return {
        "format": FORMAT,
        "path": spec.source,
        "dialect": spec.dialect,
        "config": _config(spec.config),
        "home": None if home is None else nodes.markdown(home),
        "sections": [writer.section(s) for s in spec.sections],
        "eval_sets": [writer.eval_set(e) for e in spec.eval_sets],
    }


def _config(config: SpecConfig) -> JSON:
    return {
        "title": config.title,
        "subtitle": config.subtitle,
        "version": config.version,
        "date": config.date,
        "math": config.math,
        "levels": [
            {"id": lv.id, "name": lv.name, "description": lv.description} for lv in config.levels
        ],
        "quality_names": dict(config.quality_names),
        "tag_names": dict(config.tag_names),
    }


def _reference(ref: Reference) -> JSON:
    return {"kind": ref.kind.value, "target": ref.target, "source": nodes.source(ref.loc)}


class _Writer:
    def __init__(self, config: SpecConfig, titles: dict[str, str]) -> None:
        self.config = config
        self.titles = titles

    def section(self, section: Section) -> JSON:
        where = section.authority_loc
        return {
            "id": section.id,
            "title": section.title,
            "authority": section.authority,
            "authority_source": None if where is None else nodes.source(where),
            "informative": section.informative,
            "tags": list(section.tags),
            "former_ids": list(section.former_ids),
            "extra_attributes": list(section.extra_attributes),
            "incomplete": section.incomplete,
            "body": nodes.markdown(section.body),
            "references": [_reference(r) for r in section.references],
            "examples": [self.example(e) for e in section.examples],
            "children": [self.section(c) for c in section.children],
            "source_text": section.source,
            "source": nodes.source(section.loc),
        }

    def eval_set(self, eval_set: EvalPromptSet) -> JSON:
        return {
            "id": eval_set.id,
            "title": eval_set.title,
            "body": nodes.markdown(eval_set.body),
            "prompts": [self.example(p) for p in eval_set.prompts],
            "source_text": eval_set.source,
            "source": nodes.source(eval_set.loc),
        }

    def example(self, example: Example) -> JSON:
        return {
            "id": example.id,
            "caption": nodes.markdown(example.caption),
            "flags": list(example.flags),
            "turns": [self.turn(t) for t in example.turns],
            "source": nodes.source(example.loc),
        }

    def turn(self, turn: Turn) -> JSON:
        item = nodes.plain_turn(turn, full=True)
        if item is not None:
            return item
        assert isinstance(turn, AnswerSet)
        return {
            "type": "answer_set",
            "answers": [nodes.answer(a, self.config, self.titles, full=True) for a in turn.answers],
            "unparsed": nodes.answer_set_unparsed(turn, full=True),
            "source": nodes.source(turn.loc),
        }
