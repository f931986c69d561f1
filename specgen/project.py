"""A spec project's settings: the spec's own configuration plus how to lint it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from specgen.diagnostics import Severity
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


@dataclass(frozen=True, slots=True)
class ProjectConfig:
    spec: SpecConfig = field(default_factory=SpecConfig)
    lint: LintSettings = field(default_factory=LintSettings)
    root: Path | None = None  # folder of mkdocs.yml, when there is one
    config_file: Path | None = None
    spec_dir: str = DEFAULT_SPEC_DIR
    eval_dir: str = DEFAULT_EVAL_DIR
