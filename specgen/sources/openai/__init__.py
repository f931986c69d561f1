"""The OpenAI Model Spec dialect: one Markdown file with ``{#id authority=...}`` headings
and ``~~~xml`` conversation blocks, plus an ``examples/`` folder of eval prompts.

See ../shared/reference/openai-model-spec-format.md for every construct. The reader
produces the same model as the native reader, with locations in the author's file.
"""

from specgen.sources.openai.detect import looks_like_openai
from specgen.sources.openai.names import with_dialect_settings
from specgen.sources.openai.reader import OpenAILoad, read_openai

__all__ = ["OpenAILoad", "looks_like_openai", "read_openai", "with_dialect_settings"]
