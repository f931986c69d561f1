"""Shared traversals for rules: every example, every answer, every reference."""

from __future__ import annotations

from collections.abc import Iterator

from specgen.model import Answer, Example, Reference, Section, Spec


def examples(spec: Spec) -> Iterator[tuple[Section, Example]]:
    for section in spec.walk():
        for example in section.examples:
            yield section, example


def all_examples(spec: Spec) -> Iterator[Example]:
    """Section examples and eval prompts alike."""
    for _, example in examples(spec):
        yield example
    for prompt_set in spec.eval_sets:
        yield from prompt_set.prompts


def answers(spec: Spec) -> Iterator[tuple[Section, Example, Answer]]:
    for section, example in examples(spec):
        for answer_set in example.answer_sets:
            for answer in answer_set.answers:
                yield section, example, answer


def references(spec: Spec) -> Iterator[tuple[Section, Reference]]:
    """Body, caption and comment references, then broken-principle references."""
    for section in spec.walk():
        for ref in section.references:
            yield section, ref
    for section, _, answer in answers(spec):
        if answer.violates is not None:
            yield section, answer.violates
