"""Forgiving search (kg/search.py): the ranking on invented entities, and the ``search`` named query
on the sample store, the same function the explorer's search view and type-ahead index use."""

from __future__ import annotations

from kg.search import Candidate, acronym, fold, rank

ENTITIES = [
    Candidate("Method", "ovdino", "OV-DINO", ("OV-DINO",), 3),
    Candidate("Method", "llama3", "Llama 3", ("LLaMA-3",), 7),
    Candidate("Method", "groundingdino", "Grounding DINO", (), 2),
    Candidate("Method", "dino", "DINO", (), 9),
    Candidate("Task", "naturallanguageinference", "Natural Language Inference", (), 4),
    Candidate("Dataset", "imagenet", "ImageNet", ("ImageNet-1K",), 20),
    Candidate("Dataset", "imagenetr", "ImageNet-R", (), 1),
    Candidate("Dataset", "squad", "SQuAD", (), 5),
    Candidate("Dataset", "squad20", "SQuAD 2.0", (), 2),
]


def names(q, **kw):
    return [(e.name, how) for e, how in rank(ENTITIES, q, **kw)]


def test_fold_and_acronym():
    assert fold("OV-DINO") == fold("ov dino") == "ovdino"
    assert fold("Llama 3") == fold("llama3")
    assert acronym("Natural Language Inference") == "nli" and acronym("DINO") == ""


def test_spacing_case_digits_acronyms_and_typos_are_forgiven():
    assert names("ov dino")[0] == ("OV-DINO", "spelling")
    assert names("llama3")[0] == ("Llama 3", "spelling")
    assert names("grounding-dino")[0] == ("Grounding DINO", "spelling")
    assert names("NLI")[0] == ("Natural Language Inference", "acronym")
    assert names("imagnet")[0] == ("ImageNet", "typo")


def test_ranking_exact_then_kind_of_match_then_papers():
    assert names("dino") == [("DINO", "exact"), ("OV-DINO", "contains"), ("Grounding DINO", "contains")]
    assert names("squad") == [("SQuAD", "exact"), ("SQuAD 2.0", "prefix")]
    assert names("imagenet", label="Dataset")[:2] == [("ImageNet", "exact"), ("ImageNet-R", "prefix")]
    assert names("imagenet", label="Method") == []
    assert names("  ") == [] and names("zzzzzz") == []


def test_the_search_named_query_on_the_sample(sample_store):
    rows = sample_store.run_named("search", {"q": "ov dino"})
    assert rows[0]["name"] == "OV-DINO" and rows[0]["match"] == "spelling" and rows[0]["label"] == "Method"
    assert sample_store.run_named("search", {"q": "ms coco"})[0]["name"] == "COCO"
    assert sample_store.run_named("search", {"q": "newsclipings"})[0]["name"] == "NewsCLIPpings"
    assert all(r["label"] == "Dataset" for r in sample_store.run_named("search", {"q": "coco", "label": "Dataset"}))
