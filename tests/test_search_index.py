"""The site's search index (specgen/site/search_index.py): Pagefind, run by the specgen
plugin after the pages are written, for `specgen build` and plain `mkdocs build` alike;
each section, example and eval prompt set indexed once, on its own page; written inside
the site only; Material's search plugin, where a mkdocs.yml still lists it, switched
off; a failing indexer stops the build with one clear line."""

from __future__ import annotations

import gzip
import json
import socket
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from specgen.site.search_index import UNUSED
from specgen.sources.loading import load_spec
from tests.cli_helpers import new_project, run_cli

REPO = Path(__file__).resolve().parents[1]
AGGREGATE_PAGES = {"/all/", "/examples/", "/levels/", "/eval/"}


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def _fragments(site: Path) -> list[dict[str, Any]]:
    """The index's record of each page it holds (gzipped JSON after a signature)."""
    records = []
    for path in sorted((site / "search" / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        records.append(json.loads(data[len(b"pagefind_dcd") :]))
    return records


def _mkdocs_yml(project: Path, plugins: str) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text("utf-8")
    start = text.index("plugins:")
    config.write_text(text[:start] + plugins + text[text.index("  - specgen:", start) :], "utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return new_project(tmp_path)


def test_build_writes_the_index_inside_the_site_and_nothing_else(
    project: Path, tmp_path: Path
) -> None:
    before = _files(tmp_path)
    code, out = run_cli("build", cwd=project)
    assert code == 0, out
    site = project / "site"
    written = {f for f in _files(tmp_path) - before if not f.startswith("proj/site/")}
    assert written == set(), written  # Pagefind wrote inside the site only
    search = site / "search"
    assert (search / "pagefind.js").is_file() and (search / "pagefind-entry.json").is_file()
    assert list(search.glob("*.pf_meta")) and list((search / "index").glob("*.pf_index"))
    assert not (search / "search_index.json").exists()  # no lunr index of Material's
    assert not [name for name in UNUSED if (search / name).exists()]
    page = (site / "be_concise" / "index.html").read_text("utf-8")
    assert "assets/specgen-search.js" in page and "data-sg-search" in page
    assert 'form class="md-search__form" name="search"' not in page  # Material's own search
    urls = sorted(record["url"] for record in _fragments(site))
    assert urls == ["/be_concise/", "/no_harmful_instructions/", "/overview/"], urls


def test_each_section_example_and_eval_set_is_indexed_once(tmp_path: Path) -> None:
    code, out = run_cli("build", "-d", str(tmp_path / "site"), cwd=REPO)
    assert code == 0, out
    spec = load_spec(REPO / "spec", REPO / "mkdocs.yml")[0].spec
    records = _fragments(tmp_path / "site")
    urls = [record["url"] for record in records]
    expected = {f"/{s.id}/" for s in spec.walk()} | {f"/eval/{e.id}/" for e in spec.eval_sets}
    assert len(urls) == len(set(urls))
    assert set(urls) == expected | {"/"}  # the home page's introduction too
    assert not AGGREGATE_PAGES & set(urls)
    levels = spec.config.levels
    for record in records:
        text = record["content"]
        assert "¶" not in text, record["url"]
        assert not [level.name for level in levels if level.description in text], record["url"]
    by_url = {record["url"]: record for record in records}
    for section in spec.walk():
        record = by_url[f"/{section.id}/"]
        assert record["meta"]["title"] == section.title
        assert record["meta"]["sid"] == section.id
        anchors = {a["id"] for a in record["anchors"] if a["element"] == "figure"}
        assert anchors == {f"{section.id}--{example.id}" for example in section.examples}
        for example in section.examples:  # the caption, for the result's title
            assert f"ex.{section.id}--{example.id}" in record["meta"]
    for prompt_set in spec.eval_sets:
        record = by_url[f"/eval/{prompt_set.id}/"]
        anchors = [a for a in record["anchors"] if a["element"] == "figure"]
        assert len(anchors) == len(prompt_set.prompts)


def test_plain_mkdocs_build_makes_the_index(project: Path, tmp_path: Path) -> None:
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "plain"))
    mkdocs_build(config)
    assert (tmp_path / "plain" / "search" / "pagefind.js").is_file()
    assert len(_fragments(tmp_path / "plain")) == 3


def test_a_project_still_listing_materials_search_gets_one_index(project: Path) -> None:
    _mkdocs_yml(project, "plugins:\n  - search\n")
    code, out = run_cli("build", cwd=project)
    assert code == 0, out
    site = project / "site"
    assert (site / "search" / "pagefind.js").is_file()
    assert not (site / "search" / "search_index.json").exists()
    page = (site / "be_concise" / "index.html").read_text("utf-8")
    assert "data-sg-search" in page and page.count("assets/specgen-search.js") == 1


def test_search_enabled_false_turns_the_search_off(project: Path) -> None:
    _mkdocs_yml(project, "plugins:\n  - search:\n      enabled: false\n")
    code, out = run_cli("build", cwd=project)
    assert code == 0, out
    site = project / "site"
    assert not (site / "search").exists()
    page = (site / "be_concise" / "index.html").read_text("utf-8")
    assert "data-sg-search" not in page and "specgen-search.js" not in page


def _fake_pagefind(folder: Path, script: str) -> Path:
    path = folder / "fake-pagefind"
    path.write_text(f"#!/bin/sh\n{script}\n", "utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_a_failing_indexer_stops_the_build_with_one_clear_line(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run_cli("build", cwd=project)[0] == 0
    before = (project / "site" / "be_concise" / "index.html").read_bytes()
    fake = _fake_pagefind(tmp_path, "echo 'Error: the disk is full' >&2; exit 3")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))
    code, out = run_cli("build", cwd=project)
    assert code == 2, out
    assert (
        "specgen: the search index could not be built: Pagefind exited with status 3: "
        "Error: the disk is full"
    ) in out
    assert "Traceback" not in out
    # The build failed: the site it would have replaced is untouched.
    assert (project / "site" / "be_concise" / "index.html").read_bytes() == before


def test_a_missing_indexer_is_a_clear_error(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    code, out = run_cli("build", cwd=project)
    assert code == 2, out
    assert "specgen: the search index could not be built: Pagefind did not run:" in out
    assert "Traceback" not in out and not (project / "site").exists()


def test_pagefind_settings_from_outside_are_not_read(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pagefind reads PAGEFIND_* variables and a pagefind.yml in its working folder:
    neither may send its output (or read pages) anywhere else."""
    escape = tmp_path / "escaped"
    (project / "pagefind.yml").write_text(f"output_path: {escape}\n", "utf-8")
    monkeypatch.setenv("PAGEFIND_OUTPUT_PATH", str(escape))
    monkeypatch.setenv("PAGEFIND_OUTPUT_SUBDIR", "../escaped")
    code, out = run_cli("build", cwd=project)
    assert code == 0, out
    assert not escape.exists()
    assert (project / "site" / "search" / "pagefind.js").is_file()


def test_a_spec_without_sections_builds_without_search(tmp_path: Path) -> None:
    """Pagefind refuses to write an empty index: no search box then, and no failure."""
    (tmp_path / "spec").mkdir()
    code, out = run_cli("build", "spec", "--force", "-d", str(tmp_path / "out"), cwd=tmp_path)
    assert code == 0, out
    assert not (tmp_path / "out" / "search").exists()
    assert "data-sg-search" not in (tmp_path / "out" / "index.html").read_text("utf-8")


def _get(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            body: bytes = response.read()
            return body
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def test_serve_rebuilds_the_index(project: Path) -> None:
    """`specgen serve`: the index is there, and made again when the spec changes."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    server = subprocess.Popen(
        [sys.executable, "-m", "specgen", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    entry_url = f"http://127.0.0.1:{port}/search/pagefind-entry.json"

    def entry(unlike: bytes | None = None) -> bytes:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            body = _get(entry_url)
            if body and body != unlike:
                return body
            time.sleep(0.3)
        raise AssertionError(f"no new index at {entry_url}")

    try:
        first = entry()
        assert _get(f"http://127.0.0.1:{port}/search/pagefind.js")
        section = project / "spec" / "30-be-concise.md"
        section.write_text(section.read_text("utf-8") + "\nA zeppelin sentence.\n", "utf-8")
        second = entry(unlike=first)
        assert json.loads(second)["languages"] != json.loads(first)["languages"]
    finally:
        server.terminate()
        server.wait(timeout=10)
