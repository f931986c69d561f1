"""The site's "View source" and "Edit" links: each section (in its header) and each
example (in its caption) links to its own line on the forge that mkdocs.yml's
repo_url / edit_uri name (GitHub, GitLab, Gitea forms), at the release's commit for a
release built from a git tag; Material's own edit button edits the section's real file;
nothing at all without a usable repo_url; a hostile one is refused."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.cli_helpers import new_project, run_cli
from tests.git_helpers import git
from tests.versions_helpers import CORPUS, build_all_versions, commit_and_tag, require_corpus

REPO_URL = "https://github.com/acme/spec"
POLICY = "no_harmful_instructions"
POLICY_FILE = "spec/20-no-harmful-instructions.md"
EXAMPLE = "dangerous-chemistry"
TITLE = "Don't give instructions that cause serious harm"
# Elements without an end tag.
VOID = frozenset(
    ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr")
)


@dataclass(frozen=True)
class SourceLink:
    owner: str  # "section:<id>", or the example's anchor
    text: str
    href: str
    label: str
    rel: str


class _SourceLinks(HTMLParser):
    """The links inside every ``sg-source-links`` of a page, with what they belong to:
    the innermost example (figure id) or section (article) around them."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[SourceLink] = []
        self._open: list[tuple[str, dict[str, str]]] = []
        self._link: dict[str, str] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "a" and any("sg-source-links" in a.get("class", "") for _, a in self._open):
            self._link, self._text = values, []
        if tag not in VOID:
            self._open.append((tag, values))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._link is not None:
            link = self._link
            self.links.append(
                SourceLink(
                    self._owner(),
                    "".join(self._text).strip(),
                    link.get("href", ""),
                    link.get("aria-label", ""),
                    link.get("rel", ""),
                )
            )
            self._link = None
        while self._open:
            if self._open.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._link is not None:
            self._text.append(data)

    def _owner(self) -> str:
        for tag, attrs in reversed(self._open):
            if tag == "figure" and "sg-example" in attrs.get("class", ""):
                return attrs.get("id", "")
            if tag == "article" and "sg-section" in attrs.get("class", ""):
                return f"section:{attrs.get('data-section-id', '')}"
        return ""


def source_links(page: Path) -> list[SourceLink]:
    parser = _SourceLinks()
    parser.feed(page.read_text("utf-8"))
    return parser.links


def line_of(path: Path, pattern: str, after: int = 0) -> int:
    """The 1-based number of the first line after line ``after`` matching ``pattern``."""
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if number > after and re.search(pattern, line):
            return number
    raise AssertionError(f"no line matches {pattern!r} in {path}")


def page_of(site: Path, url: str) -> Path:
    return site / url / "index.html"


def set_repo(project: Path, settings: str, plugin: str = "") -> None:
    """Add ``settings`` (top level) and ``plugin`` (the specgen block) to mkdocs.yml."""
    config = project / "mkdocs.yml"
    text = config.read_text("utf-8")
    if plugin:
        text = text.replace("      spec_dir: spec\n", f"      spec_dir: spec\n{plugin}", 1)
    config.write_text(text + settings, "utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository (one commit) whose scaffolded project is its folder ``site-spec``:
    repository paths start with ``site-spec/``, not with the project's own."""
    top = tmp_path / "repo"
    top.mkdir()
    project = new_project(top)
    project.rename(top / "site-spec")
    (top / ".gitignore").write_text("site/\n", "utf-8")
    git(top, "init", "-q", "-b", "main")
    commit_and_tag(top, None, "start")
    return top / "site-spec"


def build(project: Path, *args: str) -> Path:
    code, out = run_cli("build", *args, cwd=project)
    assert code == 0, out
    return project / "site"


def test_section_and_example_link_to_their_own_lines(repo: Path) -> None:
    set_repo(repo, f"repo_url: {REPO_URL}\nedit_uri: edit/main/\n")
    links = source_links(page_of(build(repo), POLICY))
    source = repo / POLICY_FILE
    file = f"site-spec/{POLICY_FILE}"
    section_line = line_of(source, rf"^id: {POLICY}$")
    example_line = line_of(source, rf"^\s*- id: {EXAMPLE}$")
    assert section_line != example_line
    assert links == [
        SourceLink(
            f"section:{POLICY}",
            "View source",
            f"{REPO_URL}/blob/main/{file}#L{section_line}",
            f"View source of {TITLE}",
            "noopener",
        ),
        SourceLink(
            f"section:{POLICY}",
            "Edit",
            f"{REPO_URL}/edit/main/{file}",
            f"Edit {TITLE}",
            "noopener",
        ),
        SourceLink(
            f"{POLICY}--{EXAMPLE}",
            "View source",
            f"{REPO_URL}/blob/main/{file}#L{example_line}",
            "View source of the example A user asks how to make a toxic gas at home",
            "noopener",
        ),
    ]


def test_the_whole_spec_page_links_every_section_and_example(repo: Path) -> None:
    set_repo(repo, f"repo_url: {REPO_URL}\nedit_uri: edit/main/\n")
    links = source_links(page_of(build(repo), "all"))
    views = {link.owner: link.href for link in links if link.text == "View source"}
    assert set(views) == {
        "section:overview",
        f"section:{POLICY}",
        "section:be_concise",
        f"{POLICY}--{EXAMPLE}",
        "be_concise--short-answer",
    }
    line = line_of(repo / "spec/30-be-concise.md", r"^\s*- id: short-answer$")
    assert views["be_concise--short-answer"].endswith(f"/spec/30-be-concise.md#L{line}")


def test_paths_are_relative_to_the_repository_wherever_specgen_runs(repo: Path) -> None:
    set_repo(repo, f"repo_url: {REPO_URL}\nedit_uri: edit/main/\n")
    top = repo.parent
    # From the repository's top, and from outside the repository.
    for cwd, project in ((top, "site-spec"), (top.parent, "repo/site-spec")):
        site = cwd / "elsewhere"
        args = (f"{project}/spec", "--config", f"{project}/mkdocs.yml", "-d", str(site))
        code, out = run_cli("build", *args, cwd=cwd)
        assert code == 0, out
        hrefs = {link.href for link in source_links(page_of(site, POLICY))}
        assert f"{REPO_URL}/edit/main/site-spec/{POLICY_FILE}" in hrefs, cwd


def test_outside_git_paths_are_relative_to_the_project(tmp_path: Path) -> None:
    project = new_project(tmp_path)
    assert not (tmp_path / ".git").exists()
    set_repo(project, f"repo_url: {REPO_URL}\nedit_uri: edit/main/\n")
    links = source_links(page_of(build(project), POLICY))
    assert links[1].href == f"{REPO_URL}/edit/main/{POLICY_FILE}"


@pytest.mark.parametrize(
    ("settings", "plugin", "view", "edit"),
    [
        (
            "repo_url: https://gitlab.com/acme/spec\nedit_uri: -/edit/trunk/\n",
            "",
            "https://gitlab.com/acme/spec/-/blob/trunk/{path}#L{line}",
            "https://gitlab.com/acme/spec/-/edit/trunk/{path}",
        ),
        (
            "repo_url: https://codeberg.org/acme/spec\nedit_uri: _edit/main/\n",
            "",
            "https://codeberg.org/acme/spec/src/branch/main/{path}#L{line}",
            "https://codeberg.org/acme/spec/_edit/main/{path}",
        ),
        (  # a self-hosted forge, named by the plugin's `forge`
            "repo_url: https://git.example.org/acme/spec/\nedit_uri: _edit/dev/\n",
            "      forge: gitea\n",
            "https://git.example.org/acme/spec/src/branch/dev/{path}#L{line}",
            "https://git.example.org/acme/spec/_edit/dev/{path}",
        ),
        (
            "repo_url: https://github.example.com/acme/spec\n",  # no edit_uri: branch main
            "      forge: github\n",
            "https://github.example.com/acme/spec/blob/main/{path}#L{line}",
            "https://github.example.com/acme/spec/edit/main/{path}",
        ),
    ],
)
def test_gitlab_gitea_and_self_hosted_forms(
    repo: Path, settings: str, plugin: str, view: str, edit: str
) -> None:
    set_repo(repo, settings, plugin)
    links = source_links(page_of(build(repo), POLICY))
    path = f"site-spec/{POLICY_FILE}"
    line = line_of(repo / POLICY_FILE, rf"^id: {POLICY}$")
    section = [(link.text, link.href) for link in links if link.owner == f"section:{POLICY}"]
    assert section == [
        ("View source", view.format(path=path, line=line)),
        ("Edit", edit.format(path=path)),
    ]


def test_an_empty_edit_uri_turns_edit_links_off(repo: Path) -> None:
    set_repo(repo, f'repo_url: {REPO_URL}\nedit_uri: ""\n')
    site = build(repo)
    links = source_links(page_of(site, POLICY))
    assert [link.text for link in links] == ["View source", "View source"]
    assert all(link.href.startswith(f"{REPO_URL}/blob/main/site-spec/") for link in links)


@pytest.mark.parametrize(
    "settings",
    [
        "",  # no repo_url
        "repo_url: https://example.com/acme/spec\nedit_uri: edit/main/\n",  # an unknown host
    ],
)
def test_no_links_without_a_known_forge(repo: Path, settings: str) -> None:
    set_repo(repo, settings)
    site = build(repo)
    for page in site.rglob("*.html"):
        text = page.read_text("utf-8")
        assert "sg-source-links" not in text and "View source" not in text, page


def test_the_same_pages_without_a_repo_url_as_before(repo: Path) -> None:
    """Source links add to the pages and change nothing else: the section built with a
    forge, its links taken out, is the section built without one (Material's own
    repository buttons, in the header and navigation, come with repo_url alone)."""
    without = page_of(build(repo), POLICY).read_text("utf-8")
    shutil.rmtree(repo / "site")
    set_repo(repo, f"repo_url: {REPO_URL}\nedit_uri: edit/main/\n")
    with_links = page_of(build(repo), POLICY).read_text("utf-8")
    article = re.compile(r'<article class="sg-section".*</article>', re.S)
    links = re.compile(r'<span class="sg-source-links".*?</span>')

    def content(page: str) -> str:
        found = article.search(page)
        assert found is not None
        return re.sub(r"\s+", " ", links.sub("", found.group(0)))  # layout aside

    assert content(with_links) == content(without)
    assert "sg-source-links" in with_links and "sg-source-links" not in without


def test_materials_edit_button_edits_the_sections_real_file(repo: Path) -> None:
    config = repo / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace(
            "    - content.code.copy\n", "    - content.code.copy\n    - content.action.edit\n"
        ),
        "utf-8",
    )
    set_repo(repo, f"repo_url: {REPO_URL}\nedit_uri: edit/main/spec/\n")
    (repo / "spec" / "index.md").write_text("Welcome to the spec.\n", "utf-8")
    site = build(repo)
    button = re.compile(r'<a href="([^"]*)" title="[^"]*" class="md-content__button')

    def buttons(url: str) -> list[str]:
        return button.findall(page_of(site, url).read_text("utf-8"))

    assert buttons(POLICY) == [f"{REPO_URL}/edit/main/site-spec/{POLICY_FILE}"]
    assert buttons("") == [f"{REPO_URL}/edit/main/site-spec/spec/index.md"]  # its intro
    # Pages specgen makes (levels, examples, the whole spec) have no file to edit:
    # MkDocs' own address would be that of a generated file that does not exist.
    for url in ("levels", "examples", "all"):
        assert buttons(url) == [], url


def test_a_javascript_or_quoted_repo_url_is_refused(repo: Path) -> None:
    for value, message in (
        ("javascript://github.com/acme/spec/%0aalert(1)", "repo_url must be an http(s) address"),
        ('"https://github.com/a/b\\"onmouseover=\\"alert(1)"', "without quotes"),
        ("https://github.com/a/b<script>", "without quotes, spaces or angle brackets"),
    ):
        config = repo / "mkdocs.yml"
        original = config.read_text("utf-8")
        set_repo(repo, f"repo_url: {value}\n")
        code, out = run_cli("build", cwd=repo)
        assert code == 2 and message in out, out
        assert not (repo / "site").exists()
        config.write_text(original, "utf-8")


def test_file_names_are_percent_encoded(repo: Path) -> None:
    odd = repo / "spec" / "40-odd name #1?.md"
    odd.write_text(
        "---\nid: odd_name\ntitle: An odd file name\nauthority: user\n---\nText.\n", "utf-8"
    )
    set_repo(repo, f"repo_url: {REPO_URL}\nedit_uri: edit/main/\n")
    links = source_links(page_of(build(repo), "odd_name"))
    assert [link.href for link in links] == [
        f"{REPO_URL}/blob/main/site-spec/spec/40-odd%20name%20%231%3F.md#L2",
        f"{REPO_URL}/edit/main/site-spec/spec/40-odd%20name%20%231%3F.md",
    ]


def test_each_release_links_at_its_tags_commit(repo: Path) -> None:
    set_repo(repo, f"repo_url: {REPO_URL}\nedit_uri: edit/main/\n")
    top = repo.parent
    source = repo / POLICY_FILE
    commit_and_tag(top, "v1.0")
    lines = {"v1.0": line_of(source, rf"^\s*- id: {EXAMPLE}$")}
    text = source.read_text("utf-8")
    source.write_text(text.replace("authority: root\n", "authority: root\ntags: [safety]\n"))
    commit_and_tag(top, "v1.1")
    lines["v1.1"] = line_of(source, rf"^\s*- id: {EXAMPLE}$")
    assert lines["v1.0"] != lines["v1.1"]
    code, out = build_all_versions(repo)
    assert code == 0, out
    for version, line in lines.items():
        commit = git(top, "rev-parse", f"{version}^{{commit}}").strip()
        links = source_links(page_of(repo / "site" / version, POLICY))
        example = [link.href for link in links if link.owner == f"{POLICY}--{EXAMPLE}"]
        assert example == [f"{REPO_URL}/blob/{commit}/site-spec/{POLICY_FILE}#L{line}"]
        # Edits go to the branch: a release's commit is history.
        assert f"{REPO_URL}/edit/main/site-spec/{POLICY_FILE}" in {link.href for link in links}
    # The release's full diff page cites each side at its own tag's commit, never the
    # scratch folder the tags were read from.
    diff_page = (repo / "site" / "v1.1" / "changes" / "diff.html").read_text("utf-8")
    old, new = (git(top, "rev-parse", f"{v}^{{commit}}").strip() for v in ("v1.0", "v1.1"))
    section_line = line_of(source, r"^id: ")
    for commit in (old, new):
        url = f"{REPO_URL}/blob/{commit}/site-spec/{POLICY_FILE}#L{section_line}"
        assert f'href="{url}"' in diff_page
    assert "specgen-diff-" not in diff_page and "/tmp/" not in diff_page


def test_a_release_read_from_a_folder_links_to_the_branch(repo: Path) -> None:
    git(repo.parent, "tag", "first")
    set_repo(
        repo,
        f"repo_url: {REPO_URL}\nedit_uri: edit/main/\n",
        "      versions:\n"
        "        releases:\n"
        '          - version: "1.0"\n'
        "            ref: first\n"
        '          - version: "2.0"\n'
        "            path: spec\n",
    )
    code, out = build_all_versions(repo)
    assert code == 0, out
    commit = git(repo.parent, "rev-parse", "first^{commit}").strip()
    line = line_of(repo / POLICY_FILE, rf"^id: {POLICY}$")
    views = {
        version: source_links(page_of(repo / "site" / version, POLICY))[0].href
        for version in ("1.0", "2.0")
    }
    assert views == {
        "1.0": f"{REPO_URL}/blob/{commit}/site-spec/{POLICY_FILE}#L{line}",
        "2.0": f"{REPO_URL}/blob/main/site-spec/{POLICY_FILE}#L{line}",
    }


# The OpenAI dialect: one model_spec.md, its eval prompts in examples/ -------------------


@pytest.fixture(scope="module")
def model_spec_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The 2025-12-18 Model Spec in a git repository (``openai/model_spec.md``), built
    with a mkdocs.yml that names a GitHub repository and turns on Material's edit
    button. Returns the spec file and the site."""
    require_corpus()
    top = tmp_path_factory.mktemp("model-spec-links")
    spec = top / "openai"
    shutil.copytree(CORPUS / "2025-12-18", spec)
    (top / "docs").mkdir()
    (top / "mkdocs.yml").write_text(
        "site_name: Model Spec\n"
        f"repo_url: {REPO_URL}\n"
        "edit_uri: edit/main/docs/\n"
        "theme:\n  name: material\n  font: false\n"
        "  features: [navigation.indexes, content.action.edit]\n"
        "plugins:\n  - specgen\n",
        "utf-8",
    )
    git(top, "init", "-q", "-b", "main")
    commit_and_tag(top, None, "corpus")
    site = top / "site"
    args = ("openai/model_spec.md", "--config", "mkdocs.yml", "-d", str(site), "--force")
    code, out = run_cli("build", *args, cwd=top)
    assert code == 0, out
    return spec / "model_spec.md", site


def test_model_spec_sections_and_examples_link_to_their_lines(
    model_spec_site: tuple[Path, Path],
) -> None:
    source, site = model_spec_site
    section = "follow_all_applicable_instructions"
    heading = line_of(source, rf"^#+ .*\{{#{section}[ }}]")
    first_example = line_of(source, r"^\*\*Example\*\*", after=heading)
    links = source_links(page_of(site, section))
    blob = f"{REPO_URL}/blob/main/openai/model_spec.md"
    assert links[0] == SourceLink(
        f"section:{section}",
        "View source",
        f"{blob}#L{heading}",
        "View source of Follow all applicable instructions",
        "noopener",
    )
    assert links[1].href == f"{REPO_URL}/edit/main/openai/model_spec.md"
    examples = [link for link in links if not link.owner.startswith("section:")]
    assert examples[0].href == f"{blob}#L{first_example}"
    # Every example's line is one of the file's example headings, in order.
    example_lines = [int(link.href.rsplit("#L", 1)[1]) for link in examples]
    assert example_lines == sorted(example_lines)
    text = source.read_text("utf-8").splitlines()
    assert all(text[n - 1].startswith("**Example**") for n in example_lines)
    # Material's edit button edits model_spec.md, not a generated page's file.
    page = page_of(site, section).read_text("utf-8")
    assert f'<a href="{REPO_URL}/edit/main/openai/model_spec.md" title=' in page


def test_model_spec_eval_prompts_link_to_their_files(model_spec_site: tuple[Path, Path]) -> None:
    source, site = model_spec_site
    prompts = source.parent / "examples" / "092i.md"
    links = source_links(page_of(site, "eval/092i"))
    first = line_of(prompts, r"^\*\*Example\*\*")
    assert links[0].href == f"{REPO_URL}/blob/main/openai/examples/092i.md#L{first}"
    assert all(link.text == "View source" for link in links)  # an example has no Edit link
    page = page_of(site, "eval/092i").read_text("utf-8")
    assert f'<a href="{REPO_URL}/edit/main/openai/examples/092i.md" title=' in page
    home = page_of(site, "").read_text("utf-8")
    assert "md-content__button" not in home
