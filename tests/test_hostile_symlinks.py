"""Symbolic links out of the project (SG009): never read, linted as errors, never
published, and a git revision holding one is diffed without an internal error.

Every target outside the project is a file of this test holding a unique canary
string: a page, the search index or any output that contains it leaked the file.
"""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

from specgen.sources.links import escaping_links, outside
from specgen.sources.revisions import load_side
from tests.cli_helpers import new_project, run_cli
from tests.git_helpers import git

CANARY = "CANARY-7f3c1e-outside-the-project"
INSIDE = "INSIDE-4b9d20-linked-within-the-project"


def _section(section_id: str, word: str) -> str:
    return f"---\nid: {section_id}\ntitle: {word} title\nauthority: user\n---\n{word} body text.\n"


def _eval_set(word: str) -> str:
    return (
        f"---\ntitle: {word} prompts\nprompts:\n  - caption: {word} caption\n"
        f"    conversation:\n      - role: user\n        content: {word} prompt.\n---\n"
        f"{word} set body.\n"
    )


@pytest.fixture
def outside_dir(tmp_path: Path) -> Path:
    """Files beside the project, not in it, each worth leaking if it were read."""
    folder = tmp_path / "outside"
    (folder / "tree").mkdir(parents=True)
    (folder / "section.md").write_text(_section("leaked", CANARY), "utf-8")
    (folder / "home.md").write_text(f"# {CANARY}\n\n{CANARY} front page.\n", "utf-8")
    (folder / "eval.md").write_text(_eval_set(CANARY), "utf-8")
    (folder / "tree" / "index.md").write_text(_section("leaked_tree", CANARY), "utf-8")
    (folder / "tree" / "10-leaf.md").write_text(_section("leaked_leaf", CANARY), "utf-8")
    (folder / "secret.txt").write_text(f"{CANARY}\n", "utf-8")
    return folder


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A scaffolded project (mkdocs.yml + spec/) with one link that stays inside it:
    spec/45-shared.md -> ../shared/45-shared.md, which keeps working."""
    root = new_project(tmp_path)
    (root / "shared").mkdir()
    (root / "shared" / "45-shared.md").write_text(_section("shared", INSIDE), "utf-8")
    os.symlink("../shared/45-shared.md", root / "spec" / "45-shared.md")
    return root


# Each case links one kind of spec file out of the project: (link, target in outside/).
CASES: dict[str, tuple[str, str]] = {
    "eval-prompt-file": ("spec/eval-prompts/pw.md", "eval.md"),
    "front-page": ("spec/index.md", "home.md"),
    "section-file": ("spec/40-leak.md", "section.md"),
    "section-folder": ("spec/50-leak", "tree"),
}


def _link(project: Path, outside_dir: Path, case: str) -> str:
    link, target = CASES[case]
    (project / link).parent.mkdir(parents=True, exist_ok=True)
    os.symlink(outside_dir / target, project / link)
    return link


def _site_files(site: Path) -> list[Path]:
    return [p for p in site.rglob("*") if p.is_file()]


def _leaks(site: Path, word: str) -> list[str]:
    return [str(p.relative_to(site)) for p in _site_files(site) if word.encode() in _content(p)]


def _content(path: Path) -> bytes:
    """A file's bytes; the search index's (search/**/*.pf_*) are gzipped."""
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix.startswith(".pf_") else data


# -- lint -------------------------------------------------------------------------------


@pytest.mark.parametrize("case", sorted(CASES))
def test_lint_reports_a_link_out_of_the_project(
    case: str, project: Path, outside_dir: Path
) -> None:
    link = _link(project, outside_dir, case)
    code, out = run_cli("lint", "--format", "concise", cwd=project)
    assert code == 1, out
    target = outside_dir / CASES[case][1]
    assert out.splitlines()[0] == (
        f"{link}:1:1: SG009 symlink points outside the project (to {target}): not read"
    )
    assert "SG009" not in "\n".join(out.splitlines()[1:-1]), out  # that link only
    assert CANARY not in out


def test_lint_reports_links_of_any_file_at_any_depth(project: Path, outside_dir: Path) -> None:
    secret = outside_dir / "secret.txt"
    (project / "spec" / "_assets").mkdir()
    (project / "spec" / "60-deep").mkdir()
    (project / "spec" / "60-deep" / "index.md").write_text(_section("deep", "Deep"), "utf-8")
    os.symlink(secret, project / "spec" / "logo.png")  # copied by MkDocs, not a section
    os.symlink(secret, project / "spec" / "_assets" / "font.woff")
    os.symlink("../../../outside/section.md", project / "spec" / "60-deep" / "10-up.md")
    os.symlink(outside_dir, project / "spec" / "60-deep" / "media")
    code, out = run_cli("lint", "--format", "concise", "--select", "SG009", cwd=project)
    assert code == 1, out
    found = [line.split(": SG009 ")[0] for line in out.splitlines() if ": SG009 " in line]
    assert found == [
        "spec/60-deep/10-up.md:1:1",
        "spec/60-deep/media:1:1",
        "spec/_assets/font.woff:1:1",
        "spec/logo.png:1:1",
    ]
    assert f"(to {outside_dir / 'section.md'})" in out  # a relative link, resolved


def test_links_within_the_project_are_followed(project: Path) -> None:
    code, out = run_cli("lint", "--format", "concise", cwd=project)
    assert code == 0, out
    # With no mkdocs.yml the project is the spec folder: shared/ is then outside it.
    (project / "mkdocs.yml").unlink()
    code, out = run_cli("lint", "--format", "concise", "spec", cwd=project)
    assert code == 1 and "spec/45-shared.md:1:1: SG009" in out, out
    assert INSIDE not in out


def test_a_spec_folder_linked_out_of_the_project(project: Path, outside_dir: Path) -> None:
    (outside_dir / "tree" / "index.md").rename(outside_dir / "tree" / "20-other.md")
    os.rename(project / "spec", project / "old-spec")
    os.symlink(outside_dir / "tree", project / "spec")
    expected = (
        f"spec:1:1: SG009 symlink points outside the project (to {outside_dir / 'tree'}): not read"
    )
    for args in ((), ("--config", "mkdocs.yml")):
        code, out = run_cli("lint", "--format", "concise", *args, cwd=project)
        assert code == 1, out
        assert out.splitlines()[0] == expected
        assert CANARY not in out
    code, out = run_cli("build", "--force", cwd=project)
    assert CANARY not in out
    assert not any(CANARY in p.read_text("utf-8") for p in (project / "site").rglob("*.html"))


def _openai_spec(folder: Path) -> Path:
    folder.mkdir()
    spec = folder / "model_spec.md"
    spec.write_text("# Overview {#overview}\n\nBe helpful.\n", "utf-8")
    return spec


def test_openai_examples_linked_out_of_the_project(tmp_path: Path, outside_dir: Path) -> None:
    spec = _openai_spec(tmp_path / "release")
    (spec.parent / "examples").mkdir()
    os.symlink(outside_dir / "eval.md", spec.parent / "examples" / "pw.md")
    code, out = run_cli("lint", "--format", "concise", "model_spec.md", cwd=spec.parent)
    assert code == 1, out
    target = outside_dir / "eval.md"
    assert (
        f"examples/pw.md:1:1: SG009 symlink points outside the project (to {target}): not read"
    ) in out.splitlines()
    assert CANARY not in out


def test_openai_examples_folder_linked_out_of_the_project(
    tmp_path: Path, outside_dir: Path
) -> None:
    spec = _openai_spec(tmp_path / "release")
    os.symlink(outside_dir, spec.parent / "examples")
    code, out = run_cli("lint", "--format", "concise", "model_spec.md", cwd=spec.parent)
    assert code == 1, out
    assert out.splitlines()[0] == (
        f"examples:1:1: SG009 symlink points outside the project (to {outside_dir}): not read"
    )
    assert CANARY not in out


# -- build ------------------------------------------------------------------------------


@pytest.mark.parametrize("case", sorted(CASES))
def test_build_publishes_nothing_behind_a_link_out_of_the_project(
    case: str, project: Path, outside_dir: Path
) -> None:
    _link(project, outside_dir, case)
    code, out = run_cli("build", "--force", cwd=project)
    assert code == 0, out
    site = project / "site"
    assert (site / "search" / "pagefind.js").is_file()
    assert _leaks(site, CANARY) == []
    # The link that stays inside the project is published: the check above can see text,
    # in the pages and in the search index.
    leaks = _leaks(site, INSIDE)
    assert any(path.startswith("search/fragment/") for path in leaks), leaks
    assert (site / "shared" / "index.html").is_file()


# needs the plugin filter (specgen/site/plugin.py): MkDocs copies every file of the
# spec folder, following linked folders, and only the plugin can leave these out.
def test_build_copies_no_static_file_linked_out_of_the_project(
    project: Path, outside_dir: Path
) -> None:
    os.symlink(outside_dir / "secret.txt", project / "spec" / "logo.png")
    (project / "spec" / "_assets").mkdir()
    os.symlink(outside_dir / "secret.txt", project / "spec" / "_assets" / "style.css")
    os.symlink(outside_dir, project / "spec" / "media")
    code, out = run_cli("build", "--force", cwd=project)
    assert code == 0, out
    assert _leaks(project / "site", CANARY) == []


# -- diff of git revisions ------------------------------------------------------------


@pytest.fixture
def repo(project: Path, outside_dir: Path) -> Path:
    """v1: the scaffold; HEAD adds links out of the tree (absolute, and relative up out
    of it) and a section that is an in-tree link to a file under spec/_src/."""
    (project / "spec" / "45-shared.md").unlink()  # its target is not in the archive
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "v1")
    spec = project / "spec"
    os.symlink("/etc/passwd", spec / "20-x.md")
    os.symlink(outside_dir / "section.md", spec / "25-canary.md")
    os.symlink("../../outside/section.md", spec / "26-up.md")
    (spec / "_src").mkdir()
    (spec / "_src" / "40-extra.md").write_text(_section("extra", "Extra"), "utf-8")
    os.symlink("_src/40-extra.md", spec / "40-extra.md")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "links")
    return project


def _no_leak(out: str) -> None:
    assert "internal error" not in out
    assert "root:x:0:0" not in out and "/bin/" not in out  # /etc/passwd's content
    assert CANARY not in out


def test_diff_of_revisions_holding_links(repo: Path) -> None:
    code, out = run_cli("diff", "HEAD~1", "HEAD", "--format", "json", "-o", "d.json", cwd=repo)
    assert code == 0, out
    assert "SG009" in out  # the left-out link is named on stderr
    _no_leak(out)
    data = json.loads((repo / "d.json").read_text("utf-8"))
    added = [s["id"] for s in data["sections"] if s["status"] == "added"]
    assert added == ["extra"]  # the in-tree link was extracted and read
    code, out = run_cli("diff", "HEAD~1", "HEAD", "--fail-on", "any", cwd=repo)
    assert code == 1, out
    _no_leak(out)


def test_diff_of_a_revision_and_the_working_folder(repo: Path) -> None:
    code, out = run_cli("diff", "HEAD", "spec", "--format", "json", "-o", "d.json", cwd=repo)
    assert code == 0, out
    _no_leak(out)
    data = json.loads((repo / "d.json").read_text("utf-8"))
    statuses = {s["id"]: s["status"] for s in data["sections"]}
    assert statuses["extra"] == "unchanged"
    assert "leaked" not in statuses


def test_links_left_out_of_a_revision_are_reported(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    side = load_side("HEAD")
    found = sorted(
        (Path(d.loc.path).name, d.message) for d in side.loaded.diagnostics if d.code == "SG009"
    )
    assert found == [
        (
            "20-x.md",
            "symlink points outside the project (to /etc/passwd) at revision HEAD: not read",
        ),
        (
            "25-canary.md",
            "symlink points outside the project "
            f"(to {repo.parent / 'outside' / 'section.md'}) at revision HEAD: not read",
        ),
        (
            "26-up.md",
            "symlink points outside the project (to ../../outside/section.md) "
            "at revision HEAD: not read",
        ),
    ]
    assert all(d.loc.line == 1 and d.loc.column == 1 for d in side.loaded.diagnostics)


def test_a_spec_folder_that_is_a_link_at_a_revision(repo: Path) -> None:
    os.rename(repo / "spec", repo / "old-spec")
    os.symlink("/etc", repo / "spec")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "spec is a link")
    (repo / "spec").unlink()  # the working tree names the spec folder: keep it a folder
    os.rename(repo / "old-spec", repo / "spec")
    code, out = run_cli("diff", "HEAD~1", "HEAD", cwd=repo)
    assert code == 2 and "spec: symlink points outside the project (to /etc)" in out, out
    _no_leak(out)


# -- the helpers the site plugin calls --------------------------------------------------


def test_outside_and_escaping_links(tmp_path: Path, outside_dir: Path) -> None:
    root = tmp_path / "proj"
    spec = root / "spec"
    (spec / "sub").mkdir(parents=True)
    (root / "shared").mkdir()
    (spec / "a.md").write_text("a", "utf-8")
    for link, target in (
        (spec / "in.md", Path("a.md")),
        (spec / "up", Path("../shared")),
        (spec / "loop", Path("..")),
        (spec / "sub" / "out.png", outside_dir / "secret.txt"),
        (spec / "out", outside_dir),
        (root / "shared" / "back", outside_dir),
    ):
        os.symlink(target, link)
    assert outside(spec / "a.md", root) is None
    assert outside(spec / "in.md", root) is None
    assert outside(spec / "up", root) is None
    assert outside(spec / "missing.md", root) is None
    assert outside(spec / "out", root) == outside_dir
    secret = outside(spec / "out" / "secret.txt", root)  # passes through a link
    assert secret == outside_dir / "secret.txt"
    assert outside(spec / "up", spec) == root / "shared"  # the boundary decides
    found = [(str(link.relative_to(root)), target) for link, target in escaping_links(spec, root)]
    # The plain tree first, by name; then shared/, reached only through links
    # (spec/loop/shared, spec/up), walked once.
    assert found[:2] == [("spec/out", outside_dir), ("spec/sub/out.png", secret)]
    assert found[2:] == [("spec/loop/shared/back", outside_dir)]
