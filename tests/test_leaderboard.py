"""The ``leaderboard`` named query on a real store: one best row per method, setting and dataset
variant; the paper's own unnamed method shown by its short title; baselines without a name and
results with neither metric nor dataset left out; the explorer ranks the same rows."""

from __future__ import annotations

from conftest import make_record
from kg import explorer
from kg.loader import short_title


def _result(value, dataset="COCO", method=None, own=True, metric="AP", kind="score", **extra):
    return {"method": method, "own": own, "dataset": dataset, "metric": metric, "value": value, "unit": "%",
            "kind": kind, "evidence": f"It reaches {value} {metric} on {dataset}.", "confidence": 0.9, **extra}


def _records():
    foo = make_record("2401.00001", title="FooNet: detection made simple", method="FooNet",
                      datasets=("COCO",), year=2024)
    foo["results"] = [_result(50.6, method="FooNet"), _result(52.0, method="FooNet"),
                      _result(48.0, method="FooNet", setting="zero-shot"),
                      _result(45.0, own=False),                       # an unnamed baseline's number
                      _result(3.1, kind="improvement", method="FooNet"),
                      _result(7.0, dataset=None, metric=None, method="FooNet")]  # neither: no node
    zed = make_record("2310.00002", title="Seeing Small Things With Many Tiny Convolutions At Once In Images",
                      method="ZedNet", datasets=("COCO test-dev",))
    zed["results"] = [_result(53.5, dataset="COCO test-dev")]      # the paper's own, unnamed
    return [foo, zed]


def test_one_best_row_per_method_setting_and_variant(store):
    store.load(_records())
    rows = store.run_named("leaderboard", {"dataset": "coco", "metric": "AP"})
    got = [(r["method"], r["value"], r["setting"], r["variant"], len(r["claims"])) for r in rows]
    assert got == [
        ("Seeing Small Things With Many Tiny Convolutions At…", 53.5, None, "COCO test-dev", 1),
        ("FooNet", 52.0, None, "COCO", 2),
        ("FooNet", 48.0, "zero-shot", "COCO", 1),
    ]
    assert {c["value"] for c in rows[1]["claims"]} == {52.0, 50.6}
    assert rows[0]["own"] is True and rows[0]["year"] is None and rows[1]["year"] == 2024
    # no Result node for a value with neither metric nor dataset
    assert store.read("MATCH (r:Result) WHERE r.value = 7.0 RETURN count(r) AS n")[0]["n"] == 0
    ranked, direction = explorer.rank(rows, "AP")
    assert direction == "higher" and [r["method"] for r in ranked] == [r["method"] for r in rows]
    assert all(r["method"] for r in ranked) and ranked[1]["claims"] == 2


def test_the_family_name_lists_variants_and_a_variant_only_itself(store):
    store.load(_records())
    assert {r["variant"] for r in store.run_named("leaderboard", {"dataset": "COCO", "metric": None})} == \
        {"COCO", "COCO test-dev"}
    assert {r["variant"] for r in store.run_named("leaderboard", {"dataset": "COCO test-dev", "metric": None})} == \
        {"COCO test-dev"}


def test_short_title():
    assert short_title("LAMAR: Latent Multimodal Reconstruction") == "LAMAR"
    assert short_title("MDETR -- Modulated Detection for End-to-End Multi-Modal Understanding") == "MDETR"
    assert short_title("A Short Title") == "A Short Title"
    assert short_title(None) is None
