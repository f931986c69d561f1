"""Where a spec has math: everywhere (native specs, by default) or only inside
conversation messages (``math: messages``; the OpenAI dialect's rule, kept by a project
imported from it).

The OpenAI reader marks its texts itself; a native spec configured so has every text
outside messages (bodies, captions, answer comments, the home page) marked here, after
reading, so ``\\\\( … \\\\)`` there stays text for lint, render and diff alike.
"""

from __future__ import annotations

from dataclasses import replace

from specgen.model import Answer, AnswerSet, EvalPromptSet, Example, Markdown, Section, Spec

EVERYWHERE = "everywhere"
MESSAGES = "messages"
MATH_SCOPES = (EVERYWHERE, MESSAGES)


def no_math(markdown: Markdown) -> Markdown:
    return markdown if not markdown.math else replace(markdown, math=False)


def math_in_messages_only(spec: Spec, home: Markdown | None) -> tuple[Spec, Markdown | None]:
    """``spec`` and its home page with math recognised only in messages."""
    sections = tuple(section_without_math(s) for s in spec.sections)
    eval_sets = tuple(eval_set_without_math(e) for e in spec.eval_sets)
    return replace(spec, sections=sections, eval_sets=eval_sets), home and no_math(home)


def section_without_math(section: Section, deep: bool = True) -> Section:
    """A section with math only in its messages; its sub-sections too when ``deep``
    (not for a section read again on its own: its sub-sections are the ones kept)."""
    children = section.children
    if deep:
        children = tuple(section_without_math(c) for c in children)
    return replace(
        section,
        body=no_math(section.body),
        examples=tuple(_example(e) for e in section.examples),
        children=children,
    )


def eval_set_without_math(eval_set: EvalPromptSet) -> EvalPromptSet:
    """An eval prompt set with math only in its prompts' messages."""
    prompts = tuple(_example(p) for p in eval_set.prompts)
    return replace(eval_set, body=no_math(eval_set.body), prompts=prompts)


def _example(example: Example) -> Example:
    turns = tuple(
        replace(t, answers=tuple(_answer(a) for a in t.answers)) if isinstance(t, AnswerSet) else t
        for t in example.turns
    )
    return replace(example, caption=no_math(example.caption), turns=turns)


def _answer(answer: Answer) -> Answer:
    return answer if answer.comment is None else replace(answer, comment=no_math(answer.comment))
