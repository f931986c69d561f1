"""A large site's search index comes in shards, one Pagefind run each, merged in the
browser (specgen.site.search_index.SHARD_BYTES): every page is found, whichever shard
holds it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from specgen.site import search_index
from tests.browser.helpers import new_context, watch
from tests.browser.test_search import search
from tests.cli_helpers import run_cli
from tests.nav_helpers import wide_spec


@pytest.fixture(scope="module")
def sharded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("shards")
    project = wide_spec(root / "p", top=20)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search_index, "SHARD_BYTES", 300_000)  # about 15 pages a shard
        code, out = run_cli("build", "-d", str(root / "site"), cwd=project)
    assert code == 0, out
    return root / "site"


def test_the_index_is_written_in_shards_inside_the_site(sharded: Path) -> None:
    shards = json.loads((sharded / "search" / "specgen-shards.json").read_text())
    assert len(shards) >= 3
    for shard in shards:
        assert (sharded / "search" / shard / "pagefind-entry.json").is_file()
    assert not (sharded / search_index.VIEWS_DIR).exists()


@pytest.mark.parametrize("title", ["Section 1", "Grouped 30", "Inner 9", "Section 20"])
def test_a_page_is_found_whichever_shard_holds_it(
    browser: Any, sharded: Path, serve: Callable[[Path], str], title: str
) -> None:
    context = new_context(browser)
    page = context.new_page()
    log = watch(page)
    try:
        results = search(page, serve(sharded), f'"{title}"')
        titles = [rows[0]["title"].strip() for rows in results]
        assert title in titles, titles
        assert not log.errors and not [m for m in log.console if m[0] == "error"], log
    finally:
        context.close()
