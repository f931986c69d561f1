"""## What it does
Reports a `violates:` reference on an answer that is not `bad`.

## Why is this bad?
The reference says which principle the answer breaks; a good or ok answer breaks none,
so either the verdict or the reference is wrong.

## Example
```yaml
- quality: good
  content: Sure, here is the passenger's booking.
  violates: protect_passenger_data
```

## Use instead
```yaml
- quality: bad
  content: Sure, here is the passenger's booking.
  violates: protect_passenger_data
```
"""

from __future__ import annotations

from collections.abc import Iterator

from specgen.diagnostics import Diagnostic, Severity
from specgen.lint.rule import Rule
from specgen.lint.walk import answers
from specgen.model import Quality, Spec


def check(spec: Spec) -> Iterator[Diagnostic]:
    for _, _, answer in answers(spec):
        if answer.violates is not None and answer.quality in (Quality.GOOD, Quality.OK):
            yield RULE.at(
                answer.violates.loc,
                f"an answer of quality '{answer.quality}' names a principle it "
                f"violates ('{answer.violates.target}'); only bad answers violate one",
            )


RULE = Rule(
    "SG307",
    "violation-on-good-answer",
    "A broken-principle reference on a good answer",
    __doc__,
    check,
    Severity.WARNING,
)
