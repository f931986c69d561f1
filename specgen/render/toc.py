"""A page's table of contents, collected while it renders: body headings (which get
ids and permalinks) and examples, in document order."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from specgen.identifiers import UniqueIds


@dataclass(frozen=True, slots=True)
class TocEntry:
    level: int  # 2 for a top heading of the page body
    id: str
    title: str  # plain text


@dataclass
class Toc:
    prefix: str = ""  # ids on pages that hold several sections: "<section id>--"
    entries: list[TocEntry] = field(default_factory=list)
    used: set[str] = field(default_factory=set)  # may be shared by the Tocs of one page
    _ids: UniqueIds = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._ids = UniqueIds(self.used)

    def heading_id(self, text: str) -> str:
        """A unique id for a heading: its slug, numbered when taken."""
        return self._ids.take(self.prefix + (slugify(text) or "section"))

    depth: int = 1  # level of the last heading: examples nest under it

    def add(self, level: int, anchor: str, title: str) -> None:
        self.used.add(anchor)
        self.entries.append(TocEntry(level, anchor, title))

    def add_heading(self, level: int, anchor: str, title: str) -> None:
        self.add(level, anchor, title)
        self.depth = level

    def add_example(self, anchor: str, title: str, after_body: bool = False) -> None:
        self.add(2 if after_body else min(self.depth + 1, 6), anchor, title)


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]
