"""## What it does
Reports an eval-prompt reference `[^abcd]` with no prompt set `eval-prompts/abcd.md`.

## Why is this bad?
The sentence claims to be evaluated by prompts that do not exist.

## Example
```markdown
Never share another passenger's booking.[^q7x1]
```
with no file `spec/eval-prompts/q7x1.md`.

## Use instead
```markdown
Never share another passenger's booking.[^q7x1]
```
with `spec/eval-prompts/q7x1.md` holding the prompts.
"""

from __future__ import annotations

from collections.abc import Iterator

from specgen.diagnostics import Diagnostic
from specgen.lint.rule import Rule
from specgen.lint.walk import references
from specgen.model import RefKind, Spec


def check(spec: Spec) -> Iterator[Diagnostic]:
    known = {prompt_set.id for prompt_set in spec.eval_sets}
    for _, ref in references(spec):
        if ref.kind is RefKind.EVAL and ref.target not in known:
            yield RULE.at(ref.loc, f"eval-prompt reference '[^{ref.target}]' has no prompt set")


RULE = Rule(
    "SG401", "missing-eval-prompts", "An eval-prompt reference without prompts", __doc__, check
)
