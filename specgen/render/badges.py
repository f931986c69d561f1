"""The authority badge a section shows: its own level, or the roll-up of the levels below.

A section without authority whose descendants have some shows the highest of their
levels plus "+N", N being the number of distinct lower levels among them (the published
Model Spec's convention). Informative sections show nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from specgen.model import Section, SpecConfig


@dataclass(frozen=True, slots=True)
class Badge:
    kind: str  # "level", "rollup" or "unknown" (a level the configuration lacks)
    level_id: str
    text: str
    title: str  # tooltip: the level's description, or how the roll-up reads
    description: str = ""  # the level's one-line description, shown beside it on its page
    rank: int = -1  # 0 for the highest configured level; colours follow rank, not names

    @property
    def css(self) -> str:
        rank = f" sg-rank-{min(self.rank, 5)}" if self.rank >= 0 else ""
        return f"sg-level-{self.level_id}{rank}"


def badge_for(section: Section, config: SpecConfig) -> Badge | None:
    if section.authority:
        level = config.level(section.authority)
        if level is None:
            return Badge("unknown", "unknown", section.authority, "Unknown authority level")
        title = f"{level.name}: {level.description}" if level.description else level.name
        return Badge("level", level.id, level.name, title, level.description, config.rank(level.id))
    if section.informative:
        return None
    below = {s.authority for s in section.walk() if s is not section and s.authority}
    known = sorted((lv for lv in below if config.level(lv)), key=config.rank)
    if not known:
        return None
    top = config.level(known[0])
    assert top is not None
    more = len(known) - 1
    text = f"{top.name} +{more}" if more else top.name
    lower = ", ".join(lv.name for lv in (config.level(k) for k in known[1:]) if lv)
    title = f"Highest level among its sub-sections: {top.name}" + (
        f"; also {lower}" if lower else ""
    )
    return Badge("rollup", top.id, text, title, title, config.rank(top.id))
