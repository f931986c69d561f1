"""Fixtures shared by the tests and the browser tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.versions_helpers import build_all_versions, make_model_spec_repo, require_corpus

BROWSER_TESTS = Path(__file__).resolve().parent / "browser"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The browser tests run last. Playwright's sync API keeps an asyncio loop running
    in the main thread for as long as the session's browser lives, and inspect-ai (the
    eval tests) cannot start its own loop beside it: run after the browser started,
    they failed ("Cannot run the event loop while another loop is running")."""
    items[:] = sorted(items, key=lambda item: BROWSER_TESTS in item.path.parents)


@pytest.fixture(scope="session")
def model_spec_releases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The versioned site (`specgen build --all-versions`, site/ of the project) of a git
    repository holding the two OpenAI Model Spec releases, tagged 2025-10-27 and
    2025-12-18; built once per session, with --force (both have real lint errors).
    Returns the site folder."""
    require_corpus()
    scratch = tmp_path_factory.mktemp("model-spec-releases")
    repo = make_model_spec_repo(scratch / "repo", scratch)
    code, out = build_all_versions(repo)
    assert code == 1 and "not writing releases 2025-10-27, 2025-12-18" in out, out
    assert not (repo / "site").exists()
    code, out = build_all_versions(repo, "--force")
    assert code == 0, out
    assert "(written despite 6 lint errors)" in out
    return repo / "site"
