"""## What it does
Reports text in a conversation that is kept exactly as written because it could not be
read as messages or answers: the `unparsed:` items an import writes for what the OpenAI
dialect reader could not place (a tag with stray text, text outside any message, an
unknown element).

## Why is this bad?
The site shows such text as a raw block marked "Not parsed", not as part of the
conversation; it is kept so that no words are lost, but nobody can read it as the
example meant it. Rewrite it as messages and answers.

## Example
```yaml
conversation:
  - role: user
    content: Can I get a refund?
  - unparsed: |
      *<comparison>
      <assistant> <!-- GOOD -->Yes, in full.</assistant>
```

## Use instead
```yaml
conversation:
  - role: user
    content: Can I get a refund?
  - answers:
      - quality: good
        content: Yes, in full.
```
"""

from __future__ import annotations

from collections.abc import Iterator

from specgen.diagnostics import Diagnostic
from specgen.lint.rule import Rule
from specgen.lint.walk import all_examples
from specgen.model import AnswerSet, Spec, Unparsed


def check(spec: Spec) -> Iterator[Diagnostic]:
    for example in all_examples(spec):
        for turn in example.turns:
            kept = turn.unparsed if isinstance(turn, AnswerSet) else (turn,)
            for unparsed in kept:
                if isinstance(unparsed, Unparsed) and not unparsed.reported:
                    first = unparsed.text.strip().split("\n")[0][:60]
                    yield RULE.at(unparsed.loc, f"text kept unparsed: '{first}'")


RULE = Rule("SG308", "unparsed-text", "A conversation holds text kept as written", __doc__, check)
