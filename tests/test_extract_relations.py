"""Relation rules, one or more composed sentences per relation type."""

from __future__ import annotations

from test_extract_helpers import rels, run, targets


def test_evaluates_on_named_datasets_and_reports_on_for_the_paper_method():
    r = run("We propose ZorbNet, a graph encoder. Experiments on the FooQA and BarQA datasets show that "
            "ZorbNet achieves state-of-the-art accuracy.")
    assert {"FooQA", "BarQA"} <= targets(r, "EVALUATES_ON")
    reports = [x for x in r["relations"] if x["type"] == "REPORTS_ON" and x["target"] == "FooQA"]
    assert reports and reports[0]["source"] == "ZorbNet" and reports[0]["source_label"] == "Method"
    assert reports[0]["evidence"].startswith("Experiments on the FooQA and BarQA datasets")


def test_reports_on_prefers_the_sentence_naming_both():
    r = run("We introduce PrismNet, a detector. PrismNet is trained on synthetic scenes. "
            "On the HaloDet benchmark, our detector improves recall. PrismNet sets a new record on HaloDet.")
    ev = {x["evidence"] for x in r["relations"] if x["type"] == "REPORTS_ON" and x["target"] == "HaloDet"}
    assert ev == {"PrismNet sets a new record on HaloDet."}


def test_training_data_is_not_evaluates_on():
    r = run("The model is pre-trained on the WebCrawl corpus and evaluated on the TinyEval benchmark.")
    assert targets(r, "EVALUATES_ON") == {"TinyEval"}


def test_background_datasets_are_not_evaluates_on():
    r = run("Large video corpora, such as ClipWorld, are noisy and expensive to collect.")
    assert not targets(r, "EVALUATES_ON")


def test_built_on_is_lineage_and_compared_against_is_a_baseline():
    r = run("We propose ZorbNet. Our detector is built on top of DeltaNet and is compared against "
            "OmegaFormer and SigmaGAN.")
    assert ("ZorbNet", "DeltaNet") in rels(r, "BUILDS_ON")
    assert {"OmegaFormer", "SigmaGAN"} <= targets(r, "COMPARES_WITH")
    assert not targets(r, "USES") & {"DeltaNet", "OmegaFormer", "SigmaGAN", "ZorbNet"}
    assert not targets(r, "BUILDS_ON") & {"OmegaFormer", "SigmaGAN"}


def test_fine_tuned_models_are_lineage_of_the_paper_when_it_names_no_method():
    r = run("We fine-tune several open models, including Glint-7B, ArborLM-2 and Pico-3, on our data.")
    built = [x for x in r["relations"] if x["type"] == "BUILDS_ON"]
    assert {"Glint-7B", "ArborLM-2", "Pico-3"} <= {x["target"] for x in built}
    assert all(x["source_label"] == "Paper" for x in built)


def test_a_technique_run_on_models_is_applied_to_not_built_on():
    """"we assessed MaskLLM on various LLMs, including ...": the models are what the technique is
    applied to, not what it is built on (the issue's lineage example)."""
    r = run("We propose MaskLLM, a learnable pruning method. We assessed MaskLLM on various LLMs, "
            "including Glint-7B, ArborLM-2 and Pico-3.")
    assert {("MaskLLM", "Glint-7B"), ("MaskLLM", "ArborLM-2"), ("MaskLLM", "Pico-3")} <= rels(r, "APPLIED_TO")
    assert not rels(r, "BUILDS_ON")


def test_a_component_used_is_uses():
    r = run("We propose ZorbNet. We use a pre-trained ResNet-50 as the visual backbone and optimise it "
            "using Adam.")
    assert {"ResNet-50", "Adam"} <= targets(r, "USES")
    assert not targets(r, "BUILDS_ON") & {"ResNet-50", "Adam"}


def test_background_mentions_are_only_mentioned():
    r = run("Representative prior systems, such as HexaPlan and Quorum, rely on search.")
    assert not targets(r, "USES") | targets(r, "BUILDS_ON") | targets(r, "COMPARES_WITH")
    assert {"HexaPlan", "Quorum"} <= targets(r, "MENTIONS")


def test_every_named_entity_reaches_the_graph_once():
    """An entity no specific relation takes up gets one MENTIONS link; one with a specific relation
    gets none."""
    r = run("We propose ZorbNet. Earlier models such as BERT studied this. Experiments on the FooQA "
            "dataset show that ZorbNet is accurate.")
    assert "BERT" in targets(r, "MENTIONS")
    assert "FooQA" in targets(r, "EVALUATES_ON") and "FooQA" not in targets(r, "MENTIONS")
    assert all(e["graph"] for e in r["entities"] if e["name"] in {"BERT", "FooQA", "ZorbNet"})


def test_outperforms_with_named_subject_and_objects():
    r = run("We propose ZorbNet. ZorbNet outperforms GraphSAGE-X and PolyConv by 3.1 points.")
    assert {("ZorbNet", "GraphSAGE-X"), ("ZorbNet", "PolyConv")} <= rels(r, "OUTPERFORMS")
    out = [x for x in r["relations"] if x["type"] == "OUTPERFORMS"]
    assert all(x["source_label"] == "Method" and x["target_label"] == "Method" for x in out)


def test_outperforms_improvement_over_and_we_subject():
    r = run("We present LumaNet. On the ZetaVQA dataset, we obtain an improvement of 4 points over the recent "
            "OrcaVL model, outperforming earlier systems like BridgeQA and KiteVL.")
    assert {("LumaNet", "OrcaVL"), ("LumaNet", "BridgeQA"), ("LumaNet", "KiteVL")} <= rels(r, "OUTPERFORMS")


def test_size_comparisons_are_not_outperforms():
    r = run("We propose TinyTalk. It runs a Conformer model that is 10x smaller than HugeASR.")
    assert not rels(r, "OUTPERFORMS")


def test_addresses_tasks_in_title_and_abstract():
    r = run("We study cross-lingual entity linking for low-resource languages.",
            title="Robust Embeddings for Open-Set Speaker Verification")
    tasks = {t.lower() for t in targets(r, "ADDRESSES")}
    assert "open-set speaker verification" in tasks
    title_rel = [x for x in r["relations"] if x["type"] == "ADDRESSES" and x["field"] == "title"]
    assert title_rel and title_rel[0]["confidence"] >= 0.85


def test_has_code_strips_trailing_punctuation_and_latex_debris():
    r = run("Code is available at https://github.com/foo/bar. See the project page (https://foo.github.io/proj/). "
            "Models: https://huggingface.co/foo/model{https://huggingface.co/foo/model}.")
    assert targets(r, "HAS_CODE") == {"https://github.com/foo/bar", "https://foo.github.io/proj/",
                                      "https://huggingface.co/foo/model"}
    assert all(x["target_label"] == "Code" for x in r["relations"] if x["type"] == "HAS_CODE")


def test_url_without_code_context_is_not_code():
    r = run("Audio samples can be heard at https://example.org/samples.")
    assert not targets(r, "HAS_CODE")


def test_every_relation_has_provenance():
    r = run("We propose ZorbNet, a graph encoder for molecule property prediction. ZorbNet outperforms PolyConv "
            "on the FooQA benchmark. Code: https://github.com/z/zorb.")
    assert r["relations"]
    for x in r["relations"]:
        assert x["evidence"] and x["extractor"] and 0 < x["confidence"] <= 1
        field_text = r["abstract"] if x["field"] == "abstract" else r["title"]
        assert field_text[x["start"]:x["end"]] == x["evidence"]


def test_outperforms_with_an_unnamed_own_model_as_subject():
    r = run("We propose a distillation framework (TinyMix) for compact models. Finally, the 3B-sized student "
            "network after two rounds surpassed the current state-of-the-art model Vicuna-13B on the GQA benchmark.")
    assert ("TinyMix", "Vicuna 13B") in rels(r, "OUTPERFORMS")  # the variant, a VARIANT_OF Vicuna


def test_other_work_as_subject_is_not_the_papers_outperforms():
    r = run("We propose a distillation framework (TinyMix) for compact models. Existing distilled networks "
            "typically surpass Alpaca on GQA.")
    assert not rels(r, "OUTPERFORMS")


def test_implicit_subject_needs_a_single_introduced_method():
    r = run("In this work we study retriever pre-training with two objectives. On the PebbleQA dataset, we obtain "
            "an accuracy of 80, an improvement of 4 points over the recent GlowRetriever model.")
    assert not rels(r, "OUTPERFORMS")
    assert ("p1", "GlowRetriever") in rels(r, "COMPARES_WITH")


def test_models_a_technique_is_run_on_are_applied_to_not_built_on():
    r = run("We propose MaskLLM, a learnable pruning method. We assessed MaskLLM using 2:4 sparsity on various "
            "LLMs, including LLaMA-2, Nemotron-4, and GPT-3.")
    assert {("MaskLLM", "Llama 2"), ("MaskLLM", "Nemotron-4"), ("MaskLLM", "GPT-3")} <= rels(r, "APPLIED_TO")
    assert not rels(r, "BUILDS_ON")
    r = run("We propose ZorbNet, built on language models such as BERT.")
    assert rels(r, "BUILDS_ON") == {("ZorbNet", "BERT")} and not rels(r, "APPLIED_TO")
    r = run("We propose ZorbNet. We compare with models such as GPT-4.")
    assert not rels(r, "APPLIED_TO")


def test_a_technique_that_improves_a_model_is_applied_to_it():
    r = run("We propose ZorbReg, a regularizer that stabilizes GANs and improves ResNet training.")
    assert ("ZorbReg", "ResNet") in rels(r, "APPLIED_TO")


def test_lineage_application_and_use_of_one_method_are_one_relation():
    r = run("We propose ZorbNet. ZorbNet is based on BERT. We apply ZorbNet to BERT as well.")
    kinds = {t for t in ("BUILDS_ON", "APPLIED_TO", "USES") if ("ZorbNet", "BERT") in rels(r, t)
             or (None, "BERT") in rels(r, t)}
    assert len(kinds) == 1


def test_the_method_the_papers_own_is_a_kind_of_is_its_lineage():
    r = run("We present a normalizing flow architecture which relies on domain partitioning.")
    assert targets(r, "BUILDS_ON") == {"Normalizing Flow"}


def test_combining_the_ideas_of_a_method_is_lineage_combining_with_one_is_use():
    r = run("We propose ZorbNet. ZorbNet combines ideas from the Delta Transformer Network (DTN) and "
            "canonical coordinates. Combined with the OmegaFormer encoder, it yields further gains.")
    assert ("ZorbNet", "DTN") in rels(r, "BUILDS_ON")
    assert "OmegaFormer" in targets(r, "USES")
    assert "OmegaFormer" not in targets(r, "BUILDS_ON")


def test_the_framework_a_method_is_cast_in_and_a_variant_adapted_are_lineage():
    r = run("We propose ZorbNet. We reinterpret flows in the framework of the SigmaGAN model. "
            "We adapted the DeltaGAN variant to generate spike trains.")
    assert {("ZorbNet", "SigmaGAN"), ("ZorbNet", "DeltaGAN")} <= rels(r, "BUILDS_ON")


def test_the_parts_a_model_is_composed_of_are_uses():
    r = run("We propose ZorbNet, a network composed of DeltaNet layers.")
    assert "DeltaNet" in targets(r, "USES")


def test_a_family_of_other_methods_named_by_a_suffix_is_not_lineage():
    r = run("We propose ZorbNet. Although BERT-like models are accurate, they have not been widely adopted.")
    assert "BERT" not in targets(r, "BUILDS_ON")
    r = run("We propose ZorbNet. We build BERT-like models for speech.")
    assert ("ZorbNet", "BERT") in rels(r, "BUILDS_ON")
