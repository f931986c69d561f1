"""Hints for a misspelt id ("did you mean ...?"): the known id closest to it, as difflib
picks it (``difflib.get_close_matches(word, known, n=1, cutoff)``), without comparing
every misspelling with every id of a large spec.

difflib only takes an id whose length is close enough to the word's (its
``real_quick_ratio``). When few ids have such a length, they are all compared, and the
hint is exactly difflib's. Otherwise an index of the ids' character bigrams and trigrams
(built once, at the first word that needs it) finds the ids that share the word's rarer
grams; of those, the few whose grams overlap the word's the most are compared with it by
difflib. Grams are taken case-blind, with ``-`` and ``_`` alike and the word's ends
marked, so that for the typos people make in an id (a letter changed, two swapped, one
missing or extra, ``-`` for ``_``) the id meant is among them: the hint is difflib's,
unless other ids are as close to the word or the word is no typo of an id. Each distinct
word is looked up once. The work for a word is bounded (``BUDGET``, ``POOL``,
``CANDIDATES``), but for one list of ids when every gram of the word is in more than
``BUDGET`` of them.
"""

from __future__ import annotations

import difflib
import heapq
from collections import Counter
from collections.abc import Iterable

# Up to this many ids of a possible length, every one is compared (difflib exactly).
EXACT_LIMIT = 64
# A word's grams are read rarest first, and no more of them once this many ids have been
# counted: a gram that most ids share (``po`` in ``policy_*``) says little, and reading
# its ids for every word would make the hints quadratic again.
BUDGET = 500
# The ids sharing the most of those grams, whose gram sets are then compared whole...
POOL = 64
# ...and the ids of the pool whose grams overlap the word's the most, for difflib.
CANDIDATES = 16


class CloseMatches:
    """The closest of ``known`` to a word, by difflib's ratio, at least ``cutoff``."""

    def __init__(self, known: Iterable[str], cutoff: float) -> None:
        self._known = sorted(set(known))
        self._cutoff = cutoff
        self._memo: dict[str, str | None] = {}
        self._by_length: dict[int, list[str]] = {}
        for name in self._known:
            self._by_length.setdefault(len(name), []).append(name)
        self._lengths = [len(name) for name in self._known]
        self._index: dict[str, list[int]] | None = None
        self._grams: dict[int, set[str]] = {}

    def closest(self, word: str) -> str | None:
        if word not in self._memo:
            self._memo[word] = self._best(word, self._candidates(word))
        return self._memo[word]

    def _best(self, word: str, candidates: list[str]) -> str | None:
        """``difflib.get_close_matches(word, candidates, n=1, cutoff)``: the candidate of
        the highest ratio (the greater one among equals), at least the cutoff. A candidate
        whose upper bounds (``real_quick_ratio``, ``quick_ratio``) fall below the best
        ratio found so far cannot beat it, and is not compared in full."""
        matcher = difflib.SequenceMatcher()
        matcher.set_seq2(word)
        best: tuple[float, str] | None = None
        for name in candidates:
            matcher.set_seq1(name)
            floor = self._cutoff if best is None else max(self._cutoff, best[0])
            if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
                continue
            ratio = matcher.ratio()
            if ratio >= self._cutoff and (best is None or (ratio, name) > best):
                best = (ratio, name)
        return best[1] if best is not None else None

    def _possible(self, size: int, length: int) -> bool:
        """Whether an id of ``length`` can reach the cutoff against a word of ``size``:
        difflib's ``real_quick_ratio``, computed as difflib computes it."""
        total = size + length
        return (2.0 * min(size, length) / total if total else 1.0) >= self._cutoff

    def _candidates(self, word: str) -> list[str]:
        size = len(word)
        lengths = {n for n in self._by_length if self._possible(size, n)}
        if sum(len(self._by_length[n]) for n in lengths) <= EXACT_LIMIT:
            return [name for n in lengths for name in self._by_length[n]]
        if self._index is None:
            self._index = _build_index(self._known)
        grams = _grams(word)
        counts: Counter[int] = Counter()
        visited = 0
        for ids in sorted((self._index.get(gram, []) for gram in grams), key=len):
            if not ids:
                continue
            if visited and visited + len(ids) > BUDGET:
                break
            visited += len(ids)
            counts.update(ids)
        lens = self._lengths
        shared = [(i, n) for i, n in counts.items() if lens[i] in lengths]
        if len(shared) > POOL:
            least = heapq.nlargest(POOL, [n for _, n in shared])[-1]
            shared = [item for item in shared if item[1] >= least]
            if len(shared) > POOL:  # ties: the lengths nearest the word's first
                shared = heapq.nsmallest(
                    POOL, shared, key=lambda item: (-item[1], abs(lens[item[0]] - size))
                )
        # Dice's coefficient of the gram sets, as difflib's ratio weighs matches by
        # both lengths; among equals, the greater id, which difflib prefers.
        scored = []
        for i, _ in shared:
            theirs = self._grams.get(i)
            if theirs is None:
                theirs = self._grams[i] = _grams(self._known[i])
            scored.append((len(grams & theirs) / (len(grams) + len(theirs)), i))
        return [self._known[i] for _, i in heapq.nlargest(CANDIDATES, scored)]


def _build_index(known: list[str]) -> dict[str, list[int]]:
    index: dict[str, list[int]] = {}
    for i, name in enumerate(known):
        for gram in _grams(name):
            index.setdefault(gram, []).append(i)
    return index


def _grams(word: str) -> set[str]:
    """The word's bigrams and trigrams, its two ends marked, case-blind, ``-`` as ``_``."""
    text = "\x00" + word.lower().replace("-", "_") + "\x01"
    return {text[i : i + n] for n in (2, 3) for i in range(len(text) - n + 1)}
