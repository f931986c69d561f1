"""`specgen build`: a page per section, safe HTML, nothing fetched from elsewhere."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_helpers import new_project, run_cli

EXTERNAL_RESOURCE = re.compile(
    r"""<(?:script|img|iframe|source)[^>]+src=["']?(?:https?:)?//|<link[^>]+href=["']?(?:https?:)?//"""
    r"""|@import\s+url\(["']?(?:https?:)?//"""
)


def _invoke(cwd: Path, *args: str) -> tuple[int, str]:
    return run_cli(*args, cwd=cwd)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return new_project(tmp_path)


def test_build_writes_a_page_per_section(project: Path) -> None:
    code, out = _invoke(project, "build")
    assert code == 0, out
    site = project / "site"
    for section_id in ("overview", "no_harmful_instructions", "be_concise"):
        assert (site / section_id / "index.html").is_file()
    page = (site / "no_harmful_instructions" / "index.html").read_text("utf-8")
    assert 'id="no_harmful_instructions--dangerous-chemistry"' in page
    assert "Conflicts with" in page and ">Violation<" in page and ">Compliant<" in page
    # The page's table of contents lists the example, linking to its permalink.
    toc = page.split('aria-label="Table of contents"', 1)[1].split("</nav>", 1)[0]
    assert 'href="#no_harmful_instructions--dangerous-chemistry"' in toc
    overview = (site / "overview" / "index.html").read_text("utf-8")
    # [?](#be_concise) became a link to the right page with the target's title as text.
    assert '<a class="sg-ref" href="../be_concise/">Be concise by default</a>' in overview


def test_no_request_leaves_the_site(project: Path) -> None:
    assert _invoke(project, "build")[0] == 0
    for path in (project / "site").rglob("*"):
        if path.suffix in (".html", ".css"):
            text = path.read_text("utf-8", errors="replace")
            assert not EXTERNAL_RESOURCE.search(text), path
            assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, path


def test_raw_html_in_spec_text_is_shown_not_run(project: Path) -> None:
    page = project / "spec" / "30-be-concise.md"
    page.write_text(
        page.read_text("utf-8")
        + "\n<script>alert(1)</script>\n\n"
        + "Click [me](javascript:alert(2)) <img src=x onerror=alert(3)>\n",
        "utf-8",
    )
    assert _invoke(project, "build")[0] == 0
    html = (project / "site" / "be_concise" / "index.html").read_text("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html and 'href="javascript:' not in html
    assert "<img src=x" not in html


def test_lint_errors_stop_the_build_and_keep_the_old_site(project: Path) -> None:
    assert _invoke(project, "build")[0] == 0
    marker = project / "site" / "marker.txt"
    marker.write_text("previous build", "utf-8")
    (project / "spec" / "40-bad.md").write_text("---\nid: bad\ntitle: Bad\n---\nx\n", "utf-8")
    code, out = _invoke(project, "build")
    assert code == 1 and "SG205" in out and "not building" in out
    assert marker.read_text("utf-8") == "previous build"
    code, out = _invoke(project, "build", "--force")
    assert code == 0, out
    assert not marker.exists() and (project / "site" / "bad" / "index.html").is_file()


def test_builds_are_byte_identical(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # SOURCE_DATE_EPOCH fixes the one date a build writes (sitemap lastmod, gzip mtime).
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14
    assert _invoke(project, "build", "-d", str(tmp_path / "a"))[0] == 0
    assert _invoke(project, "build", "-d", str(tmp_path / "b"))[0] == 0
    files_a = sorted(
        p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file()
    )
    files_b = sorted(
        p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file()
    )
    assert files_a == files_b and Path("sitemap.xml.gz") in files_a
    for rel in files_a:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel
    gz_mtime = int.from_bytes((tmp_path / "a" / "sitemap.xml.gz").read_bytes()[4:8], "little")
    assert gz_mtime == 1699920000  # 2023-11-14T00:00Z: the build date, not the clock's


def test_builds_a_spec_folder_that_has_no_project(project: Path, tmp_path: Path) -> None:
    loose = tmp_path / "elsewhere" / "my-spec"
    shutil.copytree(project / "spec", loose)
    code, out = _invoke(tmp_path, "build", str(loose), "-d", str(tmp_path / "out"))
    assert code == 0, out
    page = (tmp_path / "out" / "be_concise" / "index.html").read_text("utf-8")
    assert "<h1>Be concise by default</h1>" in page and "assets/specgen.css" in page
    assert "fonts.googleapis" not in page  # specgen's default look: no web fonts


def test_levels_option_orders_levels_a_spec_names_its_own_way(
    project: Path, tmp_path: Path
) -> None:
    for path in (project / "spec").glob("*.md"):
        text = path.read_text("utf-8")
        path.write_text(
            text.replace("authority: user", "authority: should").replace(
                "authority: root", "authority: must"
            ),
            "utf-8",
        )
    code, out = _invoke(project, "build", "-d", str(tmp_path / "a"))
    assert code == 1 and "should" in out
    code, out = _invoke(project, "build", "--levels", "must,should", "-d", str(tmp_path / "b"))
    assert code == 0, out
    page = (tmp_path / "b" / "be_concise" / "index.html").read_text("utf-8")
    assert 'sg-badge--level sg-level-should sg-rank-1"' in page and ">Should</a>" in page


def test_plain_mkdocs_build_gives_the_same_site(project: Path, tmp_path: Path) -> None:
    """The same mkdocs.yml works with `mkdocs build` through the specgen plugin."""
    assert _invoke(project, "build", "-d", str(tmp_path / "ours"))[0] == 0
    mkdocs = Path(sys.executable).with_name("mkdocs")
    done = subprocess.run(
        [str(mkdocs), "build", "-q", "-d", str(tmp_path / "plain")],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert done.returncode == 0, done.stderr
    ours = sorted(p.relative_to(tmp_path / "ours") for p in (tmp_path / "ours").rglob("*.html"))
    plain = sorted(p.relative_to(tmp_path / "plain") for p in (tmp_path / "plain").rglob("*.html"))
    assert ours == plain and Path("be_concise/index.html") in ours
    for rel in ours:
        assert (tmp_path / "ours" / rel).read_bytes() == (tmp_path / "plain" / rel).read_bytes()
