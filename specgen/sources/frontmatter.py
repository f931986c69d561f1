"""Front matter: split it from the body and read it with ruamel.yaml, keeping positions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import ConstructorError
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent
from ruamel.yaml.nodes import MappingNode, SequenceNode
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

from specgen.diagnostics import Diagnostic
from specgen.model import Location
from specgen.sources import codes

MAX_YAML_DEPTH = 64


@dataclass(frozen=True, slots=True)
class SplitSource:
    yaml_text: str | None  # None when the file has no front matter
    yaml_first_line: int  # file line (1-based) of the first YAML line
    body: str
    body_first_line: int


def split(text: str, shown: str) -> tuple[SplitSource, list[Diagnostic]]:
    """Separate ``---`` front matter from the Markdown body."""
    if not (text.startswith("---\n") or text == "---"):
        return SplitSource(None, 1, text, 1), []
    lines = text.split("\n")
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            yaml_text = "\n".join(lines[1:i])
            body = "\n".join(lines[i + 1 :])
            return SplitSource(yaml_text, 2, body, i + 2), []
    diag = Diagnostic(
        codes.UNCLOSED_FRONT_MATTER,
        "front matter opened with '---' on line 1 is never closed",
        Location(shown, 1, 1),
    )
    # Keep the author's text: treat everything after the opening line as YAML only if
    # that parses; the caller decides. Here the body stays empty and YAML is absent.
    return SplitSource(None, 2, "", len(lines) + 1), [diag]


class _TooDeep(YAMLError):
    def __init__(self, mark: Any) -> None:
        super().__init__()
        self.mark = mark


class _AliasFound(YAMLError):
    def __init__(self, mark: Any) -> None:
        super().__init__()
        self.mark = mark


# Line breaks other than "\n" that libyaml also counts (YAML 1.1: CR, NEL, LS, PS).
_OTHER_BREAKS = ("\r", "\x85", "\u2028", "\u2029")
# _LONG_PREFIX[k]: a line starting with k or more characters of indentation or compact
# "- ", "? ", ": " indicators (as in "- - - x"), the run a block collection starts in.
_LONG_PREFIX = [re.compile(rf"\n[ \t?:-]{{{k}}}") for k in range(MAX_YAML_DEPTH // 2 + 1)]


def _may_be_too_deep(yaml_text: str) -> bool:
    """False when ``yaml_text`` surely nests no deeper than MAX_YAML_DEPTH; a few
    microseconds where composing takes hundreds.

    Every flow collection opens with a ``[`` or ``{``. A block collection starts within
    its line's run of indentation and indicators, and one nested in another starts at a
    greater column, except a sequence that is a mapping's value, which may share the
    mapping's column: if no run reaches ``k`` characters, block nesting is at most
    ``2 * k``. Brackets and indentation in scalars and comments only loosen the bound.
    """
    flow = yaml_text.count("[") + yaml_text.count("{")
    k = (MAX_YAML_DEPTH - flow) // 2
    if k <= 0:
        return True
    for brk in _OTHER_BREAKS:
        if brk in yaml_text:
            yaml_text = yaml_text.replace(brk, "\n")
    return _LONG_PREFIX[k].search("\n" + yaml_text) is not None


def _check_events(yaml: YAML, yaml_text: str) -> None:
    """Refuses aliases and collections nested deeper than MAX_YAML_DEPTH, before compose.

    Aliases add nothing to a spec and can blow up memory and time. Deep nesting makes
    ruamel.yaml.clib's composer recurse in C until the process dies (SIGSEGV) on input
    like 50,000 ``[``, so the depth is checked on the parse events, which libyaml
    produces without recursion, stopping as soon as the limit is crossed. Only text with
    a ``*`` can hold an alias and only text whose depth bound exceeds the limit can be
    too deep (see _may_be_too_deep), so the scan is rarely needed.
    """
    if "*" not in yaml_text and not _may_be_too_deep(yaml_text):
        return
    depth = 0
    events = yaml.parse(yaml_text)
    try:
        for event in events:
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    raise _TooDeep(event.start_mark)
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
            elif isinstance(event, AliasEvent):
                raise _AliasFound(event.start_mark)
    finally:
        events.close()  # disposes of the parser now, not when the traceback is freed


class _LineCol:
    """Positions (0-based) of a mapping's keys and values or a sequence's items, with the
    same interface as ruamel's round-trip ``lc`` so callers need not care which made it."""

    __slots__ = ("col", "data", "line")

    def __init__(self, line: int, col: int) -> None:
        self.line, self.col = line, col
        self.data: dict[Any, tuple[int, int, int, int]] = {}

    def key(self, k: Any) -> tuple[int, int]:
        data = self.data[k]
        return data[0], data[1]

    def value(self, k: Any) -> tuple[int, int]:
        data = self.data[k]
        return data[2], data[3]

    def item(self, index: int) -> tuple[int, int]:
        data = self.data[index]
        return data[0], data[1]


class LocatedMap(dict[Any, Any]):
    lc: _LineCol


class LocatedList(list[Any]):
    lc: _LineCol


class _DuplicateKey(YAMLError):
    def __init__(self, key: Any, mark: Any) -> None:
        super().__init__()
        self.key, self.mark = key, mark


def _make_yaml() -> YAML:
    # The "safe" loader with ruamel.yaml.clib's C parser composes about 30x faster than
    # the pure-Python round-trip loader; positions are taken from the nodes by _located.
    # Its composer recurses in C with no depth limit (max_depth only binds the pure one):
    # _check_events keeps deep input away from it.
    yaml = YAML(typ="safe", pure=False)
    yaml.max_depth = MAX_YAML_DEPTH
    return yaml


_YAML: YAML | None = None


def _yaml() -> YAML:
    global _YAML
    if _YAML is None:
        _YAML = _make_yaml()
    return _YAML


def _located(node: Any, constructor: Any, lenient: bool = False, depth: int = 0) -> Any:
    """Plain values from a composed node, with a ``lc`` on every mapping and sequence."""
    if depth > MAX_YAML_DEPTH:
        raise _TooDeep(node.start_mark)
    if isinstance(node, MappingNode):
        mapping = LocatedMap()
        mapping.lc = _LineCol(node.start_mark.line, node.start_mark.column)
        for key_node, value_node in node.value:
            key = _located(key_node, constructor, lenient, depth + 1)
            if not isinstance(key, str | int | float | bool) and key is not None:
                key = str(key)
            if key in mapping:
                raise _DuplicateKey(key, key_node.start_mark)
            mapping[key] = _located(value_node, constructor, lenient, depth + 1)
            mapping.lc.data[key] = (
                key_node.start_mark.line,
                key_node.start_mark.column,
                value_node.start_mark.line,
                value_node.start_mark.column,
            )
        return mapping
    if isinstance(node, SequenceNode):
        items = LocatedList()
        items.lc = _LineCol(node.start_mark.line, node.start_mark.column)
        for index, item in enumerate(node.value):
            items.append(_located(item, constructor, lenient, depth + 1))
            items.lc.data[index] = (item.start_mark.line, item.start_mark.column, 0, 0)
        return items
    try:
        value = constructor.construct_object(node, deep=True)
    except ConstructorError:
        if not lenient:
            raise
        value = str(node.value)  # e.g. mkdocs.yml's !!python/name: tags: not ours to read
    if isinstance(value, str) and node.style == "|":
        return LiteralScalarString(value)
    if isinstance(value, str) and node.style == ">":
        return FoldedScalarString(value)
    return value


def load_yaml(
    yaml_text: str, first_line: int, shown: str, lenient: bool = False
) -> tuple[Any, list[Diagnostic]]:
    """Parsed YAML (dicts and lists that carry ``lc`` positions) or None with a diagnostic."""
    yaml = _yaml()
    try:
        _check_events(yaml, yaml_text)
        node = yaml.compose(yaml_text)
        return (None if node is None else _located(node, yaml.constructor, lenient)), []
    except _DuplicateKey as exc:
        loc = _mark_location(exc.mark, first_line, shown)
        return None, [
            Diagnostic(codes.INVALID_YAML, f"invalid YAML: duplicate key {exc.key!r}", loc)
        ]
    except _TooDeep as exc:
        loc = _mark_location(exc.mark, first_line, shown)
        message = f"invalid YAML: nested deeper than {MAX_YAML_DEPTH} levels"
        return None, [Diagnostic(codes.INVALID_YAML, message, loc)]
    except _AliasFound as exc:
        loc = _mark_location(exc.mark, first_line, shown)
        return None, [Diagnostic(codes.YAML_ALIAS, "YAML aliases are not allowed", loc)]
    except ReaderError as exc:
        return None, [_reader_diagnostic(exc, yaml_text, first_line, shown)]
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = _mark_location(mark, first_line, shown)
        problem = exc.problem or exc.context or "invalid YAML"
        return None, [Diagnostic(codes.INVALID_YAML, f"invalid YAML: {problem}", loc)]
    except (YAMLError, RecursionError, ValueError, TypeError) as exc:
        loc = Location(shown, first_line, 1)
        return None, [Diagnostic(codes.INVALID_YAML, f"invalid YAML: {exc}", loc)]


def _reader_diagnostic(exc: ReaderError, yaml_text: str, first_line: int, shown: str) -> Diagnostic:
    """A character YAML does not allow (a control, say), located at it.

    The error's position counts bytes with the C parser and characters with the pure one,
    so the character is looked up: the first unacceptable character is the one reported.
    """
    char = chr(exc.character) if isinstance(exc.character, int) else None
    index = yaml_text.find(char) if char else -1
    if char is None or index < 0:
        loc = Location(shown, first_line, 1)
        return Diagnostic(codes.INVALID_YAML, f"invalid YAML: {exc}", loc)
    line = yaml_text.count("\n", 0, index)
    column = index - (yaml_text.rfind("\n", 0, index) + 1)
    message = f"invalid YAML: unacceptable character U+{ord(char):04X}: {exc.reason}"
    return Diagnostic(codes.INVALID_YAML, message, Location(shown, first_line + line, column + 1))


def _mark_location(mark: Any, first_line: int, shown: str) -> Location:
    if mark is None:
        return Location(shown, first_line, 1)
    return Location(shown, first_line + int(mark.line), int(mark.column) + 1)
