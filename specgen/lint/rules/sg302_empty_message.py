"""## What it does
Reports a message or an answer with no content.

## Why is this bad?
An empty turn renders as a blank bubble and usually means text was lost in an edit.

## Example
```yaml
- role: user
  content: ""
```

## Use instead
```yaml
- role: user
  content: Can I bring my guitar on board?
```
"""

from __future__ import annotations

from collections.abc import Iterator

from specgen.diagnostics import Diagnostic
from specgen.lint.rule import Rule
from specgen.lint.walk import all_examples
from specgen.model import AttachmentPart, Message, Part, Spec


def check(spec: Spec) -> Iterator[Diagnostic]:
    for example in all_examples(spec):
        for turn in example.turns:
            if isinstance(turn, Message):
                if _empty(turn.parts):
                    yield RULE.at(turn.loc, f"empty {turn.role or 'message'} message")
            elif not isinstance(turn, Message) and hasattr(turn, "answers"):
                for answer in turn.answers:
                    if _empty(answer.parts):
                        yield RULE.at(
                            answer.loc, f"empty {answer.quality or ''} answer".replace("  ", " ")
                        )


def _empty(parts: tuple[Part, ...]) -> bool:
    return not any(isinstance(part, AttachmentPart) or part.markdown.text.strip() for part in parts)


RULE = Rule("SG302", "empty-message", "A message or answer without content", __doc__, check)
