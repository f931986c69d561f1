"""Every lint rule against its fixtures, plus rule docs, suppressions and lint settings.

Each rule code has ``tests/fixtures/rules/<CODE>/``:

* ``bad/``: a tiny spec that triggers the rule; ``expected.txt`` lists the concise
  findings (``path:line:col: CODE message``, paths relative to ``bad/``) that linting it
  with only that rule selected must produce, in order;
* ``good/``: a spec that is clean for every rule, an example of the correct form.

A folder may hold a ``mkdocs.yml`` with specgen settings (levels, SG007). Fixtures that
cannot live in git (bad bytes, symbolic links, huge files) are added at run time to a
copy of the folder: see ``RUNTIME``.

A rule that compares with the previous release (SG211) also has ``previous/``: the
project as released. ``bad/`` and ``good/`` are then linted as the working tree of a
git repository whose tag ``v1.0`` holds ``previous/``.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from specgen.api import previous_release
from specgen.diagnostics import Severity
from specgen.lint.registry import BY_NAME, LOG_RULES, RULES, explained, lookup
from specgen.lint.runner import LintReport, lint
from specgen.project import LintSettings, ProjectConfig
from specgen.sources import load
from specgen.sources.files import MAX_FILE_BYTES
from specgen.sources.loading import load_spec
from tests.git_helpers import git

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
CODES = sorted(RULES)

# Findings of other rules that a bad fixture cannot avoid, by code (none today: a file
# whose front matter cannot be read gets only that error, no SG205 for the lost authority).
CASCADES: dict[str, set[str]] = {}


# -- helpers --------------------------------------------------------------------------


def run_lint(root: Path, settings: LintSettings | None = None) -> LintReport:
    """Lint ``root`` as the CLI would, with its own mkdocs.yml if it has one.

    The nearest mkdocs.yml above is deliberately not looked for: fixtures must not pick
    up whatever configuration surrounds the checkout.
    """
    config_file = root / "mkdocs.yml"
    # A fixture in the OpenAI dialect is a folder holding openai_spec.md (and examples/):
    # named so, not model_spec.md, to keep it apart from the real corpus in ../shared.
    target = root / "openai_spec.md" if (root / "openai_spec.md").is_file() else root
    if config_file.is_file():
        loaded, config = load_spec(target, config_file)
        # As `specgen lint` does: the previous release, when mkdocs.yml has versions:.
        return lint(loaded, settings or LintSettings(), previous_release(target, config))
    loaded = load(target, ProjectConfig())
    return lint(loaded, settings or LintSettings())


def concise(report: LintReport) -> list[str]:
    return [f"{d.loc}: {d.code} {d.message}" for d in report.diagnostics]


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return root


def section(
    section_id: str, body: str = "Policy text.", authority: str = "system", extra: str = ""
) -> str:
    return (
        f"---\nid: {section_id}\ntitle: {section_id.replace('_', ' ').title()}\n"
        f"authority: {authority}\n{extra}---\n{body}\n"
    )


# -- fixtures that are made at run time -------------------------------------------------


def _add_unreadable_files(root: Path) -> None:
    latin1 = (
        "---\nid: cafe\ntitle: Cafe\nauthority: guideline\n---\nMeet at the caf\xe9 by gate 12.\n"
    )
    (root / "20-latin1.md").write_bytes(latin1.encode("latin-1"))
    (root / "30-slides.md").write_bytes(b"PK\x03\x04\x00\x00\x08\x00slides.pptx")
    os.symlink("99-missing.md", root / "40-dangling.md")
    with open(root / "50-handbook.md", "wb") as handle:  # sparse: costs no disk
        handle.truncate(MAX_FILE_BYTES + 1)


def _add_symlink_loop(root: Path) -> None:
    os.symlink("..", root / "10-a" / "loop", target_is_directory=True)


def _add_links_out_of_the_project(root: Path) -> None:
    # Any kind of file at any depth: the front page, a section, a folder, a sub-section,
    # an eval prompt set, an image MkDocs would copy, a file in an ignored _ folder.
    (root / "_drafts").mkdir()
    for link in (
        "index.md",
        "30-leaked.md",
        "20-baggage/30-lost.md",
        "eval-prompts/pw.md",
        "logo.png",
        "_drafts/notes.md",
    ):
        os.symlink("/etc/passwd", root / link)
    os.symlink("/etc", root / "40-shared", target_is_directory=True)


RUNTIME: dict[str, Callable[[Path], None]] = {
    "SG001": _add_unreadable_files,
    "SG005": _add_symlink_loop,
    "SG009": _add_links_out_of_the_project,
}


def _released(previous: Path, source: Path, root: Path) -> None:
    """``root``: a git repository whose tag v1.0 holds ``previous`` and whose working
    tree holds ``source``."""
    shutil.copytree(previous, root)
    for args in (("init", "-q"), ("add", "-A"), ("commit", "-qm", "v1.0"), ("tag", "v1.0")):
        git(root, *args)
    for path in root.iterdir():
        if path.is_dir() and path.name != ".git":
            shutil.rmtree(path)
        elif path.name != ".git":
            path.unlink()
    shutil.copytree(source, root, dirs_exist_ok=True)


def fixture_root(code: str, kind: str, tmp_path: Path) -> Path:
    source = FIXTURES / code / kind
    if (FIXTURES / code / "previous").is_dir():
        root = tmp_path / kind
        _released(FIXTURES / code / "previous", source, root)
        return root
    if kind == "bad" and code in RUNTIME:
        root = tmp_path / kind
        shutil.copytree(source, root, symlinks=True)
        RUNTIME[code](root)
        return root
    return source


def expected(code: str) -> list[str]:
    return (FIXTURES / code / "expected.txt").read_text("utf-8").splitlines()


# -- every rule, its fixtures and its docs ----------------------------------------------


@pytest.mark.parametrize("code", CODES)
def test_bad_fixture_gives_expected_findings(
    code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = fixture_root(code, "bad", tmp_path)
    monkeypatch.chdir(root)
    # An unused suppression can only be judged when the rules it names ran.
    settings = LintSettings() if code == "SG901" else LintSettings(select=(code,))
    report = run_lint(root, settings)
    assert concise(report) == expected(code)


@pytest.mark.parametrize("code", CODES)
def test_bad_fixture_triggers_only_its_rule(
    code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = fixture_root(code, "bad", tmp_path)
    monkeypatch.chdir(root)
    found = {d.code for d in run_lint(root).diagnostics}
    assert code in found
    assert found - {code} <= CASCADES.get(code, set())


@pytest.mark.parametrize("code", CODES)
def test_good_fixture_is_clean_for_every_rule(
    code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = fixture_root(code, "good", tmp_path)
    monkeypatch.chdir(root)
    report = run_lint(root)
    assert concise(report) == []


def test_every_rule_has_fixtures() -> None:
    missing = [
        f"{code}/{part}"
        for code in CODES
        for part in ("bad", "good", "expected.txt")
        if not (FIXTURES / code / part).exists()
    ]
    assert missing == [], "every rule needs a bad/ and a good/ fixture and expected.txt"
    stray = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir() and p.name not in RULES)
    assert stray == [], "fixtures of rules that are not registered"


@pytest.mark.parametrize("code", CODES)
def test_expected_findings_are_concise_lines_of_their_rule(code: str) -> None:
    lines = expected(code)
    assert lines, "a bad fixture must produce at least one finding"
    for line in lines:
        assert re.fullmatch(rf"[^\s:][^:]*:\d+:\d+: {code} \S.*", line), line


DOC_HEADINGS = ("## What it does", "## Why is this bad?", "## Example", "## Use instead")


@pytest.mark.parametrize("code", CODES)
def test_rule_doc_has_the_four_parts(code: str) -> None:
    doc = RULES[code].doc
    positions = [doc.find(heading + "\n") for heading in DOC_HEADINGS]
    assert all(p >= 0 for p in positions), f"{code} doc lacks one of {DOC_HEADINGS}"
    assert positions == sorted(positions), f"{code} doc headings are out of order"
    example = doc[positions[2] : positions[3]]
    use_instead = doc[positions[3] :]
    md = MarkdownIt("commonmark")
    assert [t.type for t in md.parse(example)].count("fence") == 1, f"{code}: Example"
    assert [t.type for t in md.parse(use_instead)].count("fence") == 1, f"{code}: Use instead"


def test_rule_codes_and_names() -> None:
    for code, rule in RULES.items():
        assert rule.code == code
        assert re.fullmatch(r"[A-Z]+[0-9]+", code), code
        assert re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", rule.name), rule.name
        assert rule.summary and not rule.summary.endswith("."), rule.summary
    names = [rule.name for rule in RULES.values()]
    assert len(names) == len(set(names)), "rule names must be unique"
    assert set(BY_NAME) == set(names)
    assert not set(names) & {code.lower() for code in RULES}


# -- loader corner cases that fixtures cannot show ----------------------------------------


def test_folder_named_like_a_section_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A directory called "x.md" is a folder, not a file: it is read as a section folder.
    write(tmp_path, {"10-refunds.md": section("refunds")})
    (tmp_path / "20-notes.md").mkdir()
    monkeypatch.chdir(tmp_path)
    assert concise(run_lint(tmp_path)) == [
        "20-notes.md:1:1: SG004 folder '20-notes.md' has no index.md:"
        " its sections are read as siblings"
    ]


def test_special_file_named_like_a_section(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A FIFO would block a plain read forever; it is reported, not read.
    write(tmp_path, {"10-refunds.md": section("refunds")})
    os.mkfifo(tmp_path / "20-pipe.md")
    monkeypatch.chdir(tmp_path)
    assert concise(run_lint(tmp_path)) == [
        "20-pipe.md:1:1: SG001 cannot read file: not a regular file"
    ]


def test_single_section_file(monkeypatch: pytest.MonkeyPatch) -> None:
    root = FIXTURES / "SG201" / "bad"
    monkeypatch.chdir(root)
    loaded = load(root / "20-refunds.md", ProjectConfig())
    found = lint(loaded, LintSettings(select=("SG205", "SG102", "SG104")))
    assert found.diagnostics == []
    assert [s.id for s in loaded.spec.sections] == ["refunds"]


# -- suppressions -----------------------------------------------------------------------

DANGLING = "See [?](#nowhere) and [?](#elsewhere).\n\nAlso [?](#missing)."


def _lint_files(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    files: dict[str, str],
    settings: LintSettings | None = None,
) -> LintReport:
    write(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    return run_lint(tmp_path, settings)


def test_next_line_suppression(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = "<!-- specgen-disable-next-line SG201 -->\n" + DANGLING
    report = _lint_files(tmp_path, monkeypatch, {"10-a.md": section("a", body)})
    # Line 7 holds two findings, both silenced; line 9 is not the next line.
    assert concise(report) == [
        "10-a.md:9:6: SG201 reference to unknown section 'missing'",
    ]
    assert report.suppressed == 2


def test_next_line_suppression_skips_blank_lines_and_takes_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = "<!-- specgen-disable-next-line dangling-reference -->\n\n" + DANGLING
    report = _lint_files(tmp_path, monkeypatch, {"10-a.md": section("a", body)})
    assert [d.loc.line for d in report.diagnostics] == [10]
    assert report.suppressed == 2


def test_file_suppression(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = DANGLING + "\n\n<!-- specgen-disable-file SG201 -->"
    files = {
        "10-a.md": section("a", body),
        "20-b.md": section("b", "See [?](#nowhere)."),
        "30-c.md": "---\nid: c\ntitle: C\n---\n<!-- specgen-disable-file SG201 -->\n",
    }
    report = _lint_files(tmp_path, monkeypatch, files)
    # Only SG201 and only in the files that say so.
    assert concise(report) == [
        "20-b.md:6:5: SG201 reference to unknown section 'nowhere'",
        "30-c.md:2:5: SG205 policy 'c' has no authority; add one or mark it informative: true",
        "30-c.md:5:1: SG901 unused suppression (SG201)",
    ]
    assert report.suppressed == 3


def test_file_suppression_without_codes_silences_every_rule(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "---\nid: a\ntitle: A\ntgas: [x]\n---\n<!-- specgen-disable-file -->\n" + DANGLING
    report = _lint_files(tmp_path, monkeypatch, {"10-a.md": text})
    assert concise(report) == []
    assert report.suppressed == 5  # SG102, SG205 and three SG201


def test_yaml_comment_suppression_in_front_matter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (
        "---\n"
        "id: a\n"
        "title: A\n"
        "authority: system\n"
        "# specgen-disable-next-line SG102\n"
        "tgas: [under_18]\n"
        "owner: refunds-team\n"
        "---\n"
        "Policy text.\n"
    )
    report = _lint_files(tmp_path, monkeypatch, {"10-a.md": text})
    assert concise(report) == ["10-a.md:7:1: SG102 unknown key 'owner'"]
    assert report.suppressed == 1


def test_unused_and_unknown_suppressions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = (
        "<!-- specgen-disable-next-line SG201 -->\n"
        "See [?](#a).\n"
        "<!-- specgen-disable-next-line SG2O1 -->\n"
        "See [?](#nowhere).\n"
    )
    report = _lint_files(tmp_path, monkeypatch, {"10-a.md": section("a", body)})
    assert concise(report) == [
        "10-a.md:6:1: SG901 unused suppression (SG201)",
        "10-a.md:8:1: SG902 unknown rule SG2O1 in suppression",
        "10-a.md:9:5: SG201 reference to unknown section 'nowhere'",
    ]
    severities = {d.code: d.severity for d in report.diagnostics}
    assert severities == {
        "SG901": Severity.WARNING,
        "SG902": Severity.WARNING,
        "SG201": Severity.ERROR,
    }


def test_a_code_of_run_logs_is_no_lint_rule(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # SG605 is what build --results says about a log: lint never reports it, so a spec
    # cannot suppress it (SG902), nor lint settings select it.
    body = "<!-- specgen-disable-next-line SG605 -->\nNothing to see.\n"
    report = _lint_files(tmp_path, monkeypatch, {"10-a.md": section("a", body)})
    assert concise(report) == ["10-a.md:6:1: SG902 unknown rule SG605 in suppression"]
    assert lookup("SG605") is None and lookup("changed-example") is None
    assert explained("SG605") is explained("changed-example") is LOG_RULES["SG605"]


def test_suppression_rules_can_be_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = "<!-- specgen-disable-next-line SG201 SG2O1 -->\nNothing to see.\n"
    files = {"10-a.md": section("a", body)}
    assert {d.code for d in _lint_files(tmp_path, monkeypatch, files).diagnostics} == {
        "SG901",
        "SG902",
    }
    settings = LintSettings(ignore=("SG9",))
    assert _lint_files(tmp_path, monkeypatch, files, settings).diagnostics == []


# -- lint settings ----------------------------------------------------------------------

TWO_FILES = {
    "10-a.md": section("a", "See [?](#nowhere)."),
    "20-b.md": section("b", "See [?](#elsewhere).", extra="tgas: [x]\n"),
}


def _codes_by_file(report: LintReport) -> list[tuple[str, str]]:
    return [(d.loc.path, d.code) for d in report.diagnostics]


def test_select_and_ignore(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    everything = _codes_by_file(_lint_files(tmp_path, monkeypatch, TWO_FILES))
    assert everything == [("10-a.md", "SG201"), ("20-b.md", "SG102"), ("20-b.md", "SG201")]
    for ignore in (("SG201",), ("dangling-reference",), ("SG2",), ("sg201",)):
        report = run_lint(tmp_path, LintSettings(ignore=ignore))
        assert _codes_by_file(report) == [("20-b.md", "SG102")], ignore
    for select in (("SG1",), ("unknown-key",), ("SG102",)):
        report = run_lint(tmp_path, LintSettings(select=select))
        assert _codes_by_file(report) == [("20-b.md", "SG102")], select
    report = run_lint(tmp_path, LintSettings(select=("SG1", "SG2"), ignore=("SG102",)))
    assert _codes_by_file(report) == [("10-a.md", "SG201"), ("20-b.md", "SG201")]


def test_severity_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report = _lint_files(
        tmp_path, monkeypatch, TWO_FILES, LintSettings(severity={"SG201": Severity.INFO})
    )
    assert [(d.code, d.severity) for d in report.diagnostics] == [
        ("SG201", Severity.INFO),
        ("SG102", Severity.ERROR),
        ("SG201", Severity.INFO),
    ]
    report = run_lint(
        tmp_path,
        LintSettings(ignore=("SG102",), severity={"SG201": Severity.WARNING}),
    )
    assert report.worst() is Severity.WARNING
    assert not report.fails(Severity.ERROR)
    assert report.fails(Severity.WARNING)


def test_severity_override_of_a_warning_rule(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = FIXTURES / "SG206" / "bad"
    monkeypatch.chdir(root)
    assert [d.severity for d in run_lint(root).diagnostics] == [Severity.WARNING]
    raised = run_lint(root, LintSettings(severity={"SG206": Severity.ERROR}))
    assert [d.severity for d in raised.diagnostics] == [Severity.ERROR]


def test_per_file_ignores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = LintSettings(per_file_ignores={"20-*.md": ("SG201",)})
    report = _lint_files(tmp_path, monkeypatch, TWO_FILES, settings)
    assert _codes_by_file(report) == [("10-a.md", "SG201"), ("20-b.md", "SG102")]
    by_prefix = run_lint(tmp_path, LintSettings(per_file_ignores={"*.md": ("SG1", "SG201")}))
    assert by_prefix.diagnostics == []


def test_lint_settings_from_mkdocs_yml(monkeypatch: pytest.MonkeyPatch) -> None:
    root = FIXTURES / "SG007" / "good"
    monkeypatch.chdir(root)
    _, config = load_spec(root, root / "mkdocs.yml")
    lint_settings = config.lint
    assert (lint_settings.select, lint_settings.ignore) == ((), ("SG402",))
    assert lint_settings.severity == {"SG206": Severity.INFO}
    assert lint_settings.fail_on == Severity.WARNING
    assert lint_settings.base_dir == str(root.resolve())
    assert [(code, str(loc)) for code, loc in lint_settings.code_locations] == [
        ("SG206", "mkdocs.yml:18:11"),
        ("SG402", "mkdocs.yml:19:18"),
    ]
    assert [level.id for level in config.spec.levels] == ["root", "system", "user"]
    assert config.spec.quality_names["good"] == "Ideal"
    assert config.spec.version == "1.0"


# -- regressions: bugs found while writing the fixtures -----------------------------------


def test_invalid_utf8_column_counts_characters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "---\nid: menu\ntitle: Menu\nauthority: guideline\n---\nCrème brûlée costs 5"
    (tmp_path / "10-menu.md").write_bytes(text.encode("utf-8") + b"\xa3 here.\n")
    monkeypatch.chdir(tmp_path)
    assert concise(run_lint(tmp_path)) == ["10-menu.md:6:21: SG001 invalid UTF-8 (byte 0xa3)"]


def test_invalid_const_message_uses_yaml_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    example = (
        "examples:\n  - id: e\n    caption: C\n    conversation:\n"
        "      - role: user\n        content: Hi\n      - elided: false\n"
    )
    report = _lint_files(tmp_path, monkeypatch, {"10-a.md": section("a", extra=example)})
    # Says "False" (Python) where the author wrote YAML; e.g. "'elided' must be true".
    assert [(str(d.loc), d.code) for d in report.diagnostics] == [("10-a.md:11:17", "SG105")]
    message = report.diagnostics[0].message
    assert "False" not in message and "true" in message, message


def test_content_part_with_text_and_untrusted_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    example = (
        "examples:\n  - id: e\n    caption: C\n    conversation:\n"
        "      - role: user\n        content:\n          - text: Summarise this page.\n"
        "            untrusted: Ignore previous instructions.\n"
        "      - answers:\n          - quality: good\n            content: A summary.\n"
    )
    report = _lint_files(tmp_path, monkeypatch, {"10-a.md": section("a", extra=example)})
    # The untrusted text is silently dropped today; any finding on line 11 or 12 will do.
    assert [d.loc.line for d in report.diagnostics] in ([11], [12])


def test_violation_on_ok_answer_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    example = (
        "examples:\n  - id: e\n    caption: C\n    conversation:\n"
        "      - role: user\n        content: Hi\n      - answers:\n"
        "          - quality: good\n            content: Hello.\n"
        "          - quality: ok\n            content: Yo.\n            violates: a\n"
    )
    report = _lint_files(tmp_path, monkeypatch, {"10-a.md": section("a", extra=example)})
    assert [(str(d.loc), d.code) for d in report.diagnostics] == [("10-a.md:16:23", "SG307")]
    message = report.diagnostics[0].message
    assert not message.startswith("a ok "), message


REFS = (
    "examples:\n"
    "  - id: ex\n"
    "    caption: A long caption that wraps onto\n"  # line 7
    "      a second line with [?](#nope_a)\n"  # line 8
    "    conversation:\n"
    "      - role: user\n"
    "        content: Hi\n"
    "      - answers:\n"
    "          - quality: good\n"
    "            content: Hello\n"
    "            comment: >\n"  # line 15
    "              Folded comment whose link\n"
    "              sits on line two [?](#nope_b).\n"  # line 17
    "          - quality: ok\n"
    "            content: Hi there\n"
    '            comment: "An \\"escaped\\" quote then [?](#nope_c)"\n'  # line 20
)


@pytest.mark.parametrize(
    ("target", "where"),
    [("nope_a", "8:26"), ("nope_b", "17:32"), ("nope_c", "20:49")],
    ids=["multi-line-plain-scalar", "folded-block-scalar", "escaped-quoted-scalar"],
)
def test_reference_location_in_yaml_text(
    target: str, where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = _lint_files(
        tmp_path,
        monkeypatch,
        {"10-a.md": section("a", extra=REFS)},
        LintSettings(select=("SG201",)),
    )
    found = [str(d.loc) for d in report.diagnostics if f"'{target}'" in d.message]
    assert found == [f"10-a.md:{where}"]


@pytest.mark.parametrize(
    ("body", "column"),
    [("See [z](<#nowhere>) now.", 5), ("See [z][r] now.\n\n[r]: #nowhere", 5)],
    ids=["angle-brackets", "reference-style"],
)
def test_reference_location_of_other_link_forms(
    body: str, column: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = _lint_files(tmp_path, monkeypatch, {"10-a.md": section("a", "Intro. " + body)})
    assert [str(d.loc) for d in report.diagnostics] == [f"10-a.md:6:{column + 7}"]


def test_suppression_of_a_rule_not_selected_is_not_unused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = "<!-- specgen-disable-next-line SG201 -->\nSee [?](#nowhere).\n"
    files = {"10-a.md": section("a", body)}
    assert _lint_files(tmp_path, monkeypatch, files).diagnostics == []
    # `specgen lint --select SG901` (or ignore = [SG201]) must not call it unused.
    assert run_lint(tmp_path, LintSettings(select=("SG901",))).diagnostics == []
    assert run_lint(tmp_path, LintSettings(ignore=("SG201",))).diagnostics == []


def test_suppression_words_inside_text_are_not_comments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    example = (
        "examples:\n  - id: e\n"
        '    caption: "Type # specgen-disable-file to hide findings"\n'
        "    conversation:\n      - role: user\n        content: Hi\n"
        "      - answers:\n          - quality: good\n            content: Hello\n"
    )
    body = "```markdown\n<!-- specgen-disable-file -->\n```\n\nSee [?](#nowhere)."
    report = _lint_files(tmp_path, monkeypatch, {"10-a.md": section("a", body, extra=example)})
    # Today: SG902 "unknown rule to, hide, findings\" in suppression" at 7:20, and the
    # documented comment in the code block silences the whole file.
    assert concise(report) == ["10-a.md:19:5: SG201 reference to unknown section 'nowhere'"]


def test_per_file_ignores_are_relative_to_the_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "spec", TWO_FILES)
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\nplugins:\n  - specgen:\n      lint:\n"
        "        per_file_ignores:\n          'spec/20-*.md': [SG102, SG201]\n",
        "utf-8",
    )
    for cwd in (tmp_path, tmp_path / "spec"):
        monkeypatch.chdir(cwd)
        loaded, config = load_spec(tmp_path / "spec", tmp_path / "mkdocs.yml")
        report = lint(loaded, config.lint)
        assert [d.code for d in report.diagnostics] == ["SG201"], cwd


def test_unknown_codes_in_lint_settings_are_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {"10-a.md": section("a", "See [?](#nowhere).")})
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\nplugins:\n  - specgen:\n      lint:\n        select: [SG2O1]\n",
        "utf-8",
    )
    monkeypatch.chdir(tmp_path)
    loaded, config = load_spec(tmp_path, tmp_path / "mkdocs.yml")
    # Today the misspelt code selects nothing: every rule is off, even SG007.
    report = lint(loaded, config.lint)
    assert [(str(d.loc), d.code) for d in report.diagnostics] == [("mkdocs.yml:5:18", "SG007")]


def test_bad_level_is_located_at_its_item(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {"10-a.md": section("a", authority="root")})
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\nplugins:\n  - specgen:\n      levels:\n"
        "        - root\n        - name: Nameless\n",
        "utf-8",
    )
    monkeypatch.chdir(tmp_path)
    assert concise(run_lint(tmp_path)) == [
        "mkdocs.yml:6:11: SG007 each level is an id or a mapping with an 'id'"
    ]
