"""Links to a source line on GitHub, GitLab and Gitea (specgen/forge.py), and the
repository paths of a diff side (specgen/origin.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from specgen.forge import GITEA, GITHUB, GITLAB, RepoSettings, forge_for
from specgen.model import Location
from specgen.origin import Origin
from tests.cli_helpers import run_cli, run_cli_split

SHA = "0123456789abcdef0123456789abcdef01234567"


@pytest.mark.parametrize(
    ("repo_url", "kind", "view", "edit"),
    [
        (
            "https://github.com/acme/spec",
            GITHUB,
            f"https://github.com/acme/spec/blob/{SHA}/spec/10-a.md#L12",
            "https://github.com/acme/spec/edit/main/spec/10-a.md",
        ),
        (
            "https://gitlab.com/acme/group/spec.git",
            GITLAB,
            f"https://gitlab.com/acme/group/spec/-/blob/{SHA}/spec/10-a.md#L12",
            "https://gitlab.com/acme/group/spec/-/edit/main/spec/10-a.md",
        ),
        (
            "https://codeberg.org/acme/spec/",
            GITEA,
            f"https://codeberg.org/acme/spec/src/commit/{SHA}/spec/10-a.md#L12",
            "https://codeberg.org/acme/spec/_edit/main/spec/10-a.md",
        ),
    ],
)
def test_each_forge_links_a_line_at_a_commit(
    repo_url: str, kind: str, view: str, edit: str
) -> None:
    forge = forge_for(RepoSettings(repo_url))
    assert forge is not None and forge.kind == kind
    assert forge.view_url("spec/10-a.md", 12, SHA) == view
    assert forge.edit_url("spec/10-a.md") == edit


def test_a_branch_comes_from_edit_uri_in_each_spelling() -> None:
    for edit_uri in ("edit/release/docs/", "blob/release/", "/-/edit/release/x/", "_edit/release"):
        forge = forge_for(RepoSettings("https://github.com/a/b", edit_uri))
        assert forge is not None and forge.branch == "release", edit_uri
    absolute = RepoSettings("https://github.com/a/b", "https://github.com/a/b/edit/stable/docs/")
    assert (forge := forge_for(absolute)) is not None and forge.branch == "stable"
    template = RepoSettings("https://github.com/a/b", None, "blob/dev/docs/{path}")
    assert (forge := forge_for(template)) is not None and forge.branch == "dev"
    gitea = forge_for(RepoSettings("https://gitea.example.org/a/b", "_edit/dev/"))
    assert gitea is not None
    assert gitea.view_url("x.md", 3) == "https://gitea.example.org/a/b/src/branch/dev/x.md#L3"


def test_an_empty_edit_uri_turns_edit_links_off_but_not_source_links() -> None:
    forge = forge_for(RepoSettings("https://github.com/a/b", ""))
    assert forge is not None
    assert forge.edit_url("x.md") is None
    assert forge.view_url("x.md", 1) == "https://github.com/a/b/blob/main/x.md#L1"


def test_a_self_hosted_forge_is_named_by_the_plugin_setting() -> None:
    assert forge_for(RepoSettings("https://code.example.com/a/b")) is None  # unknown host
    forge = forge_for(RepoSettings("https://code.example.com/a/b", forge=GITLAB))
    assert forge is not None
    assert forge.view_url("x.md", 2, "main") == "https://code.example.com/a/b/-/blob/main/x.md#L2"


@pytest.mark.parametrize(
    "repo_url",
    [
        "javascript:alert(1)//github.com/a/b",
        'https://github.com/a/b" onmouseover="alert(1)',
        "https://github.com/a/b<script>",
        "https://github.com/a/b?x=1",
        "https://github.com",  # no owner/name
        "https://github.com/acme",
        "ftp://github.com/a/b",
        "",
    ],
)
def test_a_repository_address_that_is_not_a_plain_https_repository_gives_no_links(
    repo_url: str,
) -> None:
    assert forge_for(RepoSettings(repo_url)) is None


def test_paths_are_percent_encoded_and_unsafe_refs_fall_back_to_the_branch() -> None:
    forge = forge_for(RepoSettings("https://github.com/a/b", "edit/main/"))
    assert forge is not None
    url = forge.view_url("spec/odd name #1?.md", 4, 'main" onclick=x')
    assert url == "https://github.com/a/b/blob/main/spec/odd%20name%20%231%3F.md#L4"
    bad_branch = forge_for(RepoSettings("https://github.com/a/b", "edit/{evil}/docs/"))
    assert bad_branch is not None and bad_branch.branch == "main"


def test_an_origin_maps_scratch_and_working_paths_to_repository_paths() -> None:
    forge = forge_for(RepoSettings("https://github.com/a/b"))
    revision = Origin("HEAD~1", "HEAD~1", SHA, (("/tmp/specgen-diff-x/", ""),), forge)
    loc = Location("/tmp/specgen-diff-x/spec/10-a.md", 7, 3)
    assert revision.where(loc) == "spec/10-a.md:7"
    assert revision.source_url(loc) == f"https://github.com/a/b/blob/{SHA}/spec/10-a.md#L7"
    working = Origin("spec", None, None, (("/repo/", ""), ("/", "/"), ("", "sub/")), forge)
    assert working.repo_path("spec/../spec/./10-a.md") == "sub/spec/10-a.md"
    assert working.repo_path("/repo/spec/10-a.md") == "spec/10-a.md"
    outside = Location("/elsewhere/10-a.md", 1)
    assert working.where(outside) == "/elsewhere/10-a.md:1"
    assert working.source_url(outside) is None  # not in the repository: no link
    assert Origin("x").source_url(loc) is None  # no forge: no link


def test_a_repo_url_that_gives_no_links_is_said(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    for side in (old, new):
        code, out = run_cli("new", str(side))
        assert code == 0, out
    code, stdout, stderr = run_cli_split(
        "diff", str(old / "spec"), str(new / "spec"), "--repo-url", "javascript:alert(1)"
    )
    assert code == 0, stderr
    assert "--repo-url javascript:alert(1): not an http(s) repository" in stderr
    assert "javascript" not in stdout  # the page: no link made of it
    code, _, stderr = run_cli_split(
        "diff", str(old / "spec"), str(new / "spec"), "--repo-url", "https://github.com/a/b"
    )
    assert code == 0 and "warning" not in stderr
