"""The Model Spec's own settings, which its text does not give in a form a reader can take:
the names its site shows for its tags, and where it has math (only in messages).

Its Definitions section promises that "conversations and principles that are
specifically tailored for users under 18 will include a 'U18' badge": the tag (a
heading's ``tags=under_18``, a conversation's ``<settings>under_18: true``) is shown as
"U18".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType

from specgen.model import SpecConfig
from specgen.sources.math_scope import MESSAGES

TAG_NAMES: Mapping[str, str] = MappingProxyType({"under_18": "U18"})


def with_dialect_settings(config: SpecConfig) -> SpecConfig:
    """``config`` with the Model Spec's tag names added (a name the project configured
    for the same tag wins) and its rule for math: only inside messages (the reader marks
    its texts so; an import writes it into mkdocs.yml)."""
    return replace(config, tag_names={**TAG_NAMES, **config.tag_names}, math=MESSAGES)
