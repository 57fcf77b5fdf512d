"""Families and variants read from names (kg/families.py), linked by VARIANT_OF in a real store, and
queries that take a family returning their variants' rows."""

from __future__ import annotations

import pytest

from conftest import make_record
from kg.families import family_chain, variant_of


@pytest.mark.parametrize("label, name, family, props", [
    ("Dataset", "SQuAD 2.0", "SQuAD", {"version": "2.0"}),
    ("Dataset", "COCO test-dev", "COCO", {"split": "test-dev"}),
    ("Dataset", "COCO 2017", "COCO", {"version": "2017"}),
    ("Dataset", "ImageNet-1k", "ImageNet", {"subset": "1k"}),
    ("Dataset", "SemEval 2010 Task 8", "SemEval 2010", {"task": "Task 8"}),
    ("Dataset", "WMT 2014 English-German", "WMT 2014", {"pair": "English-German"}),
    ("Method", "Llama 2 7B", "Llama 2", {"size": "7B"}),
    ("Method", "BERT-large", "BERT", {"size": "large"}),
    ("Method", "YOLOv3", "YOLO", {"version": "v3"}),
])
def test_variant_of(label, name, family, props):
    assert variant_of(label, name) == (family, props)


@pytest.mark.parametrize("label, name", [("Dataset", "CIFAR-10"), ("Dataset", "MNIST"), ("Method", "T5"),
                                         ("Task", "SQuAD 2.0"), ("Dataset", "v2")])
def test_not_a_variant(label, name):
    assert variant_of(label, name) is None


def test_chains_reach_the_root():
    assert [f for _, f, _ in family_chain("Method", "Llama 2 7B")] == ["Llama 2", "Llama"]


def test_a_family_finds_its_variants_rows(store):
    record = make_record("2401.00009", title="Readers", method="ZorbReader", datasets=("SQuAD 2.0",))
    store.load([record])
    links = store.read("MATCH (a:Dataset)-[:VARIANT_OF]->(b:Dataset) RETURN a.name AS a, b.name AS b, "
                       "a.version AS version")
    assert links == [{"a": "SQuAD 2.0", "b": "SQuAD", "version": "2.0"}]
    rows = store.run_named("methods-on-dataset", {"dataset": "squad"})
    assert [(r["method"], r["dataset"]) for r in rows] == [("ZorbReader", "SQuAD 2.0")]
    assert store.run_named("methods-on-dataset", {"dataset": "SQuAD 2.0"})[0]["dataset"] == "SQuAD 2.0"
    profile = store.run_named("dataset-profile", {"dataset": "SQuAD"})
    assert {r["dataset"] for r in profile} >= {"SQuAD 2.0"}
