"""Writers: the spec model back to files, in the native format or the OpenAI dialect."""

from specgen.writers.native import write_native, write_project
from specgen.writers.openai_md import export_eval_prompts, export_openai_md
from specgen.writers.yaml_out import WriteError

__all__ = [
    "WriteError",
    "export_eval_prompts",
    "export_openai_md",
    "write_native",
    "write_project",
]
