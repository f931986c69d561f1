"""The command line. Each command makes one core call and returns an exit status:
0 clean, 1 findings at or above the failing severity, 2 usage or internal error."""

from __future__ import annotations

import json
import os
import shlex
import sys
from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from specgen import __version__
from specgen.diagnostics import Diagnostic, Severity
from specgen.printable import escape_controls

if TYPE_CHECKING:  # the commands import what they use when they run
    from specgen.diff.model import SpecDiff
    from specgen.lint.runner import LintReport
    from specgen.sources import LoadResult

F = TypeVar("F", bound=Callable[..., Any])
FORMATS = ("full", "concise", "json", "sarif", "github")
EXIT_FINDINGS = 1
EXIT_ERROR = 2


def _guarded(func: F) -> F:
    """Internal errors become a one-line message and exit status 2, never a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            raise
        except Exception as exc:  # last resort: report, don't crash
            if os.environ.get("SPECGEN_DEBUG"):
                raise
            click.echo(
                escape_controls(f"specgen: internal error: {exc.__class__.__name__}: {exc}")
                + "\nSet SPECGEN_DEBUG=1 for a traceback and please report it.",
                err=True,
            )
            sys.exit(EXIT_ERROR)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="specgen")
def cli() -> None:
    """Lint, render, diff and publish AI behaviour specs."""


def _levels_option(func: F) -> F:
    return click.option(
        "--levels",
        metavar="A,B,C",
        help="Authority levels in order, highest first (default: the configured ones, "
        "else root,system,developer,user,guideline).",
    )(func)


def _parse_levels(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    levels = tuple(v.strip() for v in value.split(",") if v.strip())
    if not levels:
        raise click.UsageError("--levels needs at least one level, e.g. --levels root,user")
    if len(set(levels)) != len(levels):
        raise click.UsageError("--levels names a level twice")
    return levels


def _codes(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(c for value in values for c in value.replace(",", " ").split() if c)


def _say(line: str | None) -> None:
    """A note on stderr (stdout stays the command's output: a report, JSON, a diff)."""
    if line is not None:
        click.echo(escape_controls(line), err=True)


def _show_findings(report: LintReport, color: bool | None = None) -> None:
    """Lint findings in the full format, on stderr, as build shows them."""
    from specgen.lint.output import format_report

    if report.diagnostics:
        use_color = _use_color(color, None)
        text = format_report(report, "full", color=use_color)
        click.echo(text, nl=False, err=True, color=use_color)


def _refuse_on_lint(report: LintReport, threshold: Severity, force: bool, what: str) -> int:
    """Exit 1 when the report fails and the run is not forced; else the number of
    findings the run is forced past (0 when it passes)."""
    if not report.fails(threshold):
        return 0
    if not force:
        _say(f"specgen: not writing {what} because of lint errors (use --force to write anyway)")
        sys.exit(EXIT_FINDINGS)
    return report.failing(threshold)


def _written_despite(what: str, forced: int, threshold: Severity) -> None:
    from specgen.lint.runner import failing_text

    if forced:
        _say(f"specgen: {what} written despite {failing_text(forced, threshold)}")


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="full",
    show_default=True,
    help="Output format.",
)
@click.option("--statistics", is_flag=True, help="Count findings per rule instead of listing them.")
@click.option(
    "--select",
    multiple=True,
    help="Only these codes, names or prefixes (repeat or comma-separate).",
)
@click.option("--ignore", multiple=True, help="Skip these codes, names or prefixes.")
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    default=None,
    help="Lowest severity that makes the exit status 1 (default: the configured one, error).",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="mkdocs.yml to read specgen settings from (default: the nearest one).",
)
@click.option(
    "--color/--no-color", default=None, help="Colour the output (default: on a terminal)."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file instead of standard output.",
)
@_levels_option
@_guarded
def lint(
    paths: tuple[Path, ...],
    fmt: str,
    statistics: bool,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str | None,
    config_file: Path | None,
    color: bool | None,
    output: Path | None,
    levels: str | None,
) -> None:
    """Check a spec and report findings as path:line:col: CODE message.

    PATHS are spec folders, section files or OpenAI-dialect model_spec.md files;
    default: the spec folder of the nearest mkdocs.yml, else ./spec.
    """
    from specgen.api import lint_paths
    from specgen.lint.output import format_report
    from specgen.lint.registry import lookup
    from specgen.project import LintSettings
    from specgen.sources.loading import default_spec_path

    selected, ignored = _codes(select), _codes(ignore)
    for code in (*selected, *ignored):
        if lookup(code) is None and not any(c.startswith(code.upper()) for c in _all_codes()):
            raise click.UsageError(f"unknown rule '{code}' (see: specgen rules)")
    targets = list(paths) or [default_spec_path(Path.cwd())]
    for target in targets:
        if not target.exists():
            raise click.UsageError(f"no such file or folder: {target}")
    overrides = LintSettings(select=selected, ignore=ignored)
    threshold = Severity.parse(fail_on) if fail_on else None
    report, threshold = lint_paths(
        targets, overrides, config_file, threshold, _parse_levels(levels), _say
    )
    use_color = _use_color(color, output)
    text = format_report(report, fmt, color=use_color, statistics=statistics)
    if output is not None and output.resolve() in {Path(p).resolve() for p in report.texts}:
        raise click.UsageError(f"--output {output} is a file being linted: refusing to replace it")
    if output is not None:
        output.write_text(text, "utf-8")
    else:
        click.echo(text, nl=False, color=use_color)  # click strips colour off a tty
    sys.exit(EXIT_FINDINGS if report.fails(threshold) else 0)


def _all_codes() -> list[str]:
    from specgen.lint.registry import RULES

    return list(RULES)


def _use_color(flag: bool | None, output: Path | None) -> bool:
    if flag is not None:
        return flag
    if output is not None or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


@cli.command()
@click.argument("code", required=False)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@_guarded
def rules(code: str | None, fmt: str) -> None:
    """List every lint rule (and the codes `build --results` reports about a run's logs),
    or explain one (by code or name) with a bad and a good snippet."""
    from specgen.lint.registry import LOG_RULES, RULES, explained

    if code is not None:
        rule = explained(code)
        if rule is None:
            raise click.UsageError(f"unknown rule '{code}' (see: specgen rules)")
        if fmt == "json":
            click.echo(json.dumps(_rule_json(rule), indent=2))
        else:
            click.echo(f"{rule.code} {rule.name} ({rule.severity.label} by default)\n")
            click.echo(f"{rule.summary}.\n")
            click.echo(rule.doc.strip())
        return
    listed = [*RULES.values(), *LOG_RULES.values()]
    if fmt == "json":
        click.echo(json.dumps([_rule_json(r) for r in listed], indent=2))
        return
    width = max(len(r.name) for r in listed)
    for rule in listed:
        if rule.code == next(iter(LOG_RULES)):
            click.echo("\nReported by build --results about a run's logs, not by lint:")
        click.echo(f"{rule.code}  {rule.name:<{width}}  {rule.severity.label:<7}  {rule.summary}")


def _rule_json(rule: Any) -> dict[str, str]:
    return {
        "code": rule.code,
        "name": rule.name,
        "severity": rule.severity.label,
        "summary": rule.summary,
        "doc": rule.doc.strip(),
    }


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@_guarded
def new(directory: Path) -> None:
    """Create a new spec project in DIRECTORY (mkdocs.yml and a spec/ of three sections)."""
    from specgen.scaffold import ScaffoldError, scaffold

    try:
        written = scaffold(directory)
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from exc
    for path in written:
        click.echo(f"created {path}")
    folder = shlex.quote(str(directory))
    click.echo(
        escape_controls(
            f"\nNext: cd {folder} && specgen serve\n"
            "  then open http://127.0.0.1:8000/ and edit spec/*.md: each save shows in the "
            "page, lint errors over it.\n"
            "  specgen build writes the site to site/ for publishing.",
            keep="\n",
        )
    )


SCHEMA_KINDS = ("section", "eval-prompts", "eval-record", "spec")


@cli.command()
@click.option("--kind", type=click.Choice(SCHEMA_KINDS), default="section", show_default=True)
@_guarded
def schema(kind: str) -> None:
    """Print a JSON Schema: of a section's or an eval prompt set's front matter (for
    editors' completion), of an exported eval record (export --format jsonl) or of the
    whole-model JSON (export --format json)."""
    from specgen.evals import RECORD_SCHEMA, SPEC_SCHEMA
    from specgen.sources.schema import EVAL_SCHEMA, SECTION_SCHEMA, schema_text

    files = (SECTION_SCHEMA, EVAL_SCHEMA, RECORD_SCHEMA, SPEC_SCHEMA)
    names = dict(zip(SCHEMA_KINDS, files, strict=True))
    click.echo(schema_text(names[kind]), nl=False)


@cli.command(name="import")
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option(
    "-o",
    "--output",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Project folder to create: mkdocs.yml and spec/.",
)
@_levels_option
@click.option(
    "--force",
    is_flag=True,
    help="Write even when the source has lint errors or uses a level --levels lacks.",
)
@_guarded
def import_(source: Path, out_dir: Path, levels: str | None, force: bool) -> None:
    """Import an OpenAI-dialect model_spec.md (and its examples/) as native sources.

    SOURCE is the file, or a folder holding it. Without --levels the levels are the
    ones the source uses: the defaults when it uses no others, else the order of
    first use (confirm it in the written mkdocs.yml). Lint errors in the source stop
    the import unless --force.
    """
    from specgen.api import reading_note, used_levels, with_spec_levels
    from specgen.lint.runner import lint as run_lint
    from specgen.sources import OPENAI
    from specgen.sources.loading import load_spec
    from specgen.writers import WriteError, write_project

    requested = _parse_levels(levels)
    loaded, project = load_spec(source, None, requested)
    if loaded.dialect != OPENAI:
        raise click.UsageError(f"{source} is not in the OpenAI Model Spec dialect")
    _say(reading_note(loaded))
    used = used_levels(loaded.spec)
    known = {level.id for level in loaded.spec.config.levels}
    unknown = ", ".join(f"{lv} (first at {loc})" for lv, loc in used.items() if lv not in known)
    if unknown and requested is not None:
        missing = f"{source} uses authority levels --levels does not name: {unknown}"
        if not force:
            _say(
                f"specgen: not writing {out_dir}: {missing}; add them to --levels, highest "
                "first (or use --force to write anyway)"
            )
            sys.exit(EXIT_FINDINGS)
        _say(f"specgen: warning: {missing}")
    elif unknown:
        # Not the configured levels: the source's own, in the order it first uses
        # them. The dialect has no order of its own, so the user confirms it.
        loaded = with_spec_levels(loaded, tuple(used))
    report = run_lint(loaded, project.lint)
    _show_findings(report)
    threshold = project.lint.fail_on
    forced = _refuse_on_lint(report, threshold, force, str(out_dir))
    try:
        written = write_project(loaded.spec, out_dir, loaded.home)
    except WriteError as exc:
        raise click.ClickException(str(exc)) from exc
    sections = sum(1 for _ in loaded.spec.walk())
    click.echo(
        f"Imported {sections} sections and {len(loaded.spec.eval_sets)} eval prompt sets "
        f"into {out_dir} ({len(written)} files)"
    )
    if unknown and requested is None:
        _say(
            f"specgen: note: {source} uses levels besides "
            f"{', '.join(level.id for level in project.spec.levels)}, so the project has "
            f"the levels it uses, in the order of first use: {', '.join(used)}. Check that "
            f"order (highest first) under levels: in {out_dir / 'mkdocs.yml'}, or import "
            "again with --levels a,b,c"
        )
    _written_despite(str(out_dir), forced, threshold)


DATA_FORMATS = ("jsonl", "json")


@cli.command()
@click.argument("spec", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["openai-md", *DATA_FORMATS]),
    default="openai-md",
    show_default=True,
    help="openai-md: the OpenAI dialect; jsonl: one eval record per judged turn and per "
    "eval prompt; json: the whole model.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="File to write; for openai-md (required) eval prompt sets go to an examples/ "
    "folder beside it; for jsonl and json, - or none is standard output.",
)
@_levels_option
@click.option(
    "--force",
    is_flag=True,
    help="Write even when the spec has lint errors (openai-md) or files that could not be read.",
)
@_guarded
def export(spec: Path, fmt: str, output: Path | None, levels: str | None, force: bool) -> None:
    """Write a spec (native folder or OpenAI file) in another format.

    For openai-md the spec is linted first, with its project's settings: lint errors
    stop the export unless --force. jsonl and json are data, not a publication: lint
    does not stop them (see specgen schema --kind eval-record / spec for their shape).
    A file of the spec that could not be read stops every format unless --force.
    """
    from specgen.sources.loading import load_spec

    if fmt == "openai-md" and (output is None or str(output) == "-"):
        raise click.UsageError("--format openai-md writes files: give one with -o FILE")
    loaded, project = load_spec(spec, None, _parse_levels(levels))
    if fmt in DATA_FORMATS:  # before importing lint and the writers: 0.15 s it need not pay
        _export_data(loaded, fmt, output, force)
        return
    from specgen.api import reading_note
    from specgen.lint.runner import lint as run_lint
    from specgen.sources import OPENAI, codes
    from specgen.writers import export_eval_prompts, export_openai_md

    assert output is not None
    _say(reading_note(loaded))
    report = run_lint(loaded, project.lint)
    _show_findings(report)
    threshold = project.lint.fail_on
    forced = _refuse_on_lint(report, threshold, force, str(output))
    # Whatever the lint settings say, a file that could not be read would be missing
    # from the export without a word: that needs --force too.
    unreadable = [d for d in loaded.diagnostics if d.code in codes.NOT_READ]
    if unreadable and not force:
        _say(
            f"specgen: not writing {output}: {len(unreadable)} file(s) of the spec could not "
            "be read (use --force to write anyway)"
        )
        sys.exit(EXIT_FINDINGS)
    prompts = export_eval_prompts(loaded.spec)
    folder = output.parent / "examples"
    targets = [output, *(folder / name for name in prompts)]
    for path in targets:
        _refuse_spec_file(loaded, path)
        if path != output and folder.resolve() not in path.resolve().parents:
            raise click.ClickException(f"refusing to write {path}: outside {folder}")
    output.parent.mkdir(parents=True, exist_ok=True)
    # The text an OpenAI file had before its first heading goes back there; a native
    # front page has no place in the dialect (read back, it would be such text).
    home = loaded.home if loaded.dialect == OPENAI else None
    output.write_text(export_openai_md(loaded.spec, home), "utf-8")
    if prompts:
        folder.mkdir(exist_ok=True)
        for name, text in prompts.items():
            (folder / name).write_text(text, "utf-8")
    click.echo(f"Wrote {output}" + (f" and {len(prompts)} eval prompt files" if prompts else ""))
    _written_despite(str(output), forced, threshold)
    if unreadable and not forced:  # forced past unreadable files the lint settings hide
        _say(f"specgen: {output} written despite {len(unreadable)} unreadable file(s)")


def _refuse_spec_file(loaded: LoadResult, path: Path) -> None:
    sources = {Path(shown).resolve() for shown in loaded.texts}
    if path.resolve() in sources:  # an export must never replace the source
        raise click.ClickException(f"refusing to write {path}: it is a file of the spec read")


def _export_data(loaded: LoadResult, fmt: str, output: Path | None, force: bool) -> None:
    """The eval records (jsonl) or the whole model (json), to a file or stdout."""
    from specgen.evals.json_text import dumps
    from specgen.evals.model_json import spec_json
    from specgen.evals.records import eval_records
    from specgen.sources import codes

    if loaded.folder_read_as is not None:
        from specgen.api import reading_note  # imports lint: only when there is a note

        _say(reading_note(loaded))
    to_stdout = output is None or str(output) == "-"
    shown = "standard output" if to_stdout else str(output)
    unreadable = [d for d in loaded.diagnostics if d.code in codes.NOT_READ]
    for diag in unreadable:  # _say escapes what the file's text puts in the message
        _say(f"{diag.loc}: {diag.code} {' '.join(diag.message.split())}")
    if unreadable and not force:
        _say(
            f"specgen: not writing {shown}: {len(unreadable)} file(s) of the spec could not "
            "be read (use --force to write anyway)"
        )
        sys.exit(EXIT_FINDINGS)
    if fmt == "jsonl":
        records = eval_records(loaded.spec)
        text = "".join(dumps(record) + "\n" for record in records)
        count = sum(1 for r in records if r["kind"] == "comparison")
        what = f"{count} comparisons and {len(records) - count} eval prompts"
    else:
        text = dumps(spec_json(loaded.spec, loaded.home), indent=2) + "\n"
        what = "the whole spec"
    data = text.encode("utf-8")
    if to_stdout:
        sys.stdout.flush()  # JSON is UTF-8 whatever the terminal's encoding
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        assert output is not None
        _refuse_spec_file(loaded, output)
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(data)
        click.echo(escape_controls(f"Wrote {output}: {what}"))
    if unreadable:
        _say(f"specgen: {shown} written despite {len(unreadable)} unreadable file(s)")


FAIL_ON_CHANGES = ("any", "authority", "authority-lowered", "removed", "text", "verdict")


@cli.command()
@click.argument("old")
@click.argument("new")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "markdown", "json"]),
    default="html",
    show_default=True,
    help="html: a self-contained page; markdown: a pull-request comment; json: for tools.",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Default: stdout."
)
@click.option(
    "--base-url", help="Preview site of NEW: the Markdown report links its sections there."
)
@click.option(
    "--repo-url",
    help="The repository on its forge (GitHub, GitLab, Gitea), for source links; "
    "default: repo_url of mkdocs.yml.",
)
@click.option(
    "--fail-on",
    multiple=True,
    type=click.Choice(FAIL_ON_CHANGES),
    help="Exit 1 when the diff has such a change (any change, an authority change, a "
    "lowered authority, a removed section, changed words (not formatting only), a "
    "changed verdict). Repeatable.",
)
@_levels_option
@_guarded
def diff(
    old: str,
    new: str,
    fmt: str,
    output: Path | None,
    base_url: str | None,
    repo_url: str | None,
    fail_on: tuple[str, ...],
    levels: str | None,
) -> None:
    """Show what changed between two versions of a spec.

    OLD and NEW are each a spec folder, an OpenAI model_spec.md, or a git revision of
    this repository (the project's spec at that revision; REV:path for another path).
    """
    from specgen.api import diff_sides, reading_note
    from specgen.sources import codes
    from specgen.sources.revisions import SideError, load_side

    order = _parse_levels(levels)
    try:
        old_side = load_side(old, order)
        new_side = load_side(new, order)
    except SideError as exc:
        raise click.UsageError(str(exc)) from exc
    for side in (old_side, new_side):
        _say(reading_note(side.loaded, _side_file(side.label)))
        unreadable = [d for d in side.loaded.diagnostics if d.code in codes.NOT_READ]
        if unreadable:
            first = unreadable[0]
            click.echo(
                escape_controls(
                    f"specgen: warning: {side.label}: {len(unreadable)} unreadable file(s), "
                    f"e.g. {first.loc}: {first.code} {first.message}"
                ),
                err=True,
            )
    result = diff_sides(old_side, new_side, repo_url)
    if repo_url is not None and result.new_origin.forge is None:
        _say(
            f"specgen: warning: --repo-url {repo_url}: not an http(s) repository "
            "(owner/name) on GitHub, GitLab or Gitea (name a self-hosted one with the "
            "plugin's forge setting): no source links"
        )
    text = _diff_text(result, fmt, base_url)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, "utf-8")
        click.echo(f"Wrote {output}", err=True)
    from specgen.diff.gate import triggered

    hits = triggered(result, fail_on)
    if hits:
        click.echo(f"specgen: the diff has {', '.join(hits)} (--fail-on)", err=True)
        sys.exit(EXIT_FINDINGS)


def _side_file(label: str) -> str:
    """How to name the model_spec.md a diff side's folder was read as: after the side
    as given (a folder, REV:folder), not the scratch copy a revision is read from."""
    from specgen.sources import MODEL_SPEC

    if ":" in label or Path(label).exists():
        return f"{label.rstrip('/')}/{MODEL_SPEC}"
    return f"{MODEL_SPEC} of the spec folder at {label}"


def _diff_text(result: SpecDiff, fmt: str, base_url: str | None) -> str:
    if fmt == "json":
        from specgen.diff.json_out import diff_to_json

        return json.dumps(diff_to_json(result), indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        from specgen.diff.markdown_out import render_diff_markdown

        return render_diff_markdown(result, base_url)
    from specgen.diff.html_out import render_diff_html

    return render_diff_html(result)


def _config_file(config_file: Path | None) -> Path:
    from specgen.sources.config import find_config

    found = config_file or find_config(Path.cwd())
    if found is None:
        raise click.UsageError(
            "no mkdocs.yml here or above; create a project with: specgen new DIR"
        )
    return found


@cli.command()
@click.argument("spec", required=False, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--config",
    "config_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="mkdocs.yml to build with (default: the spec's project's, else specgen's own).",
)
@click.option(
    "-d",
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write the site (default: the configuration's site_dir, else ./site).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Build even when the spec (with --all-versions: a release to build) has lint errors.",
)
@click.option(
    "--all-versions",
    is_flag=True,
    help="Build every release (git tags, or versions: releases: in mkdocs.yml) into "
    "SITE/<version>/, with latest/, versions.json and a releases page.",
)
@click.option(
    "--diff-base",
    metavar="REV",
    help="A preview site: the diff from REV (a git revision, or a spec folder or file) "
    "to SPEC is a page of the site, SITE/diff/, linked from its home page.",
)
@click.option(
    "--repo-url",
    help="With --diff-base: the repository on its forge (GitHub, GitLab, Gitea), for the "
    "diff page's source links; default: repo_url of mkdocs.yml.",
)
@click.option(
    "--offline",
    is_flag=True,
    help="A copy that works from disk (file://): plain .html links, search without a server.",
)
@click.option(
    "--results",
    "results",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    metavar="LOG",
    help="An inspect log of `specgen eval` (.eval or .json), or a folder of them, to show "
    "on the site: each example's verdict, compliance rates, a results page. Repeat for "
    "several.",
)
@_levels_option
@click.option("--color/--no-color", default=None)
@_guarded
def build(
    spec: Path | None,
    config_file: Path | None,
    site_dir: Path | None,
    force: bool,
    all_versions: bool,
    diff_base: str | None,
    repo_url: str | None,
    offline: bool,
    results: tuple[Path, ...],
    levels: str | None,
    color: bool | None,
) -> None:
    """Lint SPEC, then build its site (lint errors stop the build unless --force).

    SPEC is a native spec folder or an OpenAI model_spec.md; by default the spec of
    the project in the current folder.
    """
    from specgen.api import load_and_lint, reading_note

    if offline and (all_versions or diff_base):
        raise click.UsageError(
            "--offline builds one site to open from disk: not with --all-versions or --diff-base"
        )
    if all_versions and (diff_base or repo_url):
        raise click.UsageError("--diff-base and --repo-url build one site: not --all-versions")
    if repo_url and not diff_base:
        raise click.UsageError("--repo-url is for the diff page: give --diff-base too")
    if all_versions:
        _build_all_versions(
            spec, config_file, site_dir, _parse_levels(levels), force, color, results
        )
        return
    if spec is None:
        project_file = _config_file(config_file)
        from specgen.sources.loading import default_spec_path

        spec = default_spec_path(project_file.parent)
    preview = None
    if diff_base is not None:  # first: a base that names no spec is said before linting
        from specgen.site.preview import preview_diff
        from specgen.sources.revisions import SideError

        try:
            preview = preview_diff(diff_base, spec, _parse_levels(levels), repo_url)
        except SideError as exc:
            raise click.UsageError(f"--diff-base {exc}") from exc
    checked = load_and_lint(spec, config_file, _parse_levels(levels))
    loaded, project, report = checked.loaded, checked.project, checked.report
    _say(reading_note(loaded))
    _show_findings(report, color)
    threshold = project.lint.fail_on
    if report.fails(threshold) and not force:
        click.echo(
            "specgen: not building because of lint errors (use --force to build anyway)", err=True
        )
        sys.exit(EXIT_FINDINGS)
    # The sources' text was kept for the report's excerpts; the site needs none of it
    # (the spec's model holds what it shows), and it is 100 MB at 8,000 sections.
    loaded.texts.clear()
    matched = None
    if results:
        from specgen.evals.results import load_results

        matched = load_results(loaded.spec, results)
        _show_log_warnings(matched.warnings)

    from specgen.site.build import BuildError, build_site

    try:
        target = build_site(
            loaded,
            project,
            site_dir,
            config_file,
            preview=preview,
            offline=offline,
            results=matched,
        )
    except BuildError as exc:
        click.echo(escape_controls(f"specgen: build failed: {exc}"), err=True)
        sys.exit(EXIT_ERROR)
    opened = f"; open {target / 'index.html'}" if offline else ""
    click.echo(escape_controls(f"Site written to {target}{opened}"))  # site_dir: maybe mkdocs.yml's
    if preview is not None:
        click.echo(escape_controls(f"Diff against {diff_base}: {target / 'diff' / 'index.html'}"))
    if report.fails(threshold):
        _written_despite("site", report.failing(threshold), threshold)


def _show_log_warnings(warnings: Sequence[Diagnostic]) -> None:
    """What in the logs of --results does not match, as findings are shown: path: code
    message (explained by `specgen rules CODE`)."""
    for warning in warnings:
        _say(f"{warning.loc.path}: {warning.code} {warning.message}")


def _build_all_versions(
    spec: Path | None,
    config_file: Path | None,
    site_dir: Path | None,
    levels: tuple[str, ...] | None,
    force: bool,
    color: bool | None,
    results: tuple[Path, ...] = (),
) -> None:
    from specgen.releases import ReleaseError
    from specgen.site.build import BuildError
    from specgen.site.output_folder import UnsafeOutput
    from specgen.site.progress import ProgressReporter
    from specgen.site.versions import ReleaseLintError, build_all_versions
    from specgen.sources.loading import project_for

    if spec is not None:
        raise click.UsageError("--all-versions builds the project's releases: give no SPEC")
    project, config_diags = project_for(Path.cwd(), _config_file(config_file))
    errors = [d for d in config_diags if d.severity is Severity.ERROR]
    if errors:  # an unsafe release could name a folder outside the site: never guess
        for diag in errors:
            click.echo(escape_controls(f"{diag.loc}: {diag.code} {diag.message}"), err=True)
        click.echo("specgen: mkdocs.yml has errors; not building", err=True)
        sys.exit(EXIT_FINDINGS)
    target = site_dir or (project.root or Path.cwd()) / "site"
    # Progress on stderr, redrawn in place on a terminal; stdout keeps the summary.
    progress = ProgressReporter(sys.stderr)

    def show_findings(report: LintReport) -> None:
        if report.diagnostics:
            progress.clear()  # findings start on their own line, not after the status
        _show_findings(report, color)

    logs = None
    if results:
        from specgen.evals.results import read_logs

        logs, unread = read_logs(results)
        _show_log_warnings(unread)

    def show_log_warnings(warnings: Sequence[Diagnostic]) -> None:
        if warnings:
            progress.clear()
        _show_log_warnings(warnings)

    try:
        with progress:
            built = build_all_versions(
                project,
                target,
                levels,
                progress,
                force=force,
                findings=show_findings,
                logs=logs,
                log_warnings=show_log_warnings,
            )
    except ReleaseLintError as exc:
        which = f"release{'s' if len(exc.versions) > 1 else ''} {', '.join(exc.versions)}"
        _say(f"specgen: not writing {which} because of lint errors (use --force to build anyway)")
        sys.exit(EXIT_FINDINGS)
    except (ReleaseError, BuildError, UnsafeOutput) as exc:
        click.echo(escape_controls(f"specgen: {exc}"), err=True)
        sys.exit(EXIT_ERROR)
    rebuilt = sum(1 for b in built if b.rebuilt)
    click.echo(
        f"{len(built)} releases in {target} ({rebuilt} built, {len(built) - rebuilt} up to date)"
    )


@cli.command()
@click.argument("spec", required=False, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--config", "config_file", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "-a",
    "--dev-addr",
    default="127.0.0.1:8000",
    show_default=True,
    help="Address to serve on (loopback by default).",
)
@_guarded
def serve(spec: Path | None, config_file: Path | None, dev_addr: str) -> None:
    """Serve the site on loopback, rebuilding what an edit changed and reloading its page.

    SPEC is the project's spec by default; a spec with no project of its own (an OpenAI
    model_spec.md, a bare folder) is served in specgen's default look, as build does.
    It serves a spec with lint errors too, and shows them (and build errors) over the
    page in the browser, with their place and rule.
    """
    from specgen.site.serve import Address, ServeError
    from specgen.site.serve import serve as serve_site

    host, _, port = dev_addr.rpartition(":")
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise click.UsageError("--dev-addr must be HOST:PORT")
    address = Address(host.strip("[]") or "127.0.0.1", int(port))
    project_file = _project_serving(spec, config_file)
    try:
        serve_site(project_file, address, click.echo, spec=spec)
    except ServeError as exc:
        click.echo(escape_controls(f"specgen: {exc}"), err=True)
        sys.exit(EXIT_ERROR)


def _project_serving(spec: Path | None, config_file: Path | None) -> Path | None:
    """The mkdocs.yml to serve: the project's (of the current folder, or the one whose
    spec SPEC is); None for a SPEC that is no project's spec."""
    if spec is None:
        return _config_file(config_file)
    from specgen.sources.loading import project_for

    project, _ = project_for(spec, config_file)
    if project.config_file is None:
        return None
    spec_path = (project.root or Path.cwd()) / project.spec_dir
    if spec_path.resolve() == spec.resolve():
        return project.config_file
    if config_file is not None:  # serve rebuilds the spec its mkdocs.yml names
        raise click.UsageError(
            f"{spec} is not the spec of {config_file} (its spec_dir: {spec_path})"
        )
    return None


EVAL_KINDS = ("comparison", "eval_prompt")
NO_MODEL = """specgen eval: which model should answer? Pass --model PROVIDER/MODEL
(as inspect-ai names it):
  --model openai/gpt-4o                  (needs OPENAI_API_KEY)
  --model anthropic/claude-sonnet-4-0    (needs ANTHROPIC_API_KEY)
  --model mockllm/model                  a dry run of the plumbing: canned replies, no verdicts
or set INSPECT_EVAL_MODEL. Providers, their packages and keys are inspect-ai's:
https://inspect.aisi.org.uk/providers.html"""


@cli.command(name="eval")
@click.argument("spec", required=False, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--model",
    metavar="PROVIDER/MODEL",
    help="The model to evaluate, as inspect-ai names it (default: $INSPECT_EVAL_MODEL).",
)
@click.option(
    "--grader-model",
    metavar="PROVIDER/MODEL",
    help="The model that grades each response (default: the model under test).",
)
@click.option(
    "--section",
    "sections",
    multiple=True,
    metavar="ID",
    help="Run this section's examples and eval prompts, its subsections' too (repeatable).",
)
@click.option(
    "--level", "only_levels", multiple=True, metavar="LEVEL", help="Run this level (repeatable)."
)
@click.option(
    "--tag", "tags", multiple=True, metavar="TAG", help="Run sections with this tag (repeatable)."
)
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(EVAL_KINDS),
    help="Run only judged turns of examples (comparison) or eval prompts (repeatable).",
)
@click.option("--limit", type=click.IntRange(min=1), metavar="N", help="Run at most N samples.")
@click.option("--epochs", type=click.IntRange(min=1), metavar="N", help="Run each sample N times.")
@click.option(
    "--max-connections",
    type=click.IntRange(min=1),
    metavar="N",
    help="Concurrent requests to the model (inspect's default otherwise).",
)
@click.option(
    "--log-dir",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Where inspect writes the log (default: inspect's, ./logs or $INSPECT_LOG_DIR).",
)
@_levels_option
@_guarded
def eval_(
    spec: Path | None,
    model: str | None,
    grader_model: str | None,
    sections: tuple[str, ...],
    only_levels: tuple[str, ...],
    tags: tuple[str, ...],
    kinds: tuple[str, ...],
    limit: int | None,
    epochs: int | None,
    max_connections: int | None,
    log_dir: Path | None,
    levels: str | None,
) -> None:
    """Run SPEC's examples and eval prompts as an inspect-ai eval of a model.

    Each judged turn of an example, and each eval prompt, is a sample: the model
    answers the conversation, and a grader model judges the answer against the
    section's text and the example's judged answers (compliant, minor issues or
    violation, with a reason). SPEC defaults to the project's spec. Concurrency,
    retries and the log are inspect-ai's; view the log with `inspect view`. Exit
    status 1 when some samples could not be graded (not measured).
    """
    try:
        from specgen.eval_run.run import EvalRunError, run_eval, tally_text
    except ImportError as exc:  # the extra is not installed (or a part of it is broken)
        if "inspect_ai" not in f"{exc.name} {exc}":
            raise
        _say("specgen eval needs inspect-ai: pip install 'specgen[eval]'")
        sys.exit(EXIT_ERROR)
    model = model or os.environ.get("INSPECT_EVAL_MODEL") or None
    if model is None:
        click.echo(NO_MODEL, err=True)
        sys.exit(EXIT_ERROR)
    if spec is None:
        from specgen.sources.loading import default_spec_path

        spec = default_spec_path(_config_file(None).parent)
    try:
        summary = run_eval(
            spec,
            model,
            grader_model,
            sections=_codes(sections),
            levels=_codes(only_levels),
            tags=_codes(tags),
            kinds=kinds,
            level_order=_parse_levels(levels) or (),
            limit=limit,
            epochs=epochs,
            max_connections=max_connections,
            log_dir=log_dir,
        )
    except EvalRunError as exc:
        _say(f"specgen eval: {exc}")
        sys.exit(EXIT_ERROR)
    click.echo(escape_controls(f"Log: {summary.log_path}"))
    click.echo(escape_controls(f"Compliance: {tally_text(summary.overall)}"))
    for level, tally in summary.levels.items():
        click.echo(escape_controls(f"  {level or '(no level)'}: {tally_text(tally)}"))
    if summary.error:
        _say(f"specgen eval: the run stopped: {summary.error}")
    if summary.not_measured:
        _say(
            f"Not measured: {summary.not_measured} of {summary.expected} samples (errors, e.g. "
            "a grader reply with no verdict: see the log with `inspect view`)"
        )
    if not summary.complete:
        sys.exit(EXIT_FINDINGS)


def main() -> None:
    """Console entry point: usage errors exit 2 (click's own convention)."""
    cli(prog_name="specgen")
