"""`specgen build --results LOG`: the site of the sample spec with a scripted run's log
shows exactly that run's verdicts (each judged turn's card, each eval prompt), its rates
(each section, each level, each eval set) and a results page; log values are escaped;
without --results nothing of it is there; a versioned site shows each log on its release."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from specgen.evals import codes
from specgen.evals.records import eval_records
from specgen.render.linker import section_slug
from specgen.render.measured import percent
from specgen.render.section import example_anchor
from specgen.sources.loading import load_spec
from tests.cli_helpers import run_cli, run_cli_split
from tests.git_helpers import git
from tests.results_helpers import REPO, json_log_data, scripted_logs, scripted_verdicts
from tests.versions_helpers import build_all_versions, commit_and_tag

NAMES = {"compliant": "Compliant", "minor_issues": "Minor issues", "violation": "Violation"}
VOID = frozenset(("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"))


class _Texts(HTMLParser):
    """The text of every element with one of ``classes``, with the id of the example
    card (figure) around it."""

    def __init__(self, classes: tuple[str, ...]) -> None:
        super().__init__()
        self.classes = classes
        self.found: list[tuple[str, str, str]] = []  # (class, figure id, text)
        self._open: list[tuple[str, dict[str, str]]] = []
        self._collecting: list[tuple[int, str, str, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag in VOID:
            return
        self._open.append((tag, values))
        for item in self._collecting:  # <dt>Run on</dt><dd>...: words apart
            item[3].append(" ")
        own = values.get("class", "").split()
        for cls in self.classes:
            if cls in own:
                figures = [a.get("id", "") for t, a in self._open if t == "figure"]
                figure = figures[-1] if figures else ""
                self._collecting.append((len(self._open), cls, figure, []))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID or tag not in (t for t, _ in self._open):
            return
        while self._open:  # an end tag closes what was left open inside it (a <p>)
            depth = len(self._open)
            closed, _ = self._open.pop()
            while self._collecting and self._collecting[-1][0] == depth:
                _, cls, figure, parts = self._collecting.pop()
                self.found.append((cls, figure, " ".join("".join(parts).split())))
            if closed == tag:
                break

    def handle_data(self, data: str) -> None:
        for item in self._collecting:
            item[3].append(data)


def texts(html: str, *classes: str) -> list[tuple[str, str, str]]:
    parser = _Texts(classes)
    parser.feed(html)
    return parser.found


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return scripted_logs(tmp_path_factory.mktemp("run"))


@pytest.fixture(scope="module")
def site(logs: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    code, _, stderr = run_cli_split("build", "--results", str(logs[0]), "-d", str(out), cwd=REPO)
    assert code == 0, stderr
    return out


@pytest.fixture(scope="module")
def records() -> list[dict[str, object]]:
    return eval_records(load_spec(REPO / "spec")[0].spec)


def page(site: Path, *parts: str) -> str:
    return (site.joinpath(*parts) / "index.html").read_text("utf-8")


def expected(record_id: str) -> str:
    verdicts, unreadable = scripted_verdicts()
    if record_id in unreadable:
        return "Not measured"
    return NAMES[verdicts.get(record_id, "compliant")]


def test_every_card_shows_exactly_its_verdicts(
    site: Path, records: list[dict[str, object]]
) -> None:
    shown: dict[str, list[str]] = {}
    pages = {
        (r["section"]["id"] if r["kind"] == "comparison" else r["eval_set"]["id"], r["kind"])  # type: ignore[index]
        for r in records
    }
    for owner, kind in pages:
        html = (
            page(site, section_slug(owner)) if kind == "comparison" else page(site, "eval", owner)
        )
        for _, figure, text in texts(html, "sg-measured__verdict"):
            shown.setdefault(figure, []).append(text)
    want: dict[str, list[str]] = {}
    for r in records:
        example = r["example"]
        assert isinstance(example, dict)
        owner = r["section"]["id"] if r["kind"] == "comparison" else r["eval_set"]["id"]  # type: ignore[index]
        want.setdefault(example_anchor(owner, example["id"]), []).append(expected(str(r["id"])))
    assert shown == want


def test_a_card_shows_the_graders_reason_and_the_model(site: Path) -> None:
    html = page(site, "security_threats")
    runs = [t for c, f, t in texts(html, "sg-measured__run") if f.endswith("--hide-a-knife")]
    assert runs == ["Measured Minor issues mockllm/model Right refusal, but preachy."]
    html = page(site, "eval", "r4m8")
    runs = [t for c, f, t in texts(html, "sg-measured__run") if f.endswith("--example-2")]
    assert runs == ["Measured Not measured mockllm/model"]


def rate_text(ids: list[str]) -> str:
    verdicts, unreadable = scripted_verdicts()
    counts = Counter(verdicts.get(i, "compliant") for i in ids if i not in unreadable)
    graded = sum(counts.values())
    parts = [f"{counts['compliant']} of {graded}"]
    minor, bad = counts["minor_issues"], counts["violation"]
    if minor:
        parts.append(f"{minor} minor issue{'' if minor == 1 else 's'}")
    if bad:
        parts.append(f"{bad} violation{'' if bad == 1 else 's'}")
    missing = sum(1 for i in ids if i in unreadable)
    if missing:
        parts.append(f"{missing} not measured")
    return f"{percent(counts['compliant'] / graded)} compliant ({'; '.join(parts)})"


def test_each_section_shows_its_rate(site: Path, records: list[dict[str, object]]) -> None:
    by_section: dict[str, list[str]] = {}
    for r in records:
        if r["kind"] == "comparison":
            by_section.setdefault(r["section"]["id"], []).append(str(r["id"]))  # type: ignore[index]
    for section_id, ids in by_section.items():
        rates = [t for _, _, t in texts(page(site, section_slug(section_id)), "sg-rate")]
        assert rates == [f"Examples measured {rate_text(ids)} mockllm/model"], section_id
    assert "sg-rate" not in page(site, "overview")  # no examples: no rate


def test_the_levels_page_has_a_compliance_column(
    site: Path, records: list[dict[str, object]]
) -> None:
    html = page(site, "levels")
    assert '<th scope="col" class="sg-levels__rate">Compliance: mockllm/model</th>' in html
    cells = [t for _, _, t in texts(html, "sg-levels__rate")][1:]
    spec = load_spec(REPO / "spec")[0].spec
    want = []
    for level in spec.config.levels:
        ids = [str(r["id"]) for r in records if (r["section"] or {}).get("authority") == level.id]  # type: ignore[union-attr]
        want.append(rate_text(ids) if ids else "not measured")
    assert cells == want


def test_the_results_page(site: Path, logs: tuple[Path, Path]) -> None:
    html = page(site, "results")
    log = json_log_data(logs[1])  # the same run, as JSON: its date and spec
    spec = log["eval"]["metadata"]["specgen"]
    facts = texts(html, "sg-results__model", "sg-results__facts", "sg-results__total")
    assert [t for _, _, t in facts] == [
        "mockllm/model",
        rate_text([str(r) for r in spec["selected"]]),
        f"Run on {log['eval']['created'][:10]} Spec version {spec['spec_version']} "
        f"({spec['spec_date']}) Graded by mockllm/model Log {logs[0].name}",
    ]
    warnings = [t for _, _, t in texts(html, "sg-results__warnings")]
    assert len(warnings) == 1 and f"{logs[0].name}: {codes.ERRORED_SAMPLE} 1 sample" in warnings[0]
    rows = re.findall(r'<tr class="sg-results__sample" data-sample="([^"]+)"', html)
    assert rows == [str(r) for r in spec["selected"]] or sorted(rows) == sorted(spec["selected"])
    assert len(rows) == spec["records"]
    assert 'href="../security_threats/#security_threats--hide-a-knife"' in html
    home = page(site)
    assert '<a href="results/">Results</a>' in home
    (nav,) = (site / "assets" / "specgen").glob("nav.*.js")  # the navigation every page shares
    assert re.search(
        r'href=\\"results/\\" class=\\"md-nav__link\\"> <span class=\\"md-ellipsis\\"> Results <',
        nav.read_text(),
    )


def test_the_build_says_what_does_not_match(logs: tuple[Path, Path], tmp_path: Path) -> None:
    stranger = tmp_path / "notes.eval"
    stranger.write_text("not a log")
    code, _, stderr = run_cli_split(
        "build",
        "--results",
        str(logs[1]),
        "--results",
        str(stranger),
        "-d",
        str(tmp_path / "s"),
        cwd=REPO,
    )
    assert code == 0, stderr
    lines = [line for line in stderr.splitlines() if re.search(r": SG6\d\d ", line)]
    _, unreadable = scripted_verdicts()
    (errored,) = unreadable
    assert lines == [
        f"{stranger}: {codes.UNREADABLE_LOG} is not an inspect .eval log (not a zip: File is "
        "not a zip file)",
        f"{logs[1]}: {codes.ERRORED_SAMPLE} 1 sample ended in an error: not measured "
        f"({errored}: {lines[1].split(f'({errored}: ', 1)[-1]}",
    ]
    assert "UnreadableGrade" in lines[1]
    code, out = run_cli("rules", codes.CHANGED_RECORD)
    assert code == 0 and out.startswith("SG605 changed-example (warning by default)")
    # ... and listed by `specgen rules`, after the lint rules, under their own heading.
    code, out = run_cli("rules")
    listed = out.splitlines()
    heading = listed.index("Reported by build --results about a run's logs, not by lint:")
    assert [line.split()[0] for line in listed[heading + 1 :]] == list(codes.ALL)
    assert all(not line.startswith("SG6") for line in listed[:heading])


def test_two_examples_of_one_id_show_each_its_own_verdict(tmp_path: Path) -> None:
    # A forced build of a section whose two examples share an id (SG203): their records
    # are hide-a-knife/1 and hide-a-knife/1~2, and each card shows its own verdict.
    from specgen.eval_run.run import run_eval
    from tests.eval_helpers import scripted_model

    for folder in ("spec", "theme"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    section = tmp_path / "spec" / "30-foundations" / "20-security-threats.md"
    section.write_text(section.read_text().replace("id: overheard-threat", "id: hide-a-knife"))
    grades = {
        "hide-a-knife/1": "VERDICT: violation\nREASON: The first card's reason.",
        "hide-a-knife/1~2": "VERDICT: minor issues\nREASON: The second card's reason.",
    }
    summary = run_eval(
        tmp_path / "spec",
        scripted_model(grades),
        sections=["security_threats"],
        log_dir=tmp_path / "logs",
        display="none",
    )
    assert summary.complete
    out = tmp_path / "site"
    code, _, stderr = run_cli_split(
        "build", "--force", "--results", summary.log_path, "-d", str(out), cwd=tmp_path
    )
    assert code == 0, stderr
    shown = [t for c, f, t in texts(page(out, "security_threats"), "sg-measured__reason")]
    assert shown == ["The first card's reason.", "The second card's reason."]


def test_log_values_are_escaped(logs: tuple[Path, Path], tmp_path: Path) -> None:
    data = json_log_data(logs[1])
    payload = '<img src=x onerror="alert(1)">'
    data["eval"]["model"] = f"evil/{payload}"
    for sample in data["samples"]:
        for score in (sample.get("scores") or {}).values():
            score["explanation"] = f"</p><script>alert(2)</script>{payload}"
    data["samples"][0]["id"] = data["samples"][0]["metadata"]["record_id"] = payload
    path = tmp_path / "evil.json"
    path.write_text(json.dumps(data))
    code, out = run_cli("build", "--results", str(path), "-d", str(tmp_path / "s"), cwd=REPO)
    assert code == 0, out
    site = tmp_path / "s"
    for html in (page(site, "results"), page(site, "security_threats"), page(site, "levels")):
        assert "<script>alert(2)" not in html and "<img src=x" not in html
        assert "&lt;img src=x onerror=" in html
    assert unescape("&lt;/p&gt;&lt;script&gt;") in unescape(page(site, "security_threats"))


def test_without_results_nothing_of_it_is_there(tmp_path: Path, site: Path) -> None:
    out = tmp_path / "plain"
    code, stdout = run_cli("build", "-d", str(out), cwd=REPO)
    assert code == 0, stdout
    assert (site / "results" / "index.html").is_file()
    assert (site / "assets" / "specgen-results.css").is_file()
    assert not (out / "results").exists()
    assert not (out / "assets" / "specgen-results.css").exists()
    for path in out.rglob("*.html"):
        html = path.read_text("utf-8")
        assert "sg-measured" not in html and "sg-rate" not in html, path
        assert "specgen-results.css" not in html and "Compliance:" not in html, path


def test_a_versioned_site_shows_each_log_on_its_release(
    logs: tuple[Path, Path], tmp_path: Path
) -> None:
    project = tmp_path / "project"
    shutil.copytree(REPO / "spec", project / "spec")
    shutil.copytree(REPO / "theme", project / "theme")
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    (project / ".gitignore").write_text("site/\n")
    knife = next(p for p in (project / "spec").rglob("*.md") if "hide-a-knife" in p.read_text())
    original = knife.read_text()
    knife.write_text(original.replace("Sorry, I can't help with that.", "Sorry, no.", 1))
    git(project, "init", "-q", "-b", "main")
    commit_and_tag(project, "1.0")
    knife.write_text(original)
    commit_and_tag(project, "2.0")
    data = json_log_data(logs[1])
    data["eval"]["metadata"]["specgen"].update(spec_version="0.9", spec_digest="sha256:none")
    stray = tmp_path / "stray.json"
    stray.write_text(json.dumps(data))
    code, out = build_all_versions(project)
    assert code == 0 and "(2 built, 0 up to date)" in out, out
    code, out = build_all_versions(project, "--results", str(logs[0]), "--results", str(stray))
    assert code == 0, out
    assert f"{stray}: {codes.NO_RELEASE} was run on spec version '0.9'" in out
    # Only the release the log belongs to is rebuilt for it; given again, nothing is.
    assert "(1 built, 1 up to date)" in out, out
    code, out = build_all_versions(project, "--results", str(logs[0]), "--results", str(stray))
    assert code == 0 and "(0 built, 2 up to date)" in out, out
    site = project / "site"
    assert (site / "2.0" / "results" / "index.html").is_file()
    assert not (site / "1.0" / "results").exists()
    assert "sg-measured" not in page(site, "1.0", "security_threats")
    html = page(site, "2.0", "security_threats")
    assert "Right refusal, but preachy." in html
    assert (site / "latest" / "results" / "index.html").is_file()
    # Built again without the logs, the releases lose their results.
    code, out = build_all_versions(project)
    assert code == 0 and "(1 built, 1 up to date)" in out, out
    assert not (site / "2.0" / "results").exists()
