"""The specgen plugin's options as MkDocs sees them.

specgen reads the same block itself (``specgen.sources.config``) with line numbers;
these declarations only keep MkDocs from warning about keys it does not know.
"""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class SpecgenConfig(base.Config):  # type: ignore[no-untyped-call]
    enabled = c.Type(bool, default=True)
    spec_dir = c.Type(str, default="spec")
    eval_prompts_dir = c.Type(str, default="eval-prompts")
    title = c.Optional(c.Type(str))
    subtitle = c.Optional(c.Type(str))
    version = c.Optional(c.Type((str, int, float)))
    date = c.Optional(c.Type(str))
    levels = c.Optional(c.Type(list))
    quality_names = c.Optional(c.Type(dict))
    tag_names = c.Optional(c.Type(dict))
    math = c.Optional(c.Type(str))  # everywhere or messages: checked by specgen (SG007)
    lint = c.Optional(c.Type(dict))
    versions = c.Optional(c.Type(dict))
    forge = c.Optional(c.Choice(("github", "gitlab", "gitea")))
