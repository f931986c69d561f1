"""`specgen build --all-versions`: every release (git tags, or a configured list) into
site/<version>/, latest/, versions.json, the releases page, "What changed", redirects of
renamed sections, the outdated banner; and a release is rebuilt only when what it is
built of changed.

The first group of tests reads the site of the two OpenAI Model Spec releases (the
``model_spec_releases`` fixture of conftest.py, built once); the others build small
repositories made from the scaffolded project.
"""

from __future__ import annotations

import json
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest

from specgen.diff.describe import MINUS
from specgen.releases import version_key
from tests.cli_helpers import new_project, run_cli
from tests.versions_helpers import build_all_versions, commit_and_tag, git, site_files

OLD, NEW = "2025-10-27", "2025-12-18"
U18_SECTIONS = {"chatgpt_u18", "prioritize_teen_safety"}  # added in 2025-12-18
HOST = "http://site.test/"


class _Links(HTMLParser):
    """Every <a> of a page: its attributes and its text."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[dict[str, str | None], str]] = []
        self._open: list[tuple[dict[str, str | None], list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._open.append((dict(attrs), []))

    def handle_data(self, data: str) -> None:
        for _, text in self._open:
            text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open:
            attrs, text = self._open.pop()
            self.links.append((attrs, " ".join("".join(text).split())))


def links(html: str) -> list[tuple[dict[str, str | None], str]]:
    parser = _Links()
    parser.feed(html)
    return parser.links


def page(site: Path, path: str) -> str:
    """The HTML of the page at a URL path of the site ("2025-10-27/chain_of_command/")."""
    file = site / path / "index.html" if path.endswith("/") or not path else site / path
    return file.read_text("utf-8")


def resolves_to(site: Path, from_path: str, href: str) -> str:
    """The site path a link of the page at ``from_path`` leads to; it must exist."""
    url = urljoin(HOST + from_path, href)
    assert url.startswith(HOST), url
    path = url[len(HOST) :].split("#")[0]
    target = site / path / "index.html" if path.endswith("/") or not path else site / path
    assert target.is_file(), f"{href} on {from_path} leads to {path}, which does not exist"
    return path


def outdated_banner(html: str) -> str:
    match = re.search(r'<div[^>]*data-md-component="outdated"[^>]*>(.*?)</aside>', html, re.S)
    assert match, "no outdated banner"
    return match.group(1)


# The two OpenAI Model Spec releases -------------------------------------------------


def test_both_releases_are_built(model_spec_releases: Path) -> None:
    site = model_spec_releases
    for version in (OLD, NEW):
        for path in ("", "chain_of_command/", "levels/", "examples/", "changes/"):
            assert (site / version / path / "index.html").is_file(), f"{version}/{path}"
        assert (site / version / "sitemap.xml").is_file()
    # A policy new in 2025-12-18 has a page there only.
    assert (site / NEW / "prioritize_teen_safety" / "index.html").is_file()
    assert not (site / OLD / "prioritize_teen_safety").exists()
    # Every page of a release says which release it is and where the versions are.
    config = re.search(r'"version": (\{[^}]*\})', page(site, f"{OLD}/chain_of_command/"))
    assert config and json.loads(config.group(1)) == {"default": "latest", "provider": "mike"}


def test_latest_is_a_copy_of_the_newest_release(model_spec_releases: Path) -> None:
    latest = site_files(model_spec_releases / "latest")
    newest = site_files(model_spec_releases / NEW)
    assert latest.keys() == newest.keys()
    assert [p for p in latest if latest[p] != newest[p]] == []
    assert latest != site_files(model_spec_releases / OLD)


def test_versions_json_is_mikes_format_newest_first(model_spec_releases: Path) -> None:
    data = json.loads((model_spec_releases / "versions.json").read_text("utf-8"))
    assert data == [
        {"version": NEW, "title": NEW, "aliases": ["latest"]},
        {"version": OLD, "title": OLD, "aliases": []},
    ]


def test_older_release_pages_carry_the_outdated_banner(model_spec_releases: Path) -> None:
    site = model_spec_releases
    for path in ("chain_of_command/", "", "levels/", "changes/"):
        here = f"{OLD}/{path}"
        banner = outdated_banner(page(site, here))
        assert "md-banner--warning" in banner and "older release" in banner
        (attrs, text), *_ = [link for link in links(banner) if "data-sg-newest" in link[0]]
        assert text == "Read this page in the newest release."
        # The same page in latest/, and latest's home for when it has no such page.
        assert attrs["href"] is not None and attrs["data-sg-newest"] is not None
        assert resolves_to(site, here, attrs["href"]) == f"latest/{path}"
        assert resolves_to(site, here, attrs["data-sg-newest"]) == "latest/"
    html = page(site, f"{OLD}/chain_of_command/")
    assert 'href="../../latest/chain_of_command/"' in html
    # The banner is hidden until Material's script finds the release is not the newest.
    assert re.search(r'<div[^>]*data-md-component="outdated"[^>]*hidden', html)


def test_what_changed_lists_the_under_18_sections(model_spec_releases: Path) -> None:
    site = model_spec_releases
    html = page(site, f"{NEW}/changes/")
    assert f"What changed in {NEW}" in html
    assert f"compared with {OLD}" in html
    rows = re.findall(r'<tr class="sg-changes__row sg-changes__row--(\w+)">(.*?)</tr>', html, re.S)
    added = {}
    what = {}
    for status, row in rows:
        ids = re.findall(r"<code>(\w+)</code>", row)
        if status == "added":
            added[ids[0]] = row
        _, change, changes = (
            " ".join(unescape(re.sub(r"<[^>]+>", "", cell)).split())
            for cell in re.findall(r"<td>(.*?)</td>", row, re.S)
        )
        assert change == status.capitalize()
        what[ids[0]] = (changes, re.findall(r'class="sg-change sg-change--([\w-]+)"', row))
    assert set(added) == U18_SECTIONS
    # What changed in each section, in the words of the diff outputs (diff/describe.py).
    assert what["do_not_lie"] == (
        f"Text changed; Eval prompt sets cited: {MINUS}91ld {MINUS}lds1; "
        "Examples: 2 removed, 1 modified",
        ["text", "eval-refs", "examples"],
    )
    assert what["prioritize_teen_safety"] == ("Examples: 4 added", ["examples"])
    assert what["chatgpt_u18"] == ("", [])
    for section_id, row in added.items():
        (attrs, _), *_ = links(row)
        href = attrs["href"]
        assert href is not None
        assert resolves_to(site, f"{NEW}/changes/", href) == f"{NEW}/{section_id}/"
    assert "2 sections added, 0 removed" in html
    # The full diff is there, and says the same.
    (diff_link,) = [a for a, _ in links(html) if a.get("href") == "diff.html"]
    assert diff_link
    diff = (site / NEW / "changes" / "diff.html").read_text("utf-8")
    assert all(section_id in diff for section_id in U18_SECTIONS)
    # The first release has nothing to compare with.
    first = page(site, f"{OLD}/changes/")
    assert "The first release" in first
    assert not (site / OLD / "changes" / "diff.html").exists()


def test_releases_page_and_root(model_spec_releases: Path) -> None:
    site = model_spec_releases
    releases = page(site, "releases/")
    rows = re.findall(r"<tr>\s*<td>(.*?)</td>\s*<td>(.*?)</td>", releases, re.S)
    listed = [(re.sub(r"<[^>]+>|\s+", " ", r).split()[0], d.strip()) for r, d in rows]
    assert listed == [(NEW, NEW), (OLD, OLD)]  # newest first, each with its date
    for version in (NEW, OLD):
        assert resolves_to(site, "releases/", f"../{version}/") == f"{version}/"
    assert resolves_to(site, "releases/", f"../{NEW}/changes/") == f"{NEW}/changes/"
    root = page(site, "")
    assert '<meta http-equiv="refresh" content="0; url=latest/">' in root
    assert resolves_to(site, "", "latest/") == "latest/"


def test_sitemaps_have_locs_under_each_release(model_spec_releases: Path) -> None:
    """Material's version selector keeps the page when the other release's sitemap
    lists it: each release's sitemap names its pages under its own folder."""
    for version in (OLD, NEW):
        sitemap = (model_spec_releases / version / "sitemap.xml").read_text("utf-8")
        locs = re.findall(r"<loc>([^<]+)</loc>", sitemap)
        assert f"http://localhost/{version}/" in locs
        assert f"http://localhost/{version}/chain_of_command/" in locs
        assert all(loc.startswith(f"http://localhost/{version}/") for loc in locs)


# Small repositories of the scaffolded project -----------------------------------------


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The scaffolded project in a git repository, one commit, no tag."""
    project = new_project(tmp_path)
    (project / ".gitignore").write_text("site/\n", "utf-8")
    git(project, "init", "-q", "-b", "main")
    commit_and_tag(project, None, "start")
    return project


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text("utf-8").rstrip("\n") + f"\n\n{text}\n", "utf-8")


def progress(out: str) -> dict[str, str]:
    """Each release's last progress line: "up to date" or "built"."""
    found: dict[str, str] = {}
    for version, what in re.findall(r"^\[\d+/\d+\] (\S+): (up to date|built)", out, re.M):
        found[version] = what
    return found


def mtimes(site: Path, version: str) -> dict[str, int]:
    return {
        p.relative_to(site).as_posix(): p.stat().st_mtime_ns
        for p in (site / version).rglob("*")
        if p.is_file()
    }


def test_version_tags_sort_as_numbers_and_other_tags_are_ignored(repo: Path) -> None:
    commit_and_tag(repo, "v1.9")
    git(repo, "tag", "nightly")
    git(repo, "tag", "v2.0-rc1")
    append(repo / "spec" / "30-be-concise.md", "Released in v1.10.")
    commit_and_tag(repo, "v1.10")
    code, out = build_all_versions(repo)
    assert code == 0, out
    site = repo / "site"
    assert json.loads((site / "versions.json").read_text("utf-8")) == [
        {"version": "v1.10", "title": "v1.10", "aliases": ["latest"]},
        {"version": "v1.9", "title": "v1.9", "aliases": []},
    ]
    assert sorted(p.name for p in site.iterdir() if p.is_dir()) == [
        "latest",
        "releases",
        "v1.10",
        "v1.9",
    ]
    assert "Released in v1.10." in page(site, "latest/be_concise/")
    assert "Released in v1.10." not in page(site, "v1.9/be_concise/")
    assert "2 releases" in out
    ordered = sorted(["v1.10", "v1.9", "v1.2", "v10.0", "v2.0.1"], key=version_key)
    assert ordered == ["v1.2", "v1.9", "v1.10", "v2.0.1", "v10.0"]


def test_configured_releases_with_a_ref_and_a_path(repo: Path) -> None:
    git(repo, "tag", "first")  # not a release tag: the configured list names it
    git(repo, "tag", "v9.9")  # a release tag, but the list replaces tags
    edit(
        repo / "mkdocs.yml",
        "      spec_dir: spec\n",
        "      spec_dir: spec\n"
        "      versions:\n"
        "        releases:\n"
        '          - version: "1.0"\n'
        "            ref: first\n"
        '          - version: "2.0"\n'
        "            path: spec\n",
    )
    # The working folder (release 2.0) has a policy release 1.0 lacks.
    (repo / "spec" / "40-be-kind.md").write_text(
        "---\nid: be_kind\ntitle: Be kind\nauthority: user\n---\nBe kind to the user.\n",
        "utf-8",
    )
    code, out = build_all_versions(repo)
    assert code == 0, out
    site = repo / "site"
    versions = json.loads((site / "versions.json").read_text("utf-8"))
    assert [v["version"] for v in versions] == ["2.0", "1.0"]
    assert not (site / "v9.9").exists()
    assert (site / "2.0" / "be_kind" / "index.html").is_file()
    assert not (site / "1.0" / "be_kind").exists()
    changes = page(site, "2.0/changes/")
    assert re.search(r"sg-changes__row--added\">.*?<code>be_kind</code>", changes, re.S)
    # Built again: the folder release is up to date until a file of it changes.
    code, out = build_all_versions(repo)
    assert code == 0 and progress(out) == {"1.0": "up to date", "2.0": "up to date"}, out
    append(repo / "spec" / "40-be-kind.md", "And patient.")
    code, out = build_all_versions(repo)
    assert code == 0 and progress(out) == {"1.0": "up to date", "2.0": "built"}, out
    assert "And patient." in page(site, "2.0/be_kind/")


def test_only_what_changed_is_rebuilt(repo: Path) -> None:
    commit_and_tag(repo, "v1.0")
    append(repo / "spec" / "30-be-concise.md", "Second release.")
    commit_and_tag(repo, "v2.0")
    site = repo / "site"
    code, out = build_all_versions(repo)
    assert code == 0 and progress(out) == {"v1.0": "built", "v2.0": "built"}, out

    before = {v: mtimes(site, v) for v in ("v1.0", "v2.0")}
    code, out = build_all_versions(repo)
    assert code == 0 and progress(out) == {"v1.0": "up to date", "v2.0": "up to date"}, out
    assert "0 built, 2 up to date" in out
    assert {v: mtimes(site, v) for v in ("v1.0", "v2.0")} == before

    # A new tag: only the new release is built; the others are left as they were.
    append(repo / "spec" / "30-be-concise.md", "Third release.")
    commit_and_tag(repo, "v3.0")
    code, out = build_all_versions(repo)
    assert code == 0, out
    assert progress(out) == {"v1.0": "up to date", "v2.0": "up to date", "v3.0": "built"}
    assert {v: mtimes(site, v) for v in ("v1.0", "v2.0")} == before
    assert "compared with v2.0" in page(site, "v3.0/changes/")
    assert "Third release." in page(site, "latest/be_concise/")

    # v2.0 moved to a commit with other text: it is rebuilt, and so is v3.0, whose
    # "What changed" compares with it; v1.0 is not.
    git(repo, "checkout", "-q", "v2.0")
    append(repo / "spec" / "30-be-concise.md", "Second release, amended.")
    commit_and_tag(repo, "v2.0")
    git(repo, "checkout", "-q", "main")
    code, out = build_all_versions(repo)
    assert code == 0, out
    assert progress(out) == {"v1.0": "up to date", "v2.0": "built", "v3.0": "built"}
    assert mtimes(site, "v1.0") == before["v1.0"]
    assert "Second release, amended." in page(site, "v2.0/be_concise/")

    # Release notes are part of a release: a new "## v3.0" section rebuilds v3.0 only.
    (repo / "CHANGELOG.md").write_text("# Changes\n\n## v3.0\n\nShorter answers.\n", "utf-8")
    code, out = build_all_versions(repo)
    assert code == 0, out
    assert progress(out) == {"v1.0": "up to date", "v2.0": "up to date", "v3.0": "built"}
    assert "Shorter answers." in page(site, "v3.0/changes/")

    # A deleted tag: its release folder goes.
    git(repo, "tag", "-d", "v1.0")
    code, out = build_all_versions(repo)
    assert code == 0, out
    assert not (site / "v1.0").exists()
    assert "The first release" in page(site, "v2.0/changes/")


def test_editing_a_template_override_rebuilds_every_release(repo: Path) -> None:
    """The pages are made with the project's custom_dir too: an override that changes
    must reach every release, not only new ones."""
    commit_and_tag(repo, "v1.0")
    append(repo / "spec" / "30-be-concise.md", "Second release.")
    commit_and_tag(repo, "v2.0")
    assert build_all_versions(repo)[0] == 0
    override = repo / "theme" / "specgen" / "home.html"
    override.parent.mkdir(parents=True)
    override.write_text('<p id="custom-home">Our own home page.</p>\n', "utf-8")
    edit(repo / "mkdocs.yml", "  name: material\n", "  name: material\n  custom_dir: theme\n")
    code, out = build_all_versions(repo)
    assert code == 0 and progress(out) == {"v1.0": "built", "v2.0": "built"}, out
    assert 'id="custom-home"' in page(repo / "site", "v1.0/")
    override.write_text('<p id="custom-home">Edited.</p>\n', "utf-8")  # mkdocs.yml unchanged
    code, out = build_all_versions(repo)
    assert code == 0 and progress(out) == {"v1.0": "built", "v2.0": "built"}, out
    assert "Edited." in page(repo / "site", "v1.0/")


def test_renamed_section_keeps_its_old_address(repo: Path) -> None:
    commit_and_tag(repo, "v1.0")
    edit(repo / "spec" / "30-be-concise.md", "id: be_concise\n", "id: be_brief\n")
    edit(repo / "spec" / "30-be-concise.md", "title:", "former_ids: [be_concise]\ntitle:")
    edit(repo / "spec" / "10-overview.md", "(#be_concise)", "(#be_brief)")
    commit_and_tag(repo, "v2.0")
    # v3.0 no longer lists the former id: the old address still leads to the section.
    edit(repo / "spec" / "30-be-concise.md", "former_ids: [be_concise]\n", "")
    append(repo / "spec" / "30-be-concise.md", "Third release.")
    commit_and_tag(repo, "v3.0")
    code, out = build_all_versions(repo)
    assert code == 0, out
    site = repo / "site"
    assert "http-equiv" not in page(site, "v1.0/be_concise/")  # the section itself
    assert not (site / "v1.0" / "be_brief").exists()
    for version in ("v2.0", "v3.0", "latest"):
        old = f"{version}/be_concise/"
        html = page(site, old)
        match = re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)">', html)
        assert match, f"{old} is not a redirect"
        assert resolves_to(site, old, match.group(1)) == f"{version}/be_brief/"
        assert "Be concise by default" in html
    assert "Third release." in page(site, "v3.0/be_brief/")


def test_no_releases_is_an_error(repo: Path, tmp_path: Path) -> None:
    git(repo, "tag", "nightly")  # not a release tag
    code, out = build_all_versions(repo)
    assert code == 2
    assert "no releases" in out and "versions: releases:" in out
    assert "Traceback" not in out and "internal error" not in out
    assert not (repo / "site").exists() or not any((repo / "site").iterdir())
    # Not a git repository at all: the same.
    plain = new_project(tmp_path / "plain")
    code, out = build_all_versions(plain)
    assert code == 2 and "no releases" in out


def test_a_configured_release_that_does_not_exist_is_an_error(repo: Path) -> None:
    edit(
        repo / "mkdocs.yml",
        "      spec_dir: spec\n",
        "      spec_dir: spec\n"
        "      versions:\n"
        "        releases:\n"
        '          - version: "1.0"\n'
        "            ref: no-such-tag\n",
    )
    code, out = build_all_versions(repo)
    assert code == 2, out
    assert "release 1.0" in out and "no-such-tag" in out
    assert "internal error" not in out


def test_a_spec_argument_is_refused(repo: Path) -> None:
    code, out = run_cli("build", "spec", "--all-versions", cwd=repo)
    assert code == 2 and "--all-versions" in out
