"""Two lists merged into one: every list of a diff (sections, examples, answers, eval
sets) is in the new order, with what was removed placed right after what preceded it on
the old side."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Sequence
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")


def merge_order(
    n_old: int, new_to_old: Sequence[int | None]
) -> list[tuple[int | None, int | None]]:
    """(old index, new index) pairs in the new order, each old item without a partner
    right after the old item that preceded it (or first, if nothing did).

    ``new_to_old[j]`` is the old partner of new item ``j``, or None.
    """
    matched = {i for i in new_to_old if i is not None}
    out: list[tuple[int | None, int | None]] = []

    def tail(i: int) -> None:
        k = i + 1
        while k < n_old and k not in matched:
            out.append((k, None))
            k += 1

    tail(-1)
    for j, i in enumerate(new_to_old):
        out.append((i, j))
        if i is not None:
            tail(i)
    return out


def merge_by_key(
    old: Sequence[T], new: Sequence[T], key: Callable[[T], K]
) -> Iterator[tuple[T | None, T | None]]:
    """Items of both sides paired by a unique key (the first item of a key wins; later
    ones are left out), in ``merge_order``."""
    old_items = first_by_key(old, key)
    new_items = first_by_key(new, key)
    old_pos = {key(item): i for i, item in enumerate(old_items)}
    mapping = [old_pos.get(key(item)) for item in new_items]
    for i, j in merge_order(len(old_items), mapping):
        yield (old_items[i] if i is not None else None, new_items[j] if j is not None else None)


def first_by_key(items: Sequence[T], key: Callable[[T], K]) -> list[T]:
    seen: set[K] = set()
    out: list[T] = []
    for item in items:
        k = key(item)
        if k not in seen:
            seen.add(k)
            out.append(item)
    return out


def longest_increasing(seq: Sequence[int]) -> set[int]:
    """Indices into ``seq`` of one longest strictly increasing subsequence."""
    tails: list[int] = []  # tails[k]: index in seq ending the best run of length k+1
    prev: list[int] = [-1] * len(seq)
    for i, value in enumerate(seq):
        lo, hi = 0, len(tails)
        while lo < hi:
            mid = (lo + hi) // 2
            if seq[tails[mid]] < value:
                lo = mid + 1
            else:
                hi = mid
        if lo > 0:
            prev[i] = tails[lo - 1]
        if lo == len(tails):
            tails.append(i)
        else:
            tails[lo] = i
    kept: set[int] = set()
    k = tails[-1] if tails else -1
    while k != -1:
        kept.add(k)
        k = prev[k]
    return kept
