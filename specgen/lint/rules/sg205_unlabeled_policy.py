"""## What it does
Reports a normative section without sub-sections that has no `authority`.

## Why is this bad?
Every policy must say who can override it. A section that holds no policy should say
so with `informative: true`.

## Example
```yaml
id: refunds
title: Offer refunds when we cancel
```

## Use instead
```yaml
id: refunds
title: Offer refunds when we cancel
authority: system
```
"""

from __future__ import annotations

from collections.abc import Iterator

from specgen.diagnostics import Diagnostic
from specgen.lint.rule import Rule
from specgen.model import Spec


def check(spec: Spec) -> Iterator[Diagnostic]:
    for section in spec.walk():
        if section.children or section.informative or section.authority is not None:
            continue
        if section.incomplete:  # its front matter is already reported as unreadable
            continue
        yield RULE.at(
            section.loc,
            f"policy '{section.id}' has no authority; add one or mark it informative: true",
        )


RULE = Rule("SG205", "unlabeled-policy", "A policy without an authority level", __doc__, check)
