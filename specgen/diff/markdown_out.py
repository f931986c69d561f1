"""The diff as Markdown for a pull-request comment: a table of counts, then the changed
sections, linked into a preview site of the new side when its address is known.

Spec text is untrusted here too: titles, ids and captions are escaped so that none can
break the table, start a link, an image or a mention, or reach GitHub as HTML. The
comment stays under GitHub's limit: sections that do not fit are left out, with a note
saying how many and where to see them all.

The words for each change come from ``specgen.diff.describe``: here a section's Change
cell lists their labels, its Details cell their detail sentences (an authority change in
bold), then the changed examples one by one, each with its verdict changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from urllib.parse import quote

from specgen.diff.describe import (
    ARROW,
    example_label,
    section_changes,
    section_titles,
    status_change,
    verdict_texts,
)
from specgen.diff.model import ExampleDiff, SectionDiff, SpecDiff, Status, Summary
from specgen.model import Example
from specgen.render.linker import section_slug
from specgen.render.section import example_anchor

# GitHub refuses a comment body longer than this many characters.
GITHUB_COMMENT_LIMIT = 65536
MAX_ITEMS = 8  # examples or verdicts named in one section's row; the rest are counted
CAPTION_WORDS = 12

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
    diff: SpecDiff, section: SectionDiff, base_url: str | None, titles: Mapping[str, str]
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
    diff: SpecDiff, section: SectionDiff, base_url: str | None, titles: Mapping[str, str]
) -> tuple[list[str], list[str]]:
    """(the label of each change, lower case: "modified", "retitled"; a line per
    detail)."""
    changes = section_changes(diff, section, titles)
    # Labels are specgen's own words, never spec text; escaped all the same ("+1").
    kinds = [md_text(c.label.lower()) for c in (status_change(section), *changes)]
    details: list[str] = []
    for change in changes:
        if change.detail is None:
            continue
        if change.kind in ("examples", "verdicts") and section.status is Status.MODIFIED:
            continue  # the examples are listed one by one below, verdicts with them
        line = md_text(change.detail)
        details.append(f"**{line}**" if change.kind.startswith("authority-") else line)
    if section.status is Status.MODIFIED:
        details.extend(_example_lines(diff, section, section.changed_examples, base_url))
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
        line = f"{example_label(example)}: {_link(_caption(node), url)}"
        if verdicts:
            line += " — **verdict " + "; ".join(md_text(v) for v in verdicts) + "**"
        lines.append(line)
    if hidden:
        lines.append(f"and {hidden} more changed example(s)")
    return lines
