"""## What it does
Reports an answer whose `quality` is not `good`, `ok` or `bad`.

## Why is this bad?
The quality is the verdict of the example; an unknown one cannot be shown or counted.

## Example
```yaml
- quality: great
  content: Happy to help!
```

## Use instead
```yaml
- quality: good
  content: Happy to help!
```
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from specgen.diagnostics import Diagnostic
from specgen.lint.rule import Rule
from specgen.lint.walk import answers
from specgen.model import QUALITY_ORDER, Spec

_NAMES = [q.value for q in QUALITY_ORDER]


def check(spec: Spec) -> Iterator[Diagnostic]:
    for _, _, answer in answers(spec):
        if not answer.quality:
            yield RULE.at(answer.quality_loc, "answer being judged has no quality label")
        elif answer.quality not in _NAMES:
            close = difflib.get_close_matches(answer.quality, _NAMES, n=1, cutoff=0.5)
            hint = f"; did you mean '{close[0]}'?" if close else " (good, ok or bad)"
            yield RULE.at(answer.quality_loc, f"unknown answer quality '{answer.quality}'{hint}")


RULE = Rule(
    "SG305", "unknown-quality", "An answer quality other than good, ok, bad", __doc__, check
)
