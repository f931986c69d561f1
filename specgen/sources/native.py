"""Reads a native spec: a folder of Markdown files with YAML front matter.

One section is one file; a section with sub-sections is a folder whose ``index.md`` is
the section itself. Siblings are ordered by the number their name starts with
(``10-overview.md``, ``20-safety/``); names without a number follow, alphabetically.
Names starting with ``_`` or ``.`` are ignored; ``eval-prompts/`` at the top holds the
eval prompt sets and the top ``index.md`` is the spec's front page.
"""

from __future__ import annotations

import os
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
from specgen.sources import codes, links
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


def _is_link(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink()
    except OSError:
        return False


def fallback_id(path: Path) -> str:
    stem = path.parent.name if path.name == INDEX else path.stem
    return _ORDER.sub("", stem) or stem


@dataclass
class _Listing:
    """What one folder holds for the reader, links out of the project already left out."""

    entries: list[tuple[Path, str | None]] = field(default_factory=list)  # (path, real
    # path when a folder, else None), in reading order
    index: Path | None = None
    index_refused: bool = False  # index.md is a link out of the project (reported)


class NativeReader:
    """Reads a native spec; ``boundary`` is the project folder (mkdocs.yml's folder,
    else the spec folder): links that lead outside it are reported (SG009), not read.
    The caller (``specgen.sources.load``) has checked ``root`` itself."""

    def __init__(self, eval_dir: str, boundary: Path) -> None:
        self.eval_dir = eval_dir
        self.boundary = boundary
        self.base = links.real(boundary)  # resolved once: every link is checked against it
        self.result = NativeLoad()

    def read(self, root: Path) -> NativeLoad:
        if root.is_file():
            section = self._section_file(root)
            if section is not None:
                self.result.sections.append(section)
            return self.result
        real = links.real(root)
        listing = self._list(root, real, top=True)
        if listing.index is not None and listing.index.is_file():
            self.result.home = self._home(listing.index)
        self.result.sections = self._sections(listing, 0, {real})
        evals = root / self.eval_dir
        if os.path.lexists(evals) and not self._refused(evals) and evals.is_dir():
            self.result.eval_sets = self._eval_sets(evals)
        return self.result

    # -- one file again ---------------------------------------------------------------

    def reread_section(self, path: Path, children: tuple[Section, ...] = ()) -> Section | None:
        """One section file read again on its own, as ``read`` reads it (``specgen
        serve`` after an edit), ``children`` being its sub-sections when it is a folder's
        index.md. None when it cannot be read; what reading it reported and its text are
        in ``self.result`` (``diagnostics``, ``texts``)."""
        return self._section_file(path, list(children))

    def reread_eval_set(self, path: Path) -> EvalPromptSet | None:
        """One eval prompt set file read again on its own (see ``reread_section``)."""
        return self._eval_set(path)

    def reread_home(self, path: Path) -> Markdown | None:
        """The front page (the top ``index.md``) read again on its own."""
        return self._home(path)

    # -- tree -----------------------------------------------------------------------

    def _list(self, folder: Path, real: str, top: bool) -> _Listing:
        """One scandir per folder: only links cost a ``realpath``, other entries no stat
        (their real path is the folder's plus their name)."""
        listing = _Listing()
        try:
            with os.scandir(folder) as scan:
                found = list(scan)
        except OSError as exc:
            self._report(codes.UNREADABLE_FILE, f"cannot list folder: {exc.strerror}", folder)
            return listing
        keep: list[tuple[Path, str | None]] = []
        for entry in found:
            name = entry.name
            if name.startswith(".") or (top and name == self.eval_dir):  # read by read()
                continue
            path = folder / name
            link = _is_link(entry)
            if link and self._refused(path):
                if name == INDEX:
                    listing.index_refused = True
                continue
            is_dir = links.is_dir_entry(entry)  # a link here stays in the project
            if name.startswith("_"):
                if is_dir:  # not a section, but MkDocs copies what it holds into the site
                    self._sweep(path)
                continue
            if name == INDEX:
                listing.index = path
            elif is_dir:
                keep.append((path, links.real(path) if link else os.path.join(real, name)))
            elif name.endswith(".md"):
                keep.append((path, None))
        listing.entries = sorted(keep, key=lambda item: order_key(item[0]))
        return listing

    def _sections(self, listing: _Listing, depth: int, seen: set[str]) -> list[Section]:
        sections: list[Section] = []
        for path, path_real in listing.entries:
            if path_real is not None:
                sections.extend(self._folder(path, path_real, depth + 1, seen))
            else:
                section = self._section_file(path)
                if section is not None:
                    sections.append(section)
        return sections

    def _folder(self, folder: Path, real: str, depth: int, seen: set[str]) -> list[Section]:
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
            self._sweep(folder)  # not read, but MkDocs would still copy its files
            return []
        listing = self._list(folder, real, top=False)
        children = self._sections(listing, depth, seen | {real})
        if listing.index is None:
            if not listing.index_refused:
                self._report(
                    codes.FOLDER_WITHOUT_INDEX,
                    f"folder '{folder.name}' has no {INDEX}: its sections are read as siblings",
                    folder,
                )
            return children
        section = self._section_file(listing.index, children)
        return [section] if section is not None else children

    def _refused(self, path: Path) -> bool:
        """Whether ``path`` leads outside the project; if so it is reported."""
        target = links.real(path)
        if links.within(target, self.base):
            return False
        self._report(codes.SYMLINK_OUTSIDE, links.MESSAGE.format(target=target), path)
        return True

    def _sweep(self, folder: Path) -> None:
        """Report the links out of the project anywhere under a folder not read."""
        for link, target in links.escaping_links(folder, self.boundary):
            self._report(codes.SYMLINK_OUTSIDE, links.MESSAGE.format(target=target), link)

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
            source=self.result.texts.get(src.shown, ""),
            extra_attributes=self._extra_attributes(data, src),
        )

    def _extra_attributes(self, data: Any, src: YamlSource) -> tuple[str, ...]:
        """``attributes:``, the heading attributes an import could not place: kept,
        and reported as the dialect's reader reported them (SG016)."""
        kept = strings(data, "attributes")
        for attribute in kept:
            self.result.diagnostics.append(
                Diagnostic(
                    codes.UNKNOWN_HEADING_ATTRIBUTE,
                    f"unknown heading attribute '{attribute}' kept from an import",
                    src.value_loc(data, "attributes"),
                )
            )
        return kept

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
        try:
            with os.scandir(folder) as scan:
                found = sorted(scan, key=lambda entry: entry.name)
        except OSError as exc:
            self._report(codes.UNREADABLE_FILE, f"cannot list folder: {exc.strerror}", folder)
            return []
        paths = []
        for entry in found:
            path = folder / entry.name
            if _is_link(entry) and self._refused(path):
                continue
            if entry.name.endswith(".md"):
                paths.append(path)
            elif links.is_dir_entry(entry):
                self._sweep(path)
        return [s for s in map(self._eval_set, paths) if s is not None]

    def _eval_set(self, path: Path) -> EvalPromptSet | None:
        read = self._read(path, EVAL_SCHEMA)
        if read is None:
            return None
        data, src, body, _ = read
        title = data.get("title") if isinstance(data.get("title"), str) else ""
        return EvalPromptSet(
            id=path.stem,
            title=title,
            loc=Location(src.shown),
            body=body,
            prompts=tuple(build_examples(src, data.get("prompts"))),
            source=self.result.texts.get(src.shown, ""),
        )
