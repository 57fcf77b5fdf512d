"""Entity resolution: across papers, across builds, conservative when unsure."""

from __future__ import annotations

from conftest import make_record
from kg.resolve import Resolver
from kg.schema import entity_key


def test_keys_ignore_case_hyphens_spaces_and_point_zero():
    assert entity_key("LLaMA-2") == entity_key("Llama 2") == entity_key("Llama2")
    assert entity_key("Wav2Vec 2.0") == entity_key("wav2vec2")
    assert entity_key("MS COCO") != entity_key("COCO")  # that one needs an alias


def test_alias_resolves_to_its_single_owner():
    resolver = Resolver({"Dataset": [{"key": "coco", "name": "COCO", "aliases": ["COCO", "MS COCO"]}]})
    assert resolver.resolve("Dataset", entity_key("MS-COCO")) == "coco"
    assert resolver.resolve("Method", entity_key("MS-COCO")) == "mscoco"  # labels never mix


def test_ambiguous_acronym_resolves_to_neither():
    resolver = Resolver({"Method": [
        {"key": "maximummeandiscrepancy", "name": "Maximum Mean Discrepancy", "aliases": ["MMD"]},
        {"key": "multimodalmisinformationdetection", "name": "Multimodal Misinformation Detection",
         "aliases": ["MMD"]}]})
    assert resolver.resolve("Method", "mmd") == "mmd"


def test_fuzzy_match_is_conservative_about_numbers_and_length():
    resolver = Resolver({"Dataset": [{"key": "newsclippings", "name": "NewsCLIPpings", "aliases": []},
                                     {"key": "imagenet21k", "name": "ImageNet-21k", "aliases": []},
                                     {"key": "cifar100", "name": "CIFAR-100", "aliases": []}]})
    assert resolver.resolve("Dataset", "newsclipping") == "newsclippings"
    assert resolver.resolve("Dataset", "imagenet1k") == "imagenet1k"
    assert resolver.resolve("Dataset", "cifar10") == "cifar10"
    assert resolver.resolve("Dataset", "vqa") == "vqa"


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
