"""Public API, interchange-format shape over the sample corpus, serialisation,
and the end-to-end acceptance check on the sample."""

from __future__ import annotations

import pytest

from kg.schema import ENTITY_LABELS, EXTRACTED_RELATIONS, RELATIONS, entity_key
from test_extract_helpers import paper, rules_nlp, sample_papers

RESULT_KINDS = {"score", "improvement", "cost"}


@pytest.fixture(scope="module")
def sample_records():
    from extractors.pipeline import extract, load_pipeline

    papers = sample_papers()
    assert len(papers) == 119
    return papers, list(extract(papers, nlp=load_pipeline()))


def _check_span(record: dict, item: dict, text_key: str) -> None:
    field = record["title"] if item["field"] == "title" else record["abstract"]
    assert item["field"] in ("title", "abstract")
    assert isinstance(item["start"], int) and isinstance(item["end"], int)
    assert 0 <= item["start"] <= item["end"] <= len(field)
    assert field[item["start"]:item["end"]] == item[text_key]


def test_api_surface():
    from extractors import pipeline

    assert isinstance(pipeline.EXTRACTOR_VERSION, str) and pipeline.EXTRACTOR_VERSION
    nlp = pipeline.load_pipeline(use_ner=False)
    assert pipeline.load_pipeline(use_ner=False) is nlp  # cached
    for name in ("kg_sentencizer", "gazetteer", "kg_acronyms", "kg_mentions", "kg_relations", "kg_results"):
        assert name in nlp.pipe_names
    stream = pipeline.extract(iter([paper("We propose ZorbNet.", pid="a"), paper("Nothing here.", pid="b")]), nlp=nlp)
    assert not isinstance(stream, list)
    assert [r["id"] for r in stream] == ["a", "b"]


def test_output_shape_on_the_sample(sample_records):
    papers, records = sample_records
    assert [r["id"] for r in records] == [p.id for p in papers]
    from extractors.pipeline import EXTRACTOR_VERSION

    totals = {"entities": 0, "relations": 0, "results": 0}
    for paper_, rec in zip(papers, records):
        assert rec["title"] == paper_.title and rec["abstract"] == paper_.abstract
        assert rec["url"] == paper_.url and rec["year"] == paper_.year
        assert rec["extractor_version"] == EXTRACTOR_VERSION
        for ent in rec["entities"]:
            assert ent["label"] in ENTITY_LABELS
            assert isinstance(ent["name"], str) and ent["name"].strip() == ent["name"] and ent["name"]
            assert ent["key"] == entity_key(ent["name"])
            assert isinstance(ent["aliases"], list) and all(isinstance(a, str) for a in ent["aliases"])
            assert ent["extractor"] == "gazetteer" or ent["extractor"] == "ner" or ent["extractor"].startswith("rule:")
            _check_span(rec, ent, "text")
        for rel in rec["relations"]:
            assert rel["type"] in EXTRACTED_RELATIONS
            sources, targets = RELATIONS[rel["type"]]
            assert rel["source_label"] in sources and rel["target_label"] in targets
            if rel["source_label"] == "Paper":
                assert rel["source"] == rec["id"]
            assert isinstance(rel["target"], str) and rel["target"]
            assert rel["extractor"].startswith("rule:") or rel["extractor"] == "ner"
            assert 0.0 < rel["confidence"] <= 1.0
            _check_span(rec, rel, "evidence")
            if rel["target_label"] not in ("Code",):
                # relation endpoints are entities of the record
                keys = {e["key"] for e in rec["entities"]}
                assert entity_key(rel["target"]) in keys
                if rel["source_label"] == "Method":
                    assert entity_key(rel["source"]) in keys
        for res in rec["results"]:
            assert isinstance(res["value"], (int, float))
            assert res["kind"] in RESULT_KINDS
            assert res["unit"] in ("%", "", "x") or isinstance(res["unit"], str)
            for key in ("method", "dataset", "metric", "setting"):
                assert res[key] is None or isinstance(res[key], str)
            assert 0.0 < res["confidence"] <= 1.0
            _check_span(rec, res, "evidence")
        for key in totals:
            totals[key] += len(rec[key])
    assert totals["entities"] > 500 and totals["relations"] > 400 and totals["results"] > 40


def test_sample_acceptance_lamar_reports_on_newsclippings(sample_records):
    _, records = sample_records
    rec = next(r for r in records if r["title"].startswith("Latent Multimodal Reconstruction"))
    sentence = "LAMAR sets new state-of-the-art on both NewsCLIPpings and VERITE benchmarks"
    hits = [x for x in rec["relations"] if x["type"] == "REPORTS_ON" and x["source"] == "LAMAR"
            and x["target"] == "NewsCLIPpings"]
    assert hits and sentence in hits[0]["evidence"]
    assert ("REPORTS_ON", "LAMAR", "VERITE") in {(x["type"], x["source"], x["target"]) for x in rec["relations"]}
    intro = {x["target"] for x in rec["relations"] if x["type"] == "INTRODUCES"}
    assert {"LAMAR", "MisCaption This!"} <= intro


def test_no_junk_names_on_the_sample(sample_records):
    """Generic families may be reported as mentions the graph leaves out;
    what is no mention at all is never reported."""
    _, records = sample_records
    families = {entity_key(x) for x in ("LLMs", "large language models", "transformers")}
    not_names = {entity_key(x) for x in ("our method", "state-of-the-art", "baselines", "the model", "our approach")}
    graph_entities = 0
    for rec in records:
        for ent in rec["entities"]:
            assert ent["key"] not in not_names, (rec["title"], ent)
            assert any(c.isalpha() for c in ent["name"])
            if ent["graph"]:
                graph_entities += 1
                assert ent["key"] not in families, (rec["title"], ent)
            else:
                assert ent["extractor"] == "ner" or ent["label"] == "Metric", ent
    assert graph_entities > 300


def test_mentions_the_graph_leaves_out_are_reported_apart():
    """Generic methods and a lower-case one-word task are mentions (``graph:
    false``) no relation names; an established lower-case method the gazetteer
    knows (beam search) and a metric named in passing reach the graph."""
    from extractors.pipeline import extract, load_pipeline

    texts = ["We train deep neural networks with beam search and dropout, and report accuracy for each split.",
             "Recurrent neural networks have been applied to machine translation and parsing."]
    records = list(extract([paper(t, pid=str(i)) for i, t in enumerate(texts)], nlp=load_pipeline()))
    found = [{(e["text"], e["label"]): e["graph"] for e in r["entities"]} for r in records]
    assert found[0][("deep neural networks", "Method")] is False
    assert found[0][("beam search", "Method")] is True
    assert found[0][("accuracy", "Metric")] is True  # a named metric in passing: a MENTIONS link
    assert found[0][("dropout", "Method")] is True
    assert found[1][("machine translation", "Task")] is True
    assert found[1][("parsing", "Task")] is False
    targets = [{(x["type"], x["target"]) for x in r["relations"]} for r in records]
    assert ("USES", "Dropout") in targets[0] and ("ADDRESSES", "Machine Translation") in targets[1]
    for rec, rel_targets in zip(records, targets):
        left_out = {e["name"] for e in rec["entities"] if not e["graph"]}
        assert not left_out & {t for _, t in rel_targets}


def test_mentions_left_out_of_the_graph_never_overlap_its_entities(sample_records):
    _, records = sample_records
    left_out = 0
    for rec in records:
        taken = {(e["field"], k) for e in rec["entities"] if e["graph"] for k in range(e["start"], e["end"])}
        named = {x["target"] for x in rec["relations"]} | {x["source"] for x in rec["relations"]} | {
            x.get(f) for x in rec["results"] for f in ("method", "dataset", "metric")}
        for ent in rec["entities"]:
            _check_span(rec, ent, "text")
            if not ent["graph"]:
                left_out += 1
                assert not any((ent["field"], k) in taken for k in range(ent["start"], ent["end"])), ent
                assert ent["name"] not in named, (rec["title"], ent)
    assert left_out > 50


def test_n_process_gives_the_same_records():
    from extractors.pipeline import extract

    papers = sample_papers()[:12]
    nlp = rules_nlp()
    one = list(extract(papers, nlp=nlp, n_process=1, batch_size=4))
    two = list(extract(papers, nlp=nlp, n_process=2, batch_size=4))
    assert one == two


def test_pipeline_serialises_to_disk(tmp_path):
    import spacy

    from extractors.pipeline import doc_to_record, paper_text

    nlp = rules_nlp()
    nlp.to_disk(tmp_path / "kg")
    loaded = spacy.load(tmp_path / "kg")
    p = paper("We propose ZorbNet. ZorbNet reaches an F1 of 71.3% on the FooQA dataset. "
              "Code: https://github.com/z/zorb.")
    a = doc_to_record(nlp(paper_text(p)), p)
    b = doc_to_record(loaded(paper_text(p)), p)
    assert a == b and a["results"] and a["relations"]


def test_empty_and_odd_inputs():
    from extractors.pipeline import extract

    nlp = rules_nlp()
    recs = list(extract([paper("", title=""), paper("   ", title="Only a title: with colon"),
                         paper("\u00e9\u00e8 \u2014 ?? (( [[ 100% 3x", title="X")], nlp=nlp))
    assert len(recs) == 3
    assert all(isinstance(r["entities"], list) for r in recs)


def test_gazetteer_data_dir_and_ambiguous_names_only_in_strong_contexts(tmp_path):
    import json

    from extractors.pipeline import extract_paper, load_pipeline

    (tmp_path / "gazetteer.jsonl").write_text(
        json.dumps({"label": "Dataset", "pattern": "Zebra-QA", "id": "ZebraQA"}) + "\n"
        + json.dumps({"label": "Task", "pattern": "kelp segmentation", "id": "Kelp Segmentation"}) + "\n")
    (tmp_path / "gazetteer_ambiguous.jsonl").write_text(
        json.dumps({"label": "Dataset", "pattern": "pile", "id": "The Pile"}) + "\n")
    (tmp_path / "metrics.json").write_text(json.dumps({"Kelp IoU": {"direction": "higher", "aliases": ["KIoU"]}}))
    nlp = load_pipeline(use_ner=False, data_dir=tmp_path)
    rec = extract_paper(paper("We tackle kelp segmentation. Results on Zebra-QA and on the pile dataset are strong, "
                              "reaching 71.0 KIoU, although a pile of papers remains."), nlp=nlp)
    got = {(e["label"], e["name"], e["text"]) for e in rec["entities"]}
    assert ("Dataset", "ZebraQA", "Zebra-QA") in got
    assert ("Task", "Kelp Segmentation", "kelp segmentation") in got
    assert ("Dataset", "The Pile", "pile") in got
    assert sum(1 for e in rec["entities"] if e["text"] == "pile") == 1  # not "a pile of papers"
    assert {r["metric"] for r in rec["results"]} == {"Kelp IoU"}


def test_missing_ner_model_degrades_to_rules(tmp_path):
    from extractors.pipeline import load_pipeline

    nlp = load_pipeline(model_dir=tmp_path / "no-such-model")
    assert "kg_ner" not in nlp.pipe_names and "kg_mentions" in nlp.pipe_names


def test_ner_model_bridge_end_to_end(tmp_path):
    """A stand-in NER model (an entity ruler saved as a spaCy pipeline) plugged in
    through ``model_dir``: its spans fill gaps, rules keep their labels."""
    import spacy

    from extractors.pipeline import extract_paper, load_pipeline

    model = spacy.blank("en")
    ruler = model.add_pipe("entity_ruler", name="ner")
    ruler.add_patterns([
        {"label": "Method", "pattern": "FooQA"},
        {"label": "Method", "pattern": "Quaffle Softmax sampling"},
        {"label": "Task", "pattern": "keypoint localization"},
        {"label": "Method", "pattern": "plain words only"},
    ])
    model.to_disk(tmp_path / "ner")
    nlp = load_pipeline(tmp_path / "ner")
    assert "kg_ner" in nlp.pipe_names
    rec = extract_paper(paper("We propose ZorbNet, trained with Quaffle Softmax sampling on the FooQA dataset. "
                              "It gives sharper keypoint localization. We use plain words only here."), nlp=nlp)
    got = {(e["text"], e["label"], e["extractor"]) for e in rec["entities"]}
    assert ("Quaffle Softmax", "Method", "ner") in got
    assert ("keypoint localization", "Task", "ner") in got
    assert ("FooQA", "Dataset", "rule:dataset_noun") in got
    assert not any(t == "plain words only" for t, _, _ in got)


def test_broken_ner_model_warns_and_falls_back(tmp_path):
    from extractors.pipeline import load_pipeline

    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "meta.json").write_text("{not json")
    with pytest.warns(UserWarning, match="could not be loaded"):
        nlp = load_pipeline(broken)
    assert "kg_ner" not in nlp.pipe_names
