"""The one Markdown parser of specgen: markdown-it-py with the spec's syntax plugins.

Lint, render and diff all call ``parse`` so they see the same tokens; the parse of each
``Markdown`` text is cached, so a text is parsed once per process.
"""

from specgen.mdit.factory import make_md, parse, parse_inline
from specgen.mdit.references import extract_references

__all__ = ["extract_references", "make_md", "parse", "parse_inline"]
