r"""Math to MathML and code highlighting with Pygments, both at build time, on real input.

Math is written as MathJax-on-Markdown writes it: ``\\( … \\)`` inline and ``\\[ … \\]``
display (after Markdown's unescaping the text reads ``\( … \)``). The OpenAI Model Spec
(``shared/corpus``) has 29 inline spans and one display block in its example messages,
and one more inline span in a section body.
"""

from __future__ import annotations

import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import markdown as python_markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from specgen.diagnostics import Severity
from specgen.lint.runner import lint
from specgen.lint.walk import all_examples
from specgen.mathml import (
    _ONE_ARG,
    _SYMBOLS,
    _TWO_ARGS,
    convert_math,
    math_error,
    plainly_valid,
)
from specgen.mdit import parse
from specgen.mdit.math import MathSpan, find_math
from specgen.model import (
    AnswerSet,
    Location,
    Markdown,
    Message,
    Part,
    Spec,
    TextPart,
    UntrustedPart,
)
from specgen.project import LintSettings
from specgen.render.markdown import render_markdown
from specgen.sources.loading import load_spec

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "openai-model-spec"
MODEL_SPEC = CORPUS / "2025-12-18" / "model_spec.md"
needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir() and not os.environ.get("CI"),
    reason=f"the OpenAI Model Spec corpus is not at {CORPUS} (it must be there in CI)",
)
MATHML = 'xmlns="http://www.w3.org/1998/Math/MathML"'
FIXTURES = Path(__file__).parent / "fixtures" / "rules"


def md(text: str, inline: bool = False) -> Markdown:
    return Markdown(text, Location("t.md"), inline=inline)


def html(text: str, inline: bool = False) -> str:
    return render_markdown(md(text, inline))


def spans(text: str) -> list[MathSpan]:
    markdown = md(text)
    return list(find_math(markdown, parse(markdown)))


# -- tokenising -----------------------------------------------------------------------


def test_inline_math_becomes_mathml() -> None:
    assert html(r"The derivative of \\( x^2 \\) is") == (
        f'<p>The derivative of <math {MATHML} display="inline">'
        "<mrow><msup><mi>x</mi><mn>2</mn></msup></mrow></math> is</p>\n"
    )


def test_display_math_on_its_own_lines_is_a_block() -> None:
    # As in the Model Spec (l. 4154-4158): \\[ and \\] on their own lines.
    text = "The derivative of \\\\( x^2 \\\\) is:\n\n\\\\[\n\\\\frac{d}{dx} x^2 = 2x\n\\\\]\n"
    out = html(text)
    assert out.endswith(
        f'<math {MATHML} display="block"><mrow><mfrac><mrow><mi>d</mi></mrow>'
        "<mrow><mi>d</mi><mi>x</mi></mrow></mfrac><msup><mi>x</mi><mn>2</mn></msup>"
        "<mo>&#x0003D;</mo><mn>2</mn><mi>x</mi></mrow></math>\n"
    )
    assert [(s.latex, s.display) for s in spans(text)] == [
        (" x^2 ", False),
        ("\n\\frac{d}{dx} x^2 = 2x\n", True),
    ]


def test_display_math_inside_a_paragraph() -> None:
    # Lines that look like Markdown (a setext underline, a list item) stay math.
    out = html("So\n\\\\[\na\n=\n- b\n\\\\]\nhence \\\\[ x \\\\] too.")
    assert out.startswith(f'<p>So</p>\n<math {MATHML} display="block">')
    assert f'<p>hence <math {MATHML} display="block"><mrow><mi>x</mi></mrow></math> too.</p>' in out
    assert "<h1>" not in out and "<li>" not in out
    assert [s.display for s in spans("a \\\\[ x \\\\] b")] == [True]


@pytest.mark.parametrize(
    ("source", "latex"),
    [
        (r"\\( \\frac{1}{2} \\)", r" \frac{1}{2} "),  # Markdown unescapes \\ to \
        (r"\\( \frac{1}{2} \\)", r" \frac{1}{2} "),  # \f is no escape: it stays
        (r"\\( a &lt; b \\)", " a < b "),  # entities, as a browser decodes them
        (r"\\( \\{ x \\} \\)", r" \{ x \} "),
        (r"\\( \{ x \} \\)", " { x } "),  # what MathJax sees too: Markdown ate the \
    ],
)
def test_latex_is_unescaped_as_mathjax_sees_it(source: str, latex: str) -> None:
    assert [s.latex for s in spans(source)] == [latex]


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("Free shipping over $80 and $1 cars; $x$ is not math.", "$80 and $1 cars; $x$"),
        (r"Write \\\[ x \\\] to show the delimiters.", r"Write \[ x \] to show"),
        (r"Unclosed \\( x here.", r"Unclosed \( x here."),
        (r"Empty \\(  \\) math.", r"Empty \(  \) math."),
        (r"Code `\\( x \\)` stays code.", r"<code>\\( x \\)</code>"),
    ],
)
def test_what_is_not_math(source: str, shown: str) -> None:
    out = html(source)
    assert "<math" not in out and shown in out
    assert spans(source) == []


def test_math_in_a_fence_is_code() -> None:
    out = html("```latex\n\\\\( x \\\\)\n```\n")
    assert "<math" not in out and "highlight" in out


def test_unclosed_display_does_not_swallow_the_text() -> None:
    out = html("\\\\[\nx\n\nstill text \\\\]")
    assert "<math" not in out and out.count("<p>") == 2


def test_math_in_captions_and_table_cells() -> None:
    assert html(r"Area \\( \pi r^2 \\)", inline=True).startswith(f"Area <math {MATHML}")
    assert "<td><math " in html("| a |\n|---|\n| \\\\( x \\\\) |\n")


def test_many_unclosed_openers_stay_fast() -> None:
    text = "\\\\( " * 20000
    out = html(text)
    assert "<math" not in out and out.count("\\(") == 20000


# -- safety ---------------------------------------------------------------------------


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attrs: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attrs.update(name for name, _ in attrs)


MATH_TAGS = {"p", "math", "mrow", "mi", "mo", "mn", "mtext", "mstyle", "mspace"}


@pytest.mark.parametrize(
    "latex",
    [
        r"<script>alert(1)</script>",
        r"\text{<img src=x onerror=alert(1)>}",
        r"\text{</math><img src=x onerror=alert(1)>}",
        r"\verb|<iframe src=javascript:alert(1)>|",
        r"\href{javascript:alert(1)}{x}",
        r"\style{position:fixed;inset:0}{x}",
        r"\class{md-header}{x}",
        r'\color{red" onmouseover="alert(1)}{x}',
        r"\text{&#x3C;script&#x3E;}",
    ],
)
def test_math_output_has_no_live_tags(latex: str) -> None:
    out = html(f"\\\\( {latex} \\\\)")
    assert "<math" in out
    parser = _Tags()
    parser.feed(out)
    assert parser.tags <= MATH_TAGS, out
    assert parser.attrs <= {"xmlns", "display", "stretchy", "mathvariant", "mathcolor"}, out
    lowered = out.lower()
    for live in ("<script", "<img", "<iframe", "href=", "style=", "class=", "onmouseover="):
        assert live not in lowered, out


def test_text_in_math_is_shown_as_text() -> None:
    out = html(r"\\( \text{<img src=x onerror=alert(1)>} \\)")
    assert "<mtext>&lt;img&#x000A0;src=x&#x000A0;onerror=alert(1)&gt;</mtext>" in out


# -- errors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("latex", "error"),
    [
        (r"\frac{4}{3 \pi r^3", "unbalanced braces: missing '}'"),
        (r"x}", "unbalanced braces: '}' closes nothing"),
        (r"\frca{1}{2}", r"unknown command '\frca'"),
        (r"x^", "'^' or '_' without its script"),
        (r"\frac", "it ends too early (a command without its arguments?)"),
        (r"\begin{matrix} a", r"\begin without \end"),
        (r"x_1_2", "double subscript"),
        ("{" * 60 + "}" * 60, "nested too deeply"),
        ("  ", "empty math"),
    ],
)
def test_conversion_errors(latex: str, error: str) -> None:
    assert convert_math(latex) == ("", error)


PLAIN_PIECES = [
    *("x", "y", "2", "12", "3.5", " ", "+", "-", "=", "(", ")", ",", ".", "/", "<", "|"),
    *("^", "_", "{", "}", "{", "}", "\\pi", "\\times", "\\ldots", "\\alpha ", "\\quad"),
    *(f"\\{name}" for name in ("frac", "dfrac", "sqrt", "mathcal", "mathbb", "mathrm")),
]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(PLAIN_PIECES), min_size=1, max_size=14).map("".join))
def test_plain_math_always_converts(latex: str) -> None:
    # Lint trusts plainly_valid instead of converting: it must never be wrong.
    if plainly_valid(latex):
        assert math_error(latex) == convert_math(latex).error == ""
    else:
        assert math_error(latex) == convert_math(latex).error


@pytest.mark.parametrize(
    "latex",
    [*(f"\\{name}" for name in sorted(_SYMBOLS)), *(f"\\{n}{{x}}" for n in sorted(_ONE_ARG))]
    + [f"\\{name}{{x}}{{y}}" for name in sorted(_TWO_ARGS)],
)
def test_every_plain_command_converts(latex: str) -> None:
    assert plainly_valid(latex) and convert_math(latex).error == ""


def test_math_that_does_not_convert_is_shown_as_code() -> None:
    assert html(r"Volume \\( \frac{4}{3 <b> \\) m") == (
        '<p>Volume <code class="sg-math-error">\\( \\frac{4}{3 &lt;b&gt; \\)</code> m</p>\n'
    )
    assert html("\\\\[\nx^\n\\\\]") == '<p><code class="sg-math-error">\\[\nx^\n\\]</code></p>\n'


def test_invalid_math_is_located_in_a_list_and_a_quote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = (
        "Fees:\n\n"
        "- per bag: \\\\( 15 \\times n \\\\) EUR\n"
        "- per kg:\n"
        "  \\\\[\n"
        "  \\\\frac{fee}{kg\n"
        "  \\\\]\n\n"
        "> Quoted \\\\( x^ \\\\) here.\n"
    )
    (tmp_path / "10-fees.md").write_text(
        f"---\nid: fees\ntitle: Fees\nauthority: system\n---\n{body}", "utf-8"
    )
    monkeypatch.chdir(tmp_path)
    loaded, _ = load_spec(tmp_path)
    report = lint(loaded, LintSettings(select=("SG210",)))
    assert [(str(d.loc), d.severity) for d in report.diagnostics] == [
        ("10-fees.md:10:3", Severity.WARNING),
        ("10-fees.md:14:10", Severity.WARNING),
    ]


# -- the OpenAI Model Spec ------------------------------------------------------------


def _message_texts(spec: Spec) -> list[Markdown]:
    """The Markdown of every message and answer (raw code ones are not Markdown)."""
    parts: list[Part] = []
    for example in all_examples(spec):
        for turn in example.turns:
            if isinstance(turn, Message) and not turn.raw:
                parts.extend(turn.parts)
            elif isinstance(turn, AnswerSet):
                for answer in turn.answers:
                    if not answer.raw:
                        parts.extend(answer.parts)
    return [part.markdown for part in parts if isinstance(part, TextPart | UntrustedPart)]


@needs_corpus
def test_every_math_span_of_the_model_spec_converts() -> None:
    loaded, _ = load_spec(MODEL_SPEC)
    found: list[MathSpan] = []
    for markdown in _message_texts(loaded.spec):
        here = list(find_math(markdown, parse(markdown)))
        if here:
            out = render_markdown(markdown)
            assert out.count("<math ") == len(here)
            assert "sg-math-error" not in out
        found.extend(here)
    assert sum(not s.display for s in found) == 29
    assert [(s.loc.line, s.loc.column, s.latex) for s in found if s.display] == [
        (4156, 1, "\n\\frac{d}{dx} x^2 = 2x\n")
    ]
    assert [(s.loc.line, s.loc.column) for s in found[:2]] == [(1563, 43), (1563, 96)]
    results = [convert_math(s.latex, s.display) for s in found]
    assert [r.error for r in results if r.error] == []
    assert all(r.html.startswith(f"<math {MATHML}") for r in results)
    assert results[-1].html.startswith(f'<math {MATHML} display="block"><mrow><mfrac>')
    # None outside the messages: the dialect has math only in conversations, so the
    # body's "use \\( \... \\) for inline math" (line 4144) keeps its delimiters.
    bodies = [
        span
        for section in loaded.spec.walk()
        for span in find_math(section.body, parse(section.body))
    ]
    assert bodies == []


@needs_corpus
def test_the_model_spec_lint_gains_no_finding() -> None:
    loaded, config = load_spec(MODEL_SPEC)
    report = lint(loaded, config.lint)
    without = lint(loaded, LintSettings(ignore=("SG210",)))
    assert [d for d in report.diagnostics if d.code == "SG210"] == []
    errors = [str(d) for d in report.diagnostics if d.severity >= Severity.ERROR]
    assert errors == [str(d) for d in without.diagnostics if d.severity >= Severity.ERROR]


# -- code highlighting ----------------------------------------------------------------

SAMPLES = {
    "python": "import os\n\nprint(os.getcwd(), '<a>' & 1)\n",
    "html": '<p class="x">Tom &amp; <b>Jerry</b></p>\n',
    "typescript": "type Bag = { kg: number };\nconst fee = (b: Bag) => b.kg * 15;\n",
    "bash": 'for f in *.md; do echo "$f"; done\n',
    "json": '{"seat": "12A", "bags": [1, 2]}\n',
    "js": "let a = 1 < 2;\n",
}


def _pymdownx(code: str, lang: str) -> str:
    converter = python_markdown.Markdown(
        extensions=["pymdownx.highlight", "pymdownx.superfences"],
        extension_configs={"pymdownx.highlight": {"pygments_lang_class": True}},
    )
    return converter.convert(f"```{lang}\n{code}```")


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_fences_are_highlighted_as_pymdownx_does(lang: str) -> None:
    out = html(f"```{lang}\n{SAMPLES[lang]}```\n")
    assert out.startswith(f'<div class="language-{lang} highlight"><pre><span></span><code>')
    assert out.endswith("</code></pre></div>\n")
    assert '<span class="' in out
    assert out.strip() == _pymdownx(SAMPLES[lang], lang)


def test_highlighted_code_is_escaped() -> None:
    out = html("```html\n<script>alert(1)</script>\n```\n")
    assert "<script" not in out and "&lt;" in out and '<span class="nt">' in out


@pytest.mark.parametrize(
    ("fence", "expected"),
    [
        ("```\n<b>x</b>\n```\n", "<pre><code>&lt;b&gt;x&lt;/b&gt;\n</code></pre>\n"),
        (
            "```no-such-language\n<b>x</b>\n```\n",
            '<pre><code class="language-no-such-language">&lt;b&gt;x&lt;/b&gt;\n</code></pre>\n',
        ),
        (
            '```"><script>\nx\n```\n',
            '<pre><code class="language-&quot;&gt;&lt;script&gt;">x\n</code></pre>\n',
        ),
        ("    indented code\n", "<pre><code>indented code\n</code></pre>\n"),
    ],
)
def test_unknown_or_missing_language_is_plain_escaped_code(fence: str, expected: str) -> None:
    assert html(fence) == expected


def test_fence_info_after_the_language_is_ignored() -> None:
    out = html('```python title="x.py"\nx = 1\n```\n')
    assert out.startswith('<div class="language-python highlight">')


@needs_corpus
def test_model_spec_code_is_highlighted() -> None:
    loaded, _ = load_spec(MODEL_SPEC)
    langs: set[str] = set()
    for markdown in _message_texts(loaded.spec):
        if "```" in markdown.text:
            out = render_markdown(markdown)
            langs.update(chunk.split(" ", 1)[0] for chunk in out.split('<div class="language-')[1:])
    assert {"python", "html", "typescript", "bash"} <= langs


def _modules_imported_by_lint(path: Path) -> set[str]:
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from specgen.api import lint_paths\n"
        f"report, _ = lint_paths([Path({str(path)!r})])\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=path.parent
    )
    return {name.split(".")[0] for name in result.stdout.split()}


def test_lint_does_not_import_pygments() -> None:
    imported = _modules_imported_by_lint(FIXTURES / "SG210" / "bad")
    assert "latex2mathml" in imported  # its math is not plain: it had to be converted
    assert "pygments" not in imported


@needs_corpus
def test_model_spec_lint_imports_neither_converter() -> None:
    # Its math is all plain (see plainly_valid): lint stays as fast as without math.
    imported = _modules_imported_by_lint(MODEL_SPEC)
    assert "latex2mathml" not in imported and "pygments" not in imported
