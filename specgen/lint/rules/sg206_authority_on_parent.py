"""## What it does
Reports a section with sub-sections that carries an `authority` of its own.

## Why is this bad?
A parent's level is the roll-up of its children's; a level of its own is ambiguous
(does it bind the children? the introduction?). Move the rule into a sub-section.

## Example
```yaml
# spec/30-baggage/index.md (has sub-sections)
id: baggage
title: Baggage
authority: system
```

## Use instead
```yaml
id: baggage
title: Baggage
```
"""

from __future__ import annotations

from collections.abc import Iterator

from specgen.diagnostics import Diagnostic, Severity
from specgen.lint.rule import Rule
from specgen.model import Spec


def check(spec: Spec) -> Iterator[Diagnostic]:
    for section in spec.walk():
        if section.children and section.authority is not None:
            yield RULE.at(
                section.authority_loc or section.loc,
                f"section '{section.id}' has sub-sections and its own authority "
                f"'{section.authority}'; move the policy into a sub-section",
            )


RULE = Rule(
    "SG206",
    "authority-on-parent",
    "A section with sub-sections has its own authority",
    __doc__,
    check,
    Severity.WARNING,
)
