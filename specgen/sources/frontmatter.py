"""Front matter: split it from the body and read it with ruamel.yaml, keeping positions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent

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


class _AliasFound(YAMLError):
    def __init__(self, mark: Any) -> None:
        super().__init__()
        self.mark = mark


class _NoAliasComposer(Composer):
    """Refuses aliases: they add nothing to a spec and can blow up memory and time."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.parser.check_event(AliasEvent):
            raise _AliasFound(self.parser.peek_event().start_mark)
        return super().compose_node(parent, index)


def _make_yaml() -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.Composer = _NoAliasComposer
    yaml.max_depth = MAX_YAML_DEPTH
    return yaml


def load_yaml(yaml_text: str, first_line: int, shown: str) -> tuple[Any, list[Diagnostic]]:
    """Parsed YAML (ruamel CommentedMap etc.) or None with a located diagnostic."""
    try:
        return _make_yaml().load(yaml_text), []
    except _AliasFound as exc:
        loc = _mark_location(exc.mark, first_line, shown)
        return None, [Diagnostic(codes.YAML_ALIAS, "YAML aliases are not allowed", loc)]
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = _mark_location(mark, first_line, shown)
        problem = exc.problem or exc.context or "invalid YAML"
        return None, [Diagnostic(codes.INVALID_YAML, f"invalid YAML: {problem}", loc)]
    except (YAMLError, RecursionError, ValueError, TypeError) as exc:
        loc = Location(shown, first_line, 1)
        return None, [Diagnostic(codes.INVALID_YAML, f"invalid YAML: {exc}", loc)]


def _mark_location(mark: Any, first_line: int, shown: str) -> Location:
    if mark is None:
        return Location(shown, first_line, 1)
    return Location(shown, first_line + int(mark.line), int(mark.column) + 1)
