"""Hostile identifiers, file names and settings never run in a reader's browser.

Identifiers (section ids, eval prompt set names) become page addresses, anchors and
attributes; a file name becomes the site's title; mkdocs.yml's settings are printed by
Material. Each case below is a small spec built once with ``specgen build --force`` (its
identifiers are SG212 errors) and served over http; every HTML page of the site is
opened in chromium, which must see no dialog, no page error, no console message, no
request leaving the site, none of the traces FIND_TRACES looks for (event attributes,
canary elements, dangerous URLs) and no link whose URL is ``javascript:``, however
written (``javascript:alert(4)%2F%2F/`` is a relative href to a reader, a script to the
browser).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.browser.helpers import (
    FIND_TRACES,
    ONE_DIALOG,
    build_site,
    html_pages,
    new_context,
    settle,
    watch,
)
from tests.browser.xss_corpus import Corpus, q
from tests.cli_helpers import new_project, run_cli

# Every link of the page (not only the content area's) whose URL the browser would run:
# by its raw text (controls and spaces dropped, lower-cased) and as the browser resolves it.
JAVASCRIPT_LINKS = r"""() => {
  const found = [];
  for (const el of document.querySelectorAll("a[href], area[href]")) {
    const raw = el.getAttribute("href");
    let protocol = "";
    try { protocol = new URL(raw, document.baseURI).protocol; } catch (e) { protocol = ""; }
    const plain = raw.replace(/[\u0000-\u0020]/g, "").toLowerCase();
    if (plain.startsWith("javascript:") || protocol === "javascript:") {
      found.push(el.cloneNode(false).outerHTML.slice(0, 300));
    }
  }
  return found;
}"""

OPENAI_HEADER = "# Hostile spec {#hostile_root}\n\nA spec whose identifiers are hostile.\n\n"
EVAL_JS = "javascript:alert(5)%2F%2F"  # an eval prompt set's file name, without .md
SECTION_JS = "javascript:alert(4)%2F%2F"
IMG_FILE = "<img src=x onerror=alert(6)>.md"


@dataclass
class Site:
    folder: Path
    url: str
    corpus: Corpus | None = None  # the canary payloads in it, if any


def _problems(browser: Any, site: Site) -> list[str]:
    """Everything a hostile input did on any page of ``site``, one line each."""
    context = new_context(browser)
    context.add_init_script(ONE_DIALOG)
    page = context.new_page()
    log = watch(page)
    problems: list[str] = []
    try:
        for path in html_pages(site.folder):
            log.clear()
            where = "/" + path
            response = page.goto(site.url + quote(path), wait_until="load")
            if response is None or not response.ok:
                problems.append(f"{where}: HTTP {response.status if response else 'no response'}")
                continue
            settle(page)
            found = [f"dialog {d}" for d in log.dialogs]
            found += [f"page error {e}" for e in log.errors]
            found += [f"console.{kind} {text}" for kind, text in log.console]
            found += [f"request left the site: {r}" for r in log.requests if not _local(r, site)]
            found += page.evaluate(FIND_TRACES)
            found += [f"javascript: link {a}" for a in page.evaluate(JAVASCRIPT_LINKS)]
            problems += [f"{where}: {_field(trace, site.corpus)}" for trace in found]
    finally:
        context.close()
    return problems


def _local(request: str, site: Site) -> bool:
    return request.startswith((site.url, "data:", "blob:", "about:"))


def _field(trace: str, corpus: Corpus | None) -> str:
    """The trace, with the fields its canary numbers were put in."""
    numbers = {int(n) for n in re.findall(r"\b1\d{5}\b", trace)}
    fields = sorted({corpus.where[n][0] for n in numbers if n in corpus.where} if corpus else ())
    return trace[:400] + (f"  [from {', '.join(fields)}]" if fields else "")


def _assert_nothing_ran(browser: Any, site: Site, must_have: tuple[str, ...] = ()) -> None:
    pages = html_pages(site.folder)
    for path in ("", "all/", *must_have):
        assert path in pages, f"/{path} is not in the site: {pages}"
    problems = _problems(browser, site)
    assert not problems, "\n".join(problems[:40])


def _write_openai(folder: Path, sections: str, name: str = "model_spec.md") -> Path:
    """An OpenAI-dialect spec ``name`` in ``folder`` (with an examples/ folder)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "examples").mkdir(exist_ok=True)
    spec = folder / name
    spec.write_text(OPENAI_HEADER + sections, "utf-8")
    return spec


def _openai_build(folder: Path, spec: Path, serve: Callable[[Path], str]) -> Site:
    site = build_site(folder, folder / "out", str(spec), "--force")
    return Site(site, serve(site))


# -------------------------------------------------- a. OpenAI heading ids break out

HOSTILE_HEADINGS = (
    '## Greeting {#"><svg/onload=alert(1)> authority=root}\n\nSay hello.\n\n'
    '## Other {#x"autofocus="1"onfocus="alert(2)}\n\nNothing else.\n'
)


@pytest.fixture(scope="module")
def openai_ids(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write_openai(tmp_path_factory.mktemp("hostile-openai-ids"), HOSTILE_HEADINGS)


def test_openai_hostile_heading_ids_are_sg212_errors(openai_ids: Path) -> None:
    code, output = run_cli("lint", str(openai_ids), cwd=openai_ids.parent)
    assert code == 1, output
    found = [line for line in output.splitlines() if " SG212 [error] " in line]
    source = openai_ids.read_text("utf-8").splitlines()
    for title in ("## Greeting", "## Other"):
        number = next(n for n, line in enumerate(source, 1) if line.startswith(title))
        assert any(f"model_spec.md:{number}:" in line for line in found), (title, output)


def test_openai_hostile_heading_ids_run_nothing(
    browser: Any, openai_ids: Path, serve: Callable[[Path], str]
) -> None:
    """Material's table of contents on /all/ printed the ids raw into href="#..."."""
    _assert_nothing_ran(browser, _openai_build(openai_ids.parent, openai_ids, serve))


# ---------------------------------------------------- b. a native section id breaks out


@pytest.fixture(scope="module")
def native_id_site(tmp_path_factory: pytest.TempPathFactory, serve: Callable[[Path], str]) -> Site:
    project = new_project(tmp_path_factory.mktemp("hostile-native-id"))
    (project / "spec" / "40-hostile.md").write_text(
        "---\n"
        "id: '\"><svg/onload=alert(3)>'\n"
        "title: Hostile id\n"
        "authority: root\n"
        "examples:\n"
        "  - id: plain\n"
        "    caption: An example, so that the section's id is part of its anchor\n"
        "    conversation:\n"
        "      - role: user\n"
        "        content: Hello\n"
        "      - answers:\n"
        "          - quality: good\n"
        "            content: Hello.\n"
        "---\n"
        "A section whose id breaks out of an attribute.\n",
        "utf-8",
    )
    site = build_site(project, project / "out", "--force")
    return Site(site, serve(site))


def test_native_hostile_section_id_runs_nothing(browser: Any, native_id_site: Site) -> None:
    _assert_nothing_ran(browser, native_id_site, ("levels/", "examples/"))


# ---------------------------------------------------------- c. javascript: identifiers


@pytest.fixture(scope="module")
def openai_js_site(tmp_path_factory: pytest.TempPathFactory, serve: Callable[[Path], str]) -> Site:
    folder = tmp_path_factory.mktemp("hostile-openai-js")
    spec = _write_openai(
        folder,
        f"## Scheme {{#{SECTION_JS} authority=root}}\n\nEvaluated by [^{EVAL_JS}].\n",
    )
    (folder / "examples" / f"{EVAL_JS}.md").write_text(
        f"Examples for [^{EVAL_JS}] in Scheme:\n\n**Example**: a prompt\n\n"
        "~~~xml\n<user>\nHello\n</user>\n~~~\n",
        "utf-8",
    )
    return _openai_build(folder, spec, serve)


def test_openai_javascript_ids_make_no_javascript_links(browser: Any, openai_js_site: Site) -> None:
    """The home page's contents linked the section as href="javascript:alert(4)%2F%2F/",
    /eval/ the prompt set as href="javascript:alert(5)%2F%2F/"."""
    _assert_nothing_ran(browser, openai_js_site, ("eval/",))


@pytest.fixture(scope="module")
def native_js_site(tmp_path_factory: pytest.TempPathFactory, serve: Callable[[Path], str]) -> Site:
    project = new_project(tmp_path_factory.mktemp("hostile-native-js"))
    spec = project / "spec"
    (spec / "40-scheme.md").write_text(
        f"---\nid: {q(SECTION_JS)}\ntitle: Scheme\nauthority: root\n---\n"
        f"Evaluated by [^{EVAL_JS}].\n",
        "utf-8",
    )
    (spec / "eval-prompts").mkdir(exist_ok=True)
    (spec / "eval-prompts" / f"{EVAL_JS}.md").write_text(
        "---\ntitle: Scheme prompts\nprompts:\n  - caption: a prompt\n    conversation:\n"
        "      - role: user\n        content: Hello\n---\n",
        "utf-8",
    )
    site = build_site(project, project / "out", "--force")
    return Site(site, serve(site))


def test_native_javascript_ids_make_no_javascript_links(browser: Any, native_js_site: Site) -> None:
    _assert_nothing_ran(browser, native_js_site, ("eval/",))


# ------------------------------------------------------ d. a site named after its file


@pytest.fixture(scope="module")
def img_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile-file-name")
    return _write_openai(
        folder, "## Greeting {#greeting authority=root}\n\nSay hello.\n", name=IMG_FILE
    )


def test_site_named_after_a_hostile_file_runs_nothing(
    browser: Any, img_file: Path, serve: Callable[[Path], str]
) -> None:
    _assert_nothing_ran(browser, _openai_build(img_file.parent, img_file, serve))


@pytest.fixture(scope="module")
def imported(img_file: Path) -> Path:
    project = img_file.parent / "imported"
    code, output = run_cli("import", img_file.name, "-o", str(project), cwd=img_file.parent)
    assert code == 0, output
    return project


def test_import_of_a_hostile_file_writes_a_plain_site_name(imported: Path) -> None:
    config = (imported / "mkdocs.yml").read_text("utf-8")
    names = [line for line in config.splitlines() if line.startswith("site_name:")]
    assert len(names) == 1, config
    assert "<" not in names[0] and ">" not in names[0], names[0]


def test_imported_hostile_file_name_project_runs_nothing(
    browser: Any, imported: Path, serve: Callable[[Path], str]
) -> None:
    site = build_site(imported, imported / "out", "--force")
    _assert_nothing_ran(browser, Site(site, serve(site)))


# -------------------------------------------------------- e. mkdocs.yml's settings

# The payloads (lines of xss_payloads.txt, by how they start) put together in each
# setting: markup, attribute break-outs both quotes, RCDATA break-outs, self-firing
# handlers, a javascript: link and a page-wide <base>.
NASTIEST = (
    "<script id=",
    "<img src=x id=",
    '" onmouseover=',
    "' onmouseover=",
    '"><svg id=',
    "</title><script",
    "</textarea><script",
    "<details open",
    "<input autofocus",
    "<a id=xss-canary-@ID@ href=javascript:",
    "<base href=",
)


def _nasty(corpus: Corpus, field: str, before: str = "") -> str:
    """The NASTIEST payloads, one line, as placed in ``field``: a YAML scalar."""
    picked = [
        next(p for p, text in enumerate(corpus.payloads) if text.startswith(s)) for s in NASTIEST
    ]
    return q(" ".join([before, *(corpus.put(field, p).replace("\n", " ") for p in picked)]).strip())


@pytest.fixture(scope="module")
def settings_site(tmp_path_factory: pytest.TempPathFactory, serve: Callable[[Path], str]) -> Site:
    corpus = Corpus()
    project = new_project(tmp_path_factory.mktemp("hostile-settings"))
    levels = "".join(
        f"        - id: {level}\n"
        f"          name: {_nasty(corpus, f'level {level} name', level.title())}\n"
        f"          description: {_nasty(corpus, f'level {level} description')}\n"
        for level in ("root", "developer", "user")
    )
    (project / "mkdocs.yml").write_text(
        f"site_name: {_nasty(corpus, 'site_name', 'Spec')}\n"
        f"site_description: {_nasty(corpus, 'site_description')}\n"
        f"copyright: {_nasty(corpus, 'copyright', '&copy; 2026')}\n"
        "docs_dir: spec\n"
        "theme:\n  name: material\n  font: false\n"
        "  features: [navigation.indexes, navigation.sections]\n"
        "plugins:\n  - specgen:\n      spec_dir: spec\n"
        f"      title: {_nasty(corpus, 'specgen title', 'Spec')}\n"
        f"      subtitle: {_nasty(corpus, 'specgen subtitle')}\n"
        f"      levels:\n{levels}",
        "utf-8",
    )
    site = build_site(project, project / "out", "--force")
    return Site(site, serve(site), corpus)


def test_hostile_mkdocs_settings_run_nothing(browser: Any, settings_site: Site) -> None:
    _assert_nothing_ran(browser, settings_site, ("levels/",))


# ------------------------------------------- the diff page of hostile ids, both directions


@pytest.fixture(scope="module")
def diff_pages(tmp_path_factory: pytest.TempPathFactory, serve: Callable[[Path], str]) -> Site:
    """`specgen diff` of a harmless spec and one with every hostile heading id above,
    as HTML pages, each way round (ids added, then removed)."""
    root = tmp_path_factory.mktemp("hostile-diff")
    plain = _write_openai(root / "plain", "## Greeting {#greeting authority=root}\n\nHi.\n")
    hostile = _write_openai(
        root / "hostile",
        HOSTILE_HEADINGS + f"\n## JS {{#{SECTION_JS} authority=root}}\n\nMore.\n",
    )
    pages = root / "pages"
    pages.mkdir()
    for name, old, new in (("added", plain, hostile), ("removed", hostile, plain)):
        code, output = run_cli("diff", str(old), str(new), "-o", str(pages / f"{name}.html"))
        assert code == 0, output
    return Site(pages, serve(pages))


def test_diff_pages_of_hostile_ids_run_nothing(browser: Any, diff_pages: Site) -> None:
    assert sorted(html_pages(diff_pages.folder)) == ["added.html", "removed.html"]
    problems = _problems(browser, diff_pages)
    assert not problems, "\n".join(problems[:40])
