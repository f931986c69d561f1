"""Word-level insertions and deletions between two renderings of a text.

The inputs are HTML fragments that specgen's own renderer wrote (``render_markdown``,
the example templates): their tags are trusted, their text is escaped spec text. The
result keeps the NEW side's tag structure whole and marks the words:

- inserted words are wrapped in ``<ins>``, split at tags, so an ``<ins>`` only ever holds
  text (and never straddles a tag it could unbalance);
- deleted words become ``<del>`` holding the old words as text only: the tags around them
  on the old side are dropped, so nothing of the old structure can unbalance the new one.
  Where a whole block (a paragraph, a list item, a table row) was removed, it is shown as
  it was, its tags balanced, every word in ``<del>``;
- math (``<math>…</math>``) is compared and marked as one unit.

So the result is well formed whatever changed, every tag in it comes from the renderer
or is an ``<ins>``/``<del>`` or a link note written here, and every character of text was
escaped by the renderer: spec text stays as inert in a diff as on the site.

Links are compared too: where words kept on both sides sit in links with different
targets (or gain or lose a link), the new ``<a>`` gets the class ``sgd-relinked`` and a
note follows it, "link target: old → new" (``LinkNote``; the targets are passed
unescaped, the note escapes them).

Source lines: a top-level block the renderer marked with its file line
(``data-sg-line``, ``render_markdown(source_lines=...)``) is compared without it. The
result keeps the marks of CHANGED blocks only: ``data-sg-line`` (the new side's line)
on an inserted block and on a changed one, which also gets the old side's line as
``data-sg-old-line``; a removed block has ``data-sg-old-line`` only. The marks of
unchanged blocks are dropped.

The comparison runs block by block: the top-level blocks of the two fragments (and the
children of two same-named containers, such as list items and table rows) are aligned
first; ``difflib.SequenceMatcher`` (autojunk off) then compares the words of replaced
blocks only. Words are tokens of letters and digits or single punctuation characters,
each with the whitespace after it; whitespace alone between tags is layout, taken from
the new side.
"""

from __future__ import annotations

import bisect
import html as html_lib
import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from specgen.render.markdown import SOURCE_LINE_ATTR

# A tag, or a whole math element (compared as one token).
_TAG = re.compile(r"<math\b[^>]*>.*?</math\s*>|<[^>]*>", re.S)
# A word: an entity, a run of letters/digits, or one other character; then its spaces.
_WORD = re.compile(r"(?:&#?\w+;|\w+|[^\w\s])\s*|\s+")
_TAG_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)")

# Elements that start a block: fragments are split before them (at any nesting level
# that is being compared), so changes are compared paragraph by paragraph.
_BLOCK_NAMES = """
    address article aside blockquote details dd div dl dt figcaption figure footer form
    h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody td tfoot
    th thead tr ul
"""
_VOID_NAMES = "area base br col embed hr img input link meta source track wbr"
BLOCK_TAGS = frozenset(_BLOCK_NAMES.split())
_VOID = frozenset(_VOID_NAMES.split())

# A replaced run of blocks larger than this (old words x new words) is shown as removed
# then added instead of being compared word by word: difflib is quadratic in the worst
# case, and two texts that different read better whole anyway.
MAX_WORD_PAIRS = 4_000_000

# A block's source line, as the renderer writes it (right after the tag name), and the
# old side's line as the result carries it.
LINE_ATTR = SOURCE_LINE_ATTR
OLD_LINE_ATTR = "data-sg-old-line"
_LINE = re.compile(rf'(<[A-Za-z][A-Za-z0-9-]*) {LINE_ATTR}="(\d+)"')
_HREF = re.compile(r'\shref="([^"]*)"')
_CLASS = re.compile(r'\sclass="')
RELINKED = "sgd-relinked"  # the class of a link whose target changed

# A note about a link whose target changed: (old target, new target) -> HTML; None for
# no link on that side. The targets are plain text: the note must escape them.
LinkNote = Callable[[str | None, str | None], str]


def link_note(old: str | None, new: str | None) -> str:
    """The default note: "link target: #a → #b", escaped."""
    shown = [html_lib.escape(t) if t is not None else "none" for t in (old, new)]
    return f'<span class="sgd-relink">link target: {shown[0]} → {shown[1]}</span>'


# Token kinds.
TAG, WORD, SPACE, ATOM = 0, 1, 2, 3

Token = tuple[int, str]
Opcode = tuple[str, int, int, int, int]


@dataclass(frozen=True, slots=True)
class WordDiff:
    html: str
    inserted: int  # words marked inserted
    deleted: int  # words marked deleted
    links: int = 0  # links whose target changed while their words did not

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.deleted)


def diff_html(
    old: str,
    new: str,
    note: LinkNote = link_note,
    renamed: Mapping[str, str] | None = None,
) -> WordDiff:
    """``new`` with the words inserted since ``old`` in ``<ins>`` and the words deleted
    from it in ``<del>``, and a ``note`` after each link whose target changed. Both must
    be HTML written by specgen's renderer. ``renamed``: old link targets that now have
    another name (a renamed section's "#old" -> "#new"), not a change of target."""
    if old == new:
        return WordDiff(without_lines(new), 0, 0)
    out = _Out(note, renamed)
    _diff_blocks(_split_blocks(tokenize(old)), _split_blocks(tokenize(new)), out)
    return out.result()


def mark_inserted(html: str) -> WordDiff:
    """Every word of ``html`` marked inserted (content that is new as a whole)."""
    out = _Out()
    out.mark_all(tokenize(html), "ins")
    return out.result()


def mark_deleted(html: str) -> WordDiff:
    """Every word of ``html`` marked deleted, its structure kept."""
    out = _Out()
    out.mark_all(tokenize(html), "del")
    return out.result()


# -- tokens and blocks ------------------------------------------------------------------


def tokenize(html: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    for match in _TAG.finditer(html):
        if match.start() > pos:
            _words(html[pos : match.start()], tokens)
        text = match.group()
        tokens.append((ATOM if text.startswith("<math") else TAG, text))
        pos = match.end()
    if pos < len(html):
        _words(html[pos:], tokens)
    return tokens


def _words(text: str, tokens: list[Token]) -> None:
    for match in _WORD.finditer(text):
        word = match.group()
        tokens.append((SPACE if word.isspace() else WORD, word))


def _tag_info(tag: str) -> tuple[str, bool, bool]:
    """(name, is a closing tag, opens nothing: void or self-closed)."""
    match = _TAG_NAME.match(tag)
    if match is None:  # <!doctype>, a comment: nothing that nests
        return "", False, True
    name = match.group(1).lower()
    closing = tag.startswith("</")
    return name, closing, (not closing and (name in _VOID or tag.endswith("/>")))


def _is_block_start(token: Token) -> bool:
    kind, text = token
    if kind == ATOM:
        return 'display="block"' in text[: text.find(">")]
    if kind != TAG or text.startswith("</"):
        return False
    return _tag_info(text)[0] in BLOCK_TAGS


def _split_blocks(tokens: list[Token]) -> list[list[Token]]:
    """Top-level blocks: split before every block-level element that opens at depth 0.
    Whitespace between blocks stays with the block before it."""
    blocks: list[list[Token]] = []
    current: list[Token] = []
    depth = 0
    for token in tokens:
        if depth == 0 and current and _is_block_start(token) and _has_content(current):
            blocks.append(current)
            current = []
        current.append(token)
        if token[0] == TAG:
            _, closing, void = _tag_info(token[1])
            if closing:
                depth = max(depth - 1, 0)
            elif not void:
                depth += 1
    if current:
        blocks.append(current)
    return blocks


def _has_content(tokens: list[Token]) -> bool:
    return any(kind != SPACE for kind, _ in tokens)


def _block_key(block: list[Token]) -> str:
    return without_lines("".join(text for _, text in block).strip())


# -- source lines ------------------------------------------------------------------------


def without_lines(html: str) -> str:
    """``html`` without the renderer's source lines."""
    return _LINE.sub(r"\1", html) if LINE_ATTR in html else html


def _line_tag(block: list[Token]) -> tuple[int, re.Match[str]] | None:
    """The block's opening tag, when it carries a source line: its index, and the
    line's match."""
    for i, (kind, text) in enumerate(block):
        if kind != SPACE:
            match = _LINE.match(text) if kind == TAG else None
            return (i, match) if match else None
    return None


def _unchanged(block: list[Token]) -> list[Token]:
    """An unchanged block as written: without its source line."""
    found = _line_tag(block)
    if found is None:
        return block
    at, match = found
    return [*block[:at], (TAG, match.group(1) + block[at][1][match.end() :]), *block[at + 1 :]]


def _with_old_line(old: list[Token], new: list[Token]) -> list[Token]:
    """The new block of a changed pair, its opening tag also carrying the old line."""
    old_tag, new_tag = _line_tag(old), _line_tag(new)
    if old_tag is None or new_tag is None:
        return new
    at, match = new_tag
    tag, end = new[at][1], match.end()
    marked = f'{tag[:end]} {OLD_LINE_ATTR}="{old_tag[1].group(2)}"{tag[end:]}'
    return [*new[:at], (TAG, marked), *new[at + 1 :]]


def _as_old(tag: str) -> str:
    """A tag of the old side as written in the result: its line is the old side's."""
    match = _LINE.match(tag) if LINE_ATTR in tag else None
    if match is None:
        return tag
    return f'{match.group(1)} {OLD_LINE_ATTR}="{match.group(2)}"{tag[match.end() :]}'


def _container(block: list[Token]) -> tuple[int, int, str] | None:
    """(index of the opening tag, index of its closing tag, tag name) when ``block`` is
    one element (with whitespace around it at most)."""
    first = next((i for i, (kind, _) in enumerate(block) if kind != SPACE), None)
    last = next((i for i in range(len(block) - 1, -1, -1) if block[i][0] != SPACE), None)
    if first is None or last is None or first >= last:
        return None
    if block[first][0] != TAG or block[last][0] != TAG:
        return None
    name, closing, void = _tag_info(block[first][1])
    end_name, end_closing, _ = _tag_info(block[last][1])
    if closing or void or not end_closing or name != end_name:
        return None
    depth = 0
    for kind, text in block[first:last]:
        if kind == TAG:
            _, c, v = _tag_info(text)
            depth += -1 if c else (0 if v else 1)
            if depth <= 0:
                return None  # the first element closes before the block ends
    return first, last, name


# -- alignment ---------------------------------------------------------------------------

# Blocks of a replaced run are paired by similarity (a removed list item is shown
# removed, not merged into its neighbour) when the run is at most this many pairs.
MAX_BLOCK_PAIRS = 400
PAIR_RATIO = 0.4  # two blocks less similar than this (by their words) are not paired


def _diff_blocks(old: list[list[Token]], new: list[list[Token]], out: _Out) -> None:
    old_keys = [_block_key(b) for b in old]
    new_keys = [_block_key(b) for b in new]
    matcher = SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for block in new[j1:j2]:
                out.tokens(_unchanged(block))
        elif op == "delete":
            for block in old[i1:i2]:
                out.mark_all(block, "del")
        elif op == "insert":
            for block in new[j1:j2]:
                out.mark_all(block, "ins")
        else:
            _diff_replaced(old[i1:i2], new[j1:j2], out)


def _diff_replaced(old: list[list[Token]], new: list[list[Token]], out: _Out) -> None:
    """A run of changed blocks: paired by similarity in order, each pair compared, the
    blocks left over shown removed or added."""
    if len(old) == 1 and len(new) == 1:
        _diff_block(old[0], new[0], out)
        return
    if len(old) * len(new) > MAX_BLOCK_PAIRS:
        if len(old) == len(new):
            for old_block, new_block in zip(old, new, strict=True):
                _diff_block(old_block, new_block, out)
        else:
            _diff_words(_join(old), _join(new), out)
        return
    i = j = 0
    for pi, pj in _pair_blocks(old, new):
        for block in old[i:pi]:
            out.mark_all(block, "del")
        for block in new[j:pj]:
            out.mark_all(block, "ins")
        _diff_block(old[pi], new[pj], out)
        i, j = pi + 1, pj + 1
    for block in old[i:]:
        out.mark_all(block, "del")
    for block in new[j:]:
        out.mark_all(block, "ins")


def _pair_blocks(old: list[list[Token]], new: list[list[Token]]) -> list[tuple[int, int]]:
    """Pairs (old index, new index), in order on both sides, of the most similar total."""
    old_words = [[_key(t) for t in b if t[0] in (WORD, ATOM)] for b in old]
    new_words = [[_key(t) for t in b if t[0] in (WORD, ATOM)] for b in new]
    n, m = len(old), len(new)
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        matcher = SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(old_words[i])
        for j in range(m - 1, -1, -1):
            best = max(score[i + 1][j], score[i][j + 1])
            matcher.set_seq1(new_words[j])
            ratio = matcher.quick_ratio() if old_words[i] or new_words[j] else 1.0
            if ratio >= PAIR_RATIO:
                best = max(best, score[i + 1][j + 1] + ratio)
            score[i][j] = best
    pairs: list[tuple[int, int]] = []
    i = j = 0
    while i < n and j < m:
        if score[i][j] == score[i + 1][j]:
            i += 1
        elif score[i][j] == score[i][j + 1]:
            j += 1
        else:
            pairs.append((i, j))
            i, j = i + 1, j + 1
    return pairs


def _join(blocks: list[list[Token]]) -> list[Token]:
    return [token for block in blocks for token in block]


def _diff_block(old: list[Token], new: list[Token], out: _Out) -> None:
    """Two blocks in the same place: the same element compares its children, block by
    block (list items, table rows and cells, paragraphs of an admonition); anything else
    compares its words."""
    new = _with_old_line(old, new)
    old_box, new_box = _container(old), _container(new)
    if old_box and new_box and old_box[2] == new_box[2]:
        o1, o2, _ = old_box
        n1, n2, _ = new_box
        inner_old = _split_blocks(old[o1 + 1 : o2])
        inner_new = _split_blocks(new[n1 + 1 : n2])
        if len(inner_old) > 1 or len(inner_new) > 1:
            out.tokens(new[: n1 + 1])
            _diff_blocks(inner_old, inner_new, out)
            out.tokens(new[n2:])
            return
    _diff_words(old, new, out)


# -- words -------------------------------------------------------------------------------


def _word_indices(tokens: list[Token]) -> list[int]:
    return [i for i, (kind, _) in enumerate(tokens) if kind in (WORD, ATOM)]


def _key(token: Token) -> str:
    return token[1].rstrip() if token[0] == WORD else token[1]


def _inline(token: Token, closing: bool) -> str | None:
    """The name of an inline element ``token`` opens (or closes), else None."""
    if token[0] != TAG:
        return None
    name, is_closing, void = _tag_info(token[1])
    if void or is_closing != closing or name in BLOCK_TAGS:
        return None
    return name


def _diff_words(old: list[Token], new: list[Token], out: _Out) -> None:
    old_at = _word_indices(old)
    new_at = _word_indices(new)
    if not old_at or not new_at or len(old_at) * len(new_at) > MAX_WORD_PAIRS:
        out.mark_all(old, "del")
        out.mark_all(new, "ins")
        return
    old_keys = [_key(old[i]) for i in old_at]
    new_keys = [_key(new[i]) for i in new_at]
    matcher = SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    opcodes = _merge_small_equalities(matcher.get_opcodes(), old_keys, new_keys)

    inserted = [False] * len(new_at)
    # Deleted runs by the index of the new token they are written before.
    deletions: dict[int, list[tuple[str, int, bool]]] = {}
    for op, i1, i2, j1, j2 in opcodes:
        if op == "equal":
            continue
        for j in range(j1, j2):
            inserted[j] = True
        if i2 == i1:
            continue
        text = _deleted_text(old, old_at, i1, i2)
        space = False  # a space to write before them, which the old side had
        if j2 > j1 or j1 == 0 or (j1 < len(new_at) and not _follows(old, old_at, i1, i2)):
            # Before the next word (or the words that replace them), and the space that
            # followed them on the old side, even when a tag came first.
            at = _before_word(old, old_at[i1], new, new_at[j1])
            if i2 < len(old_at) and _spaced(old[old_at[i2 - 1] : old_at[i2]]):
                text = text.rstrip() + " "
        else:
            at = _after_word(old, old_at[i1 - 1], old_at[i1], new, new_at[j1 - 1])
            space = _spaced(old[old_at[i1 - 1] : old_at[i1]]) and not _ends_spaced(new, at)
        deletions.setdefault(at, []).append((text, i2 - i1, space))

    relinks = _relinks(old, old_at, new, new_at, opcodes, out.renamed)
    j = 0  # index of the next word of the new side
    for index, token in enumerate(new):
        for old_target, new_target in relinks.notes.get(index, ()):
            out.link_changed(old_target, new_target)
        for text, count, space in deletions.get(index, ()):
            out.deleted(text, count, space)
        kind = token[0]
        if kind in (WORD, ATOM):
            if inserted[j]:
                out.inserted(token[1])
            else:
                out.text(token[1])
            j += 1
        elif kind == SPACE:
            out.text(token[1])
        else:
            out.tag(_relinked(token[1]) if index in relinks.links else token[1])
    for old_target, new_target in relinks.notes.get(len(new), ()):
        out.link_changed(old_target, new_target)
    for text, count, space in deletions.get(len(new), ()):
        out.deleted(text, count, space)


# -- link targets ------------------------------------------------------------------------


@dataclass(slots=True)
class _Relinks:
    """Links whose target changed under unchanged words: the indices of the new side's
    ``<a>`` tags to mark, and the notes to write before a token index."""

    links: set[int]
    notes: dict[int, list[tuple[str | None, str | None]]]


def _link_spans(tokens: list[Token]) -> list[tuple[int, int, str]]:
    """The links of ``tokens``: (index of ``<a>``, index of ``</a>``, target)."""
    spans: list[tuple[int, int, str]] = []
    opened: list[tuple[int, str]] = []
    for i, (kind, text) in enumerate(tokens):
        if kind != TAG or not text.startswith(("<a", "</a")):
            continue
        name, closing, _ = _tag_info(text)
        if name != "a":
            continue
        if not closing:
            href = _HREF.search(text)
            opened.append((i, html_lib.unescape(href.group(1)) if href else ""))
        elif opened:
            start, target = opened.pop()
            spans.append((start, i, target))
    return spans


def _word_links(
    spans: list[tuple[int, int, str]], at: list[int]
) -> list[tuple[int, int, str] | None]:
    """For each word (``at``: token indices, ascending), the link around it, or None.
    Links do not nest."""
    found: list[tuple[int, int, str] | None] = [None] * len(at)
    for span in spans:
        first = bisect.bisect_right(at, span[0])
        for w in range(first, bisect.bisect_left(at, span[1])):
            found[w] = span
    return found


def _relinks(
    old: list[Token],
    old_at: list[int],
    new: list[Token],
    new_at: list[int],
    opcodes: Sequence[Opcode],
    renamed: Mapping[str, str],
) -> _Relinks:
    """Compare the links around the words kept on both sides. A new link whose words
    had another target (or none) is marked, its note after it; words that lost their
    link get a note after the last of them."""
    result = _Relinks(set(), {})
    old_spans, new_spans = _link_spans(old), _link_spans(new)
    if not old_spans and not new_spans:
        return result
    old_links = _word_links(old_spans, old_at)
    new_links = _word_links(new_spans, new_at)
    lost: dict[int, tuple[int, str]] = {}  # old link -> (after which new token, target)
    for op, i1, _, j1, j2 in opcodes:
        if op != "equal":
            continue
        for k in range(j2 - j1):
            before, after = old_links[i1 + k], new_links[j1 + k]
            if after is None:
                if before is not None:
                    lost[before[0]] = (new_at[j1 + k], before[2])
                continue
            old_target = before[2] if before else None
            same = old_target is not None and renamed.get(old_target, old_target) == after[2]
            if not same and after[0] not in result.links:
                result.links.add(after[0])
                result.notes.setdefault(after[1] + 1, []).append((old_target, after[2]))
    for last, target in lost.values():
        result.notes.setdefault(last + 1, []).append((target, None))
    return result


def _relinked(tag: str) -> str:
    """An ``<a>`` tag with the class that marks a changed target."""
    if _CLASS.search(tag):
        return _CLASS.sub(lambda m: f"{m.group()}{RELINKED} ", tag, count=1)
    return f'<a class="{RELINKED}"{tag[2:]}'


def _spaced(tokens: list[Token]) -> bool:
    """Whether there is whitespace in the text of ``tokens``."""
    return any(kind != TAG and text[-1:].isspace() for kind, text in tokens)


def _ends_spaced(tokens: list[Token], end: int) -> bool:
    """Whether the text before ``tokens[end]`` (tags skipped) ends in whitespace."""
    for k in range(end - 1, -1, -1):
        if tokens[k][0] != TAG:
            return tokens[k][1][-1:].isspace()
    return True


def _before_word(old: list[Token], old_word: int, new: list[Token], new_word: int) -> int:
    """Where to write deleted words that went before ``old_word``, in front of
    ``new_word``: inside the inline elements opened before both (by name), outside the
    ones only the new side opens there (a deletion does not take on their style)."""
    old_open = [name for _, name in _opening_run(old, old_word)]
    new_open = _opening_run(new, new_word)
    shared = 0
    for old_name, (_, new_name) in zip(old_open, new_open, strict=False):
        if old_name != new_name:
            break
        shared += 1
    if shared == len(new_open):
        return new_word
    return new_open[shared][0]


def _opening_run(tokens: list[Token], word: int) -> list[tuple[int, str]]:
    """The inline elements opened right before ``tokens[word]``, outermost first."""
    run: list[tuple[int, str]] = []
    k = word - 1
    while k >= 0:
        if tokens[k][0] == SPACE:
            k -= 1
            continue
        name = _inline(tokens[k], closing=False)
        if name is None:
            break
        run.append((k, name))
        k -= 1
    run.reverse()
    return run


def _after_word(
    old: list[Token], old_prev: int, old_first: int, new: list[Token], new_prev: int
) -> int:
    """Where to write deleted words that followed ``old_prev``, after ``new_prev``: past
    the inline elements the old side closed before them too (by name)."""
    closed_old = [n for t in old[old_prev + 1 : old_first] if (n := _inline(t, closing=True))]
    at = new_prev + 1
    for name in closed_old:
        while at < len(new) and new[at][0] == SPACE:
            at += 1
        if at < len(new) and _inline(new[at], closing=True) == name:
            at += 1
        else:
            break
    return at


def _follows(old: list[Token], old_at: list[int], i1: int, i2: int) -> bool:
    """Whether deleted old words i1..i2 belong with the word before them rather than the
    one after: nothing but inline closing tags between that word and them, or a block
    boundary after them."""
    before = old[old_at[i1 - 1] + 1 : old_at[i1]]
    if all(t[0] == SPACE or _inline(t, closing=True) for t in before):
        return True
    after = old[old_at[i2 - 1] + 1 : old_at[i2]] if i2 < len(old_at) else old[old_at[-1] + 1 :]
    return any(t[0] == TAG and not _inline(t, True) and not _inline(t, False) for t in after)


def _merge_small_equalities(
    opcodes: Sequence[Opcode], old: list[str], new: list[str]
) -> list[Opcode]:
    """Fold an unchanged run into the changes around it when it is no longer than the
    change on either side (a lone "the" or comma between two rewritten phrases): the
    reader gets one deletion and one insertion instead of a patchwork.

    One pass with a stack: a fold only makes the changes around it longer, so a run
    that could be folded still can after any other fold, and folding each as soon as
    its right-hand change is known ends where folding the leftmost first, again and
    again, does. Sizes come from running sums of the words' lengths."""
    old_at = list(itertools.accumulate(map(len, old), initial=0))
    new_at = list(itertools.accumulate(map(len, new), initial=0))

    def size(op: Opcode) -> int:
        _, i1, i2, j1, j2 = op
        return max(old_at[i2] - old_at[i1], new_at[j2] - new_at[j1])

    ops: list[Opcode] = []
    for op in opcodes:
        ops.append(op)
        while len(ops) >= 3:
            before, equal, after = ops[-3], ops[-2], ops[-1]
            if equal[0] != "equal" or before[0] == "equal" or after[0] == "equal":
                break
            if size(equal) > min(size(before), size(after)):
                break
            ops[-3:] = [("replace", before[1], after[2], before[3], after[4])]
    return ops


_BREAKS = BLOCK_TAGS | {"br"}


def _deleted_text(old: list[Token], old_at: list[int], i1: int, i2: int) -> str:
    """The old words i1..i2 as text, tags dropped; a space where the old side had one
    (alone between tags) or where a dropped tag broke a line."""
    parts: list[str] = []
    for k in range(i1, i2):
        if k > i1 and not parts[-1][-1:].isspace():
            between = old[old_at[k - 1] + 1 : old_at[k]]
            if any(
                kind == SPACE or (kind == TAG and _tag_info(text)[0] in _BREAKS)
                for kind, text in between
            ):
                parts.append(" ")
        parts.append(old[old_at[k]][1])  # math stays whole: one unit on both sides
    return "".join(parts)


# -- output ------------------------------------------------------------------------------


class _Out:
    """Writes the marked-up HTML. An ``<ins>`` stays open across adjacent inserted words
    and closes before any tag; the whitespace after the last word of a run is written
    after its closing tag."""

    def __init__(
        self, note: LinkNote = link_note, renamed: Mapping[str, str] | None = None
    ) -> None:
        self.parts: list[str] = []
        self.open: str | None = None  # "ins" or "del" while one is open
        self.trail = ""  # whitespace after the open run's last word, not yet written
        self.n_inserted = 0
        self.n_deleted = 0
        self.n_links = 0
        self.note = note
        self.renamed = renamed or {}

    def _close(self) -> None:
        if self.open is not None:
            self.parts.append(f"</{self.open}>")
            self.open = None
        if self.trail:
            self.parts.append(self.trail)
            self.trail = ""

    def _mark(self, kind: str, text: str) -> None:
        if self.open != kind:
            self._close()
            self.parts.append(f"<{kind}>")
            self.open = kind
        elif self.trail:
            self.parts.append(self.trail)
        word = text.rstrip()
        self.trail = text[len(word) :]
        self.parts.append(word)

    def text(self, text: str) -> None:
        self._close()
        self.parts.append(text)

    def tag(self, tag: str) -> None:
        self._close()
        self.parts.append(tag)

    def tokens(self, tokens: list[Token]) -> None:
        self._close()
        self.parts.extend(text for _, text in tokens)

    def inserted(self, text: str) -> None:
        self.n_inserted += 1
        self._mark("ins", text)

    def deleted(self, text: str, words: int, space: bool = False) -> None:
        """Deleted words as one ``<del>``, apart from any run around it."""
        self._close()
        if space:
            self.parts.append(" ")
        self.n_deleted += words
        self._mark("del", text)
        self._close()

    def link_changed(self, old: str | None, new: str | None) -> None:
        self._close()
        self.n_links += 1
        self.parts.append(self.note(old, new))

    def mark_all(self, tokens: list[Token], kind: str) -> None:
        """Every word marked ``kind``; the tags of a deleted block keep their source
        line as the old side's."""
        for token_kind, text in tokens:
            if token_kind in (WORD, ATOM):
                if kind == "ins":
                    self.n_inserted += 1
                else:
                    self.n_deleted += 1
                self._mark(kind, text)
            elif token_kind == SPACE:
                self.text(text)
            else:
                self.tag(_as_old(text) if kind == "del" else text)
        self._close()

    def result(self) -> WordDiff:
        self._close()
        return WordDiff("".join(self.parts), self.n_inserted, self.n_deleted, self.n_links)
