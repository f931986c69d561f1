"""Every rule, by code: the one table of codes. Codes are never reused; a renamed or
retired code is listed in REDIRECTS."""

from __future__ import annotations

from specgen.lint.rule import Rule
from specgen.lint.rules import (
    loader_rules,
    result_rules,
    sg201_dangling_reference,
    sg202_duplicate_section_id,
    sg203_duplicate_example_id,
    sg204_unknown_authority,
    sg205_unlabeled_policy,
    sg206_authority_on_parent,
    sg207_informative_with_authority,
    sg208_policy_under_informative,
    sg209_duplicate_placement,
    sg210_invalid_math,
    sg211_vanished_section_id,
    sg212_unsafe_identifier,
    sg301_no_good_answer,
    sg302_empty_message,
    sg303_unknown_role,
    sg304_label_on_unjudged,
    sg305_unknown_quality,
    sg306_empty_answer_set,
    sg307_violation_on_good_answer,
    sg308_unparsed_text,
    sg401_missing_eval_prompts,
    sg402_unreferenced_eval_prompts,
    suppression_rules,
)

_ALL: tuple[Rule, ...] = (
    *loader_rules.RULES,
    sg201_dangling_reference.RULE,
    sg202_duplicate_section_id.RULE,
    sg203_duplicate_example_id.RULE,
    sg204_unknown_authority.RULE,
    sg205_unlabeled_policy.RULE,
    sg206_authority_on_parent.RULE,
    sg207_informative_with_authority.RULE,
    sg208_policy_under_informative.RULE,
    sg209_duplicate_placement.RULE,
    sg210_invalid_math.RULE,
    sg211_vanished_section_id.RULE,
    sg212_unsafe_identifier.RULE,
    sg301_no_good_answer.RULE,
    sg302_empty_message.RULE,
    sg303_unknown_role.RULE,
    sg304_label_on_unjudged.RULE,
    sg305_unknown_quality.RULE,
    sg306_empty_answer_set.RULE,
    sg307_violation_on_good_answer.RULE,
    sg308_unparsed_text.RULE,
    sg401_missing_eval_prompts.RULE,
    sg402_unreferenced_eval_prompts.RULE,
    *suppression_rules.RULES,
)

RULES: dict[str, Rule] = {rule.code: rule for rule in _ALL}
BY_NAME: dict[str, Rule] = {rule.name: rule for rule in _ALL}
REDIRECTS: dict[str, str] = {}
# What `build --results` reports about a run's logs: explained and listed by `specgen
# rules`, never run by lint (no spec fixture can produce them), so neither selectable
# nor suppressible in a spec: `lookup`, which lint uses, does not know them.
LOG_RULES: dict[str, Rule] = {rule.code: rule for rule in result_rules.RULES}
_LOG_RULES_BY_NAME: dict[str, Rule] = {rule.name: rule for rule in result_rules.RULES}


def lookup(code_or_name: str) -> Rule | None:
    """A lint rule by code (``SG201``), redirected code, or name (``dangling-reference``)."""
    key = code_or_name.strip()
    key = REDIRECTS.get(key.upper(), key)
    return RULES.get(key.upper()) or BY_NAME.get(key.lower())


def explained(code_or_name: str) -> Rule | None:
    """What `specgen rules CODE` explains: a lint rule, or a code of a run's logs."""
    key = code_or_name.strip()
    return lookup(key) or LOG_RULES.get(key.upper()) or _LOG_RULES_BY_NAME.get(key.lower())


def expand(selectors: tuple[str, ...]) -> set[str]:
    """Codes matched by codes, names or prefixes (``SG2`` selects every SG2xx rule)."""
    codes: set[str] = set()
    for selector in selectors:
        rule = lookup(selector)
        if rule is not None:
            codes.add(rule.code)
            continue
        prefix = selector.strip().upper()
        codes.update(code for code in RULES if code.startswith(prefix))
    return codes
