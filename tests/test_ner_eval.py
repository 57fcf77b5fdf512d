"""Tests for the NER evaluation harness and the shipped NER model.

All data here is written inline; nothing is read from the shared datasets.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors import evaluate as ev

MODEL_DIR = Path(ev.__file__).resolve().parent / "models" / "ner"


# ---------------------------------------------------------------- scorer


def _const(preds):
    return lambda texts: [list(p) for p in preds]


def test_score_exact_match_is_perfect():
    examples = [("a b c", [(0, 1, "Method"), (4, 5, "Dataset")])]
    s = ev.score(_const([[(4, 5, "Dataset"), (0, 1, "Method")]]), examples)
    assert s["micro"]["p"] == s["micro"]["r"] == s["micro"]["f"] == 1.0
    assert s["per_type"]["Method"]["tp"] == 1
    assert s["per_type"]["Dataset"]["tp"] == 1
    assert s["n_examples"] == 1


def test_partial_overlap_and_wrong_label_count_as_errors():
    text = "the SQuAD dataset and BLEU"
    gold = [(4, 9, "Dataset"), (22, 26, "Metric")]
    pred = [(4, 17, "Dataset"), (22, 26, "Task")]  # too long; right span, wrong type
    s = ev.score(_const([pred]), [(text, gold)])
    assert s["micro"]["tp"] == 0
    assert s["micro"]["fp"] == 2 and s["micro"]["fn"] == 2
    assert s["micro"]["f"] == 0.0
    assert s["per_type"]["Dataset"]["fp"] == 1 and s["per_type"]["Dataset"]["fn"] == 1
    assert s["per_type"]["Metric"]["fn"] == 1
    assert s["per_type"]["Task"]["fp"] == 1


def test_per_type_and_micro_numbers():
    gold = [
        [(0, 3, "Method"), (5, 8, "Method"), (10, 12, "Task")],
        [(0, 4, "Metric")],
    ]
    pred = [
        [(0, 3, "Method"), (10, 12, "Task"), (14, 16, "Task")],
        [(0, 4, "Metric"), (6, 9, "Dataset")],
    ]
    s = ev.score_spans(gold, pred)
    m = s["per_type"]["Method"]
    assert (m["tp"], m["fp"], m["fn"]) == (1, 0, 1)
    assert m["p"] == 1.0 and m["r"] == 0.5 and m["f"] == pytest.approx(2 / 3)
    t = s["per_type"]["Task"]
    assert (t["tp"], t["fp"], t["fn"]) == (1, 1, 0) and t["p"] == 0.5
    d = s["per_type"]["Dataset"]
    assert (d["tp"], d["fp"], d["fn"]) == (0, 1, 0) and d["f"] == 0.0
    mi = s["micro"]
    assert (mi["tp"], mi["fp"], mi["fn"]) == (3, 2, 1)
    assert mi["p"] == pytest.approx(3 / 5) and mi["r"] == pytest.approx(3 / 4)
    assert mi["f"] == pytest.approx(2 * 0.6 * 0.75 / 1.35)


def test_labels_restrict_scoring():
    gold = [[(0, 3, "Task")]]
    pred = [[(0, 3, "Task"), (5, 8, "Method")]]
    s = ev.score_spans(gold, pred, labels=("Task", "Dataset", "Metric"))
    assert "Method" not in s["per_type"]
    assert s["micro"]["f"] == 1.0
    assert s["per_type"]["Dataset"]["support"] == 0


def test_score_rejects_misaligned_predictions():
    with pytest.raises(ValueError):
        ev.score_spans([[]], [[], []])


def test_error_classes_split_every_false_negative_once():
    gold = [[(0, 4, "Metric"), (10, 20, "Task"), (30, 35, "Dataset"), (40, 45, "Task")],
            [(0, 5, "Dataset")]]
    pred = [[(0, 10, "Metric"), (10, 20, "Task"), (30, 35, "Task"), (50, 55, "Task"),
             (60, 61, "Method")],
            [(0, 5, "Dataset")]]
    kinds = ev.error_classes(gold, pred, labels=("Task", "Dataset", "Metric"))
    assert kinds["boundary"] == [(0, (0, 4, "Metric"), [(0, 10, "Metric")])]
    assert kinds["label"] == [(0, (30, 35, "Dataset"), [(30, 35, "Task")])]
    assert kinds["missed"] == [(0, (40, 45, "Task"), [])]
    assert kinds["spurious"] == [(0, (50, 55, "Task"), [])]  # the Method is not scored here
    fn = ev.score_spans(gold, pred, ("Task", "Dataset", "Metric"))["micro"]["fn"]
    assert fn == sum(len(kinds[k]) for k in ("missed", "boundary", "label"))


def test_format_table_text_and_markdown():
    s = ev.score_spans([[(0, 1, "Task")]], [[(0, 1, "Task")]])
    txt = ev.format_table(s, title="demo")
    assert "micro" in txt and "Task" in txt and "1.000" in txt and txt.startswith("demo")
    md = ev.format_table(s, markdown=True)
    assert md.splitlines()[0].startswith("| type")
    assert "| micro |" in md


# ---------------------------------------------------------------- readers


def _spans_text(ex):
    return [(ex.text[s:e], lab) for s, e, lab in ex.spans]


def test_read_tdmsci(tmp_path):
    conll = (
        "We\t0\tO\nreport\t3\tO\nBLEU\t10\tB-METRIC\non\t15\tO\nthe\t18\tO\n"
        "WMT\t22\tB-DATASET\n14\t26\tI-DATASET\ntest\t29\tI-DATASET\nset\t34\tI-DATASET\n"
        "for\t38\tO\nmachine\t42\tB-TASK\ntranslation\t50\tI-TASK\n.\t61\tO\n"
        "\n"
        "Domain\t63\tO\n-\t69\tO\nspecific\t70\tO\nparsing\t79\tB-TASK\n.\t86\tO\n"
    )
    p = tmp_path / "tiny.conll"
    p.write_text(conll)
    exs = ev.read_examples("tdmsci", p)
    assert len(exs) == 2
    assert exs[0].text == "We report BLEU on the WMT 14 test set for machine translation."
    assert _spans_text(exs[0]) == [
        ("BLEU", "Metric"), ("WMT 14 test set", "Dataset"), ("machine translation", "Task")
    ]
    assert exs[1].text == "Domain-specific parsing."
    assert _spans_text(exs[1]) == [("parsing", "Task")]


def test_read_scirex_doc_and_sentence(tmp_path):
    doc = {
        "doc_id": "p1",
        "words": ["Deep", "Residual", "Learning", "We", "train", "ResNet", "on", "ImageNet",
                  "(", "top", "-", "1", "accuracy", ")", "."],
        "sentences": [[0, 3], [3, 15]],
        "ner": [[0, 3, "Method"], [5, 6, "Method"], [7, 8, "Material"], [9, 13, "Metric"]],
    }
    p = tmp_path / "scirex.jsonl"
    p.write_text(json.dumps(doc) + "\n")
    (ex,) = ev.read_scirex(p)
    assert ex.doc_id == "p1"
    assert ex.text == "Deep Residual Learning We train ResNet on ImageNet (top-1 accuracy)."
    assert _spans_text(ex) == [
        ("Deep Residual Learning", "Method"), ("ResNet", "Method"),
        ("ImageNet", "Dataset"), ("top-1 accuracy", "Metric"),
    ]
    sents = ev.read_scirex(p, unit="sentence")
    assert [s.text for s in sents] == ["Deep Residual Learning", "We train ResNet on ImageNet (top-1 accuracy)."]
    assert all(s.doc_id == "p1" for s in sents)
    assert _spans_text(sents[1])[-1] == ("top-1 accuracy", "Metric")


def test_read_scierc(tmp_path):
    doc = {
        "doc_key": "X_1",
        "sentences": [["We", "propose", "a", "parser", "."], ["It", "improves", "F1", "on", "PTB", "."]],
        "ner": [[[3, 3, "Method"], [0, 0, "Generic"]],
                [[5, 5, "OtherScientificTerm"], [7, 7, "Metric"], [9, 9, "Material"]]],
        "relations": [[], []],
    }
    p = tmp_path / "scierc.json"
    p.write_text(json.dumps(doc) + "\n")
    (ex,) = ev.read_examples("scierc", p)
    assert ex.text == "We propose a parser. It improves F1 on PTB."
    assert _spans_text(ex) == [("parser", "Method"), ("F1", "Metric"), ("PTB", "Dataset")]
    sents = ev.read_scierc(p, unit="sentence")
    assert _spans_text(sents[1]) == [("F1", "Metric"), ("PTB", "Dataset")]


def test_read_scier_locates_strings(tmp_path):
    rows = [
        {"doc_id": "d1", "sentence": "2D CNNs extend CNNs ; CNNs help action detection .",
         "ner": [["CNNs", "Method"], ["2D CNNs", "Method"], ["action detection", "Task"],
                 ["not there", "Dataset"]]},
        {"doc_id": "d2", "sentence": "Results on MS COCO .", "ner": [["MS COCO", "Dataset"]]},
    ]
    p = tmp_path / "scier.jsonl"
    p.write_text("".join(json.dumps(r) + "\n" for r in rows))
    exs = ev.read_examples("scier", p)
    assert [e.doc_id for e in exs] == ["d1", "d2"]
    # "2D CNNs" is placed first; the single listed "CNNs" takes the next free occurrence.
    assert exs[0].spans == [(0, 7, "Method"), (15, 19, "Method"), (32, 48, "Task")]
    assert _spans_text(exs[0])[-1] == ("action detection", "Task")
    assert _spans_text(exs[1]) == [("MS COCO", "Dataset")]


def test_unknown_format_and_label():
    with pytest.raises(ValueError):
        ev.read_examples("nope", "x")
    with pytest.raises(ValueError):
        ev.map_label("Person")
    assert ev.map_label("Material") == "Dataset"
    assert ev.map_label("OtherScientificTerm") is None


# ---------------------------------------------------------------- split


def test_split_is_deterministic_disjoint_and_grouped():
    exs = [ev.Example(f"t{i}", [], f"doc{i // 3}") for i in range(300)]
    parts = {k: ev.split_examples(exs, k) for k in ev.SPLITS}
    assert sum(len(v) for v in parts.values()) == len(exs)
    docs = {k: {e.doc_id for e in v} for k, v in parts.items()}
    assert not (docs["train"] & docs["test"]) and not (docs["dev"] & docs["test"])
    assert len(docs["train"]) == 80 and len(docs["dev"]) == 10 and len(docs["test"]) == 10
    assert ev.split_examples(list(reversed(exs)), "test") == [e for e in reversed(exs) if e.doc_id in docs["test"]]
    assert ev.split_examples(exs, "all") == exs
    assert {e.doc_id for e in ev.split_examples(exs, "test", seed=14)} != docs["test"]


def test_main_prints_table(tmp_path, capsys):
    p = tmp_path / "tiny.conll"
    p.write_text("BLEU\t0\tB-METRIC\nimproves\t5\tO\n.\t13\tO\n")
    ev_predict = lambda texts: [[(0, 4, "Metric")] for _ in texts]  # noqa: E731
    s = ev.evaluate("tdmsci", p, predict=ev_predict)
    assert s["micro"]["f"] == 1.0 and set(s["per_type"]) == {"Task", "Dataset", "Metric"}


# ---------------------------------------------------------------- shipped model


def test_shipped_model_tags_obvious_sentence():
    if not (MODEL_DIR / "meta.json").exists():
        pytest.skip("no trained model at extractors/models/ner")
    spacy = pytest.importorskip("spacy")
    nlp = spacy.load(MODEL_DIR)
    assert "ner" in nlp.pipe_names
    assert set(nlp.get_pipe("ner").labels) >= {"Method", "Dataset", "Task", "Metric"}
    doc = nlp(
        "We evaluate our transformer model on the SQuAD dataset for question answering "
        "and report F1 score and accuracy."
    )
    assert len(doc.ents) >= 1
    assert {e.label_ for e in doc.ents} <= {"Method", "Dataset", "Task", "Metric"}
    predict = ev.spacy_predictor(nlp)
    (spans,) = predict([doc.text])
    assert spans == [(e.start_char, e.end_char, e.label_) for e in doc.ents]


def test_gazetteer_features_mark_known_names_in_tags():
    """The NER's input features: gazetteer hits as B-/I-<label> tags, other tokens untagged."""
    import spacy

    import extractors.components.features  # noqa: F401

    nlp = spacy.blank("en")
    nlp.add_pipe("kg_gazetteer_features")
    doc = nlp("We train on the MS COCO dataset and report BLEU for machine translation today.")
    tags = {t.text: t.tag_ for t in doc}
    assert (tags["MS"], tags["COCO"]) == ("B-Dataset", "I-Dataset")
    assert tags["BLEU"] == "B-Metric"
    assert (tags["machine"], tags["translation"]) == ("B-Task", "I-Task")
    assert tags["train"] == tags["today"] == tags["dataset"] == ""


def test_pretraining_text_holds_scitldr_and_train_splits_only(tmp_path):
    """Unlabelled text for ``spacy pretrain``: never a dev or test sentence."""
    from extractors.training.convert import write_raw_text

    (tmp_path / "scitldr").mkdir()
    (tmp_path / "scitldr" / "train.jsonl").write_text(
        json.dumps({"title": "A title", "source": ["First sentence.", "Second one."]}) + "\n")
    (tmp_path / "tdmsci").mkdir()
    lines = []
    for i in range(40):  # 40 one-token sentences: the fixed-seed split puts some in dev/test
        lines.append(f"sentence{i}\t0\tO\n\n")
    (tmp_path / "tdmsci" / "train_1500_v2.conll").write_text("".join(lines))
    out = tmp_path / "raw.jsonl"
    counts = write_raw_text(tmp_path, out)
    texts = [json.loads(line)["text"] for line in out.read_text().splitlines()]
    assert texts[0] == "A title First sentence. Second one."
    examples = ev.read_examples("tdmsci", tmp_path / "tdmsci" / "train_1500_v2.conll")
    held_out = {ex.text for split in ("dev", "test") for ex in ev.split_examples(examples, split)}
    train = {ex.text for ex in ev.split_examples(examples, "train")}
    assert held_out and not held_out & set(texts)
    assert train <= set(texts)
    assert counts["scitldr"] == 1 and counts["tdmsci"] == len(train)


def test_mention_replacement_keeps_offsets_and_labels():
    """Augmented copies swap names for others of the same label; spans follow."""
    import random

    from extractors.training.convert import mention_pools, replace_mentions

    text = "We report BLEU on WMT14 for machine translation."
    spans = [(10, 14, "Metric"), (18, 23, "Dataset"), (28, 47, "Task")]
    example = ev.Example(text, spans, "s1")
    assert [text[s:e] for s, e, _ in spans] == ["BLEU", "WMT14", "machine translation"]
    pools = {"Metric": ["exact match score"], "Dataset": ["Penn Treebank"], "Task": ["parsing"]}
    swapped = replace_mentions(example, pools, random.Random(0), prob=1.0)
    assert swapped.text == "We report exact match score on Penn Treebank for parsing."
    assert [(swapped.text[s:e], label) for s, e, label in swapped.spans] == [
        ("exact match score", "Metric"), ("Penn Treebank", "Dataset"), ("parsing", "Task")]
    assert replace_mentions(example, pools, random.Random(0), prob=0.0) == example
    pools = mention_pools([example], gazetteer=None)
    assert pools == {"Metric": ["BLEU"], "Dataset": ["WMT14"], "Task": ["machine translation"]}


def test_silver_docbin_sets_entities_missing_and_outside(tmp_path):
    """Silver sentences: confident spans are entities, other candidates missing, the rest O."""
    import spacy

    from extractors.training.convert import silver_docbin

    path = tmp_path / "silver.jsonl"
    text = "We train ResNet on ImageNet and CIFAR-10 today."
    records = [{"id": "scitldr:x#1", "text": text,
                "ents": [[9, 15, "Method"], [19, 27, "Dataset"]],
                "missing": [[32, 40], [19, 27]]},  # a missing span on an entity is dropped
               {"id": "scitldr:y#0", "text": "Another one about MNIST.", "ents": [[18, 23, "Dataset"]], "missing": []}]
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    nlp = spacy.blank("en")
    db, stats = silver_docbin(nlp, path, n_docs=5, seed=13)
    docs = {d.text: d for d in db.get_docs(nlp.vocab)}
    assert stats["docs"] == 2 and stats["ents_Dataset"] == 2 and stats["missing_spans"] == 1
    doc = docs[text]
    tags = {t.text: t.ent_iob_ + ("-" + t.ent_type_ if t.ent_type_ else "") for t in doc}
    assert tags["ResNet"] == "B-Method" and tags["ImageNet"] == "B-Dataset"
    assert tags["CIFAR-10"] == "" and tags["today"] == "O" and tags["train"] == "O"
    db, stats = silver_docbin(nlp, path, n_docs=1, seed=13)
    assert stats["docs"] == 1


def test_silver_excludes_annotated_abstracts_by_id_and_title(tmp_path):
    from extractors.training.silver import annotated_keys, scitldr_papers

    ann = tmp_path / "abstracts.jsonl"
    ann.write_text(json.dumps({"id": "scitldr:A", "title": "Held Out"}) + "\n"
                   + json.dumps({"id": "scirex:zzz", "title": "Other: Title!"}) + "\n")
    (tmp_path / "scitldr").mkdir()
    rows = [{"paper_id": "A", "title": "x", "source": ["s."]},
            {"paper_id": "B", "title": "other title", "source": ["s."]},
            {"paper_id": "C", "title": "Kept", "source": ["One.", "Two."]}]
    for name in ("train.jsonl", "dev.jsonl", "test.jsonl"):
        (tmp_path / "scitldr" / name).write_text("".join(json.dumps(r) + "\n" for r in rows) if name == "train.jsonl" else "")
    keys = annotated_keys([ann])
    assert keys == ({"scitldr:A", "scirex:zzz"}, {"held out", "other title"})
    papers, stats = scitldr_papers(tmp_path, keys)
    assert [p["id"] for p in papers] == ["scitldr:C"] and stats["excluded_annotated"] == 2
    assert papers[0]["sents"] == ["One.", "Two."]


def test_convert_leaves_excluded_papers_out_of_train(tmp_path):
    from extractors.training.convert import convert

    (tmp_path / "scirex").mkdir()
    lines = []
    for i in range(30):
        words = ["We", "use", "ImageNet", "."]
        lines.append(json.dumps({"doc_id": f"p{i}", "words": words, "sentences": [[0, 4]],
                                 "ner": [[2, 3, "Material"]]}) + "\n")
    (tmp_path / "scirex" / "train_title_abstract.jsonl").write_text("".join(lines))
    examples = ev.read_examples("scirex", tmp_path / "scirex" / "train_title_abstract.jsonl")
    train_ids = sorted({ex.doc_id for ex in ev.split_examples(examples, "train")})
    drop = frozenset(f"scirex:{i}" for i in train_ids[:3])
    full = convert(tmp_path, tmp_path / "a", sources=["scirex"])
    less = convert(tmp_path, tmp_path / "b", sources=["scirex"], exclude=drop)
    assert less["train/scirex"]["docs"] == full["train/scirex"]["docs"] - 3
    assert less["train/scirex"]["excluded_annotated"] == 3
    assert less["dev/scirex"] == full["dev/scirex"]
