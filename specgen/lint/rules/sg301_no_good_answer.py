"""## What it does
Reports a set of alternative answers without any answer of quality `good`.

## Why is this bad?
Good answers are the ideal answers: an example that shows only what not to do leaves
the reader (and any model trained or evaluated on it) without the target behaviour.

## Example
```yaml
- answers:
    - quality: bad
      content: I can't help with that.
```

## Use instead
```yaml
- answers:
    - quality: good
      content: I can rebook you on the 18:40 flight at no cost.
    - quality: bad
      content: I can't help with that.
```
"""

from __future__ import annotations

from collections.abc import Iterator

from specgen.diagnostics import Diagnostic, Severity
from specgen.lint.rule import Rule
from specgen.lint.walk import examples
from specgen.model import Quality, Spec


def check(spec: Spec) -> Iterator[Diagnostic]:
    for _, example in examples(spec):
        for answer_set in example.answer_sets:
            if answer_set.answers and not any(
                a.quality == Quality.GOOD for a in answer_set.answers
            ):
                yield RULE.at(
                    answer_set.loc, f"answers of example '{example.id}' have no good answer"
                )


# A warning: specs sometimes show only what not to do, on purpose.
RULE = Rule(
    "SG301",
    "no-good-answer",
    "A set of answers without an ideal answer",
    __doc__,
    check,
    Severity.WARNING,
)
