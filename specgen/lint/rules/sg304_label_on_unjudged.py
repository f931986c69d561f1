"""## What it does
Reports a `quality` on a plain message of the conversation, outside `answers`.

## Why is this bad?
Only alternatives inside `answers` are judged; a quality elsewhere is silently lost, and
usually means the answer set was forgotten.

## Example
```yaml
- role: assistant
  quality: good
  content: Your flight leaves at 9:10.
```

## Use instead
```yaml
- answers:
    - quality: good
      content: Your flight leaves at 9:10.
```
"""

from __future__ import annotations

from collections.abc import Iterator

from specgen.diagnostics import Diagnostic
from specgen.lint.rule import Rule
from specgen.lint.walk import all_examples
from specgen.model import Message, Spec


def check(spec: Spec) -> Iterator[Diagnostic]:
    for example in all_examples(spec):
        for turn in example.turns:
            if isinstance(turn, Message) and turn.stray_quality is not None:
                yield RULE.at(
                    turn.stray_quality_loc or turn.loc,
                    f"quality '{turn.stray_quality}' on a message ({turn.role}) that is not "
                    "being judged; put the answer under 'answers'",
                )


RULE = Rule(
    "SG304", "label-on-unjudged", "A quality label outside a set of answers", __doc__, check
)
