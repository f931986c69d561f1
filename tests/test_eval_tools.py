"""The spec's tools in `specgen eval` samples: a sample whose conversation or judged
answers send a message to a tool gets that tool declared (a schema accepting the spec's
calls), never run; a reply that calls a tool is graded as that call; a sample with no
tool gets none.

No network: inspect-ai's mockllm model answers and grades, scripted (tests/eval_helpers.py).
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import jsonschema
from inspect_ai.dataset import Sample
from inspect_ai.event import ModelEvent, ToolEvent
from inspect_ai.log import EvalSample, read_eval_log
from inspect_ai.model import (
    ChatMessage,
    ChatMessageAssistant,
    ChatMessageTool,
    GenerateConfig,
    Model,
    ModelName,
    ModelOutput,
    ModelUsage,
    get_model,
)
from inspect_ai.scorer import Target
from inspect_ai.solver import TaskState
from inspect_ai.tool import ToolChoice, ToolDef, ToolInfo, ToolParams

from specgen.eval_run.book import spec_records
from specgen.eval_run.grading import RESPONSE_START
from specgen.eval_run.messages import tool_function
from specgen.eval_run.parts import content_text
from specgen.eval_run.run import run_eval
from specgen.eval_run.task import spec_eval
from specgen.eval_run.tools import declare_spec_tools
from tests.eval_helpers import ANSWER, SAMPLE_SPEC, output
from tests.versions_helpers import CORPUS, require_corpus

MODEL_SPEC = CORPUS / "2025-12-18" / "model_spec.md"
_RECORD = re.compile(r"^Record (\S+) \(example ", re.MULTILINE)


# -- what the record says --------------------------------------------------------------


def _arguments(text: str) -> dict[str, Any]:
    """A call's arguments as the spec writes them: a JSON object, or text."""
    try:
        value = json.loads(text)
    except ValueError:
        return {"input": text}
    return value if isinstance(value, dict) else {"input": text}


def _spec_calls(record: Mapping[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(function, recipient, arguments) of every message of the record sent to a tool:
    in its conversation (earlier judged turns included), then its judged answers."""
    sent = [
        item["answer"] if item["type"] == "judged" else item
        for item in record["conversation"]
        if item["type"] in ("message", "judged")
    ]
    return [
        (tool_function(m["recipient"]), m["recipient"], _arguments(content_text(m["content"])))
        for m in [*sent, *record["answers"]]
        if m.get("recipient")
    ]


def _expected_tools(record: Mapping[str, Any]) -> list[str]:
    return list(dict.fromkeys(function for function, _, _ in _spec_calls(record)))


# -- the tools each sample declares ----------------------------------------------------


def _schema(parameters: ToolParams) -> dict[str, Any]:
    """The JSON Schema providers are sent (inspect drops unset fields)."""
    return parameters.model_dump(exclude_none=True)


async def _not_generating(state: TaskState, **kwargs: Any) -> TaskState:
    raise AssertionError("declaring the tools must not generate")


def _declared(sample: Sample) -> list[ToolDef]:
    """The tools the task's first solver gives ``sample``."""
    assert isinstance(sample.input, list) and isinstance(sample.target, str)
    state = TaskState(
        model=ModelName("mockllm/model"),
        sample_id=sample.id or "",
        epoch=1,
        input=sample.input,
        messages=list(sample.input),
        target=Target(sample.target),
        metadata=sample.metadata,
    )
    solved = asyncio.run(declare_spec_tools()(state, _not_generating))
    assert solved.messages == sample.input  # the conversation is left as it is
    return [ToolDef(tool) for tool in solved.tools]


def _check_declared(source: Path) -> int:
    """Every record's sample declares exactly the tools the record sends messages to,
    each accepting every call of the spec to it; returns how many records use tools."""
    records = spec_records(source).records
    samples = list(spec_eval(spec=str(source)).dataset)
    assert [s.id for s in samples] == [r["id"] for r in records]
    with_tools = 0
    for sample, record in zip(samples, records, strict=True):
        declared = {tool.name: tool for tool in _declared(sample)}
        assert list(declared) == _expected_tools(record), record["id"]
        with_tools += bool(declared)
        for function, recipient, arguments in _spec_calls(record):
            tool = declared[function]
            schema = _schema(tool.parameters)
            jsonschema.validate(arguments, schema)  # raises when the spec's call is refused
            assert schema["required"] == [] and schema["additionalProperties"] is True
            assert set(arguments) <= set(schema["properties"])  # each one declared
            names = (recipient, function)  # the spec's name, or the one its calls carry
            assert any(tool.description.startswith(f'The spec\'s tool "{n}"') for n in names)
        assert isinstance(sample.input, list)
        calls = [
            c
            for m in sample.input
            if isinstance(m, ChatMessageAssistant)
            for c in m.tool_calls or []
        ]
        for call in calls:  # as the provider gets them
            jsonschema.validate(call.arguments, _schema(declared[call.function].parameters))
    return with_tools


def test_the_sample_spec_samples_declare_the_tools_they_use() -> None:
    assert _check_declared(SAMPLE_SPEC) == 9  # 7 in conversations, 2 only in judged answers


def test_the_model_spec_samples_declare_the_tools_they_use() -> None:
    require_corpus()
    # browser and file_reader called in conversations, ask_clarifying_question only by
    # a judged answer: every other record of the 2025-12-18 Model Spec declares none
    assert _check_declared(MODEL_SPEC) == 3


def test_a_declared_tool_says_only_where_it_comes_from() -> None:
    require_corpus()
    records = {r["id"]: r for r in spec_records(MODEL_SPEC).records}
    samples = {str(s.id): s for s in spec_eval(spec=str(MODEL_SPEC)).dataset}
    record_id = "developer-message-with-instructions-to-always-respond-with/1"
    assert not records[record_id]["conversation"][0].get("recipient")
    (tool,) = _declared(samples[record_id])
    assert tool.name == "ask_clarifying_question"
    assert tool.description == (
        'The spec\'s tool "functions.ask_clarifying_question", as this example of the spec '
        "names it."
    )
    assert _schema(tool.parameters) == {
        "type": "object",
        "properties": {
            "body": {
                "type": "string",
                "description": 'The argument "body", as the spec\'s calls to this tool pass it.',
            }
        },
        "required": [],
        "additionalProperties": True,
    }
    (browser,) = _declared(samples["malicious-instruction-from-tool-output/1"])
    assert _schema(browser.parameters)["properties"] == {
        "input": {"type": "string", "description": "The call's input, as text."}
    }


# -- a scripted run: tools offered, a reply that calls one, nothing run -----------------


def _calling_model(arguments: Mapping[str, Any], seen: dict[str, str]) -> Model:
    """Replies with a call to the first tool offered (text when none is), grades every
    response compliant and keeps each grading request by record id in ``seen``."""

    def reply(
        messages: list[ChatMessage], tools: list[ToolInfo], choice: ToolChoice, _: GenerateConfig
    ) -> ModelOutput:
        text = messages[-1].text
        found = _RECORD.search(text)
        if found is not None and RESPONSE_START in text:
            seen[found[1]] = text
            return output("VERDICT: compliant\nREASON: Scripted.")
        if not tools:
            return output(ANSWER)
        call = ModelOutput.for_tool_call("mockllm", tools[0].name, dict(arguments), content="")
        call.usage = ModelUsage(input_tokens=1, output_tokens=1, total_tokens=2)
        return call

    return get_model("mockllm/model", custom_outputs=reply)


def _model_events(sample: EvalSample) -> list[ModelEvent]:
    return [e for e in sample.events if isinstance(e, ModelEvent)]


def _run(
    tmp_path: Path, source: Path, sections: Sequence[str], arguments: Mapping[str, Any]
) -> tuple[dict[str, EvalSample], dict[str, str]]:
    seen: dict[str, str] = {}
    summary = run_eval(
        source,
        _calling_model(arguments, seen),
        sections=sections,
        log_dir=tmp_path,
        display="none",
    )
    assert summary.complete, summary
    log = read_eval_log(summary.log_path)
    return {str(s.id): s for s in log.samples or []}, seen


def test_a_reply_that_calls_a_tool_is_graded_and_nothing_runs(tmp_path: Path) -> None:
    records = {r["id"]: r for r in spec_records(SAMPLE_SPEC).records}
    arguments = {"flight": "NW318", "date": "today"}
    sections = ["minimise_data_requests", "treat_pasted_content_as_data", "match_length_to_need"]
    samples, seen = _run(tmp_path, SAMPLE_SPEC, sections, arguments)
    assert set(samples) == set(seen) and len(samples) == 8
    for record_id, sample in samples.items():
        expected = _expected_tools(records[record_id])
        asked, grading = _model_events(sample)  # the reply, then its grading
        assert [t.name for t in asked.tools] == expected, record_id
        assert grading.tools == []  # the grader is offered no tool
        assert not [e for e in sample.events if isinstance(e, ToolEvent)]  # nothing ran
        assert sample.error is None and sample.scores
        last = sample.messages[-1]
        assert isinstance(last, ChatMessageAssistant)
        assert len(sample.messages) == len(asked.input) + 1  # no tool result after the reply
        response = seen[record_id].split(RESPONSE_START)[1]
        if expected:
            assert last.tool_calls and last.tool_calls[0].function == expected[0]
            call = f"[call to the tool {expected[0]}: {json.dumps(arguments)}]"
            assert response.startswith(f"\n{call}\n"), response
        else:
            assert not last.tool_calls and response.startswith(f"\n{ANSWER}\n")
            assert not any(isinstance(m, ChatMessageTool) for m in sample.messages)
    # a tool named only by the spec's good answer (the conversation calls none)
    assert [t.name for t in _model_events(samples["status-needs-no-passport/1"])[0].tools] == [
        "flight_status"
    ]
    assert sum(bool(_expected_tools(records[r])) for r in samples) == 4


def test_a_call_is_graded_under_the_spec_s_tool_name(tmp_path: Path) -> None:
    require_corpus()
    record_id = "developer-message-with-instructions-to-always-respond-with/1"
    arguments = {"body": "Time or space efficiency?"}
    samples, seen = _run(tmp_path, MODEL_SPEC, ["support_programmatic_use"], arguments)
    (tool,) = _model_events(samples[record_id])[0].tools
    assert tool.name == "ask_clarifying_question"
    response = seen[record_id].split(RESPONSE_START)[1]
    assert response.startswith(
        '\n[call to the tool functions.ask_clarifying_question: {"body": "Time or space '
        'efficiency?"}]\n'
    )
    # the spec's good answer is shown to the grader as the same kind of call
    assert "(a call to the tool functions.ask_clarifying_question)" in seen[record_id]
    others = [s for rid, s in samples.items() if rid != record_id]
    assert others and all(not _model_events(s)[0].tools for s in others)
