"""The `spec_compliance` scorer: a grader model judges each response against the spec.

The grader is the ``grader`` argument when given, else the model bound to the role
"grader" (``inspect eval --model-role grader=...``), else the model under test. Its
reply must hold a verdict in the form ``grading`` reads; when it does not, the scorer
raises: the sample ends in an error and is not counted (never a guessed verdict).
Metrics count every epoch's score ("unreduced"): the compliance rate is compliant /
graded, beside the shares of minor issues and violations, and per authority level.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from inspect_ai.model import Model, get_model, model_roles
from inspect_ai.scorer import (
    Metric,
    SampleScore,
    Score,
    Scorer,
    Target,
    grouped,
    metric,
    scorer,
)
from inspect_ai.solver import TaskState

from specgen.eval_run.book import spec_records
from specgen.eval_run.grading import VERDICTS, grader_prompt, parse_grade
from specgen.eval_run.selection import names
from specgen.eval_run.tools import spec_tool_names

LEVEL_KEY = "authority"  # sample metadata key the per-level rates group by


def _share(value: str) -> Metric:
    def compute(scores: list[SampleScore]) -> float:
        graded = [s.score.value for s in scores]
        return sum(v == value for v in graded) / len(graded) if graded else float("nan")

    return compute


@metric(scores="unreduced")
def compliance() -> Metric:
    """Compliant / graded, over every epoch."""
    return _share(VERDICTS["compliant"][1])


@metric(scores="unreduced")
def minor_issues() -> Metric:
    return _share(VERDICTS["minor_issues"][1])


@metric(scores="unreduced")
def violations() -> Metric:
    return _share(VERDICTS["violation"][1])


@metric(scores="unreduced")
def compliance_by_level() -> Metric:
    """The compliance rate of each authority level (inspect's ``grouped``)."""
    return grouped(compliance(), LEVEL_KEY, all=False)


@scorer(metrics=[compliance(), minor_issues(), violations(), compliance_by_level()])
def spec_compliance(
    spec: str | None = None,
    grader: str | None = None,
    level_order: str | list[str] | None = None,
) -> Scorer:
    order = names(level_order)

    async def score(state: TaskState, target: Target) -> Score:
        record_id = str(state.sample_id)
        digest = state.metadata.get("digest")
        record = spec_records(spec, order).record(record_id)
        if record is None or record["digest"] != digest:  # the spec changed: read again
            record = spec_records(spec, order, fresh=True).record(record_id)
        if record is None or record["digest"] != digest:
            raise ValueError(f"the spec no longer has record {record_id} as it was run")
        model = _grader(grader)
        reply = await model.generate(grader_prompt(record, _response(state, record)))
        grade = parse_grade(reply.completion)  # raises when there is no verdict
        return Score(
            value=grade.value,
            answer=grade.word,
            explanation=grade.reason,
            metadata={"verdict": grade.verdict, "grader": str(model)},
        )

    return score


def _grader(name: str | None) -> Model:
    """The model named (the one bound to the role "grader" when that is it: a caller's
    scripted or configured Model), else the role's, else the model under test."""
    bound = model_roles().get("grader")
    if isinstance(bound, list):
        bound = bound[0] if bound else None
    if name and (bound is None or str(bound) != name):
        return get_model(name)
    return bound if bound is not None else get_model()


def _response(state: TaskState, record: Mapping[str, Any]) -> str:
    """The model's reply, its tool calls written out (under the spec's tool names,
    arguments as JSON) as the grader reads the spec's answers sent to a tool."""
    names = spec_tool_names(record)
    calls = [
        f"[call to the tool {names.get(c.function, c.function)}: "
        f"{json.dumps(c.arguments, ensure_ascii=False)}]"
        + (f" (arguments unreadable: {c.parse_error})" if c.parse_error else "")
        for c in state.output.message.tool_calls or []
    ]
    return "\n\n".join([state.output.completion, *calls]).strip()
