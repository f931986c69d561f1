"""The HTML diff says where each change is: every changed section, example and changed
block of a body carries its source location on each side (the repository path and
line, never a scratch or absolute path), linked to that line on the forge (GitHub,
GitLab and Gitea URL forms; a git revision's link at its commit). The header names both
sides by the spec's title, version, git revision and commit, and path.

The sides are two commits of a real git repository made here, diffed by the CLI as a
reviewer would; expected lines are found in the files' text at each commit, not taken
from specgen."""

from __future__ import annotations

import html as html_lib
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from specgen.diff.engine import diff_specs
from specgen.diff.html_out import render_diff_html
from specgen.sources.loading import load_spec
from tests.cli_helpers import new_project, run_cli
from tests.git_helpers import git

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "openai-model-spec"
REPO_URL = "https://github.com/acme/spec"
CONCISE = "spec/30-be-concise.md"
ADDED = "spec/40-cite-sources.md"
REMOVED = "spec/50-retired.md"
RETIRED = """---
id: retired
title: A retired rule
authority: user
---
Say hello in every answer.
"""
CITE = """---
id: cite_sources
title: Cite sources
authority: developer
---
Name the source of a figure when the user asks where it comes from.
"""


def make_review_repo(parent: Path, repo_url: str | None = REPO_URL) -> Path:
    """A scaffolded project in git, tagged v1; HEAD shifts be_concise's lines down by
    one (a tag), edits its text and its example's caption, adds a paragraph and a
    section, and removes another."""
    project = new_project(parent)
    config = project / "mkdocs.yml"
    if repo_url is not None:
        config.write_text(f"repo_url: {repo_url}\n" + config.read_text("utf-8"), "utf-8")
    (project / REMOVED).write_text(RETIRED, "utf-8")
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "v1")
    git(project, "tag", "v1")
    concise = project / CONCISE
    text = concise.read_text("utf-8")
    text = text.replace("authority: user\n", "authority: user\ntags: [style]\n")
    text = text.replace("A simple factual question", "A short factual question")
    text = text.replace("briefly;", "briefly and plainly;")
    concise.write_text(text + "\nLong answers need a reason.\n", "utf-8")
    (project / ADDED).write_text(CITE, "utf-8")
    (project / REMOVED).unlink()
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "v2")
    return project


def line_of(project: Path, rev: str, path: str, needle: str) -> int:
    """The 1-based line of ``path`` at ``rev`` that holds ``needle`` (exactly one)."""
    lines = git(project, "show", f"{rev}:{path}").splitlines()
    found = [i + 1 for i, line in enumerate(lines) if needle in line]
    assert len(found) == 1, (path, rev, needle, found)
    return found[0]


@dataclass(frozen=True)
class Link:
    side: str  # "old" or "new"
    where: str  # "spec/x.md:12"
    url: str | None


def where_lines(html: str) -> list[list[Link]]:
    """Every location line of ``html`` (sgd-src), its places in order."""
    out = []
    for line in re.findall(r'<p class="sgd-src[^"]*">(.*?)</p>', html, re.S):
        places = []
        for side, body in re.findall(
            r'<span class="sgd-src__place sgd-src__place--(old|new)">.*?</span> (.*?)</span>',
            line,
            re.S,
        ):
            url = re.search(r'href="([^"]*)"', body)
            where = html_lib.unescape(re.sub(r"<[^>]*>", "", body))
            places.append(Link(side, where, html_lib.unescape(url.group(1)) if url else None))
        out.append(places)
    return out


def element(page: str, element_id: str) -> str:
    match = re.search(rf'<(section|figure)\b[^>]*\bid="{re.escape(element_id)}"', page)
    assert match, element_id
    tag = match.group(1)
    depth = 0
    for m in re.finditer(rf"<(/?){tag}\b[^>]*>", page[match.start() :]):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return page[match.start() : match.start() + m.end()]
    raise AssertionError(element_id)


def diff_page(project: Path, *args: str) -> str:
    out = project / "diff.html"
    code, output = run_cli("diff", *args, "-o", str(out), cwd=project)
    assert code == 0, output
    return out.read_text("utf-8")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_review_repo(tmp_path_factory.mktemp("review"))


@pytest.fixture(scope="module")
def page(repo: Path) -> str:
    return diff_page(repo, "v1", "HEAD")


def sha(repo: Path, rev: str) -> str:
    return git(repo, "rev-parse", rev).strip()


def github(repo: Path, rev: str, path: str, line: int) -> str:
    return f"{REPO_URL}/blob/{sha(repo, rev)}/{path}#L{line}"


# -- git revisions on GitHub ----------------------------------------------------------------


def test_a_changed_section_links_each_side_at_its_commit(repo: Path, page: str) -> None:
    section = element(page, "be_concise")
    head = where_lines(section)[0]
    line = {rev: line_of(repo, rev, CONCISE, "id: be_concise") for rev in ("v1", "HEAD")}
    assert head == [
        Link("old", f"{CONCISE}:{line['v1']}", github(repo, "v1", CONCISE, line["v1"])),
        Link("new", f"{CONCISE}:{line['HEAD']}", github(repo, "HEAD", CONCISE, line["HEAD"])),
    ]


def test_a_changed_example_links_each_side(repo: Path, page: str) -> None:
    example = element(page, "be_concise--short-answer")
    old = line_of(repo, "v1", CONCISE, "- id: short-answer")
    new = line_of(repo, "HEAD", CONCISE, "- id: short-answer")
    assert new == old + 1  # the tag moved it down
    assert where_lines(example) == [
        [
            Link("old", f"{CONCISE}:{old}", github(repo, "v1", CONCISE, old)),
            Link("new", f"{CONCISE}:{new}", github(repo, "HEAD", CONCISE, new)),
        ]
    ]


def test_changed_paragraphs_say_where_they_are_on_each_side(repo: Path, page: str) -> None:
    body = element(page, "be_concise").split('<div class="sgd-body', 1)[1].split("<figure")[0]
    lines = where_lines(body)
    old = line_of(repo, "v1", CONCISE, "Answer simple questions")
    new = line_of(repo, "HEAD", CONCISE, "Answer simple questions")
    added = line_of(repo, "HEAD", CONCISE, "Long answers need a reason.")
    assert lines == [
        [
            Link("old", f"{CONCISE}:{old}", github(repo, "v1", CONCISE, old)),
            Link("new", f"{CONCISE}:{new}", github(repo, "HEAD", CONCISE, new)),
        ],
        [Link("new", f"{CONCISE}:{added}", github(repo, "HEAD", CONCISE, added))],
    ]
    # Each location line is right before the block it names; the marks are gone.
    assert re.search(r"</p>\s*<p>Answer simple questions briefly <ins>and plainly</ins>;", body)
    assert re.search(r"</p>\s*<p><ins>Long answers need a reason.</ins></p>", body)
    assert "data-sg-" not in page


def test_added_and_removed_sections_show_only_their_side(repo: Path, page: str) -> None:
    added = line_of(repo, "HEAD", ADDED, "id: cite_sources")
    assert where_lines(element(page, "cite_sources"))[0] == [
        Link("new", f"{ADDED}:{added}", github(repo, "HEAD", ADDED, added))
    ]
    removed = line_of(repo, "v1", REMOVED, "id: retired")
    assert where_lines(element(page, "retired"))[0] == [
        Link("old", f"{REMOVED}:{removed}", github(repo, "v1", REMOVED, removed))
    ]


def test_unchanged_sections_have_no_location(page: str) -> None:
    unchanged = page[page.index('id="sgd-unchanged"') :]
    assert "sgd-src" not in unchanged


def test_no_scratch_or_absolute_path_anywhere(repo: Path, page: str) -> None:
    assert "specgen-diff-" not in page
    assert str(repo) not in page and str(repo.resolve()) not in page
    for links in where_lines(page):
        for link in links:
            assert not link.where.startswith("/"), link


def test_the_header_names_both_sides(repo: Path, page: str) -> None:
    sides = re.findall(r'<div class="sgd-side sgd-side--(\w+)" title="([^"]*)">', page)
    old, new = sha(repo, "v1")[:7], sha(repo, "HEAD")[:7]
    assert sides == [
        ("old", f"Old: My assistant spec 0.1 · v1 @ {old} · spec"),
        ("new", f"New: My assistant spec 0.1 · HEAD @ {new} · spec"),
    ]
    # The page's title tells them apart in a few words.
    assert f"<title>Changes to My assistant spec: v1 @ {old} → HEAD @ {new}</title>" in page


def test_a_working_folder_side_links_to_the_branch(repo: Path) -> None:
    page = diff_page(repo, "v1", "spec")
    new = line_of(repo, "HEAD", CONCISE, "id: be_concise")
    head = where_lines(element(page, "be_concise"))[0]
    assert head[1] == Link("new", f"{CONCISE}:{new}", f"{REPO_URL}/blob/main/{CONCISE}#L{new}")
    assert head[0].url == github(repo, "v1", CONCISE, new)
    assert 'title="New: My assistant spec 0.1 · spec"' in page


@pytest.mark.parametrize(
    ("repo_url", "form"),
    [
        ("https://gitlab.com/acme/spec", "{repo}/-/blob/{sha}/{path}#L{line}"),
        ("https://codeberg.org/acme/spec", "{repo}/src/commit/{sha}/{path}#L{line}"),
        ("https://gitea.example.org/acme/spec", "{repo}/src/commit/{sha}/{path}#L{line}"),
        ("https://github.com/acme/spec", "{repo}/blob/{sha}/{path}#L{line}"),
    ],
)
def test_gitlab_gitea_and_github_url_forms(repo: Path, repo_url: str, form: str) -> None:
    page = diff_page(repo, "v1", "HEAD", "--repo-url", repo_url)
    head = where_lines(element(page, "be_concise--short-answer"))[0]
    for link, rev in zip(head, ("v1", "HEAD"), strict=True):
        line = line_of(repo, rev, CONCISE, "- id: short-answer")
        path = CONCISE
        assert link.url == form.format(repo=repo_url, sha=sha(repo, rev), path=path, line=line)


def test_without_a_forge_locations_are_text(tmp_path: Path) -> None:
    project = make_review_repo(tmp_path, repo_url=None)
    page = diff_page(project, "v1", "HEAD")
    head = where_lines(element(page, "be_concise"))[0]
    line = line_of(project, "HEAD", CONCISE, "id: be_concise")
    assert head[1] == Link("new", f"{CONCISE}:{line}", None)
    assert '<code class="sgd-src__path">' in page and 'class="sgd-src__link"' not in page
    # The page links nowhere but itself.
    assert all(h.startswith("#") for h in re.findall(r'href="([^"]*)"', page))


# -- specs outside the repository ---------------------------------------------------------

OLD_RELEASE = CORPUS / "2025-10-27" / "model_spec.md"
NEW_RELEASE = CORPUS / "2025-12-18" / "model_spec.md"
needs_corpus = pytest.mark.skipif(
    not NEW_RELEASE.is_file() and not os.environ.get("CI"),
    reason=f"the OpenAI Model Spec corpus is not at {CORPUS} (it must be there in CI)",
)


@pytest.fixture(scope="module")
def corpus_page(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("corpus") / "diff.html"
    code, output = run_cli("diff", str(OLD_RELEASE), str(NEW_RELEASE), "-o", str(out))
    assert code == 0, output
    return out.read_text("utf-8")


def _block_words(html: str, drop: str) -> list[str]:
    """The first words a block reads on one side (``drop``: the other side's mark)."""
    text = re.sub(rf"<{drop}>.*?</{drop}>", "", html, flags=re.S)
    text = html_lib.unescape(re.sub(r"<[^>]*>", " ", text))
    return re.findall(r"\w+", text)[:3]


@needs_corpus
def test_the_model_spec_releases_are_cited_by_release_folder(corpus_page: str) -> None:
    """Files outside any repository: shown from the folder that holds both releases,
    never as absolute paths, and not linked."""
    assert str(CORPUS) not in corpus_page and "/work/" not in corpus_page
    sides = re.findall(r'<div class="sgd-side sgd-side--\w+" title="([^"]*)">', corpus_page)
    assert sides == [
        "Old: Model Spec 2025-10-27 · 2025-10-27/model_spec.md",
        "New: Model Spec 2025-12-18 · 2025-12-18/model_spec.md",
    ]
    assert "<title>Changes to Model Spec: 2025-10-27 → 2025-12-18</title>" in corpus_page
    head = where_lines(element(corpus_page, "definitions"))[0]
    old = OLD_RELEASE.read_text("utf-8").splitlines()
    new = NEW_RELEASE.read_text("utf-8").splitlines()
    for link, lines, release in ((head[0], old, "2025-10-27"), (head[1], new, "2025-12-18")):
        path, line = link.where.rsplit(":", 1)
        assert path == f"{release}/model_spec.md" and link.url is None
        assert lines[int(line) - 1].startswith("# Definitions"), link


@needs_corpus
def test_every_changed_block_of_the_model_spec_names_its_lines(corpus_page: str) -> None:
    """Each block's location line names the file lines its words start on, on each
    side: checked against the releases' text for every changed block of the diff."""
    files = {
        "old": OLD_RELEASE.read_text("utf-8").splitlines(),
        "new": NEW_RELEASE.read_text("utf-8").splitlines(),
    }
    blocks = re.findall(
        r'<p class="sgd-src sgd-src--block">(.*?)</p>(.*?)(?=<p class="sgd-src|</div>\s*</section)',
        corpus_page,
        re.S,
    )
    assert len(blocks) >= 15
    checked = 0
    for where, block in blocks:
        for link in where_lines(f'<p class="sgd-src">{where}</p>')[0]:
            words = _block_words(block, "ins" if link.side == "old" else "del")
            if not words:
                continue
            line = files[link.side][int(link.where.rsplit(":", 1)[1]) - 1]
            assert all(w in line for w in words[:1]), (link, words, line)
            checked += 1
    assert checked >= 20


# -- fixture specs: one spec folder per side --------------------------------------------

FIXTURES = Path(__file__).parent / "fixtures" / "diff_output"


def test_folders_outside_the_repository_are_cited_from_their_common_folder(
    tmp_path: Path,
) -> None:
    shutil.copytree(FIXTURES, tmp_path / "specs")
    old = load_spec(tmp_path / "specs" / "old" / "spec")[0].spec
    new = load_spec(tmp_path / "specs" / "new" / "spec")[0].spec
    page = render_diff_html(diff_specs(old, new, "v1", "v2"))
    assert str(tmp_path) not in page
    head = where_lines(element(page, "friendly"))[0]
    assert [link.where for link in head] == [
        "old/spec/40-tone/20-friendly.md:2",
        "new/spec/50-friendly.md:2",
    ]
    sides = re.findall(r'<div class="sgd-side sgd-side--\w+" title="([^"]*)">', page)
    assert sides == ["Old: Skye spec · old/spec", "New: Skye spec · new/spec"]


# -- the review fixtures: renames, formatting, link targets, captions ------------------

REVIEW = Path(__file__).parent / "fixtures" / "diff_review"
REPO_ROOT = Path(__file__).resolve().parents[1]
FIXTURE_URL = "https://github.com/acme/spec/blob/main"  # their mkdocs.yml's repo_url


@pytest.fixture(scope="module")
def review_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Each case's HTML diff, as `specgen diff CASE/old/spec CASE/new/spec` writes it
    from the repository's top (working-tree sides: links on the branch)."""
    out = tmp_path_factory.mktemp("review-pages")
    pages = {}
    for case in sorted(p.name for p in REVIEW.iterdir()):
        sides = [(REVIEW / case / side / "spec").relative_to(REPO_ROOT) for side in ("old", "new")]
        code, output = run_cli(
            "diff", *map(str, sides), "-o", str(out / f"{case}.html"), cwd=REPO_ROOT
        )
        assert code == 0, output
        pages[case] = (out / f"{case}.html").read_text("utf-8")
    return pages


def fixture_line(case: str, side: str, name: str, needle: str) -> tuple[str, int]:
    """(repository path, line) of the one line of a fixture file holding ``needle``."""
    path = REVIEW / case / side / "spec" / name
    lines = [i + 1 for i, line in enumerate(path.read_text("utf-8").splitlines()) if needle in line]
    assert len(lines) == 1, (path, needle, lines)
    return path.relative_to(REPO_ROOT).as_posix(), lines[0]


def fixture_link(side: str, place: tuple[str, int]) -> Link:
    path, line = place
    return Link(side, f"{path}:{line}", f"{FIXTURE_URL}/{path}#L{line}")


def test_all_fixture_pages_are_well_formed_and_their_anchors_land(
    review_pages: dict[str, str],
) -> None:
    for case, page in review_pages.items():
        ids = re.findall(r'\bid="([^"]*)"', page)
        assert len(ids) == len(set(ids)), case
        local = {h[1:] for h in re.findall(r'href="(#[^"]*)"', page)}
        assert local <= set(ids), (case, local - set(ids))
        sources = re.findall(r'class="sgd-src__link" href="([^"]*)"', page)
        assert sources and all(
            u.startswith(f"{FIXTURE_URL}/tests/fixtures/diff_review/{case}/") for u in sources
        ), case
        assert "data-sg-" not in page and str(REPO_ROOT) not in page


def test_a_declared_rename_is_one_section_compared_body_to_body(
    review_pages: dict[str, str],
) -> None:
    page = review_pages["declared_rename"]
    section = element(page, "cancellation_refunds")
    text = " ".join(html_lib.unescape(re.sub(r"<[^>]*>", " ", section)).split())
    assert "Renamed from refunds (“Offer refunds”): compared with its old version." in text
    assert 'class="sgd-section sgd-section--removed" id="refunds"' not in page
    # The old id is an anchor of the section: links to either land on it.
    assert re.match(r'<section[^>]*>\s*<span class="sgd-alias" id="refunds"></span>', section)
    # Body to body: only the words that changed are marked.
    body = section.split('<div class="sgd-body', 1)[1].split("<figure")[0]
    assert re.findall(r"<ins>(.*?)</ins>", body, re.S) == ["within\nseven days"]
    assert "<del>" not in body
    # Each side where it is: the old file's line of the old id, the new one's of the new.
    head = where_lines(section)[0]
    assert head == [
        fixture_link("old", fixture_line("declared_rename", "old", "20-refunds.md", "id: refunds")),
        fixture_link(
            "new",
            fixture_line("declared_rename", "new", "20-refunds.md", "id: cancellation_refunds"),
        ),
    ]
    # A link to the old id that now names the new one is no change of target.
    overview = element(page, "overview")
    assert "sgd-relink" not in overview and "Formatting only" in overview
    # The summary lists it once, as renamed.
    listing = page[page.index('id="sgd-sections"') : page.index('id="sgd-details"')]
    assert listing.count('href="#cancellation_refunds"') == 1 and 'href="#refunds"' not in listing
    assert 'sgd-chip--renamed" title="Renamed from refunds">Renamed</span>' in listing


def test_a_probable_rename_asks_for_former_ids(review_pages: dict[str, str]) -> None:
    page = review_pages["probable_rename"]
    section = element(page, "changing_seats")
    assert (
        '<p class="sgd-rename sgd-rename--probable">Probably renamed from '
        '<code class="sgd-id">seat_changes</code>: nearly the same text under a new id. '
        "If it is, declare <code>former_ids: [seat_changes]</code>.</p>"
    ) in section
    assert re.match(r'<section[^>]*>\s*<span class="sgd-alias" id="seat_changes"></span>', section)
    body = section.split('<div class="sgd-body', 1)[1]
    assert "<del>for</del>" in body and "<ins>of charge</ins>" in body


def test_formatting_only_is_said_and_kept_apart(review_pages: dict[str, str]) -> None:
    section = element(review_pages["formatting_only"], "tone")
    what = section[section.index('<ul class="sgd-what">') : section.index("</ul>")]
    assert "Formatting only" in what and "Text changed" not in what
    # The text is folded away; its words are all unchanged.
    folded = section[
        section.index('<details class="sgd-formatting">') : section.index("</details>")
    ]
    assert "<summary>Show the text</summary>" in folded
    assert "<ins>" not in folded and "<del>" not in folded
    # Still, the re-wrapped paragraph says where it is (the list, "-" now "*", renders
    # the same: no block of it changed).
    assert where_lines(folded) == [
        [
            fixture_link("old", fixture_line("formatting_only", "old", "10-tone.md", "Stay calm")),
            fixture_link("new", fixture_line("formatting_only", "new", "10-tone.md", "Stay calm")),
        ],
    ]
    # Its example changed in spelling only: said so, beside the marks.
    example = element(section, "tone--delayed")
    assert '<span class="sgd-chip sgd-chip--formatting"' in example


def test_a_changed_link_target_is_marked_in_the_word_diff(review_pages: dict[str, str]) -> None:
    section = element(review_pages["link_target"], "fees")
    body = section.split('<div class="sgd-body', 1)[1]
    assert "<ins>" not in body and "<del>" not in body  # the words did not change
    assert (
        '<a class="sgd-relinked sg-ref" href="#vouchers">the refund rules</a>'
        '<span class="sgd-relink" title="The target of this link changed">link target: '
        '<span class="sgd-relink__old">#refunds</span> → '
        '<span class="sgd-relink__new">#vouchers</span></span>'
    ) in body
    assert (
        '<a class="sgd-relinked" href="https://acme.example/fares/2026">fare page</a>'
        '<span class="sgd-relink" title="The target of this link changed">link target: '
        '<span class="sgd-relink__old">https://acme.example/fares</span> → '
        '<span class="sgd-relink__new">https://acme.example/fares/2026</span></span>'
    ) in body
    assert "Link targets changed: #refunds → #vouchers" in section


def test_captions_keep_their_characters(review_pages: dict[str, str]) -> None:
    page = review_pages["captions"]

    def caption(example_id: str) -> str:
        figure = element(page, f"be_concise--{example_id}")
        kicker = '<span class="sg-example__kicker">Example modified</span>'
        return figure.split(kicker, 1)[1].split('<a class="headerlink"', 1)[0].strip()

    assert caption("max-token") == "User sets max_token to <del>50</del><ins>20</ins>"
    assert caption("lyrics").endswith(" requested (see #respect_creators)")
    assert caption("emphatic") == (
        "An <em>emphatic</em> <ins>and</ins> <em><ins>brief</ins></em> reply"
    )
    assert caption("declining") == (
        'Declining <ins>politely</ins> under <a class="sg-ref" href="#respect_creators">'
        "Respect creators and their rights</a>"
    )


def test_a_level_outside_the_order_is_named_and_marked(tmp_path: Path) -> None:
    shutil.copytree(REVIEW / "link_target", tmp_path / "case")
    fees = tmp_path / "case" / "new" / "spec" / "30-fees.md"
    fees.write_text(fees.read_text("utf-8").replace("guideline", "platform"), "utf-8")
    added = tmp_path / "case" / "new" / "spec" / "40-new.md"
    added.write_text("---\nid: fresh\ntitle: Fresh\nauthority: platform\n---\nNew.\n", "utf-8")
    out = tmp_path / "diff.html"
    sides = [str(tmp_path / "case" / side / "spec") for side in ("old", "new")]
    code, output = run_cli("diff", *sides, "-o", str(out))
    assert code == 0, output
    page = out.read_text("utf-8")
    name = "platform (not in the level order)"
    marked = rf'<span class="sgd-level sgd-level--unknown">{re.escape(name)}</span>'
    assert re.search(r"Guideline</span> → " + marked, element(page, "fees"))
    assert re.search(r"Guideline</span> → " + marked, page[: page.index('id="sgd-sections"')])
    assert (
        '<span class="sg-badge sg-badge--unknown sgd-level--unknown" '
        f'title="Not in the level order">{name}</span>'
    ) in element(page, "fresh")
    assert ">platform<" not in page  # never the bare id
