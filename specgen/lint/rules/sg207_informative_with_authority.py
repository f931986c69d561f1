"""## What it does
Reports a section marked `informative: true` that also has an `authority`.

## Why is this bad?
Informative sections hold no policy; an authority says the opposite. Readers cannot
tell whether the text binds the assistant.

## Example
```yaml
id: overview
title: Overview
informative: true
authority: guideline
```

## Use instead
```yaml
id: overview
title: Overview
informative: true
```
"""

from __future__ import annotations

from collections.abc import Iterator

from specgen.diagnostics import Diagnostic
from specgen.lint.rule import Rule
from specgen.model import Spec


def check(spec: Spec) -> Iterator[Diagnostic]:
    for section in spec.walk():
        if section.informative and section.authority is not None:
            yield RULE.at(
                section.authority_loc or section.loc,
                f"informative section '{section.id}' has an authority",
            )


RULE = Rule(
    "SG207",
    "informative-with-authority",
    "An informative section has an authority",
    __doc__,
    check,
)
