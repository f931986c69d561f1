"""Renamed sections: declared, or probable.

A rename pairs an old section with a new one of another id, compared as one section
(title, body, examples, authority...) that is always modified: *declared* when the new
section lists the old id in ``former_ids`` (and the old id is no section of the new side,
nor the new id one of the old); else *probable* when a section only the old side has and
one only the new side has read nearly the same: identical words (title, body, examples)
first, then the pairs whose word-level ``SequenceMatcher`` ratio is at least
``RENAME_MATCH_RATIO``, best first. Up to ``MAX_RENAME_PAIRS`` candidate pairs every pair
is a candidate; past it, each old section is weighed only against the new ones near its
place (``RENAME_NEIGHBOURS`` on either side, within the stretch between two sections both
sides keep), so thousands of removed and added sections cost no millions of comparisons.
A candidate's ratio is computed only when its upper bound (the share of words in common)
is the best left. Old ids are then translated to the new ones (``renamed_tree``): a
renamed section's children are not moved, a move's parents are named by their new ids,
and a reference to the old id (``[?](#old)``, ``violates: old``) is one to the new.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from difflib import SequenceMatcher
from heapq import heapify, heappop, heappush

from specgen.diff.order import merge_order
from specgen.diff.text import parts_text
from specgen.diff.tree import Tree
from specgen.model import AnswerSet, Message, Section, Turn, Unparsed

RENAME_MATCH_RATIO = 0.8  # a section only on each side, this similar: a probable rename
# Sections only on one side are weighed pair by pair up to this many pairs; past it, each
# old one against the new ones nearest its place (this many on either side).
MAX_RENAME_PAIRS = 2_500
RENAME_NEIGHBOURS = 4


def declared_renames(old: Tree, new: Tree) -> dict[str, str]:
    """New id -> old id: a section only the new side has that lists, in ``former_ids``,
    a section only the old side has (the first such id; each old id once)."""
    found: dict[str, str] = {}
    claimed: set[str] = set()
    for sid in new.order:
        if sid in old.places:
            continue
        for former in new.places[sid].section.former_ids:
            if former in old.places and former not in new.places and former not in claimed:
                found[sid] = former
                claimed.add(former)
                break
    return found


def probable_renames(old: Tree, new: Tree, declared: Mapping[str, str]) -> dict[str, str]:
    """New id -> old id of sections only one side has (renames aside) that read nearly
    the same: identical words first, then the most similar pairs, best first."""
    taken = set(declared.values())
    gone = [sid for sid in old.order if sid not in new.places and sid not in taken]
    came = [sid for sid in new.order if sid not in old.places and sid not in declared]
    if not gone or not came:
        return {}
    old_words = [_section_words(old.places[sid].section) for sid in gone]
    new_words = [_section_words(new.places[sid].section) for sid in came]
    found: dict[str, str] = {}
    same: dict[tuple[str, ...], list[int]] = {}
    for i, words in enumerate(old_words):
        same.setdefault(tuple(words), []).append(i)
    paired_old: set[int] = set()
    rest_new: list[int] = []
    for j, words in enumerate(new_words):
        twins = same.get(tuple(words))
        if words and twins:
            i = twins.pop(0)
            found[came[j]] = gone[i]
            paired_old.add(i)
        else:
            rest_new.append(j)
    rest_old = [i for i in range(len(gone)) if i not in paired_old and old_words[i]]
    rest_new = [j for j in rest_new if new_words[j]]
    if len(rest_old) * len(rest_new) <= MAX_RENAME_PAIRS:
        pairs: Iterable[tuple[int, int]] = ((i, j) for i in rest_old for j in rest_new)
    else:
        pairs = _neighbours(old, new, declared, gone, came, rest_old, rest_new)
    for i, j in _best_pairs(pairs, old_words, new_words):
        found[came[j]] = gone[i]
    return found


def _section_words(section: Section) -> list[str]:
    """What a rename is recognised by: the title, body and examples, as written."""
    texts = [section.title, section.body.text]
    for example in section.examples:
        texts.append(example.caption.text)
        texts.extend(_turn_text(turn) for turn in example.turns)
    return " ".join(texts).split()


def _turn_text(turn: Turn) -> str:
    if isinstance(turn, Message):
        return parts_text(turn.parts)
    if isinstance(turn, AnswerSet):
        return " ".join(parts_text(a.parts) for a in turn.answers)
    return turn.text if isinstance(turn, Unparsed) else ""


def _neighbours(
    old: Tree,
    new: Tree,
    declared: Mapping[str, str],
    gone: Sequence[str],
    came: Sequence[str],
    rest_old: Sequence[int],
    rest_new: Sequence[int],
) -> Iterator[tuple[int, int]]:
    """Each left-over old section with the left-over new ones nearest its place: in the
    merged order, sections kept on both sides cut it into stretches; within a stretch,
    the k-th old section is weighed against the new ones around the same share of the
    stretch (``RENAME_NEIGHBOURS`` on either side)."""
    old_index = {sid: i for i, sid in enumerate(old.order)}
    new_to_old = [old_index.get(declared.get(sid, sid)) for sid in new.order]
    old_rest = {old_index[gone[i]]: i for i in rest_old}
    new_index = {sid: j for j, sid in enumerate(new.order)}
    new_rest = {new_index[came[j]]: j for j in rest_new}
    stretches: list[tuple[list[int], list[int]]] = [([], [])]
    for i, j in merge_order(len(old.order), new_to_old):
        if i is not None and j is not None:
            stretches.append(([], []))
        elif i is not None and i in old_rest:
            stretches[-1][0].append(old_rest[i])
        elif j is not None and j in new_rest:
            stretches[-1][1].append(new_rest[j])
    for olds, news in stretches:
        if not olds or not news:
            continue
        for rank, i in enumerate(olds):
            middle = rank * len(news) // len(olds)
            for j in news[max(0, middle - RENAME_NEIGHBOURS) : middle + RENAME_NEIGHBOURS + 1]:
                yield i, j


def _best_pairs(
    pairs: Iterable[tuple[int, int]], old_words: Sequence[list[str]], new_words: Sequence[list[str]]
) -> Iterator[tuple[int, int]]:
    """The pairs at least ``RENAME_MATCH_RATIO`` alike, most alike first, each section in
    one pair at most (greedy). difflib's ratio is costly on long texts, so it is computed
    lazily: pairs wait in a heap under an upper bound of it (the share of words in
    common, counted by set intersection), and a pair's ratio is computed only when its
    bound is the best left; a computed ratio goes back in under its exact value."""
    bags_old: dict[int, frozenset[tuple[str, int]]] = {}
    bags_new: dict[int, frozenset[tuple[str, int]]] = {}
    heap: list[tuple[float, bool, int, int]] = []  # (-score, is an upper bound, i, j)
    for i, j in pairs:
        a, b = len(old_words[i]), len(new_words[j])
        if 2 * min(a, b) < RENAME_MATCH_RATIO * (a + b):
            continue  # too different in length to reach the ratio
        old_bag = bags_old.get(i) or bags_old.setdefault(i, _bag(old_words[i]))
        new_bag = bags_new.get(j) or bags_new.setdefault(j, _bag(new_words[j]))
        bound = 2 * len(old_bag & new_bag) / (a + b)
        if bound >= RENAME_MATCH_RATIO:
            heap.append((-bound, True, i, j))
    heapify(heap)
    paired_old: set[int] = set()
    paired_new: set[int] = set()
    while heap:
        _, estimate, i, j = heappop(heap)
        if i in paired_old or j in paired_new:
            continue
        if estimate:
            ratio = SequenceMatcher(None, old_words[i], new_words[j], autojunk=False).ratio()
            if ratio >= RENAME_MATCH_RATIO:
                heappush(heap, (-ratio, False, i, j))
            continue
        paired_old.add(i)
        paired_new.add(j)
        yield i, j


def _bag(words: Sequence[str]) -> frozenset[tuple[str, int]]:
    """The words as a set of (word, occurrence): a multiset, intersected in C."""
    seen: dict[str, int] = {}
    out = []
    for word in words:
        count = seen[word] = seen.get(word, 0) + 1
        out.append((word, count))
    return frozenset(out)


def renamed_tree(tree: Tree, new_ids: Mapping[str, str]) -> Tree:
    """``tree`` with renamed sections under their new ids (old id -> new id), so that
    places, parents and sibling orders compare with the other side's."""
    if not new_ids:
        return tree

    def key(sid: str) -> str:
        return new_ids.get(sid, sid)

    return Tree(
        places={
            key(sid): replace(place, parent=None if place.parent is None else key(place.parent))
            for sid, place in tree.places.items()
        },
        order=[key(sid) for sid in tree.order],
        children={
            (None if parent is None else key(parent)): [key(sid) for sid in kids]
            for parent, kids in tree.children.items()
        },
    )
