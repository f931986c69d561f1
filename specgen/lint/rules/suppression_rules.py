"""Rules about suppression comments themselves, reported by the lint runner."""

from __future__ import annotations

from specgen.diagnostics import Severity
from specgen.lint.rule import Rule

UNUSED_SUPPRESSION = Rule(
    "SG901",
    "unused-suppression",
    "A suppression comment that suppresses nothing",
    """## What it does
Reports a `specgen-disable` comment whose codes matched no finding.

## Why is this bad?
Stale suppressions hide the next real finding on that line and clutter the source.

## Example
```markdown
<!-- specgen-disable-next-line SG201 -->
See [?](#refunds).
```
where `refunds` exists.

## Use instead
```markdown
See [?](#refunds).
```
""",
    severity=Severity.WARNING,
)

UNKNOWN_CODE = Rule(
    "SG902",
    "unknown-suppression-code",
    "A suppression comment names no known rule",
    """## What it does
Reports a code or rule name in a `specgen-disable` comment that no rule has.

## Why is this bad?
The comment suppresses nothing; a misspelt code leaves the finding it was meant for.

## Example
```markdown
<!-- specgen-disable-next-line SG2O1 -->
```

## Use instead
```markdown
<!-- specgen-disable-next-line SG201 -->
```
""",
    severity=Severity.WARNING,
)

RULES = (UNUSED_SUPPRESSION, UNKNOWN_CODE)
