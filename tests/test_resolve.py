"""Entity resolution (kg/resolve.py rules, applied by kg/consolidate.py): across papers, across
builds, conservative when unsure."""

from __future__ import annotations

from conftest import make_record
from kg.consolidate import find_groups
from kg.resolve import same_by_spelling
from kg.schema import entity_key


def test_keys_ignore_case_hyphens_spaces_and_point_zero():
    assert entity_key("LLaMA-2") == entity_key("Llama 2") == entity_key("Llama2")
    assert entity_key("Wav2Vec 2.0") == entity_key("wav2vec2")
    assert entity_key("MS COCO") != entity_key("COCO")  # that one needs an alias


def _groups(entities):
    rows = {(label, key): {"name": name, "aliases": aliases} for label, key, name, aliases in entities}
    return find_groups(rows)


def test_an_alias_joins_its_single_owner_and_labels_mix_only_on_the_same_key():
    groups = _groups([("Dataset", "coco", "COCO", ["COCO", "MS COCO"]), ("Dataset", "mscoco", "MS-COCO", []),
                      ("Method", "mscoco", "MS-COCO", []), ("Method", "coconet", "CocoNet", [])])
    assert groups == [[("Dataset", "coco"), ("Dataset", "mscoco"), ("Method", "mscoco")]]


def test_ambiguous_acronym_joins_neither():
    groups = _groups([("Method", "maximummeandiscrepancy", "Maximum Mean Discrepancy", ["MMD"]),
                      ("Method", "multimodalmisinformationdetection", "Multimodal Misinformation Detection", ["MMD"]),
                      ("Method", "mmd", "MMD", [])])
    assert groups == []


def test_spelling_match_is_conservative_about_numbers_and_length():
    groups = _groups([("Dataset", "newsclippings", "NewsCLIPpings", []), ("Dataset", "newsclipping", "NewsCLIPping", []),
                      ("Dataset", "imagenet21k", "ImageNet-21k", []), ("Dataset", "imagenet1k", "ImageNet-1k", []),
                      ("Dataset", "cifar100", "CIFAR-100", []), ("Dataset", "cifar10", "CIFAR-10", []),
                      ("Dataset", "vqa", "VQA", []), ("Dataset", "vqa2", "VQA2", [])])
    assert groups == [[("Dataset", "newsclipping"), ("Dataset", "newsclippings")]]
    assert same_by_spelling("newsclipping", "newsclippings") and not same_by_spelling("squeezenet", "squeezenext1")


def test_long_form_in_a_later_build_joins_the_acronym_node(store):
    first = make_record("p1", method="LAMAR", datasets=("NewsCLIPpings",))
    first["entities"][0]["aliases"] = ["Latent Multimodal Reconstruction"]
    store.load([first])  # one build ...
    second = make_record("p2", method="Latent Multimodal Reconstruction", datasets=("NewsCLIPping",))
    store.load([second])  # ... and a separate one later
    methods = store.read("MATCH (m:Method) RETURN m.name AS name, m.aliases AS aliases")
    assert len(methods) == 1 and methods[0]["name"] == "LAMAR"
    rows = store.run_named("methods-on-dataset", {"dataset": "NewsCLIPpings"})
    assert sorted(r["paper"] for r in rows) == ["p1", "p2"]
    assert len(store.read("MATCH (d:Dataset) RETURN d.key AS key")) == 1
