"""The human-facing diff outputs on real specs: the self-contained HTML page and the
pull-request Markdown, from two versions of a small native spec
(tests/fixtures/diff_output/old and new) whose every kind of change is known."""

from __future__ import annotations

import html as html_lib
import os
import re
from collections import Counter
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markupsafe import escape

from specgen.diff.describe import (
    KINDS,
    MINUS,
    Change,
    section_changes,
    status_change,
)
from specgen.diff.engine import diff_specs
from specgen.diff.html_out import page_styles, render_diff_html
from specgen.diff.markdown_out import render_diff_markdown
from specgen.diff.markdown_text import example_url, md_text, section_url
from specgen.diff.markdown_what_changed import GITHUB_COMMENT_LIMIT
from specgen.diff.model import (
    AuthorityChange,
    Direction,
    Move,
    RenameKind,
    SectionDiff,
    SpecDiff,
    Status,
    TextChange,
)
from specgen.identifiers import safe_slug
from specgen.model import Location, Markdown, Section, Spec
from specgen.sources.loading import load_spec

FIXTURES = Path(__file__).parent / "fixtures" / "diff_output"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "openai-model-spec"
BASE = "https://preview.example.com/spec"


def load(path: Path) -> Spec:
    return load_spec(path)[0].spec


@pytest.fixture(scope="module")
def diff() -> SpecDiff:
    return diff_specs(load(FIXTURES / "old" / "spec"), load(FIXTURES / "new" / "spec"), "v1", "v2")


@pytest.fixture(scope="module")
def page(diff: SpecDiff) -> str:
    return render_diff_html(diff)


BLOCK = re.compile(
    r"</?(?:p|div|li|ul|ol|tr|td|th|h\d|section|figure|figcaption|table|thead|tbody|"
    r"details|summary|br|header|main|article)\b[^>]*>"
)


def text(html: str) -> str:
    """What a reader sees of ``html``: tags dropped (blocks apart), entities decoded,
    spaces collapsed."""
    flat = re.sub(r"<[^>]*>", "", BLOCK.sub(" ", html))
    return " ".join(html_lib.unescape(flat).split())


def element(page: str, element_id: str) -> str:
    """The HTML of the element with ``element_id`` (a <section> or <figure>)."""
    match = re.search(rf'<(section|figure)\b[^>]*\bid="{re.escape(element_id)}"', page)
    assert match, element_id
    tag = match.group(1)
    depth, pos = 0, match.start()
    for m in re.finditer(rf"<(/?){tag}\b[^>]*>", page[match.start() :]):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return page[pos : match.start() + m.end()]
    raise AssertionError(f"{element_id} never closes")


def marked(html: str, kind: str) -> list[str]:
    return [text(t) for t in re.findall(rf"<{kind}\b[^>]*>(.*?)</{kind}>", html, re.S)]


VOID_NAMES = "area base br col embed hr img input link meta source track wbr"


class _Page(HTMLParser):
    """Ids, links and the balance of a whole page."""

    VOID = frozenset(VOID_NAMES.split())

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.links: list[str] = []
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: Counter[str] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        for name, value in attrs:
            if name == "id" and value is not None:
                self.ids.append(value)
            if name in ("href", "src") and value is not None:
                self.links.append(value)
        if tag not in self.VOID and tag != "mspace":
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID and tag != "mspace":
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()
        else:
            self.errors.append(f"</{tag}> in {self.stack[-3:]}")


def parse_page(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    return parser


# -- the HTML page ------------------------------------------------------------------------


def test_the_page_is_well_formed_with_unique_ids_and_links_that_land(page: str) -> None:
    parsed = parse_page(page)
    assert not parsed.errors and not parsed.stack, (parsed.errors, parsed.stack)
    assert [i for i, n in Counter(parsed.ids).items() if n > 1] == []
    targets = {link[1:] for link in parsed.links if link.startswith("#")}
    assert targets and not targets - set(parsed.ids), targets - set(parsed.ids)


def test_the_page_is_self_contained(page: str) -> None:
    parsed = parse_page(page)
    assert page.startswith("<!doctype html>")
    # No script, stylesheet, font, frame or image; links only within the page.
    for tag in ("script", "link", "iframe", "img", "object", "embed", "base"):
        assert parsed.tags[tag] == 0, tag
    assert all(link.startswith("#") for link in parsed.links), parsed.links
    # The spec's image is named, not loaded.
    assert (
        '<span class="sgd-image" title="An image of the spec, not loaded here">'
        "[image: A large-print boarding pass]</span>" in page
    )
    css = "".join(re.findall(r"<style>(.*?)</style>", page, re.S))
    assert "url(" not in css and "@import" not in css and "@font-face" not in css
    # And the browser is told so: nothing may load but the inline styles.
    assert (
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline';" in page
    )
    assert 'name="color-scheme" content="light dark"' in page


def test_the_page_carries_the_sites_styles_light_and_dark() -> None:
    css = page_styles()
    assert ".sg-answer--good" in css and ".sg-badge" in css  # specgen.css, whole
    assert "data-md-color-scheme" not in css  # its slate rules moved under the media query
    dark = css[css.rindex("@media (prefers-color-scheme: dark)") :]
    assert "--sg-good: #6fcf8e" in dark and ":root .md-typeset .sg-example a" in dark
    # Every Material variable specgen.css uses is defined by the diff's own sheet.
    used = set(re.findall(r"var\((--md-[\w-]+)\)", css))
    defined = set(re.findall(r"(--md-[\w-]+)\s*:", css))
    assert used and used <= defined, used - defined
    # Insertions and deletions are not told by colour alone.
    assert re.search(r"\.md-typeset ins \{[^}]*text-decoration: underline", css)
    assert re.search(r"\.md-typeset del \{[^}]*text-decoration: line-through", css)


def test_header_and_summary(page: str) -> None:
    assert "<title>Changes to Skye spec: v1 → v2</title>" in page
    summary = page[page.index('id="sgd-summary"') : page.index('id="sgd-sections"')]
    rows = [text(r) for r in re.findall(r"<tr>(.*?)</tr>", summary, re.S)]
    assert rows[1:] == [
        "Sections 1 1 3 3",
        "Examples 1 1 2",
        "Eval prompt sets 0 0 0",
    ]
    facts = text(summary)
    assert "Retitled sections: 1" in facts and "Moved sections: 1" in facts
    assert "Authority: 0 raised, 1 lowered" in facts and "Verdicts changed: 2" in facts
    # Authority changes are called out with the levels' configured names.
    assert (
        "Authority changes Offer refunds when we cancel — Authority lowered: User → Guideline"
    ) in facts


def test_the_list_of_changed_sections_links_each_to_its_detail(page: str) -> None:
    listing = page[page.index('id="sgd-sections"') : page.index('id="sgd-details"')]
    items = re.findall(r'<li class="sgd-changes__item[^"]*">(.*?)</li>', listing, re.S)
    shown = {re.search(r'href="#([^"]+)"', item).group(1): text(item) for item in items}  # type: ignore[union-attr]
    assert list(shown) == ["refunds", "honesty", "friendly", "legacy", "accessibility"]
    assert shown["refunds"] == (
        "Offer refunds when we cancel refunds Modified Authority lowered Text changed Tags "
        f"Examples +1 {MINUS}1 ~1 1 verdict changed"
    )
    assert shown["honesty"] == (
        "Be honest about entitlements honesty Modified Retitled Text changed "
        "Eval prompt sets cited Examples ~1 1 verdict changed"
    )
    assert shown["friendly"] == "Be friendly friendly Modified Moved"
    assert shown["legacy"] == "Legacy phone support legacy Removed"
    assert shown["accessibility"] == "Offer accessible formats accessibility Added"
    for section_id in shown:
        assert '<section class="sgd-section' in element(page, section_id)


def _describe(diff: SpecDiff, **changes: object) -> tuple[Change, ...]:
    section = _section("x", "Before", "Text.")
    base = SectionDiff("x", Status.MODIFIED, section, section)
    return section_changes(diff, replace(base, **changes))  # type: ignore[arg-type]


def test_one_wording_per_kind_of_change(diff: SpecDiff) -> None:
    """Every kind of change a section can have, in the words every output uses: levels
    and verdicts by their configured names, parents by their titles."""
    section = _section("x", "Before", "Text.")
    cases: dict[str, tuple[dict[str, object], str, str | None]] = {
        "authority-raised": (
            {"authority": AuthorityChange("user", "developer", Direction.RAISED)},
            "Authority raised",
            "Authority raised: User → Operator",
        ),
        "authority-lowered": (
            {"authority": AuthorityChange("user", "guideline", Direction.LOWERED)},
            "Authority lowered",
            "Authority lowered: User → Guideline",
        ),
        "authority-added": (
            {"authority": AuthorityChange(None, "user", Direction.ADDED)},
            "Authority added",
            "Authority added: no level → User",
        ),
        "authority-removed": (
            {"authority": AuthorityChange("user", None, Direction.REMOVED)},
            "Authority removed",
            "Authority removed: User → no level",
        ),
        "authority-unranked": (
            {"authority": AuthorityChange("user", "chief", Direction.UNRANKED)},
            "Authority not comparable",
            "Authority not comparable: User → chief (not in the level order)",
        ),
        "retitled": (
            {"retitled": True, "new": replace(section, title="After")},
            "Retitled",
            "Retitled: “Before” → “After”",
        ),
        "moved": (
            {"moved": Move("tone", None, 0, 2)},
            "Moved",
            "Moved from under Tone to the top level",
        ),
        "reordered": (
            {"moved": Move("tone", "tone", 2, 0)},
            "Reordered",
            "Reordered under Tone: position 3 → 1",
        ),
        "informative": (
            {"informative_changed": True, "new": replace(section, informative=True)},
            "Now informative",
            "Now informative (no authority of its own)",
        ),
        "normative": (
            {"informative_changed": True, "old": replace(section, informative=True)},
            "No longer informative",
            None,
        ),
        "text": ({"body_changed": True}, "Text changed", None),
        "formatting": (
            {"body_changed": True, "body_changes": frozenset({TextChange.FORMATTING})},
            "Formatting only",
            "Formatting only: whitespace, line breaks or Markdown spelling; the same words",
        ),
        "links": (
            {
                "body_changed": True,
                "body_changes": frozenset({TextChange.LINKS}),
                "link_changes": (("#a", "#b"),),
            },
            "Link targets changed",
            "Link targets changed: #a → #b",
        ),
        "renamed": (
            {"renamed_from": "old_x", "rename": RenameKind.DECLARED},
            "Renamed",
            "Renamed from old_x",
        ),
        "probable-rename": (
            {"renamed_from": "old_x", "rename": RenameKind.PROBABLE},
            "Probably renamed",
            "Probably renamed from old_x: declare former_ids: [old_x]",
        ),
        "source": (
            {"source_changed": True},
            "Source only",
            "Only the source differs: formatting, whitespace or unparsed text",
        ),
        "tags": (
            {"tags_added": ("kids",), "tags_removed": ("adults",)},
            "Tags",
            f"Tags: +kids {MINUS}adults",
        ),
        "eval-refs": (
            {"eval_refs_added": ("ab12",), "eval_refs_removed": ("cd34",)},
            "Eval prompt sets cited",
            f"Eval prompt sets cited: +ab12 {MINUS}cd34",
        ),
    }
    for kind, (changes, label, detail) in cases.items():
        assert _describe(diff, **changes) == (Change(kind, label, detail),), kind
    # Examples and verdicts, from the fixture: refunds has one of each kind of example.
    refunds = next(s for s in diff.sections if s.id == "refunds")
    found = {c.kind: c for c in section_changes(diff, refunds)}
    assert found["examples"] == Change(
        "examples", f"Examples +1 {MINUS}1 ~1", "Examples: 1 added, 1 removed, 1 modified"
    )
    assert found["verdicts"] == Change(
        "verdicts", "1 verdict changed", "1 verdict changed: Violation → Minor issues"
    )
    assert set(cases) | {"examples", "verdicts"} == set(KINDS)
    # Several at once, in one order (authority first), whatever the output.
    kinds = [c.kind for c in _describe(diff, **cases["tags"][0], **cases["retitled"][0])]
    assert kinds == ["retitled", "tags"]
    assert list(found) == ["authority-lowered", "text", "tags", "examples", "verdicts"]


def test_html_and_markdown_say_the_same(diff: SpecDiff, page: str) -> None:
    """The chips are the labels, the Markdown Change cell the same labels and its
    Details the same sentences: each output chooses how to show them, not the words."""
    comment = render_diff_markdown(diff)
    listing = page[page.index('id="sgd-sections"') : page.index('id="sgd-details"')]
    for section in diff.changed:
        changes = section_changes(diff, section)
        labels = [c.label for c in (status_change(section), *changes)]
        item = re.search(
            rf'<li class="sgd-changes__item[^"]*">\s*<a href="#{section.id}">.*?</li>',
            listing,
            re.S,
        )
        assert item, section.id
        chips = [
            text(c)
            for c in re.findall(r'<span class="sgd-chip[^"]*"[^>]*>(.*?)</span>', item.group())
        ]
        assert chips == labels, section.id
        row = next(r for r in comment.splitlines() if f"<br>{md_text(section.id)} |" in r)
        assert row.split(" | ")[1] == ", ".join(md_text(x.lower()) for x in labels)
        for change in changes:
            if change.detail and change.kind not in ("examples", "verdicts"):
                assert md_text(change.detail) in row, (section.id, change.kind)
                assert f'title="{escape(change.detail)}"' in item.group()


def test_a_modified_section_shows_each_change(page: str) -> None:
    refunds = element(page, "refunds")
    assert "Authority lowered: User → Guideline" in text(refunds)
    assert '<ins class="sg-badge sg-badge--tag">under_18</ins>' in refunds
    # The body's words, compared on the rendered text: the link reads as its title.
    assert "full refund in cash" in marked(refunds, "del")
    assert "prompt refund to the original payment method" in marked(refunds, "ins")
    assert 'See <a class="sg-ref" href="#overview">Overview</a> for who Skye is.' in refunds
    # A removed list item is shown as an item, struck through.
    assert "<li><del>Vouchers are never the default.</del></li>" in refunds
    # The placed example is a marker in the body, linked to the example below.
    assert (
        '<p class="sgd-placement">Example shown here: '
        '<a href="#refunds--cash">A passenger asks for cash</a></p>'
    ) in refunds
    assert "1 example" not in text(refunds)  # all three examples changed


def test_retitled_moved_and_cited(page: str) -> None:
    honesty = element(page, "honesty")
    assert 'Be honest <ins>about entitlements</ins> <a class="headerlink"' in honesty
    assert "Retitled: Be honest → Be honest about entitlements" in text(honesty)
    assert "Eval prompt sets cited: ab12" in text(honesty) and "<ins>ab12</ins>" in honesty
    friendly = element(page, "friendly")
    assert "Moved from under Tone to the top level" in text(friendly)
    assert "Text unchanged." in text(friendly)
    # The level's configured display name (developer is called Operator here).
    assert ">Operator</span>" in friendly


def test_added_and_removed_sections_are_shown_whole(page: str) -> None:
    added = element(page, "accessibility")
    assert re.search(r'<ins class="sgd-block">\s*<p>Offer large print', added)
    assert ">System</span>" in added
    removed = element(page, "legacy")
    assert re.search(r'<del class="sgd-block">\s*<p>Offer the phone line', removed)
    assert ">User</span>" in removed


def test_examples_added_removed_and_compared_message_by_message(page: str) -> None:
    refunds = element(page, "refunds")
    hotel = element(page, "refunds--hotel")  # the site's example template, whole
    assert hotel.startswith('<figure class="sg-example" id="refunds--hotel">')
    where = r'<p class="sgd-src">.*?</p>'  # where it is, on its one side
    assert re.search(rf'Example added</p>\s*{where}\s*<ins class="sgd-block">\s*<figure', refunds)
    assert re.search(rf'Example removed</p>\s*{where}\s*<del class="sgd-block">\s*<figure', refunds)
    assert "Yes, here is your voucher code." in text(element(page, "refunds--voucher-only"))

    cash = element(page, "refunds--cash")
    assert cash.startswith('<figure class="sg-example sgd-example" id="refunds--cash">')
    assert "Example modified A passenger asks for cash 1 verdict changed" in text(cash)
    # Unchanged messages shown as they are, changed answers word by word.
    assert "You are Skye, Northwind Air" in text(cash)
    assert "sgd-turn--unchanged" in cash
    assert marked(cash, "ins")[:1] == ["to your card"]
    # The verdict change, loudly, with the configured quality names.
    assert "Verdict changed: Violation → Minor issues" in text(cash)
    assert "Pushes" in marked(cash, "del") and ", but does not push it" in marked(cash, "ins")
    assert "Conflicted with Be honest" in marked(cash, "del")  # the old title, old side

    guarantee = element(page, "honesty--guarantee")
    assert "Verdict changed: Compliant → Violation" in text(guarantee)
    assert "I think so." in marked(guarantee, "del")  # a removed answer
    assert "It will be processed within seven days." in marked(guarantee, "ins")


def test_unchanged_sections_are_collapsed(page: str) -> None:
    block = page[page.index('<details class="sgd-unchanged">') :]
    block = block[: block.index("</details>")]
    assert "<summary>3 sections did not change</summary>" in block
    assert [re.sub(r"\s+", " ", t) for t in re.findall(r'<li id="(\w+)">', block)] == [
        "overview",
        "tone",
        "concise",
    ]
    assert "How Skye sounds." not in page  # unchanged bodies are not shown


def test_templates_can_be_overridden(diff: SpecDiff, tmp_path: Path) -> None:
    custom = tmp_path / "specgen" / "diff"
    custom.mkdir(parents=True)
    (custom / "section.html").write_text('<p class="mine">{{ section.id }}</p>\n', "utf-8")
    page = render_diff_html(diff, overrides=[tmp_path])
    assert re.findall(r'<p class="mine">(\w+)</p>', page) == [
        "refunds",
        "honesty",
        "friendly",
        "legacy",
        "accessibility",
    ]


def test_no_change_at_all(tmp_path: Path) -> None:
    spec = load(FIXTURES / "old" / "spec")
    same = diff_specs(spec, spec, "a", "b")
    page = render_diff_html(same)
    assert "No section changed." in page and "7 sections did not change" in page
    assert "No section changed." in render_diff_markdown(same, BASE)


# -- spec text is untrusted ---------------------------------------------------------------

PAYLOAD = "<img src=x onerror=alert(1)> | [x](javascript:alert(2)) `tick` @team {{ 7*7 }}"


def _section(section_id: str, title: str, body: str) -> Section:
    loc = Location(f"{section_id}.md")
    return Section(section_id, title, loc, Markdown(body, loc), authority="user")


def test_spec_text_stays_text_in_both_outputs() -> None:
    config = load(FIXTURES / "old" / "spec").config
    old = Spec(config, (_section("a", "Plain", f"Before {PAYLOAD} after."),))
    new = replace(old, sections=(_section("a", f"Retitled {PAYLOAD}", f"Before {PAYLOAD}."),))
    result = diff_specs(old, new, "<b>old</b>", "new")
    page = render_diff_html(result)
    assert "<img" not in page and "javascript:" not in page.replace("javascript:alert(2))", "")
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "{{ 7*7 }}" in page and "49" not in text(page)
    assert "<b>old</b>" not in page and "&lt;b&gt;old&lt;/b&gt;" in page
    comment = render_diff_markdown(result, BASE)
    rendered = MarkdownIt("commonmark").enable("table").render(comment)
    assert "<img" not in rendered and "<b>" not in rendered
    assert "&lt;img src=x onerror=alert(1)&gt;" in rendered
    links = re.findall(r'<a href="([^"]*)"', rendered)
    assert links == [f"{BASE}/a/"]  # the section's own link, nothing from its title
    row = next(line for line in comment.splitlines() if line.startswith("| [Retitled"))
    cells = re.findall(r"<tr>\s*(.*?)</tr>", rendered, re.S)
    assert len(re.findall(r"<td>", cells[-1])) == 3, row
    assert "@\u2060team" in rendered  # no @mention


def test_markdown_text_escaping() -> None:
    assert md_text("a|b [c](d) <e> `f` *g* _h_ #1 ~i~ !j @k") == (
        "a\\|b \\[c\\](d) \\<e> \\`f\\` \\*g\\* \\_h\\_ #\u20601 \\~i\\~ !j @\u2060k"
    )
    assert md_text("two\nlines\tand  spaces") == "two lines and spaces"
    md = MarkdownIt("commonmark").enable("table")
    for nasty in ("https://evil.example/x", "<script>x</script>", "![i](http://e/x.png)"):
        html = md.render(md_text(nasty))
        assert "<a" not in html and "<img" not in html and "<script" not in html
        assert text(html) == nasty


# -- the Markdown comment -----------------------------------------------------------------


def test_markdown_summary_and_changed_sections(diff: SpecDiff) -> None:
    comment = render_diff_markdown(diff, BASE)
    lines = comment.splitlines()
    assert lines[0] == "### Spec changes: Skye spec, v1 → v2"
    assert "| Sections | 1 | 1 | 3 | 3 |" in lines
    assert "| Examples | 1 | 1 | 2 | |" in lines
    assert any("authority lowered: 1" in line and "verdicts changed: 2" in line for line in lines)
    rows = {
        row.split("<br>")[1].split(" |")[0]: row
        for row in lines
        if row.startswith("| ") and "<br>" in row
    }
    # Most important first: authority and verdicts, removals, text, the rest.
    assert list(rows) == ["refunds", "honesty", "legacy", "accessibility", "friendly"]
    refunds = rows["refunds"]
    assert refunds.startswith(f"| [Offer refunds when we cancel]({BASE}/refunds/)<br>refunds |")
    assert "**Authority lowered: User → Guideline**" in refunds
    assert f"[A passenger asks for cash]({BASE}/refunds/#refunds--cash)" in refunds
    assert "**verdict Violation → Minor issues**" in refunds
    assert "Example removed: A passenger who wants a voucher" in refunds  # not linked
    assert "Retitled: “Be honest” → “Be honest about entitlements”" in rows["honesty"]
    assert "Eval prompt sets cited: +ab12" in rows["honesty"]
    assert "**verdict Compliant → Violation**" in rows["honesty"]
    assert "Moved from under Tone to the top level" in rows["friendly"]
    assert rows["legacy"].startswith("| Legacy phone support<br>legacy | removed |")
    # The Change cell: every label, in lower case.
    cells = {key: row.split(" | ")[1] for key, row in rows.items()}
    assert cells == {
        "refunds": "modified, authority lowered, text changed, tags, "
        f"examples +1 {MINUS}1 \\~1, 1 verdict changed",
        "honesty": "modified, retitled, text changed, eval prompt sets cited, examples \\~1, "
        "1 verdict changed",
        "friendly": "modified, moved",
        "legacy": "removed",
        "accessibility": "added",
    }
    assert "Tags: +under_18" in refunds
    # Rendered, every row is a row of three cells.
    rendered = MarkdownIt("commonmark").enable("table").render(comment)
    tables = re.findall(r"<tbody>(.*?)</tbody>", rendered, re.S)
    for row in re.findall(r"<tr>(.*?)</tr>", tables[-1], re.S):
        assert row.count("<td") == 3


def test_markdown_without_a_base_url_links_nothing(diff: SpecDiff) -> None:
    comment = render_diff_markdown(diff, None)
    assert "](" not in comment
    assert "| Offer refunds when we cancel<br>refunds |" in comment


def test_preview_urls_follow_the_sites_scheme() -> None:
    assert section_url("https://x.example/", "refunds") == "https://x.example/refunds/"
    # The site's own page names are taken: such sections live at "<id>_/".
    assert section_url("https://x.example", "examples") == "https://x.example/examples_/"
    # Unsafe ids (SG212) are published under their safe slugs: the links follow.
    a_b, c_d = safe_slug("a b"), safe_slug("c)d")
    assert " " not in a_b and ")" not in c_d
    assert example_url("https://x.example", "a b", "c)d") == (
        f"https://x.example/{a_b}/#{a_b}--{c_d}"
    )


def _many_sections(count: int, words: int) -> tuple[Spec, Spec]:
    body = " ".join(["policy"] * words)
    old = Spec(
        load(FIXTURES / "old" / "spec").config,
        tuple(
            _section(f"s{i}", f"Section number {i} | with a long title", body) for i in range(count)
        ),
    )
    new = replace(
        old, sections=tuple(replace(s, title=s.title + " (changed)") for s in old.sections)
    )
    return old, new


def test_a_long_comment_is_truncated_with_a_note() -> None:
    old, new = _many_sections(3000, 3)
    result = diff_specs(old, new, "v1", "v2")
    comment = render_diff_markdown(result, BASE, html_url="https://ci.example/diff.html")
    assert len(comment) <= GITHUB_COMMENT_LIMIT
    assert comment.rstrip().endswith("See [the full HTML diff](https://ci.example/diff.html).*")
    shown = comment.count("<br>s")
    note = re.search(r"\*(\d+) more changed section\(s\) not shown", comment)
    assert note and shown + int(note.group(1)) == 3000 and shown > 100
    # A small limit, and no link to give: the note says how to get the whole diff.
    small = render_diff_markdown(result, None, limit=2000)
    assert len(small) <= 2000 and "specgen diff --format html" in small


# -- the OpenAI Model Spec, two releases ----------------------------------------------------

OLD_RELEASE = CORPUS / "2025-10-27" / "model_spec.md"
NEW_RELEASE = CORPUS / "2025-12-18" / "model_spec.md"


@pytest.mark.skipif(
    not NEW_RELEASE.is_file() and not os.environ.get("CI"),
    reason=f"the OpenAI Model Spec corpus is not at {CORPUS} (it must be there in CI)",
)
def test_the_model_spec_releases_diff_is_light_and_well_formed() -> None:
    # Its speed is measured by benchmarks/run.py (whole process, at most 1.5 s).
    old, new = load(OLD_RELEASE), load(NEW_RELEASE)
    result = diff_specs(old, new, "2025-10-27", "2025-12-18")
    page = render_diff_html(result)
    comment = render_diff_markdown(result, BASE)
    assert len(page.encode("utf-8")) <= 2_000_000
    parsed = parse_page(page)
    assert not parsed.errors, parsed.errors[:5]
    assert [i for i, n in Counter(parsed.ids).items() if n > 1] == []
    assert "<ins>" in page and "<del>" in page
    assert "Under-18 Principles" in text(element(page, "chatgpt_u18"))
    assert len(comment) < GITHUB_COMMENT_LIMIT and "do_not_lie" in comment
