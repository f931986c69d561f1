"""Scale series: ``specgen lint`` and ``build`` at 1x, 10x and 100x the OpenAI Model Spec.

    python benchmarks/scale.py [--sizes 80,800,8000] [--runs 3] [--max-seconds 900]
                               [--lint-dialects openai,native] [--build-dialects openai]
                               [--build-sizes 80,800] [--json FILE] [--check] [-v]

The specs are grown from the Model Spec by ``make_synthetic.py --sections N`` (copies of
the spec, each under a part of its own, cut to exactly N sections) into
``benchmarks/out/scale/`` and removed at the end (``--keep-specs`` keeps them). Every
case runs one whole ``specgen`` process, as ``run.py`` does: its wall time from start
to reaping, its peak RSS (``ru_maxrss`` from ``os.wait4``), and for a build the bytes
of the site it wrote (built into a temporary folder, emptied before and after each run).
The cases run in rounds, every case once per round, so drift in machine load spreads
over all sizes; the median of ``--runs`` runs is reported, with the time per section.
A run that passes ``--max-seconds`` is killed and its case reported as ``timeout``
(no further runs of it); a run whose output says specgen could not read a file of the
spec (SG001, e.g. "file is too large") makes its case ``unreadable``: the time of a
command that read nothing means nothing.

Targets, between the two largest sizes (by default 8,000 and 800 sections): time per
section grows at most 1.5x (lint and build, each dialect); peak RSS at the largest size
at most 1 GB; the site's bytes per section grow at most 1.2x. ``--check`` exits 1 if
one fails (a timeout or an unreadable spec fails its targets).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from make_synthetic import DIALECTS, MODEL_SPEC, plan_sections, read_model_spec
from run import OUT, REPO, Sample, Target, child_env, print_targets, run_generator

SIZES = (80, 800, 8000)  # 1x, 10x, 100x the Model Spec's 80 sections
SCALE_OUT = OUT / "scale"
PER_SECTION_MAX_GROWTH = 1.5  # time per section, largest size / the one before
PEAK_RSS_MAX_MB = 1024.0  # at the largest size
SITE_PER_SECTION_MAX_GROWTH = 1.2  # site bytes per section, largest size / the one before
MIN_FREE_GB = 5.0  # a build is not started with less free disk than this
MB = 1024 * 1024
VERBS = ("lint", "build")


@dataclass
class Case:
    verb: str  # lint or build
    dialect: str
    sections: int
    target: str  # what specgen is given, relative to the repository when inside it
    command: list[str]
    status: str = "ok"  # ok, timeout, unreadable, skipped, failed
    note: str = ""
    times: list[float] = field(default_factory=list)
    exit_codes: list[int] = field(default_factory=list)
    peak_rss_mb: float = 0.0
    median_s: float = 0.0
    ms_per_section: float = 0.0
    site_bytes: int = 0
    site_files: int = 0
    site_bytes_per_section: float = 0.0

    @property
    def name(self) -> str:
        return f"{self.verb} {self.dialect} {self.sections}"

    @property
    def measured(self) -> bool:
        return self.status == "ok" and bool(self.times)


@dataclass
class Spec:
    dialect: str
    sections: int
    target: Path
    copies: int
    markdown_bytes: int
    largest_file_bytes: int
    generation_s: float


def measure_limited(
    argv: list[str], env: dict[str, str], max_seconds: float, log: Path
) -> tuple[Sample, bool]:
    """Run ``argv`` from the repository root, as ``run.measure`` does (its output goes
    to ``log``), but kill it, its whole process group, after ``max_seconds``; returns
    the sample and whether it was killed."""
    with log.open("wb") as output:
        start = time.perf_counter()
        proc = subprocess.Popen(
            argv,
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group: a timeout kills what it started too
        )
    lock = threading.Lock()
    reaped = False
    killed = threading.Event()

    def kill() -> None:
        with lock:
            if not reaped:
                killed.set()
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)

    timer = threading.Timer(max_seconds, kill)
    timer.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    except BaseException:  # interrupted: leave nothing running
        kill()
        raise
    finally:
        timer.cancel()
    with lock:
        reaped = True
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    return Sample(elapsed, usage.ru_maxrss, proc.returncode), killed.is_set()


_UNREADABLE = re.compile(rb"SG001 \[error\] ([^\n]*)")


def unreadable(log: Path) -> str | None:
    """What specgen said it could not read (SG001), from a run's output, or None."""
    with contextlib.suppress(OSError):
        found = _UNREADABLE.search(log.read_bytes())
        if found is not None:
            return found.group(1).decode("utf-8", "replace").strip()
    return None


def folder_size(folder: Path) -> tuple[int, int]:
    """Total bytes and number of the files under ``folder``."""
    total = files = 0
    for root, _, names in os.walk(folder):
        for name in names:
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(root, name)).st_size
                files += 1
    return total, files


def clear_site(site: Path) -> None:
    """Remove the site and what a killed build left beside it (its staging folders)."""
    shutil.rmtree(site, ignore_errors=True)
    for leftover in site.parent.glob(f".{site.name}*"):
        shutil.rmtree(leftover, ignore_errors=True)


def free_gb(path: Path) -> float:
    return shutil.disk_usage(path).free / 1024**3


def _md_files(target: Path) -> Iterator[Path]:
    if target.is_file():
        yield target
        yield from (target.parent / "examples").glob("*.md")
    else:
        yield from target.rglob("*.md")


def make_specs(sizes: list[int], dialects: list[str], verbose: bool) -> list[Spec]:
    """Each spec by ``make_synthetic.py --sections N`` in a process of its own: this
    one stays small, and a child's ``ru_maxrss`` starts from its parent's peak RSS
    (the child is forked from it)."""
    per_copy = len(read_model_spec(MODEL_SPEC).sections)
    specs = []
    for dialect in dialects:
        for sections in sizes:
            out = SCALE_OUT / f"{dialect}-{sections}"
            args = [str(out), "--sections", str(sections), "--dialect", dialect]
            start = time.perf_counter()
            run_generator("make_synthetic.py", args, f"make_synthetic.py {' '.join(args)} failed")
            seconds = time.perf_counter() - start
            target = out / "spec" / MODEL_SPEC.name if dialect == "openai" else out / "spec"
            files = list(_md_files(target))
            spec = Spec(
                dialect,
                sections,
                target,
                plan_sections(sections, per_copy).copies,
                sum(p.stat().st_size for p in files),
                max(p.stat().st_size for p in files),
                seconds,
            )
            specs.append(spec)
            if verbose:
                print(
                    f"  generated {dialect} {sections}: {seconds:.2f} s, "
                    f"{spec.markdown_bytes / MB:.1f} MB of Markdown",
                    file=sys.stderr,
                )
    return specs


def _shown(path: Path) -> str:
    with contextlib.suppress(ValueError):
        return path.relative_to(REPO).as_posix()
    return str(path)


def make_cases(
    specs: list[Spec],
    lint_dialects: list[str],
    build_dialects: list[str],
    build_sizes: set[int],
    specgen: Path,
    site: Path,
) -> list[Case]:
    cases = []
    for verb, dialects in (("lint", lint_dialects), ("build", build_dialects)):
        for spec in specs:
            if spec.dialect not in dialects:
                continue
            target = _shown(spec.target)
            command = [str(specgen), verb, target]
            if verb == "build":
                command += ["-d", str(site), "--force"]  # the Model Spec has lint errors
            case = Case(verb, spec.dialect, spec.sections, target, command)
            if verb == "build" and spec.sections not in build_sizes:
                case.status = "skipped"
                case.note = "not in --build-sizes"
            cases.append(case)
    return cases


def warm_up(cases: list[Case], env: dict[str, str], max_seconds: float, site: Path) -> None:
    """One unmeasured run of each command kind (verb, dialect) at its smallest size:
    bytecode and imports; the specs themselves were just written (page cache)."""
    done: set[tuple[str, str]] = set()
    for case in sorted(cases, key=lambda c: c.sections):
        if case.status != "ok" or (case.verb, case.dialect) in done:
            continue
        done.add((case.verb, case.dialect))
        clear_site(site)
        measure_limited(case.command, env, max_seconds, site.parent / "warm-up.log")
        clear_site(site)


def run_rounds(
    cases: list[Case],
    runs: int,
    env: dict[str, str],
    max_seconds: float,
    site: Path,
    verbose: bool,
) -> None:
    """Every case once per round, ``runs`` rounds; a timed-out case runs no more."""
    log = site.parent / "run.log"
    for round_number in range(runs):
        for case in cases:
            if case.status != "ok":
                continue
            if case.verb == "build":
                clear_site(site)
                free = free_gb(site.parent)
                if free < MIN_FREE_GB:
                    case.status, case.note = "skipped", f"only {free:.1f} GB of disk free"
                    continue
            sample, killed = measure_limited(case.command, env, max_seconds, log)
            case.peak_rss_mb = max(case.peak_rss_mb, sample.peak_rss_kb / 1024)
            if case.verb == "build":
                if not killed:
                    case.site_bytes, case.site_files = folder_size(site)
                clear_site(site)
            cannot = unreadable(log)
            if killed:
                done = ", ".join(f"{t:.1f}" for t in case.times)
                case.status = "timeout"
                case.note = f"killed after {max_seconds:g} s (run {round_number + 1})" + (
                    f"; earlier runs took {done} s" if done else ""
                )
            elif cannot is not None:
                case.status, case.note = "unreadable", f"SG001 {cannot}"
            elif sample.exit_code not in ({0, 1} if case.verb == "lint" else {0}):
                case.status = "failed"
                case.note = f"exit {sample.exit_code}"
            else:
                case.times.append(sample.seconds)
                case.exit_codes.append(sample.exit_code)
            if verbose:
                print(
                    f"  {case.name} run {round_number + 1}: {sample.seconds:.2f} s, "
                    f"{sample.peak_rss_kb / 1024:.0f} MB"
                    + (f" ({case.status})" if case.status != "ok" else ""),
                    file=sys.stderr,
                )
    for case in cases:
        if case.measured:
            case.median_s = statistics.median(case.times)
            case.ms_per_section = case.median_s / case.sections * 1000
            case.site_bytes_per_section = case.site_bytes / case.sections


def targets(cases: list[Case], sizes: list[int]) -> list[Target]:
    """Time per section and site bytes per section, largest size against the one
    before; peak RSS at the largest size; for each verb and dialect measured."""
    result: list[Target] = []
    if len(sizes) < 2:
        return result
    small_n, big_n = sizes[-2], sizes[-1]
    by_key = {(c.verb, c.dialect, c.sections): c for c in cases}
    for verb in VERBS:
        for dialect in DIALECTS:
            small, big = by_key.get((verb, dialect, small_n)), by_key.get((verb, dialect, big_n))
            if small is None or big is None:
                continue
            what = f"{verb} {dialect}"
            growth = f"{what}: time per section at {big_n} / at {small_n}"
            result.append(
                _ratio(growth, small, big, PER_SECTION_MAX_GROWTH, lambda c: c.ms_per_section)
            )
            memory = f"{what}: peak RSS at {big_n} sections <= {PEAK_RSS_MAX_MB:g} MB"
            if big.measured:
                result.append(_limit(memory, big.peak_rss_mb, PEAK_RSS_MAX_MB))
            else:
                result.append(_unmeasured(memory, big, PEAK_RSS_MAX_MB))
            if verb == "build":
                site = f"{what}: site bytes per section at {big_n} / at {small_n}"
                result.append(
                    _ratio(
                        site,
                        small,
                        big,
                        SITE_PER_SECTION_MAX_GROWTH,
                        lambda c: c.site_bytes_per_section,
                    )
                )
    return result


def _limit(name: str, value: float, limit: float) -> Target:
    return Target(name, "PASS" if value <= limit else "FAIL", value, limit)


def _unmeasured(name: str, case: Case, limit: float) -> Target:
    status = "SKIP" if case.status == "skipped" else "FAIL"
    return Target(name, status, None, limit, f"{case.name}: {case.status} ({case.note})")


def _ratio(
    name: str, small: Case, big: Case, limit: float, value: Callable[[Case], float]
) -> Target:
    name = f"{name} <= {limit:g}x"
    for case in (big, small):
        if not case.measured:
            return _unmeasured(name, case, limit)
    return _limit(name, value(big) / value(small), limit)


def table(cases: list[Case]) -> str:
    rows = [
        "| case | sections | runs | median s | ms / section | peak RSS MB "
        "| site MB | site KB / section | status |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for c in cases:
        measured = c.measured
        site = c.verb == "build" and measured
        rows.append(
            f"| {c.verb} {c.dialect} | {c.sections} | {len(c.times)} "
            f"| {f'{c.median_s:.2f}' if measured else '-'} "
            f"| {f'{c.ms_per_section:.2f}' if measured else '-'} "
            f"| {f'{c.peak_rss_mb:.0f}' if c.peak_rss_mb else '-'} "
            f"| {f'{c.site_bytes / MB:.1f}' if site else '-'} "
            f"| {f'{c.site_bytes_per_section / 1024:.1f}' if site else '-'} "
            f"| {c.status}{f': {c.note}' if c.note else ''} |"
        )
    return "\n".join(rows)


def _sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(x) for x in text.split(",") if x.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of numbers: {text!r}") from None
    if not sizes or sizes[0] < 1:
        raise argparse.ArgumentTypeError("sizes are numbers of sections, at least 1")
    return sizes


def _dialects(text: str) -> list[str]:
    dialects = [x.strip() for x in text.split(",") if x.strip()]
    bad = [d for d in dialects if d not in DIALECTS]
    if bad:
        raise argparse.ArgumentTypeError(f"unknown dialect {bad[0]!r} (one of {DIALECTS})")
    return dialects


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--sizes", type=_sizes, default=list(SIZES), help="sections, comma-separated"
    )
    parser.add_argument("--runs", type=int, default=3, help="measured runs per case")
    parser.add_argument(
        "--lint-dialects", type=_dialects, default=list(DIALECTS), help="openai,native"
    )
    parser.add_argument(
        "--build-dialects",
        type=_dialects,
        default=["openai"],
        help="openai (default), native, both comma-separated, or '' for no builds",
    )
    parser.add_argument(
        "--build-sizes", type=_sizes, help="build only at these sizes (default: every size)"
    )
    parser.add_argument(
        "--max-seconds",
        type=float,
        default=900.0,
        help="kill a run after this long and report its case as a timeout",
    )
    parser.add_argument("--json", type=Path, help="write the results to this file")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target fails")
    parser.add_argument("--keep-specs", action="store_true", help=f"keep {_shown(SCALE_OUT)}")
    parser.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="run with the inherited environment (PYTHONDONTWRITEBYTECODE as it is)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="print every run")
    args = parser.parse_args(argv)
    # Stopped (Ctrl-C, even in the background; or SIGTERM): kill the running case and
    # remove the specs and sites on the way out.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.max_seconds <= 0:
        parser.error("--max-seconds must be positive")
    specgen = Path(sys.executable).with_name("specgen")
    if not specgen.is_file():
        raise SystemExit(f"no specgen console script next to {sys.executable}")
    if not MODEL_SPEC.is_file():
        raise SystemExit(f"{MODEL_SPEC} not found: the scale series grows the Model Spec")
    dialects = [d for d in DIALECTS if d in args.lint_dialects or d in args.build_dialects]
    build_sizes = set(args.build_sizes or args.sizes)
    load_before = os.getloadavg()
    scratch_root = Path(tempfile.gettempdir())
    print(
        f"free disk: {free_gb(REPO):.1f} GB at {REPO}, "
        f"{free_gb(scratch_root):.1f} GB at {scratch_root}",
        flush=True,
    )

    try:
        specs = make_specs(args.sizes, dialects, args.verbose)
        env = child_env(not args.no_bytecode_cache)
        with tempfile.TemporaryDirectory(prefix="specgen-scale-") as tmp:
            site = Path(tmp) / "site"
            cases = make_cases(
                specs, args.lint_dialects, args.build_dialects, build_sizes, specgen, site
            )
            warm_up(cases, env, args.max_seconds, site)
            run_rounds(cases, args.runs, env, args.max_seconds, site, args.verbose)
    finally:
        if not args.keep_specs:
            shutil.rmtree(SCALE_OUT, ignore_errors=True)
    load_after = os.getloadavg()

    print(
        f"specgen lint and build of the Model Spec grown to {', '.join(map(str, args.sizes))} "
        f"sections, median of {args.runs} runs (Python {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} CPUs, load average "
        f"{load_before[0]:.1f} before, {load_after[0]:.1f} after)\n"
    )
    print(
        "| spec | sections | copies | Markdown MB | largest file MB | generated in s |\n"
        "|---|---:|---:|---:|---:|---:|"
    )
    for spec in specs:
        print(
            f"| {spec.dialect} | {spec.sections} | {spec.copies} "
            f"| {spec.markdown_bytes / MB:.1f} | {spec.largest_file_bytes / MB:.2f} "
            f"| {spec.generation_s:.2f} |"
        )
    print()
    print(table(cases))
    found = targets(cases, args.sizes)
    print()
    print_targets(found)
    if args.json is not None:
        report = {
            "runs": args.runs,
            "sizes": args.sizes,
            "max_seconds": args.max_seconds,
            "python": platform.python_version(),
            "machine": platform.machine(),
            "cpus": os.cpu_count(),
            "load_average": {"before": load_before, "after": load_after},
            "bytecode_cache": not args.no_bytecode_cache,
            "specs": [{**asdict(s), "target": _shown(s.target)} for s in specs],
            "cases": [{**asdict(c), "name": c.name} for c in cases],
            "targets": [asdict(t) for t in found],
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2) + "\n", "utf-8")
    failed = any(t.status == "FAIL" for t in found)
    return 1 if failed and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
