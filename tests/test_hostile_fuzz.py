"""Hostile identifiers, file names and settings, generated: lint and a forced build stay
inside their folder and publish no markup, handler or script URL.

Strings drawn from a hostile alphabet (quotes, angle brackets, slashes and backslashes,
``..`` and paths to a watched folder, NUL and other controls, ``javascript:`` and
``data:`` schemes, ``%2F``, bidi controls, names the site uses for itself, canary markup
``<b id=xss-canary-N>`` and ``data-xss=1``, strings up to 400 characters) go into every
identifier of a native spec (section id, former ids, example id, tags, an eval prompt
set's file name, a level id) and into mkdocs.yml's level name and site_name; and into an
OpenAI spec's heading id, its eval prompt file's name and its own file name. For each,
``specgen lint`` and ``specgen build --force`` run in-process (CliRunner) with the
project as the current folder, and:

- exit with 0, 1 or 2, never with an exception or an "internal error";
- leave every file outside the output folder as it was (the project's own files, and a
  watched folder beside the project that ``../`` in an id could reach), adding none;
- write HTML in which html.parser finds no canary element or ``data-xss`` attribute, no
  ``on*`` attribute (a harmless site has none: Material adds none of its own) and no
  ``javascript:``, ``vbscript:`` or ``data:`` URL other than an image.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, Phase, assume, example, given, settings
from hypothesis import strategies as st

from specgen.cli import cli

WATCHED = "@WATCHED@"  # becomes the watched folder's absolute path

# fmt: off
PIECES = (
    # markup, quotes and attribute break-outs
    '"', "'", "`", "<", ">", "&", "=", "&lt;", "&#34;", "</script>", "</title>", "<!--",
    "<img src=x onerror=alert(1)>", "<svg/onload=alert(1)>", '" onmouseover=alert(1) x="',
    # the canaries: markup or an attribute that must never reach a page as such
    "<b id=xss-canary-1>", "<xss-canary-2>", '"><b id=xss-canary-3 data-xss=1>',
    "' data-xss=1 x='", '" data-xss=1 x="', " data-xss=1 ", "data-xss=1",
    # paths: separators, traversal, the folders beside the output
    "/", "\\", ".", "..", "../", "..\\", "./", "../../", "../watched/", "../../watched/x",
    "../spec/", WATCHED + "/", "~", "C:\\", "%2F", "%2f", "%2e%2e%2F", "%00", "%", "#", "?", ":",
    # schemes
    "javascript:", "JaVaScRiPt:", " javascript:", "java\tscript:", "vbscript:",
    "data:text/html,", "data:image/svg+xml,", "alert(1)//",
    # controls, line breaks, bidi and invisible characters
    "\x00", "\x01", "\x07", "\x1b", "\x1f", "\x7f", "\t", "\n", "\r", " ", "\x85",
    "\u2028", "\u202e", "\u202a", "\u2066", "\u2069", "\u200f", "\u200b", "\ufeff",
    # template and Markdown syntax
    "{{ 7*7 }}", "{%", "}", "{", "[", "]", "*", "|", ",", "-",
    # names the site uses for its own pages and files
    "index", "index.html", "404", "404.html", "assets", "search", "all", "eval", "levels",
    "examples", "changes", "specgen", "sitemap.xml", ".specgen-site",
    # ordinary identifier characters
    "a", "Z", "_", "0", "é", "ß", "Ω", "日本",
)
# fmt: on
_piece = st.sampled_from(PIECES) | st.text(min_size=1, max_size=3)
_plain = st.from_regex(r"[a-z][a-z0-9_]{0,12}", fullmatch=True)
HOSTILE = st.one_of(
    _plain,  # some fields stay ordinary, so the others are tried in a site that builds
    st.lists(_piece, min_size=1, max_size=8).map("".join),
    # long: a piece repeated up to 400 characters
    st.builds(lambda piece, n: (piece * 400)[:n], _piece, st.integers(60, 400)),
)
# A file name: no NUL, no "/" (the file system holds no such name).
FILE_NAME = HOSTILE.map(lambda s: s.replace("\x00", "").replace("/", "")).filter(bool)

# About 0.65 s an example (a lint and a build, in-process): the two tests take about 30 s.
SETTINGS = settings(
    deadline=None,
    # Derandomized: the examples come from a seed fixed by the test's code, so CI tries
    # the same inputs on every run and a failure there reproduces locally, rather than a
    # random new input failing one run in twenty. (database=None: nothing replayed from a
    # local .hypothesis folder either, so every machine runs the same examples.)
    derandomize=True,
    database=None,
    # No shrinking: each step is a build, and shrinking one failure took over five
    # minutes. A failure is reported as generated; add Phase.shrink to minimise it.
    phases=(Phase.explicit, Phase.generate),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
URL_ATTRIBUTES = {"href", "src", "xlink:href", "action", "formaction", "data", "poster"}


def q(text: str) -> str:
    """A YAML double-quoted scalar for any text: printable ASCII as is, everything else
    escaped (``\\uXXXX``, or ``\\UXXXXXXXX`` above U+FFFF: a JSON-style surrogate pair
    would be read as two lone surrogates), so no character YAML forbids is written raw."""
    escaped = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            escaped.append("\\" + char)
        elif 0x20 <= code < 0x7F:
            escaped.append(char)
        else:
            escaped.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
    return '"' + "".join(escaped) + '"'


def _invoke(cwd: Path, *args: str) -> Result:
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(cli, list(args))
    finally:
        os.chdir(old)


def _check_run(result: Result, what: str) -> None:
    output = result.output
    exception = result.exception
    assert exception is None or isinstance(exception, SystemExit), (what, repr(exception), output)
    assert result.exit_code in (0, 1, 2), (what, result.exit_code, output)
    assert "Traceback" not in output and "internal error" not in output, (what, output)


def _snapshot(folder: Path, skip: Path) -> dict[str, bytes | str | None]:
    """Every path under ``folder`` but ``skip``: file bytes, a link's target, None for
    a folder."""
    found: dict[str, bytes | str | None] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        here = Path(dirpath)
        dirnames[:] = [d for d in dirnames if here / d != skip]
        for name in dirnames:
            path = here / name
            found[str(path)] = os.readlink(path) if path.is_symlink() else None
        for name in filenames:
            path = here / name
            found[str(path)] = os.readlink(path) if path.is_symlink() else path.read_bytes()
    return found


class _Scan(HTMLParser):
    """What of a page's markup no spec text may have made."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        shown = self.get_starttag_text() or tag
        if "xss-canary" in tag:
            self.found.append(f"canary element {shown}")
        for name, value in attrs:
            value = value or ""
            if name == "data-xss" or name.startswith("on"):
                self.found.append(f"attribute {name} in {shown}")
            # Exactly the payload's id: an unsafe id's safe slug keeps its readable
            # text ("xss-canary-2-...-<hash>") as a harmless attribute value.
            elif name == "id" and re.fullmatch(r"xss-canary-\d+", value):
                self.found.append(f"canary id in {shown}")
            elif name in URL_ATTRIBUTES:
                url = re.sub(r"[\x00-\x20]", "", value).lower()
                image = url.startswith("data:image/") and not url.startswith("data:image/svg")
                if url.startswith(("javascript:", "vbscript:")) or (
                    url.startswith("data:") and not image
                ):
                    self.found.append(f"{name} URL in {shown}")

    handle_startendtag = handle_starttag


def _scan_site(site: Path) -> list[str]:
    found = []
    for page in sorted(site.rglob("*.html")):
        scan = _Scan()
        scan.feed(page.read_text("utf-8", errors="replace"))
        scan.close()
        found += [f"{page.relative_to(site)}: {item[:300]}" for item in scan.found]
    return found


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile-fuzz")


@contextlib.contextmanager
def _example_folder(scratch: Path) -> Iterator[Path]:
    """A fresh folder for one example: the project (and the current folder) will be
    ``root/``, the site ``root/out/``; ``watched/`` beside ``root/`` holds a few files
    that ``../../watched/x`` or its absolute path (WATCHED) in an id could reach."""
    with tempfile.TemporaryDirectory(dir=scratch) as name:
        folder = Path(name)
        watched = folder / "watched"
        (watched / "x").mkdir(parents=True)
        (watched / "keep.txt").write_text("kept\n", "utf-8")
        (watched / "x" / "index.html").write_text("<p>kept</p>\n", "utf-8")
        yield folder


def _placed(value: str, folder: Path) -> str:
    return value.replace(WATCHED, str(folder / "watched"))


def _lint_and_build(folder: Path, root: Path, *spec: str) -> None:
    """Lint, then build with --force into root/out; checks everything but the pages."""
    out = root / "out"
    before = _snapshot(folder, out)
    _check_run(_invoke(root, "lint", *spec), "lint")
    result = _invoke(root, "build", *spec, "--force", "-d", str(out))
    _check_run(result, "build")
    after = _snapshot(folder, out)
    changed = sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
    assert not changed, ("written outside the output folder", changed[:10], result.output)
    if result.exit_code == 0:
        assert (out / "index.html").is_file(), result.output
        found = _scan_site(out)
        assert not found, "\n".join(found[:20])


def _native_project(
    root: Path,
    *,
    section_id: str,
    former_ids: list[str],
    example_id: str,
    tags: list[str],
    eval_name: str,
    level_id: str,
    level_name: str,
    site_name: str,
) -> None:
    spec = root / "spec"
    (spec / "eval-prompts").mkdir(parents=True)
    (root / "mkdocs.yml").write_text(
        f"site_name: {q(site_name)}\n"
        "docs_dir: spec\n"
        "theme:\n  name: material\n  font: false\n"
        "  features: [navigation.indexes, navigation.sections]\n"
        "plugins:\n  - search\n  - specgen:\n      spec_dir: spec\n"
        "      levels:\n"
        f"        - id: {q(level_id)}\n          name: {q(level_name)}\n"
        f"          description: {q(level_name)}\n"
        "        - id: user\n          name: User\n",
        "utf-8",
    )
    (spec / "10-hostile.md").write_text(
        f"---\nid: {q(section_id)}\ntitle: Hostile\nauthority: {q(level_id)}\n"
        f"tags: [{', '.join(map(q, tags))}]\nformer_ids: [{', '.join(map(q, former_ids))}]\n"
        f"examples:\n  - id: {q(example_id)}\n    caption: An example\n"
        "    conversation:\n      - role: user\n        content: Hello\n"
        "      - answers:\n          - quality: good\n            content: Hello.\n"
        f"---\nEvaluated by [^{eval_name}].\n\n::example{{#{example_id}}}\n",
        "utf-8",
    )
    (spec / "20-other.md").write_text(
        "---\nid: other\ntitle: Other\nauthority: user\n"
        "examples:\n  - id: other-example\n    caption: Another\n"
        "    conversation:\n      - role: user\n        content: Hi\n"
        "      - answers:\n          - quality: bad\n            content: No.\n"
        f"            violates: {q(section_id)}\n"
        f"---\nSee [?](#{section_id}) and [before]"
        f"(#{former_ids[0] if former_ids else section_id}).\n",
        "utf-8",
    )
    try:
        (spec / "eval-prompts" / f"{eval_name}.md").write_text(
            "---\ntitle: Prompts\nprompts:\n  - caption: a prompt\n    conversation:\n"
            "      - role: user\n        content: Hello\n---\n",
            "utf-8",
        )
    except OSError:  # a name the file system refuses (too long, say)
        assume(False)


@settings(SETTINGS, max_examples=30)
@given(
    section_id=HOSTILE,
    former_ids=st.lists(HOSTILE, max_size=2),
    example_id=HOSTILE,
    tags=st.lists(HOSTILE, max_size=2),
    eval_name=FILE_NAME,
    level_id=HOSTILE,
    level_name=HOSTILE,
    site_name=HOSTILE,
)
# A bug found by this test: a lone surrogate escaped in mkdocs.yml. Lint reports SG101
# (invalid YAML), but MkDocs' own YAML reader accepts it and `build --force` stops with
# "internal error: UnicodeEncodeError" when it writes the first page.
@example(
    section_id="hostile",
    former_ids=[],
    example_id="x",
    tags=[],
    eval_name="evals",
    level_id="root",
    level_name="Root",
    site_name="\ud800",
)
def test_hostile_native_identifiers(
    scratch: Path,
    section_id: str,
    former_ids: list[str],
    example_id: str,
    tags: list[str],
    eval_name: str,
    level_id: str,
    level_name: str,
    site_name: str,
) -> None:
    with _example_folder(scratch) as folder:
        root = folder / "root"

        def put(value: str) -> str:
            return _placed(value, folder)

        _native_project(
            root,
            section_id=put(section_id),
            former_ids=[put(f) for f in former_ids],
            example_id=put(example_id),
            tags=[put(t) for t in tags],
            eval_name=eval_name,
            level_id=put(level_id),
            level_name=put(level_name),
            site_name=put(site_name),
        )
        _lint_and_build(folder, root)


@settings(SETTINGS, max_examples=20)
@given(heading_id=HOSTILE, eval_name=FILE_NAME, file_name=FILE_NAME)
def test_hostile_openai_identifiers(
    scratch: Path, heading_id: str, eval_name: str, file_name: str
) -> None:
    with _example_folder(scratch) as folder:
        root = folder / "root"
        (root / "examples").mkdir(parents=True)
        heading_id = _placed(heading_id, folder)
        text = (
            "# Root {#hostile_root}\n\n"
            f"## Hostile {{#{heading_id} authority=root}}\n\n"
            f"Evaluated by [^{eval_name}]; see [?](#{heading_id}).\n\n"
            "**Example**: a greeting\n\n~~~xml\n<user>\nHello\n</user>\n<comparison>\n"
            f"<assistant> <!-- BAD[#{heading_id}]: rude -->\nGo away.\n</assistant>\n"
            "</comparison>\n~~~\n"
        )
        try:
            spec = root / f"{file_name}.md"
            spec.write_text(text, "utf-8")
            (root / "examples" / f"{eval_name}.md").write_text(
                f"Examples for [^{eval_name}] in Hostile:\n\n**Example**: a prompt\n\n"
                "~~~xml\n<user>\nHello\n</user>\n~~~\n",
                "utf-8",
            )
        except OSError:  # a name the file system refuses (too long, say)
            assume(False)
        _lint_and_build(folder, root, str(spec))
