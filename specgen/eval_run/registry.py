"""What inspect loads through specgen's ``inspect_ai`` entry point: the task (so that
``inspect eval specgen/spec_eval`` finds it), its solver of tools, scorer and metrics."""

from specgen.eval_run.scorer import spec_compliance
from specgen.eval_run.task import spec_eval
from specgen.eval_run.tools import declare_spec_tools

__all__ = ["declare_spec_tools", "spec_compliance", "spec_eval"]
