r"""## What it does
Reports math (`\\( … \\)` inline, `\\[ … \\]` display) that cannot be converted to MathML:
unbalanced braces, an unknown command, a `\frac` without its arguments.

## Why is this bad?
The site renders math to MathML when it is built; math that does not convert is shown
as its LaTeX source in code font, which readers cannot read as a formula.

## Example
```markdown
The volume is \\( \frac{4}{3 \pi r^3 \\) cubic meters.
```

## Use instead
```markdown
The volume is \\( \frac{4}{3} \pi r^3 \\) cubic meters.
```
"""

from __future__ import annotations

from collections.abc import Iterator

from specgen.diagnostics import Diagnostic, Severity
from specgen.lint.rule import Rule
from specgen.lint.walk import all_examples
from specgen.mathml import math_error
from specgen.mdit import parse
from specgen.mdit.math import find_math
from specgen.model import AnswerSet, AttachmentPart, Markdown, Message, Part, Spec


def check(spec: Spec) -> Iterator[Diagnostic]:
    for markdown in _texts(spec):
        if "\\\\" not in markdown.text:  # no math without a "\\": skip the token walk
            continue
        for span in find_math(markdown, parse(markdown)):
            error = math_error(span.latex, span.display)
            if error:
                kind = "display math" if span.display else "math"
                yield RULE.at(span.loc, f"{kind} cannot be rendered: {error}")


def _texts(spec: Spec) -> Iterator[Markdown]:
    """Every Markdown text of the spec: bodies, captions, messages, answers, comments."""
    for section in spec.walk():
        yield section.body
    for prompt_set in spec.eval_sets:
        yield prompt_set.body
    for example in all_examples(spec):
        yield example.caption
        for turn in example.turns:
            if isinstance(turn, Message):
                if not turn.raw:
                    yield from _parts(turn.parts)
            elif isinstance(turn, AnswerSet):
                for answer in turn.answers:
                    if not answer.raw:
                        yield from _parts(answer.parts)
                    if answer.comment is not None:
                        yield answer.comment


def _parts(parts: tuple[Part, ...]) -> Iterator[Markdown]:
    for part in parts:
        if not isinstance(part, AttachmentPart):
            yield part.markdown


RULE = Rule(
    "SG210", "invalid-math", "Math that cannot be rendered", __doc__, check, Severity.WARNING
)
