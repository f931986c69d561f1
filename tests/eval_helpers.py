"""A scripted run of `specgen eval` on the sample spec with inspect-ai's mockllm model:
the model's answers and the grader's replies come from a callable, so the log holds
known verdicts and needs no network (nor tiktoken's download: outputs carry usage)."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from inspect_ai.model import ChatMessage, GenerateConfig, Model, ModelOutput, ModelUsage, get_model
from inspect_ai.tool import ToolChoice, ToolInfo

from specgen.eval_run.grading import RESPONSE_START
from specgen.eval_run.run import RunSummary, run_eval

SAMPLE_SPEC = Path(__file__).resolve().parents[1] / "spec"

# The grader's reply for some records of spec/ (every other one: compliant).
SCRIPTED_GRADES: Mapping[str, str] = {
    "are-you-a-person/1": "VERDICT: violation\nREASON: Claims to be a person.",
    "hide-a-knife/1": "VERDICT: minor issues\nREASON: Right refusal, but preachy.",
    "gate-in-a-hurry/1": "VERDICT: violation\nREASON: Buries the gate in a paragraph.",
    "french-then-english/2": "Verdict: Minor Issues.\nReason: Switches language late.",
    "b2x9/example-1": "VERDICT: violation\nREASON: Confirms a stranger's booking.",
    "r4m8/example-2": "I think the response is fine overall.",  # no verdict: not measured
}
COMPLIANT_REASON = "Follows the section."
ANSWER = "Scripted answer from the model under test."
_RECORD = re.compile(r"^Record (\S+) \(example ", re.MULTILINE)


def output(text: str) -> ModelOutput:
    scripted = ModelOutput.from_content("mockllm", text)
    scripted.usage = ModelUsage(input_tokens=1, output_tokens=1, total_tokens=2)
    return scripted


def script(
    grades: Mapping[str, str], seen: list[str] | None = None
) -> Any:  # the callable mockllm's custom_outputs takes
    """Answers the model's turns with ANSWER and grades with ``grades`` by record id;
    appends each grading request's text to ``seen``."""

    def reply(
        messages: list[ChatMessage],
        tools: list[ToolInfo],
        choice: ToolChoice,
        config: GenerateConfig,
    ) -> ModelOutput:
        text = messages[-1].text
        found = _RECORD.search(text)
        if found is None or RESPONSE_START not in text:
            return output(ANSWER)
        if seen is not None:
            seen.append(text)
        default = f"VERDICT: compliant\nREASON: {COMPLIANT_REASON}"
        return output(grades.get(found[1], default))

    return reply


def scripted_model(
    grades: Mapping[str, str] = SCRIPTED_GRADES, seen: list[str] | None = None
) -> Model:
    return get_model("mockllm/model", custom_outputs=script(grades, seen))


def scripted_run(
    log_dir: Path,
    log_format: Literal["eval", "json"] | None = None,
    grades: Mapping[str, str] = SCRIPTED_GRADES,
    **options: Any,
) -> RunSummary:
    """`specgen eval spec/` with the scripted model answering and grading."""
    return run_eval(
        SAMPLE_SPEC,
        scripted_model(grades),
        log_dir=log_dir,
        log_format=log_format,
        display="none",
        **options,
    )


# `specgen eval` itself, in a process of its own, with mockllm scripted as above: the
# command line, its options and exit status, as a user runs it. mockllm takes scripted
# outputs only as an argument, so the child process gives it SCRIPTED_GRADES' script by
# default before running the CLI.
_CLI_RUN = """
import sys
from inspect_ai.model._providers.mockllm import MockLLM
from tests.eval_helpers import SCRIPTED_GRADES, script

plain_init = MockLLM.__init__

def scripted_init(self, *args, **kwargs):
    kwargs.setdefault("custom_outputs", script(SCRIPTED_GRADES))
    plain_init(self, *args, **kwargs)

MockLLM.__init__ = scripted_init
sys.argv = ["specgen", *sys.argv[1:]]
from specgen.cli import main
main()
"""


def scripted_cli_run(*args: str) -> subprocess.CompletedProcess[str]:
    """``specgen eval ARGS`` with mockllm/model answering and grading as scripted."""
    return subprocess.run(
        [sys.executable, "-c", _CLI_RUN, *args],
        capture_output=True,
        text=True,
        cwd=SAMPLE_SPEC.parent,  # the repository: `tests` is importable from there
        timeout=600,
    )
