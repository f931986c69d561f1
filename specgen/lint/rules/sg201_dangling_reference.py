"""## What it does
Reports a reference whose target does not exist: a `[text](#id)` or `[?](#id)` link to
no section, a `violates:` naming no section, or a `::example{#id}` placement naming no
example of its own section.

## Why is this bad?
Readers follow the link to nowhere; `[?]` has no title to show.

## Example
```markdown
Follow [?](#chain_of_comand) when instructions conflict.
```

## Use instead
```markdown
Follow [?](#chain_of_command) when instructions conflict.
```
"""

from __future__ import annotations

from collections.abc import Iterator

from specgen.diagnostics import Diagnostic
from specgen.lint.hints import CloseMatches
from specgen.lint.rule import Rule
from specgen.lint.walk import references
from specgen.model import RefKind, Section, Spec

CUTOFF = 0.75


def check(spec: Spec) -> Iterator[Diagnostic]:
    known = set(spec.section_index())
    ids = CloseMatches(known, CUTOFF)
    # A section's example ids, found once per section (not once per placement), and
    # its hints, built only for a section that has an unknown placement.
    names: dict[int, set[str]] = {}
    example_hints: dict[int, CloseMatches] = {}
    for section, ref in references(spec):
        if ref.kind is RefKind.EVAL:
            continue  # SG401 owns eval references
        if ref.kind is RefKind.PLACEMENT:
            key = id(section)
            if key not in names:
                names[key] = _example_ids(section)
            if ref.target not in names[key]:
                if key not in example_hints:
                    example_hints[key] = CloseMatches(names[key], CUTOFF)
                yield RULE.at(
                    ref.loc,
                    f"placement of unknown example '{ref.target}' in section "
                    f"'{section.id}'{_hint(ref.target, example_hints[key])}",
                )
            continue
        if ref.target not in known:
            what = "broken-principle reference" if ref.kind is RefKind.VIOLATES else "reference"
            yield RULE.at(
                ref.loc, f"{what} to unknown section '{ref.target}'{_hint(ref.target, ids)}"
            )


def _example_ids(section: Section) -> set[str]:
    return {example.id for example in section.examples}


def _hint(target: str, known: CloseMatches) -> str:
    close = known.closest(target)
    return f"; did you mean '{close}'?" if close else ""


RULE = Rule("SG201", "dangling-reference", "A reference points at nothing", __doc__, check)
