"""Hostile input: no write outside the site, never a user's file deleted, no traceback.

Each numbered case of the hostile-input issue that is not about the browser (those are
in tests/browser/test_hostile_browser.py) or symlinks (tests/test_hostile_symlinks.py)
is a test here: every one failed before the fix. A spec is built in a temporary root
with a sibling folder watched for writes, and the project's own files are compared
before and after, byte for byte.
"""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from specgen.identifiers import safe_slug
from tests.cli_helpers import new_project, run_cli
from tests.git_helpers import git

SPECGEN = [str(Path(sys.executable).parent / "specgen")]  # the installed console script


def snapshot(root: Path, skip: str = "site") -> dict[str, str]:
    """Every file under ``root`` (but the site) by relative path -> sha256 of its bytes."""
    files = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if rel == skip or rel.startswith(f"{skip}/") or path.is_dir():
            continue
        files[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return files


def openai_spec(path: Path, headings: list[str]) -> Path:
    """A small OpenAI-dialect spec with the given section headings."""
    body = "\n\n".join(f"{h}\n\nPolicy text for this section." for h in headings)
    path.write_text(f"# Spec\n\n{body}\n", "utf-8")
    (path.parent / "examples").mkdir(exist_ok=True)
    return path


def add_specgen_setting(proj: Path, yaml: str) -> None:
    """Append ``yaml`` (unindented) to the specgen plugin's settings, which end the
    scaffolded mkdocs.yml."""
    with (proj / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("".join(f"      {line}\n" for line in yaml.splitlines()))


def section_file(section_id: str, extra: str = "") -> str:
    return f"---\nid: {section_id}\ntitle: Hostile\nauthority: user\n{extra}---\nText.\n"


# -- 4. a heading id that is an absolute path ------------------------------------------


def test_heading_id_with_an_absolute_path_writes_nothing_outside(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    spec = openai_spec(tmp_path / "model_spec.md", [f"## Greeting {{#{victim} authority=root}}"])
    code, out = run_cli("lint", str(spec), cwd=tmp_path)
    assert code == 1 and "SG212" in out, out
    code, out = run_cli("build", str(spec), "-d", str(tmp_path / "out"), "--force", cwd=tmp_path)
    assert code == 0, out
    assert not victim.exists()
    assert (tmp_path / "out" / safe_slug(str(victim)) / "index.html").is_file()


# -- 5. former ids that climb out of the site, plain and versioned ---------------------


def _hostile_former_ids(proj: Path, target: Path) -> None:
    former = f"former_ids: ['../../../../{target.name}', '{target}/abs']\n"
    (proj / "spec" / "30-be-concise.md").write_text(section_file("be_concise", former), "utf-8")


def test_former_ids_never_write_outside_the_site(tmp_path: Path) -> None:
    proj = new_project(tmp_path)
    target = tmp_path / "escaped"
    _hostile_former_ids(proj, target)
    code, out = run_cli("lint", cwd=proj)
    assert code == 1 and out.count("SG212") == 2, out
    code, out = run_cli("build", "--force", cwd=proj)
    assert code == 0, out
    assert not target.exists() and not (tmp_path / "escaped").exists()
    assert list(tmp_path.iterdir()) == [proj]
    # The redirects still exist, at safe names inside the site.
    for former in (f"../../../../{target.name}", f"{target}/abs"):
        assert (proj / "site" / safe_slug(former) / "index.html").is_file()


def test_versioned_build_keeps_former_ids_inside_the_site(tmp_path: Path) -> None:
    proj = new_project(tmp_path)
    target = tmp_path / "escaped"
    _hostile_former_ids(proj, target)
    add_specgen_setting(proj, "versions:\n  tags: '^v'")
    git(proj, "init", "-q")
    git(proj, "add", "-A")
    git(proj, "commit", "-qm", "v1")
    git(proj, "tag", "v1")
    code, out = run_cli("build", "--all-versions", cwd=proj)
    assert code == 1 and "SG212" in out and not (proj / "site").exists(), out
    code, out = run_cli("build", "--all-versions", "--force", cwd=proj)  # built past SG212
    assert code == 0, out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["proj"]
    assert (proj / "site" / "v1" / safe_slug(f"{target}/abs") / "index.html").is_file()


# -- 6. the output folder may not be the project, the spec, a parent, / or home ---------


@pytest.mark.parametrize("site_dir", [".", "spec", "..", "/", "HOME", "spec/site", "notes"])
def test_build_refuses_folders_it_must_not_replace(
    tmp_path: Path, site_dir: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    proj = new_project(tmp_path)
    (proj / "notes").mkdir()
    (proj / "notes" / "todo.txt").write_text("mine", "utf-8")
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    before = snapshot(tmp_path)
    code, out = run_cli("build", "-d", str(home) if site_dir == "HOME" else site_dir, cwd=proj)
    assert code == 2, out
    assert "refusing to build into" in out and "internal error" not in out, out
    assert snapshot(tmp_path) == before


def test_build_replaces_its_own_site_and_an_empty_folder(tmp_path: Path) -> None:
    proj = new_project(tmp_path)
    (proj / "empty").mkdir()
    for site_dir in ("site", "site", "empty"):
        code, out = run_cli("build", "-d", site_dir, cwd=proj)
        assert code == 0, out
    assert (proj / "empty" / ".specgen-site").is_file()
    assert (proj / "site" / "index.html").is_file()


# -- 7. a release version or path that names a folder outside -------------------------


@pytest.mark.parametrize(
    "release",
    [
        '{version: "..", path: spec}',
        '{version: "/tmp", path: spec}',
        '{version: "v1", path: ../elsewhere}',
        '{version: "v1", path: /etc}',
    ],
)
def test_versioned_build_refuses_unsafe_releases(tmp_path: Path, release: str) -> None:
    proj = new_project(tmp_path)
    add_specgen_setting(proj, f"versions:\n  releases:\n    - {release}")
    before = snapshot(tmp_path)
    code, out = run_cli("lint", cwd=proj)
    assert code == 1 and "SG212" in out, out
    code, out = run_cli("build", "--all-versions", cwd=proj)
    assert code in (1, 2) and "SG212" in out and "internal error" not in out, out
    assert snapshot(tmp_path) == before


def test_versioned_build_refuses_a_tag_that_is_not_a_safe_version(tmp_path: Path) -> None:
    proj = new_project(tmp_path)
    add_specgen_setting(proj, "versions:\n  tags: '^v'")
    git(proj, "init", "-q")
    git(proj, "add", "-A")
    git(proj, "commit", "-qm", "v1")
    git(proj, "tag", "v1<img>")
    code, out = run_cli("build", "--all-versions", cwd=proj)
    assert code == 2 and "release tag 'v1<img>'" in out, out
    assert not (proj / "site").exists()


# -- 10. internal errors that are now located messages ----------------------------------


@pytest.mark.parametrize("section_id", ['"a\\0b"', "x" * 300, "'.'", "'..'", "'con:'"])
def test_unsafe_section_ids_lint_as_errors_and_force_builds(
    tmp_path: Path, section_id: str
) -> None:
    proj = new_project(tmp_path)
    (proj / "spec" / "30-be-concise.md").write_text(section_file(section_id), "utf-8")
    code, out = run_cli("lint", cwd=proj)
    assert code == 1 and "SG212" in out, out
    code, out = run_cli("build", cwd=proj)
    assert code == 1 and "not building" in out, out
    code, out = run_cli("build", "--force", cwd=proj)
    assert code == 0 and "internal error" not in out, out
    names = {p.name for p in (proj / "site").iterdir()}
    assert {".", ".."}.isdisjoint(names) and all(len(n) < 100 for n in names)


def test_an_error_in_a_custom_dir_template_is_a_located_message(tmp_path: Path) -> None:
    proj = new_project(tmp_path)
    (proj / "overrides").mkdir()
    (proj / "overrides" / "main.html").write_text(
        '{% extends "base.html" %}\n{% block content %}{% if %}{% endblock %}\n', "utf-8"
    )
    config = (proj / "mkdocs.yml").read_text("utf-8")
    (proj / "mkdocs.yml").write_text(
        config.replace("  name: material\n", "  name: material\n  custom_dir: overrides\n"), "utf-8"
    )
    code, out = run_cli("build", cwd=proj)
    assert code == 2, out
    assert "main.html:2: template error" in out and "internal error" not in out, out


def test_a_javascript_repo_url_is_refused(tmp_path: Path) -> None:
    proj = new_project(tmp_path)
    with (proj / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("repo_url: javascript://example.com/%0aalert(1)\n")
    code, out = run_cli("build", cwd=proj)
    assert code == 2 and "repo_url must be an http(s) address" in out, out


# -- 3. a site name from a file name ----------------------------------------------------


def test_import_names_the_site_without_markup(tmp_path: Path) -> None:
    spec = openai_spec(tmp_path / "<img src=x onerror=alert(6)>.md", ["## A {#a authority=root}"])
    # Forced past its SG014 (the "# Spec" heading has no id): the name must be safe anyway.
    code, out = run_cli("import", str(spec), "-o", str(tmp_path / "proj"), "--force", cwd=tmp_path)
    assert code == 0, out
    config = (tmp_path / "proj" / "mkdocs.yml").read_text("utf-8")
    assert "site_name: Img Src X Onerror Alert(6)" in config
    assert "<" not in config


# -- 12. interrupted and concurrent builds ----------------------------------------------


def _build_process(proj: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [*SPECGEN, "build"], cwd=proj, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def _staging(proj: Path) -> list[Path]:
    return [p for p in proj.iterdir() if p.name.startswith(".site.specgen-")]


def _wait_for_staging(proj: Path, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while not _staging(proj):
        assert process.poll() is None, "the build ended before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.005)


def test_sigterm_during_a_build_leaves_no_staging_folder(tmp_path: Path) -> None:
    proj = new_project(tmp_path)
    assert run_cli("build", cwd=proj)[0] == 0
    before = snapshot(proj / "site", skip="")
    process = _build_process(proj)
    _wait_for_staging(proj, process)
    process.send_signal(signal.SIGTERM)
    assert process.wait(60) == 128 + signal.SIGTERM
    assert _staging(proj) == []
    assert snapshot(proj / "site", skip="") == before  # the old site, untouched


def test_the_next_build_clears_what_a_killed_one_left(tmp_path: Path) -> None:
    proj = new_project(tmp_path)
    process = _build_process(proj)
    _wait_for_staging(proj, process)
    process.kill()
    process.wait(60)
    assert _staging(proj), "SIGKILL cannot be cleaned up after: the staging folder stays"
    code, out = run_cli("build", cwd=proj)
    assert code == 0, out
    assert _staging(proj) == []


def test_the_site_exists_at_every_moment_and_concurrent_builds_all_succeed(
    tmp_path: Path,
) -> None:
    proj = new_project(tmp_path)
    assert run_cli("build", cwd=proj)[0] == 0
    index = proj / "site" / "index.html"
    missing: list[float] = []
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            if not index.is_file():
                missing.append(time.monotonic())

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        builds = [_build_process(proj) for _ in range(3)]  # all at once, into one site
        results = [(b.wait(120), b.stderr.read().decode() if b.stderr else "") for b in builds]
    finally:
        done.set()
        watcher.join()
    assert [code for code, _ in results] == [0, 0, 0], results
    assert missing == [], f"site/index.html was missing {len(missing)} times"
    assert _staging(proj) == []


# -- no command replaces a file it did not make -----------------------------------------


def test_lint_output_never_replaces_a_linted_file(tmp_path: Path) -> None:
    proj = new_project(tmp_path)
    before = snapshot(proj)
    code, out = run_cli("lint", "-o", "spec/10-overview.md", cwd=proj)
    assert code == 2 and "refusing to replace it" in out, out
    assert snapshot(proj) == before


def test_export_never_replaces_its_own_source(tmp_path: Path) -> None:
    spec = openai_spec(tmp_path / "model_spec.md", ["## A {#a authority=root}\n\nSee [^k7q2]."])
    (tmp_path / "examples" / "k7q2.md").write_text(
        "Examples for [^k7q2] in A:\n\n**Example**: hi\n\n~~~xml\n<user>\nHi\n</user>\n~~~\n",
        "utf-8",
    )
    before = snapshot(tmp_path)
    for output in ("model_spec.md", "copy/../model_spec.md"):
        # Even forced past its lint errors (SG014: "# Spec" has no id).
        code, out = run_cli("export", str(spec), "-o", output, "--force", cwd=tmp_path)
        assert code == 1 and "it is a file of the spec read" in out, out
    assert snapshot(tmp_path) == before


WATCH = """
import os, sys, time
path, stop = sys.argv[1], sys.argv[2]
misses = checks = 0
while not os.path.exists(stop):
    checks += 1
    if not os.path.isfile(path):
        misses += 1
print(misses, checks)
"""


def test_the_swap_never_leaves_the_site_missing(tmp_path: Path) -> None:
    """Hundreds of swaps while another process looks for the site's index as fast as
    it can: the swap is one atomic exchange, so it is never missing."""
    from specgen.site.output_folder import new_staging, swap_in

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("0", "utf-8")
    stop = tmp_path / "stop"
    watcher = subprocess.Popen(
        [sys.executable, "-c", WATCH, str(site / "index.html"), str(stop)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        for n in range(400):
            staging = new_staging(site)
            (staging / "index.html").write_text(str(n), "utf-8")
            swap_in(staging, site)
    finally:
        stop.touch()
        out, _ = watcher.communicate(timeout=60)
    misses, checks = map(int, out.split())
    assert checks > 1000, "the watcher did not get to look"
    assert misses == 0, f"site/index.html was missing {misses} times in {checks} looks"
    assert (site / "index.html").read_text("utf-8") == "399"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "stop"]


# -- names the site uses itself: no page lost, no build stopped ---------------------------


def test_sections_named_like_the_sites_own_files_each_get_a_page(tmp_path: Path) -> None:
    proj = new_project(tmp_path)
    ids = ["index", "assets", "assets_", "Search", "sitemap.xml", "404.html"]
    for n, section_id in enumerate(ids):
        text = section_file(section_id).replace("Text.", f"Body of section {n}.")
        (proj / "spec" / f"{40 + n}-s{n}.md").write_text(text, "utf-8")
    (proj / "spec" / "eval-prompts").mkdir()
    (proj / "spec" / "eval-prompts" / "index.md").write_text(
        "---\ntitle: Index prompts\nprompts:\n  - id: p\n    caption: Prompt set body\n"
        "    conversation:\n      - role: user\n        content: Hi\n---\n",
        "utf-8",
    )
    code, out = run_cli("build", "--force", cwd=proj)
    assert code == 0, out
    site = proj / "site"
    pages = {p.parent.relative_to(site).as_posix(): p for p in site.rglob("index.html")}
    for n in range(len(ids)):  # each body on a page of its own
        holders = [k for k, p in pages.items() if f"Body of section {n}." in p.read_text("utf-8")]
        assert [h for h in holders if h not in (".", "all")], (n, holders)
    assert "Prompt set body" in (site / "eval" / "index_" / "index.html").read_text("utf-8")
    assert (site / "sitemap.xml").is_file() and (site / "404.html").is_file()


def test_a_section_page_that_would_replace_a_copied_file_is_a_clear_error(
    tmp_path: Path,
) -> None:
    proj = new_project(tmp_path)
    (proj / "spec" / "logo.png").write_bytes(b"\x89PNG\r\n")
    (proj / "spec" / "40-logo.md").write_text(section_file("logo.png"), "utf-8")
    code, out = run_cli("build", cwd=proj)
    assert code == 2 and "needs the folder logo.png/" in out and "rename one" in out, out


def test_a_build_waits_while_another_holds_the_site(tmp_path: Path) -> None:
    """Builds into one folder take turns: with the lock held (as a running build holds
    it), a second build does not start writing until it is released."""
    from specgen.site.output_folder import locked

    proj = new_project(tmp_path)
    assert run_cli("build", cwd=proj)[0] == 0
    with locked(proj / "site"):
        process = _build_process(proj)
        time.sleep(4)  # far longer than the build takes alone (~1.5 s)
        assert process.poll() is None, "the build ran while another held the site"
        assert _staging(proj) == []
    assert process.wait(60) == 0
    assert _staging(proj) == []
