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
    """A metric word with no value is a mention ("pipeline") the graph leaves out ("graph")."""
    data = tmp_path / "mini.conll"
    data.write_text(_conll([("We", "O"), ("report", "O"), ("accuracy", "B-METRIC"), ("for", "O"), ("each", "O"),
                            ("split", "O"), (".", "O")]))
    result = CliRunner().invoke(app, ["eval", "--data-format", "tdmsci", "--file", str(data), "--split", "all",
                                      "--system", "pipeline", "--system", "graph", "--format", "json"])
    assert result.exit_code == 0, result.output
    recall = {row["system"]: row["R"] for row in json.loads(result.stdout) if row["type"] == "Metric"}
    assert recall == {"pipeline": 1.0, "graph": 0.0}


def test_eval_without_data_is_a_clear_error():
    result = CliRunner().invoke(app, ["eval"])
    assert result.exit_code == 1 and "--datasets" in result.stderr
