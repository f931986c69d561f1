"""Running the CLI in-process from a given folder."""

from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner, Result

from specgen.cli import cli


def _invoke(args: tuple[str, ...], cwd: Path | None) -> Result:
    old = os.getcwd()
    os.chdir(cwd or old)
    try:
        return CliRunner().invoke(cli, list(args))
    finally:
        os.chdir(old)


def run_cli(*args: str, cwd: Path | None = None) -> tuple[int, str]:
    """Exit status and output (stdout and stderr) of ``specgen ARGS`` run in ``cwd``."""
    result = _invoke(args, cwd)
    return result.exit_code, result.output


def new_project(parent: Path) -> Path:
    code, out = run_cli("new", str(parent / "proj"))
    assert code == 0, out
    return parent / "proj"


def run_cli_split(*args: str, cwd: Path | None = None) -> tuple[int, str, str]:
    """Exit status, standard output and standard error of ``specgen ARGS`` run in
    ``cwd``, kept apart (notes on stderr must not spoil a JSON report)."""
    result = _invoke(args, cwd)
    return result.exit_code, result.stdout, result.stderr
