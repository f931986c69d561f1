"""The pull-request comment (``specgen diff --format markdown``) as GitHub shows it: each
comment is rendered with a CommonMark renderer with GitHub's table and strikethrough
extensions (raw HTML on, as on GitHub) and read as a reviewer reads it.

What it must show: the sides by their specs' names, each changed section linked to its
source line (on the forge when the project names one), the words inserted and deleted
in each, renames as one section, formatting and link-target changes named; and spec
text must stay text wherever it is printed."""

from __future__ import annotations

import html as html_lib
import os
import re
from collections.abc import Mapping, Sequence
from difflib import SequenceMatcher
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from specgen.diff.engine import diff_specs
from specgen.diff.markdown_out import by_importance, render_diff_markdown
from specgen.diff.markdown_text import md_text
from specgen.diff.markdown_what_changed import GITHUB_COMMENT_LIMIT
from specgen.diff.markdown_words import Piece, sentences, trim
from specgen.diff.model import SpecDiff, Status, TextChange
from specgen.mdit import parse
from specgen.model import Markdown
from specgen.sources.loading import load_spec
from tests.cli_helpers import run_cli_split
from tests.git_helpers import git

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "openai-model-spec"
OLD_RELEASE = CORPUS / "2025-10-27" / "model_spec.md"
NEW_RELEASE = CORPUS / "2025-12-18" / "model_spec.md"
FIXTURES = Path(__file__).parent / "fixtures" / "diff_output"

GFM = MarkdownIt("commonmark").enable(["table", "strikethrough"])
WORD = re.compile(r"\w+")


def rendered(comment: str) -> str:
    return GFM.render(comment)


def words_part(page: str, section_id: str) -> str:
    """The rendered ``<details>`` of a section in "What changed"."""
    match = re.search(
        rf"<details open><summary>[^<]*\({re.escape(section_id)}\)[^<]*</summary>(.*?)</details>",
        page,
        re.S,
    )
    assert match, section_id
    return match.group(1)


def marked_words(html: str, tag: str) -> list[str]:
    inside = re.findall(rf"<{tag}>(.*?)</{tag}>", html, re.S)
    return [w for chunk in inside for w in WORD.findall(html_lib.unescape(chunk))]


def table_row(page: str, section_id: str) -> str:
    rows = re.findall(r"<tr>(.*?)</tr>", page, re.S)
    found = [r for r in rows if re.search(rf"<br>{re.escape(section_id)}</td>", r)]
    assert len(found) == 1, (section_id, len(found))
    return found[0]


def visible(html: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]*>", " ", html)).split())


# -- the words of a text, read here on their own -----------------------------------------


def plain_words(markdown: Markdown, titles: Mapping[str, str]) -> list[str]:
    """The words a reader reads in ``markdown``: its text and code, a ``[?](#id)`` as
    the title of ``id``; nothing else (no eval references, no example placements)."""
    out: list[str] = []
    for token in parse(markdown):
        children: Sequence[Token] = token.children or []
        for i, child in enumerate(children):
            text = child.content if child.type in ("text", "code_inline") else ""
            if text == "?" and i and children[i - 1].type == "link_open":
                href = str(children[i - 1].attrGet("href") or "")
                text = titles.get(href.removeprefix("#"), text)
            out += WORD.findall(text)
    return out


def difflib_words(old: list[str], new: list[str]) -> tuple[set[str], set[str]]:
    """(words inserted, words deleted) by difflib over the two lists of words."""
    inserted: set[str] = set()
    deleted: set[str] = set()
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            deleted.update(old[i1:i2])
            inserted.update(new[j1:j2])
    return inserted, deleted


# -- the OpenAI Model Spec, two releases ---------------------------------------------------


needs_corpus = pytest.mark.skipif(
    not NEW_RELEASE.is_file() and not os.environ.get("CI"),
    reason=f"the OpenAI Model Spec corpus is not at {CORPUS} (it must be there in CI)",
)


@pytest.fixture(scope="module")
def model_spec_diff() -> SpecDiff:
    old, new = (load_spec(p)[0].spec for p in (OLD_RELEASE, NEW_RELEASE))
    return diff_specs(old, new, "2025-10-27", "2025-12-18")


@pytest.fixture(scope="module")
def model_spec_comment() -> str:
    """The comment as the command prints it."""
    code, out, _ = run_cli_split("diff", str(OLD_RELEASE), str(NEW_RELEASE), "--format", "markdown")
    assert code == 0, out
    return out


@needs_corpus
def test_the_model_spec_comment_shows_every_changed_word(
    model_spec_diff: SpecDiff, model_spec_comment: str
) -> None:
    """For every section whose words changed, each word difflib finds inserted (deleted)
    between the two bodies' words is shown inserted (deleted) in that section's part."""
    diff, comment = model_spec_diff, model_spec_comment
    assert len(comment) < GITHUB_COMMENT_LIMIT
    page = rendered(comment)
    old_titles = {s.id: s.title for s in diff.old.walk()}
    new_titles = {s.id: s.title for s in diff.new.walk()}
    checked = []
    for section in diff.changed:
        if TextChange.MEANING not in section.body_changes:
            continue
        assert section.old is not None and section.new is not None
        inserted, deleted = difflib_words(
            plain_words(section.old.body, old_titles), plain_words(section.new.body, new_titles)
        )
        assert inserted or deleted, section.id
        part = words_part(page, section.id)
        assert inserted <= set(marked_words(part, "ins")), (section.id, inserted)
        assert deleted <= set(marked_words(part, "del")), (section.id, deleted)
        checked.append(section.id)
    assert checked == [
        "definitions",
        "no_other_objectives",
        "protect_privileged_information",
        "do_not_lie",
        "be_rationally_optimistic",
        "be_thorough_but_efficient",
    ]
    # A new section is shown whole, every word inserted.
    for section in diff.changed:
        if section.status is Status.ADDED:
            assert section.new is not None
            words = set(plain_words(section.new.body, new_titles))
            assert words and words <= set(marked_words(words_part(page, section.id), "ins"))


@needs_corpus
def test_the_model_spec_comment_reads_well(model_spec_comment: str) -> None:
    comment = model_spec_comment
    lines = comment.splitlines()
    # The specs' own names; the files read on a line of their own, nothing escaped.
    assert lines[0] == "### Spec changes: Model Spec 2025-10-27 → 2025-12-18"
    # Outside the repository: cited from where specgen ran, never absolute.
    shown = os.path.relpath(OLD_RELEASE, Path.cwd())
    assert lines[2].startswith(f"Read from {shown} → "), lines[2]
    assert "\\/" not in comment and "\\." not in comment
    page = rendered(comment)
    # Each changed paragraph is linked to its line (no forge here: the line alone).
    no_objectives = words_part(page, "no_other_objectives")
    assert "line 437: These factors may be considered" in visible(no_objectives)
    assert NEW_RELEASE.read_text("utf-8").splitlines()[437 - 1].startswith("These factors")
    assert "<del>; they must never be pursued as ends in themselves</del>" in no_objectives
    # Long unchanged sentences around a change are left out.
    privileged = visible(words_part(page, "protect_privileged_information"))
    assert privileged.startswith("line 1807: … That said,")
    assert "It should also avoid confirming" not in privileged
    # A caption keeps its underscores and the example's changed words are shown.
    assert "task that can't be accomplished within max_token limit" in visible(page)
    lie = words_part(page, "do_not_lie")
    assert "say that you don't know <del>and/or lightly deflect</del>." in lie


# -- small specs, written here ---------------------------------------------------------------

CONFIG = """site_name: Review
docs_dir: spec
plugins:
  - specgen:
      spec_dir: spec
      title: Skye spec
      version: "{version}"
      levels:
        - id: root
          name: Root
        - id: user
          name: User
      quality_names:
        good: Compliant
        bad: Violation
"""


def section_file(section_id: str, title: str, body: str, caption: str = "", extra: str = "") -> str:
    example = (
        "examples:\n  - id: ask\n"
        f"    caption: {caption}\n"
        "    conversation:\n      - role: user\n        content: Where is my bag?\n"
        "      - answers:\n          - quality: good\n            content: It is on its way.\n"
        if caption
        else ""
    )
    return f"---\nid: {section_id}\ntitle: {title}\nauthority: user\n{extra}{example}---\n{body}\n"


def write_spec(folder: Path, version: str, files: Mapping[str, str]) -> Path:
    (folder / "spec").mkdir(parents=True)
    (folder / "mkdocs.yml").write_text(CONFIG.format(version=version), "utf-8")
    for name, text in files.items():
        (folder / "spec" / name).write_text(text, "utf-8")
    return folder / "spec"


def spec_pair(tmp_path: Path, old: Mapping[str, str], new: Mapping[str, str]) -> SpecDiff:
    old_spec = load_spec(write_spec(tmp_path / "old", "1.0", old))[0].spec
    new_spec = load_spec(write_spec(tmp_path / "new", "1.1", new))[0].spec
    return diff_specs(old_spec, new_spec, "v1.0", "v1.1")


OVERVIEW = section_file("overview", "The overview", "What Skye is.")


def test_captions_read_as_the_site_shows_them(tmp_path: Path) -> None:
    """Underscores stay, emphasis markup goes, ``[?](#id)`` is the target's title, a
    link keeps its text, a literal ``*`` stays a star."""
    old_caption = '"Asks about #respect_creators and max_token, *politely*"'
    new_caption = '"Asks about #respect_creators, max_token and [?](#overview): 5 * 3 [doc](x.md)"'
    diff = spec_pair(
        tmp_path,
        {"a.md": OVERVIEW, "b.md": section_file("bags", "Bags", "Find bags.", old_caption)},
        {"a.md": OVERVIEW, "b.md": section_file("bags", "Bags", "Find bags.", new_caption)},
    )
    comment = render_diff_markdown(diff)
    page = rendered(comment)
    row = visible(table_row(page, "bags"))
    assert (
        "Example modified: Asks about #respect_creators, max_token and The overview: 5 * 3 doc"
    ) in row
    assert "[?]" not in visible(page) and "](#overview)" not in visible(page)
    caption = visible(words_part(page, "bags"))
    assert "Caption (line" in caption
    part = words_part(page, "bags")
    assert {"politely"} <= set(marked_words(part, "del")) <= {"and", "max_token", "politely"}
    assert {"The", "overview", "5", "3", "doc"} <= set(marked_words(part, "ins"))
    assert "#respect_creators" in visible(part) and "maxtoken" not in visible(part)
    assert "<em>" not in page and "<strong>" not in page


def test_hostile_spec_text_stays_text_everywhere(tmp_path: Path) -> None:
    title = "Pipes | @octocat <script>alert(1)</script> [x](javascript:alert(2)) #12"
    old_body = "Plain words here."
    new_body = (
        "Plain words <img src=x onerror=alert(3)> | [y](javascript:alert(4)) @team #7 "
        "https://evil.example/x www.evil.example $x$ ~~gone~~ here."
    )
    diff = spec_pair(
        tmp_path,
        {"a.md": section_file("h", '"' + title.replace('"', "") + '"', old_body, '"c"')},
        {"a.md": section_file("h", '"' + title.replace('"', "") + '"', new_body, '"c <b>x</b>"')},
    )
    comment = render_diff_markdown(diff, "https://preview.example/s")
    page = rendered(comment)
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    assert "javascript:" not in "".join(re.findall(r'href="([^"]*)"', page))
    assert re.findall(r'href="([^"]*)"', page) == [
        "https://preview.example/s/h/",
        "https://preview.example/s/h/#h--ask",
        "https://preview.example/s/h/#h--ask",
    ]
    assert "<s>" not in page and "<del>gone</del>" not in page  # no strikethrough of its own
    assert "@\u2060octocat" in page and "@\u2060team" in page  # no @mention
    assert "#\u206012" in page and "#\u20607" in page  # no issue reference
    # The table keeps three cells in every row, the words stay in their part.
    for row in re.findall(r"<tr>(.*?)</tr>", page.split("<tbody>")[-1], re.S):
        assert row.count("<td") == 3
    inserted = visible(" ".join(re.findall(r"<ins>(.*?)</ins>", words_part(page, "h"), re.S)))
    assert "<img src=x onerror=alert(3)> | [y](javascript:alert(4))" in inserted
    # ~~gone~~ is struck-through text on the site: its word, like emphasis, without markup.
    assert "https://evil.example/x www.evil.example $x$ gone" in inserted
    assert (
        html_lib.escape(f"{title} (h)", quote=False)
        .replace("@", "@\u2060")
        .replace("#1", "#\u20601")
        in page
    )


def test_a_declared_rename_is_one_section_compared_body_to_body(tmp_path: Path) -> None:
    body = "Bags that are late are sent on the next flight."
    edited = "Bags that are late are sent on the next flight, free of charge."
    diff = spec_pair(
        tmp_path,
        {"a.md": section_file("late_bags", "Late bags", body)},
        {
            "a.md": section_file(
                "delayed_bags", "Late bags", edited, extra="former_ids: [late_bags]\n"
            )
        },
    )
    page = rendered(render_diff_markdown(diff))
    row = visible(table_row(page, "delayed_bags"))
    assert "modified, renamed, text changed" in row and "Renamed from late_bags" in row
    assert "<br>late_bags</td>" not in page and "removed" not in row
    assert marked_words(words_part(page, "delayed_bags"), "ins") == ["free", "of", "charge"]
    assert marked_words(words_part(page, "delayed_bags"), "del") == []


def test_a_probable_rename_says_to_declare_it_and_comes_early(tmp_path: Path) -> None:
    body = "Meals are served on flights longer than three hours, with a vegetarian choice."
    files_old = {
        "a.md": section_file("seats", "Seats", "Pick a seat."),
        "b.md": section_file("meals", "Meals", body),
    }
    files_new = {
        "a.md": section_file("seats", "Seats", "Pick any seat."),
        "b.md": section_file("food", "Meals", body),
    }
    diff = spec_pair(tmp_path, files_old, files_new)
    comment = render_diff_markdown(diff)
    page = rendered(comment)
    row = visible(table_row(page, "food"))
    assert "probably renamed" in row
    assert "Probably renamed from meals: declare former_ids: [meals]" in row
    assert [s.id for s in diff.changed] == ["seats", "food"]
    # A probable rename comes before a change of words, as one row.
    assert re.findall(r"<br>(\w+)</td>", page) == ["food", "seats"]


def test_formatting_only_and_link_targets_are_named_without_words(tmp_path: Path) -> None:
    old = {
        "a.md": section_file("wrap", "Wrap", "Bags are checked --- and tagged\nat the desk."),
        "b.md": section_file("policy", "Policy", "Read [the policy](https://a.example/v1)."),
    }
    new = {
        "a.md": section_file("wrap", "Wrap", "Bags are checked — and tagged at the desk."),
        "b.md": section_file("policy", "Policy", "Read [the policy](https://a.example/v2)."),
    }
    diff = spec_pair(tmp_path, old, new)
    page = rendered(render_diff_markdown(diff))
    wrap = visible(table_row(page, "wrap"))
    assert "formatting only" in wrap and "text changed" not in wrap
    policy = visible(table_row(page, "policy"))
    assert "https://a.example/v1 → https://a.example/v2" in policy
    assert "What changed" not in page  # not a word changed anywhere


def test_source_lines_link_to_the_forge_at_each_sides_commit(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    config = CONFIG.format(version="1") + "repo_url: https://github.com/northwind/skye\n"
    spec = write_spec(
        repo,
        "1",
        {"10-bags.md": section_file("bags", "Bags", "Bags fly free.\n\nAsk at the desk.")},
    )
    (repo / "mkdocs.yml").write_text(config, "utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "one")
    old_sha = git(repo, "rev-parse", "HEAD").strip()
    (spec / "10-bags.md").write_text(
        section_file("bags", "Bags", "Intro.\n\nBags fly free.\n\nAsk at the gate."), "utf-8"
    )
    git(repo, "commit", "-q", "-am", "two")
    new_sha = git(repo, "rev-parse", "HEAD").strip()
    code, comment, err = run_cli_split("diff", "HEAD~1", "HEAD", "--format", "markdown", cwd=repo)
    assert code == 0, err
    page = rendered(comment)
    old_at, new_at = f"HEAD~1 @ {old_sha[:7]}", f"HEAD @ {new_sha[:7]}"
    heading = re.search(r"<h3>(.*?)</h3>\s*<p>(.*?)</p>", page, re.S)
    assert heading, page[:300]
    assert heading.group(1) == f"Spec changes: Skye spec 1 ({old_at}) → 1 ({new_at})"
    assert heading.group(2) == f"Read from spec at {old_at} → spec at {new_at}."
    blob = "https://github.com/northwind/skye/blob"
    links = re.findall(r'<a href="([^"]*)">([^<]*)</a>', table_row(page, "bags"))
    assert links == [
        (f"{blob}/{old_sha}/spec/10-bags.md#L2", "spec/10-bags.md:2"),
        (f"{blob}/{new_sha}/spec/10-bags.md#L2", "line 2"),
    ]
    part = words_part(page, "bags")
    links = re.findall(r'<a href="([^"]*)">([^<]*)</a>', part)
    new_lines = (spec / "10-bags.md").read_text("utf-8").splitlines()
    assert links == [
        (f"{blob}/{new_sha}/spec/10-bags.md#L6", "line 6"),
        (f"{blob}/{new_sha}/spec/10-bags.md#L10", "line 10"),
    ]
    assert new_lines[6 - 1] == "Intro." and new_lines[10 - 1] == "Ask at the gate."


def test_levels_by_their_names_and_one_outside_the_order_named_so(tmp_path: Path) -> None:
    old = {"a.md": section_file("bags", "Bags", "Bags fly free.")}
    new = {"a.md": section_file("bags", "Bags", "Bags fly free.").replace("user", "root")}
    lowered = {"a.md": section_file("bags", "Bags", "Bags fly free.").replace("user", "platform")}
    raised = visible(rendered(render_diff_markdown(spec_pair(tmp_path / "r", old, new))))
    assert "Authority raised: User → Root" in raised
    unknown = render_diff_markdown(spec_pair(tmp_path / "u", old, lowered))
    assert "User → platform (not in the level order)" in visible(rendered(unknown))


# -- order and size ---------------------------------------------------------------------------


def test_sections_come_most_important_first() -> None:
    old, new = (load_spec(FIXTURES / side / "spec")[0].spec for side in ("old", "new"))
    diff = diff_specs(old, new, "v1", "v2")
    order = [s.id for s in by_importance(diff.changed)]
    # Authority lowered, verdicts changed; removed; added; moved only.
    assert order == ["refunds", "honesty", "legacy", "accessibility", "friendly"]
    page = rendered(render_diff_markdown(diff))
    parts = re.findall(r"<summary>[^<]*\((\w+)\)", page)
    assert parts == ["refunds", "honesty", "legacy", "accessibility"]


def many_changes(tmp_path: Path, count: int) -> SpecDiff:
    """``count`` sections, each with a word added at the end of a long sentence."""
    rule = "every passenger may bring one bag of up to eight kilograms on board when the flight"

    def body(i: int, end: str) -> str:
        return f"Short first sentence. Under rule {i} {rule} {end}. Last sentence."

    old = {f"{i:03}.md": section_file(f"s{i}", f"S {i}", body(i, "leaves")) for i in range(count)}
    new = {
        f"{i:03}.md": section_file(f"s{i}", f"S {i}", body(i, "leaves today")) for i in range(count)
    }
    return spec_pair(tmp_path, old, new)


def test_a_long_comment_shows_fewer_words_then_fewer_sections(tmp_path: Path) -> None:
    diff = many_changes(tmp_path, 60)
    full = render_diff_markdown(diff)
    assert full.count("<ins>today</ins>") == 60
    assert "Short first sentence" not in full  # an unchanged sentence is left out
    assert full.count("every passenger may bring") == 60  # the changed one is whole
    # Less room: every section still has its words, with less context around them.
    size = len(full)
    trimmed = render_diff_markdown(diff, limit=size - 300)
    assert len(trimmed) <= size - 300
    assert trimmed.count("<ins>today</ins>") == 60 and "not shown" not in trimmed
    assert "Under rule" not in trimmed and "passenger may bring" in trimmed
    # Even less: the least important sections lose their words, with a note.
    rows_only = full[: full.index("#### What changed")]
    small = render_diff_markdown(
        diff, html_url="https://ci.example/d.html", limit=len(rows_only) + 2000
    )
    assert len(small) <= len(rows_only) + 2000
    shown = small.count("<ins>today</ins>")
    note = re.search(r"The changed words of (\d+) more section\(s\) are not shown", small)
    assert note and 0 < shown < 60 and shown + int(note.group(1)) == 60
    assert "(https://ci.example/d.html)" in small
    assert [re.search(r"\((s\d+)\)", p).group(1) for p in small.split("<summary>")[1:]] == [  # type: ignore[union-attr]
        f"s{i}" for i in range(shown)
    ]


# -- pieces ------------------------------------------------------------------------------------


def shown(pieces: Sequence[Piece]) -> str:
    return "".join(f"<{p.mark}>{p.text}</{p.mark}>" if p.mark else p.text for p in pieces)


def test_trimming_keeps_the_changed_sentences() -> None:
    pieces = [
        Piece("First sentence stays. The second one "),
        Piece("was", "del"),
        Piece(" "),
        Piece("is", "ins"),
        Piece(" changed right here. Third is kept out."),
    ]
    assert [len(s) for s in sentences(pieces)] == [1, 5, 1]
    assert shown(trim(pieces, None, None)) == (
        "… The second one <del>was</del> <ins>is</ins> changed right here. …"
    )
    # One unchanged word on either side of a change; changes cut after three words.
    assert shown(trim(pieces, 1, None)).strip() == "… one <del>was</del> <ins>is</ins> changed …"
    assert shown(trim([Piece("a b c d e f", "ins")], None, 3)) == "<ins>a b c …</ins>"
    assert trim([Piece("nothing changed. At all.")], None, None) == [Piece("…")]


def test_markdown_text_is_escaped_only_where_it_must() -> None:
    assert md_text("spec/10-bags.md:12, max_token (see #x) 1. - + > a: b") == (
        "spec/10-bags.md:12, max_token (see #x) 1. - + > a: b"
    )
    for nasty in (
        "https://evil.example/x",
        "www.evil.example",
        "<script>x</script>",
        "![i](http://e/x.png)",
        "[l](javascript:x)",
        "a | b",
        "*em* _em_ ~~s~~ `c` $m$ &amp; :smile: :100:",
        "mailto:a@b.example",
    ):
        html = GFM.render("x " + md_text(nasty))
        assert not re.search(r"<(a|img|script|em|s|code|del)\b", html), nasty
        assert visible(html).replace("\u2060", "") == "x " + nasty  # a word joiner aside
