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

import difflib
from collections.abc import Iterator

from specgen.diagnostics import Diagnostic
from specgen.lint.rule import Rule
from specgen.lint.walk import references
from specgen.model import RefKind, Spec


def check(spec: Spec) -> Iterator[Diagnostic]:
    ids = set(spec.section_index())
    for section, ref in references(spec):
        if ref.kind is RefKind.EVAL:
            continue  # SG401 owns eval references
        if ref.kind is RefKind.PLACEMENT:
            names = {example.id for example in section.examples}
            if ref.target not in names:
                yield RULE.at(
                    ref.loc,
                    f"placement of unknown example '{ref.target}' in section "
                    f"'{section.id}'{_hint(ref.target, names)}",
                )
            continue
        if ref.target not in ids:
            what = "broken-principle reference" if ref.kind is RefKind.VIOLATES else "reference"
            yield RULE.at(
                ref.loc, f"{what} to unknown section '{ref.target}'{_hint(ref.target, ids)}"
            )


def _hint(target: str, known: set[str]) -> str:
    close = difflib.get_close_matches(target, sorted(known), n=1, cutoff=0.75)
    return f"; did you mean '{close[0]}'?" if close else ""


RULE = Rule("SG201", "dangling-reference", "A reference points at nothing", __doc__, check)
