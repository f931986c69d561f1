"""The spec's tools a sample uses, declared to the model under test: never run.

A conversation that calls a tool needs that tool declared (providers refuse tool calls
in a history without it: Anthropic's tool_use blocks need ``tools``), and the model
under test must be able to answer with a call, as the spec's judged answers do. So each
tool a sample's calls or judged answers name is declared, with a permissive schema: the
arguments the spec's calls pass (types as written), none required, any other allowed.
The spec does not say what a tool does, so the description says only where it comes
from. The task generates with ``tool_calls="none"``: the reply, a call included, is the
response graded, and a tool is never run (one that were would raise).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from inspect_ai.model import ChatMessage, ChatMessageAssistant
from inspect_ai.solver import Generate, Solver, TaskState, solver
from inspect_ai.tool import Tool, ToolDef, ToolParams
from inspect_ai.util import JSONSchema, JSONType

from specgen.eval_run.messages import call_arguments, tool_function
from specgen.eval_run.parts import content_text

INPUT = "input"  # the one argument of a call whose text is not a JSON object


class SpecToolRun(RuntimeError):
    """A declared spec tool was run: the task must generate with tool_calls="none"."""


@dataclass(slots=True)
class _Tool:
    name: str  # the function name providers see
    spec_name: str  # as the spec writes it (the recipient)
    types: dict[str, list[JSONType]] = field(default_factory=dict)  # argument -> types seen


def sample_tools(messages: Sequence[ChatMessage], target: str) -> list[Tool]:
    """The tools of a sample: those its input messages call, then those its judged
    answers (the JSON of ``target``, as the task writes it) are sent to."""
    calls = [
        (call.function, call.function, call.arguments)
        for message in messages
        if isinstance(message, ChatMessageAssistant)
        for call in message.tool_calls or []
    ]
    return declared_tools([*calls, *answer_calls(_answers(target))])


def answer_calls(answers: Iterable[Mapping[str, Any]]) -> list[tuple[str, str, dict[str, Any]]]:
    """(function, spec name, arguments) of each answer sent to a tool."""
    return [
        (tool_function(str(a["recipient"])), str(a["recipient"]), _answer_arguments(a))
        for a in answers
        if a.get("recipient")
    ]


def declared_tools(calls: Iterable[tuple[str, str, Mapping[str, Any]]]) -> list[Tool]:
    """One tool per function called, in the order first called, accepting every call."""
    tools: dict[str, _Tool] = {}
    for function, spec_name, arguments in calls:
        tool = tools.setdefault(function, _Tool(function, spec_name))
        for key, value in arguments.items():
            seen = tool.types.setdefault(key, [])
            kind = _json_type(value)
            if kind not in seen:
                seen.append(kind)
    return [_declare(tool) for tool in tools.values()]


def spec_tool_names(record: Mapping[str, Any]) -> dict[str, str]:
    """function name -> the spec's name, for every tool ``record`` sends a message to."""
    answers: list[Mapping[str, Any]] = list(record.get("answers") or [])
    for item in record.get("conversation") or []:
        answers.append((item.get("answer") or {}) if item.get("type") == "judged" else item)
    names: dict[str, str] = {}
    for function, spec_name, _ in answer_calls(answers):
        names.setdefault(function, spec_name)
    return names


@solver
def declare_spec_tools() -> Solver:
    """Declare the tools the sample's conversation and judged answers use (none when
    it uses none: the sample is left as it is)."""

    async def solve(state: TaskState, generate: Generate) -> TaskState:
        tools = sample_tools(state.messages, state.target.text)
        if tools:
            state.tools = tools
        return state

    return solve


def _answers(target: str) -> list[Mapping[str, Any]]:
    try:
        answers = json.loads(target) if target else []
    except ValueError:
        return []  # not the task's target: no answers to read tools from
    return [a for a in answers if isinstance(a, dict)] if isinstance(answers, list) else []


def _answer_arguments(answer: Mapping[str, Any]) -> dict[str, Any]:
    return call_arguments(content_text(answer.get("content") or []))


def _json_type(value: Any) -> JSONType:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"


def _declare(tool: _Tool) -> Tool:
    properties = {key: _schema(types) for key, types in tool.types.items()}
    if not properties:  # a call with no arguments: still a named parameter to pass text
        properties[INPUT] = JSONSchema(type="string")
    for key, schema in properties.items():  # inspect requires a description of each
        schema.description = (
            "The call's input, as text."
            if key == INPUT
            else f'The argument "{key}", as the spec\'s calls to this tool pass it.'
        )
    return ToolDef(
        _never_run(tool.name),
        name=tool.name,
        description=f'The spec\'s tool "{tool.spec_name}", as this example of the spec names it.',
        parameters=ToolParams(properties=properties, required=[], additionalProperties=True),
    ).as_tool()


def _schema(types: list[JSONType]) -> JSONSchema:
    if {"integer", "number"} <= set(types):
        types = [t for t in types if t != "integer"]
    return JSONSchema(
        type=types[0] if len(types) == 1 else types,
        # providers (OpenAI) refuse an array without "items": any item
        items=JSONSchema() if "array" in types else None,
    )


def _never_run(name: str) -> Tool:
    async def run(**arguments: Any) -> str:
        raise SpecToolRun(f"the spec's tool {name} is declared to the model, never run")

    return run
