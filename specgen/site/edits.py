"""What one saved file changes in a native spec already loaded (``specgen serve``).

The file is read again on its own, its new section (eval prompt set, front page) is
spliced into the immutable model, its findings replace the file's old ones, and the
pages that show what it holds are named: its own, and the shared pages whose content
depends on it. An edit that could change any other page (an id, title, authority or
informative flag, former ids: the navigation, badges, titles on other pages, redirects)
is not local: ``None``, and the caller builds the whole site. MkDocs-free: the caller
(incremental.py) rewrites the pages.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from specgen.diagnostics import Diagnostic
from specgen.model import RefKind, Section, Spec
from specgen.project import ProjectConfig
from specgen.render.pages import one_page_parts
from specgen.site import structure
from specgen.sources import NATIVE, LoadResult, project_boundary
from specgen.sources.math_scope import (
    MESSAGES,
    eval_set_without_math,
    no_math,
    section_without_math,
)
from specgen.sources.native import NativeReader

# What the navigation, badges, other pages' links and redirects show of a section.
_SHOWN_ELSEWHERE = ("id", "title", "authority", "informative", "former_ids")


@dataclass(frozen=True)
class Edit:
    """The spec with one file read again, and the pages (source paths) to rewrite."""

    loaded: LoadResult
    own: tuple[str, ...]  # the page(s) of the edited file itself
    shared: tuple[str, ...]  # the site's other pages that show what changed


class SpecFiles:
    """Where each file of a loaded native spec is in its model (by real path), to read
    one of them again. Valid as long as edits are local: they keep the tree's shape."""

    def __init__(self, loaded: LoadResult, project: ProjectConfig, spec_path: Path) -> None:
        self.eval_dir = project.eval_dir
        self.boundary = project_boundary(spec_path, project)
        self.sections: dict[str, list[tuple[int, ...]]] = {}
        self.eval_sets: dict[str, list[int]] = {}
        self.home: str | None = None
        if loaded.dialect != NATIVE or not spec_path.is_dir():
            return  # the OpenAI dialect's one file, a lone section file: always rebuilt
        self._index(loaded.spec.sections, ())
        for number, prompt_set in enumerate(loaded.spec.eval_sets):
            self.eval_sets.setdefault(_real(prompt_set.loc.path), []).append(number)
        if loaded.home is not None:
            self.home = _real(loaded.home.loc.path)

    def _index(self, sections: tuple[Section, ...], above: tuple[int, ...]) -> None:
        for number, section in enumerate(sections):
            at = (*above, number)
            self.sections.setdefault(_real(section.body.loc.path), []).append(at)
            self._index(section.children, at)

    def edit(self, loaded: LoadResult, path: Path) -> Edit | None:
        """``loaded`` with the file at ``path`` read again, or None when the edit is
        not provably local to the pages named (or the file is not one of the spec's)."""
        if path.suffix != ".md" or path.is_symlink() or not path.is_file():
            return None  # a link's target may be refused now; created files change the tree
        real = _real(str(path))
        reader = NativeReader(self.eval_dir, self.boundary)
        at = self.sections.get(real, [])
        if len(at) == 1:
            return _section_edit(loaded, reader, at[0])
        numbers = self.eval_sets.get(real, [])
        if len(numbers) == 1:
            return _eval_set_edit(loaded, reader, numbers[0])
        if real == self.home and loaded.home is not None and not at and not numbers:
            home = reader.reread_home(Path(loaded.home.loc.path))
            if home is None:
                return None
            if loaded.spec.config.math == MESSAGES:
                home = no_math(home)
            return Edit(
                _with_file(loaded, replace(loaded, home=home), reader), (structure.HOME,), ()
            )
        return None  # not a file of the spec, or one read twice (through a link)


def _section_edit(loaded: LoadResult, reader: NativeReader, at: tuple[int, ...]) -> Edit | None:
    old = _section_at(loaded.spec.sections, at)
    new = reader.reread_section(Path(old.body.loc.path), old.children)
    if new is not None and loaded.spec.config.math == MESSAGES:  # as a full load marks it
        new = section_without_math(new, deep=False)
    if new is None or any(getattr(old, name) != getattr(new, name) for name in _SHOWN_ELSEWHERE):
        return None
    spec = replace(loaded.spec, sections=_replaced(loaded.spec.sections, at, new))
    return Edit(
        _with_file(loaded, replace(loaded, spec=spec), reader),
        (structure.section_src(new),),
        _shared_pages(spec, old, new),
    )


def _eval_set_edit(loaded: LoadResult, reader: NativeReader, number: int) -> Edit | None:
    old = loaded.spec.eval_sets[number]
    new = reader.reread_eval_set(Path(old.loc.path))
    if new is not None and loaded.spec.config.math == MESSAGES:
        new = eval_set_without_math(new)
    if new is None or new.id != old.id:
        return None
    sets = list(loaded.spec.eval_sets)
    sets[number] = new
    spec = replace(loaded.spec, eval_sets=tuple(sets))
    # The eval prompts index shows each set's count of prompts.
    return Edit(
        _with_file(loaded, replace(loaded, spec=spec), reader),
        (structure.eval_src(new.id),),
        (structure.EVAL_INDEX,),
    )


def _shared_pages(spec: Spec, old: Section, new: Section) -> tuple[str, ...]:
    """The site's pages besides its own that show what changed in a section whose
    id, title and authority stayed (render/pages.py, plugin._render_home)."""
    part = next(p for p in one_page_parts(spec) if any(s is new for s, _ in p.entries))
    pages = [structure.one_page_src(part.number)]
    if old.examples != new.examples:  # captions, verdicts, flags, anchors
        pages.append(structure.EXAMPLES)
    if len(old.examples) != len(new.examples):  # "· 3 examples"
        pages.append(structure.LEVELS)
    # A home page without text of its own shows the first section's (pages.home_lead).
    if spec.sections[0] is new and _lead(old) != _lead(new):
        pages.append(structure.HOME)
    cited = _cited(old) ^ _cited(new)  # a set's page lists the sections citing it
    known = {s.id for s in spec.eval_sets}
    if cited & known:
        pages.append(structure.EVAL_INDEX)
        pages.extend(structure.eval_src(set_id) for set_id in sorted(cited & known))
    return tuple(pages)


def _lead(section: Section) -> tuple[object, ...]:
    """What decides whether and how the home page shows a section as its lead."""
    return (section.body, bool(section.examples))


def _cited(section: Section) -> set[str]:
    return {r.target for r in section.references if r.kind is RefKind.EVAL}


def _with_file(old: LoadResult, new: LoadResult, reader: NativeReader) -> LoadResult:
    """``new`` with the re-read file's findings and text in place of its old ones."""
    texts = reader.result.texts
    shown = set(texts)
    kept: list[Diagnostic] = [d for d in old.diagnostics if d.loc.path not in shown]
    return replace(new, diagnostics=kept + reader.result.diagnostics, texts={**old.texts, **texts})


def _section_at(sections: tuple[Section, ...], at: tuple[int, ...]) -> Section:
    section = sections[at[0]]
    for number in at[1:]:
        section = section.children[number]
    return section


def _replaced(
    sections: tuple[Section, ...], at: tuple[int, ...], new: Section
) -> tuple[Section, ...]:
    """``sections`` with the one at ``at`` (indexes down the tree) replaced: a new
    tuple along the path, the rest shared."""
    changed = list(sections)
    here = sections[at[0]]
    changed[at[0]] = (
        new if len(at) == 1 else replace(here, children=_replaced(here.children, at[1:], new))
    )
    return tuple(changed)


def _real(shown: str) -> str:
    return os.path.realpath(shown)
