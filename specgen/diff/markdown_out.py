"""The diff as Markdown for a pull-request comment: the heading, the counts and the
table of changed sections; the changed words under it come from
``specgen.diff.markdown_what_changed``.

What it holds, top to bottom:

- a heading naming the two sides by their specs' titles and versions (or dates), the git
  revision and short commit, and a line with the paths read, relative to the repository;
- a table of counts;
- "Changed sections": a row per changed section, most important first (authority and
  verdict changes, then removals and probable renames, then changed text, then the
  rest): its title (linked into the preview site of the new side when its address is
  known) and id, the labels of its changes, and the details: its source line on each
  side (linked to the forge when the project names its repository), the detail
  sentences and its changed examples;
- "What changed": for each section with changed words, a ``<details open>`` block listing
  each changed paragraph (``specgen.diff.markdown_what_changed``).

Why the words sit under the table and not in it: a table cell holds one line of inline
text, so several paragraphs of a section would run together in a narrow third column
(and a phone scrolls the table sideways); under it each paragraph is a list item of the
comment's full width, with a link to its line for a review comment there, and each
section folds away once read. The table stays a one-screen index of the pull request.

Spec text is untrusted here too: every title, id, caption and word is escaped
(``specgen.diff.markdown_text``) so that none can break the table, start a link, an
image, an issue reference or a mention, or reach GitHub as HTML; only specgen's own
fixed tags are written.

The comment stays under GitHub's limit: it shows fewer words per section first, then
leaves out the words of the least important sections
(``specgen.diff.markdown_what_changed``), then whole rows, with a note saying what was
left out and where to see it all.

The words for each change come from ``specgen.diff.describe`` (labels, detail sentences,
level and verdict names) and ``specgen.diff.markdown_words`` (the changed words).
"""

from __future__ import annotations

from collections.abc import Iterable

from specgen.diff.describe import (
    ARROW,
    SideLabel,
    example_label,
    section_changes,
    side_labels,
    status_change,
    verdict_texts,
)
from specgen.diff.markdown_text import example_url, line_link, link, md_text, section_url, source
from specgen.diff.markdown_what_changed import (
    GITHUB_COMMENT_LIMIT,
    Comment,
    meaning_changed,
    rows_note,
    what_changed,
)
from specgen.diff.model import RenameKind, SectionDiff, SpecDiff, Status, Summary
from specgen.origin import Origin

# Left free by default for a footer a workflow adds (the artifact's name, a link).
FOOTER_ROOM = 1000
MAX_ITEMS = 8  # examples or verdicts named in one section's row; the rest are counted

# -- the heading ------------------------------------------------------------------------------


def _side_name(label: SideLabel, where: str) -> str:
    """A side by its version (or date) and revision: "2026.11 (main @ 1a2b3c4)"; where
    it was read when it has no version."""
    if not label.version:
        return where
    return f"{label.version} ({where})" if label.revision is not None else label.version


def _titled(title: str, name: str, versioned: bool) -> str:
    """ "Skye spec 2026.11", "Skye spec, main @ 1a2b3c4"."""
    if not title:
        return name
    return f"{title} {name}" if versioned else f"{title}, {name}"


def _heading(diff: SpecDiff) -> list[str]:
    """The sides by their specs' title, version and revision (the title once when they
    share it), then the paths read, unless the heading already names them."""
    old, new = side_labels(diff)
    old_where = _where_read(old, diff.old_origin, diff.old_label)
    new_where = _where_read(new, diff.new_origin, diff.new_label)
    old_name, new_name = _side_name(old, old_where), _side_name(new, new_where)
    if old_name == new_name:  # one version on both sides: the places tell them apart
        old_name, new_name = old_where, new_where
    old_versioned = old_name.startswith(old.version) and bool(old.version)
    if old.title == new.title:
        sides = f"{_titled(old.title, old_name, old_versioned)} {ARROW} {new_name}"
    else:
        new_versioned = new_name.startswith(new.version) and bool(new.version)
        sides = (
            f"{_titled(old.title, old_name, old_versioned)} {ARROW} "
            f"{_titled(new.title, new_name, new_versioned)}"
        )
    lines = [f"### Spec changes: {md_text(sides)}", ""]
    named = (old_name, new_name) == (old.path, new.path)
    paths = [_read_from(old, diff.old_origin), _read_from(new, diff.new_origin)]
    if all(paths) and not named:
        lines += [f"Read from {paths[0]} {ARROW} {paths[1]}.", ""]
    return lines


def _located(origin: Origin) -> bool:
    """Whether ``origin`` says where in a repository its side was read (the command
    line's sides do; a diff of two ``Spec`` objects knows only their labels)."""
    return origin.revision is not None or bool(origin.rewrites)


def _where_read(label: SideLabel, origin: Origin, fallback: str) -> str:
    """ "main @ 1a2b3c4", the path in the repository, or the side's label ("v1")."""
    return label.where if _located(origin) else fallback


def _read_from(label: SideLabel, origin: Origin) -> str:
    """ "spec at main @ 1a2b3c4", or the path for files on disk; "" for a side read from
    nowhere a reader could look."""
    if not _located(origin):
        return ""
    if label.revision is None:
        return md_text(label.path)
    return f"{md_text(label.path)} at {md_text(label.where)}"


# -- order ------------------------------------------------------------------------------------


def importance(section: SectionDiff) -> int:
    """0: an authority or verdict change; 1: a removal or a probable rename; 2: changed
    text (an added section, changed words, changed examples); 3: the rest."""
    if section.authority is not None or any(e.verdict_changes for e in section.examples):
        return 0
    if section.status is Status.REMOVED or section.rename is RenameKind.PROBABLE:
        return 1
    if section.status is Status.ADDED or meaning_changed(section) or section.changed_examples:
        return 2
    return 3


def by_importance(sections: Iterable[SectionDiff]) -> list[SectionDiff]:
    """Most important first; in document order within each kind."""
    return sorted(sections, key=importance)


# -- the table -------------------------------------------------------------------------------


def _row(comment: Comment, section: SectionDiff) -> str:
    url = (
        section_url(comment.base_url, section.id)
        if comment.base_url and section.status is not Status.REMOVED
        else None
    )
    cell = f"{link(md_text(section.title), url)}<br>{md_text(section.id)}"
    kinds, details = _changes(comment, section)
    details = [_where(comment, section), *details]
    return f"| {cell} | {', '.join(kinds)} | {'<br>'.join(d for d in details if d) or ' '} |"


def _where(comment: Comment, section: SectionDiff) -> str:
    """The section's source line on each side: "spec/x.md:3 → line 5" ("old → new"
    in full when the file changed)."""
    old_origin, new_origin = comment.diff.old_origin, comment.diff.new_origin
    old = source(old_origin, section.old.loc) if section.old else ""
    new = source(new_origin, section.new.loc) if section.new else ""
    if not (section.old and section.new):
        return old or new
    old_path = old_origin.repo_path(section.old.loc.path)
    if old_path == new_origin.repo_path(section.new.loc.path):
        new = line_link(new_origin, section.new.loc.path, section.new.loc.line)
    return f"{old} {ARROW} {new}"


def _changes(comment: Comment, section: SectionDiff) -> tuple[list[str], list[str]]:
    """(the label of each change, lower case: "modified", "retitled"; a line per
    detail)."""
    changes = section_changes(comment.diff, section, comment.titles)
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
        details.extend(_example_lines(comment, section))
    return kinds, details


def _example_lines(comment: Comment, section: SectionDiff) -> list[str]:
    lines: list[str] = []
    hidden = 0
    for example in section.changed_examples:
        node = example.new or example.old
        assert node is not None
        if len(lines) >= MAX_ITEMS:
            hidden += 1
            continue
        url = (
            example_url(comment.base_url, section.id, example.id)
            if comment.base_url and example.status is not Status.REMOVED
            else None
        )
        titles = comment.new_titles if example.new is not None else comment.old_titles
        line = f"{example_label(example)}: {link(comment.caption(node, titles), url)}"
        verdicts = verdict_texts(example, comment.diff.old, comment.diff.new)
        if verdicts:
            line += " — **verdict " + "; ".join(md_text(v) for v in verdicts) + "**"
        lines.append(line)
    if hidden:
        lines.append(f"and {hidden} more changed example(s)")
    return lines


# -- the comment -------------------------------------------------------------------------------


def render_diff_markdown(
    diff: SpecDiff,
    base_url: str | None = None,
    html_url: str | None = None,
    limit: int = GITHUB_COMMENT_LIMIT - FOOTER_ROOM,
) -> str:
    """A pull-request comment: counts, a row per changed section, then the changed words
    of each. ``base_url`` is the preview site of the new side; ``html_url`` the full HTML
    diff, linked when the comment has to leave something out to stay within ``limit``
    characters."""
    head = [*_heading(diff), *_summary_table(diff.summary), ""]
    if diff.home_changed:
        head += ["The front page (text before the first section) changed.", ""]
    changed = diff.changed
    if not changed:
        return "\n".join([*head, "No section changed."]) + "\n"
    comment = Comment(diff, base_url)
    ordered = by_importance(changed)
    rows = [_row(comment, section) for section in ordered]
    table = ["#### Changed sections", "", "| Section | Change | Details |", "|---|---|---|"]
    text = "\n".join([*head, *table])
    shown = 0
    for row in rows:
        note = rows_note(len(rows) - shown - 1, html_url)
        if len(text) + 1 + len(row) + 2 + len(note) + 1 > limit:
            break
        text += "\n" + row
        shown += 1
    if shown < len(rows):
        return text + "\n\n" + rows_note(len(rows) - shown, html_url) + "\n"
    return text + what_changed(comment, ordered, limit - len(text) - 1, html_url) + "\n"


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
        *_counted(
            ("renamed", summary.sections_renamed),
            ("probably renamed", summary.sections_probably_renamed),
            ("formatting only", summary.sections_formatting_only),
            ("link targets changed", summary.sections_links_changed),
        ),
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


def _counted(*counts: tuple[str, int]) -> list[str]:
    """ "renamed: 2" for each count that is not 0."""
    return [f"{name}: {count}" for name, count in counts if count]
