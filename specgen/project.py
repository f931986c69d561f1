"""A spec project's settings: the spec's own configuration plus how to lint it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from specgen.diagnostics import Severity
from specgen.forge import RepoSettings
from specgen.model import Location, SpecConfig

DEFAULT_SPEC_DIR = "spec"
DEFAULT_EVAL_DIR = "eval-prompts"


@dataclass(frozen=True, slots=True)
class LintSettings:
    select: tuple[str, ...] = ()  # empty: every rule
    ignore: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)
    fail_on: Severity = Severity.ERROR
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    base_dir: str | None = None  # per_file_ignores patterns are relative to this folder
    code_locations: tuple[tuple[str, Location], ...] = ()  # where each code was written


DEFAULT_TAG_PATTERN = r"^(\d{4}-\d{2}-\d{2}|v?\d+(\.\d+){1,2})$"  # 2025-12-18, v1.2.3


@dataclass(frozen=True, slots=True)
class ReleaseSource:
    """One configured release: a version name and where its spec is (a git ref, or a
    folder or file relative to the project)."""

    version: str
    ref: str | None = None
    path: str | None = None


@dataclass(frozen=True, slots=True)
class VersionsConfig:
    tags: str = DEFAULT_TAG_PATTERN  # git tags that are releases (a regular expression)
    releases: tuple[ReleaseSource, ...] = ()  # when given, used instead of tags
    latest_alias: str = "latest"
    changelog: str = "CHANGELOG.md"  # authored release notes: "## <version>" sections
    # True when mkdocs.yml has a versions: block (the opt-in to release-aware checks,
    # such as SG211); loc is where its key is written.
    configured: bool = False
    loc: Location | None = None


@dataclass(frozen=True, slots=True)
class ProjectConfig:
    spec: SpecConfig = field(default_factory=SpecConfig)
    lint: LintSettings = field(default_factory=LintSettings)
    root: Path | None = None  # folder of mkdocs.yml, when there is one
    config_file: Path | None = None
    spec_dir: str = DEFAULT_SPEC_DIR
    eval_dir: str = DEFAULT_EVAL_DIR
    versions: VersionsConfig = field(default_factory=VersionsConfig)
    # mkdocs.yml's theme.custom_dir (templates a release's key depends on), when set
    custom_dir: str | None = None
    # Where the repository is (mkdocs.yml's repo_url, edit_uri...): source links.
    repo: RepoSettings = field(default_factory=RepoSettings)
