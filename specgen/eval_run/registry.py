"""What inspect loads through specgen's ``inspect_ai`` entry point: the task (so that
``inspect eval specgen/spec_eval`` finds it), its scorer and metrics."""

from specgen.eval_run.scorer import spec_compliance
from specgen.eval_run.task import spec_eval

__all__ = ["spec_compliance", "spec_eval"]
