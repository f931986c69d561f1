"""## What it does
Reports a section id of the previous release that no section has now and that no section
lists in its `former_ids`. It runs when `mkdocs.yml` has a `versions:` block and the
spec linted is the project's spec; the previous release is the newest one found there
(git tags matching `versions: tags:`, or `versions: releases:`).

The finding points at the section that now starts in the file the vanished one was in
(where a renamed id usually is), else at the `versions:` key of `mkdocs.yml`.

## Why is this bad?
Section ids are addresses: links, bookmarks and citations of the released spec point at
them. A renamed section whose old id is listed in `former_ids` keeps those links working
(the site redirects the old address); an id that just disappears breaks them.

## Example
```yaml
# spec/20-refunds.md in release 2025-10-27
id: cancellation_refunds
# spec/20-refunds.md now
id: refunds_after_cancellation
```

## Use instead
```yaml
id: refunds_after_cancellation
former_ids: [cancellation_refunds]
```
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from specgen.diagnostics import Diagnostic, Severity
from specgen.lint.rule import PreviousRelease, Rule
from specgen.model import Location, Section, Spec


def compare(spec: Spec, previous: PreviousRelease) -> Iterator[Diagnostic]:
    kept = {s.id for s in spec.walk()} | {old for s in spec.walk() for old in s.former_ids}
    starts: dict[str, Location] | None = None  # file -> the first section starting there
    for gone in previous.spec.section_index().values():
        if gone.id not in kept:
            if starts is None:
                starts = _starts(spec)
            yield RULE.at(
                _where(gone, spec, previous, starts),
                f"section id '{gone.id}' of release {previous.version} is gone: list it "
                "under former_ids of the section that replaced it (or restore it), or links "
                "to it break",
            )


def _starts(spec: Spec) -> dict[str, Location]:
    """Each file of the spec (normalised) and the first section starting in it: found
    once, not once per vanished id."""
    starts: dict[str, Location] = {}
    for section in spec.walk():
        starts.setdefault(os.path.normpath(section.loc.path), section.loc)
    return starts


def _where(
    gone: Section, spec: Spec, previous: PreviousRelease, starts: dict[str, Location]
) -> Location:
    """The section now starting in the file ``gone`` was in, else where releases are
    configured, else the spec's first section."""
    try:
        inner = os.path.relpath(gone.loc.path, previous.spec.source)
    except ValueError:  # another drive
        inner = os.curdir
    if inner != os.curdir and not inner.startswith(os.pardir):  # not a single-file spec
        now = os.path.normpath(os.path.join(spec.source, inner))
        if now in starts:
            return starts[now]
    if previous.loc is not None:
        return previous.loc
    first = next(spec.walk(), None)
    return first.loc if first is not None else Location(spec.source or os.curdir)


RULE = Rule(
    "SG211",
    "vanished-section-id",
    "A section id of the previous release is gone",
    __doc__,
    severity=Severity.WARNING,
    compare=compare,
)
