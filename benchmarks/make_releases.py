"""A git repository of N releases of the OpenAI Model Spec, for timing versioned builds.

    python benchmarks/make_releases.py OUT [--releases N]

The two corpus releases (2025-10-27 and 2025-12-18) are imported to native sources
once each; release k (tagged ``v<k>.0``, which the default tag pattern takes) is the
older import for odd k and the newer one for even k, with one sentence appended to the
first section's text ("Benchmark release k."), so every release differs from the one
before it. ``OUT`` is the project folder (mkdocs.yml, spec/); ``--releases 1`` gives the
one-release repository the five-release build is compared with. The output is the same
for the same inputs (fixed author and dates), and the generator refuses a non-empty OUT.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus" / "openai-model-spec"
SOURCES = (CORPUS / "2025-10-27" / "model_spec.md", CORPUS / "2025-12-18" / "model_spec.md")
GIT_ENV = {
    "GIT_AUTHOR_NAME": "specgen benchmarks",
    "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "specgen benchmarks",
    "GIT_COMMITTER_EMAIL": "bench@example.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(repo: Path, *args: str, date: str = "") -> None:
    env = {**os.environ, **GIT_ENV}
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"git {' '.join(args)} failed: {done.stderr.strip()}")


def import_spec(source: Path, out: Path) -> None:
    """``specgen import SOURCE --force -o OUT`` with the specgen of this Python (forced:
    each Model Spec release has real lint errors, SG401/SG402)."""
    done = subprocess.run(
        [sys.executable, "-m", "specgen", "import", str(source), "--force", "-o", str(out)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0 or not (out / "mkdocs.yml").is_file():
        raise SystemExit(f"specgen import {source} failed:\n{done.stdout}{done.stderr}")


def first_section(spec: Path) -> Path:
    """The first section file of an imported spec (in file order), not the front page."""
    files = sorted(p for p in spec.rglob("*.md") if p.name != "index.md")
    if not files:
        raise SystemExit(f"no section files under {spec}")
    return files[0]


def make_releases(out: Path, releases: int, sources: tuple[Path, Path] = SOURCES) -> list[str]:
    """Write the repository; returns its tags, oldest first."""
    if out.exists() and any(out.iterdir()):
        raise SystemExit(f"{out} is not empty")
    out.mkdir(parents=True, exist_ok=True)
    tags: list[str] = []
    with tempfile.TemporaryDirectory(prefix="specgen-releases-") as tmp:
        imports = []
        for i, source in enumerate(sources):
            imports.append(Path(tmp, f"import-{i}"))
            import_spec(source, imports[-1])
        git(out, "init", "-q", "-b", "main")
        for k in range(1, releases + 1):
            for name in ("spec", "mkdocs.yml"):
                target = out / name
                if target.is_dir():
                    shutil.rmtree(target)
                elif target.exists():
                    target.unlink()
            imported = imports[(k - 1) % 2]
            shutil.copytree(imported / "spec", out / "spec")
            shutil.copy2(imported / "mkdocs.yml", out / "mkdocs.yml")
            section = first_section(out / "spec")
            text = section.read_text("utf-8").rstrip("\n")
            section.write_text(f"{text}\n\nBenchmark release {k}.\n", "utf-8")
            date = f"2025-01-{k:02d}T12:00:00+00:00"
            git(out, "add", "-A")
            git(out, "commit", "-q", "-m", f"release {k}", date=date)
            tags.append(f"v{k}.0")
            git(out, "tag", tags[-1], date=date)
    return tags


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("out", type=Path, help="the project folder to create")
    parser.add_argument("--releases", type=int, default=5, help="how many releases")
    args = parser.parse_args(argv)
    if args.releases < 1:
        parser.error("--releases must be at least 1")
    missing = [str(s) for s in SOURCES if not s.is_file()]
    if missing:
        raise SystemExit(f"the corpus is not there: {', '.join(missing)}")
    tags = make_releases(args.out, args.releases)
    print(f"{args.out}: {len(tags)} releases ({', '.join(tags)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
