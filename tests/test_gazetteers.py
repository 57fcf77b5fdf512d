"""The shipped gazetteers: format, matching on hand-written sentences,
ambiguity handling, metric directions, and the name-variant helpers.

Reads only the files under extractors/data (never the reference datasets).
"""

from __future__ import annotations

import json
from collections import defaultdict

import pytest
import spacy

from extractors.gazetteers import (
    AMBIGUOUS_PATH,
    DATA_DIR,
    GAZETTEER_PATH,
    METRICS_PATH,
    NAMES_PATH,
    add_ambiguous_ruler,
    add_gazetteer_ruler,
    canonical_metric,
    canonical_name,
    load_ambiguous_patterns,
    load_metrics,
    load_names,
    load_patterns,
    metric_direction,
)
from extractors.gazetteers.build import AMBIGUOUS, DROP, EXACT, LOWER, OK, classify
from extractors.gazetteers.curated import guess_direction
from extractors.gazetteers.variants import (
    clean_name,
    expand_language_codes,
    is_acronym_of,
    name_variants,
    split_parenthetical,
    strip_dataset_qualifiers,
    strip_language_pair,
    strip_metric_qualifiers,
    year_variants,
)
from kg.schema import ENTITY_LABELS


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    add_gazetteer_ruler(nlp, annotate_ents=True)
    add_ambiguous_ruler(nlp)
    return nlp


def ents(nlp, text):
    return {(e.text, e.label_, e.id_) for e in nlp(text).ents}


# --- file formats -------------------------------------------------------------


def test_files_exist_and_are_small():
    for path in (GAZETTEER_PATH, AMBIGUOUS_PATH, NAMES_PATH, METRICS_PATH):
        assert path.exists(), path
        assert path.stat().st_size < 4_000_000, path


def test_pattern_records_have_the_ruler_format():
    patterns = load_patterns()
    assert len(patterns) > 5000
    counts = defaultdict(int)
    for row in patterns:
        assert set(row) == {"label", "pattern", "id"}
        assert row["label"] in ENTITY_LABELS
        assert isinstance(row["id"], str) and row["id"]
        pattern = row["pattern"]
        if isinstance(pattern, str):
            assert pattern.strip() == pattern and len(pattern) >= 2
        else:
            assert isinstance(pattern, list) and pattern
            for tok in pattern:
                assert len(tok) == 1 and next(iter(tok)) in {"LOWER", "ORTH", "TEXT"}
        counts[row["label"]] += 1
    assert all(counts[label] > 100 for label in ENTITY_LABELS), counts


def test_token_patterns_are_reproduced_by_the_tokenizer():
    """A LOWER/ORTH token sequence must be what spacy.blank('en') makes of its
    own text, otherwise it can never match."""
    tokenizer = spacy.blank("en").tokenizer
    for row in load_patterns():
        pattern = row["pattern"]
        if isinstance(pattern, str) or any(isinstance(v, dict) for tok in pattern for v in tok.values()):
            continue  # phrase patterns are tokenized by the ruler itself; regexes are single tokens
        words = [next(iter(tok.values())) for tok in pattern]
        assert [t.text.lower() for t in tokenizer(" ".join(words))] == [w.lower() for w in words], row


def test_no_token_sequence_has_two_owners():
    nlp = spacy.blank("en")
    owners = defaultdict(set)
    for row in load_patterns():
        pattern = row["pattern"]
        if isinstance(pattern, str):
            key = ("exact", tuple(t.text for t in nlp.make_doc(pattern)))
        elif all(set(tok) == {"LOWER"} and isinstance(tok["LOWER"], str) for tok in pattern):
            key = ("lower", tuple(tok["LOWER"] for tok in pattern))
        else:
            continue
        owners[key].add((row["label"], row["id"]))
    clashes = {k: v for k, v in owners.items() if len(v) > 1}
    assert not clashes, list(clashes.items())[:5]


def test_files_are_sorted():
    rows = load_patterns()
    order = [(r["label"], r["id"], json.dumps(r["pattern"], ensure_ascii=False)) for r in rows]
    assert order == sorted(order)
    names = [(n["label"], n["id"]) for n in load_names()]
    assert names == sorted(names)


def test_ambiguous_file_is_exact_case_only():
    rows = load_ambiguous_patterns()
    assert rows
    for row in rows:
        assert row["ambiguous"] is True and row["reason"]
        assert isinstance(row["pattern"], str)
    texts = {r["pattern"] for r in rows}
    assert {"Places", "GQA", "Yelp"} <= texts


def test_every_pattern_id_is_a_named_entity():
    names = {(n["label"], n["id"]) for n in load_names()}
    for row in load_patterns() + load_ambiguous_patterns():
        assert (row["label"], row["id"]) in names, row


def test_methods_file_is_curated_without_generic_families():
    generic = {"llm", "llms", "transformer", "transformers", "cnn", "cnns", "rnn", "lstm", "gan", "gans", "vae", "mlp", "gnn"}
    with open(DATA_DIR / "methods.jsonl", encoding="utf-8") as fh:
        entries = [json.loads(line) for line in fh if line.strip()]
    assert len(entries) >= 200
    ids = [e["id"] for e in entries]
    assert len(ids) == len(set(ids))
    for entry in entries:
        assert set(entry) <= {"id", "aliases", "ambiguous_aliases", "ambiguous", "lower", "numbered"}
        for form in (entry["id"], *entry["aliases"]):
            assert form.lower() not in generic, entry


# --- matching ---------------------------------------------------------------------


def test_datasets_in_a_sentence(nlp):
    found = ents(nlp, "We report results on ImageNet and MS COCO.")
    assert ("ImageNet", "Dataset", "ImageNet") in found
    assert ("MS COCO", "Dataset", "COCO") in found


def test_dataset_spelling_variants_share_an_id(nlp):
    found = ents(nlp, "Accuracy is reported on CIFAR10, on CIFAR-10 and on MS-COCO as well as MSCOCO.")
    ids = {(label, cid) for _, label, cid in found}
    assert ("Dataset", "CIFAR-10") in ids and ("Dataset", "COCO") in ids
    assert {t for t, _, cid in found if cid == "CIFAR-10"} == {"CIFAR10", "CIFAR-10"}
    assert {t for t, _, cid in found if cid == "COCO"} == {"MS-COCO", "MSCOCO"}


def test_dataset_versions_stay_apart(nlp):
    """CUB-200 (2010) and CUB-200-2011 are different releases: neither absorbs the other."""
    found = ents(nlp, "We train on CUB-200 and test on CUB-200-2011 and the Caltech-UCSD Birds-200-2011 set.")
    assert {(text, cid) for text, _, cid in found} >= {
        ("CUB-200", "CUB-200"), ("CUB-200-2011", "CUB-200-2011"),
        ("Caltech-UCSD Birds-200-2011", "CUB-200-2011")}


def test_leaderboards_and_classic_methods(nlp):
    found = ents(nlp, "Our model tops the Open LLM Leaderboard and beats a TF-IDF baseline and tf-idf features.")
    assert ("Open LLM Leaderboard", "Dataset", "Open LLM Leaderboard") in found
    assert {t for t, label, cid in found if cid == "TF-IDF" and label == "Method"} == {"TF-IDF", "tf-idf"}


def test_methods_tasks_metrics_in_sentences(nlp):
    found = ents(
        nlp,
        "Starting from Llama2 and LLaMA-2-7B, we compare against Wav2Vec 2.0, RoBERTa and GPT-4 "
        "on question answering and machine translation, reporting BLEU, top-1 accuracy and perplexity.",
    )
    assert ("Llama2", "Method", "Llama 2") in found
    assert ("LLaMA-2", "Method", "Llama 2") in found
    assert ("Wav2Vec 2.0", "Method", "wav2vec 2.0") in found
    assert ("RoBERTa", "Method", "RoBERTa") in found
    assert ("GPT-4", "Method", "GPT-4") in found
    assert ("question answering", "Task", "Question Answering") in found
    assert ("machine translation", "Task", "Machine Translation") in found
    assert ("BLEU", "Metric", "BLEU") in found
    assert ("top-1 accuracy", "Metric", "Top-1 Accuracy") in found
    assert ("perplexity", "Metric", "Perplexity") in found


def test_tasks_match_case_insensitively_but_acronyms_keep_case(nlp):
    found = ents(nlp, "3D Object Detection and 3D object detection differ from CTR prediction and ctr prediction.")
    assert ("3D Object Detection", "Task", "3D Object Detection") in found
    assert ("3D object detection", "Task", "3D Object Detection") in found
    assert ("CTR prediction", "Task", "Click-Through Rate Prediction") in found
    assert not [t for t, _, _ in found if t.startswith("ctr")]


def test_parenthesised_acronym_and_long_form_share_an_id(nlp):
    found = ents(nlp, "The Stanford Question Answering Dataset (SQuAD) and the word error rate (WER) matter.")
    assert ("Stanford Question Answering Dataset", "Dataset", "SQuAD") in found
    assert ("SQuAD", "Dataset", "SQuAD") in found
    assert ("word error rate", "Metric", "WER") in found and ("WER", "Metric", "WER") in found


def test_sized_and_numbered_model_names(nlp):
    found = ents(nlp, "We fine-tune Mistral-7B and LLaMA-13B with a ResNet50 and a VGG-16 encoder.")
    assert ("Mistral-7B", "Method", "Mistral 7B") in found
    assert ("LLaMA-13B", "Method", "LLaMA") in found
    assert ("ResNet50", "Method", "ResNet") in found
    assert ("VGG-16", "Method", "VGG") in found


def test_ambiguous_short_names_do_not_fire_on_ordinary_words(nlp):
    doc = nlp("the set of places we measure impact")
    assert not [e for e in doc.ents if e.label_ == "Dataset"]
    assert not list(doc.spans["gazetteer_ambiguous"])
    doc = nlp("We ask ms and abcd users in the yelp of a dog; gqa and sst are typos.")
    assert not [e for e in doc.ents if e.label_ == "Dataset"]
    assert not list(doc.spans["gazetteer_ambiguous"])


def test_ambiguous_names_are_only_candidates(nlp):
    doc = nlp("Results on the Places and GQA datasets improve.")
    assert not [e for e in doc.ents if e.text in {"Places", "GQA"}]
    candidates = {(s.text, s.label_) for s in doc.spans["gazetteer_ambiguous"]}
    assert {("Places", "Dataset"), ("GQA", "Dataset")} <= candidates


def test_short_metrics_match_case_sensitively(nlp):
    found = ents(nlp, "We report AP, mAP and PPL.")
    assert {("AP", "Metric", "AP"), ("mAP", "Metric", "mAP"), ("PPL", "Metric", "Perplexity")} <= found
    assert not [e for e in nlp("we map the ap and ppl values").ents if e.label_ == "Metric"]


# --- metrics -------------------------------------------------------------------------


def test_metric_directions():
    metrics = load_metrics()
    for name, info in metrics.items():
        assert set(info) == {"direction", "aliases", "ambiguous_aliases", "key"}
        assert info["direction"] in {"higher", "lower"}
    assert metrics["Perplexity"]["direction"] == "lower"
    assert "PPL" in metrics["Perplexity"]["aliases"]
    assert "precision" in metrics["Precision"]["ambiguous_aliases"]  # not matched without context
    assert "EM" in metrics["Exact Match"]["ambiguous_aliases"]
    assert metrics["Accuracy"]["direction"] == "higher"
    for name in ("PPL", "perplexity", "WER", "FID", "MAE", "RMSE", "EER", "Params", "FLOPs", "Top-1 Error Rate", "Latency"):
        assert metric_direction(name) == "lower", name
    for name in ("accuracy", "Acc", "BLEU", "F1 score", "mAP", "AP", "PSNR", "Top-1 Accuracy", "Recall@10"):
        assert metric_direction(name) == "higher", name


def test_metric_aliases():
    assert canonical_metric("PPL") == "Perplexity"
    assert canonical_metric("EM") == "Exact Match"
    assert canonical_metric("Average Precision") == "AP"
    assert canonical_metric("Acc") == "Accuracy"
    assert canonical_metric("Accuracy (%)") == "Accuracy"
    assert canonical_metric("Word Error Rate (WER)") == "WER"
    assert canonical_metric("no such metric here") is None


def test_guess_direction_rules():
    assert guess_direction("Character Error Rate") == "lower"
    assert guess_direction("validation loss") == "lower"
    assert guess_direction("Median Rank") == "lower"
    assert guess_direction("Rank-1") == "higher"
    assert guess_direction("TAR @ FAR=0.01") == "higher"
    assert guess_direction("Macro-F1") == "higher"


def test_canonical_name_lookup():
    assert canonical_name("Dataset", "mscoco") == "COCO"
    assert canonical_name("Method", "LLaMA-2") == "Llama 2"
    assert canonical_name("Method", "Wav2Vec2") == "wav2vec 2.0"
    assert canonical_name("Task", "NER") == "Named Entity Recognition"
    assert canonical_name("Dataset", "certainly not a dataset") is None


# --- variant helpers on hand-made inputs --------------------------------------------


def test_name_variants_hyphens_spaces_versions():
    assert set(name_variants("CIFAR-10")) == {"CIFAR-10", "CIFAR 10", "CIFAR10"}
    assert {"MS-COCO", "MSCOCO"} <= set(name_variants("MS COCO"))
    assert {"Llama-2", "Llama2"} <= set(name_variants("Llama 2"))
    assert {"wav2vec 2", "wav2vec2", "wav2vec2.0"} <= set(name_variants("wav2vec 2.0"))
    assert {"SQuAD v1.1", "SQuADv1.1"} <= set(name_variants("SQuAD1.1"))
    assert "Part of Speech Tagging" in name_variants("Part-of-Speech Tagging")
    assert name_variants("Foo Bar")[0] == "Foo Bar"
    assert name_variants("ImageNet") == ["ImageNet"]
    # plain words are not glued together
    assert "VisualGenome" not in name_variants("Visual Genome")


def test_year_and_language_variants():
    assert {"WMT14", "WMT'14", "WMT 2014"} <= set(year_variants("WMT2014"))
    assert year_variants("MOT16") == []
    variants = set(name_variants("WMT2014 English-German", years=True, languages=True))
    assert {"WMT14 En-De", "WMT 2014 English-to-German"} <= variants
    assert expand_language_codes("WMT 2014 EN-DE") == "WMT 2014 English-German"
    assert expand_language_codes("Foo AB-CD") is None
    assert strip_language_pair("IWSLT2015 German-English") == "IWSLT2015"
    assert strip_language_pair("North American English") is None


def test_parenthesised_acronyms():
    assert split_parenthetical("Stanford Question Answering Dataset (SQuAD)") == (
        "Stanford Question Answering Dataset", "SQuAD", [])
    assert split_parenthetical("mean Corruption Error (mCE)") == ("mean Corruption Error", "mCE", [])
    assert split_parenthetical("WIDER Face (Easy)") == ("WIDER Face", None, ["Easy"])
    assert split_parenthetical("Accuracy (CS)") == ("Accuracy", None, ["CS"])
    assert is_acronym_of("CMU-MMAC", "CMU Multi-Modal Activity")
    assert not is_acronym_of("XYZ", "Word Error Rate")
    assert not is_acronym_of("Easy", "Easy Mode")


def test_qualifier_stripping():
    assert strip_dataset_qualifiers("Urban100 - 4x upscaling") == "Urban100"
    assert strip_dataset_qualifiers("CIFAR-10, 4000 Labels") == "CIFAR-10"
    assert strip_dataset_qualifiers("COCO test-dev") == "COCO"
    assert strip_dataset_qualifiers("CelebA-HQ 1024x1024") == "CelebA-HQ"
    assert strip_dataset_qualifiers("SST-2 Binary classification") == "SST-2"
    assert strip_dataset_qualifiers("MRPC Dev") == "MRPC"
    assert strip_dataset_qualifiers("Children's Book Test") == "Children's Book Test"
    assert strip_metric_qualifiers("% Test Accuracy") == "Test Accuracy"
    assert strip_metric_qualifiers("Top-1 accuracy %") == "Top-1 accuracy"
    assert clean_name(" THUMOS’14 ") == "THUMOS'14"
    assert clean_name("LDC2015E86:") == "LDC2015E86"


def test_classify_ambiguity_rules():
    common = {"set", "places", "impact", "visual", "street", "scene", "the", "of"}
    kw = dict(curated=False, forced_ambiguous=False, lower_opt=None, common_any=common, common_freq=common)
    nlp = spacy.blank("en")

    def run(text, label="Dataset", **extra):
        return classify(text, [t.text for t in nlp.make_doc(text)], label, **{**kw, **extra})[:2]

    assert run("Places") == (AMBIGUOUS, EXACT)
    assert run("IMPACT") == (AMBIGUOUS, EXACT)
    assert run("GQA") == (AMBIGUOUS, EXACT)
    assert run("MS") == (AMBIGUOUS, EXACT)
    assert run("Twitter") == (AMBIGUOUS, EXACT)  # a platform
    assert run("set") == (DROP, EXACT)
    assert run("X") == (DROP, EXACT)
    assert run("2014") == (DROP, EXACT)
    assert run("Street Scene") == (AMBIGUOUS, EXACT)
    assert run("COCO") == (OK, EXACT)
    assert run("ImageNet") == (OK, LOWER)
    assert run("CIFAR-10") == (OK, LOWER)
    assert run("Object Detection", label="Task") == (OK, LOWER)
    assert run("AP", label="Metric", curated=True) == (OK, EXACT)
    assert run("Perplexity", label="Metric", curated=True) == (OK, LOWER)
    assert run("Whisper", label="Method", curated=True, forced_ambiguous=True) == (AMBIGUOUS, EXACT)


def test_suite_members_get_their_own_name_as_an_alias_unless_an_ordinary_word():
    from extractors.gazetteers.build import suite_member_aliases

    got = suite_member_aliases({"Atari 2600 Montezuma's Revenge", "Atari 2600 Boxing", "ImageNet"},
                               common_any={"boxing"})
    assert got == [{"label": "Dataset", "id": "Atari 2600 Montezuma's Revenge", "aliases": ["Montezuma's Revenge"]}]
