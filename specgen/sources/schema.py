"""Validates front matter against the JSON Schemas shipped in ``specgen/schema``.

Schema errors become located diagnostics: unknown key (with a did-you-mean), wrong
type, missing required key, invalid value, each at its line and column in the YAML.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator, Sequence
from functools import cache
from importlib import resources
from typing import Any

from specgen.diagnostics import Diagnostic
from specgen.model import Location
from specgen.sources import codes

SECTION_SCHEMA = "section.schema.json"
EVAL_SCHEMA = "eval-prompts.schema.json"
_BASE = "https://specgen.dev/schema/"


def schema_text(name: str) -> str:
    return resources.files("specgen").joinpath("schema", name).read_text("utf-8")


@cache
def _validator(name: str) -> Any:
    from jsonschema import Draft202012Validator  # heavy import: only for native sources
    from referencing import Registry, Resource

    schemas = {n: json.loads(schema_text(n)) for n in (SECTION_SCHEMA, EVAL_SCHEMA)}
    registry: Registry[Any] = Registry().with_resources(
        (_BASE + n, Resource.from_contents(s)) for n, s in schemas.items()
    )
    return Draft202012Validator(schemas[name], registry=registry)


def validate(data: Any, schema: str, first_line: int, shown: str) -> list[Diagnostic]:
    diags: list[Diagnostic] = []
    for error in _validator(schema).iter_errors(data):
        diags.extend(_to_diagnostics(error, data, first_line, shown))
    diags.sort(key=Diagnostic.sort_key)
    return diags


def _leaf_errors(error: Any) -> Iterator[Any]:
    # if/then/else and anyOf wrap the error that tells the author what to fix.
    if error.validator == "anyOf" and error.context:
        types = [e for e in error.context if e.validator == "type"]
        if len(types) == len(error.context):
            yield error
            return
        best = max(error.context, key=lambda e: len(e.absolute_path))
        yield from _leaf_errors(best)
        return
    yield error


def _to_diagnostics(error: Any, root: Any, first_line: int, shown: str) -> Iterator[Diagnostic]:
    for leaf in _leaf_errors(error):
        path = list(leaf.absolute_path)
        where = _path_text(path)
        kind = leaf.validator
        if kind == "additionalProperties":
            allowed = sorted(leaf.schema.get("properties", {}))
            for key in leaf.instance:
                if key in allowed:
                    continue
                hint = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
                suggestion = f"; did you mean '{hint[0]}'?" if hint else ""
                loc = _key_location(root, path, key, first_line, shown)
                yield Diagnostic(codes.UNKNOWN_KEY, f"unknown key '{key}'{where}{suggestion}", loc)
        elif kind == "required":
            missing = str(leaf.message).split("'")[1] if "'" in leaf.message else "?"
            loc = _node_location(root, path, first_line, shown)
            yield Diagnostic(codes.MISSING_KEY, f"missing required key '{missing}'{where}", loc)
        elif kind in ("type", "anyOf"):
            expected = _expected_type(leaf)
            got = _type_name(leaf.instance)
            loc = _node_location(root, path, first_line, shown)
            yield Diagnostic(
                codes.WRONG_TYPE, f"'{_last(path)}' must be {expected}, not {got}", loc
            )
        else:
            loc = _node_location(root, path, first_line, shown)
            yield Diagnostic(codes.INVALID_VALUE, _value_message(leaf, path), loc)


def _expected_type(error: Any) -> str:
    if error.validator == "anyOf":
        names = [_article(e.validator_value) for e in error.context]
        return " or ".join(names)
    value = error.validator_value
    if isinstance(value, list):
        return " or ".join(_article(v) for v in value)
    return _article(value)


def _article(type_name: Any) -> str:
    names = {
        "string": "a string",
        "array": "a list",
        "object": "a mapping",
        "boolean": "true or false",
        "integer": "an integer",
        "number": "a number",
    }
    return names.get(str(type_name), str(type_name))


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "empty"
    if isinstance(value, int | float):
        return "a number"
    return type(value).__name__


def _value_message(error: Any, path: Sequence[Any]) -> str:
    name = _last(path)
    if error.validator == "minLength":
        return f"'{name}' must not be empty"
    if error.validator == "minItems":
        return f"'{name}' must not be empty"
    if error.validator == "const":
        return f"'{name}' must be {json.dumps(error.validator_value)}"
    if error.validator == "enum":
        allowed = ", ".join(json.dumps(v) for v in error.validator_value)
        return f"'{name}' must be one of {allowed}"
    if error.validator == "oneOf":
        return (
            f"content part{_path_text(list(path))} must hold exactly one of "
            "'text', 'untrusted' or 'attachment' (with an optional 'caption')"
        )
    return f"invalid value{_path_text(list(path))}: {error.message}"


def _last(path: Sequence[Any]) -> str:
    for item in reversed(path):
        if isinstance(item, str):
            return item
    return "value"


def _path_text(path: Sequence[Any]) -> str:
    if not path:
        return ""
    text = ""
    for item in path:
        text += f"[{item}]" if isinstance(item, int) else (f".{item}" if text else str(item))
    return f" in {text}"


def _walk(root: Any, path: Sequence[Any]) -> tuple[Any, Any, Any]:
    """The container holding the last path item, that item, and the node itself."""
    parent: Any = None
    node = root
    key: Any = None
    for item in path:
        parent, key = node, item
        try:
            node = node[item]
        except (KeyError, IndexError, TypeError):
            break
    return parent, key, node


def _key_location(root: Any, path: Sequence[Any], key: Any, first: int, shown: str) -> Location:
    _, _, node = _walk(root, path)
    try:
        line, col = node.lc.key(key)
        return Location(shown, first + line, col + 1)
    except (AttributeError, KeyError, TypeError):
        return _node_location(root, path, first, shown)


def _node_location(root: Any, path: Sequence[Any], first: int, shown: str) -> Location:
    parent, key, _ = _walk(root, path)
    try:
        if parent is None:
            return Location(shown, first, 1)
        if isinstance(key, int):
            line, col = parent.lc.item(key)
        else:
            line, col = parent.lc.value(key)
        return Location(shown, first + line, col + 1)
    except (AttributeError, KeyError, TypeError, IndexError):
        return Location(shown, first, 1)
