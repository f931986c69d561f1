"""## What it does
Reports an `answers:` entry that holds no alternatives.

## Why is this bad?
The example promises a judged answer and shows none.

## Example
```yaml
- role: user
  content: Can I change my seat?
- answers: []
```

## Use instead
```yaml
- role: user
  content: Can I change my seat?
- answers:
    - quality: good
      content: Yes. Open your booking and choose "Seats".
```
"""

from __future__ import annotations

from collections.abc import Iterator

from specgen.diagnostics import Diagnostic
from specgen.lint.rule import Rule
from specgen.lint.walk import examples
from specgen.model import Spec


def check(spec: Spec) -> Iterator[Diagnostic]:
    for _, example in examples(spec):
        for answer_set in example.answer_sets:
            if not answer_set.answers:
                yield RULE.at(answer_set.loc, f"empty set of answers in example '{example.id}'")


RULE = Rule("SG306", "empty-answer-set", "A set of answers with no alternative", __doc__, check)
