"""## What it does
Reports a section whose `id` is already used by another section anywhere in the spec.

## Why is this bad?
Ids are the addresses of policies: links, URLs and diffs could not tell the two apart.

## Example
```yaml
# spec/20-refunds.md
id: refunds
# spec/40-vouchers/10-refunds.md
id: refunds
```

## Use instead
```yaml
id: refunds
# ...
id: voucher_refunds
```
"""

from __future__ import annotations

from collections.abc import Iterator

from specgen.diagnostics import Diagnostic
from specgen.lint.rule import Rule
from specgen.model import Section, Spec


def check(spec: Spec) -> Iterator[Diagnostic]:
    first: dict[str, Section] = {}
    for section in spec.walk():
        earlier = first.setdefault(section.id, section)
        if earlier is not section:
            yield RULE.at(
                section.loc, f"duplicate section id '{section.id}' (first used at {earlier.loc})"
            )


RULE = Rule("SG202", "duplicate-section-id", "Two sections share an id", __doc__, check)
