"""## What it does
Reports a message whose `role` is not one of system, developer, user, assistant, tool.

## Why is this bad?
The role decides the message's authority in the conversation; an unknown role cannot
be rendered or judged.

## Example
```yaml
- role: customer
  content: Where is my bag?
```

## Use instead
```yaml
- role: user
  content: Where is my bag?
```
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from specgen.diagnostics import Diagnostic
from specgen.lint.rule import Rule
from specgen.lint.walk import all_examples
from specgen.model import Message, Spec

ROLES = ("system", "developer", "user", "assistant", "tool")


def check(spec: Spec) -> Iterator[Diagnostic]:
    for example in all_examples(spec):
        for turn in example.turns:
            if isinstance(turn, Message) and turn.role not in ROLES:
                close = difflib.get_close_matches(turn.role, ROLES, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else f" (roles: {', '.join(ROLES)})"
                yield RULE.at(turn.loc, f"unknown role '{turn.role}'{hint}")


RULE = Rule("SG303", "unknown-role", "A message with an unknown role", __doc__, check)
