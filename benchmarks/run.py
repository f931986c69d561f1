"""Whole-process timings of ``specgen lint``, ``import`` and ``build``, each next to a baseline.

    python benchmarks/run.py [--runs N] [--scale N] [--json FILE] [--check] [--no-site]
                             [--no-versions]

Every case runs the ``specgen`` console script (the one next to this Python) from the
repository root, and, interleaved with it in the same loop, a baseline: a bare
``python -c`` that imports markdown_it and parses the same bytes (every .md file of that
spec, concatenated) with ``MarkdownIt('commonmark').parse``. The ratio says what specgen
costs on top of starting Python and parsing the Markdown once.

The site build case times ``specgen build`` of the Model Spec next to ``mkdocs build`` of
a plain Material for MkDocs project with the same pages (``make_plain_site.py``); then
the page weight of the site specgen built: its largest HTML page, and what the first
view of its home page loads (headless Chromium through Playwright when available, else
the resources the HTML and CSS name).

The versioned site case times ``specgen build --all-versions`` of a git repository of
five releases (``make_releases.py``) from an empty site, next to the same of a
one-release repository; and again with nothing changed (the site kept), next to the
cold build of the five.

Wall time is measured around the child process (start to reap); peak RSS is that child's
own ``ru_maxrss`` from ``os.wait4``. Medians over ``--runs`` measured runs, after one
unmeasured warm-up run of each command.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "benchmarks" / "out"
MODEL_SPEC = Path("../shared/corpus/openai-model-spec/2025-12-18/model_spec.md")
MODEL_SPEC_OLD = Path("../shared/corpus/openai-model-spec/2025-10-27/model_spec.md")
# The diff's baseline: a plain line diff of the same two files, in Python.
DIFF_BASELINE_CODE = (
    "import difflib, sys; a, b = (open(p, encoding='utf-8').read().splitlines() "
    "for p in sys.argv[1:3]); sys.stdout.writelines(difflib.unified_diff(a, b, lineterm=''))"
)
NATIVE_FALLBACK = "section has no front matter"  # the native reader's finding on a bare .md

BASELINE_CODE = (
    "import sys\n"
    "from markdown_it import MarkdownIt\n"
    "with open(sys.argv[1], encoding='utf-8') as f:\n"
    "    text = f.read()\n"
    "MarkdownIt('commonmark').parse(text)\n"
)

# Targets
MODEL_SPEC_MAX_S = 0.35
IMPORT_MAX_S = 1.0  # whole-process import of the 2025-12-18 Model Spec
MODEL_SPEC_MAX_RATIO = 2.5
SCALE_MAX_COST = 1.2  # an Nx spec may cost at most 1.2 N times the 1x spec (12x at 10x)
BUILD_MAX_S = 4.0  # `specgen build` of the Model Spec
BUILD_MAX_RATIO = 1.3  # ... next to `mkdocs build` of the same pages without specgen
PAGE_MAX_KB = 300  # the largest HTML page of that site
DIFF_MAX_S = 1.5  # `specgen diff` of the two Model Spec releases, HTML output
DIFF_MAX_MB = 2.0  # ... and the size of that HTML
EXPORT_MAX_S = 0.5  # `specgen export --format jsonl` of the Model Spec: its eval records
FIRST_VIEW_MAX_KB = 400  # the home page and what it loads, search index excluded (issue 15)
RELEASES = 5  # the versioned site: `specgen build --all-versions` of this many releases
VERSIONS_MAX_RATIO = 5.5  # ... cold, next to the cold build of one release
VERSIONS_UNCHANGED_MAX_RATIO = 0.2  # ... again with nothing changed, next to cold
KB = 1024

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SEARCH_INDEX = "search/search_index.json"  # fetched for the search box: not the first view


@dataclass
class Sample:
    seconds: float
    peak_rss_kb: int
    exit_code: int


@dataclass
class CaseResult:
    name: str
    command: list[str]
    markdown_files: int
    markdown_bytes: int
    baseline: list[str] = field(default_factory=list)
    times: list[float] = field(default_factory=list)
    baseline_times: list[float] = field(default_factory=list)
    peak_rss_mb: float = 0.0
    baseline_peak_rss_mb: float = 0.0
    exit_code: int = 0
    median_s: float = 0.0
    baseline_median_s: float = 0.0
    ratio: float = 0.0


@dataclass
class Target:
    name: str
    status: str  # PASS, FAIL or SKIP
    value: float | None
    limit: float
    note: str = ""


def child_env(bytecode_cache: bool) -> dict[str, str]:
    """The environment of the measured commands.

    With ``bytecode_cache``, .pyc files are written and read under benchmarks/out/pycache
    even when PYTHONDONTWRITEBYTECODE is set (as in some sandboxes), as an installed
    specgen would have them; the source tree gets no __pycache__ folders.
    """
    env = dict(os.environ)
    if bytecode_cache:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(OUT / "pycache")
    return env


def measure(argv: list[str], env: dict[str, str]) -> Sample:
    """Run ``argv`` from the repository root; its wall time, peak RSS and exit code."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv,
        cwd=REPO,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    return Sample(elapsed, usage.ru_maxrss, proc.returncode)


def markdown_files(target: Path) -> list[Path]:
    if target.is_file():
        return [target]
    return sorted(p for p in target.rglob("*.md") if p.is_file())


def write_baseline_input(files: list[Path], folder: Path, name: str) -> Path:
    path = folder / f"{name}.md"
    with path.open("wb") as out:
        for file in files:
            out.write(file.read_bytes())
    return path


@dataclass(frozen=True)
class Bench:
    specgen: Path
    runs: int
    scratch: Path  # where the concatenated baseline inputs go
    env: dict[str, str]
    verbose: bool = False


def run_case(bench: Bench, name: str, target: Path, verb: str = "lint") -> CaseResult:
    """Time ``specgen lint TARGET`` (or ``specgen import TARGET --force -o NEW_DIR``:
    the Model Spec has real lint errors, which stop an import that is not forced)."""
    files = markdown_files(REPO / target)
    joined = write_baseline_input(files, bench.scratch, name.split()[0])
    command = [str(bench.specgen), "lint", str(target)]
    if verb == "import":
        command = [str(bench.specgen), "import", str(target), "--force", "-o", ""]
        counter = iter(range(1_000_000))

        def fresh(argv: list[str]) -> list[str]:  # import refuses to overwrite: new folder
            return [*argv[:-1], str(bench.scratch / f"import-{next(counter)}")]
    else:

        def fresh(argv: list[str]) -> list[str]:
            return argv

    baseline = [sys.executable, "-c", BASELINE_CODE, str(joined)]
    result = CaseResult(name, command, len(files), joined.stat().st_size, baseline)
    case_samples, base_samples = interleave(bench, name, lambda: fresh(command), lambda: baseline)
    allowed = {0} if verb == "import" else {0, 1}  # an import that wrote nothing fails
    return summarize(result, case_samples, base_samples, f"specgen {verb}", allowed)


def interleave(
    bench: Bench, name: str, case: Callable[[], list[str]], baseline: Callable[[], list[str]]
) -> tuple[list[Sample], list[Sample]]:
    """Measure the case and its baseline ``bench.runs`` times each, interleaved.

    ``case()`` and ``baseline()`` give the command line of each run; they are called
    before the clock starts, so they may also clear what the previous run left.
    """
    case_samples: list[Sample] = []
    base_samples: list[Sample] = []
    measure(case(), bench.env)  # warm-up: page cache, .pyc files
    measure(baseline(), bench.env)
    for i in range(bench.runs):
        # alternate which goes first so slow drift hits both alike
        if i % 2 == 0:
            case_samples.append(measure(case(), bench.env))
            base_samples.append(measure(baseline(), bench.env))
        else:
            base_samples.append(measure(baseline(), bench.env))
            case_samples.append(measure(case(), bench.env))
        if bench.verbose:
            print(
                f"  {name} run {i + 1}: {case_samples[-1].seconds:.3f} s, "
                f"baseline {base_samples[-1].seconds:.3f} s",
                file=sys.stderr,
            )
    return case_samples, base_samples


def summarize(
    result: CaseResult,
    case_samples: list[Sample],
    base_samples: list[Sample],
    what: str,
    allowed: set[int],
    baseline_allowed: frozenset[int] = frozenset({0}),
) -> CaseResult:
    """Fill in ``result`` from the samples; stop if a command failed."""
    name = result.name
    bad = [s.exit_code for s in base_samples if s.exit_code not in baseline_allowed]
    if bad:
        raise SystemExit(f"{name}: baseline failed (exit {bad[0]})")
    codes = {s.exit_code for s in case_samples}
    if len(codes) != 1 or not codes <= allowed:
        expected = " or ".join(str(c) for c in sorted(allowed))
        raise SystemExit(f"{name}: {what} exited {sorted(codes)} (expected {expected})")
    result.exit_code = codes.pop()
    result.times = [s.seconds for s in case_samples]
    result.baseline_times = [s.seconds for s in base_samples]
    result.median_s = statistics.median(result.times)
    result.baseline_median_s = statistics.median(result.baseline_times)
    result.ratio = result.median_s / result.baseline_median_s
    result.peak_rss_mb = max(s.peak_rss_kb for s in case_samples) / 1024
    result.baseline_peak_rss_mb = max(s.peak_rss_kb for s in base_samples) / 1024
    return result


def run_diff_case(bench: Bench, fmt: str = "html") -> tuple[CaseResult, int]:
    """Time ``specgen diff OLD NEW --format FMT -o FILE`` of the two releases next to a
    plain line diff of the same files; returns the result and the output's size in
    bytes. ``markdown`` is the pull-request comment (every changed section's words)."""
    out = bench.scratch / f"diff.{fmt}"
    command = [
        str(bench.specgen),
        "diff",
        str(MODEL_SPEC_OLD),
        str(MODEL_SPEC),
        "--format",
        fmt,
        "-o",
        str(out),
    ]
    baseline = [sys.executable, "-c", DIFF_BASELINE_CODE, str(MODEL_SPEC_OLD), str(MODEL_SPEC)]
    name = f"OpenAI Model Spec diff, {fmt} (2025-10-27 -> 2025-12-18)"
    size = (REPO / MODEL_SPEC_OLD).stat().st_size + (REPO / MODEL_SPEC).stat().st_size
    result = CaseResult(name, command, 2, size, baseline)
    case_samples, base_samples = interleave(bench, name, lambda: command, lambda: baseline)
    summarize(result, case_samples, base_samples, "specgen diff", {0})
    return result, out.stat().st_size


def run_export_case(bench: Bench) -> CaseResult:
    """Time ``specgen export MODEL_SPEC --format jsonl -o FILE`` (one eval record per
    comparison and eval prompt) next to ``specgen lint`` of the same file: both read the
    spec alike, and the export, which does not lint, should cost no more. The Model
    Spec's lint errors make the baseline exit 1."""
    out = bench.scratch / "records.jsonl"
    command = [str(bench.specgen), "export", str(MODEL_SPEC), "--format", "jsonl", "-o", str(out)]
    baseline = [str(bench.specgen), "lint", str(MODEL_SPEC)]
    name = "OpenAI Model Spec export, jsonl (baseline: specgen lint)"
    size = (REPO / MODEL_SPEC).stat().st_size
    result = CaseResult(name, command, 1, size, baseline)
    case_samples, base_samples = interleave(bench, name, lambda: command, lambda: baseline)
    return summarize(result, case_samples, base_samples, "specgen export", {0}, frozenset({0, 1}))


def export_targets(result: CaseResult | None, skip: str = "") -> list[Target]:
    name = f"Model Spec export, jsonl <= {EXPORT_MAX_S:g} s"
    if result is None:
        return [Target(name, "SKIP", None, EXPORT_MAX_S, skip)]
    return [_target(name, result.median_s, EXPORT_MAX_S)]


def diff_targets(
    result: CaseResult | None,
    html_bytes: int,
    skip: str = "",
    markdown: CaseResult | None = None,
) -> list[Target]:
    md_name = f"Model Spec diff, Markdown comment <= {DIFF_MAX_S:g} s"
    if result is None:
        return [
            Target(f"Model Spec diff <= {DIFF_MAX_S:g} s", "SKIP", None, DIFF_MAX_S, skip),
            Target(f"Model Spec diff HTML <= {DIFF_MAX_MB:g} MB", "SKIP", None, DIFF_MAX_MB, skip),
            Target(md_name, "SKIP", None, DIFF_MAX_S, skip),
        ]
    targets = [
        _target(f"Model Spec diff <= {DIFF_MAX_S:g} s", result.median_s, DIFF_MAX_S),
        _target(f"Model Spec diff HTML <= {DIFF_MAX_MB:g} MB", html_bytes / KB / KB, DIFF_MAX_MB),
    ]
    if markdown is not None:
        targets.append(_target(md_name, markdown.median_s, DIFF_MAX_S))
    return targets


def run_generator(
    script: str, args: list[str], failure: str, env: dict[str, str] | None = None
) -> None:
    """Run ``benchmarks/SCRIPT ARGS``; on failure show its output and stop with ``failure``."""
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / script), *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
        raise SystemExit(failure)


def make_plain_site(out: Path) -> Path:
    """The baseline project of the site build: the Model Spec's pages as plain Markdown."""
    run_generator(
        "make_plain_site.py",
        [str(out), "--source", str(MODEL_SPEC)],
        "make_plain_site.py failed: no baseline for the site build",
    )
    return out / "mkdocs.yml"


def html_pages(site: Path) -> dict[str, int]:
    """Every HTML page of a built site (path relative to it) and its size in bytes."""
    return {p.relative_to(site).as_posix(): p.stat().st_size for p in sorted(site.rglob("*.html"))}


def run_build_case(bench: Bench, plain_config: Path) -> tuple[CaseResult, Path, list[str]]:
    """Time ``specgen build MODEL_SPEC`` next to ``mkdocs build`` of the plain project.

    Each run builds into an empty folder (the previous site is removed before the clock
    starts). Returns the result, the site specgen built in its last run, and the pages
    only one of the two sites has (none when the baseline mirrors specgen's pages).
    """
    site = bench.scratch / "site-specgen"
    plain_site = bench.scratch / "site-plain"
    command = [str(bench.specgen), "build", str(MODEL_SPEC), "-d", str(site), "--force"]
    mkdocs = bench.specgen.with_name("mkdocs")
    baseline = [str(mkdocs), "build", "-f", str(plain_config), "-d", str(plain_site)]

    def into_empty(argv: list[str], folder: Path) -> Callable[[], list[str]]:
        def fresh() -> list[str]:
            shutil.rmtree(folder, ignore_errors=True)
            return argv

        return fresh

    source = REPO / MODEL_SPEC
    name = "OpenAI Model Spec site build"
    result = CaseResult(name, command, 1, source.stat().st_size, baseline)
    case_samples, base_samples = interleave(
        bench, name, into_empty(command, site), into_empty(baseline, plain_site)
    )
    summarize(result, case_samples, base_samples, "specgen build", {0})
    ours, theirs = html_pages(site), html_pages(plain_site)
    differ = sorted(set(ours) ^ set(theirs))
    return result, site, differ


def make_release_repos(bench: Bench) -> tuple[Path, Path]:
    """Git repositories of RELEASES releases and of one (``make_releases.py``)."""
    repos = (bench.scratch / f"releases-{RELEASES}", bench.scratch / "releases-1")
    for repo, count in zip(repos, (RELEASES, 1), strict=True):
        run_generator(
            "make_releases.py",
            [str(repo), "--releases", str(count)],
            "make_releases.py failed: no repository for the versioned site",
            bench.env,
        )
    return repos


def release_markdown(repo: Path) -> tuple[int, int]:
    """The .md files of every release of a repository made by make_releases.py, and
    their bytes (each release counted once)."""
    tags = subprocess.run(
        ["git", "tag", "--list"], cwd=repo, capture_output=True, text=True, check=True
    ).stdout.split()
    files = size = 0
    for tag in tags:
        listing = subprocess.run(
            ["git", "ls-tree", "-r", "-l", tag, "--", "spec"],
            cwd=repo,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for line in listing.splitlines():
            meta, _, path = line.partition("\t")
            if path.endswith(".md"):
                files += 1
                size += int(meta.split()[3])
    return files, size


def interleave_all(
    bench: Bench, name: str, commands: dict[str, Callable[[], list[str]]]
) -> dict[str, list[Sample]]:
    """``interleave`` for more than two commands: one unmeasured warm-up run of each,
    then ``bench.runs`` measured runs of each, the order rotating from run to run."""
    samples: dict[str, list[Sample]] = {key: [] for key in commands}
    keys = list(commands)
    for key in keys:
        measure(commands[key](), bench.env)
    for i in range(bench.runs):
        for key in keys[i % len(keys) :] + keys[: i % len(keys)]:
            samples[key].append(measure(commands[key](), bench.env))
        if bench.verbose:
            times = ", ".join(f"{key} {samples[key][-1].seconds:.3f} s" for key in keys)
            print(f"  {name} run {i + 1}: {times}", file=sys.stderr)
    return samples


def run_versions_case(bench: Bench) -> tuple[CaseResult, CaseResult]:
    """Time ``specgen build --all-versions`` of RELEASES releases, cold (the site removed
    before each run) next to the cold build of one release (the same first release);
    and with nothing changed (the site kept) next to the cold build of RELEASES.

    Returns the two results: (RELEASES cold vs one cold, unchanged vs RELEASES cold).
    """
    many, one = make_release_repos(bench)
    sites = {
        "cold": bench.scratch / "site-releases-cold",
        "one": bench.scratch / "site-releases-one",
        "unchanged": bench.scratch / "site-releases-kept",
    }

    def command(repo: Path, site: Path) -> list[str]:
        config = str(repo / "mkdocs.yml")
        # --force: the releases are Model Spec imports, which have real lint errors.
        build = [str(bench.specgen), "build", "--all-versions", "--force"]
        return [*build, "--config", config, "-d", str(site)]

    def cold(repo: Path, site: Path) -> Callable[[], list[str]]:
        def fresh() -> list[str]:
            shutil.rmtree(site, ignore_errors=True)
            return command(repo, site)

        return fresh

    commands: dict[str, Callable[[], list[str]]] = {
        "cold": cold(many, sites["cold"]),
        "one": cold(one, sites["one"]),
        # The warm-up run builds this site; every measured run finds it up to date.
        "unchanged": lambda: command(many, sites["unchanged"]),
    }
    name = f"versioned site, {RELEASES} releases"
    samples = interleave_all(bench, name, commands)
    files, size = release_markdown(many)
    cold_result = CaseResult(
        f"{name}, cold (baseline: 1 release, cold)",
        command(many, sites["cold"]),
        files,
        size,
        command(one, sites["one"]),
    )
    summarize(cold_result, samples["cold"], samples["one"], "specgen build --all-versions", {0})
    unchanged_result = CaseResult(
        f"{name}, nothing changed (baseline: {RELEASES} releases, cold)",
        command(many, sites["unchanged"]),
        files,
        size,
        command(many, sites["cold"]),
    )
    summarize(
        unchanged_result,
        samples["unchanged"],
        samples["cold"],
        "specgen build --all-versions",
        {0},
    )
    # Each measured run did what it says: the kept site was up to date, the cold one built.
    check = subprocess.run(
        command(many, sites["unchanged"]), env=bench.env, capture_output=True, text=True
    )
    if f"(0 built, {RELEASES} up to date)" not in check.stdout:
        raise SystemExit(f"{name}: the unchanged rebuild built something:\n{check.stdout}")
    if not all((sites["cold"] / f"v{k}.0" / "index.html").is_file() for k in (1, RELEASES)):
        raise SystemExit(f"{name}: the cold build did not write every release")
    return cold_result, unchanged_result


def versions_targets(
    cold: CaseResult | None, unchanged: CaseResult | None, skip: str = ""
) -> list[Target]:
    cold_name = f"{RELEASES} releases cold <= {VERSIONS_MAX_RATIO:g}x one release cold"
    unchanged_name = (
        f"{RELEASES} releases, nothing changed <= {VERSIONS_UNCHANGED_MAX_RATIO:g}x "
        f"{RELEASES} releases cold"
    )
    if cold is None or unchanged is None:
        return [
            Target(cold_name, "SKIP", None, VERSIONS_MAX_RATIO, skip),
            Target(unchanged_name, "SKIP", None, VERSIONS_UNCHANGED_MAX_RATIO, skip),
        ]
    return [
        _target(cold_name, cold.ratio, VERSIONS_MAX_RATIO),
        _target(unchanged_name, unchanged.ratio, VERSIONS_UNCHANGED_MAX_RATIO),
    ]


@dataclass
class Resource:
    path: str  # relative to the site root; "" for the home page itself
    kind: str  # document, stylesheet, script, image, font, other
    bytes: int
    gzip_bytes: int


@dataclass
class PageWeight:
    """The weight of the pages of a built site and of its home page's first view."""

    pages: int = 0
    largest_page: str = ""
    largest_bytes: int = 0
    over_limit: dict[str, int] = field(default_factory=dict)  # pages over PAGE_MAX_KB
    first_view_method: str = ""
    first_view_bytes: int = 0
    first_view_gzip_bytes: int = 0
    resources: list[Resource] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)  # fetched, not counted (search index)
    external: list[str] = field(default_factory=list)  # requests leaving the site
    note: str = ""


def page_weight(site: Path) -> PageWeight:
    pages = html_pages(site)
    largest = max(pages, key=lambda p: pages[p])
    weight = PageWeight(len(pages), largest, pages[largest])
    weight.over_limit = {p: n for p, n in sorted(pages.items()) if n > PAGE_MAX_KB * KB}
    try:
        first_view_browser(site, weight)
    except Exception as exc:  # no Playwright, no chromium, a launch failure: read the HTML
        reason = f"{type(exc).__name__}: {exc}".splitlines()[0][:160]
        weight.note = f"headless Chromium unavailable ({reason})"
        weight.resources, weight.excluded, weight.external = [], [], []
        first_view_static(site, weight)
    order = ["document", "stylesheet", "script", "image", "font"]
    weight.resources.sort(key=lambda r: (order.index(r.kind) if r.kind in order else 9, r.path))
    weight.first_view_bytes = sum(r.bytes for r in weight.resources)
    weight.first_view_gzip_bytes = sum(r.gzip_bytes for r in weight.resources)
    return weight


def _gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def _site_file(site: Path, path: str) -> Path | None:
    """The file a site-relative URL path names (``dir/`` is ``dir/index.html``)."""
    target = site / unquote(path)
    if path == "" or path.endswith("/"):
        target = target / "index.html"
    try:
        target.resolve().relative_to(site.resolve())
    except ValueError:
        return None
    return target if target.is_file() else None


def _kind(path: str, fallback: str = "other") -> str:
    suffix = Path(urlsplit(path).path).suffix.lower()
    kinds = {
        ".html": "document",
        ".css": "stylesheet",
        ".js": "script",
        ".png": "image",
        ".svg": "image",
        ".ico": "image",
        ".jpg": "image",
        ".webp": "image",
        ".woff": "font",
        ".woff2": "font",
        ".ttf": "font",
    }
    return kinds.get(suffix, "document" if path in ("", "/") or path.endswith("/") else fallback)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """A local static HTTP server for ``site``; yields its base URL (ending in /)."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def first_view_browser(site: Path, weight: PageWeight) -> None:
    """Load the home page in headless Chromium and count every response it gets."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.is_file():
        raise FileNotFoundError(f"{CHROMIUM} not found")
    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_context().new_page()
            responses: list[Any] = []
            requests: list[str] = []
            page.on("response", lambda response: responses.append(response))
            page.on("request", lambda request: requests.append(request.url))
            page.goto(base, wait_until="networkidle")
            page.wait_for_timeout(500)  # late requests (the search worker) after idle
            seen: set[str] = set()
            for response in responses:
                url = response.url
                if not url.startswith(base):
                    continue
                path = urlsplit(url).path[1:]
                if path == SEARCH_INDEX:
                    weight.excluded.append(path)
                    continue
                if url in seen:
                    continue
                seen.add(url)
                try:
                    body = response.body()
                except Exception:  # a body the browser no longer holds: the served file
                    file = _site_file(site, path)
                    body = file.read_bytes() if file is not None else b""
                kind = _kind(path, response.request.resource_type)
                weight.resources.append(Resource(path, kind, len(body), _gzip_size(body)))
            weight.external = sorted({u for u in requests if not u.startswith(base)})
        finally:
            browser.close()
    weight.first_view_method = f"headless Chromium ({CHROMIUM}) through Playwright"


class _Links(HTMLParser):
    """The resources an HTML page loads: stylesheets, icons, scripts, images."""

    LOADED_RELS = frozenset({"stylesheet", "icon", "shortcut", "preload", "modulepreload"})

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self._config = False
        self.config_text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "link" and a.get("href") and self.LOADED_RELS & set((a.get("rel") or "").split()):
            self.urls.append(str(a["href"]))
        elif tag in ("script", "img") and a.get("src"):
            self.urls.append(str(a["src"]))
        self._config = tag == "script" and a.get("id") == "__config"

    def handle_data(self, data: str) -> None:
        if self._config:
            self.config_text += data

    def handle_endtag(self, tag: str) -> None:
        self._config = False


_CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)""")


def first_view_static(site: Path, weight: PageWeight) -> None:
    """What the home page's HTML names, the url()s of its CSS, Material's search worker."""
    base = "http://site.invalid/"
    todo = [base]
    seen: set[str] = set()
    while todo:
        url = todo.pop(0)
        if url in seen or not url.startswith(base):
            if not url.startswith((base, "data:")):
                weight.external.append(url)
            continue
        seen.add(url)
        path = urlsplit(url).path[1:]
        file = _site_file(site, path)
        if file is None:
            continue
        data = file.read_bytes()
        weight.resources.append(Resource(path, _kind(path), len(data), _gzip_size(data)))
        if file.suffix == ".html":
            links = _Links()
            links.feed(data.decode("utf-8", "replace"))
            todo += [urljoin(url, u) for u in links.urls]
            try:  # Material starts its search worker on every page
                config = json.loads(links.config_text or "{}")
            except json.JSONDecodeError:
                config = {}
            worker, root = config.get("search"), config.get("base", ".")
            if isinstance(worker, str) and isinstance(root, str):
                todo.append(urljoin(urljoin(url, root.rstrip("/") + "/"), worker))
        elif file.suffix == ".css":
            text = data.decode("utf-8", "replace")
            todo += [urljoin(url, u) for u in _CSS_URL.findall(text) if not u.startswith("data:")]
    weight.first_view_method = "the home page's HTML and CSS, read (no browser)"


def model_spec_readable(bench: Bench) -> tuple[bool, str]:
    """Whether ``specgen lint`` reads the Model Spec in its own dialect.

    It must exit 0 or 1; and the native reader's fallback (one front-matter-less section,
    reported as such) does not count as reading it.
    """
    if not (REPO / MODEL_SPEC).is_file():
        return False, f"{MODEL_SPEC} not found"
    probe = subprocess.run(
        [str(bench.specgen), "lint", "--format", "json", str(MODEL_SPEC)],
        cwd=REPO,
        env=bench.env,
        capture_output=True,
        text=True,
        check=False,
    )
    if probe.returncode not in (0, 1):
        return False, f"specgen lint exited {probe.returncode}"
    try:
        findings = json.loads(probe.stdout or "[]")
    except json.JSONDecodeError:
        return True, ""  # no JSON output to inspect: trust the exit status
    if isinstance(findings, list) and any(
        isinstance(f, dict) and NATIVE_FALLBACK in str(f.get("message", "")) for f in findings
    ):
        return False, "read as a native section (no dialect reader)"
    return True, ""


def make_synthetic(scale: int) -> Path:
    out = OUT / f"synthetic-{scale}x"
    run_generator(
        "make_synthetic.py",
        [str(out), "--scale", str(scale), "--check"],
        f"the synthetic {scale}x spec does not lint clean; fix the sample first",
    )
    return (out / "spec").relative_to(REPO)


def check_targets(
    sample: CaseResult,
    synthetic: CaseResult,
    model: CaseResult | None,
    scale: int,
    imported: CaseResult | None = None,
) -> list[Target]:
    targets: list[Target] = []
    if imported is not None:
        targets.append(
            _target(f"Model Spec import <= {IMPORT_MAX_S} s", imported.median_s, IMPORT_MAX_S)
        )
    if model is None:
        skip = "skipped: dialect not readable yet"
        targets.append(
            Target(f"Model Spec lint <= {MODEL_SPEC_MAX_S} s", "SKIP", None, MODEL_SPEC_MAX_S, skip)
        )
        targets.append(
            Target(
                f"Model Spec lint <= {MODEL_SPEC_MAX_RATIO}x baseline",
                "SKIP",
                None,
                MODEL_SPEC_MAX_RATIO,
                skip,
            )
        )
    else:
        targets.append(
            _target(f"Model Spec lint <= {MODEL_SPEC_MAX_S} s", model.median_s, MODEL_SPEC_MAX_S)
        )
        targets.append(
            _target(
                f"Model Spec lint <= {MODEL_SPEC_MAX_RATIO}x baseline",
                model.ratio,
                MODEL_SPEC_MAX_RATIO,
            )
        )
    growth = synthetic.median_s / sample.median_s
    limit = SCALE_MAX_COST * scale
    targets.append(_target(f"{scale}x spec <= {limit:g}x the 1x spec", growth, limit))
    return targets


def build_targets(build: CaseResult | None, differ: list[str], skip: str = "") -> list[Target]:
    """The site build of the Model Spec: its time, and its ratio to the plain build."""
    time_name = f"Model Spec build <= {BUILD_MAX_S:g} s"
    ratio_name = f"Model Spec build <= {BUILD_MAX_RATIO}x plain Material build"
    if build is None:
        return [
            Target(time_name, "SKIP", None, BUILD_MAX_S, skip),
            Target(ratio_name, "SKIP", None, BUILD_MAX_RATIO, skip),
        ]
    ratio = _target(ratio_name, build.ratio, BUILD_MAX_RATIO)
    if differ:
        shown = ", ".join(differ[:5]) + (", ..." if len(differ) > 5 else "")
        ratio.note = f"the two sites differ in {len(differ)} pages: {shown}"
    return [_target(time_name, build.median_s, BUILD_MAX_S), ratio]


def weight_targets(weight: PageWeight | None, skip: str = "") -> list[Target]:
    page_name = f"largest page <= {PAGE_MAX_KB} KB of HTML"
    view_name = f"first page view <= {FIRST_VIEW_MAX_KB} KB (search index excluded)"
    if weight is None:
        return [
            Target(page_name, "SKIP", None, PAGE_MAX_KB, skip),
            Target(view_name, "SKIP", None, FIRST_VIEW_MAX_KB, skip),
        ]
    page = _target(page_name, weight.largest_bytes / KB, PAGE_MAX_KB)
    page.note = weight.largest_page
    return [page, _target(view_name, weight.first_view_bytes / KB, FIRST_VIEW_MAX_KB)]


def _target(name: str, value: float, limit: float) -> Target:
    return Target(name, "PASS" if value <= limit else "FAIL", value, limit)


def table(results: list[CaseResult]) -> str:
    rows = [
        "| case | median s | baseline median s | ratio | peak RSS MB | baseline peak RSS MB "
        "| Markdown KB | exit |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        rows.append(
            f"| {r.name} | {r.median_s:.3f} | {r.baseline_median_s:.3f} | {r.ratio:.2f}x "
            f"| {r.peak_rss_mb:.1f} | {r.baseline_peak_rss_mb:.1f} "
            f"| {r.markdown_bytes / 1024:.0f} | {r.exit_code} |"
        )
    return "\n".join(rows)


def weight_report(weight: PageWeight) -> str:
    lines = [
        f"{weight.pages} HTML pages; the largest: {weight.largest_page}, "
        f"{weight.largest_bytes / KB:.0f} KB",
    ]
    if weight.over_limit:
        lines.append(f"pages over {PAGE_MAX_KB} KB:")
        lines += [f"  {p}: {n / KB:.0f} KB" for p, n in weight.over_limit.items()]
    else:
        lines.append(f"no page over {PAGE_MAX_KB} KB")
    lines += [
        "",
        f"first view of the home page, measured with {weight.first_view_method}:",
        "",
        "| resource | kind | KB | gzip KB |",
        "|---|---|---:|---:|",
    ]
    for r in weight.resources:
        path = r.path or "(home page)"
        lines.append(f"| {path} | {r.kind} | {r.bytes / KB:.1f} | {r.gzip_bytes / KB:.1f} |")
    lines.append(
        f"| **total** ({len(weight.resources)} responses) | | "
        f"{weight.first_view_bytes / KB:.1f} | {weight.first_view_gzip_bytes / KB:.1f} |"
    )
    lines.append(
        f"\nfirst view: {weight.first_view_bytes} bytes uncompressed, "
        f"{weight.first_view_gzip_bytes} bytes gzip-compressed (level 6, for information)"
    )
    if weight.excluded:
        lines.append(f"not counted: {', '.join(sorted(set(weight.excluded)))}")
    lines.append(
        f"requests outside the site: {', '.join(weight.external) if weight.external else 'none'}"
    )
    if weight.note:
        lines.append(f"note: {weight.note}")
    return "\n".join(lines)


def print_targets(targets: list[Target]) -> None:
    for t in targets:
        value = "" if t.value is None else f" ({t.value:.3f}, limit {t.limit:g})"
        note = f" {t.note}" if t.note else ""
        print(f"{t.status}: {t.name}{value}{note}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=7, help="measured runs per command")
    parser.add_argument("--scale", type=int, default=10, help="size of the synthetic spec")
    parser.add_argument("--json", type=Path, help="write the results to this file")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target fails")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every run")
    parser.add_argument(
        "--no-site",
        action="store_true",
        help="skip the site build of the Model Spec and its page weight",
    )
    parser.add_argument(
        "--no-versions",
        action="store_true",
        help=f"skip the versioned site ({RELEASES} releases, `specgen build --all-versions`)",
    )
    parser.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="run with the inherited environment (PYTHONDONTWRITEBYTECODE as it is)",
    )
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    specgen = Path(sys.executable).with_name("specgen")
    if not specgen.is_file():
        raise SystemExit(f"no specgen console script next to {sys.executable}")

    synthetic_spec = make_synthetic(args.scale)
    results: list[CaseResult] = []
    skipped: dict[str, str] = {}
    env = child_env(not args.no_bytecode_cache)
    with tempfile.TemporaryDirectory(prefix="specgen-bench-") as tmp:
        bench = Bench(specgen, args.runs, Path(tmp), env, args.verbose)
        sample = run_case(bench, "sample spec (1x)", Path("spec"))
        results.append(sample)
        synthetic = run_case(bench, f"synthetic {args.scale}x spec", synthetic_spec)
        results.append(synthetic)
        model: CaseResult | None = None
        imported: CaseResult | None = None
        exported: CaseResult | None = None
        readable, why = model_spec_readable(bench)
        if readable:
            model = run_case(bench, "OpenAI Model Spec", MODEL_SPEC)
            results.append(model)
            imported = run_case(bench, "OpenAI Model Spec import", MODEL_SPEC, "import")
            results.append(imported)
            exported = run_export_case(bench)
            results.append(exported)
        else:
            skipped["OpenAI Model Spec"] = f"skipped: dialect not readable yet ({why})"
        diffed: CaseResult | None = None
        diffed_md: CaseResult | None = None
        diff_html_bytes = 0
        if readable and (REPO / MODEL_SPEC_OLD).is_file():
            diffed, diff_html_bytes = run_diff_case(bench)
            results.append(diffed)
            diffed_md, _ = run_diff_case(bench, "markdown")
            results.append(diffed_md)
        build: CaseResult | None = None
        differ: list[str] = []
        weight: PageWeight | None = None
        site_skip = "skipped: --no-site" if args.no_site else "skipped: dialect not readable yet"
        if readable and not args.no_site:
            plain = make_plain_site(bench.scratch / "plain-site")
            build, site, differ = run_build_case(bench, plain)
            results.append(build)
            weight = page_weight(site)
        elif not args.no_site:
            skipped["OpenAI Model Spec site build"] = f"{site_skip} ({why})"
        versions: tuple[CaseResult, CaseResult] | None = None
        versions_skip = "skipped: --no-versions"
        if args.no_versions:
            pass
        elif readable and (REPO / MODEL_SPEC_OLD).is_file():
            versions = run_versions_case(bench)
            results += list(versions)
        else:
            versions_skip = "skipped: the corpus is not readable"
            skipped["versioned site"] = versions_skip

    print(
        f"specgen lint, import, export, build and diff, median of {args.runs} runs "
        f"(Python {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} CPUs, "
        f"bytecode cache {'off' if args.no_bytecode_cache else 'on'})\n"
    )
    print(table(results))
    for case, reason in skipped.items():
        print(f"\n{case}: {reason}")
    for r in results:
        if r.exit_code != 0:
            print(f"\nnote: {r.name} has lint findings (exit {r.exit_code})")
    if build is not None:
        print(
            f"\nnote: {build.name}: `specgen build --force` (the lint errors do not stop it); "
            "baseline: `mkdocs build` of the same pages as plain Markdown, Material, no specgen"
        )
    if versions is not None:
        print(
            f"\nnote: versioned site: `specgen build --all-versions` of a git repository of "
            f"{RELEASES} releases (make_releases.py: the two corpus releases alternating, one "
            "sentence added to each); cold = site removed before each run; its baseline is "
            "the same first release alone, cold; nothing changed = the site kept"
        )
    targets = check_targets(sample, synthetic, model, args.scale, imported)
    targets += export_targets(exported, "skipped: dialect not readable yet")
    targets += build_targets(build, differ, site_skip)
    targets += diff_targets(
        diffed, diff_html_bytes, "skipped: the corpus is not readable", diffed_md
    )
    if versions is not None:
        targets += versions_targets(versions[0], versions[1])
    else:
        targets += versions_targets(None, None, versions_skip)
    print()
    print_targets(targets)
    page_targets = weight_targets(weight, site_skip)
    print("\n## Page weight: the Model Spec site specgen builds\n")
    if weight is not None:
        print(weight_report(weight))
        print()
    print_targets(page_targets)
    targets += page_targets

    if args.json is not None:
        report = {
            "runs": args.runs,
            "bytecode_cache": not args.no_bytecode_cache,
            "python": platform.python_version(),
            "machine": platform.machine(),
            "cpus": os.cpu_count(),
            "cases": [asdict(r) for r in results],
            "skipped": skipped,
            "page_weight": asdict(weight) if weight is not None else None,
            "diff_html_bytes": diff_html_bytes,
            "targets": [asdict(t) for t in targets],
        }
        args.json.write_text(json.dumps(report, indent=2) + "\n", "utf-8")
    failed = any(t.status == "FAIL" for t in targets)
    return 1 if failed and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
