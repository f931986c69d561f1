"""## What it does
Reports an example placed more than once in its section's body with `::example{#id}`.

## Why is this bad?
The example would appear twice on the page with the same permalink.

## Example
```markdown
::example{#cash-refund}

More text.

::example{#cash-refund}
```

## Use instead
```markdown
::example{#cash-refund}

More text.
```
"""

from __future__ import annotations

from collections.abc import Iterator

from specgen.diagnostics import Diagnostic
from specgen.lint.rule import Rule
from specgen.model import Spec


def check(spec: Spec) -> Iterator[Diagnostic]:
    for section in spec.walk():
        placed: set[str] = set()
        for ref in section.placements:
            if ref.target in placed:
                yield RULE.at(ref.loc, f"example '{ref.target}' is already placed in this section")
            placed.add(ref.target)


RULE = Rule("SG209", "duplicate-placement", "An example placed twice", __doc__, check)
