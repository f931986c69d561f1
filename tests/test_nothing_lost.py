"""Nothing lost, nothing unseen: text the OpenAI-dialect reader cannot place is reported,
kept where it stood, shown on the site, exported unchanged and compared by diff.

The minimal case is the issue's: a stray character before three tags of one example,
as one public release of the Model Spec has it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from specgen.model import AnswerSet, Message, Unparsed
from specgen.project import ProjectConfig
from specgen.sources import load
from tests.cli_helpers import run_cli

HEADER = "# Spec {#spec}\n\nIntro.\n\n## Refunds {#refunds authority=root}\n\nOffer refunds.\n\n"
BROKEN = """**Example**: a cancelled flight

~~~xml
<user>My flight was cancelled: can I get my money back?</user>
*<comparison>
*<assistant> <!-- GOOD -->Yes: the full fare, to your card.</assistant>
<assistant> <!-- BAD -->No.</assistant>
*</comparison>
~~~
"""


def write_spec(folder: Path, example: str = BROKEN, name: str = "model_spec.md") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "examples").mkdir(exist_ok=True)
    path = folder / name
    path.write_text(HEADER + example, "utf-8")
    return path


def test_stray_text_before_tags_names_the_real_cause_and_keeps_everything(
    tmp_path: Path,
) -> None:
    spec = write_spec(tmp_path)
    loaded = load(spec, ProjectConfig())
    found = [(d.loc.line, d.loc.column, d.code, d.message) for d in loaded.diagnostics]
    assert found == [
        (13, 1, "SG012", "stray text '*' before <comparison>"),
        (14, 1, "SG012", "stray text '*' before <assistant>"),
        (16, 1, "SG012", "stray text '*' before </comparison>"),
    ]
    (section,) = [s for s in loaded.spec.walk() if s.id == "refunds"]
    (example,) = section.examples
    user, stray, answers = example.turns
    assert isinstance(user, Message) and "money back" in user.parts[0].markdown.text  # type: ignore[union-attr]
    assert stray == Unparsed("*", stray.loc, reported=True)
    assert isinstance(answers, AnswerSet)
    assert [a.quality for a in answers.answers] == ["good", "bad"]
    assert [u.text for u in answers.unparsed] == ["*", "*"]


def test_writing_commands_refuse_and_forced_ones_keep_the_text(tmp_path: Path) -> None:
    spec = write_spec(tmp_path / "src")
    code, out = run_cli("import", str(spec), "-o", str(tmp_path / "proj"), cwd=tmp_path)
    assert code == 1 and "SG012" in out and not (tmp_path / "proj").exists(), out
    code, out = run_cli("import", str(spec), "-o", str(tmp_path / "proj"), "--force", cwd=tmp_path)
    assert code == 0, out
    imported = (tmp_path / "proj" / "spec").rglob("*.md")
    text = "\n".join(p.read_text("utf-8") for p in imported)
    assert "money back" in text and "the full fare" in text and '- unparsed: "*"' in text
    # The imported project does not lint clean: the kept text is still reported.
    code, out = run_cli("lint", "--format", "concise", cwd=tmp_path / "proj")
    assert code == 1 and out.count("SG308") == 2, out

    code, out = run_cli("export", str(spec), "-o", str(tmp_path / "out" / "model_spec.md"))
    assert code == 1, out
    code, out = run_cli(
        "export", str(spec), "-o", str(tmp_path / "out" / "model_spec.md"), "--force"
    )
    assert code == 0, out
    exported = (tmp_path / "out" / "model_spec.md").read_text("utf-8")
    for words in ("money back", "the full fare", "No."):
        assert words in exported
    assert exported.split("\n").count("*") == 3  # each stray character kept, on its own line


def test_the_site_shows_unparsed_text_as_written(tmp_path: Path) -> None:
    spec = write_spec(tmp_path)
    code, out = run_cli("build", str(spec), "-d", str(tmp_path / "site"), "--force")
    assert code == 0, out
    page = (tmp_path / "site" / "refunds" / "index.html").read_text("utf-8")
    assert page.count('class="sg-unparsed"') == 3
    assert "Not parsed" in page and "model_spec.md, line 13" in page
    assert "the full fare" in page and "money back" in page
    assert str(tmp_path) not in page  # the build machine's path is not published


def test_diff_sees_an_edit_inside_the_broken_region(tmp_path: Path) -> None:
    old = write_spec(tmp_path / "old")
    for name, edit in (
        ("flip", BROKEN.replace("<!-- GOOD -->", "<!-- BAD -->", 1)),
        ("text", BROKEN.replace("the full fare", "the full fare and taxes")),
        ("stray", BROKEN.replace("*</comparison>", "**</comparison>")),
    ):
        new = write_spec(tmp_path / name, edit)
        report = tmp_path / f"{name}.json"
        code, out = run_cli("diff", str(old), str(new), "--format", "json", "-o", str(report))
        assert code == 0, out
        data = json.loads(report.read_text("utf-8"))
        changed = [s["id"] for s in data["sections"] if s["status"] != "unchanged"]
        assert changed == ["refunds"], (name, changed)
        code, out = run_cli("diff", str(old), str(new), "--fail-on", "any")
        assert code == 1, (name, out)
    code, out = run_cli("diff", str(old), str(tmp_path / "flip"), "--fail-on", "verdict")
    assert code == 1 and "verdict" in out, out


def test_whitespace_only_change_is_still_a_change(tmp_path: Path) -> None:
    old = write_spec(tmp_path / "old")
    new = write_spec(tmp_path / "new", BROKEN.replace("Offer", "Offer"))
    new.write_text(new.read_text("utf-8").replace("Offer refunds.", "Offer refunds.   "), "utf-8")
    code, out = run_cli("diff", str(old), str(new), "--format", "markdown")
    assert code == 0 and "source only" in out, out
    code, out = run_cli("diff", str(old), str(new), "--fail-on", "any")
    assert code == 1, out


def test_settings_in_a_developer_message_stay_on_it(tmp_path: Path) -> None:
    example = (
        "**Example**: a token limit\n\n~~~xml\n<developer>\nReply in Markdown.\n<settings>\n"
        "max_tokens: 1024\n</settings>\n</developer>\n<user>Write an essay.</user>\n"
        "<comparison>\n<assistant> <!-- GOOD -->Short essay.</assistant>\n</comparison>\n~~~\n"
    )
    spec = write_spec(tmp_path / "src", example)
    loaded = load(spec, ProjectConfig())
    assert loaded.diagnostics == []
    (section,) = [s for s in loaded.spec.walk() if s.id == "refunds"]
    developer = section.examples[0].turns[0]
    assert isinstance(developer, Message) and developer.settings == ("max_tokens=1024",)
    assert developer.parts[0].markdown.text == "Reply in Markdown."  # type: ignore[union-attr]
    code, out = run_cli("export", str(spec), "-o", str(tmp_path / "out" / "model_spec.md"))
    assert code == 0, out
    exported = (tmp_path / "out" / "model_spec.md").read_text("utf-8")
    assert "<developer>\nReply in Markdown.\n<settings>\nmax_tokens: 1024\n</settings>" in exported
    code, out = run_cli("build", str(spec), "-d", str(tmp_path / "site"))
    assert code == 0, out
    page = (tmp_path / "site" / "refunds" / "index.html").read_text("utf-8")
    assert re.search(r'sg-badge--flag" title="Setting">max_tokens=1024<', page)


def test_text_before_the_first_section_is_kept_as_the_home_page(tmp_path: Path) -> None:
    spec = tmp_path / "model_spec.md"
    (tmp_path / "examples").mkdir()
    spec.write_text("A preface nobody gave a heading.\n\n" + HEADER, "utf-8")
    loaded = load(spec, ProjectConfig())
    assert [d.code for d in loaded.diagnostics] == ["SG014"]
    assert loaded.home is not None and "A preface nobody gave" in loaded.home.text
    code, out = run_cli("build", str(spec), "-d", str(tmp_path / "site"), "--force")
    assert code == 0, out
    assert "A preface nobody gave" in (tmp_path / "site" / "index.html").read_text("utf-8")
    code, out = run_cli("export", str(spec), "-o", str(tmp_path / "out.md"), "--force")
    assert code == 0, out
    assert (tmp_path / "out.md").read_text("utf-8").startswith("A preface nobody gave")


def test_unknown_heading_attributes_are_reported_kept_and_written_back(tmp_path: Path) -> None:
    source = "# S {#s}\n\nx\n\n## A {#a authority=root color=red typo}\n\nBody."
    (tmp_path / "examples").mkdir()
    spec = tmp_path / "model_spec.md"
    spec.write_text(source, "utf-8")
    loaded = load(spec, ProjectConfig())
    assert sorted((d.code, d.loc.column) for d in loaded.diagnostics) == [
        ("SG016", 25),
        ("SG016", 35),
    ]
    (section,) = [s for s in loaded.spec.walk() if s.id == "a"]
    assert section.extra_attributes == ("color=red", "typo")
    code, out = run_cli("import", str(spec), "-o", str(tmp_path / "p"), "--force")
    assert code == 0, out
    code, out = run_cli("lint", "--format", "concise", cwd=tmp_path / "p")
    assert code == 1 and out.count("SG016") == 2, out  # still reported after the import
    out_file = tmp_path / "o" / "model_spec.md"
    code, out = run_cli("export", str(tmp_path / "p" / "spec"), "-o", str(out_file), "--force")
    assert code == 0, out
    assert out_file.read_text("utf-8") == source
