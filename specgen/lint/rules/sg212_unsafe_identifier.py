"""## What it does
Reports an identifier that cannot safely become part of the site: a section id, a
former id, an example id, an eval prompt set's name (its file name), or a tag. The
same code reports level ids, release versions and release paths in mkdocs.yml.

An identifier is 1 to 100 characters (at most 200 bytes of UTF-8) of letters, digits,
`_`, `-` and `.`, and starts with a letter, a digit or `_`.

## Why is this bad?
Identifiers become page addresses, file names, anchors and HTML attributes. Quotes,
angle brackets, slashes, `..`, a `javascript:` scheme or control characters in one
could write outside the site or run script in a reader's browser. A build forced past
this error publishes the item under a name derived from the id and its hash, never
the raw id.

## Example
```yaml
id: refunds/../../home
former_ids: ['"><svg onload=alert(1)>']
tags: [under 18]
```

## Use instead
```yaml
id: refunds
former_ids: [refund_policy]
tags: [under_18]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from specgen.diagnostics import Diagnostic
from specgen.identifiers import unsafe_message
from specgen.lint.rule import Rule
from specgen.model import Location, Spec


def unsafe(kind: str, value: str, loc: Location) -> Diagnostic | None:
    message = unsafe_message(kind, value)
    return None if message is None else RULE.at(loc, message)


def check(spec: Spec) -> Iterator[Diagnostic]:
    found: list[Diagnostic | None] = []
    for section in spec.walk():
        found.append(unsafe("section id", section.id, section.loc))
        found.extend(unsafe("former id", f, section.loc) for f in section.former_ids)
        found.extend(unsafe("tag", t, section.loc) for t in section.tags)
        found.extend(unsafe("example id", e.id, e.loc) for e in section.examples)
    for prompt_set in spec.eval_sets:
        found.append(unsafe("eval prompt set name", prompt_set.id, prompt_set.loc))
    yield from (d for d in found if d is not None)


RULE = Rule(
    "SG212",
    "unsafe-identifier",
    "An id, tag, name or version has characters a page address cannot hold",
    __doc__,
    check,
)
