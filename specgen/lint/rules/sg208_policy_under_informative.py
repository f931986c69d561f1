"""## What it does
Reports a normative section (one with an authority) inside a section marked
`informative: true`.

## Why is this bad?
Readers skip informative chapters as background; a binding rule hidden there is
easily missed. Either the parent is not informative, or the child is not a policy.

## Example
```yaml
# spec/10-overview/index.md
id: overview
informative: true
# spec/10-overview/10-tone.md
id: tone
authority: guideline
```

## Use instead
```yaml
# spec/40-style/10-tone.md
id: tone
authority: guideline
```
"""

from __future__ import annotations

from collections.abc import Iterator

from specgen.diagnostics import Diagnostic, Severity
from specgen.lint.rule import Rule
from specgen.model import Section, Spec


def check(spec: Spec) -> Iterator[Diagnostic]:
    for section in spec.walk():
        if section.informative:
            yield from _policies_below(section, section)


def _policies_below(parent: Section, top: Section) -> Iterator[Diagnostic]:
    for child in parent.children:
        if child.authority is not None and not child.informative:
            yield RULE.at(
                child.authority_loc or child.loc,
                f"policy '{child.id}' sits inside informative section '{top.id}'",
            )
        if not child.informative:
            yield from _policies_below(child, top)


RULE = Rule(
    "SG208",
    "policy-under-informative",
    "A policy inside an informative section",
    __doc__,
    check,
    Severity.WARNING,
)
