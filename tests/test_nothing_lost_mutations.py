"""Nothing lost, nothing unseen: every word of the source is in the parsed model, and a
change of the source is a change the diff reports.

A reader either places text in the model or reports it and keeps it verbatim where it
stood (``Unparsed``, ``AnswerSet.unparsed``, ``LoadResult.home``). These tests check
that by counting words: every word of ``model_spec.md`` (its markup taken out) must be
held by the parsed model at least as many times as the file has it. The raw source
texts the model also keeps (``Section.source``, ``EvalPromptSet.source``) are left out
of the count on purpose: they hold every byte by construction; the point is what the
*parsed* model holds.

Then the OpenAI Model Spec releases of the shared corpus are mutated (a line deleted,
duplicated, swapped with the next, a tag line prefixed with a stray character, the file
truncated, junk inserted in an example block), deterministically: each mutated file must
load without an exception and within a time bound, keep every word, and differ from the
original in ``specgen diff`` whenever its bytes differ.

The mutations run in one subprocess per release (the two run side by side), so that a
reader that hangs is killed and named rather than hanging the test run.

Tokenisation: a word is a maximal run of Unicode letters and digits, lower-cased
(``re.findall(r"[^\\W_]+", text.lower())``). Punctuation (Markdown's ``**``, ``#``,
``[`` and ``](``, the ``<!--`` of labels, ``{#`` of heading ids, ``[...]``) never forms a
word, so only markup *words* need taking out of the source. Underscores split words,
so the flag ``under_18`` and the settings line ``under_18: true`` agree however the model
joins them; lower-casing because the model holds labels lower-cased (``GOOD`` is the
quality ``good``). Each text of the model is tokenised on its own, so no word is made
by joining two texts.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import signal
import subprocess
import sys
import time
import traceback
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from specgen.diff.engine import diff_specs
from specgen.diff.html_out import render_diff_html
from specgen.diff.json_out import diff_to_json
from specgen.diff.markdown_out import render_diff_markdown
from specgen.diff.model import SpecDiff, Status
from specgen.model import (
    Answer,
    AnswerSet,
    AttachmentPart,
    EvalPromptSet,
    Example,
    Message,
    Part,
    Section,
    Unparsed,
)
from specgen.project import ProjectConfig
from specgen.sources import LoadResult, load
from tests.cli_helpers import run_cli
from tests.versions_helpers import CORPUS, MODEL_SPEC_RELEASES, require_corpus

REPO = Path(__file__).resolve().parents[1]
MUTATIONS_PER_RELEASE = 60
SEEDS = {"2025-10-27": 20251027, "2025-12-18": 20251218}
PER_MUTATION_SECONDS = 20  # one mutation takes about 0.2 s (load, words, diff, render)
RUN_TIMEOUT_SECONDS = 240  # the whole subprocess of one release


# -- words ----------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+")


def words(text: str | None) -> list[str]:
    return _WORD.findall(text.lower()) if text else []


# The dialect's markup words. Tag names are markup: a message's role is the tag it is
# written in. Attribute names go too; their values are in the model (recipient, name,
# comment, end_turn), so they stay.
_TAG = re.compile(
    r"</?(?:system|developer|user|assistant|tool|comparison|settings|untrusted)"
    r"((?:\s+[\w-]+=\"[^\"]*\")*)\s*/?>"
)
_ATTR_VALUE = re.compile(r"[\w-]+=\"([^\"]*)\"")
_KICKER = re.compile(r"^\*\*Example\*\*:", re.MULTILINE)
_XML_FENCE = re.compile(r"^( {0,3}~{3,}[ \t]*)xml\b", re.MULTILINE)
_ATTACHMENT = re.compile(r"^(\s*\[)file:", re.MULTILINE)
_HEADING = re.compile(r"^(#{1,6}[ \t].*\{#[^}]*\})[ \t]*$", re.MULTILINE)
_HEADING_ATTR_NAME = re.compile(r"\b(?:authority|tags)=")
_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"), ("&amp;", "&"))
# A placement the OpenAI reader writes into a body where an example stood: its id is made
# from the caption, so counting it would let a lost caption go unseen.
_PLACEMENT = re.compile(r"^::example\{#[^}]*\}[ \t]*$", re.MULTILINE)


def strip_markup(text: str) -> str:
    """The source text with the dialect's markup words taken out.

    Taken out everywhere, not only inside example blocks: that can only make the check
    more lenient (prose that spells out ``<user>`` counts one word fewer), never fail on
    markup the reader did read as markup.
    """
    text = _one_line_ending(text)  # as the reader reads it (universal newlines)
    text = _TAG.sub(lambda m: " " + " ".join(_ATTR_VALUE.findall(m.group(1))) + " ", text)
    text = _KICKER.sub("", text)
    text = _XML_FENCE.sub(r"\1", text)
    text = _ATTACHMENT.sub(r"\1", text)
    text = _HEADING.sub(lambda m: _HEADING_ATTR_NAME.sub(" ", m.group(1)), text)
    # The model holds message text with these decoded (``&amp;`` last, as the dialect).
    for entity, char in _ENTITIES:
        text = text.replace(entity, char)
    return text


def _one_line_ending(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def source_words(text: str) -> Counter[str]:
    """The words of a dialect source file, its markup taken out."""
    return Counter(words(strip_markup(text)))


def _flag_words(flags: tuple[str, ...]) -> list[str]:
    # ``key: true`` in <settings> is held as the bare ``key``: the "true" is its meaning.
    out: list[str] = []
    for flag in flags:
        out.extend(words(flag))
        if "=" not in flag:
            out.append("true")
    return out


def _part_words(part: Part) -> list[str]:
    if isinstance(part, AttachmentPart):
        return words(part.name) + words(part.caption)
    return words(part.markdown.text)


def _message_words(message: Message) -> list[str]:
    out = [w for part in message.parts for w in _part_words(part)]
    out += words(message.recipient) + words(message.name) + words(message.comment)
    if message.end_turn is not None:
        out.append(str(message.end_turn).lower())
    out += words(message.stray_quality)  # a label on a message nobody judges
    out += _flag_words(message.settings)
    return out


def _answer_words(answer: Answer) -> list[str]:
    out = [w for part in answer.parts for w in _part_words(part)]
    out += words(answer.quality) + words(answer.recipient)
    out += words(answer.comment.text if answer.comment else None)
    out += words(answer.violates.target if answer.violates else None)
    return out


def _example_words(example: Example) -> list[str]:
    out = words(example.caption.text) + _flag_words(example.flags)
    for turn in example.turns:
        if isinstance(turn, Message):
            out += _message_words(turn)
        elif isinstance(turn, AnswerSet):
            for answer in turn.answers:
                out += _answer_words(answer)
            for kept in turn.unparsed:
                out += words(kept.text)
        elif isinstance(turn, Unparsed):
            out += words(turn.text)
    return out


def _section_words(section: Section) -> list[str]:
    out = words(section.id) + words(section.title) + words(section.authority)
    for tag in section.tags:
        out += words(tag)
    for former in section.former_ids:
        out += words(former)
    out += words(_PLACEMENT.sub("", section.body.text))
    for example in section.examples:
        out += _example_words(example)
    return out


def _eval_set_words(eval_set: EvalPromptSet) -> list[str]:
    out = words(eval_set.id) + words(eval_set.title) + words(eval_set.body.text)
    for prompt in eval_set.prompts:
        out += _example_words(prompt)
    return out


def _spec_file_words(loaded: LoadResult) -> list[str]:
    out = words(home_text(loaded))
    for section in loaded.spec.walk():
        out += _section_words(section)
    return out


def example_words(example: Example) -> Counter[str]:
    """Caption, flags and turns; not the id (made from the caption) nor roles (markup)."""
    return Counter(_example_words(example))


def section_words(section: Section) -> Counter[str]:
    """One section's own words (not its children's)."""
    return Counter(_section_words(section))


def eval_set_words(eval_set: EvalPromptSet) -> Counter[str]:
    return Counter(_eval_set_words(eval_set))


def spec_file_words(loaded: LoadResult) -> Counter[str]:
    """What the model holds of the spec file itself: home text and sections."""
    return Counter(_spec_file_words(loaded))


def model_words(loaded: LoadResult) -> Counter[str]:
    """Every word the parsed model holds: the spec file's and the eval prompt sets'."""
    out = _spec_file_words(loaded)
    for eval_set in loaded.spec.eval_sets:
        out += _eval_set_words(eval_set)
    return Counter(out)


def home_text(loaded: LoadResult) -> str | None:
    return loaded.home.text if loaded.home is not None else None


Span = tuple[int, int, Counter[str]]  # first and last file line, words short there


def section_spans(loaded: LoadResult, text: str) -> list[Span]:
    """Where words go missing, to point at lines: each section's own source lines
    (heading to next heading) with the words its own model lacks, and the lines no
    section holds (before the first heading) with the words ``home`` lacks. Only for
    messages: the check itself counts the whole file."""
    spans: list[Span] = []
    covered: set[int] = set()
    for section in loaded.spec.walk():
        first = section.loc.line
        last = first + section.source.count("\n")
        covered.update(range(first, last + 1))
        short = source_words(section.source) - section_words(section)
        if short:
            spans.append((first, last, short))
    lines = text.split("\n")
    rest = [n for n in range(1, len(lines) + 1) if n not in covered]
    if rest:
        outside = "\n".join(lines[n - 1] for n in rest)
        short = source_words(outside) - Counter(words(home_text(loaded)))
        if short:
            spans.extend((n, n, short) for n in rest)
    return spans


def lost_words(text: str, held: Counter[str], spans: list[Span] | None = None) -> dict[str, Any]:
    """The words of ``text`` the model holds fewer times than the text has them, and
    the lines most likely to have lost them: those with the most of these words, among
    the lines of ``spans`` short of them (when given)."""
    missing = source_words(text) - held
    if not missing:
        return {}
    near = {w: [(a, b) for a, b, short in spans or () if short[w]] for w in missing}
    scored = []
    for n, line in enumerate(text.split("\n"), 1):
        here = [
            w
            for w in set(words(strip_markup(line))) & set(missing)
            if not near[w] or any(a <= n <= b for a, b in near[w])
        ]
        if here:
            scored.append((-len(here), n, f"{n}: {line.strip()[:100]} [{len(here)} of them]"))
    return {
        "words": ", ".join(w if c == 1 else f"{w} x{c}" for w, c in sorted(missing.items())),
        "lines": [shown for _, _, shown in sorted(scored)[:5]],
    }


def load_openai(path: Path) -> LoadResult:
    return load(path, ProjectConfig())


# -- 1. the corpus as published -------------------------------------------------------------


@pytest.mark.parametrize("release", MODEL_SPEC_RELEASES)
def test_every_word_of_model_spec_is_in_the_model(release: str) -> None:
    require_corpus()
    path = CORPUS / release / "model_spec.md"
    loaded = load_openai(path)
    text = path.read_text("utf-8")
    lost = lost_words(text, spec_file_words(loaded), section_spans(loaded, text))
    assert not lost, f"{release}/model_spec.md: words the model does not hold:\n" + _show(lost)


@pytest.mark.parametrize("release", MODEL_SPEC_RELEASES)
def test_every_word_of_the_eval_prompt_files_is_in_the_model(release: str) -> None:
    require_corpus()
    loaded = load_openai(CORPUS / release / "model_spec.md")
    sets = {s.id: s for s in loaded.spec.eval_sets}
    files = sorted((CORPUS / release / "examples").glob("*.md"))
    assert sorted(sets) == [f.stem for f in files]
    problems = {}
    for file in files:
        lost = lost_words(file.read_text("utf-8"), eval_set_words(sets[file.stem]))
        if lost:
            problems[file.name] = lost
    assert not problems, "\n".join(f"examples/{n}:\n{_show(p)}" for n, p in problems.items())


def test_model_words_counts_what_the_parsed_model_holds(tmp_path: Path) -> None:
    """The word count itself: markup words are not counted, every placed or kept text
    is; a word held nowhere in the model is found missing."""
    text = (
        "# Top {#top}\n\n"
        "## Rule one {#rule_one authority=root tags=under_18,minors}\n\n"
        "Body &amp; prose.\n\n"
        "**Example**: a caption here\n\n"
        "~~~xml\n"
        "<system>\n<settings>\nunder_18: true\nmax_tokens: 99\n</settings>\n</system>\n"
        '<user comment="in Korean">\nHi &lt;there&gt;\n[file: report.pdf the report]\n</user>\n'
        "[...]\n"
        '<tool name="browser">\nresult\n</tool>\n'
        "stray words\n"
        "<comparison>\n"
        '<assistant recipient="python"> <!-- BAD[#rule_one]: leaks data -->\nprint(1)\n'
        "</assistant>\n"
        "junk inside\n"
        "<assistant> <!-- GOOD -->\nFine.\n</assistant>\n"
        "</comparison>\n"
        "~~~\n"
    )
    (tmp_path / "examples").mkdir()
    (tmp_path / "model_spec.md").write_text(text, "utf-8")
    loaded = load_openai(tmp_path / "model_spec.md")
    held = spec_file_words(loaded)
    assert source_words(text) == Counter(
        words(  # markup words gone, attribute values and label words kept
            "top top rule one rule one root under 18 minors body prose a caption here "
            "under 18 true max tokens 99 in korean hi there report pdf the report browser "
            "result stray words python bad rule one leaks data print 1 junk inside good fine"
        )
    )
    assert not lost_words(text, held), _show(lost_words(text, held))
    assert lost_words(text + "plus these words\n", held) == {
        "words": "plus, these, words",
        "lines": ["35: plus these words [3 of them]", "24: stray words [1 of them]"],
    }
    assert model_words(loaded) == held  # no eval prompt sets here


# -- 2. mutations of the corpus -------------------------------------------------------------

JUNK = (
    "qzjunk zebra {n}",
    "<qzfoo>qzbar {n}</qzfoo>",
    "qzstray &lt;b&gt; {n} &amp; more",
    "   qzindented {n} words",
    "</qzclose{n}>",
    "<!-- QZLABEL{n} -->",
)
TAG_PREFIXES = ("*", "x", ">", "-")
KINDS = (
    "delete",
    "duplicate",
    "swap",
    "prefix-tag",
    "truncate-at-line",
    "truncate-mid-line",
    "junk-in-block",
)


@dataclass(frozen=True)
class Mutation:
    kind: str
    line: int  # 1-based line of the original file the mutation is at
    what: str
    text: str

    def describe(self) -> str:
        return f"{self.kind} at line {self.line}: {self.what}" if self.line else self.what


def _xml_blocks(lines: list[str]) -> list[tuple[int, int]]:
    """(opening, closing) 0-based line indexes of the ``~~~xml`` blocks."""
    blocks = []
    opening = None
    for n, line in enumerate(lines):
        if opening is None and line.startswith("~~~xml"):
            opening = n
        elif opening is not None and line.strip() == "~~~":
            blocks.append((opening, n))
            opening = None
    return blocks


def _short(line: str) -> str:
    return repr(line if len(line) <= 60 else line[:57] + "...")


def mutations(text: str, seed: int, count: int) -> Iterator[Mutation]:
    """``count`` mutations of ``text``, kinds in turn, places drawn from ``seed``. Half
    of the line edits fall inside example blocks, where the dialect is densest."""
    rng = random.Random(seed)
    lines = text.split("\n")
    n = len(lines) - 1 if text.endswith("\n") else len(lines)  # real lines
    blocks = _xml_blocks(lines)
    in_blocks = [i for a, b in blocks for i in range(a, b + 1)]
    tag_lines = [i for i in range(n) if lines[i].lstrip().startswith("<")]

    def join(new: list[str]) -> str:
        return "\n".join(new)

    def pick() -> int:
        return rng.choice(in_blocks) if rng.random() < 0.5 else rng.randrange(n)

    for k in range(count):
        kind = KINDS[k % len(KINDS)]
        if kind == "delete":
            i = pick()
            yield Mutation(
                kind, i + 1, f"deleted {_short(lines[i])}", join(lines[:i] + lines[i + 1 :])
            )
        elif kind == "duplicate":
            i = pick()
            yield Mutation(
                kind, i + 1, f"duplicated {_short(lines[i])}", join(lines[:i] + lines[i:])
            )
        elif kind == "swap":
            i = min(pick(), n - 2)
            swapped = [*lines[:i], lines[i + 1], lines[i], *lines[i + 2 :]]
            what = f"swapped {_short(lines[i])} with the next line {_short(lines[i + 1])}"
            yield Mutation(kind, i + 1, what, join(swapped))
        elif kind == "prefix-tag":
            i = rng.choice(tag_lines)
            prefix = rng.choice(TAG_PREFIXES)
            new = [*lines[:i], prefix + lines[i], *lines[i + 1 :]]
            yield Mutation(kind, i + 1, f"prefixed {_short(lines[i])} with {prefix!r}", join(new))
        elif kind == "truncate-at-line":
            i = rng.randrange(1, n)
            yield Mutation(
                kind, i + 1, f"file cut before {_short(lines[i])}", join(lines[:i]) + "\n"
            )
        elif kind == "truncate-mid-line":
            i = rng.choice([j for j in range(n) if len(lines[j]) >= 2])
            m = rng.randrange(1, len(lines[i]))
            what = f"file cut after column {m} of {_short(lines[i])}"
            yield Mutation(kind, i + 1, what, join(lines[:i]) + "\n" + lines[i][:m])
        else:
            opening, closing = rng.choice(blocks)
            i = rng.randrange(opening + 1, closing + 1)  # before line i, inside the block
            junk = rng.choice(JUNK).format(n=k)
            what = f"inserted {junk!r} before {_short(lines[i])}"
            yield Mutation(kind, i + 1, what, join([*lines[:i], junk, *lines[i:]]))


def edge_mutations(text: str) -> list[Mutation]:
    """Line edits at the places a random draw seldom hits: the first heading (its text
    falls before any heading) and a blank line between two sections."""
    lines = text.split("\n")
    heading = next(i for i in range(1, len(lines)) if lines[i].startswith("#"))
    blank = heading - 1
    assert not lines[blank].strip(), lines[blank - 1 : heading + 1]
    return [
        Mutation("delete", 1, f"deleted {_short(lines[0])}", "\n".join(lines[1:])),
        Mutation(
            "duplicate",
            blank + 1,
            f"duplicated the blank line before {_short(lines[heading])}",
            "\n".join([*lines[:blank], "", *lines[blank:]]),
        ),
    ]


def all_mutations(text: str, seed: int) -> list[Mutation]:
    """The unmutated text first (nothing may be reported), then the edge mutations and
    ``MUTATIONS_PER_RELEASE`` drawn ones."""
    identity = Mutation("identity", 0, "the file copied unchanged", text)
    return [identity, *edge_mutations(text), *mutations(text, seed, MUTATIONS_PER_RELEASE)]


def reported_change(diff: SpecDiff, old: LoadResult, new: LoadResult) -> bool:
    """Whether the diff shows a change: a section, an eval prompt set, or the text before
    the first heading (not part of any section: compared through ``home``)."""
    return (
        bool(diff.changed)
        or any(e.status is not Status.UNCHANGED for e in diff.eval_sets)
        or home_text(old) != home_text(new)
    )


class _Timeout(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise _Timeout


def check_mutation(
    original: LoadResult, original_text: str, path: Path, text: str
) -> dict[str, Any]:
    """Load ``text`` written to ``path``; what went wrong, if anything."""
    path.write_text(text, "utf-8")
    problems: dict[str, Any] = {}
    loaded = load_openai(path)
    held = spec_file_words(loaded)
    if source_words(text) - held:  # where, only when something is lost: it takes time
        problems["lost"] = lost_words(text, held, section_spans(loaded, text))
    diff = diff_specs(original.spec, loaded.spec)
    changed = reported_change(diff, original, loaded)
    # Line endings only are no change (the reader reads universal newlines).
    differ = _one_line_ending(text) != _one_line_ending(original_text)
    if differ and not changed:
        problems["unseen"] = "the bytes differ, the diff reports no change"
    if not differ and changed:
        problems["spurious"] = [s.id for s in diff.changed] or "home or eval sets"
    for render in (render_diff_html, render_diff_markdown, diff_to_json):  # what the CLI prints
        try:
            render(diff)
        except Exception as exc:
            problems.setdefault("render", []).append(f"{render.__name__}: {_error(exc)}")
    return problems


def _error(exc: Exception) -> str:
    last = traceback.extract_tb(exc.__traceback__)[-1]
    return f"{type(exc).__name__}: {exc} (at {Path(last.filename).name}:{last.lineno})"


def run_mutations(release: str, workdir: str) -> None:
    """The subprocess: every mutation of ``release``, one JSON line each on stdout (a
    ``start`` line first, so that the parent can name a mutation that hangs)."""
    folder = Path(workdir)
    source = CORPUS / release
    shutil.copytree(source / "examples", folder / "examples")
    original_text = (source / "model_spec.md").read_text("utf-8")
    original = load_openai(source / "model_spec.md")
    signal.signal(signal.SIGALRM, _alarm)
    for index, mutation in enumerate(all_mutations(original_text, SEEDS[release])):
        print(json.dumps({"start": index, "mutation": mutation.describe()}), flush=True)
        began = time.perf_counter()
        signal.alarm(PER_MUTATION_SECONDS)
        try:
            problems = check_mutation(
                original, original_text, folder / "model_spec.md", mutation.text
            )
        except _Timeout:
            problems = {"error": f"took more than {PER_MUTATION_SECONDS} s"}
        except Exception as exc:
            problems = {"error": _error(exc)}
        finally:
            signal.alarm(0)
        record = {
            "done": index,
            "mutation": mutation.describe(),
            "seconds": round(time.perf_counter() - began, 3),
            **problems,
        }
        print(json.dumps(record), flush=True)


@dataclass
class Run:
    """The subprocess mutating one release; it writes its records to a file (a pipe
    nobody reads while the other release's test runs could fill and stall it)."""

    process: subprocess.Popen[bytes]
    records: Path
    errors: Path


@pytest.fixture(scope="module")
def mutation_runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Run]]:
    """One subprocess per release, started together (they run side by side)."""
    require_corpus()
    code = (
        "import sys; from tests.test_nothing_lost_mutations import run_mutations; "
        "run_mutations(sys.argv[1], sys.argv[2])"
    )
    runs = {}
    for release in MODEL_SPEC_RELEASES:
        workdir = tmp_path_factory.mktemp(f"mutations-{release}")
        records, errors = workdir / "records.jsonl", workdir / "stderr.txt"
        with records.open("wb") as out, errors.open("wb") as err:
            process = subprocess.Popen(
                [sys.executable, "-c", code, release, str(workdir)],
                cwd=REPO,
                stdout=out,
                stderr=err,
            )
        runs[release] = Run(process, records, errors)
    yield runs
    for run in runs.values():
        if run.process.poll() is None:
            run.process.kill()
            run.process.wait()


def _show(problem: Any, indent: str = "    ") -> str:
    if isinstance(problem, dict):
        return "\n".join(f"{indent}{k}:\n{_show(v, indent + '  ')}" for k, v in problem.items())
    if isinstance(problem, list):
        return "\n".join(f"{indent}{item}" for item in problem)
    return f"{indent}{problem}"


@pytest.mark.parametrize("release", MODEL_SPEC_RELEASES)
def test_mutated_corpus_loses_nothing_and_every_change_is_seen(
    release: str, mutation_runs: dict[str, Run]
) -> None:
    run = mutation_runs[release]
    try:
        run.process.wait(timeout=RUN_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        run.process.kill()
        run.process.wait()
    lines = run.records.read_text("utf-8").splitlines()
    err = run.errors.read_text("utf-8", errors="replace")[-3000:]
    records = [json.loads(line) for line in lines if line.startswith("{")]
    started = {r["start"]: r["mutation"] for r in records if "start" in r}
    done = [r for r in records if "done" in r]
    hung = [started[i] for i in started if i not in {r["done"] for r in done}]
    assert not hung, f"hung (killed after {RUN_TIMEOUT_SECONDS} s): {hung[0]}\n{err}"
    expected = len(all_mutations((CORPUS / release / "model_spec.md").read_text("utf-8"), 0))
    assert len(done) == expected, f"{len(done)} of {expected} mutations ran:\n{err}"
    failures = [r for r in done if set(r) - {"done", "mutation", "seconds"}]
    report = "\n".join(
        f"  {r['mutation']}\n"
        + _show({k: v for k, v in r.items() if k not in ("done", "mutation", "seconds")})
        for r in failures
    )
    assert not failures, f"{len(failures)} of {len(done)} mutations of {release}:\n{report}"


# -- the failures the mutations found, each written small ------------------------------------

SMALL = (
    "# Top {#top}\n"  # 1
    "\n"
    "Intro words.\n"  # 3
    "\n"
    "## Rule {#rule authority=root}\n"  # 5
    "\n"
    "Keep it.\n"
    "\n"
    "**Example**: a pill\n"  # 9
    "\n"
    "~~~xml\n"  # 11
    "<user>\n"
    "What is this pill?\n"
    "</user>\n"
    "<comparison>\n"  # 15
    "<assistant> <!-- GOOD -->\n"  # 16
    "I cannot read the label.\n"
    "</assistant>\n"
    "<assistant> <!-- BAD[#rule]: guesses blindly -->\n"  # 19
    "It is ibuprofen.\n"
    "</assistant>\n"
    "</comparison>\n"
    "~~~\n"
)


def _without_line(number: int) -> str:
    lines = SMALL.split("\n")
    return "\n".join(lines[: number - 1] + lines[number:])


@pytest.mark.parametrize(
    "mutated",
    [
        # Without <comparison>, answers are plain messages: their labels' text and
        # [#target] must stay (they were dropped; the quality alone was kept, SG304).
        pytest.param(_without_line(15), id="label-text-of-an-unjudged-message"),
        # A block fence other than ~~~xml ("~~~x": the corpus cut after column 4 of a
        # ~~~xml line) is read as the example's block, silently, its info string gone.
        pytest.param(SMALL.replace("~~~xml", "~~~x"), id="fence-info-string-other-than-xml"),
        # Text before the first heading is the home page's: LoadResult.home (it was
        # None for this dialect, the text reported and dropped).
        pytest.param(_without_line(1), id="text-before-the-first-heading"),
        # Text inside a comparison that is no answer: the diff's turns outnumber the
        # example's (the JSON output indexed the example's with them: IndexError).
        pytest.param(_without_line(16), id="json-output-of-an-answer-set-with-unparsed-text"),
        # A blank line between two sections is in neither's source, nor in any body
        # as the diff compares it (blank runs normalised).
        pytest.param(
            SMALL.replace("\n\n## Rule", "\n\n\n## Rule"), id="blank-line-between-sections"
        ),
    ],
)
def test_small_mutation_loses_nothing_and_is_seen(tmp_path: Path, mutated: str) -> None:
    for side in ("old", "new"):
        (tmp_path / side / "examples").mkdir(parents=True)
    (tmp_path / "old" / "model_spec.md").write_text(SMALL, "utf-8")
    original = load_openai(tmp_path / "old" / "model_spec.md")
    assert not lost_words(SMALL, spec_file_words(original))
    problems = check_mutation(original, SMALL, tmp_path / "new" / "model_spec.md", mutated)
    assert not problems, _show(problems)


# -- 3. the command line ---------------------------------------------------------------------

CLI_KINDS = ("delete", "prefix-tag", "junk-in-block", "truncate-mid-line")
FORMATS = ("html", "markdown", "json")


def _first_of_each(kinds: tuple[str, ...], text: str, seed: int) -> list[Mutation]:
    """The first generated mutation of each kind that lies inside a section (the diff
    gate ``--fail-on any`` counts sections; text before the first heading is home)."""
    chosen: dict[str, Mutation] = {}
    first_heading = next(n for n, line in enumerate(text.split("\n"), 1) if line.startswith("#"))
    for mutation in mutations(text, seed, MUTATIONS_PER_RELEASE):
        if mutation.kind in kinds and mutation.line > first_heading:
            chosen.setdefault(mutation.kind, mutation)
    return [chosen[k] for k in kinds if k in chosen]


def test_cli_diff_fails_on_any_change_of_a_mutated_model_spec(tmp_path: Path) -> None:
    require_corpus()
    release = MODEL_SPEC_RELEASES[-1]
    original = CORPUS / release / "model_spec.md"
    text = original.read_text("utf-8")
    shutil.copytree(CORPUS / release / "examples", tmp_path / "examples")
    mutated = tmp_path / "model_spec.md"
    mutated.write_text(text, "utf-8")
    code, out = run_cli("diff", str(original), str(mutated), "--fail-on", "any", "--format", "json")
    assert code == 0, out
    picked = _first_of_each(CLI_KINDS, text, SEEDS[release])
    assert [m.kind for m in picked] == list(CLI_KINDS)
    failed = []
    for k, mutation in enumerate(picked):
        mutated.write_text(mutation.text, "utf-8")
        fmt = FORMATS[k % len(FORMATS)]
        code, out = run_cli(
            "diff", str(original), str(mutated), "--fail-on", "any", "--format", fmt
        )
        if code != 1:
            failed.append(f"{mutation.describe()} (--format {fmt}): exit {code}\n{out[-1500:]}")
    assert not failed, "\n".join(failed)


def test_cli_diff_fails_on_a_change_before_the_first_heading(tmp_path: Path) -> None:
    """Text before the first heading belongs to no section: the diff engine has no
    place for it (``SpecDiff`` holds no home text), so ``--fail-on any`` cannot see it."""
    for side, intro in (("old", "Intro words."), ("new", "Intro words, changed.")):
        (tmp_path / side / "examples").mkdir(parents=True)
        (tmp_path / side / "model_spec.md").write_text(f"{intro}\n\n{SMALL}", "utf-8")
    old, new = (str(tmp_path / side / "model_spec.md") for side in ("old", "new"))
    code, out = run_cli("diff", old, new, "--fail-on", "any", "--format", "markdown")
    assert code == 1, out[-1500:]
