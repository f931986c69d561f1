"""The `spec_eval` task: one sample per record of the spec (an example's judged turn, or
an eval prompt), the model's reply generated, and graded by `spec_compliance`. The
tools a sample uses are declared for it, never run: a reply that calls one is graded as
it is.

Also run directly: ``inspect eval specgen/spec_eval -T spec=PATH -T sections=a,b``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from inspect_ai import Task, task
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.model import ChatMessageUser
from inspect_ai.solver import generate

from specgen.eval_run.book import spec_records
from specgen.eval_run.messages import chat_messages
from specgen.eval_run.scorer import spec_compliance
from specgen.eval_run.selection import Selection, names, record_level, select
from specgen.eval_run.tools import declare_spec_tools

OPENING = "(The conversation starts with your reply.)"


@task
def spec_eval(
    spec: str | None = None,
    sections: str | list[str] | None = None,
    levels: str | list[str] | None = None,
    tags: str | list[str] | None = None,
    kinds: str | list[str] | None = None,
    grader: str | None = None,
    level_order: str | list[str] | None = None,
) -> Task:
    """The spec's examples and eval prompts, graded for compliance.

    Args:
        spec: The spec (a native folder or an OpenAI model_spec.md); default: the
            spec of the project in the current folder.
        sections: Section ids (comma-separated or a list); a parent selects its
            descendants.
        levels: Authority levels to run.
        tags: Section tags to run.
        kinds: "comparison" and/or "eval_prompt".
        grader: The grader model (provider/model); default: the model bound to the
            role "grader", else the model under test.
        level_order: The spec's levels in order, highest first (as --levels).
    """
    order = names(level_order)
    book = spec_records(spec, order, fresh=True)  # the sources as they are now
    selection = Selection(names(sections), names(levels), names(tags), names(kinds))
    chosen = select(book.records, book.spec, selection)
    index = book.spec.section_index()
    samples = [_sample(record, record_level(record, index)) for record in chosen]
    config = book.spec.config
    spec_part = chosen[0]["spec"]
    metadata = {
        "specgen": {
            "format": 1,
            "spec_title": config.title,
            "spec_version": config.version,
            "spec_date": config.date,
            "spec_digest": spec_part["digest"],
            "records": len(chosen),
            "selected": [r["id"] for r in chosen],
            "selection": selection.as_dict(),
            "grader": grader or None,
        }
    }
    return Task(
        dataset=MemoryDataset(samples, name=config.title or None),
        # the sample's tools declared; a reply calling one is the response, never run
        solver=[declare_spec_tools(), generate(tool_calls="none")],
        scorer=spec_compliance(spec=str(book.path), grader=grader, level_order=list(order)),
        metadata=metadata,
        # An ungraded sample is "not measured"; the others still run (as `specgen eval`).
        fail_on_error=False,
    )


def _sample(record: Mapping[str, Any], level: str | None) -> Sample:
    section = record.get("section") or {}
    answers = record.get("answers") or []
    return Sample(
        id=record["id"],
        input=chat_messages(record.get("conversation") or []) or [ChatMessageUser(content=OPENING)],
        target=json.dumps(answers, ensure_ascii=False) if answers else "",
        metadata={
            "record_id": record["id"],
            "digest": record["digest"],
            "kind": record["kind"],
            "section_id": section.get("id"),
            "authority": level,
            "tags": list(section.get("tags") or []),
            "example_id": (record.get("example") or {}).get("id"),
        },
    )
