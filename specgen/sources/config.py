"""Reads the ``specgen`` plugin block of mkdocs.yml: the one place a spec is configured.

Read with ruamel.yaml, not MkDocs, so the core does not depend on MkDocs and every
setting keeps its line for diagnostics.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from specgen.diagnostics import Diagnostic, Severity
from specgen.forge import FORGES, RepoSettings
from specgen.identifiers import unsafe_message
from specgen.model import DEFAULT_QUALITY_NAMES, AuthorityLevel, Location, SpecConfig
from specgen.project import (
    DEFAULT_EVAL_DIR,
    DEFAULT_SPEC_DIR,
    LintSettings,
    ProjectConfig,
    ReleaseSource,
    VersionsConfig,
)
from specgen.sources import codes
from specgen.sources.files import read_text
from specgen.sources.math_scope import EVERYWHERE, MATH_SCOPES

CONFIG_NAME = "mkdocs.yml"
_KEYS = {
    "enabled",
    "spec_dir",
    "eval_prompts_dir",
    "title",
    "subtitle",
    "version",
    "date",
    "levels",
    "quality_names",
    "tag_names",
    "math",
    "lint",
    "versions",
    "forge",
}
_VERSIONS_KEYS = {"tags", "releases", "latest_alias", "changelog"}
_LINT_KEYS = {"select", "ignore", "severity", "fail_on", "per_file_ignores"}


def find_config(start: Path) -> Path | None:
    """The nearest mkdocs.yml in ``start`` or a folder above it."""
    folder = start if start.is_dir() else start.parent
    for candidate in (folder, *folder.parents):
        path = candidate / CONFIG_NAME
        if path.is_file():
            return path
    return None


def load_config(path: Path | None) -> tuple[ProjectConfig, list[Diagnostic]]:
    if path is None:
        return ProjectConfig(), []
    # Imported here: linting a spec with no mkdocs.yml never loads the YAML machinery.
    from specgen.sources.frontmatter import load_yaml
    from specgen.sources.yamlnodes import YamlSource

    shown = _shown(path)
    text, diags = read_text(path, shown)
    if text is None:
        return ProjectConfig(root=path.parent, config_file=path), diags
    data, diags = load_yaml(text, 1, shown, lenient=True)
    block = _plugin_block(data)
    if not isinstance(block, dict):
        repo = _repo_settings(data, None)
        return ProjectConfig(root=path.parent, config_file=path, repo=repo), diags
    src = YamlSource(shown, 1, text.split("\n"))
    reader = _Reader(src, str(path.parent.resolve()))
    config = replace(
        reader.project(block, path), custom_dir=_custom_dir(data), repo=_repo_settings(data, block)
    )
    if "forge" in block and block["forge"] not in FORGES:
        reader.error(block, "forge", f"specgen setting 'forge' must be one of {', '.join(FORGES)}")
    return config, diags + reader.diags


def _repo_settings(data: Any, block: Any) -> RepoSettings:
    """MkDocs' repository settings (top level of mkdocs.yml) and the plugin's ``forge``;
    anything that is not text is ignored (MkDocs itself reports it)."""

    def text(node: Any, key: str) -> str | None:
        value = node.get(key) if isinstance(node, dict) else None
        return value if isinstance(value, str) else None

    return RepoSettings(
        repo_url=text(data, "repo_url"),
        edit_uri=text(data, "edit_uri"),
        edit_uri_template=text(data, "edit_uri_template"),
        forge=text(block, "forge"),
    )


def _custom_dir(data: Any) -> str | None:
    """theme.custom_dir, read from the same parse (no second reading of mkdocs.yml)."""
    theme = data.get("theme") if isinstance(data, dict) else None
    custom = theme.get("custom_dir") if isinstance(theme, dict) else None
    return custom if isinstance(custom, str) else None


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _plugin_block(data: Any) -> Any:
    plugins = data.get("plugins") if isinstance(data, dict) else None
    if isinstance(plugins, dict):
        return plugins.get("specgen")
    if isinstance(plugins, list):
        for item in plugins:
            if isinstance(item, dict) and "specgen" in item:
                return item["specgen"] if item["specgen"] is not None else {}
            if item == "specgen":
                return {}
    return None


class _Reader:
    def __init__(self, src: Any, base_dir: str) -> None:
        self.src = src
        self.base_dir = base_dir
        self.diags: list[Diagnostic] = []
        self.code_locations: list[tuple[str, Location]] = []

    def error(self, node: Any, key: str, message: str) -> None:
        self.diags.append(Diagnostic(codes.INVALID_CONFIG, message, self.src.value_loc(node, key)))

    def unknown_keys(self, node: Any, allowed: set[str], where: str) -> None:
        for key in node:
            if key not in allowed:
                hint = difflib.get_close_matches(str(key), sorted(allowed), n=1)
                more = f"; did you mean '{hint[0]}'?" if hint else ""
                self.diags.append(
                    Diagnostic(
                        codes.INVALID_CONFIG,
                        f"unknown setting '{key}' in {where}{more}",
                        self.src.key_loc(node, key),
                    )
                )

    def text(self, node: Any, key: str, default: str) -> str:
        value = node.get(key, default)
        if value is None:
            return default
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return str(value)
        self.error(node, key, f"specgen setting '{key}' must be text")
        return default

    def project(self, block: Any, path: Path) -> ProjectConfig:
        self.unknown_keys(block, _KEYS, "the specgen plugin")
        spec = SpecConfig(
            title=self.text(block, "title", "Behaviour spec"),
            subtitle=self.text(block, "subtitle", ""),
            version=self.text(block, "version", ""),
            date=self.text(block, "date", ""),
            levels=self.levels(block),
            quality_names=self.quality_names(block),
            tag_names=self.tag_names(block),
            math=self.math(block),
        )
        return ProjectConfig(
            spec=spec,
            lint=self.lint(block.get("lint")),
            root=path.parent,
            config_file=path,
            spec_dir=self.text(block, "spec_dir", DEFAULT_SPEC_DIR),
            eval_dir=self.text(block, "eval_prompts_dir", DEFAULT_EVAL_DIR),
            versions=self.versions_block(block),
        )

    def versions_block(self, block: Any) -> VersionsConfig:
        """The versions: settings; present (even empty) means releases are opted into."""
        if "versions" not in block:
            return VersionsConfig()
        versions = self.versions(block["versions"])
        return replace(versions, configured=True, loc=self.src.key_loc(block, "versions"))

    def unsafe(self, kind: str, value: str, loc: Location) -> bool:
        """Reports ``value`` when it is not a safe identifier (SG212); True if so."""
        message = unsafe_message(kind, value)
        if message is not None:
            self.diags.append(Diagnostic(codes.UNSAFE_IDENTIFIER, message, loc))
        return message is not None

    def unsafe_path(self, value: str, loc: Location) -> bool:
        """A release's folder: relative, and each part a safe name (so no '..')."""
        parts = value.replace("\\", "/").split("/")
        if value.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", value):
            message = f"release path '{value}' is absolute: give it relative to mkdocs.yml"
            self.diags.append(Diagnostic(codes.UNSAFE_IDENTIFIER, message, loc))
            return True
        return any(self.unsafe("release path part", p, loc) for p in parts if p not in (".", ""))

    def versions(self, value: Any) -> VersionsConfig:
        if value is None:
            return VersionsConfig()
        if not isinstance(value, dict):
            self.diags.append(
                Diagnostic(
                    codes.INVALID_CONFIG, "'versions' must be a mapping", self.src.node_loc(value)
                )
            )
            return VersionsConfig()
        self.unknown_keys(value, _VERSIONS_KEYS, "versions")
        default = VersionsConfig()
        tags = self.text(value, "tags", default.tags)
        try:
            re.compile(tags)
        except re.error as exc:
            self.error(value, "tags", f"'tags' is not a regular expression: {exc}")
            tags = default.tags
        releases: list[ReleaseSource] = []
        listed = value.get("releases")
        if listed is not None and not isinstance(listed, list):
            self.error(value, "releases", "'releases' must be a list of {version, ref or path}")
            listed = []
        for index, item in enumerate(listed or []):
            if not isinstance(item, dict) or not isinstance(item.get("version"), str | int | float):
                self.diags.append(
                    Diagnostic(
                        codes.INVALID_CONFIG,
                        "each release is a mapping with a 'version' and a 'ref' or a 'path'",
                        self.src.item_loc(listed, index),
                    )
                )
                continue
            self.unknown_keys(item, {"version", "ref", "path"}, "a release")
            ref, path = item.get("ref"), item.get("path")
            if (ref is None) == (path is None):
                self.diags.append(
                    Diagnostic(
                        codes.INVALID_CONFIG,
                        "a release names either a git 'ref' or a 'path', not both or neither",
                        self.src.item_loc(listed, index),
                    )
                )
                continue
            version_loc = self.src.value_loc(item, "version")
            if self.unsafe("release version", str(item["version"]), version_loc) or (
                path is not None and self.unsafe_path(str(path), self.src.value_loc(item, "path"))
            ):
                continue  # never built: it could name a folder outside the site
            releases.append(
                ReleaseSource(
                    str(item["version"]),
                    str(ref) if ref is not None else None,
                    str(path) if path is not None else None,
                )
            )
        alias = self.text(value, "latest_alias", default.latest_alias)
        if self.unsafe("latest_alias", alias, self.src.value_loc(value, "latest_alias")):
            alias = default.latest_alias
        return VersionsConfig(
            tags=tags,
            releases=tuple(releases),
            latest_alias=alias,
            changelog=self.text(value, "changelog", default.changelog),
        )

    def levels(self, block: Any) -> tuple[AuthorityLevel, ...]:
        value = block.get("levels")
        if value is None:
            return SpecConfig().levels
        if not isinstance(value, list) or not value:
            self.error(block, "levels", "'levels' must be a non-empty list, highest first")
            return SpecConfig().levels
        levels: list[AuthorityLevel] = []
        for index, item in enumerate(value):
            if isinstance(item, str):
                self.unsafe("level id", item, self.src.item_loc(value, index))
                levels.append(AuthorityLevel(item, item.replace("_", " ").title()))
            elif isinstance(item, dict) and isinstance(item.get("id"), str):
                self.unknown_keys(item, {"id", "name", "description"}, "a level")
                level_id = item["id"]
                self.unsafe("level id", level_id, self.src.value_loc(item, "id"))
                name = self.text(item, "name", level_id.replace("_", " ").title())
                levels.append(AuthorityLevel(level_id, name, self.text(item, "description", "")))
            else:
                self.diags.append(
                    Diagnostic(
                        codes.INVALID_CONFIG,
                        "each level is an id or a mapping with an 'id'",
                        self.src.item_loc(value, index),
                    )
                )
        return tuple(levels) or SpecConfig().levels

    def quality_names(self, block: Any) -> dict[str, str]:
        names = dict(DEFAULT_QUALITY_NAMES)
        value = block.get("quality_names")
        if value is None:
            return names
        if not isinstance(value, dict):
            self.error(block, "quality_names", "'quality_names' must map good/ok/bad to names")
            return names
        self.unknown_keys(value, set(names), "quality_names")
        for key in names:
            names[key] = self.text(value, key, names[key])
        return names

    def math(self, block: Any) -> str:
        value = self.text(block, "math", EVERYWHERE)
        if value not in MATH_SCOPES:
            self.error(block, "math", f"'math' must be one of {', '.join(MATH_SCOPES)}")
            return EVERYWHERE
        return value

    def tag_names(self, block: Any) -> dict[str, str]:
        """``tag_names: {under_18: U18}``: how each tag or flag is shown (SG007 for a
        name that is not text, SG212 for a tag that could never be one)."""
        value = block.get("tag_names")
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.error(block, "tag_names", "'tag_names' must map tags to the names shown")
            return {}
        names: dict[str, str] = {}
        for tag, name in value.items():
            tag_text = str(tag)
            if self.unsafe("tag", tag_text, self.src.key_loc(value, tag)):
                continue
            if (
                not isinstance(name, str | int | float)
                or isinstance(name, bool)
                or not str(name).strip()
            ):
                self.error(value, tag, f"the name of tag '{tag_text}' must be non-empty text")
                continue
            names[tag_text] = str(name).strip()
        return names

    def lint(self, value: Any) -> LintSettings:
        if value is None:
            return LintSettings(base_dir=self.base_dir)
        if not isinstance(value, dict):
            self.diags.append(
                Diagnostic(
                    codes.INVALID_CONFIG, "'lint' must be a mapping", self.src.node_loc(value)
                )
            )
            return LintSettings(base_dir=self.base_dir)
        self.unknown_keys(value, _LINT_KEYS, "lint")
        severity: dict[str, Severity] = {}
        raw = self.mapping(value, "severity")
        for code, level in raw.items():
            self.code_at(code, self.src.key_loc(raw, code))
            try:
                severity[str(code)] = Severity.parse(str(level))
            except KeyError:
                self.error(raw, code, f"severity of {code} must be error, warning or info")
        fail_on = Severity.ERROR
        if "fail_on" in value:
            try:
                fail_on = Severity.parse(str(value["fail_on"]))
            except KeyError:
                self.error(value, "fail_on", "'fail_on' must be error, warning or info")
        raw_pf = self.mapping(value, "per_file_ignores")
        per_file = {str(k): self.codes(raw_pf, k) for k in raw_pf}
        return LintSettings(
            select=self.codes(value, "select"),
            ignore=self.codes(value, "ignore"),
            severity=severity,
            fail_on=fail_on,
            per_file_ignores=per_file,
            base_dir=self.base_dir,
            code_locations=tuple(self.code_locations),
        )

    def mapping(self, node: Any, key: str) -> dict[Any, Any]:
        value = node.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.error(node, key, f"'{key}' must be a mapping")
            return {}
        return value

    def code_at(self, code: Any, loc: Any) -> None:
        self.code_locations.append((str(code), loc))

    def codes(self, node: Any, key: Any) -> tuple[str, ...]:
        """Rule codes or names; each one's location is kept so lint can check it."""
        value = node.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            self.code_at(value, self.src.value_loc(node, key))
            return (value,)
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            for index, code in enumerate(value):
                self.code_at(code, self.src.item_loc(value, index))
            return tuple(value)
        self.error(node, key, f"'{key}' must be a list of rule codes or names")
        return ()
