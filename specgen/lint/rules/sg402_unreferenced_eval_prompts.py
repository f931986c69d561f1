"""## What it does
Reports an eval prompt set that no sentence of the spec references.

## Why is this bad?
Nobody can tell which policy the prompts evaluate; usually the reference was deleted
with the sentence, or misspelt.

## Example
```text
spec/eval-prompts/q7x1.md   (and no [^q7x1] anywhere)
```

## Use instead
```markdown
Never share another passenger's booking.[^q7x1]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from specgen.diagnostics import Diagnostic
from specgen.lint.rule import Rule
from specgen.lint.walk import references
from specgen.model import RefKind, Spec


def check(spec: Spec) -> Iterator[Diagnostic]:
    used = {ref.target for _, ref in references(spec) if ref.kind is RefKind.EVAL}
    for prompt_set in spec.eval_sets:
        if prompt_set.id not in used:
            yield RULE.at(prompt_set.loc, f"eval prompt set '{prompt_set.id}' is never referenced")


RULE = Rule(
    "SG402", "unreferenced-eval-prompts", "An eval prompt set nothing references", __doc__, check
)
