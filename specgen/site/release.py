"""What one release's build knows of the others (``specgen build --all-versions``):
handed to the site build, read by the plugin and the release's "What changed" page."""

from __future__ import annotations

from dataclasses import dataclass

from specgen.model import Spec
from specgen.origin import Origin

DEFAULT_SITE_URL = "http://localhost/"  # Material's selector only needs sitemap paths


@dataclass(frozen=True)
class ReleaseContext:
    version: str
    date: str
    previous_version: str | None = None
    previous: Spec | None = None  # the release before: its "What changed" page compares
    changelog: str = ""  # authored release notes (Markdown) for this version
    latest_alias: str = "latest"
    redirects: tuple[tuple[str, str], ...] = ()  # former ids of earlier releases -> id
    # Where the release was read from (a git tag's commit and paths): its source links.
    origin: Origin | None = None
    previous_origin: Origin | None = None  # the release before's, for its diff page
