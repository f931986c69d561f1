"""`specgen eval`'s one call: run the spec's task with inspect and sum up its log.

Concurrency, retries and the log are inspect's; this module only passes them on. A
sample that ends in an error (a grader reply with no verdict, a provider failure) is
"not measured": counted apart, never as a verdict.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from inspect_ai import eval as inspect_eval
from inspect_ai._util.error import PrerequisiteError
from inspect_ai.log import EvalLog
from inspect_ai.model import Model, get_model

from specgen.eval_run.book import SpecNotFound, spec_records
from specgen.eval_run.grading import VERDICTS
from specgen.eval_run.selection import SelectionError
from specgen.eval_run.task import spec_eval

SCORER = "spec_compliance"
_VERDICT_OF_VALUE = {value: verdict for verdict, (_, value) in VERDICTS.items()}


class EvalRunError(Exception):
    """The run could not start (no spec, an empty selection, a provider inspect lacks)."""


@dataclass(frozen=True, slots=True)
class Tally:
    """Verdicts counted over graded samples (every epoch)."""

    counts: dict[str, int] = field(default_factory=dict)

    @property
    def graded(self) -> int:
        return sum(self.counts.values())

    def of(self, verdict: str) -> int:
        return self.counts.get(verdict, 0)

    @property
    def rate(self) -> float | None:
        """Compliant / graded; None when nothing was graded."""
        return self.of("compliant") / self.graded if self.graded else None


@dataclass(frozen=True, slots=True)
class RunSummary:
    log_path: str
    status: str  # inspect's: success, error, cancelled
    error: str | None  # why the run stopped, when it did
    overall: Tally
    levels: dict[str, Tally]  # level id ("" for none) -> tally, in the spec's order
    expected: int  # samples x epochs
    not_measured: int  # errored or missing samples

    @property
    def complete(self) -> bool:
        return self.status == "success" and self.not_measured == 0


def run_eval(
    spec: str | Path | None,
    model: str | Model,
    grader: str | Model | None = None,
    *,
    sections: Sequence[str] = (),
    levels: Sequence[str] = (),
    tags: Sequence[str] = (),
    kinds: Sequence[str] = (),
    level_order: Sequence[str] = (),
    limit: int | None = None,
    epochs: int | None = None,
    max_connections: int | None = None,
    max_samples: int | None = None,
    log_dir: str | Path | None = None,
    log_format: Literal["eval", "json"] | None = None,
    display: Literal["full", "conversation", "rich", "plain", "log", "none"] | None = None,
) -> RunSummary:
    """Run the spec's eval on ``model`` (a provider/model name, or an inspect Model);
    ``grader`` grades (default: the model under test). Raises ``EvalRunError``."""
    grader_name = str(grader) if isinstance(grader, Model) else grader
    _check_model(model, "--model")
    if grader is not None:
        _check_model(grader, "--grader-model")
    try:
        task = spec_eval(
            spec=str(spec) if spec is not None else None,
            sections=list(sections),
            levels=list(levels),
            tags=list(tags),
            kinds=list(kinds),
            grader=grader_name,
            level_order=list(level_order),
        )
        logs = inspect_eval(
            task,
            model=model,
            model_roles={"grader": grader} if isinstance(grader, Model) else None,
            limit=limit,
            epochs=epochs,
            max_connections=max_connections,
            max_samples=max_samples,
            log_dir=str(log_dir) if log_dir is not None else None,
            log_format=log_format,
            display=display,
            fail_on_error=False,  # a failed sample is "not measured"; the rest still run
        )
    except (SpecNotFound, SelectionError, PrerequisiteError) as exc:
        raise EvalRunError(plain_message(str(exc))) from exc
    spec_levels = spec_records(spec, tuple(level_order)).spec.config.levels  # loaded: cached
    return summarise(logs[0], [level.id for level in spec_levels])


_MARKUP = re.compile(r"\[/?(?:bold|italic|dim|underline|red|green|yellow|blue|cyan|magenta)\]")


def plain_message(text: str) -> str:
    """inspect's messages as one plain line: its console markup ("[bold]") and line
    breaks are for its own display, not for ours."""
    return " ".join(_MARKUP.sub("", text).split())


def _check_model(model: str | Model, option: str) -> None:
    """A model name inspect cannot resolve, said before the run as a usage error: a
    misspelt provider, a name without its provider, a provider's missing package."""
    if isinstance(model, Model):
        return
    try:
        get_model(model)  # memoised: the run takes the same model object
    except PrerequisiteError as exc:
        raise EvalRunError(f"{option} {model}: {plain_message(str(exc))}") from exc
    except Exception as exc:  # the provider's own refusal (unknown API, no API key)
        raise EvalRunError(
            f"{option} {model}: {plain_message(str(exc)) or type(exc).__name__} (models are "
            "named PROVIDER/MODEL as inspect-ai names them: "
            "https://inspect.aisi.org.uk/providers.html)"
        ) from exc


def tally_text(tally: Tally) -> str:
    """ "92% of 60 graded (55 compliant, 2 minor issues, 3 violations)"."""
    if tally.rate is None:
        return "nothing graded"
    minor, violations = tally.of("minor_issues"), tally.of("violation")
    return (
        f"{tally.rate:.0%} of {tally.graded} graded ({tally.of('compliant')} compliant, "
        f"{minor} minor issue{'' if minor == 1 else 's'}, "
        f"{violations} violation{'' if violations == 1 else 's'})"
    )


def summarise(log: EvalLog, level_order: Sequence[str] = ()) -> RunSummary:
    overall: Counter[str] = Counter()
    by_level: dict[str, Counter[str]] = {}
    graded_samples = 0
    for sample in log.samples or []:
        score = (sample.scores or {}).get(SCORER)
        verdict = _VERDICT_OF_VALUE.get(str(score.value)) if score is not None else None
        if sample.error is not None or verdict is None:
            continue
        graded_samples += 1
        overall[verdict] += 1
        level = str((sample.metadata or {}).get("authority") or "")
        by_level.setdefault(level, Counter())[verdict] += 1
    rank = {level: i for i, level in enumerate(level_order)}
    ordered = sorted(by_level, key=lambda lv: (rank.get(lv, len(rank)), lv))
    expected = _expected(log)
    return RunSummary(
        log_path=log.location,
        status=log.status,
        error=log.error.message if log.error is not None else None,
        overall=Tally(dict(overall)),
        levels={level: Tally(dict(by_level[level])) for level in ordered},
        expected=expected,
        not_measured=max(expected - graded_samples, 0),
    )


def _expected(log: EvalLog) -> int:
    dataset = log.eval.dataset
    count = len(dataset.sample_ids) if dataset.sample_ids is not None else dataset.samples or 0
    limit = log.eval.config.limit
    if isinstance(limit, int):
        count = min(count, limit)
    elif isinstance(limit, (tuple, list)):
        count = min(count, max(limit[1] - limit[0], 0))
    return count * (log.eval.config.epochs or 1)
