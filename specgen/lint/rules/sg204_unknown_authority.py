"""## What it does
Reports an `authority` that is not one of the levels configured for the spec
(`levels` under the specgen plugin in mkdocs.yml, highest first).

## Why is this bad?
The policy's place in the order of precedence is unknown, so readers cannot tell what
may override it.

## Example
```yaml
authority: sytem
```

## Use instead
```yaml
authority: system
```
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from specgen.diagnostics import Diagnostic
from specgen.lint.rule import Rule
from specgen.model import Spec


def check(spec: Spec) -> Iterator[Diagnostic]:
    known = [level.id for level in spec.config.levels]
    for section in spec.walk():
        if section.authority is None or section.authority in known:
            continue
        close = difflib.get_close_matches(section.authority, known, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else f" (levels: {', '.join(known)})"
        yield RULE.at(
            section.authority_loc or section.loc,
            f"unknown authority level '{section.authority}'{hint}",
        )


RULE = Rule(
    "SG204", "unknown-authority", "An authority level that is not configured", __doc__, check
)
