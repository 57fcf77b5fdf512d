"""``kg eval`` on a tiny annotated file written here (the datasets folder is not read)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from kg.cli import app


def _conll(tokens):
    lines, offset = [], 0
    for token, tag in tokens:
        lines.append(f"{token}\t{offset}\t{tag}")
        offset += len(token) + 1
    return "\n".join(lines) + "\n\n"


def test_eval_scores_the_rules_on_a_file(tmp_path):
    data = tmp_path / "mini.conll"
    data.write_text(
        _conll([("We", "O"), ("report", "O"), ("accuracy", "B-METRIC"), ("on", "O"),
                ("ImageNet", "B-DATASET"), ("for", "O"), ("image", "B-TASK"),
                ("classification", "I-TASK"), (".", "O")])
        + _conll([("Results", "O"), ("on", "O"), ("CIFAR-10", "B-DATASET"), ("improve", "O"), (".", "O")]))
    result = CliRunner().invoke(app, ["eval", "--data-format", "tdmsci", "--file", str(data),
                                      "--split", "all", "--system", "rules", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {row["type"]: row for row in json.loads(result.stdout)}
    assert set(rows) == {"micro", "Task", "Dataset", "Metric"}
    assert rows["Dataset"]["gold"] == 2 and rows["micro"]["gold"] == 4
    assert rows["Dataset"]["R"] == 1.0  # ImageNet and CIFAR-10 are in the gazetteer
    assert 0.0 <= rows["micro"]["F1"] <= 1.0


def test_eval_scores_the_graph_apart_from_every_mention(tmp_path):
    """A one-word lower-case task is a mention ("pipeline") the graph leaves out ("graph")."""
    data = tmp_path / "mini.conll"
    data.write_text(_conll([("Recurrent", "O"), ("neural", "O"), ("networks", "O"), ("have", "O"), ("been", "O"),
                            ("applied", "O"), ("to", "O"), ("machine", "B-TASK"), ("translation", "I-TASK"),
                            ("and", "O"), ("parsing", "B-TASK"), (".", "O")]))
    result = CliRunner().invoke(app, ["eval", "--data-format", "tdmsci", "--file", str(data), "--split", "all",
                                      "--system", "pipeline", "--system", "graph", "--format", "json"])
    assert result.exit_code == 0, result.output
    recall = {row["system"]: row["R"] for row in json.loads(result.stdout) if row["type"] == "Task"}
    assert recall == {"pipeline": 1.0, "graph": 0.5}  # "parsing" is a mention only


def test_eval_without_data_is_a_clear_error():
    result = CliRunner().invoke(app, ["eval"])
    assert result.exit_code == 1 and "--datasets" in result.stderr


def _gold(tmp_path, results, abstract, split="dev"):
    path = tmp_path / "results.jsonl"
    path.write_text(json.dumps({"id": "d1", "split": split, "title": "ZorbNet: a study",
                                "abstract": abstract, "results": results}) + "\n")
    return path


def test_eval_results_scores_levels_kinds_and_error_classes(tmp_path):
    abstract = ("We propose ZorbNet. ZorbNet reaches an F1 of 71.3% on the FooQA dataset. "
                "It also gets 12.5 points of gain.")
    gold = [{"value": 71.3, "unit": "%", "kind": "score", "metric": "F1", "dataset": "FooQA",
             "method": "ZorbNet", "own": True},
            {"value": 64.0, "unit": "%", "kind": "score", "metric": "F1", "dataset": "BarQA",
             "method": "ZorbNet", "own": True}]
    path = _gold(tmp_path, gold, abstract)
    result = CliRunner().invoke(app, ["eval", "--results", "--results-file", str(path), "--split", "dev",
                                      "--errors", "2", "--format", "json"])
    assert result.exit_code == 0, result.output
    decoder, text, tables = json.JSONDecoder(), result.stdout, []
    while text.strip():  # the scores, then the error classes: two JSON arrays one after the other
        table, end = decoder.raw_decode(text.lstrip())
        tables.append(table)
        text = text.lstrip()[end:]
    rows = {row["scope"]: row for row in tables[0]}
    assert rows["value+metric+dataset+method"]["tp"] == 1 and rows["value+metric+dataset+method"]["gold"] == 2
    assert rows["value"]["R"] == 0.5
    classes = {row["class"]: row["count"] for row in tables[1]}
    assert classes["missed"] == 1  # 64.0 is not in the text


def test_eval_results_bad_file_names_file_and_line(tmp_path):
    path = tmp_path / "results.jsonl"
    path.write_text('{"id": "d1", "abstract": "x", "results": []}\n{"id": "d2", "abstract": "y", '
                    '"results": [{"value": 1, "kind": "guess"}]}\n')
    result = CliRunner().invoke(app, ["eval", "--results", "--results-file", str(path)])
    assert result.exit_code == 1 and f"{path}:2" in result.stderr and "guess" in result.stderr


def _relations_gold(tmp_path):
    doc = {"id": "r1", "split": "dev", "title": "ZorbNet: fast question answering",
           "abstract": "We propose ZorbNet, a model for question answering. ZorbNet is built on BERT. "
                       "We evaluate ZorbNet on the SQuAD dataset, where it outperforms XLNet.",
           "own": "ZorbNet",
           "entities": [{"name": "ZorbNet", "type": "Method"}, {"name": "BERT", "type": "Method"},
                        {"name": "SQuAD", "type": "Dataset"}, {"name": "XLNet", "type": "Method"},
                        {"name": "question answering", "type": "Task"}],
           "relations": [{"type": "INTRODUCES", "source": "Paper", "target": "ZorbNet"},
                         {"type": "BUILDS_ON", "source": "ZorbNet", "target": "BERT"},
                         {"type": "EVALUATES_ON", "source": "Paper", "target": "SQuAD"},
                         {"type": "OUTPERFORMS", "source": "ZorbNet", "target": "XLNet"},
                         {"type": "ADDRESSES", "source": "Paper", "target": "question answering"}]}
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(doc) + "\n")
    return gold, doc


def test_eval_relations_scores_entities_and_each_relation_type(tmp_path):
    gold, _ = _relations_gold(tmp_path)
    result = CliRunner().invoke(app, ["eval", "--relations", "--relations-file", str(gold), "--split", "dev",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {row["measure"]: row for row in json.loads(result.stdout)}
    assert rows["entities:graph:name"]["gold"] == 5
    assert rows["relation:micro"]["gold"] == 5
    assert rows["relation:INTRODUCES"]["R"] == 1.0 and rows["relation:EVALUATES_ON"]["R"] == 1.0
    assert rows["relation:BUILDS_ON"]["R"] == 1.0


def test_eval_relations_agreement_and_bad_file(tmp_path):
    gold, doc = _relations_gold(tmp_path)
    (tmp_path / "agreement").mkdir()
    second = dict(doc, relations=doc["relations"][:4])  # the second annotator missed one relation
    (tmp_path / "agreement" / "second.jsonl").write_text(json.dumps(second) + "\n")
    result = CliRunner().invoke(app, ["eval", "--relations", "--relations-file", str(gold), "--agreement",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {row["measure"]: row for row in json.loads(result.stdout)}
    assert rows["relation:micro"]["P"] == 1.0 and rows["relation:micro"]["R"] == 0.8
    assert rows["entities:graph:name"]["F1"] == 1.0
    gold.write_text(gold.read_text() + '{"id": "r2", "entities": [], "relations": [{"type": "LIKES"}]}\n')
    result = CliRunner().invoke(app, ["eval", "--relations", "--relations-file", str(gold)])
    assert result.exit_code == 1 and f"{gold}:2" in result.stderr and "LIKES" in result.stderr
