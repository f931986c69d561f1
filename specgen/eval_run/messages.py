"""A record's conversation as inspect chat messages: the input of the model under test.

inspect has no developer role, so a developer message becomes a system message that
says it is one. An assistant message sent to a tool becomes a tool call, and the tool's
reply a tool message answering it; a tool reply with no call before it (the call was
left out) is passed as a user message that says what it is, since providers refuse an
unanswered tool result.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from inspect_ai.model import (
    ChatMessage,
    ChatMessageAssistant,
    ChatMessageSystem,
    ChatMessageTool,
    ChatMessageUser,
)
from inspect_ai.tool import ToolCall

from specgen.eval_run.parts import ELISION_NOTE, content_text

DEVELOPER_MARKER = "[developer message]"
_NOT_IN_NAME = re.compile(r"[^A-Za-z0-9_-]")


def tool_function(recipient: str) -> str:
    """A recipient as a function name providers accept: "functions.lookup" (the OpenAI
    Model Spec's namespace) is "lookup"; other characters become "_"."""
    name = recipient.removeprefix("functions.")
    return _NOT_IN_NAME.sub("_", name) or "tool"


def chat_messages(conversation: Sequence[Mapping[str, Any]]) -> list[ChatMessage]:
    messages: list[ChatMessage] = []
    open_calls: list[ToolCall] = []  # calls not answered yet, oldest first
    for item in conversation:
        kind = item.get("type")
        if kind == "elision":
            messages.append(ChatMessageUser(content=ELISION_NOTE))
        elif kind == "judged":
            messages.append(_assistant(item.get("answer") or {}, len(messages), open_calls))
        elif kind == "message":
            messages.append(_message(item, len(messages), open_calls))
        # "unparsed": source text the reader could not place, not part of the talk
    return messages


def _message(item: Mapping[str, Any], index: int, open_calls: list[ToolCall]) -> ChatMessage:
    role = item.get("role")
    text = _with_settings(content_text(item.get("content") or []), item.get("settings") or [])
    if role == "system":
        return ChatMessageSystem(content=text)
    if role == "developer":
        return ChatMessageSystem(content=f"{DEVELOPER_MARKER}\n{text}")
    if role == "assistant":
        return _assistant(item, index, open_calls)
    if role == "tool":
        name = str(item.get("name") or "")
        call = _answered_call(open_calls, tool_function(name) if name else None)
        if call is not None:
            return ChatMessageTool(content=text, tool_call_id=call.id, function=call.function)
        return ChatMessageUser(content=f"[result of the tool {name or '(unnamed)'}]\n{text}")
    return ChatMessageUser(content=text)  # user, or a role the spec made up


def _assistant(
    item: Mapping[str, Any], index: int, open_calls: list[ToolCall]
) -> ChatMessageAssistant:
    text = content_text(item.get("content") or [])
    recipient = item.get("recipient")
    if not recipient:
        return ChatMessageAssistant(content=text)
    call = ToolCall(
        id=f"call_{index + 1}",
        function=tool_function(str(recipient)),
        arguments=call_arguments(text),
    )
    open_calls.append(call)
    return ChatMessageAssistant(content="", tool_calls=[call])


def call_arguments(text: str) -> dict[str, Any]:
    """A call's arguments: a JSON object as written; any other text as its one "input"."""
    try:
        value = json.loads(text)
    except ValueError:
        return {"input": text}
    return value if isinstance(value, dict) else {"input": text}


def _answered_call(open_calls: list[ToolCall], function: str | None) -> ToolCall | None:
    """The oldest open call to ``function`` (any, when the tool has no name), now closed."""
    for call in open_calls:
        if function is None or call.function == function:
            open_calls.remove(call)
            return call
    return None


def _with_settings(text: str, settings: Sequence[str]) -> str:
    return f"[settings: {', '.join(settings)}]\n{text}" if settings else text
