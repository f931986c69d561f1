"""The diff as Markdown for a pull-request comment: a table of counts, then the changed
sections, linked into a preview site of the new side when its address is known.

Spec text is untrusted here too: titles, ids and captions are escaped so that none can
break the table, start a link, an image or a mention, or reach GitHub as HTML. The
comment stays under GitHub's limit: sections that do not fit are left out, with a note
saying how many and where to see them all.

The plain-text wording of changes (levels by their configured names, directions, moves)
lives here as well, for every output: this module imports no renderer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote

from specgen.diff.model import (
    AuthorityChange,
    Direction,
    ExampleDiff,
    Move,
    SectionDiff,
    SpecDiff,
    Status,
    Summary,
)
from specgen.model import Example, Spec, SpecConfig
from specgen.render.linker import section_slug
from specgen.render.section import example_anchor

# GitHub refuses a comment body longer than this many characters.
GITHUB_COMMENT_LIMIT = 65536
MAX_ITEMS = 8  # examples or verdicts named in one section's row; the rest are counted
CAPTION_WORDS = 12
ARROW = "→"
MINUS = "\u2212"  # a minus sign, for counts of what was removed

# -- wording shared by the outputs ------------------------------------------------------


def level_name(level_id: str | None, *configs: SpecConfig) -> str:
    """A level's display name from the first configuration that knows it; "no level"."""
    if level_id is None:
        return "no level"
    for config in configs:
        level = config.level(level_id)
        if level is not None:
            return level.name
    return level_id


def authority_parts(change: AuthorityChange, old: Spec, new: Spec) -> tuple[str, str, str]:
    """(old level name, new level name, direction), e.g. ("User", "Guideline", "lowered")."""
    return (
        level_name(change.old, old.config, new.config),
        level_name(change.new, new.config, old.config),
        DIRECTION_WORDS[change.direction],
    )


DIRECTION_WORDS = {
    Direction.RAISED: "raised",
    Direction.LOWERED: "lowered",
    Direction.ADDED: "added",
    Direction.REMOVED: "removed",
    Direction.UNRANKED: "not comparable",
}


def authority_text(change: AuthorityChange, old: Spec, new: Spec) -> str:
    """ "User → Guideline, lowered"."""
    old_name, new_name, direction = authority_parts(change, old, new)
    return f"{old_name} {ARROW} {new_name}, {direction}"


def section_titles(diff: SpecDiff) -> dict[str, str]:
    """Section id -> title, the new side's first."""
    titles = {s.id: s.title for s in diff.old.walk()}
    titles.update((s.id, s.title) for s in diff.new.walk())
    return titles


def parent_name(parent: str | None, titles: dict[str, str]) -> str:
    return titles.get(parent, parent) if parent is not None else "the top level"


def move_text(move: Move, titles: dict[str, str]) -> str:
    """ "moved from under A to under B" or "reordered under A: 3rd → 1st place"."""
    if move.old_parent != move.new_parent:
        old, new = parent_name(move.old_parent, titles), parent_name(move.new_parent, titles)
        return f"moved from {_under(old)} to {_under(new)}"
    return (
        f"reordered {_under(parent_name(move.new_parent, titles))}: "
        f"position {move.old_position + 1} {ARROW} {move.new_position + 1}"
    )


def _under(name: str) -> str:
    return name if name == "the top level" else f"under {name}"


def quality_name(quality: str, *configs: SpecConfig) -> str:
    for config in configs:
        if quality in config.quality_names:
            return config.quality_names[quality]
    return quality


def verdict_texts(example: ExampleDiff, old: Spec, new: Spec) -> list[str]:
    """ "Compliant → Violation" for each answer of ``example`` whose verdict changed."""
    out = []
    for answer in example.verdict_changes:
        assert answer.old is not None and answer.new is not None
        out.append(
            f"{quality_name(answer.old.quality, old.config, new.config)} {ARROW} "
            f"{quality_name(answer.new.quality, new.config, old.config)}"
        )
    return out


def example_counts(section: SectionDiff) -> dict[Status, int]:
    counts = dict.fromkeys((Status.ADDED, Status.REMOVED, Status.MODIFIED), 0)
    for example in section.changed_examples:
        counts[example.status] += 1
    return counts


# -- Markdown ---------------------------------------------------------------------------

# ASCII punctuation that can mean something in (GitHub) Markdown: escaped with a
# backslash. Left as they are: quotes, "-" (a list or rule only at the start of a line,
# which spec text never is here) and "_" inside a word (never emphasis there).
_SPECIAL = re.compile(r"[!#$%&()*+,./:;<=>?\[\\\]^`{|}~]|(?<![^\W_])_|_(?![^\W_])")
_MENTION = "@\u2060"  # a word joiner after "@": GitHub links no @mention from it


def md_text(text: str) -> str:
    """``text`` as Markdown that reads as that text, on one line: no emphasis, link,
    image, HTML, table cell break, autolink or @mention can come out of it."""
    text = " ".join(text.split())
    return _SPECIAL.sub(lambda m: "\\" + m.group(), text).replace("@", _MENTION)


def _url_part(text: str) -> str:
    return quote(text, safe="")


def section_url(base_url: str, section_id: str) -> str:
    """A section's page on the published site: ``{base}/{id}/`` (``{id}_/`` for the
    site's own names)."""
    return f"{_base(base_url)}/{_url_part(section_slug(section_id))}/"


def example_url(base_url: str, section_id: str, example_id: str) -> str:
    anchor = example_anchor(section_id, example_id)  # as the site names it
    return f"{section_url(base_url, section_id)}#{_url_part(anchor)}"


def _base(base_url: str) -> str:
    # The address is the user's own (a command-line option); keep it one link target.
    return base_url.rstrip("/").replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def _link(text: str, url: str | None) -> str:
    return f"[{text}]({url})" if url else text


def _caption(example: Example) -> str:
    words = example.caption.text.split()
    text = " ".join(words[:CAPTION_WORDS]) + (" …" if len(words) > CAPTION_WORDS else "")
    return md_text(re.sub(r"[*_`]", "", text))


def render_diff_markdown(
    diff: SpecDiff,
    base_url: str | None = None,
    html_url: str | None = None,
    limit: int = GITHUB_COMMENT_LIMIT,
) -> str:
    """A pull-request comment: counts, then a row per changed section. ``base_url`` is
    the preview site of the new side; ``html_url`` the full HTML diff, linked when the
    comment has to leave sections out to stay within ``limit`` characters."""
    head = [
        f"### Spec changes: {md_text(diff.old_label)} {ARROW} {md_text(diff.new_label)}",
        "",
        *_summary_table(diff.summary),
        "",
    ]
    if diff.home_changed:
        head += ["The front page (text before the first section) changed.", ""]
    changed = diff.changed
    if not changed:
        return "\n".join([*head, "No section changed."]) + "\n"
    titles = section_titles(diff)
    rows = [_section_row(diff, section, base_url, titles) for section in changed]
    table = ["#### Changed sections", "", "| Section | Change | Details |", "|---|---|---|"]
    text = "\n".join([*head, *table])
    shown = 0
    for row in rows:
        note = _truncation_note(len(rows) - shown - 1, html_url)
        if len(text) + 1 + len(row) + 2 + len(note) + 1 > limit:
            break
        text += "\n" + row
        shown += 1
    if shown < len(rows):
        text += "\n\n" + _truncation_note(len(rows) - shown, html_url)
    return text + "\n"


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _truncation_note(left_out: int, html_url: str | None) -> str:
    where = (
        f"[the full HTML diff]({_base(html_url)})"
        if html_url
        else "the full diff (`specgen diff --format html`)"
    )
    return (
        f"*{left_out} more changed section(s) not shown: this comment would pass GitHub's "
        f"limit of {GITHUB_COMMENT_LIMIT:,} characters. See {where}.*"
    )


def _summary_table(summary: Summary) -> list[str]:
    rows = [
        "| | Added | Removed | Modified | Unchanged |",
        "|---|---:|---:|---:|---:|",
        f"| Sections | {summary.sections_added} | {summary.sections_removed} | "
        f"{summary.sections_modified} | {summary.sections_unchanged} |",
        f"| Examples | {summary.examples_added} | {summary.examples_removed} | "
        f"{summary.examples_modified} | |",
        f"| Eval prompt sets | {summary.eval_sets_added} | {summary.eval_sets_removed} | "
        f"{summary.eval_sets_modified} | |",
    ]
    notes = [
        f"retitled: {summary.sections_retitled}",
        f"moved: {summary.sections_moved}",
        f"authority raised: {summary.authority_raised}",
        f"authority lowered: {summary.authority_lowered}",
    ]
    if summary.authority_other:
        notes.append(f"authority added, removed or not comparable: {summary.authority_other}")
    notes.append(f"verdicts changed: {summary.verdicts_changed}")
    emphasis = "**" if summary.authority_lowered or summary.verdicts_changed else ""
    return [*rows, "", f"{emphasis}Sections {', '.join(notes)}.{emphasis}"]


def _section_row(
    diff: SpecDiff, section: SectionDiff, base_url: str | None, titles: dict[str, str]
) -> str:
    url = (
        section_url(base_url, section.id)
        if base_url and section.status is not Status.REMOVED
        else None
    )
    title = _link(md_text(section.title), url)
    cell = f"{title}<br>{md_text(section.id)}"
    kinds, details = _changes(diff, section, base_url, titles)
    return f"| {cell} | {', '.join(kinds)} | {'<br>'.join(details) or ' '} |"


def _changes(
    diff: SpecDiff, section: SectionDiff, base_url: str | None, titles: dict[str, str]
) -> tuple[list[str], list[str]]:
    """(what kind of change, e.g. "added", "retitled"; a line per detail)."""
    kinds: list[str] = [section.status.value]
    details: list[str] = []
    if section.authority is not None:
        text = authority_text(section.authority, diff.old, diff.new)
        kinds.append("authority")
        details.append(f"**Authority: {md_text(text)}**")
    if section.retitled:
        assert section.old is not None
        kinds.append("retitled")
        details.append(f"Retitled from “{md_text(section.old.title)}”")
    if section.moved is not None:
        kinds.append("moved")
        details.append(md_text(_sentence(move_text(section.moved, titles))))
    if section.informative_changed and section.new is not None:
        details.append("Now informative" if section.new.informative else "No longer informative")
    if section.body_changed:
        kinds.append("text")
    if section.source_changed:
        kinds.append("source only")
        details.append("Only the source differs: formatting, whitespace or unparsed text")
    tags = [f"\\+{md_text(t)}" for t in section.tags_added]
    tags += [f"{MINUS}{md_text(t)}" for t in section.tags_removed]
    if tags:
        details.append("Tags: " + " ".join(tags))
    refs = [f"\\+{md_text(t)}" for t in section.eval_refs_added]
    refs += [f"{MINUS}{md_text(t)}" for t in section.eval_refs_removed]
    if refs:
        details.append("Eval prompts: " + " ".join(refs))
    if section.status in (Status.ADDED, Status.REMOVED):
        if section.examples:
            details.append(f"{len(section.examples)} example(s) {section.status.value}")
        return kinds, details
    changed = section.changed_examples
    if changed:
        kinds.append("examples")
    details.extend(_example_lines(diff, section, changed, base_url))
    return kinds, details


def _example_lines(
    diff: SpecDiff,
    section: SectionDiff,
    changed: Iterable[ExampleDiff],
    base_url: str | None,
) -> list[str]:
    lines: list[str] = []
    hidden = 0
    for example in changed:
        node = example.new or example.old
        assert node is not None
        verdicts = verdict_texts(example, diff.old, diff.new)
        if len(lines) >= MAX_ITEMS:
            hidden += 1
            continue
        url = (
            example_url(base_url, section.id, example.id)
            if base_url and example.status is not Status.REMOVED
            else None
        )
        line = f"Example {example.status.value}: {_link(_caption(node), url)}"
        if verdicts:
            line += " — **verdict " + "; ".join(md_text(v) for v in verdicts) + "**"
        lines.append(line)
    if hidden:
        lines.append(f"and {hidden} more changed example(s)")
    return lines
