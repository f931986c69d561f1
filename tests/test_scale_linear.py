"""Scale (issue 12): reading, linting, reporting, rendering and diffing cost time linear
(or n log n) in the size of the spec.

Each timing test runs, in process, a path that was quadratic at a size and at four
times that size, and checks that the time grows by less than ``BOUND`` (linear: about 4;
quadratic: about 16). Times are the best of a few runs, taken by turns, with the garbage
collector off, in CPU time of this process (``time.process_time``: on a machine shared
with other work, wall-clock time, ``time.perf_counter``, also counts the time the others
take); a bigger run is stopped, and the test failed, when it takes far longer than a
linear one could. No test asserts a time, only a ratio, and each also checks what the
path produces; other tests check that the output is what it was before, on small cases.
The last two are guards for whole commands on big specs (lint, diff), linear before too.
Input is generated here; the sizes keep each test to a second or two."""

from __future__ import annotations

import difflib
import gc
import random
import re
import signal
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

import pytest

from specgen.diagnostics import Diagnostic, Severity
from specgen.diff.engine import diff_specs
from specgen.diff.json_out import diff_to_json
from specgen.diff.markdown_out import render_diff_markdown
from specgen.diff.model import Status
from specgen.diff.words import _merge_small_equalities, diff_html
from specgen.lint.hints import CloseMatches
from specgen.lint.output import format_report
from specgen.lint.rule import PreviousRelease
from specgen.lint.runner import LintReport, lint
from specgen.mdit import parse, parse_inline
from specgen.model import (
    Answer,
    AnswerSet,
    Example,
    Location,
    Markdown,
    Message,
    Reference,
    RefKind,
    Section,
    Spec,
    SpecConfig,
    TextPart,
)
from specgen.project import LintSettings, ProjectConfig
from specgen.render.markdown import render_markdown
from specgen.render.toc import Toc
from specgen.sources import LoadResult, load
from specgen.sources.frontmatter import load_yaml, split
from specgen.sources.openai import read_openai
from specgen.sources.openai.conversation import Block, parse_conversation
from specgen.sources.yamlnodes import YamlSource, build_examples

STEP = 4  # the bigger input is this many times the smaller
BOUND = 8.0  # the most the time may grow by for it: linear ~4, quadratic ~16
SETTLE = 0.1  # seconds the smaller size runs at least, for the best time to settle
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "openai-model-spec"

Run = Callable[[], object]


# -- timing ---------------------------------------------------------------------------


class _TooSlow(BaseException):  # not an Exception: no ``except Exception`` swallows it
    pass


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Stop the block with _TooSlow after ``seconds`` (wall-clock: a CPU-time timer,
    ``ITIMER_PROF``, stalls ``time.process_time`` on Linux), where the platform has
    timers."""
    if not hasattr(signal, "setitimer") or not hasattr(signal, "SIGALRM"):
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise _TooSlow

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _time(run: Run, limit: float | None = None) -> float:
    """CPU seconds ``run`` takes; with ``limit``, a run that takes longer fails."""
    start = time.process_time()
    if limit is None:
        run()
        return time.process_time() - start
    try:
        with _deadline(limit):
            run()
    except _TooSlow:
        stopped = True
    else:
        stopped = False
    if stopped:  # failed outside the handler: the report shows no stopped frame
        pytest.fail(f"still running after {limit:.2f} s", pytrace=False)
    return time.process_time() - start


def assert_linear(make: Callable[[int], Run], n: int, repeat: int = 3) -> None:
    """``make(size)`` prepares the input of that size (not timed) and returns the run to
    time. Fails when the run on ``STEP * n`` takes ``BOUND`` times the run on ``n``.

    The two sizes are run by turns, at least ``repeat`` times each and until the smaller
    ran ``SETTLE`` seconds in all (a run of a few milliseconds is easily slowed by other
    work), and the best time of each is kept. The garbage collector is off, as in
    ``timeit``: a collection costs in the size of the whole heap, not of the input."""
    small, big = make(n), make(STEP * n)
    small_time = big_time = float("inf")
    spent = 0.0
    rounds = 0
    gc.collect()
    gc.disable()
    try:
        while rounds < repeat or (spent < SETTLE and rounds < 50):
            took = _time(small)
            small_time = min(small_time, took)
            spent += took
            # A bigger run stopped past four times the bound could only have failed (the
            # limit is wall-clock time, which a loaded machine stretches: hence the margin).
            big_time = min(big_time, _time(big, limit=max(5.0, 4 * BOUND * small_time)))
            rounds += 1
    finally:
        gc.enable()
    ratio = big_time / small_time
    assert ratio < BOUND, (
        f"size {n}: {small_time:.4f} s, size {STEP * n}: {big_time:.4f} s: "
        f"{ratio:.1f} times (at most {BOUND})"
    )


# -- helpers ------------------------------------------------------------------------------


def _write_openai(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "examples").mkdir(exist_ok=True)
    path = folder / "model_spec.md"
    path.write_text(text, "utf-8")
    return path


def _loc(line: int = 1, path: str = "spec.md") -> Location:
    return Location(path, line, 1)


def _section(section_id: str, line: int, **fields: object) -> Section:
    loc = _loc(line, str(fields.pop("path", "spec.md")))
    return Section(section_id, section_id, loc, Markdown("", loc), "root", **fields)  # type: ignore[arg-type]


def _lint_only(loaded: LoadResult, *codes: str, previous: PreviousRelease | None = None) -> Run:
    return lambda: lint(loaded, LintSettings(select=codes), previous)


def _fresh(read: Callable[[Path], object], path: Path) -> object:
    """``read(path)`` as in a new process: every text parsed again, none from the cache."""
    parse.cache_clear()
    parse_inline.cache_clear()
    return read(path)


EXAMPLE = "**Example**: {caption}\n\n~~~xml\n<user>\nHi\n</user>\n~~~\n"


# -- 1. the full output format measures each source line once ----------------------------


def test_full_format_many_findings_on_one_line(tmp_path: Path) -> None:
    def make(n: int) -> Run:
        line = "[a](#missing) " * n
        path = _write_openai(tmp_path / str(n), "# S {#s authority=root}\n\n" + line + "\n")
        report = lint(load(path, ProjectConfig()), LintSettings(select=("SG201",)))
        assert len(report.diagnostics) == n
        return lambda: format_report(report, "full", color=False)

    assert_linear(make, 300)


def test_full_format_many_findings_on_many_lines(tmp_path: Path) -> None:
    def make(n: int) -> Run:
        path = _write_openai(tmp_path / str(n), "# S {#s}\n\n" + "[a](#missing)\n\n" * n)
        report = lint(load(path, ProjectConfig()), LintSettings(select=("SG201",)))
        assert len(report.diagnostics) == n
        return lambda: format_report(report, "full", color=True)

    assert_linear(make, 1500)


def test_full_format_output_is_unchanged() -> None:
    """Byte for byte what the format printed before lines were measured once: a short
    line with tabs and wide characters, a long line cut to a window (twice), and lines
    past the file's end or in files without text."""
    long_line = "x" * 150 + "\tta\u4e00b" + "y" * 150
    texts = {"a.md": "head\n\tcaf\u00e9 \u4e00\u4e8c [x](#y)\r\n" + long_line + "\n"}
    diags = [
        Diagnostic("SG201", "short", Location("a.md", 2, 10), Severity.ERROR, 15),
        Diagnostic("SG201", "cut", Location("a.md", 3, 155), Severity.WARNING, 158),
        Diagnostic("SG201", "cut again", Location("a.md", 3, 300)),
        Diagnostic("SG201", "past the end", Location("a.md", 9, 1)),
        Diagnostic("SG201", "no text", Location("b.md", 1, 1)),
    ]
    text = format_report(LintReport(diags, 0, texts), "full", color=False)
    assert text == (
        "a.md:2:10: SG201 [error] short\n"
        "  |\n"
        "2 |     caf\u00e9 \u4e00\u4e8c [x](#y)\n"
        "  |" + " " * 15 + "^^^^^\n"
        "  |\n"
        "\n"
        "a.md:3:155: SG201 [warning] cut\n"
        "  |\n"
        "3 | \u2026" + "x" * 34 + "  ta\u4e00b" + "y" * 59 + "\u2026\n"
        "  |" + " " * 42 + "^^^\n"
        "  |\n"
        "\n"
        "a.md:3:300: SG201 [error] cut again\n"
        "  |\n"
        "3 | \u2026" + "y" * 100 + "\n"
        "  |" + " " * 96 + "^\n"
        "  |\n"
        "\n"
        "a.md:9:1: SG201 [error] past the end\n"
        "\n"
        "b.md:1:1: SG201 [error] no text\n"
        "\n"
        "Found 4 errors and 1 warning.\n"
    )


# -- 2. SG201 finds a section's example ids once, not once per placement -------------------


def test_sg201_placements_in_a_section_of_many_examples() -> None:
    def make(n: int) -> Run:
        loc = _loc()
        examples = tuple(
            Example(f"ex-{i}", Markdown("c", loc, inline=True), (), loc) for i in range(n)
        )
        places = tuple(Reference(RefKind.PLACEMENT, f"ex-{i}", loc) for i in range(n))
        wrong = Reference(RefKind.PLACEMENT, "ex-x1", _loc(2))
        section = _section("s", 1, examples=examples, references=(*places, wrong))
        loaded = LoadResult(Spec(SpecConfig(), (section,)), [])
        run = _lint_only(loaded, "SG201")
        [found] = lint(loaded, LintSettings(select=("SG201",))).diagnostics
        assert found.message == (
            "placement of unknown example 'ex-x1' in section 's'; did you mean 'ex-1'?"
        )
        return run

    assert_linear(make, 6000)


# -- 3. example ids of identical captions are numbered in constant time --------------------


def test_openai_reader_numbers_identical_captions(tmp_path: Path) -> None:
    def make(n: int) -> Run:
        path = _write_openai(
            tmp_path / str(n), "# S {#s authority=root}\n\n" + EXAMPLE.format(caption="Same") * n
        )
        return lambda: _fresh(read_openai, path)

    assert_linear(make, 1500, repeat=2)


def test_openai_reader_ids_of_identical_captions_are_as_before(tmp_path: Path) -> None:
    captions = ["x", "x", "x-2", "x", "X", "x 3", "", "", "x"]
    text = "# S {#s authority=root}\n\n" + "".join(EXAMPLE.format(caption=c) for c in captions)
    ids = [e.id for e in read_openai(_write_openai(tmp_path / "a", text)).sections[0].examples]
    assert ids == ["x", "x-2", "x-2-2", "x-3", "x-4", "x-3-2", "example", "example-2", "x-5"]
    # A caption that reads like a number comes first: the numbering steps over it.
    text = "# S {#s authority=root}\n\n" + "".join(
        EXAMPLE.format(caption=c) for c in ["x-2", "x", "x", "x-2"]
    )
    ids = [e.id for e in read_openai(_write_openai(tmp_path / "b", text)).sections[0].examples]
    assert ids == ["x-2", "x", "x-3", "x-2-2"]


# -- 4. "did you mean" hints: an index, not every id per misspelling -----------------------


def _typo_spec(n: int) -> LoadResult:
    sections = tuple(
        _section(
            f"policy_number_{i}",
            i + 1,
            references=(Reference(RefKind.LINK, f"policy_numbre_{i}", _loc(i + 1)),),
        )
        for i in range(n)
    )
    return LoadResult(Spec(SpecConfig(), sections), [])


def test_sg201_hints_for_many_misspelt_references() -> None:
    def make(n: int) -> Run:
        loaded = _typo_spec(n)
        run = _lint_only(loaded, "SG201")
        found = lint(loaded, LintSettings(select=("SG201",))).diagnostics
        assert len(found) == n
        assert found[-1].message == (
            f"reference to unknown section 'policy_numbre_{n - 1}'; "
            f"did you mean 'policy_number_{n - 1}'?"
        )
        return run

    assert_linear(make, 150, repeat=2)


def _realistic_ids(count: int) -> list[str]:
    """The Model Spec's section ids, and more made of the words they use."""
    try:
        text = (CORPUS / "2025-12-18" / "model_spec.md").read_text("utf-8")
        real = re.findall(r"\{#([a-z0-9_]+)", text)
    except OSError:
        real = ["chain_of_command", "respect_creators", "avoid_sycophancy", "be_clear"]
    words = sorted({w for i in real for w in i.split("_") if len(w) > 1})
    rnd = random.Random(12)
    ids = set(real)
    while len(ids) < count:
        ids.add("_".join(rnd.sample(words, rnd.randint(1, 4))))
    return sorted(ids)


def _typos(word: str, rnd: random.Random) -> list[str]:
    """One of each: a letter changed, two swapped, one missing, one extra, - for _."""
    i = rnd.randrange(1, len(word) - 1)
    other = "q" if word[i] != "q" else "z"
    return [
        word[:i] + other + word[i + 1 :],
        word[:i] + word[i + 1] + word[i] + word[i + 2 :],
        word[:i] + word[i + 1 :],
        word[:i] + other + word[i:],
        word.replace("_", "-"),
    ]


def test_sg201_hints_are_difflibs_for_typos() -> None:
    """For the typos people make, the hint is the one difflib gives comparing the word
    with every id (among more than the ids it compares with all of them)."""
    ids = _realistic_ids(500)
    rnd = random.Random(3)
    matches = CloseMatches(ids, 0.75)
    checked = 0
    for word in rnd.sample([i for i in ids if "_" in i and len(i) > 6], 30):
        for typo in _typos(word, rnd):
            if typo in ids:
                continue
            expected = difflib.get_close_matches(typo, ids, n=1, cutoff=0.75)
            assert matches.closest(typo) == (expected[0] if expected else None), typo
            checked += 1
    assert checked > 120


def test_sg201_hint_is_looked_up_once_per_word() -> None:
    loc = _loc()
    refs = tuple(Reference(RefKind.LINK, "policy_numbre_7", loc) for _ in range(3))
    sections = tuple(_section(f"policy_number_{i}", i + 1) for i in range(100))
    spec = Spec(SpecConfig(), (*sections, _section("s", 200, references=refs)))
    found = lint(LoadResult(spec, []), LintSettings(select=("SG201",))).diagnostics
    assert [d.message for d in found] == [
        "reference to unknown section 'policy_numbre_7'; did you mean 'policy_number_7'?"
    ] * 3
    matches = CloseMatches([f"policy_number_{i}" for i in range(100)], 0.75)
    assert matches.closest("policy_numbre_7") == "policy_number_7"
    assert matches.closest("nothing like it") is None
    assert matches._memo == {"policy_numbre_7": "policy_number_7", "nothing like it": None}


# -- 5. heading ids: a counter per slug ------------------------------------------------------


def test_heading_ids_of_many_same_headings() -> None:
    def make(n: int) -> Run:
        markdown = Markdown("## Same\n\ntext\n\n" * n, _loc())
        return lambda: render_markdown(markdown, None, None, Toc())

    assert_linear(make, 1500)


def test_heading_ids_are_as_before() -> None:
    toc = Toc(prefix="p--")
    toc.add(2, "p--same-3", "an example's anchor")
    ids = [toc.heading_id(t) for t in ["Same", "Same", "Same 2", "Same", "", "!", "Same"]]
    assert ids == [
        "p--same",
        "p--same-2",
        "p--same-2-2",
        "p--same-4",
        "p--section",
        "p--section-2",
        "p--same-5",
    ]
    html = render_markdown(Markdown("## A\n\n## A\n\n## A\n", _loc()), None, None, Toc())
    assert re.findall(r'<h2 id="([^"]+)"', html) == ["a", "a-2", "a-3"]


# -- other paths that were quadratic -------------------------------------------------------


def test_suppressions_of_many_findings_in_one_file(tmp_path: Path) -> None:
    """Each finding is matched against the suppressions of its own line, not every one."""

    def make(n: int) -> Run:
        body = "".join(
            f"<!-- specgen-disable-next-line SG201 -->\n[a](#missing_{i})\n\n" for i in range(n)
        )
        path = _write_openai(
            tmp_path / str(n), "# S {#s authority=root}\n\n" + body + "[b](#nope)\n"
        )
        loaded = load(path, ProjectConfig())
        report = lint(loaded, LintSettings(select=("SG201", "SG901")))
        assert report.suppressed == n
        assert [d.message for d in report.diagnostics] == ["reference to unknown section 'nope'"]
        return _lint_only(loaded, "SG201", "SG901")

    assert_linear(make, 2000)


def test_many_suppressions_on_one_line(tmp_path: Path) -> None:
    """The line a next-line suppression aims at is found once for the file."""

    def make(n: int) -> Run:
        comments = "<!-- specgen-disable-next-line SG201 -->" * n
        text = "# S {#s authority=root}\n\n" + comments + "\n" * n + "[a](#missing)\n"
        loaded = load(_write_openai(tmp_path / str(n), text), ProjectConfig())
        report = lint(loaded, LintSettings(select=("SG201", "SG901")))
        assert report.suppressed == 1
        assert len(report.diagnostics) == n - 1  # the others are unused (SG901)
        return _lint_only(loaded, "SG201", "SG901")

    assert_linear(make, 2000)


def test_sg211_many_vanished_ids() -> None:
    """The section now in a vanished section's file is found once per file."""

    def make(n: int) -> Run:
        def spec(prefix: str) -> Spec:
            sections = tuple(
                _section(f"{prefix}_{i}", 1, path=f"spec/{i:05d}.md") for i in range(n)
            )
            return Spec(SpecConfig(), sections, source="spec")

        previous = PreviousRelease("v1", spec("old"))
        loaded = LoadResult(spec("new"), [])
        found = lint(loaded, LintSettings(select=("SG211",)), previous).diagnostics
        assert len(found) == n
        assert all(d.loc.path == f"spec/{i:05d}.md" for i, d in enumerate(found))
        return _lint_only(loaded, "SG211", previous=previous)

    assert_linear(make, 500)


def test_native_block_scalars_in_a_long_file() -> None:
    """A block scalar's indentation is read from its own lines, not from a copy of the
    rest of the file."""

    def make(n: int) -> Run:
        examples = "".join(
            f"  - id: e{i}\n    caption: c\n    conversation:\n      - role: user\n"
            "        content: |\n          line one\n          line two\n"
            for i in range(n)
        )
        text = f"---\nid: s\ntitle: S\nexamples:\n{examples}---\n" + "Body.\n" * (50 * n)
        parts, _ = split(text, "s.md")
        data, _ = load_yaml(parts.yaml_text or "", parts.yaml_first_line, "s.md")
        src = YamlSource("s.md", parts.yaml_first_line, text.split("\n"))
        built = build_examples(src, data["examples"])
        part = built[-1].turns[0].parts[0]  # type: ignore[union-attr]
        assert isinstance(part, TextPart)
        assert part.markdown.text == "line one\nline two"
        assert part.markdown.loc == Location("s.md", 7 * n + 3, 11)
        return lambda: build_examples(src, data["examples"])

    assert_linear(make, 300, repeat=2)


def test_conversation_with_a_long_run_of_unparsed_lines() -> None:
    """Adjacent lines kept as written are joined once, not copied at every line."""

    def make(n: int) -> Run:
        lines = ["<user>", "hi", "</user>"]
        lines += [
            f"a line of text kept as written outside any message, number {i}" for i in range(n)
        ]
        turns = parse_conversation(Block("x.md", lines, 1)).turns
        assert len(turns) == 2
        assert turns[1].text == "\n".join(lines[3:])  # type: ignore[union-attr]
        return lambda: parse_conversation(Block("x.md", lines, 1))

    assert_linear(make, 8000)


def test_conversation_message_with_many_blank_lines() -> None:
    def make(n: int) -> Run:
        lines = ["<user>", *[""] * n, "hi", *[""] * n, "</user>"]
        [message] = parse_conversation(Block("x.md", lines, 1)).turns
        assert isinstance(message, Message)
        assert message.parts[0].markdown.text == "hi"  # type: ignore[union-attr]
        assert message.parts[0].markdown.loc.line == n + 2  # type: ignore[union-attr]
        return lambda: parse_conversation(Block("x.md", lines, 1))

    assert_linear(make, 30_000, repeat=2)


def _merge_reference(
    opcodes: Sequence[tuple[str, int, int, int, int]], old: list[str], new: list[str]
) -> list[tuple[str, int, int, int, int]]:
    """The fold as it was written before: the leftmost foldable run, again and again."""

    def size(op: tuple[str, int, int, int, int]) -> int:
        return max(sum(map(len, old[op[1] : op[2]])), sum(map(len, new[op[3] : op[4]])))

    ops = list(opcodes)
    changed = True
    while changed and len(ops) >= 3:
        changed = False
        for k in range(1, len(ops) - 1):
            before, equal, after = ops[k - 1], ops[k], ops[k + 1]
            if equal[0] != "equal" or before[0] == "equal" or after[0] == "equal":
                continue
            if size(equal) <= min(size(before), size(after)):
                ops[k - 1 : k + 2] = [("replace", before[1], after[2], before[3], after[4])]
                changed = True
                break
    return ops


def test_word_diff_folds_small_unchanged_runs_in_one_pass() -> None:
    def make(n: int) -> Run:
        old: list[str] = []
        new: list[str] = []
        ops: list[tuple[str, int, int, int, int]] = []

        def add(tag: str, a: list[str], b: list[str]) -> None:
            i1, j1 = len(old), len(new)
            old.extend(a)
            new.extend(b)
            ops.append((tag, i1, len(old), j1, len(new)))

        for k in range(n):  # changes kept apart by long unchanged runs: never folded
            add("replace", [f"o{k}"], [f"n{k}"])
            add("equal", ["same"] * 6, ["same"] * 6)
        for k in range(n):  # a patchwork: every unchanged word is folded in
            add("replace", [f"p{k}"], [f"q{k}"])
            add("equal", ["a"], ["a"])
        add("replace", ["end"], ["fin"])
        folded = _merge_small_equalities(ops, old, new)
        assert len(folded) == 2 * n + 1
        return lambda: _merge_small_equalities(ops, old, new)

    assert_linear(make, 300)


def test_word_diff_folds_as_before() -> None:
    rnd = random.Random(5)
    for _ in range(2000):
        old = [rnd.choice(["a", "bb", "c", "dddd", ",", "the"]) for _ in range(rnd.randint(0, 20))]
        new = [w if rnd.random() < 0.5 else rnd.choice(["a", "bb", "q", ","]) for w in old]
        ops = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
        assert _merge_small_equalities(ops, old, new) == _merge_reference(ops, old, new)
    html = diff_html("<p>one two three four</p>", "<p>uno two tres four</p>")
    assert html.html == "<p><del>one two three</del> <ins>uno two tres</ins> four</p>"


def _answers(n: int, seed: int, edit: bool) -> tuple[Answer, ...]:
    rnd = random.Random(seed)
    words = ("the", "user", "assistant", "should", "not", "can", "help", "refuse", "policy")
    texts = [" ".join(rnd.choice(words) for _ in range(12)) for _ in range(n)]
    loc = _loc()
    return tuple(
        Answer("bad", (TextPart(Markdown(t + (" again" if edit else ""), loc)),), loc, loc)
        for t in texts
    )


def _answer_spec(answers: tuple[Answer, ...]) -> Spec:
    loc = _loc()
    turns = (Message("user", (TextPart(Markdown("Hi", loc)),), loc), AnswerSet(answers, loc))
    example = Example("e", Markdown("c", loc, inline=True), turns, loc)
    return Spec(SpecConfig(), (_section("s", 1, examples=(example,)),))


def test_diff_of_a_set_of_many_answers() -> None:
    """Past 50 x 50 left-over answers, each is weighed only with the one in its place."""

    def make(n: int) -> Run:
        old, new = _answer_spec(_answers(n, 1, False)), _answer_spec(_answers(n, 1, True))
        turn = diff_specs(old, new).sections[0].examples[0].turns[1]
        assert [a.status for a in turn.answers] == [Status.MODIFIED] * n  # each in place
        return lambda: diff_specs(old, new)

    assert_linear(make, 100)


def test_diff_pairs_a_few_answers_by_similarity_as_before() -> None:
    old = _answers(4, 2, False)
    new = (old[2], old[0], *_answers(1, 9, False), old[3])
    new = (new[0], new[1], new[2], Answer("ok", old[1].parts, old[1].loc, old[1].loc))
    turn = diff_specs(_answer_spec(old), _answer_spec(new)).sections[0].examples[0].turns[1]
    pairs = [(a.status, a.old is not None and old.index(a.old)) for a in turn.answers]
    assert (Status.MODIFIED, 1) in pairs  # the verdict flip, paired by content
    assert [s for s, _ in pairs].count(Status.UNCHANGED) == 2


# -- whole commands on big specs ------------------------------------------------------------

SECTION = (
    "## Section {i} {{#sec_{i} authority=root}}\n\nBody of section {i}{extra}. See "
    "[?](#sec_{j}) and [x](#sec_{i}_missing).\n\n"
    "**Example**: example {i}\n\n~~~xml\n<user>\nQuestion {i}?\n</user>\n<comparison>\n"
    "<assistant> <!-- GOOD -->\nAnswer {i}{extra}.\n</assistant>\n"
    "<assistant> <!-- BAD[#sec_{j}] -->\nBad answer {i}.\n</assistant>\n</comparison>\n~~~\n"
)


def _big_spec(n: int, extra: str = "") -> str:
    return "# Spec {#spec_root}\n\nIntro.\n\n" + "".join(
        SECTION.format(i=i, j=(7 * i + 3) % n, extra=extra if i % 3 == 0 else "") for i in range(n)
    )


def test_lint_and_report_of_a_big_spec(tmp_path: Path) -> None:
    """Guard for the whole lint path (read, rules, full report) of a spec n sections
    long, every section with a dangling reference and an example."""

    def make(n: int) -> Run:
        path = _write_openai(tmp_path / str(n), _big_spec(n))

        def run() -> str:
            report = lint(_fresh(lambda p: load(p, ProjectConfig()), path))  # type: ignore[arg-type]
            assert report.failing(Severity.ERROR) == n
            return format_report(report, "full", color=False)

        return run

    assert_linear(make, 100, repeat=2)


def test_diff_of_two_big_specs(tmp_path: Path) -> None:
    """Guard for ``specgen diff`` of two specs n sections long (every third section
    changed): the comparison and its Markdown and JSON outputs."""

    def make(n: int) -> Run:
        old = load(_write_openai(tmp_path / f"old{n}", _big_spec(n)), ProjectConfig()).spec
        new = load(_write_openai(tmp_path / f"new{n}", _big_spec(n, " now")), ProjectConfig()).spec

        def run() -> None:
            result = diff_specs(old, new)
            assert result.summary.sections_modified == len(range(0, n, 3))
            render_diff_markdown(result, None)
            diff_to_json(result)

        return run

    assert_linear(make, 100, repeat=2)


# -- guard: a section placing many examples (its render stays linear) ----------------------


class _NoLinks:
    def section_url(self, section_id: str) -> str | None:
        return None

    def eval_url(self, set_id: str) -> str | None:
        return None

    def section_title(self, section_id: str) -> str | None:
        return None

    def page_url(self, name: str) -> str | None:
        return None


def test_a_section_placing_many_examples_renders_in_linear_time() -> None:
    from dataclasses import replace

    from specgen.render.section import RenderContext, render_section

    def make(n: int) -> Run:
        loc = _loc()
        examples = tuple(
            Example(f"ex-{i}", Markdown("c", loc, inline=True), (), loc) for i in range(n)
        )
        body = Markdown("\n\n".join(f"::example{{#ex-{i}}}" for i in range(n)), loc)
        section = replace(_section("s", 1, examples=examples), body=body)
        html = render_section(section, RenderContext(SpecConfig(), _NoLinks()))
        assert html.count('id="s--ex-') == n  # each placed once, none after the body
        return lambda: render_section(section, RenderContext(SpecConfig(), _NoLinks()))

    assert_linear(make, 1000, repeat=2)
