"""Writes a spec model as a native spec folder, and as a whole project with mkdocs.yml.

The output reads back (``specgen.sources.load``) to the same model, locations aside:
the one change made on the way is to section bodies, whose blank lines left by examples
cut out of another format are collapsed (see ``tidy_body``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from specgen.mdit.example_placement import PLACEMENT_RE
from specgen.model import (
    Answer,
    AnswerSet,
    AttachmentPart,
    Elision,
    EvalPromptSet,
    Example,
    Markdown,
    Message,
    Part,
    Section,
    Spec,
    SpecConfig,
    TextPart,
    Turn,
    Unparsed,
    UntrustedPart,
)
from specgen.project import DEFAULT_EVAL_DIR, DEFAULT_SPEC_DIR
from specgen.site_defaults import THEME
from specgen.writers.yaml_out import FlowList, WriteError, dump_yaml

INDEX = "index.md"
CONFIG_NAME = "mkdocs.yml"
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_NOT_NAME = re.compile(r"[^a-z0-9]+")
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
MESSAGE_KEYS = frozenset({"content", "text", "untrusted"})  # written as blocks if need be


# -- bodies ----------------------------------------------------------------------------


def body_lines(text: str) -> Iterator[tuple[str, bool]]:
    """Each line of Markdown ``text`` and whether it sits inside a fenced code block."""
    fence: str | None = None
    for line in text.split("\n"):
        match = _FENCE.match(line)
        if fence is None:
            if match is not None:
                fence = match.group(1)
                yield line, True
            else:
                yield line, False
        else:
            stripped = line.strip()
            if stripped.startswith(fence) and not stripped.lstrip(fence[0]):
                fence = None
            yield line, True


def placement_id(line: str, in_fence: bool) -> str | None:
    """The example id of a ``::example{#id}`` line outside code, else None."""
    if in_fence or len(line) - len(line.lstrip(" ")) > 3:
        return None
    match = PLACEMENT_RE.match(line.lstrip(" "))
    return match.group(1) if match else None


def tidy_body(text: str) -> str:
    """The body without leading and trailing blank lines, and with each run of blank lines
    after an ``::example{#id}`` line (what a reader leaves where it cut an example out)
    collapsed to one."""
    kept: list[str] = []
    after_placement = False
    for line, in_fence in body_lines(text):
        blank = not line.strip()
        if blank and after_placement and kept and not kept[-1].strip():
            continue
        kept.append(line)
        if not blank:
            after_placement = placement_id(line, in_fence) is not None
    while kept and not kept[-1].strip():
        kept.pop()
    start = next((i for i, line in enumerate(kept) if line.strip()), len(kept))
    return "\n".join(kept[start:])


# -- front matter ----------------------------------------------------------------------


def _content(parts: Sequence[Part]) -> str | list[dict[str, str]] | None:
    if not parts:
        return None
    if len(parts) == 1 and isinstance(parts[0], TextPart):
        return parts[0].markdown.text
    items: list[dict[str, str]] = []
    for part in parts:
        if isinstance(part, TextPart):
            items.append({"text": part.markdown.text})
        elif isinstance(part, UntrustedPart):
            items.append({"untrusted": part.markdown.text})
        elif isinstance(part, AttachmentPart):
            item = {"attachment": part.name}
            if part.caption:
                item["caption"] = part.caption
            items.append(item)
    return items


def _message(message: Message) -> dict[str, Any]:
    data: dict[str, Any] = {"role": message.role}
    content = _content(message.parts)
    if content is not None:
        data["content"] = content
    if message.recipient is not None:
        data["recipient"] = message.recipient
    if message.name is not None:
        data["name"] = message.name
    if message.comment is not None:
        data["comment"] = message.comment
    if message.end_turn is not None:
        data["end_turn"] = message.end_turn
    if message.raw:
        data["raw"] = True
    if message.settings:
        data["settings"] = FlowList(message.settings)
    if message.stray_quality is not None:
        data["quality"] = message.stray_quality  # kept so the linter still reports it
    return data


def _answer(answer: Answer) -> dict[str, Any]:
    data: dict[str, Any] = {"quality": answer.quality}
    content = _content(answer.parts)
    if content is not None:
        data["content"] = content
    if answer.comment is not None:
        data["comment"] = answer.comment.text
    if answer.violates is not None:
        data["violates"] = answer.violates.target
    if answer.recipient is not None:
        data["recipient"] = answer.recipient
    if answer.raw:
        data["raw"] = True
    return data


def _turn(turn: Turn) -> dict[str, Any]:
    if isinstance(turn, AnswerSet):
        data: dict[str, Any] = {"answers": [_answer(a) for a in turn.answers]}
        if turn.unparsed:
            data["unparsed"] = "\n".join(u.text for u in turn.unparsed)
        return data
    if isinstance(turn, Elision):
        return {"elided": True}
    if isinstance(turn, Unparsed):
        return {"unparsed": turn.text}  # kept as written; lint reports it (SG308)
    return _message(turn)


def _example(example: Example, with_id: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if with_id:
        data["id"] = example.id
    data["caption"] = example.caption.text
    if example.flags:
        data["flags"] = FlowList(example.flags)
    data["conversation"] = [_turn(t) for t in example.turns]
    return data


def section_front_matter(section: Section) -> dict[str, Any]:
    data: dict[str, Any] = {"id": section.id, "title": section.title}
    if section.authority is not None:
        data["authority"] = section.authority
    if section.informative:
        data["informative"] = True
    if section.tags:
        data["tags"] = FlowList(section.tags)
    if section.former_ids:
        data["former_ids"] = FlowList(section.former_ids)
    if section.extra_attributes:  # kept from an import; lint reports them (SG016)
        data["attributes"] = FlowList(section.extra_attributes)
    if section.examples:
        data["examples"] = [_example(e) for e in section.examples]
    return data


def _document(front_matter: dict[str, Any], body: str) -> str:
    text = "---\n" + dump_yaml(front_matter, front_matter=True, blocks=MESSAGE_KEYS) + "---\n"
    body = tidy_body(body)
    return text + body + "\n" if body else text


def section_text(section: Section) -> str:
    """The native file of one section: front matter and body."""
    return _document(section_front_matter(section), section.body.text)


def eval_set_text(eval_set: EvalPromptSet) -> str:
    """The native file of an eval prompt set (``eval-prompts/<id>.md``)."""
    data: dict[str, Any] = {"title": eval_set.title}
    if eval_set.prompts:
        data["prompts"] = [
            # The native reader numbers prompts without an id example-1, example-2, ...
            _example(p, with_id=p.id != f"example-{i + 1}")
            for i, p in enumerate(eval_set.prompts)
        ]
    return _document(data, eval_set.body.text)


def home_text(spec: Spec, home: Markdown) -> str:
    """The spec's front page (``index.md``); the front matter only names it."""
    return _document({"title": spec.config.title}, home.text)


# -- layout ----------------------------------------------------------------------------


def _names(sections: Sequence[Section]) -> list[str]:
    """``10-some-id``, ``20-other``...: zero-padded when there are ten or more."""
    width = len(str(10 * len(sections)))
    names = []
    for i, section in enumerate(sections):
        stem = _NOT_NAME.sub("-", section.id.lower()).strip("-") or "section"
        names.append(f"{10 * (i + 1):0{width}d}-{stem}")
    return names


def _section_files(sections: Sequence[Section], folder: str, files: dict[str, str]) -> None:
    for name, section in zip(_names(sections), sections, strict=True):
        if section.children:
            files[f"{folder}{name}/{INDEX}"] = section_text(section)
            _section_files(section.children, f"{folder}{name}/", files)
        else:
            files[f"{folder}{name}.md"] = section_text(section)


def native_files(
    spec: Spec, home: Markdown | None = None, eval_dir: str = DEFAULT_EVAL_DIR
) -> dict[str, str]:
    """Every file of the native spec folder: relative path (with ``/``) -> text."""
    files: dict[str, str] = {}
    if home is not None:
        files[INDEX] = home_text(spec, home)
    _section_files(spec.sections, "", files)
    for eval_set in spec.eval_sets:
        if not _SAFE_ID.match(eval_set.id):
            raise WriteError(f"eval prompt set id {eval_set.id!r} cannot be a file name")
        name = f"{eval_dir}/{eval_set.id}.md"
        if name in files:
            raise WriteError(f"two eval prompt sets have the id {eval_set.id!r}")
        files[name] = eval_set_text(eval_set)
    return files


def project_config_text(spec: Spec, spec_dir: str = DEFAULT_SPEC_DIR) -> str:
    """mkdocs.yml for a project around the spec: Material theme and the specgen plugin."""
    config = spec.config
    plugin: dict[str, Any] = {"title": config.title}
    if spec_dir != DEFAULT_SPEC_DIR:
        plugin["spec_dir"] = spec_dir
    for key in ("subtitle", "version", "date"):
        value = getattr(config, key)
        if value:
            plugin[key] = value
    levels: list[dict[str, Any]] = []
    for level in config.levels:
        levels.append({"id": level.id, "name": level.name})
        if level.description:
            levels[-1]["description"] = level.description
    plugin["levels"] = levels
    plugin["quality_names"] = dict(config.quality_names)
    if config.tag_names:  # the Model Spec's own ("under_18" -> "U18") on an import
        plugin["tag_names"] = dict(config.tag_names)
    if config.math != SpecConfig().math:  # the dialect's: math only inside messages
        plugin["math"] = config.math
    data: dict[str, Any] = {
        "site_name": config.title,
        "docs_dir": spec_dir,
        "theme": THEME,
        "plugins": [{"specgen": plugin}],  # search comes with specgen (Pagefind)
    }
    return dump_yaml(data)


def write_files(root: Path, files: dict[str, str]) -> list[Path]:
    """Write ``files`` under ``root``; refuse, before writing anything, if one exists."""
    targets = [(root / name, text) for name, text in files.items()]
    base = root.resolve()
    for path, _ in targets:  # names come from ids and file names: untrusted
        if base not in path.resolve().parents:
            raise WriteError(f"refusing to write {path}: it is outside {root}")
    clashes = [path for path, _ in targets if path.exists()]
    if clashes:
        raise WriteError(f"{clashes[0]} already exists: refusing to overwrite it")
    written = []
    for path, text in targets:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        written.append(path)
    return written


def write_native(
    spec: Spec,
    out_dir: Path,
    home: Markdown | None = None,
    eval_dir: str = DEFAULT_EVAL_DIR,
) -> list[Path]:
    """Write ``spec`` as a native spec folder ``out_dir`` (e.g. ``PROJECT/spec``).

    Returns the files written. Raises ``WriteError`` when a file to write exists.
    """
    return write_files(out_dir, native_files(spec, home, eval_dir))


def write_project(spec: Spec, project_dir: Path, home: Markdown | None = None) -> list[Path]:
    """Write ``project_dir/mkdocs.yml`` and the spec folder ``project_dir/spec``."""
    files = {CONFIG_NAME: project_config_text(spec)}
    for name, text in native_files(spec, home).items():
        files[f"{DEFAULT_SPEC_DIR}/{name}"] = text
    return write_files(project_dir, files)
