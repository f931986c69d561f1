"""YAML output that reads back exactly, for front matter and mkdocs.yml.

A small emitter for the data writers produce (mappings, lists, strings, booleans,
numbers): multi-line strings become literal block scalars (``|-``) so Markdown stays
readable, simple strings stay plain, and anything else is written as a JSON string,
which is a valid YAML double-quoted scalar for any text. Every dump is read back with
the loader the native reader uses; a string that did not survive unchanged is written
again double-quoted. (ruamel.yaml's own emitter is pure Python and made importing a
large spec several times slower; the read-back check keeps this one honest.)
"""

from __future__ import annotations

import json
import re
from typing import Any

from specgen.sources.frontmatter import load_yaml

_INDENT = "  "
KeyPath = tuple[str | int, ...]
# Text YAML would read as something else, or that is ambiguous to YAML 1.1 tools.
_SPECIAL = re.compile(
    r"^(?:y|yes|n|no|on|off|true|false|null|~|[-+.]?[0-9].*|\.(?:inf|nan))$", re.IGNORECASE
)
_PLAIN = re.compile(r"^[A-Za-z(][^\x00-\x1f\x7f\x85\u2028\u2029\ufeff]*$")
_BLOCK_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029\ufeff]")


class WriteError(Exception):
    """A writer refused: a file already exists, or a value cannot be written."""


class FlowList(list[Any]):
    """A list written in flow style: ``tags: [a, b]``."""


def _plain_ok(value: str) -> bool:
    return (
        _PLAIN.match(value) is not None
        and _SPECIAL.match(value) is None
        and value == value.strip()
        and ": " not in value
        and " #" not in value
        and not value.endswith(":")
        and "\t" not in value
    )


def _block_ok(value: str) -> bool:
    """Whether a literal block holds ``value`` exactly: no line that is only spaces (YAML
    folds those into blank lines), nothing a block cannot carry."""
    lines = value.split("\n")
    return (
        len(lines) > 1
        and bool(lines[0].strip())
        and bool(lines[-1].strip())
        and all(line.strip() or not line for line in lines)
        and _BLOCK_UNSAFE.search(value) is None
    )


def _scalar(
    value: Any, indent: str, path: KeyPath, quoted: set[KeyPath], block: bool, flow: bool = False
) -> str:
    """The text after ``key:`` or ``-`` (with its leading space or newline)."""
    if value is None:
        return " null"
    if isinstance(value, bool):
        return " true" if value else " false"
    if isinstance(value, int | float):
        return f" {value!r}"
    text = str(value)
    if (
        path not in quoted
        and not flow
        and (
            _block_ok(text)
            or (
                block
                and text
                and "\n" not in text
                and not _plain_ok(text)
                and text == text.strip()
                and _BLOCK_UNSAFE.search(text) is None
                and not text.startswith(("#", "'", '"'))
            )
        )
    ):
        first = next((line for line in text.split("\n") if line.strip()), "")
        # An indentation indicator when the first line starts with a space.
        indicator = str(len(_INDENT)) if first[:1] == " " else ""
        body = "\n".join((indent + _INDENT + line) if line else "" for line in text.split("\n"))
        return f" |{indicator}-\n{body}"
    if path not in quoted and _plain_ok(text):
        return f" {text}"
    return " " + json.dumps(text, ensure_ascii=False)


def _emit(
    value: Any,
    indent: str,
    path: KeyPath,
    quoted: set[KeyPath],
    blocks: frozenset[str],
    out: list[str],
) -> None:
    """Lines for a mapping or list ``value`` at ``indent``."""
    if isinstance(value, dict):
        for key, item in value.items():
            _entry(f"{indent}{key}:", item, indent, (*path, key), quoted, blocks, out)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _entry(f"{indent}-", item, indent, (*path, index), quoted, blocks, out)


def _entry(
    head: str,
    item: Any,
    indent: str,
    path: KeyPath,
    quoted: set[KeyPath],
    blocks: frozenset[str],
    out: list[str],
) -> None:
    inner = indent + _INDENT
    if isinstance(item, FlowList):
        parts = [
            _scalar(v, inner, (*path, i), quoted, False, flow=True).strip()
            for i, v in enumerate(item)
        ]
        out.append(f"{head} [{', '.join(parts)}]")
    elif isinstance(item, dict) and item and head.endswith("-"):
        # "- key: value" with the rest of the mapping aligned under the first key.
        lines: list[str] = []
        _emit(item, inner, path, quoted, blocks, lines)
        out.append(head + " " + lines[0][len(inner) :])
        out.extend(lines[1:])
    elif isinstance(item, dict | list) and item:
        out.append(head)
        _emit(item, inner, path, quoted, blocks, out)
    elif isinstance(item, dict):
        out.append(f"{head} {{}}")
    elif isinstance(item, list):
        out.append(f"{head} []")
    else:
        key = path[-1] if path else ""
        out.append(head + _scalar(item, indent, path, quoted, key in blocks))


def _dump_once(data: dict[str, Any], quoted: set[KeyPath], blocks: frozenset[str]) -> str:
    out: list[str] = []
    _emit(data, "", (), quoted, blocks, out)
    return "\n".join(out) + "\n"


def _mismatches(expected: Any, loaded: Any, path: KeyPath, out: list[KeyPath]) -> None:
    if isinstance(expected, dict):
        if not isinstance(loaded, dict) or list(loaded) != list(expected):
            raise WriteError(f"YAML mapping at {_show(path)} did not read back")
        for key, item in expected.items():
            _mismatches(item, loaded[key], (*path, key), out)
    elif isinstance(expected, list):
        if not isinstance(loaded, list) or len(loaded) != len(expected):
            raise WriteError(f"YAML list at {_show(path)} did not read back")
        for i, item in enumerate(expected):
            _mismatches(item, loaded[i], (*path, i), out)
    elif isinstance(expected, str):
        if not isinstance(loaded, str) or str(loaded) != expected:
            out.append(path)
    elif type(loaded) is not type(expected) or loaded != expected:
        raise WriteError(f"YAML value at {_show(path)} did not read back")


def _show(path: KeyPath) -> str:
    return ".".join(str(p) for p in path) or "top"


def dump_yaml(
    data: dict[str, Any], front_matter: bool = False, blocks: frozenset[str] = frozenset()
) -> str:
    """YAML text for ``data`` (dicts, lists, ``FlowList``, str, bool, int) that specgen's
    loader reads back to exactly ``data``.

    Multi-line strings are literal blocks; so are one-line strings under a key in
    ``blocks`` (message text) that could not be written unquoted. With ``front_matter``,
    the text never holds a line a front matter splitter would take for the closing ``---``.
    """
    quoted: set[KeyPath] = set()
    for _ in range(2):
        text = _dump_once(data, quoted, blocks)
        loaded, diags = load_yaml(text, 1, "<output>")
        if diags:
            raise WriteError(f"written YAML does not parse: {diags[0].message}")
        bad: list[KeyPath] = []
        _mismatches(data, loaded, (), bad)
        if front_matter and any(line.rstrip() in ("---", "...") for line in text.split("\n")):
            raise WriteError("front matter would hold a line '---' or '...'")
        if not bad:
            return text
        quoted.update(bad)
    raise WriteError(f"string at {_show(bad[0])} cannot be written exactly in YAML")
