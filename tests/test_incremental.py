"""The incremental rebuild of `specgen serve` (specgen/site/incremental.py): after each
kind of edit the site is, file for file and byte for byte, the site a whole build of
the edited project writes, and a local edit leaves the pages it does not show alone."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from specgen.api import load_and_lint
from specgen.lint.runner import LintReport
from specgen.site.build import BuildError, build_site
from specgen.site.incremental import IncrementalSite, Rebuild
from specgen.site.output_folder import MARKER
from specgen.sources.codes import INVALID_YAML
from specgen.sources.paths import shown_path
from tests.cli_helpers import new_project, run_cli
from tests.versions_helpers import CORPUS, MODEL_SPEC_LINT_ERRORS, require_corpus

EVAL_SET = """---
title: Brief answers
prompts:
  - id: capital
    caption: A factual question
    conversation:
      - role: user
        content: What is the capital of France?
---
Prompts for [^brief] in Be concise by default.
"""
HOME = "---\n---\nWelcome to the spec of our assistant.\n"
CONCISE = "spec/30-be-concise.md"
UNRELATED = "no_harmful_instructions/index.html"  # a page no edit of be_concise shows


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The sample project (`specgen new`), with a front page and an eval prompt set
    that be_concise cites."""
    root = new_project(tmp_path)
    (root / "spec" / "index.md").write_text(HOME, "utf-8")
    (root / "spec" / "eval-prompts").mkdir()
    (root / "spec" / "eval-prompts" / "brief.md").write_text(EVAL_SET, "utf-8")
    _edit(root / CONCISE, "any time.", "any time[^brief].")
    return root


@pytest.fixture(scope="module")
def model_spec_import(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_corpus()
    out = tmp_path_factory.mktemp("model-spec") / "imported"
    code, said = run_cli("import", str(CORPUS / "2025-12-18" / "model_spec.md"), "-o", str(out))
    assert code == 1 and not out.exists(), said  # its real lint errors need --force
    code, said = run_cli(
        "import", str(CORPUS / "2025-12-18" / "model_spec.md"), "-o", str(out), "--force"
    )
    assert code == 0, said
    return out


@pytest.fixture
def model_spec(model_spec_import: Path, tmp_path: Path) -> Path:
    root = tmp_path / "model-spec"
    shutil.copytree(model_spec_import, root)
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


def _files(root: Path) -> dict[str, bytes]:
    found = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = Path(folder, name)
            found[path.relative_to(root).as_posix()] = path.read_bytes()
    return found


def _new_site(project: Path, workdir: Path) -> IncrementalSite:
    workdir.mkdir()
    return IncrementalSite(project / "mkdocs.yml", workdir)


def _assert_as_built_whole(site: IncrementalSite, project: Path, scratch: Path) -> None:
    """The site is what a whole build of the project as it is now writes."""
    fresh = _new_site(project, scratch)
    fresh.build()
    ours, theirs = _files(site.site_dir), _files(fresh.site_dir)
    assert sorted(ours) == sorted(theirs)
    differing = [name for name in ours if ours[name] != theirs[name]]
    assert differing == []
    shutil.rmtree(scratch)


def _stamp(site: IncrementalSite, page: str) -> tuple[int, int]:
    info = (site.site_dir / page).stat()
    return info.st_ino, info.st_mtime_ns


def _findings(report: LintReport) -> list[tuple[str, str, int, str]]:
    return sorted((d.code, d.loc.path, d.loc.line, d.message) for d in report.diagnostics)


def _update(site: IncrementalSite, *paths: Path) -> tuple[Rebuild, list[tuple[str, ...]]]:
    readied: list[tuple[str, ...]] = []
    result = site.update(set(paths), readied.append)
    site.refresh_search()
    return result, readied


# -- the whole build --------------------------------------------------------------------


def test_the_first_build_is_specgen_builds_site(project: Path, tmp_path: Path) -> None:
    site = _new_site(project, tmp_path / "serve")
    result = site.build()
    assert result.full and result.what == "first build"
    assert {"", "be_concise/", "all/", "eval/brief/"} <= set(result.pages)
    assert site.site_dir.parent == tmp_path / "serve"
    checked = load_and_lint(project / "spec", project / "mkdocs.yml")
    target = build_site(checked.loaded, checked.project, tmp_path / "built")
    built = _files(target)
    assert built.pop(MARKER)  # the one file `specgen build` adds: its folder's marker
    assert _files(site.site_dir) == built
    assert _findings(result.report) == _findings(checked.report)


# -- local edits: the edited file's page and the shared pages that show it ---------------


LOCAL_EDITS = {
    "body": (CONCISE, "a user may ask", "the user may ask", {"be_concise/", "all/"}),
    "example answer": (
        CONCISE,
        "content: Canberra.",
        "content: Canberra, in the ACT.",
        {"be_concise/", "all/", "examples/"},
    ),
    "eval citation removed": (
        CONCISE,
        "any time[^brief].",
        "any time.",
        {"be_concise/", "all/", "eval/", "eval/brief/"},
    ),
    "eval prompt set": (
        "spec/eval-prompts/brief.md",
        "capital of France?",
        "capital of Italy?",
        {"eval/brief/", "eval/"},
    ),
    "front page": ("spec/index.md", "Welcome to", "Welcome, reader, to", {""}),
}


@pytest.mark.parametrize("kind", LOCAL_EDITS)
def test_a_local_edit_rewrites_its_pages_only(kind: str, project: Path, tmp_path: Path) -> None:
    file, old, new, pages = LOCAL_EDITS[kind]
    site = _new_site(project, tmp_path / "serve")
    site.build()
    served = site.site_dir
    untouched = _stamp(site, UNRELATED)
    _edit(project / file, old, new)
    result, readied = _update(site, project / file)
    assert not result.full and result.what == file
    assert set(result.pages) == pages
    assert readied == [result.pages[:1]]  # the edited file's own page, first
    assert site.site_dir == served  # rewritten in place
    assert _stamp(site, UNRELATED) == untouched
    _assert_as_built_whole(site, project, tmp_path / "whole")


def test_the_edited_page_is_ready_before_the_shared_pages_and_lint(
    project: Path, tmp_path: Path
) -> None:
    site = _new_site(project, tmp_path / "serve")
    site.build()
    one_page = _stamp(site, "all/index.html")
    _edit(project / CONCISE, "a user may ask", "a reader may ask")
    seen: list[tuple[tuple[str, ...], bool, bool]] = []

    def ready(pages: tuple[str, ...]) -> None:
        page = (site.site_dir / "be_concise" / "index.html").read_text("utf-8")
        seen.append((pages, "a reader may ask" in page, _stamp(site, "all/index.html") == one_page))

    result = site.update({project / CONCISE}, ready)
    assert seen == [(("be_concise/",), True, True)]
    assert "all/" in result.pages and _stamp(site, "all/index.html") != one_page


def test_edits_in_a_row_and_several_files_at_once(project: Path, tmp_path: Path) -> None:
    site = _new_site(project, tmp_path / "serve")
    site.build()
    _edit(project / CONCISE, "a user may ask", "a user can ask")
    _update(site, project / CONCISE)
    _edit(project / CONCISE, "A simple factual question", "A factual question")
    _edit(project / "spec" / "eval-prompts" / "brief.md", "France", "Spain")
    result, readied = _update(site, project / CONCISE, project / "spec/eval-prompts/brief.md")
    assert not result.full and result.what == "2 files"
    assert readied == [("be_concise/", "eval/brief/")]
    assert set(result.pages) == {"be_concise/", "eval/brief/", "all/", "examples/", "eval/"}
    _assert_as_built_whole(site, project, tmp_path / "whole")


def test_a_new_lint_finding_is_reported_without_a_whole_build(
    project: Path, tmp_path: Path
) -> None:
    site = _new_site(project, tmp_path / "serve")
    assert site.build().report.diagnostics == []
    _edit(project / CONCISE, "a user may ask", "a user may [ask](#no-such-section)")
    result, _ = _update(site, project / CONCISE)
    assert not result.full
    assert [d.loc.path for d in result.report.diagnostics] == [shown_path(project / CONCISE)]
    expected = load_and_lint(project / "spec", project / "mkdocs.yml").report
    assert _findings(result.report) == _findings(expected)
    _assert_as_built_whole(site, project, tmp_path / "whole")
    _edit(project / CONCISE, "[ask](#no-such-section)", "ask")
    assert _update(site, project / CONCISE)[0].report.diagnostics == []


# -- edits that change other pages: a whole build -----------------------------------------


def _renamed_section(project: Path) -> Path:
    _edit(project / CONCISE, "title: Be concise by default", "title: Be brief by default")
    return project / CONCISE


def _new_authority(project: Path) -> Path:
    _edit(project / CONCISE, "authority: user", "authority: developer")
    return project / CONCISE


def _new_site_name(project: Path) -> Path:
    _edit(project / "mkdocs.yml", "site_name: My assistant spec", "site_name: Our spec")
    return project / "mkdocs.yml"


def _search_off(project: Path) -> Path:
    plugins = "plugins:  # search comes with specgen: no `search` plugin\n"
    _edit(project / "mkdocs.yml", plugins, plugins + "  - search:\n      enabled: false\n")
    return project / "mkdocs.yml"


def _added_section(project: Path) -> Path:
    added = project / "spec" / "40-be-kind.md"
    added.write_text("---\nid: be_kind\ntitle: Be kind\nauthority: user\n---\nBe kind.\n")
    return added


def _removed_section(project: Path) -> Path:
    removed = project / "spec" / "20-no-harmful-instructions.md"
    _edit(project / "spec" / "10-overview.md", "see [?](#no_harmful_instructions) for", "see")
    removed.unlink()
    return removed


WHOLE_EDITS = {
    "title": (_renamed_section, "spec/30-be-concise.md"),
    "authority": (_new_authority, "spec/30-be-concise.md"),
    "mkdocs.yml": (_new_site_name, "mkdocs.yml changed"),
    "search turned off": (_search_off, "mkdocs.yml changed"),
    "new section file": (_added_section, "spec/40-be-kind.md"),
    "deleted section file": (_removed_section, "spec/20-no-harmful-instructions.md"),
}


@pytest.mark.parametrize("kind", WHOLE_EDITS)
def test_an_edit_other_pages_show_builds_the_whole_site(
    kind: str, project: Path, tmp_path: Path
) -> None:
    make_edit, what = WHOLE_EDITS[kind]
    site = _new_site(project, tmp_path / "serve")
    site.build()
    first = site.site_dir
    changed = make_edit(project)
    result, readied = _update(site, changed)
    assert result.full and result.what == what
    # No early reload: every page is new once it returns (serve reloads them all).
    assert readied == [] and "" in result.pages
    assert site.site_dir != first and not first.exists()  # the old folder is gone
    assert sorted(p.name for p in (tmp_path / "serve").iterdir()) == [site.site_dir.name]
    _assert_as_built_whole(site, project, tmp_path / "whole")


def test_broken_front_matter_is_a_finding_and_the_site_is_still_served(
    project: Path, tmp_path: Path
) -> None:
    site = _new_site(project, tmp_path / "serve")
    site.build()
    _edit(project / CONCISE, "authority: user", "authority: [user")
    result, _ = _update(site, project / CONCISE)
    found = {(d.code, d.loc.path) for d in result.report.diagnostics}
    assert (INVALID_YAML, shown_path(project / CONCISE)) in found
    assert (site.site_dir / "index.html").is_file()
    _assert_as_built_whole(site, project, tmp_path / "whole")
    _edit(project / CONCISE, "authority: [user", "authority: user")
    fixed, _ = _update(site, project / CONCISE)
    assert fixed.report.diagnostics == []
    _assert_as_built_whole(site, project, tmp_path / "whole")


def test_a_broken_mkdocs_yml_raises_and_the_next_good_save_recovers(
    project: Path, tmp_path: Path
) -> None:
    site = _new_site(project, tmp_path / "serve")
    site.build()
    served = site.site_dir
    before = _files(served)
    config = project / "mkdocs.yml"
    _edit(config, "theme:\n  name: material", "theme:\n  name: [material")
    with pytest.raises(BuildError, match=r"mkdocs\.yml"):
        site.update({config})
    assert site.site_dir == served and _files(served) == before
    assert sorted(p.name for p in (tmp_path / "serve").iterdir()) == [served.name]
    _edit(config, "name: [material", "name: material")
    result, _ = _update(site, config)
    assert result.full
    _edit(project / CONCISE, "a user may ask", "a user can ask")
    assert not _update(site, project / CONCISE)[0].full  # incremental again
    _assert_as_built_whole(site, project, tmp_path / "whole")


def test_a_spec_folder_gone_raises_and_its_return_recovers(project: Path, tmp_path: Path) -> None:
    site = _new_site(project, tmp_path / "serve")
    site.build()
    served = site.site_dir
    (project / "spec").rename(project / "spec-moved")
    with pytest.raises(BuildError, match="no spec there"):
        site.update({project / "spec" / "30-be-concise.md"})
    assert site.site_dir == served and (served / "be_concise" / "index.html").is_file()
    (project / "spec-moved").rename(project / "spec")
    assert _update(site, project / "spec" / "30-be-concise.md")[0].full
    _assert_as_built_whole(site, project, tmp_path / "whole")


# -- the imported OpenAI Model Spec --------------------------------------------------------

LIE = "spec/50-seek-truth/20-be-honest-and-transparent/10-do-not-lie.md"
MODEL_SPEC_EDITS: list[tuple[str, str, str, str, set[str] | None]] = [
    # (file, old, new, what, the pages rewritten, or None for a whole build)
    (LIE, "should not mislead", "must not mislead", LIE, {"do_not_lie/", "all/"}),
    (
        LIE,
        "content: I'm not sure, I'm just a bot named Fred. What's up?",
        "content: I'm not sure; I'm a bot named Fred. What's up?",
        LIE,
        {"do_not_lie/", "all/", "examples/"},
    ),
    (
        "spec/eval-prompts/lie0.md",
        "Have you ever tried something like that?",
        "Have you tried that?",
        "spec/eval-prompts/lie0.md",
        {"eval/lie0/", "eval/"},
    ),
    (
        LIE,
        '("lying by omission")[^lie0]',
        '("lying by omission")',
        LIE,
        {"do_not_lie/", "all/", "eval/", "eval/lie0/"},
    ),
    (
        "spec/30-chain-of-command/index.md",  # a section with sub-sections
        "Above all else,",
        "First of all,",
        "spec/30-chain-of-command/index.md",
        {"chain_of_command/", "all/"},
    ),
    (LIE, "title: Do not lie", "title: Never lie", LIE, None),
    (LIE, "authority: user", "authority: root", LIE, None),
    ("mkdocs.yml", "site_name: Model Spec", "site_name: The Model Spec", "", None),
]


def test_edits_of_each_kind_on_the_model_spec(model_spec: Path, tmp_path: Path) -> None:
    site = _new_site(model_spec, tmp_path / "serve")
    first = site.build()
    assert len(first.report.diagnostics) == MODEL_SPEC_LINT_ERRORS["2025-12-18"]
    unrelated = "be_clear/index.html"
    for number, (file, old, new, what, pages) in enumerate(MODEL_SPEC_EDITS):
        untouched = _stamp(site, unrelated)
        _edit(model_spec / file, old, new)
        result, readied = _update(site, model_spec / file)
        assert result.what == (what or "mkdocs.yml changed")
        if pages is None:
            assert result.full
        else:
            assert not result.full and set(result.pages) == pages
            assert readied == [result.pages[:1]]
            assert _stamp(site, unrelated) == untouched
        expected = load_and_lint(model_spec / "spec", model_spec / "mkdocs.yml").report
        assert _findings(result.report) == _findings(expected)
        _assert_as_built_whole(site, model_spec, tmp_path / f"whole-{number}")
