"""## What it does
Reports an example whose `id` is already used by another example of the same section.

## Why is this bad?
Example ids make permalinks and placements; a duplicate makes both ambiguous.

## Example
```yaml
examples:
  - id: refund
    caption: Cash refund
  - id: refund
    caption: Voucher refund
```

## Use instead
```yaml
examples:
  - id: cash-refund
    caption: Cash refund
  - id: voucher-refund
    caption: Voucher refund
```
"""

from __future__ import annotations

from collections.abc import Iterator

from specgen.diagnostics import Diagnostic
from specgen.lint.rule import Rule
from specgen.model import Spec


def check(spec: Spec) -> Iterator[Diagnostic]:
    for section in spec.walk():
        seen: dict[str, object] = {}
        for example in section.examples:
            if example.id in seen:
                yield RULE.at(
                    example.loc,
                    f"duplicate example id '{example.id}' in section '{section.id}'",
                )
            seen[example.id] = example


RULE = Rule(
    "SG203", "duplicate-example-id", "Two examples of a section share an id", __doc__, check
)
