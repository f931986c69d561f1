"""What `specgen build --results` reports about a run's logs (``specgen.evals.results``
finds them; their codes are ``specgen.evals.codes``). They are warnings about the logs,
not the spec: listed here so that `specgen rules SG603` explains them, never run by lint.
"""

from __future__ import annotations

from specgen.diagnostics import Severity
from specgen.lint.rule import Rule

UNREADABLE_LOG = Rule(
    "SG601",
    "unreadable-log",
    "A results log cannot be read",
    """## What it does
Reports a file given to `--results` that is not an inspect log specgen can read: not a
zip or JSON, damaged, malformed JSON, no header, a member or the whole log too large,
or a `.eval` compressed with zstd on a Python without a zstd reader.

## Why is this bad?
Nothing of that run is shown on the site.

## Example
```text
specgen build --results notes.txt
```

## Use instead
```text
specgen build --results logs/2025-12-18T10-00-00_specgen_abc.eval
```
""",
    severity=Severity.WARNING,
)

NOT_A_SPEC_RUN = Rule(
    "SG602",
    "not-a-spec-run",
    "A results log is of another task than a specgen spec",
    """## What it does
Reports a log whose task carries no `specgen` metadata: it was not made by
`specgen eval` (or the spec's inspect task), so its samples cannot be matched to the
spec's examples.

## Why is this bad?
Its scores mean something else; nothing of it is shown.

## Example
```text
inspect eval theory_of_mind.py   # then: specgen build --results logs/...theory-of-mind.eval
```

## Use instead
```text
specgen eval spec/ --model openai/gpt-4o   # then: specgen build --results logs/...specgen.eval
```
""",
    severity=Severity.WARNING,
)

OTHER_SPEC = Rule(
    "SG603",
    "other-spec-version",
    "A results log was run on another version of the spec",
    """## What it does
Reports a log whose spec digest differs from the spec being built: another version, or
the same version edited since the run.

## Why is this bad?
The verdicts of examples that changed since would be shown beside text the model never
saw. Only samples whose example is unchanged (same digest) are shown; the rest are
reported as SG605.

## Example
```text
specgen build --results logs/run-on-2025-10-27.eval   # the site is 2025-12-18
```

## Use instead
```text
specgen eval spec/ --model openai/gpt-4o   # run the spec being published again
```
""",
    severity=Severity.WARNING,
)

MISSING_SAMPLES = Rule(
    "SG604",
    "missing-samples",
    "Judged turns or eval prompts of the spec have no sample in a log",
    """## What it does
Reports the judged turns and eval prompts of the spec that a log has no sample of (a run
of some sections only, a run stopped early), and a log whose run did not finish.

## Why is this bad?
They are shown as "not measured", and a rate over the rest may not be the spec's.

## Example
```text
specgen eval spec/ --model openai/gpt-4o --section refunds
```

## Use instead
```text
specgen eval spec/ --model openai/gpt-4o
```
""",
    severity=Severity.WARNING,
)

CHANGED_RECORD = Rule(
    "SG605",
    "changed-example",
    "A sample is of an example that changed since the run",
    """## What it does
Reports a sample whose record digest differs from the example's now: its conversation,
answers or section text was edited after the run.

## Why is this bad?
Its verdict is about text the site no longer shows: it is not shown.

## Example
```text
specgen eval spec/ ...; edit spec/20-refunds.md; specgen build --results logs/x.eval
```

## Use instead
```text
edit spec/20-refunds.md; specgen eval spec/ ...; specgen build --results logs/x.eval
```
""",
    severity=Severity.WARNING,
)

UNKNOWN_SAMPLE = Rule(
    "SG606",
    "unknown-sample",
    "A sample is of nothing in this spec",
    """## What it does
Reports a sample whose record id (an example's judged turn, an eval prompt) is not in the
spec being built: the example was removed or renamed since the run.

## Why is this bad?
There is nothing on the site to show it beside: it is not shown.

## Example
```text
sample refund-later/1 in logs/x.eval is not in this spec
```

## Use instead
```text
specgen eval spec/ ...   # a run of the spec as it is
```
""",
    severity=Severity.WARNING,
)

ERRORED_SAMPLE = Rule(
    "SG607",
    "errored-sample",
    "A sample ended in an error",
    """## What it does
Reports samples that ended in an error (the model or the grader failed, or the grader's
reply held no verdict) or that carry no spec_compliance score.

## Why is this bad?
They have no verdict: they are "not measured", never counted as compliant or not.

## Example
```text
sample a/1 ended in an error: not measured (RateLimitError(...))
```

## Use instead
```text
inspect eval-retry logs/x.eval   # then build with the retried log
```
""",
    severity=Severity.WARNING,
)

BAD_SAMPLE = Rule(
    "SG608",
    "unreadable-sample",
    "A sample of a log cannot be read",
    """## What it does
Reports a sample of a log that is malformed: not JSON, not an object, without an id, or
with a score that is no verdict.

## Why is this bad?
It is not shown, and its judged turn is not measured.

## Example
```text
samples/a/1_epoch_1.json is not valid JSON
```

## Use instead
```text
a log written by inspect, as it wrote it
```
""",
    severity=Severity.WARNING,
)

NO_RELEASE = Rule(
    "SG609",
    "log-matches-no-release",
    "A results log matches no release of the versioned site",
    """## What it does
With `build --all-versions --results`, reports a log whose spec digest and version match
no release: each log is shown on the release it was run on.

## Why is this bad?
It is shown on no release.

## Example
```text
specgen build --all-versions --results logs/run-of-the-working-tree.eval
```

## Use instead
```text
git tag 2025-12-18; specgen build --all-versions --results logs/run-of-2025-12-18.eval
```
""",
    severity=Severity.WARNING,
)

RULES = (
    UNREADABLE_LOG,
    NOT_A_SPEC_RUN,
    OTHER_SPEC,
    MISSING_SAMPLES,
    CHANGED_RECORD,
    UNKNOWN_SAMPLE,
    ERRORED_SAMPLE,
    BAD_SAMPLE,
    NO_RELEASE,
)
