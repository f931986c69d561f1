"""Renders spec Markdown tokens to HTML that is safe to publish.

Spec text is untrusted: raw HTML is shown as text (comments are dropped), link targets
pass markdown-it's URL validation (no javascript:), and every attribute is escaped.
Tokens come from ``specgen.mdit.parse`` (shared, cached): rules here never mutate them.
Math becomes MathML and fenced code is highlighted with Pygments, both at build time.

On request (``source_lines``), each top-level block's opening tag carries the file line
it came from as ``data-sg-line="N"``: the HTML diff turns those of changed blocks into
source locations. The attribute is added to the rendered HTML, never to the tokens.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from markdown_it.common.utils import escapeHtml, unescapeAll
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from specgen.mathml import convert_math
from specgen.mdit import make_md, parse
from specgen.mdit.spec_refs import REF_META, TITLE_META
from specgen.model import Markdown
from specgen.render.highlight import highlight_code
from specgen.render.linker import Linker
from specgen.render.toc import Toc

PlaceExample = Callable[[str], str]
SourceLines = Callable[[int], int]  # a 0-based line of the Markdown text -> its file line
SOURCE_LINE_ATTR = "data-sg-line"
_LINKER = "specgen_linker"
_PLACE = "specgen_place_example"
_TOC = "specgen_toc"
_NO_LINKS = "specgen_no_links"  # text shown inside a link of its own (an index entry)
_SOURCE_LINES = "specgen_source_lines"
_BROKEN = "#broken-reference"


class SpecRenderer(RendererHTML):
    """markdown-it's HTML renderer with the spec's own tokens and no raw HTML."""

    def render(self, tokens: Sequence[Token], options: OptionsDict, env: EnvType) -> str:
        lines: SourceLines | None = env.get(_SOURCE_LINES)
        if lines is None:
            return super().render(tokens, options, env)
        out: list[str] = []
        for i, token in enumerate(tokens):  # markdown-it's own loop, plus the lines
            if token.type == "inline":
                html = self.renderInline(token.children, options, env) if token.children else ""
            elif token.type in self.rules:
                html = self.rules[token.type](tokens, i, options, env)
            else:
                html = self.renderToken(tokens, i, options, env)
            if token.block and token.level == 0 and token.nesting >= 0 and token.map:
                html = _with_source_line(html, lines(token.map[0]))
            out.append(html)
        return "".join(out)

    def html_block(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        content = tokens[idx].content
        if content.lstrip().startswith("<!--"):
            return ""
        return f"<p>{escapeHtml(content)}</p>\n"

    def html_inline(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        content = tokens[idx].content
        return "" if content.startswith("<!--") else escapeHtml(content)

    def link_open(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        if env.get(_NO_LINKS):
            return ""
        token = tokens[idx]
        target = token.meta.get(REF_META)
        if target is None:
            return self.renderToken(tokens, idx, options, env)
        linker: Linker | None = env.get(_LINKER)
        url = linker.section_url(target) if linker else f"#{target}"
        css = "sg-ref" if url else "sg-ref sg-ref--broken"
        return f'<a class="{css}" href="{escapeHtml(url or _BROKEN)}">'

    def link_close(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return "" if env.get(_NO_LINKS) else self.renderToken(tokens, idx, options, env)

    def heading_open(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        toc: Toc | None = env.get(_TOC)
        if toc is None:
            return self.renderToken(tokens, idx, options, env)
        title = _plain_text(tokens[idx + 1])
        anchor = toc.heading_id(title)
        toc.add_heading(int(tokens[idx].tag[1]), anchor, title)
        return f'<{tokens[idx].tag} id="{escapeHtml(anchor)}">'

    def heading_close(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        toc: Toc | None = env.get(_TOC)
        if toc is None or not toc.entries:
            return self.renderToken(tokens, idx, options, env)
        anchor = escapeHtml(toc.entries[-1].id)
        link = f'<a class="headerlink" href="#{anchor}" title="Permanent link">&para;</a>'
        return f"{link}</{tokens[idx].tag}>\n"

    def text(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        if token.content == "?" and idx > 0 and tokens[idx - 1].meta.get(TITLE_META):
            linker: Linker | None = env.get(_LINKER)
            title = linker.section_title(tokens[idx - 1].meta[REF_META]) if linker else None
            title = title or tokens[idx - 1].meta[REF_META]
            # "the [?](#chain_of_command)" must not read "the The chain of command".
            before = tokens[idx - 2].content if idx > 1 and tokens[idx - 2].type == "text" else ""
            if before.lower().endswith("the ") and title.startswith("The "):
                title = title[len("The ") :]
            return escapeHtml(title)
        return escapeHtml(token.content)

    def eval_ref(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        set_id = str(tokens[idx].meta["id"])
        linker: Linker | None = env.get(_LINKER)
        url = linker.eval_url(set_id) if linker else None
        label = escapeHtml(set_id)
        # The bare id ("ab11") says nothing: hover and screen readers get what it is.
        name = f"Eval prompt set {label}"
        if url is None:
            missing = "sg-eval-ref sg-eval-ref--missing"
            return f'<sup title="{name} (not found)" class="{missing}">{label}</sup>'
        return (
            f'<sup class="sg-eval-ref"><a href="{escapeHtml(url)}" '
            f'title="{name}: the prompts that test this" aria-label="{name}">{label}</a></sup>'
        )

    def example_placement(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        place: PlaceExample | None = env.get(_PLACE)
        return place(str(tokens[idx].meta["id"])) if place else ""

    def math_inline(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return _math(tokens[idx])

    def math_block(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return _math(tokens[idx]) + "\n"

    def fence(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        info = unescapeAll(token.info).strip() if token.info else ""
        lang = info.split(maxsplit=1)[0] if info else ""
        highlighted = highlight_code(token.content, lang) if lang else None
        return highlighted or super().fence(tokens, idx, options, env)


def _math(token: Token) -> str:
    display = bool(token.meta.get("display"))
    result = convert_math(token.content, display)
    if not result.error:
        return result.html
    # Shown as MathJax would have read it, so the author sees what to fix (lint: SG210).
    opener, closer = ("\\[", "\\]") if display else ("\\(", "\\)")
    code = f'<code class="sg-math-error">{escapeHtml(opener + token.content + closer)}</code>'
    return f"<p>{code}</p>" if token.block else code


# The first tag of a block's HTML (math stays one unit for the word diff: left alone).
_FIRST_TAG = re.compile(r"^(\s*<(?!math\b)[A-Za-z][A-Za-z0-9-]*)(?=[\s/>])")


def _with_source_line(html: str, line: int) -> str:
    return _FIRST_TAG.sub(lambda m: f'{m.group(1)} {SOURCE_LINE_ATTR}="{line}"', html, count=1)


_renderer: SpecRenderer | None = None


def _get_renderer() -> SpecRenderer:
    global _renderer
    if _renderer is None:
        md = make_md()
        _renderer = SpecRenderer(md)
        # Plugins (admonitions) registered their render rules on md's own renderer.
        for name, rule in md.renderer.rules.items():  # type: ignore[attr-defined]
            _renderer.rules.setdefault(name, rule)
    return _renderer


def plain_text(markdown: Markdown) -> str:
    """The words of an inline Markdown text, without markup (for tables of contents)."""
    tokens = parse(markdown)
    return _plain_text(tokens[0]) if tokens else ""


def _plain_text(inline: Token) -> str:
    return "".join(
        child.content for child in inline.children or [] if child.type in ("text", "code_inline")
    ).strip()


def render_markdown(
    markdown: Markdown,
    linker: Linker | None = None,
    place_example: PlaceExample | None = None,
    toc: Toc | None = None,
    links: bool = True,
    source_lines: SourceLines | None = None,
) -> str:
    """HTML of ``markdown``. Headings get ids and permalinks and are recorded in ``toc``
    when one is given; ``links=False`` drops links (for text shown inside a link);
    ``source_lines`` marks each top-level block with its file line (``SOURCE_LINE_ATTR``),
    given the 0-based line of the text it starts on."""
    env: dict[str, Any] = {
        _LINKER: linker,
        _PLACE: place_example,
        _TOC: toc,
        _NO_LINKS: not links,
    }
    if source_lines is not None and not markdown.inline:
        env[_SOURCE_LINES] = source_lines
    tokens = parse(markdown)
    if markdown.inline:
        return _get_renderer().render(tokens[0].children or [], make_md().options, env)
    return _get_renderer().render(tokens, make_md().options, env)
