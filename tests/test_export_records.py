"""`specgen export --format jsonl|json`: the spec as eval records and as the whole model.

The OpenAI Model Spec releases of the shared corpus are exported and checked against
their files (comparison blocks and eval prompts counted in the text, not the model),
against the shipped JSON Schemas, and back against the model they came from: every
message and answer is found in the export, with its text and judgement.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from collections.abc import Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from specgen.evals.citing import citing_sentence
from specgen.evals.records import eval_records
from specgen.model import (
    Answer,
    AnswerSet,
    AttachmentPart,
    Example,
    Location,
    Markdown,
    Message,
    Part,
    Reference,
    RefKind,
    Spec,
)
from specgen.sources.loading import load_spec
from tests.cli_helpers import new_project, run_cli_split
from tests.test_hostile_fuzz import PIECES, q
from tests.versions_helpers import CORPUS, require_corpus

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "spec"
NEW, OLD = "2025-12-18", "2025-10-27"
JSON = dict[str, Any]


def model_spec(release: str) -> Path:
    require_corpus()
    return CORPUS / release / "model_spec.md"


@cache
def schema(name: str) -> JSON:
    text = resources.files("specgen").joinpath("schema", name).read_text("utf-8")
    data: JSON = json.loads(text)
    return data


def validator(name: str) -> Draft202012Validator:
    Draft202012Validator.check_schema(schema(name))
    return Draft202012Validator(schema(name))


def export(path: Path, fmt: str, tmp_path: Path, *extra: str) -> str:
    """The text ``specgen export --format FMT`` writes to a file for ``path``."""
    out = tmp_path / f"export.{fmt}"
    code, stdout, stderr = run_cli_split("export", str(path), "--format", fmt, "-o", str(out))
    assert code == 0, stderr
    assert stdout == f"Wrote {out}: " + stdout.split(": ", 1)[1]
    return out.read_bytes().decode("utf-8")


def records_of(text: str) -> list[JSON]:
    lines = text.split("\n")
    assert lines[-1] == "", "every record ends with a newline"
    # One record a line for every line splitter, not only for "\n".
    assert len(text.splitlines()) == len(lines) - 1
    return [json.loads(line) for line in lines[:-1]]


def spec_of(path: Path) -> Spec:
    return load_spec(path, None, None)[0].spec


def examples(spec: Spec) -> Iterator[Example]:
    for section in spec.walk():
        yield from section.examples
    for eval_set in spec.eval_sets:
        yield from eval_set.prompts


def comparison_blocks(release: str) -> int:
    """The judged turns as written: <comparison> blocks in the file."""
    return model_spec(release).read_text("utf-8").count("<comparison>")


def prompts_in_files(release: str) -> int:
    """The eval prompts as written: one **Example** line each in examples/*.md."""
    folder = model_spec(release).parent / "examples"
    return sum(
        len(re.findall(r"^\*\*Example\*\*", f.read_text("utf-8"), re.M))
        for f in folder.glob("*.md")
    )


# -- the Model Spec: counts, schema, ids ----------------------------------------------------


@pytest.mark.parametrize(("release", "comparisons"), [(NEW, 189), (OLD, 190)])
def test_model_spec_gives_one_record_per_comparison_and_eval_prompt(
    release: str, comparisons: int, tmp_path: Path
) -> None:
    records = records_of(export(model_spec(release), "jsonl", tmp_path))
    kinds = [r["kind"] for r in records]
    spec = spec_of(model_spec(release))
    prompts = sum(len(s.prompts) for s in spec.eval_sets)
    assert kinds.count("comparison") == comparisons == comparison_blocks(release)
    assert kinds.count("eval_prompt") == prompts == prompts_in_files(release)
    assert kinds == sorted(kinds), "comparisons first, then eval prompts"
    check = validator("eval-record.schema.json")
    for record in records:
        errors = [e.message for e in check.iter_errors(record)]
        assert not errors, (record["id"], errors[:3])
    ids = [r["id"] for r in records]
    assert len(set(ids)) == len(ids)
    assert {r["spec"]["date"] for r in records} == {release}
    assert len({r["spec"]["digest"] for r in records}) == 1


def test_comparison_records_follow_the_examples(tmp_path: Path) -> None:
    spec = spec_of(model_spec(NEW))
    records = {r["id"]: r for r in records_of(export(model_spec(NEW), "jsonl", tmp_path))}
    for section in spec.walk():
        for example in section.examples:
            sets = example.answer_sets
            for number, answer_set in enumerate(sets, start=1):
                record = records[f"{example.id}/{number}"]
                assert record["section"]["id"] == section.id
                assert record["section"]["authority"] == section.authority
                assert record["section"]["text"] == section.body.text
                assert (record["example"]["turn"], record["example"]["turns"]) == (
                    number,
                    len(sets),
                )
                assert len(record["answers"]) == len(answer_set.answers)
                before = example.turns[: example.turns.index(answer_set)]
                judged = [i for i in record["conversation"] if i["type"] == "judged"]
                assert len(judged) == number - 1
                assert len(record["conversation"]) == len(before)


def test_eval_prompt_records_carry_the_citing_sentences(tmp_path: Path) -> None:
    text = model_spec(NEW).read_text("utf-8")
    records = [
        r
        for r in records_of(export(model_spec(NEW), "jsonl", tmp_path))
        if r["kind"] != "comparison"
    ]
    cited = [r for r in records if r["cited_by"]]
    assert cited, "the Model Spec cites its eval prompt sets"
    for record in cited:
        set_id = record["eval_set"]["id"]
        assert record["id"].startswith(f"{set_id}/")
        assert record["section"]["id"] == record["cited_by"][0]["section_id"]
        for citation in record["cited_by"]:
            sentence = citation["sentence"]
            assert sentence and "[^" not in sentence and "\n" not in sentence
            # The sentence is the file's text around the marker, the marker taken out.
            line = text.split("\n")[citation["source"]["line"] - 1]
            column = citation["source"]["column"] - 1
            assert line.startswith(f"[^{set_id}]", column)
            assert _words(sentence) <= _words(line)
    # A set no section cites still gives its prompts, with no section to grade against.
    uncited = [r for r in records if not r["cited_by"]]
    assert all(r["section"] is None for r in uncited)


def _words(text: str) -> set[str]:
    return set(re.sub(r"\[\^[\w-]+\]", "", text).split())


# -- round trip: every message and answer of the spec is in the export ---------------------


def _part_json(part: Part) -> JSON:
    if isinstance(part, AttachmentPart):
        return {"type": "attachment", "name": part.name, "caption": part.caption}
    kind = "text" if type(part).__name__ == "TextPart" else "untrusted"
    return {"type": kind, "text": part.markdown.text}


def _where(loc: Any) -> tuple[str, int, int]:
    return (loc.path, loc.line, loc.column)


def _source(item: JSON) -> tuple[str, int, int]:
    return (item["source"]["path"], item["source"]["line"], item["source"]["column"])


def _check_message(message: Message, found: JSON) -> None:
    assert found["role"] == message.role
    assert found["content"] == [_part_json(p) for p in message.parts]
    assert (found["comment"], found["recipient"], found["name"]) == (
        message.comment,
        message.recipient,
        message.name,
    )
    assert found["settings"] == list(message.settings)


def _check_answer(answer: Answer, found: JSON) -> None:
    assert found["quality"] == answer.quality
    assert found["content"] == [_part_json(p) for p in answer.parts]
    assert found["comment"] == (answer.comment.text if answer.comment else None)
    assert found["violates"] == (answer.violates.target if answer.violates else None)


@pytest.mark.parametrize("release", [NEW, OLD])
def test_every_message_and_answer_is_in_the_export(release: str, tmp_path: Path) -> None:
    records = records_of(export(model_spec(release), "jsonl", tmp_path))
    messages: dict[tuple[str, int, int], JSON] = {}
    answers: dict[tuple[str, int, int], JSON] = {}
    for record in records:
        for item in record["conversation"]:
            if item["type"] == "message":
                messages[_source(item)] = item
        for answer in record["answers"]:
            assert _source(answer) not in answers, "each answer is judged in one record"
            answers[_source(answer)] = answer
    # The OpenAI dialect writes entities (&amp;): the model holds the characters.
    files = {k[0] for k in answers | messages}
    source_text = {p: html.unescape(Path(p).read_text("utf-8")) for p in files}
    left_out = []
    spec = spec_of(model_spec(release))
    for example in examples(spec):
        last_judged = max(
            (i for i, t in enumerate(example.turns) if isinstance(t, AnswerSet)), default=-1
        )
        in_prompt = example in {p for s in spec.eval_sets for p in s.prompts}
        for index, turn in enumerate(example.turns):
            if isinstance(turn, Message):
                if not in_prompt and index > last_judged:
                    left_out.append(turn)  # no judged turn follows it: no record holds it
                    continue
                _check_message(turn, messages.pop(_where(turn.loc)))
                for part in turn.parts:
                    if not isinstance(part, AttachmentPart):
                        first = part.markdown.text.strip().split("\n")[0]
                        assert first in source_text[turn.loc.path]
            elif isinstance(turn, AnswerSet):
                for answer in turn.answers:
                    _check_answer(answer, answers.pop(_where(answer.loc)))
    assert not messages and not answers, "the export holds nothing the spec does not"
    # Messages of examples without a judged turn are in the whole-model JSON.
    whole = json.loads(export(model_spec(release), "json", tmp_path))
    sources = {_source(t) for t in _json_turns(whole) if t["type"] == "message"}
    assert all(_where(m.loc) in sources for m in left_out)


def _json_turns(whole: JSON) -> Iterator[JSON]:
    for section in _json_sections(whole["sections"]):
        for example in section["examples"]:
            yield from example["turns"]
    for eval_set in whole["eval_sets"]:
        for prompt in eval_set["prompts"]:
            yield from prompt["turns"]


def _json_sections(sections: list[JSON]) -> Iterator[JSON]:
    for section in sections:
        yield section
        yield from _json_sections(section["children"])


# -- the whole model as JSON --------------------------------------------------------------


@pytest.mark.parametrize("release", [NEW, OLD])
def test_whole_model_json_holds_every_section_example_and_eval_set(
    release: str, tmp_path: Path
) -> None:
    whole = json.loads(export(model_spec(release), "json", tmp_path))
    errors = [e.message for e in validator("spec.schema.json").iter_errors(whole)]
    assert not errors, errors[:3]
    spec = spec_of(model_spec(release))
    sections = list(_json_sections(whole["sections"]))
    assert [s["id"] for s in sections] == [s.id for s in spec.walk()]
    for found, section in zip(sections, spec.walk(), strict=True):
        assert found["body"]["text"] == section.body.text
        assert found["title"] == section.title and found["authority"] == section.authority
        assert [e["id"] for e in found["examples"]] == [e.id for e in section.examples]
        assert len(found["references"]) == len(section.references)
    assert [(e["id"], len(e["prompts"])) for e in whole["eval_sets"]] == [
        (e.id, len(e.prompts)) for e in spec.eval_sets
    ]
    answer_sets = [t for t in _json_turns(whole) if t["type"] == "answer_set"]
    assert len(answer_sets) == comparison_blocks(release)
    assert whole["config"]["date"] == release
    assert [lv["id"] for lv in whole["config"]["levels"]] == [lv.id for lv in spec.config.levels]
    assert whole["config"]["quality_names"] == dict(spec.config.quality_names)


def test_sample_spec_exports_both_formats(tmp_path: Path) -> None:
    records = records_of(export(SAMPLE, "jsonl", tmp_path))
    check = validator("eval-record.schema.json")
    assert all(not list(check.iter_errors(r)) for r in records)
    spec = spec_of(SAMPLE)
    assert sum(r["kind"] == "comparison" for r in records) == sum(
        len(e.answer_sets) for s in spec.walk() for e in s.examples
    )
    # Multi-turn examples: an earlier judged turn continues with its good answer.
    judged = [i for r in records for i in r["conversation"] if i["type"] == "judged"]
    assert judged and all(i["answer"]["quality"] == "good" for i in judged)
    whole = json.loads(export(SAMPLE, "json", tmp_path))
    assert not list(validator("spec.schema.json").iter_errors(whole))
    assert whole["dialect"] == "native" and whole["home"] is not None


# -- digests --------------------------------------------------------------------------------


def test_digests_are_stable_and_follow_one_edited_answer(tmp_path: Path) -> None:
    folder = tmp_path / "ms"
    shutil.copytree(model_spec(NEW).parent, folder)
    first = eval_records(spec_of(folder / "model_spec.md"))
    again = eval_records(spec_of(folder / "model_spec.md"))
    assert [r["digest"] for r in first] == [r["digest"] for r in again]
    assert first[0]["spec"]["digest"] == again[0]["spec"]["digest"]
    # Moving text (a line added at the top of the file) changes no digest.
    text = (folder / "model_spec.md").read_text("utf-8")
    (folder / "model_spec.md").write_text("\n" + text, "utf-8")
    moved = eval_records(spec_of(folder / "model_spec.md"))
    assert [r["digest"] for r in moved] == [r["digest"] for r in first]
    assert moved[0]["source"]["line"] == first[0]["source"]["line"] + 1
    # One word of one answer of a one-turn example changes that record's digest only.
    target = next(r for r in first if r["kind"] == "comparison" and r["example"]["turns"] == 1)
    answer_text = target["answers"][-1]["content"][0]["text"]
    assert text.count(answer_text) == 1
    edited = answer_text.replace(" ", " really ", 1)
    (folder / "model_spec.md").write_text(text.replace(answer_text, edited), "utf-8")
    after = eval_records(spec_of(folder / "model_spec.md"))
    changed = [a["id"] for a, b in zip(after, first, strict=True) if a["digest"] != b["digest"]]
    assert changed == [target["id"]]
    assert after[0]["spec"]["digest"] != first[0]["spec"]["digest"]


# -- hostile text ---------------------------------------------------------------------------


def test_hostile_text_stays_valid_json(tmp_path: Path) -> None:
    project = new_project(tmp_path)
    hostile = "".join(PIECES)
    (project / "spec" / "40-hostile.md").write_text(
        f"---\nid: hostile\ntitle: {q(hostile)}\nauthority: user\ntags: [{q(hostile)}]\n"
        f"examples:\n  - id: hostile-example\n    caption: {q(hostile)}\n"
        f"    conversation:\n      - role: user\n        content: {q(hostile)}\n"
        f"      - answers:\n          - quality: good\n            content: {q(hostile)}\n"
        f"            comment: {q(hostile)}\n          - quality: {q(hostile)}\n"
        f"            content: x\n---\nBody {hostile.replace(chr(0), '')}\n",
        "utf-8",
    )
    text = export(project / "spec", "jsonl", tmp_path)
    assert "\u2028" not in text and "\x85" not in text and "\x00" not in text
    records = records_of(text)
    record = next(r for r in records if r["section"]["id"] == "hostile")
    assert record["section"]["title"] == hostile
    assert record["conversation"][0]["content"][0]["text"] == hostile
    assert record["answers"][0]["comment"] == hostile
    assert record["answers"][1]["quality"] == record["answers"][1]["quality_name"] == hostile
    check = validator("eval-record.schema.json")
    assert all(not list(check.iter_errors(r)) for r in records)
    whole = json.loads(export(project / "spec", "json", tmp_path))
    assert not list(validator("spec.schema.json").iter_errors(whole))


# -- the command line -----------------------------------------------------------------------


def test_stdout_and_file_give_the_same_export(tmp_path: Path) -> None:
    for fmt in ("jsonl", "json"):
        in_file = export(SAMPLE, fmt, tmp_path)
        code, stdout, stderr = run_cli_split("export", str(SAMPLE), "--format", fmt)
        assert (code, stderr, stdout) == (0, "", in_file)
        code, dash, _ = run_cli_split("export", str(SAMPLE), "--format", fmt, "-o", "-")
        assert (code, dash) == (0, in_file)


def test_lint_errors_do_not_stop_a_data_export(tmp_path: Path) -> None:
    """The Model Spec has lint errors (eval sets cited but missing): openai-md needs
    --force, jsonl does not."""
    out = tmp_path / "out.md"
    code, _, _ = run_cli_split("export", str(model_spec(NEW)), "-o", str(out))
    assert code == 1 and not out.exists()
    code, stdout, _ = run_cli_split("export", str(model_spec(NEW)), "--format", "jsonl")
    assert code == 0 and stdout.count("\n") == 189 + prompts_in_files(NEW)


def test_an_unreadable_file_stops_a_data_export_unless_forced(tmp_path: Path) -> None:
    project = new_project(tmp_path)
    (project / "spec" / "40-broken.md").write_text("---\nid: [unclosed\n---\nText\n", "utf-8")
    out = tmp_path / "records.jsonl"
    code, _, stderr = run_cli_split(
        "export", "spec", "--format", "jsonl", "-o", str(out), cwd=project
    )
    assert code == 1 and not out.exists()
    assert "spec/40-broken.md:3:1: SG101 invalid YAML" in stderr and "could not be read" in stderr
    code, _, stderr = run_cli_split(
        "export", "spec", "--format", "jsonl", "-o", str(out), "--force", cwd=project
    )
    assert code == 0 and out.is_file() and "written despite 1 unreadable file" in stderr


def test_a_data_export_never_writes_over_the_spec(tmp_path: Path) -> None:
    project = new_project(tmp_path)
    target = project / "spec" / "30-be-concise.md"
    before = target.read_bytes()
    for fmt in ("jsonl", "json"):
        code, _, stderr = run_cli_split(
            "export", "spec", "--format", fmt, "-o", str(target), cwd=project
        )
        assert code == 1 and "it is a file of the spec read" in stderr
        assert target.read_bytes() == before


def test_openai_md_still_needs_a_file(tmp_path: Path) -> None:
    code, _, stderr = run_cli_split("export", str(SAMPLE))
    assert code == 2 and "-o FILE" in stderr


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        ("eval-record", "eval-record.schema.json"),
        ("spec", "spec.schema.json"),
        ("section", "section.schema.json"),
        ("eval-prompts", "eval-prompts.schema.json"),
    ],
)
def test_schema_command_prints_the_shipped_files(kind: str, name: str) -> None:
    code, stdout, _ = run_cli_split("schema", "--kind", kind)
    shipped = resources.files("specgen").joinpath("schema", name).read_text("utf-8")
    assert (code, stdout) == (0, shipped)
    assert json.loads(stdout)["$id"] == f"https://specgen.dev/schema/{name}"


@pytest.mark.parametrize("name", ["eval-record.schema.json", "spec.schema.json"])
def test_export_schemas_are_strict_and_describe_every_field(name: str) -> None:
    validator(name)  # a valid Draft 2020-12 schema
    for where, node in _schema_objects(schema(name), name):
        if node.get("type") == "object" and "properties" in node:
            assert node.get("additionalProperties") is False, where
            assert sorted(node["required"]) == sorted(node["properties"]), where
            for key, value in node["properties"].items():
                assert value.get("description"), f"{where}.{key} has no description"


def _schema_objects(node: Any, where: str) -> Iterator[tuple[str, JSON]]:
    if isinstance(node, dict):
        yield where, node
        for key, value in node.items():
            yield from _schema_objects(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _schema_objects(value, f"{where}/{index}")


# -- the citing sentence --------------------------------------------------------------------


def _cite(body: str, set_id: str, verbatim: bool = True) -> str:
    path = "spec/x.md"
    markdown = Markdown(body, Location(path, 10, 1), verbatim=verbatim)
    index = body.index(f"[^{set_id}]")
    line = body.count("\n", 0, index)
    column = index - (body.rfind("\n", 0, index) + 1) + 1
    ref = Reference(RefKind.EVAL, set_id, markdown.location_of(line, column))
    return citing_sentence(markdown, ref)


@pytest.mark.parametrize(
    ("body", "set_id", "sentence"),
    [
        # inside a sentence, after its full stop, across a line break, among others
        ("First one. It must refuse[^ab12]. Then more.", "ab12", "It must refuse."),
        ("First one. It must refuse.[^ab12] Then more.", "ab12", "It must refuse."),
        (
            "Intro.\nIt must\nrefuse[^ab12] (e.g. here).\nNext.",
            "ab12",
            "It must refuse (e.g. here).",
        ),
        ("Say legal[^aa11], medical[^bb22] things. Done.", "bb22", "Say legal, medical things."),
        # a paragraph or a list item bounds it, even without a full stop
        ("Para one\n\nno stop here[^ab12]\n\nPara three", "ab12", "no stop here"),
        ("- item one\n- item two[^ab12]\n- item three", "ab12", "item two"),
        ("1. One.\n2. Two[^ab12] too.\n3. Three.", "ab12", "Two too."),
        # quotes and brackets close with the sentence
        ('He said "stop."[^ab12] Then left.', "ab12", 'He said "stop."'),
    ],
)
def test_the_citing_sentence_is_the_sentence_around_the_marker(
    body: str, set_id: str, sentence: str
) -> None:
    assert _cite(body, set_id) == sentence
    # Text whose lines are not the file's: the marker is found by its text instead.
    assert _cite(body, set_id, verbatim=False) == sentence
