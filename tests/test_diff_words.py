"""specgen.diff.words: word-level insertions and deletions on rendered HTML.

The inputs are real renderings (``render_markdown``), so the tests see what the diff page
sees: the new side's structure kept whole, inserted words in ``<ins>`` holding text only,
deleted words in ``<del>`` as text, spec text escaped throughout."""

from __future__ import annotations

import html as html_lib
import re
from collections import Counter
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from specgen.diff.words import (
    WordDiff,
    diff_html,
    link_note,
    mark_deleted,
    mark_inserted,
    tokenize,
)
from specgen.model import Location, Markdown
from specgen.render.markdown import render_markdown

VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "col", "area", "source", "mspace"}


def md(text: str, inline: bool = False) -> str:
    return render_markdown(Markdown(text, Location("x.md"), inline=inline))


def wdiff(old: str, new: str, inline: bool = False) -> WordDiff:
    return diff_html(md(old, inline), md(new, inline))


def md_lines(text: str, first_line: int = 1) -> str:
    """``text`` rendered with each top-level block's file line (the text starting at
    ``first_line`` of x.md), as the HTML diff renders a body."""
    markdown = Markdown(text, Location("x.md", first_line))
    return render_markdown(markdown, source_lines=lambda i: markdown.location_of(i).line)


LINE_MARKS = re.compile(r' data-sg-(?:old-)?line="\d+"')


def marks(html: str) -> list[tuple[str, str | None, str | None]]:
    """(tag, new line, old line) of each block ``html`` marks with its lines."""
    found = []
    for tag, attrs in re.findall(r'<(\w+)((?: data-sg-(?:old-)?line="\d+")+)', html):
        new = re.search(r'data-sg-line="(\d+)"', attrs)
        old = re.search(r'data-sg-old-line="(\d+)"', attrs)
        found.append((tag, new.group(1) if new else None, old.group(1) if old else None))
    return found


def ins(html: str) -> list[str]:
    return [html_lib.unescape(t) for t in re.findall(r"<ins>(.*?)</ins>", html, re.S)]


def dels(html: str) -> list[str]:
    return [html_lib.unescape(t) for t in re.findall(r"<del>(.*?)</del>", html, re.S)]


class _Balance(HTMLParser):
    """Fails on a closing tag that does not close the element last opened."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


def assert_well_formed(html: str) -> None:
    parser = _Balance()
    parser.feed(html)
    parser.close()
    assert not parser.errors, (parser.errors, html)
    assert not parser.stack, (parser.stack, html)


def assert_marks_hold_text_only(html: str) -> None:
    """Every <ins> and <del> holds text (or a whole math element), never a bare tag."""
    for kind in ("ins", "del"):
        for content in re.findall(rf"<{kind}>(.*?)</{kind}>", html, re.S):
            inner = re.sub(r"<math\b.*?</math>", "", content, flags=re.S)
            assert "<" not in inner, (kind, content)
        assert html.count(f"<{kind}>") == html.count(f"</{kind}>")


def words_of(html: str) -> str:
    """The text of ``html``, tags and all whitespace removed."""
    return re.sub(r"\s+", "", re.sub(r"<[^>]*>", "", html))


def new_side(html: str) -> str:
    return words_of(re.sub(r"<del>.*?</del>", "", html, flags=re.S))


def old_side(html: str) -> str:
    return words_of(re.sub(r"<ins>.*?</ins>", "", html, flags=re.S))


# -- basics -------------------------------------------------------------------------------


def test_unchanged_text_short_circuits() -> None:
    html = md("Same *text* here.\n\n- a\n- b\n")
    result = diff_html(html, html)
    assert result == WordDiff(html, 0, 0) and not result.changed


def test_words_inserted_deleted_and_replaced_in_a_paragraph() -> None:
    result = wdiff("The quick brown fox jumps.", "The slow brown fox jumps high.")
    assert result.html == (
        "<p>The <del>quick</del> <ins>slow</ins> brown fox jumps <ins>high</ins>.</p>\n"
    )
    assert (result.inserted, result.deleted) == (2, 1)
    assert result.changed


def test_a_deletion_keeps_the_space_before_it() -> None:
    assert wdiff("foo bar baz", "foo baz").html == "<p>foo <del>bar</del> baz</p>\n"
    # At the end of a paragraph, after an inline element the old side also closed.
    html = wdiff("see `x` and more", "see `x`").html
    assert html == "<p>see <code>x</code> <del>and more</del></p>\n"


def test_punctuation_is_a_word_of_its_own() -> None:
    assert wdiff("It ends here.", "It ends here!").html == (
        "<p>It ends here<del>.</del><ins>!</ins></p>\n"
    )


def test_a_lone_common_word_between_two_changes_is_folded_into_them() -> None:
    result = wdiff("alpha beta gamma delta", "one beta two delta")
    assert ins(result.html) == ["one beta two"] and dels(result.html) == ["alpha beta gamma"]


def test_formatting_only_changes_show_no_words() -> None:
    result = wdiff("Say *hello* now.", "Say **hello** now.")
    assert not result.changed
    assert result.html == "<p>Say <strong>hello</strong> now.</p>\n"  # the new side


def test_inserted_words_split_at_tags_and_keep_the_new_structure() -> None:
    result = wdiff("Keep this.", "Keep *very much* this, [see](https://example.com/x).")
    assert_well_formed(result.html)
    assert_marks_hold_text_only(result.html)
    assert "<em><ins>very much</ins></em>" in result.html
    assert '<a href="https://example.com/x"><ins>see</ins></a>' in result.html


def test_deleted_words_lose_their_tags_and_stay_out_of_new_elements() -> None:
    result = wdiff("Keep *very much* this.", "Keep this.")
    assert result.html == "<p>Keep <del>very much</del> this.</p>\n"
    # Deleted words before new code are not written inside it.
    result = wdiff("old stuff `x`", "`x`")
    assert result.html == "<p><del>old stuff</del> <code>x</code></p>\n"
    # Deleted words inside an element the new side keeps stay inside it.
    result = wdiff("foo *bar qux* baz", "foo *bar* baz")
    assert result.html == "<p>foo <em>bar <del>qux</del></em> baz</p>\n"


def test_deleted_words_keep_the_spaces_of_the_tags_they_lose() -> None:
    # A line break and the space after an element: dropped tags, kept spaces.
    result = wdiff("one *two*  \nthree `x` four five", "five")
    assert dels(result.html) == ["one two three x four"]
    # No space where the old side had none.
    assert dels(wdiff("one *two*three four", "four").html) == ["one twothree"]


# -- blocks -------------------------------------------------------------------------------


def test_paragraphs_are_compared_one_by_one() -> None:
    old = "First paragraph stays.\n\nSecond one changes here.\n\nThird stays too.\n"
    new = "First paragraph stays.\n\nSecond one changed here.\n\nThird stays too.\n\nAdded.\n"
    result = wdiff(old, new)
    assert result.html.startswith("<p>First paragraph stays.</p>\n<p>Second one ")
    assert "<del>changes</del> <ins>changed</ins>" in result.html
    assert result.html.endswith("<p>Third stays too.</p>\n<p><ins>Added.</ins></p>\n")


def test_a_removed_list_item_is_shown_as_a_removed_item() -> None:
    old = "- Refunds go back to the card used.\n- Vouchers are never the default.\n- Fees too.\n"
    new = "- Refunds go back to the card used.\n- Fees too.\n"
    result = wdiff(old, new)
    assert "<li><del>Vouchers are never the default.</del></li>" in result.html
    assert_well_formed(result.html)


def test_removed_and_edited_items_are_paired_by_similarity() -> None:
    old = "- alpha one two\n- beta gone\n- gamma three four\n- delta gone too\n"
    new = "- alpha one two three\n- gamma three four five\n"
    result = wdiff(old, new)
    items = re.findall(r"<li>(.*?)</li>", result.html)
    assert items == [
        "alpha one two <ins>three</ins>",
        "<del>beta gone</del>",
        "gamma three four <ins>five</ins>",
        "<del>delta gone too</del>",
    ]


def test_a_changed_table_cell_is_compared_in_its_cell() -> None:
    old = "| a | b |\n|---|---|\n| one | two |\n| three | four |\n"
    new = "| a | b |\n|---|---|\n| one | 2 |\n| three | four |\n"
    result = wdiff(old, new)
    assert "<td><del>two</del><ins>2</ins></td>" in result.html
    assert_well_formed(result.html)
    # No text lands between table tags, where a browser would move it out of the table.
    assert not re.search(r"</t[dhr]>\s*<(ins|del)>", result.html)


def test_admonition_paragraphs_are_compared_inside_it() -> None:
    old = '!!! meta "Commentary"\n    One reason.\n\n    Two reasons.\n'
    new = '!!! meta "Commentary"\n    One reason.\n\n    Three reasons.\n'
    result = wdiff(old, new)
    assert '<div class="admonition meta">' in result.html
    assert "<del>Two</del> <ins>Three</ins> reasons" in result.html
    assert_well_formed(result.html)


def test_code_blocks_keep_their_whitespace() -> None:
    old = "```\ndef f(x):\n    return x\n```\n"
    new = "```\ndef f(x):\n    return x + 1\n```\n"
    result = wdiff(old, new)
    assert "<pre><code>def f(x):\n    return x <ins>+ 1</ins>\n</code></pre>" in result.html


def test_math_is_compared_as_one_unit() -> None:
    result = wdiff("Area \\\\( \\pi r^2 \\\\) here.", "Area \\\\( 2 \\pi r \\\\) here.")
    assert_well_formed(result.html)
    assert re.search(
        r"<del><math\b[^<]*<mrow><mi>&#x003C0;.*?</math></del>\s*<ins><math\b", result.html
    )
    assert result.html.count("<math") == 2


def test_a_whole_new_or_removed_side() -> None:
    result = wdiff("", "Brand new text.")
    assert result.html == "<p><ins>Brand new text.</ins></p>\n"
    result = wdiff("Old text.", "")
    assert result.html == "<p><del>Old text.</del></p>\n"


def test_mark_inserted_and_deleted_keep_the_structure() -> None:
    html = md("A *b* c.\n\n- d\n")
    inserted = mark_inserted(html)
    assert inserted.html == "<p><ins>A</ins> <em><ins>b</ins></em> <ins>c.</ins></p>\n" + (
        "<ul>\n<li><ins>d</ins></li>\n</ul>\n"
    )
    assert inserted.inserted == 5  # A, b, c, ".", d
    deleted = mark_deleted(html)
    assert "<em><del>b</del></em>" in deleted.html and deleted.deleted == 5


def test_inline_fragments_are_diffed_as_inline() -> None:
    result = wdiff("A passenger asks for **cash**", "A passenger asks for a **refund**", True)
    assert result.html == (
        "A passenger asks for <del>cash</del><ins>a</ins> <strong><ins>refund</ins></strong>"
    )


# -- source lines ---------------------------------------------------------------------------


def test_the_renderer_marks_top_level_blocks_only_when_asked() -> None:
    text = "Para one\ncontinues.\n\n- a\n- b\n\n```python\nx = 1\n```\n\n> quote\n\n---\n"
    plain = md(text)
    assert "data-sg-" not in plain  # the default output is untouched
    lined = md_lines(text, 10)
    assert marks(lined) == [
        ("p", "10", None),
        ("ul", "13", None),
        ("div", "16", None),  # the highlighted code block
        ("blockquote", "20", None),
        ("hr", "22", None),
    ]
    assert LINE_MARKS.sub("", lined) == plain  # nothing else differs


def test_only_changed_blocks_keep_their_lines() -> None:
    old = "One stays.\n\nTwo changes here.\n\n- item a\n- item b\n\nGone paragraph.\n\nLast.\n"
    new = "Inserted first.\n\nOne stays.\n\nTwo changed here.\n\n- item a\n- item c\n\nLast.\n"
    result = diff_html(md_lines(old, 10), md_lines(new, 20))
    assert marks(result.html) == [
        ("p", "20", None),  # inserted: its new line
        ("p", "24", "12"),  # changed: both lines
        ("ul", "26", "14"),  # a changed item: the list's lines
        ("p", None, "17"),  # removed: its old line
    ]
    assert "<p>One stays.</p>" in result.html and "<p>Last.</p>" in result.html
    # Lines alone never make a change.
    same = diff_html(md_lines(old, 10), md_lines(old, 50))
    assert not same.changed and "data-sg-" not in same.html
    assert diff_html(md_lines(old), md_lines(old)).html == md(old)


def test_spec_text_cannot_pass_for_a_line_mark() -> None:
    old = 'A <p data-sg-line="9"> [x](https://e.example/data-sg-line="7") `data-sg-line="5"`\n'
    new = old.replace("A ", "B ") + '\n<b data-sg-line="3">\n'
    lined = diff_html(md_lines(old, 10), md_lines(new, 20))
    assert marks(lined.html) == [("p", "20", "10"), ("p", "22", None)]
    assert LINE_MARKS.sub("", lined.html) == diff_html(md(old), md(new)).html
    assert lined.html.count("data-sg-line=&quot;") == 3  # the spec's own, as text


# -- link targets -------------------------------------------------------------------------


def test_a_link_whose_target_changed_is_marked() -> None:
    result = wdiff("See [the rules](#a) now.", "See [the rules](#b) now.")
    assert result.html == (
        '<p>See <a class="sgd-relinked sg-ref" href="#b">the rules</a>'
        '<span class="sgd-relink">link target: #a → #b</span> now.</p>\n'
    )
    assert (result.inserted, result.deleted, result.links) == (0, 0, 1)
    assert not result.changed  # no word changed


def test_a_link_lost_or_gained_and_words_changed_with_it() -> None:
    lost = wdiff("See [the rules](#a) now.", "See the rules now.").html
    assert (
        lost == '<p>See the rules <span class="sgd-relink">link target: #a → none</span>now.</p>\n'
    )
    gained = wdiff("See the rules now.", "See [the rules](#b) now.").html
    assert '<span class="sgd-relink">link target: none → #b</span>' in gained
    both = wdiff("See [the old rules](#a) now.", "See [the new rules](#b) now.")
    assert both.links == 1 and both.changed
    assert "<del>old</del> <ins>new</ins> rules</a>" in both.html
    # A link whose every word changed shows as words: no note.
    assert wdiff("Go [here](#a).", "Go [there](#b).").links == 0
    # Same target: nothing to say.
    assert wdiff("See [the rules](#a).", "See [all the rules](#a).").links == 0


def test_a_renamed_target_is_no_change() -> None:
    old, new = md("Read [the rules](#refunds)."), md("Read [the rules](#cancel_refunds).")
    assert diff_html(old, new).links == 1
    result = diff_html(old, new, renamed={"#refunds": "#cancel_refunds"})
    assert result.links == 0 and "sgd-relink" not in result.html


def test_link_targets_are_passed_plain_and_noted_escaped() -> None:
    seen: list[tuple[str | None, str | None]] = []

    def note(old: str | None, new: str | None) -> str:
        seen.append((old, new))
        return "<span>note</span>"

    old = md('[x](https://a.example/?q=1&r=2 "t")')
    new = md("[x](https://a.example/?q=1&r=<b>)")
    result = diff_html(old, new, note)
    assert seen == [("https://a.example/?q=1&r=2", "https://a.example/?q=1&r=%3Cb%3E")]
    assert result.html.count("<span>note</span>") == 1
    assert link_note('"><script>x</script>', None) == (
        '<span class="sgd-relink">link target: '
        "&quot;&gt;&lt;script&gt;x&lt;/script&gt; → none</span>"
    )


# -- spec text stays text -----------------------------------------------------------------


def test_payloads_in_spec_text_stay_escaped() -> None:
    old = "Safe text <script>alert(1)</script> here."
    new = "Safe text <img src=x onerror=alert(2)> and <b>bold</b> here. `<i>`"
    result = wdiff(old, new)
    assert "<script" not in result.html and "<img" not in result.html
    assert "<b>" not in result.html and "<i>" not in result.html
    assert dels(result.html) == ["script>alert(1)</script> here."]
    assert ins(result.html)[0] == "img src=x onerror=alert(2)> and <b>bold</b> here."
    assert_well_formed(result.html)
    # Entities are never split: a deletion cannot leave half of one behind.
    for piece in re.findall(r"<(?:ins|del)>(.*?)</(?:ins|del)>", result.html):
        assert not re.search(r"&[#\w]*$", piece) and not re.match(r"^[#\w]*;", piece)


def test_deleted_html_is_still_escaped() -> None:
    result = wdiff("Text with &lt;b&gt; <em>x</em> and <script>bad()</script>.", "Text.")
    deleted = "".join(re.findall(r"<del>(.*?)</del>", result.html))
    assert "<" not in deleted and "&lt;script&gt;" in deleted


def test_tokens_are_tags_words_and_spaces() -> None:
    assert tokenize("<p>Hi, you &amp; me</p>") == [
        (0, "<p>"),
        (1, "Hi"),
        (1, ", "),
        (1, "you "),
        (1, "&amp; "),
        (1, "me"),
        (0, "</p>"),
    ]


# -- properties ---------------------------------------------------------------------------

WORDS = ["the", "passenger", "refund", "voucher", "cash", "never", "a", ",", ".", "<b>", "&"]


@st.composite
def documents(draw: st.DrawFn) -> str:
    blocks = []
    for _ in range(draw(st.integers(1, 5))):
        words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=12))
        text = " ".join(words)
        kind = draw(st.sampled_from(["p", "list", "em", "code", "quote", "table"]))
        if kind == "list":
            text = "\n".join(f"- {w}" for w in words[:4]) + "\n"
        elif kind == "em":
            text = f"{words[0]} *{' '.join(words[1:]) or 'x'}* end"
        elif kind == "code":
            text = f"{words[0]} `{' '.join(words[1:]) or 'x'}`"
        elif kind == "quote":
            text = "> " + text
        elif kind == "table":
            text = f"| h | i |\n|---|---|\n| {words[0]} | {' '.join(words[1:]) or 'x'} |\n"
        blocks.append(text)
    return "\n\n".join(blocks) + "\n"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(), documents())
def test_any_diff_is_well_formed_and_reads_as_both_sides(old: str, new: str) -> None:
    old_html, new_html = md(old), md(new)
    result = diff_html(old_html, new_html)
    assert_well_formed(result.html)
    assert_marks_hold_text_only(result.html)
    # Dropping the deletions reads the new side; dropping the insertions the old one.
    assert new_side(result.html) == words_of(new_html)
    assert old_side(result.html) == words_of(old_html)
    # Every tag of the new side is kept; any other tag (but the diff's own) is one of
    # the old side's, from a block removed whole.
    tags = Counter(re.findall(r"<[^>]*>", re.sub(r"</?(ins|del)>", "", result.html)))
    new_tags = Counter(re.findall(r"<[^>]*>", new_html))
    assert not new_tags - tags
    assert set(tags - new_tags) <= set(re.findall(r"<[^>]*>", old_html))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(), documents(), st.integers(1, 40), st.integers(1, 40))
def test_lines_change_nothing_but_the_marks(old: str, new: str, at: int, at_new: int) -> None:
    """With source lines, the diff is the diff without them plus marks on the tags of
    changed blocks; unchanged blocks carry none."""
    lined = diff_html(md_lines(old, at), md_lines(new, at_new))
    plain = diff_html(md(old), md(new))
    assert LINE_MARKS.sub("", lined.html) == plain.html
    assert (lined.inserted, lined.deleted, lined.links) == (plain.inserted, plain.deleted, 0)
    assert_well_formed(lined.html)
    if not plain.changed and md(old) == md(new):
        assert "data-sg-" not in lined.html


# -- long texts (their speed is measured by benchmarks/run.py, not here) ------------------


def test_long_texts_mark_only_what_changed() -> None:
    paragraphs = [
        f"Paragraph {i} says the passenger may ask for item {i} twice." for i in range(600)
    ]
    old = "\n\n".join(paragraphs)
    changed = list(paragraphs)
    changed[10] = changed[10].replace("twice", "once")
    changed.insert(300, "A new paragraph in the middle.")
    del changed[500]
    new = "\n\n".join(changed)
    old_html, new_html = md(old), md(new)
    result = diff_html(old_html, new_html)
    assert ins(result.html) == ["once", "A new paragraph in the middle."]
    removed = "Paragraph 499 says the passenger may ask for item 499 twice."
    assert dels(result.html) == ["twice", removed]
    # With source lines (every block's differs after the insertion): the same marks.
    old_html, new_html = md_lines(old), md_lines(new)
    lined = diff_html(old_html, new_html)
    assert ins(lined.html) == ["once", "A new paragraph in the middle."]
