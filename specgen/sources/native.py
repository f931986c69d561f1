"""Reads a native spec: a folder of Markdown files with YAML front matter.

One section is one file; a section with sub-sections is a folder whose ``index.md`` is
the section itself. Siblings are ordered by the number their name starts with
(``10-overview.md``, ``20-safety/``); names without a number follow, alphabetically.
Names starting with ``_`` or ``.`` are ignored; ``eval-prompts/`` at the top holds the
eval prompt sets and the top ``index.md`` is the spec's front page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from specgen.diagnostics import Diagnostic
from specgen.mdit import extract_references
from specgen.model import (
    EvalPromptSet,
    Location,
    Markdown,
    Reference,
    Section,
)
from specgen.sources import codes
from specgen.sources.files import read_text
from specgen.sources.frontmatter import load_yaml, split
from specgen.sources.paths import shown_path
from specgen.sources.schema import EVAL_SCHEMA, SECTION_SCHEMA, validate
from specgen.sources.yamlnodes import YamlSource, build_examples, strings

MAX_DEPTH = 12
_ORDER = re.compile(r"^(\d+)[-_. ]")
INDEX = "index.md"


@dataclass
class NativeLoad:
    sections: list[Section] = field(default_factory=list)
    eval_sets: list[EvalPromptSet] = field(default_factory=list)
    home: Markdown | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # shown path -> text, for output


def order_key(path: Path) -> tuple[int, str]:
    match = _ORDER.match(path.name)
    return (int(match.group(1)) if match else 1 << 62, path.name)


def fallback_id(path: Path) -> str:
    stem = path.parent.name if path.name == INDEX else path.stem
    return _ORDER.sub("", stem) or stem


class NativeReader:
    def __init__(self, eval_dir: str) -> None:
        self.eval_dir = eval_dir
        self.result = NativeLoad()

    def read(self, root: Path) -> NativeLoad:
        if root.is_file():
            section = self._section_file(root)
            if section is not None:
                self.result.sections.append(section)
            return self.result
        home = root / INDEX
        if home.is_file():
            self.result.home = self._home(home)
        self.result.sections = self._children(root, 0, {root.resolve()})
        evals = root / self.eval_dir
        if evals.is_dir():
            self.result.eval_sets = self._eval_sets(evals)
        return self.result

    # -- tree -----------------------------------------------------------------------

    def _entries(self, folder: Path, top: bool) -> list[Path]:
        try:
            entries = list(folder.iterdir())
        except OSError as exc:
            self._report(codes.UNREADABLE_FILE, f"cannot list folder: {exc.strerror}", folder)
            return []
        keep = []
        for entry in entries:
            if entry.name.startswith(("_", ".")) or entry.name == INDEX:
                continue
            if top and entry.name == self.eval_dir:
                continue
            if entry.is_dir() or entry.suffix == ".md":
                keep.append(entry)
        return sorted(keep, key=order_key)

    def _children(self, folder: Path, depth: int, seen: set[Path]) -> list[Section]:
        sections: list[Section] = []
        for entry in self._entries(folder, top=depth == 0):
            if entry.is_dir():
                sections.extend(self._folder(entry, depth + 1, seen))
            else:
                section = self._section_file(entry)
                if section is not None:
                    sections.append(section)
        return sections

    def _folder(self, folder: Path, depth: int, seen: set[Path]) -> list[Section]:
        real = folder.resolve()
        if real in seen:
            self._report(
                codes.NESTING_TOO_DEEP, "circular nesting: folder links back to a parent", folder
            )
            return []
        if depth > MAX_DEPTH:
            self._report(
                codes.NESTING_TOO_DEEP,
                f"sections nested deeper than {MAX_DEPTH} levels are not read",
                folder,
            )
            return []
        children = self._children(folder, depth, seen | {real})
        index = folder / INDEX
        if not index.exists():
            self._report(
                codes.FOLDER_WITHOUT_INDEX,
                f"folder '{folder.name}' has no {INDEX}: its sections are read as siblings",
                folder,
            )
            return children
        section = self._section_file(index, children)
        return [section] if section is not None else children

    def _report(self, code: str, message: str, path: Path) -> None:
        self.result.diagnostics.append(Diagnostic(code, message, Location(shown_path(path))))

    # -- files ----------------------------------------------------------------------

    def _read(self, path: Path, schema: str) -> tuple[Any, YamlSource, Markdown, bool] | None:
        """Front matter, its source, the body, and whether the front matter was read."""
        shown = shown_path(path)
        text, diags = read_text(path, shown)
        self.result.diagnostics.extend(diags)
        if text is None:
            return None
        self.result.texts[shown] = text
        parts, diags = split(text, shown)
        self.result.diagnostics.extend(diags)
        if diags:  # front matter never closed: nothing after line 1 can be trusted
            return None
        data: Any = None
        complete = True
        src = YamlSource(shown, parts.yaml_first_line, text.split("\n"))
        if parts.yaml_text is not None:
            data, diags = load_yaml(parts.yaml_text, parts.yaml_first_line, shown)
            self.result.diagnostics.extend(diags)
            complete = not diags
            if data is not None:
                self.result.diagnostics.extend(validate(data, schema, parts.yaml_first_line, shown))
        elif schema == SECTION_SCHEMA:
            self.result.diagnostics.append(
                Diagnostic(
                    codes.MISSING_KEY, "section has no front matter (id, title)", Location(shown)
                )
            )
        body = Markdown(parts.body, Location(shown, parts.body_first_line, 1))
        return (data if isinstance(data, dict) else {}), src, body, complete

    def _section_file(self, path: Path, children: list[Section] | None = None) -> Section | None:
        read = self._read(path, SECTION_SCHEMA)
        if read is None:
            return None
        data, src, body, complete = read
        section_id = data.get("id") if isinstance(data.get("id"), str) else fallback_id(path)
        title = data.get("title") if isinstance(data.get("title"), str) else section_id
        examples = build_examples(src, data.get("examples"))
        references: list[Reference] = list(extract_references(body))
        for example in examples:
            references.extend(extract_references(example.caption, src.lines))
            for answer_set in example.answer_sets:
                for answer in answer_set.answers:
                    if answer.comment is not None:
                        references.extend(extract_references(answer.comment, src.lines))
        authority = data.get("authority") if isinstance(data.get("authority"), str) else None
        return Section(
            id=section_id,
            title=title,
            loc=src.value_loc(data, "id") if "id" in data else Location(src.shown),
            body=body,
            authority=authority,
            authority_loc=src.value_loc(data, "authority") if authority is not None else None,
            informative=data.get("informative") is True,
            tags=strings(data, "tags"),
            examples=tuple(examples),
            children=tuple(children or ()),
            references=tuple(references),
            former_ids=strings(data, "former_ids"),
            incomplete=not complete,
        )

    def _home(self, path: Path) -> Markdown | None:
        shown = shown_path(path)
        text, diags = read_text(path, shown)
        self.result.diagnostics.extend(diags)
        if text is None:
            return None
        self.result.texts[shown] = text
        parts, diags = split(text, shown)
        self.result.diagnostics.extend(diags)
        return Markdown(parts.body, Location(shown, parts.body_first_line, 1))

    def _eval_sets(self, folder: Path) -> list[EvalPromptSet]:
        sets = []
        for path in sorted(folder.glob("*.md")):
            read = self._read(path, EVAL_SCHEMA)
            if read is None:
                continue
            data, src, body, _ = read
            title = data.get("title") if isinstance(data.get("title"), str) else ""
            sets.append(
                EvalPromptSet(
                    id=path.stem,
                    title=title,
                    loc=Location(src.shown),
                    body=body,
                    prompts=tuple(build_examples(src, data.get("prompts"))),
                )
            )
        return sets
