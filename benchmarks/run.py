"""Whole-process timings of ``specgen lint``, each next to a markdown-it baseline.

    python benchmarks/run.py [--runs N] [--scale N] [--json FILE] [--check]

Every case runs the ``specgen`` console script (the one next to this Python) from the
repository root, and, interleaved with it in the same loop, a baseline: a bare
``python -c`` that imports markdown_it and parses the same bytes (every .md file of that
spec, concatenated) with ``MarkdownIt('commonmark').parse``. The ratio says what specgen
costs on top of starting Python and parsing the Markdown once.

Wall time is measured around the child process (start to reap); peak RSS is that child's
own ``ru_maxrss`` from ``os.wait4``. Medians over ``--runs`` measured runs, after one
unmeasured warm-up run of each command.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "benchmarks" / "out"
MODEL_SPEC = Path("../shared/corpus/openai-model-spec/2025-12-18/model_spec.md")
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
    """Time ``specgen lint TARGET`` (or ``specgen import TARGET -o NEW_DIR``)."""
    files = markdown_files(REPO / target)
    joined = write_baseline_input(files, bench.scratch, name.split()[0])
    command = [str(bench.specgen), "lint", str(target)]
    if verb == "import":
        command = [str(bench.specgen), "import", str(target), "-o", ""]
        counter = iter(range(1_000_000))

        def fresh(argv: list[str]) -> list[str]:  # import refuses to overwrite: new folder
            return [*argv[:-1], str(bench.scratch / f"import-{next(counter)}")]
    else:

        def fresh(argv: list[str]) -> list[str]:
            return argv

    baseline = [sys.executable, "-c", BASELINE_CODE, str(joined)]
    result = CaseResult(name, command, len(files), joined.stat().st_size)
    case_samples: list[Sample] = []
    base_samples: list[Sample] = []
    measure(fresh(command), bench.env)  # warm-up: page cache, .pyc files
    measure(baseline, bench.env)
    for i in range(bench.runs):
        # alternate which goes first so slow drift hits both alike
        if i % 2 == 0:
            case_samples.append(measure(fresh(command), bench.env))
            base_samples.append(measure(baseline, bench.env))
        else:
            base_samples.append(measure(baseline, bench.env))
            case_samples.append(measure(fresh(command), bench.env))
        if bench.verbose:
            print(
                f"  {name} run {i + 1}: {case_samples[-1].seconds:.3f} s, "
                f"baseline {base_samples[-1].seconds:.3f} s",
                file=sys.stderr,
            )
    bad = [s.exit_code for s in base_samples if s.exit_code != 0]
    if bad:
        raise SystemExit(f"{name}: baseline failed (exit {bad[0]})")
    codes = {s.exit_code for s in case_samples}
    if len(codes) != 1 or not codes <= {0, 1}:
        raise SystemExit(f"{name}: specgen {verb} exited {sorted(codes)} (expected 0 or 1)")
    result.exit_code = codes.pop()
    result.times = [s.seconds for s in case_samples]
    result.baseline_times = [s.seconds for s in base_samples]
    result.median_s = statistics.median(result.times)
    result.baseline_median_s = statistics.median(result.baseline_times)
    result.ratio = result.median_s / result.baseline_median_s
    result.peak_rss_mb = max(s.peak_rss_kb for s in case_samples) / 1024
    result.baseline_peak_rss_mb = max(s.peak_rss_kb for s in base_samples) / 1024
    return result


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
    generator = REPO / "benchmarks" / "make_synthetic.py"
    done = subprocess.run(
        [sys.executable, str(generator), str(out), "--scale", str(scale), "--check"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
        raise SystemExit(f"the synthetic {scale}x spec does not lint clean; fix the sample first")
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=7, help="measured runs per command")
    parser.add_argument("--scale", type=int, default=10, help="size of the synthetic spec")
    parser.add_argument("--json", type=Path, help="write the results to this file")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target fails")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every run")
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
        readable, why = model_spec_readable(bench)
        if readable:
            model = run_case(bench, "OpenAI Model Spec", MODEL_SPEC)
            results.append(model)
            imported = run_case(bench, "OpenAI Model Spec import", MODEL_SPEC, "import")
            results.append(imported)
        else:
            skipped["OpenAI Model Spec"] = f"skipped: dialect not readable yet ({why})"

    print(
        f"specgen lint (and import), median of {args.runs} runs "
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
    targets = check_targets(sample, synthetic, model, args.scale, imported)
    print()
    for t in targets:
        value = "" if t.value is None else f" ({t.value:.3f}, limit {t.limit:g})"
        note = f" {t.note}" if t.note else ""
        print(f"{t.status}: {t.name}{value}{note}")

    if args.json is not None:
        report = {
            "runs": args.runs,
            "bytecode_cache": not args.no_bytecode_cache,
            "python": platform.python_version(),
            "machine": platform.machine(),
            "cpus": os.cpu_count(),
            "cases": [asdict(r) for r in results],
            "skipped": skipped,
            "targets": [asdict(t) for t in targets],
        }
        args.json.write_text(json.dumps(report, indent=2) + "\n", "utf-8")
    failed = any(t.status == "FAIL" for t in targets)
    return 1 if failed and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
