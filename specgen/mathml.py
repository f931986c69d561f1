r"""LaTeX to MathML at build time, made safe to publish: the page needs no script.

Below lint and render alike: the renderer converts math with it and lint rule SG210
checks that it converts, so both agree on what is valid math.

latex2mathml does the conversion. Its own serialisation is not safe for untrusted text:
it un-escapes ``<``, ``>`` and ``&`` after writing, so ``\text{<img onerror=…>}`` would
come out as a live tag, and it passes ``\href``, ``\style`` and ``\class`` through as
attributes. So the element tree is written here instead: MathML elements only (anything
else fails the conversion), known presentation attributes with plain values only
(``href``, ``style``, ``class``, ``on…`` are dropped), and every text and attribute value
escaped, keeping the numeric character references latex2mathml writes for symbols
(``&#x003C0;`` is π).

latex2mathml is lenient; a conversion also fails on what MathJax would reject:
unbalanced braces and unknown commands (``\frca``). The lint rule SG210 reports those,
and the renderer shows the math as written in ``<code class="sg-math-error">``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

# MathML presentation elements (MathML Core, and what latex2mathml writes).
_TAG_NAMES = """
    math mrow mi mn mo ms mtext mspace msub msup msubsup mfrac msqrt mroot mstyle merror
    mpadded mphantom menclose munder mover munderover mtable mtr mtd mlabeledtr mmultiscripts
    mprescripts none
"""
# Presentation attributes; never href, style, class, id or event handlers.
_ATTR_NAMES = """
    xmlns display mathvariant mathsize mathcolor mathbackground displaystyle scriptlevel
    stretchy fence separator form lspace rspace minsize maxsize symmetric largeop movablelimits
    accent accentunder linethickness width height depth voffset notation columnalign rowalign
    columnspacing rowspacing columnlines rowlines frame framespacing equalrows equalcolumns
    align columnspan rowspan linebreak numalign denomalign bevelled
"""
_TAGS = frozenset(_TAG_NAMES.split())
_ATTRS = frozenset(_ATTR_NAMES.split())
# latex2mathml's exceptions carry no message: say what each means.
_REASONS = {
    "NumeratorNotFoundError": "a fraction without its numerator",
    "DenominatorNotFoundError": "a fraction without its denominator",
    "ExtraLeftOrMissingRightError": "\\left without \\right",
    "MissingSuperScriptOrSubscriptError": "'^' or '_' without its script",
    "DoubleSubscriptsError": "double subscript",
    "DoubleSuperscriptsError": "double superscript",
    "NoAvailableTokensError": "it ends too early (a command without its arguments?)",
    "InvalidStyleForGenfracError": "invalid style for \\genfrac",
    "MissingEndError": "\\begin without \\end",
    "InvalidAlignmentError": "invalid column alignment",
    "InvalidWidthError": "invalid width",
    "LimitsMustFollowMathOperatorError": "\\limits must follow an operator",
    "RecursionError": "nested too deeply",
}
# Attribute values are lengths, colours, alignments and flags: anything else is dropped.
_VALUE = re.compile(r"[\w#.,%+\- ]{0,200}")
_XMLNS = "http://www.w3.org/1998/Math/MathML"
_BARE_AMP = re.compile(r"&(?!#(?:x[0-9A-Fa-f]{1,6}|[0-9]{1,7});)")
_COMMAND = re.compile(r"\\[A-Za-z]+")
_MAX_DEPTH = 50  # groups in groups; latex2mathml recurses on each


class MathResult(NamedTuple):
    """The MathML of a piece of math, or why it could not be converted."""

    html: str
    error: str  # empty when html is the MathML


class MathError(ValueError):
    pass


def math_error(latex: str, display: bool = False) -> str:
    """Why ``latex`` cannot be rendered, or "" when it can: what lint needs to know.

    Plain math (see ``plainly_valid``) is known good without converting it, so linting
    does not import latex2mathml (~40 ms, mostly for the standard library it pulls in)
    unless a spec's math goes beyond it.
    """
    return "" if plainly_valid(latex) else convert_math(latex, display).error


@lru_cache(maxsize=4096)
def convert_math(latex: str, display: bool = False) -> MathResult:
    """``<math>`` for ``latex`` (``display="block"`` when displayed), or an error."""
    try:
        return MathResult(_convert(latex.strip(), display), "")
    except MathError as exc:
        return MathResult("", str(exc))


def _convert(latex: str, display: bool) -> str:
    if not latex:
        raise MathError("empty math")
    _check_braces(latex)
    from latex2mathml.converter import convert_to_element  # only when there is math

    try:
        tree = convert_to_element(latex, display="block" if display else "inline")
    except Exception as exc:  # a third-party parser on untrusted text: any failure
        name = type(exc).__name__
        reason = _REASONS.get(name) or f"latex2mathml cannot read it ({str(exc).strip() or name})"
        raise MathError(reason) from exc
    out: list[str] = []
    _write(tree, out)
    return "".join(out)


def _check_braces(latex: str) -> None:
    depth = 0
    chars = iter(latex)
    for char in chars:
        if char == "\\":
            next(chars, None)  # \{ \} \\ are not groups
        elif char == "{":
            depth += 1
            if depth > _MAX_DEPTH:
                raise MathError("nested too deeply")
        elif char == "}":
            depth -= 1
            if depth < 0:
                raise MathError("unbalanced braces: '}' closes nothing")
    if depth > 0:
        raise MathError("unbalanced braces: missing '}'")


def _write(element: Element, out: list[str]) -> None:
    tag = element.tag
    if tag not in _TAGS:
        raise MathError(f"unsupported element <{tag}>")
    text = element.text or ""
    if tag in ("mi", "mo") and _COMMAND.fullmatch(text):
        raise MathError(f"unknown command '{text}'")
    out.append(f"<{tag}")
    for name, value in element.attrib.items():
        if name in _ATTRS and (_VALUE.fullmatch(value) or (name == "xmlns" and value == _XMLNS)):
            out.append(f' {name}="{_escape(value)}"')
    out.append(">")
    out.append(_escape(text))
    for child in element:
        _write(child, out)
        out.append(_escape(child.tail or ""))
    out.append(f"</{tag}>")


def _escape(text: str) -> str:
    text = _BARE_AMP.sub("&amp;", text)
    return text.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


# -- plain math: a subset latex2mathml always converts -----------------------------------

_PLAIN_TOKEN = re.compile(r"\\[A-Za-z]+|[0-9]+(?:\.[0-9]+)?|[A-Za-z]|[{}^_]|[-+=(),./<>|]|\s+")
_SYMBOL_NAMES = """
    alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu
    xi pi rho sigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma
    Phi Psi Omega times cdot div pm mp le leq ge geq ne neq approx equiv sim infty to ldots
    cdots dots partial nabla in notin subset subseteq cup cap quad qquad
"""
_SYMBOLS = frozenset(_SYMBOL_NAMES.split())
_ONE_ARG = frozenset(("mathcal", "mathbb", "mathbf", "mathrm", "mathit", "sqrt"))
_TWO_ARGS = frozenset(("frac", "dfrac", "tfrac"))


def plainly_valid(latex: str) -> bool:
    """True only when ``latex`` is plain math that ``convert_math`` surely converts.

    Plain: letters, numbers, a few operators, non-empty ``{…}`` groups, at most one ``^``
    and one ``_`` per base each with its argument, the symbols above, and ``\\frac``,
    ``\\sqrt``, ``\\mathcal``… with theirs. False means "convert it to find out"; a test
    checks on generated math that True is never wrong.
    """
    if latex.count("{") > _MAX_DEPTH:
        return False  # deep nesting is for convert_math to judge
    pieces = _PLAIN_TOKEN.findall(latex)
    if sum(map(len, pieces)) != len(latex):
        return False  # a character outside the subset
    tokens = [piece for piece in pieces if not piece.isspace()]
    return bool(tokens) and _plain_row(tokens, 0) == len(tokens)


def _plain_row(tokens: list[str], pos: int) -> int:
    """Where the row from ``pos`` ends (at a "}" or the end), or -1."""
    while 0 <= pos < len(tokens) and tokens[pos] != "}":
        pos = _plain_atom(tokens, pos)
        seen: set[str] = set()
        while 0 <= pos < len(tokens) and tokens[pos] in ("^", "_"):
            if tokens[pos] in seen:
                return -1  # double superscript or subscript
            seen.add(tokens[pos])
            pos = _plain_arg(tokens, pos + 1)
    return pos


def _plain_atom(tokens: list[str], pos: int) -> int:
    token = tokens[pos]
    if token in ("^", "_"):
        return -1
    if token.startswith("\\"):
        name = token[1:]
        if name in _ONE_ARG:
            return _plain_arg(tokens, pos + 1)
        if name in _TWO_ARGS:
            return _plain_arg(tokens, _plain_arg(tokens, pos + 1))
        return pos + 1 if name in _SYMBOLS else -1
    return _plain_arg(tokens, pos) if token == "{" else pos + 1


def _plain_arg(tokens: list[str], pos: int) -> int:
    """After a command's or a script's argument: a letter, a number, a symbol or a group."""
    if not 0 <= pos < len(tokens):
        return -1
    token = tokens[pos]
    if token == "{":
        if pos + 1 < len(tokens) and tokens[pos + 1] == "}":
            return -1  # an empty group
        end = _plain_row(tokens, pos + 1)
        return end + 1 if 0 <= end < len(tokens) else -1
    if token.startswith("\\"):
        return pos + 1 if token[1:] in _SYMBOLS else -1
    return pos + 1 if token[0].isalnum() else -1
