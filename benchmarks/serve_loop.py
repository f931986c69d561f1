"""The author's loop: from saving a section file to the reload sent, under `specgen serve`.

    python benchmarks/serve_loop.py [--runs 9] [--sections 800] [--json FILE] [--check] [-v]

Each spec is served by a whole ``specgen serve`` process, as an author runs it. A client
waits on the server's reload signal for the edited section's page (the long poll its
pages' script makes, ``/__specgen__/wait``), then the benchmark saves the section file
with one more sentence and takes the time from just before the write to the answer
that the page was rewritten: file watching, re-reading, rendering, writing the page and
sending the reload, all included. The page is then fetched to check it holds the new
sentence (a time for a page without the edit would mean nothing).

The baseline, in the same run and the same process: saving ``mkdocs.yml``, which makes
serve rebuild the whole site before it sends the reload (what every save cost before
incremental rebuilds). Section saves and baseline saves alternate; after each, the
benchmark waits for serve to finish its lint and search index, so no save waits on the
one before.

Specs: the OpenAI Model Spec imported into native sources (80 sections, 6 lint errors
of its own) and the Model Spec grown to ``--sections`` sections by make_synthetic.py.
Targets: median save-to-reload at most 0.3 s for the Model Spec and 1 s for the 10x.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

from run import OUT, REPO, child_env

CORPUS = REPO.parent / "shared" / "corpus" / "openai-model-spec"
MODEL_SPEC = CORPUS / "2025-12-18" / "model_spec.md"
TARGETS = {"Model Spec (80 sections)": 0.3, "synthetic 10x": 1.0}
BIN = Path(sys.executable).parent


@dataclass
class Loop:
    name: str
    sections: int
    edit: list[float] = field(default_factory=list)  # save -> reload sent, a section file
    full: list[float] = field(default_factory=list)  # save -> reload sent, mkdocs.yml
    target: float = 0.0

    def row(self) -> str:
        edit, full = statistics.median(self.edit), statistics.median(self.full)
        verdict = "ok" if edit <= self.target else "FAIL"
        return (
            f"| {self.name} | {self.sections} | {edit:.3f} s | {min(self.edit):.3f}-"
            f"{max(self.edit):.3f} | {full:.2f} s | {full / edit:.0f}x | "
            f"<= {self.target} s {verdict} |"
        )


class Server:
    def __init__(self, project: Path, verbose: bool) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.lines: list[str] = []
        self.verbose = verbose
        self.process = subprocess.Popen(
            [str(BIN / "specgen"), "serve", "-a", f"127.0.0.1:{self.port}"],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**child_env(True), "PYTHONUNBUFFERED": "1"},
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))
            if self.verbose:
                print("   serve:", line.rstrip("\n"), flush=True)

    def wait_line(self, pattern: str, after: int, timeout: float = 300.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.lines[after:]:
                if re.search(pattern, line):
                    return line
            if self.process.poll() is not None:
                break
            time.sleep(0.01)
        raise SystemExit(f"serve never said {pattern!r}:\n" + "\n".join(self.lines[-20:]))

    def get(self, path: str, timeout: float = 60.0) -> str:
        with urllib.request.urlopen(self.url + path, timeout=timeout) as response:
            return str(response.read().decode("utf-8"))

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)


def _token(html: str) -> tuple[str, str]:
    found = re.search(r'data-sg-token="([^"]*)" data-sg-status="([^"]*)"', html)
    assert found, "the served page has no reload script"
    return found[1], found[2]


def _time_save(server: Server, page: str, save: Path, text: str, marker: str | None) -> float:
    """Seconds from writing ``save`` to the reload signal of ``page``."""
    token, status = _token(server.get(page))
    query = urllib.parse.urlencode({"page": page, "token": token, "status": status})
    answer: dict[str, object] = {}
    started = threading.Event()

    def wait() -> None:
        started.set()
        while True:  # a findings-only answer (status) is not a reload: wait on
            with urllib.request.urlopen(f"{server.url}__specgen__/wait?{query}", timeout=120) as r:
                got = json.loads(r.read())
            if got["token"] != token:
                answer.update(got, at=time.perf_counter())
                return

    waiter = threading.Thread(target=wait)
    waiter.start()
    started.wait()
    time.sleep(0.05)  # the long poll is in the server's hands
    lines = len(server.lines)
    begin = time.perf_counter()
    save.write_text(text, "utf-8")
    waiter.join(timeout=300)
    seconds = float(answer["at"]) - begin  # type: ignore[arg-type]
    if marker is not None:
        assert marker in server.get(page), "the reloaded page lacks the edit"
    server.wait_line(r"^Rebuilt ", lines)
    server.wait_line(r"^Search index updated", lines)  # quiet before the next save
    return seconds


def _leaf_section(spec_dir: Path) -> tuple[Path, str]:
    """A mid-spec section file without sub-sections, and its page's URL."""
    files = sorted(
        p for p in spec_dir.rglob("*.md") if p.name != "index.md" and "eval" not in p.parts[-2]
    )
    path = files[len(files) // 2]
    found = re.search(r"^id: *(\S+)$", path.read_text("utf-8"), re.M)
    assert found, path
    from specgen.identifiers import safe_slug  # the site's own page naming

    return path, f"{safe_slug(found[1].strip(chr(34) + chr(39)))}/"


def measure(name: str, project: Path, runs: int, verbose: bool) -> Loop:
    spec_dir = project / "spec"
    sections = sum(1 for _ in spec_dir.rglob("*.md"))
    loop = Loop(name, sections, target=TARGETS.get(name, 1.0))
    section, page = _leaf_section(spec_dir)
    config = project / "mkdocs.yml"
    original, config_text = section.read_text("utf-8"), config.read_text("utf-8")
    server = Server(project, verbose)
    try:
        server.wait_line(r"^Serving on", 0)
        for run in range(runs + 1):  # run 0 warms up, unmeasured
            marker = f"Sentence {run} saved by the benchmark."
            edit = _time_save(server, page, section, f"{original}\n{marker}\n", marker)
            full = _time_save(server, page, config, f"{config_text}\n# save {run}\n", None)
            if run:
                loop.edit.append(edit)
                loop.full.append(full)
            if verbose:
                print(f"  {name} run {run}: section {edit:.3f} s, mkdocs.yml {full:.3f} s")
    finally:
        server.stop()
        section.write_text(original, "utf-8")
        config.write_text(config_text, "utf-8")
    return loop


def make_specs(folder: Path, sections: int) -> dict[str, Path]:
    model = folder / "model-spec"
    subprocess.run(
        [str(BIN / "specgen"), "import", str(MODEL_SPEC), "-o", str(model), "--force"],
        check=True,
        capture_output=True,
    )
    synthetic = folder / "synthetic"
    subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "make_synthetic.py"),
            str(synthetic),
            "--sections",
            str(sections),
            "--dialect",
            "native",
        ],
        check=True,
        capture_output=True,
    )
    return {"Model Spec (80 sections)": model, "synthetic 10x": synthetic}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--sections", type=int, default=800, help="size of the synthetic spec")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--check", action="store_true", help="exit 1 when a target fails")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    if not MODEL_SPEC.is_file():
        print(f"no Model Spec at {MODEL_SPEC}", file=sys.stderr)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="serve-loop-", dir=OUT))
    try:
        loops = [
            measure(name, project, args.runs, args.verbose)
            for name, project in make_specs(folder, args.sections).items()
        ]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"\nSave to reload sent, median of {args.runs} saves each (whole `specgen serve`)\n")
    print(
        "| spec | source files | section saved | range | mkdocs.yml saved (full rebuild) "
        "| ratio | target |"
    )
    print("|---|---|---|---|---|---|---|")
    for loop in loops:
        print(loop.row())
    if args.json:
        args.json.write_text(json.dumps([asdict(loop) for loop in loops], indent=2), "utf-8")
    failed = [loop for loop in loops if statistics.median(loop.edit) > loop.target]
    return 1 if args.check and failed else 0


if __name__ == "__main__":
    os.chdir(REPO)
    raise SystemExit(main())
