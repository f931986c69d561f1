"""Where things live on the published site; the site adapter decides, render asks."""

from __future__ import annotations

from typing import Protocol


class Linker(Protocol):
    def section_url(self, section_id: str) -> str | None:
        """URL of a section, relative to the page being rendered; None if unknown."""

    def eval_url(self, set_id: str) -> str | None:
        """URL of an eval prompt set's page; None if the set does not exist."""

    def section_title(self, section_id: str) -> str | None: ...
