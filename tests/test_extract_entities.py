"""Entity rules: introductions, acronyms, contexts, junk filter, tokenisation.

Every sentence here is written for the test (invented names where possible, so
the gazetteer cannot be what makes a test pass).
"""

from __future__ import annotations

import pytest

from kg.schema import entity_key
from test_extract_helpers import names, rels, rules_nlp, run, targets, texts


@pytest.fixture(scope="module")
def nlp():
    return rules_nlp()


# --- tokenizer and sentences ------------------------------------------------------


def test_tokenizer_keeps_hyphenated_names_and_splits_compound_suffixes(nlp):
    doc = nlp.make_doc("OV-Zeta beats LLaMA-2 and MS-COCO with a BERT-based encoder, 48times faster and 50.6\\% AP.")
    words = [t.text for t in doc]
    assert "OV-Zeta" in words and "LLaMA-2" in words and "MS-COCO" in words
    assert words[words.index("BERT") + 1] == "-based"
    assert "48times" in words and "50.6" in words


def test_sentence_boundaries_respect_abbreviations_and_decimals(nlp):
    doc = nlp("A title\n\nSmith et al. showed gains of 3.5 points, e.g. on Fig. 2 data. Then we stopped. We end etc. The last one.")
    sents = [s.text.strip() for s in doc.sents]
    assert sents[0] == "A title"
    assert sents[1] == "Smith et al. showed gains of 3.5 points, e.g. on Fig. 2 data."
    assert sents[2] == "Then we stopped."
    assert sents[-1] == "The last one."
    assert doc._.kg_title_end == 2


# --- introductions ----------------------------------------------------------------


def test_we_propose_name_is_introduced_as_method():
    r = run("We propose ZorbNet, a lightweight graph encoder for molecule property prediction.")
    assert ("p1", "ZorbNet") in rels(r, "INTRODUCES")
    assert "ZorbNet" in names(r, "Method")


def test_new_benchmark_is_introduced_as_dataset():
    r = run("In this paper, we introduce QuillBench, a benchmark comprising 12,000 annotated legal questions.")
    assert ("p1", "QuillBench") in rels(r, "INTRODUCES")
    assert "QuillBench" in names(r, "Dataset")
    assert not r["results"]  # 12,000 is a count


def test_dataset_named_after_its_type_noun_is_a_dataset():
    r = run("We also release a new multilingual instruction dataset PolyInstruct-5K to the community.")
    assert "PolyInstruct-5K" in names(r, "Dataset")
    assert ("p1", "PolyInstruct-5K") in rels(r, "INTRODUCES")


def test_title_prefix_names_the_introduced_method():
    r = run("Results are encouraging.", title="TrellisLM: Scaling Sparse Decoders to Long Documents")
    intro = [x for x in r["relations"] if x["type"] == "INTRODUCES"]
    assert [(x["target"], x["field"]) for x in intro] == [("TrellisLM", "title")]
    r = run("Results are encouraging.", title="MegaBench: A Benchmark for Multilingual Reasoning")
    assert "MegaBench" in names(r, "Dataset")


def test_title_prefix_of_a_survey_or_research_area_is_not_a_method():
    r = run("We review the field.", title="Continual Learning of Large Language Models: A Comprehensive Survey")
    assert not targets(r, "INTRODUCES")
    r = run("We study the problem.", title="Transductive Few-Shot Learning: Clustering Is Enough")
    assert not targets(r, "INTRODUCES")


@pytest.mark.parametrize("sentence,name", [
    ("Our training recipe, dubbed FlexTune, halves the memory footprint.", "FlexTune"),
    ("We build a retrieval system called Lumen-R that indexes tables.", "Lumen-R"),
    ("We name our framework OrbitSeg and evaluate it extensively.", "OrbitSeg"),
    ("We design a planner, termed StepWise, which decomposes goals.", "StepWise"),
])
def test_naming_cues_introduce_names(sentence, name):
    r = run(sentence)
    assert ("p1", name) in rels(r, "INTRODUCES")


def test_quoted_name_with_acronym_is_one_entity_with_aliases():
    r = run('We introduce "Paper Lantern" (PL), a retrieval framework for scientific search. PL is fast.')
    ents = [e for e in r["entities"] if e["label"] == "Method"]
    assert {e["key"] for e in ents} == {entity_key("PL")}
    assert "Paper Lantern" in ents[0]["aliases"]
    assert len(ents) >= 3  # long form, acronym, later mention
    assert targets(r, "INTRODUCES") == {"PL"}


def test_newly_designed_submodule_is_introduced():
    r = run("We present a novel approach to motion forecasting through a newly designed Cross Scale Aggregator.")
    assert ("p1", "Cross Scale Aggregator") in rels(r, "INTRODUCES")


def test_background_acronym_is_not_introduced_later():
    r = run("Image Signal Processors (ISP) are used in every camera. We present a new hybrid ISP that is learnable.")
    assert not targets(r, "INTRODUCES")


def test_someone_elses_named_method_is_not_introduced():
    r = run("Recently, a new paradigm was presented, called Orbit Replay (OR), for streaming data. "
            "We show its limits.")
    assert not targets(r, "INTRODUCES")


# --- acronyms ---------------------------------------------------------------------


def test_acronym_and_long_form_are_one_entity():
    r = run("We present Hierarchical Token Routing (HTR), a method that routes tokens. HTR improves throughput.")
    ents = [e for e in r["entities"] if e["key"] == entity_key("HTR")]
    assert {e["text"] for e in ents} == {"Hierarchical Token Routing", "HTR"}
    assert all(e["name"] == "HTR" and "Hierarchical Token Routing" in e["aliases"] for e in ents)


def test_acronym_in_parentheses_after_the_name_and_digit_letters():
    r = run("We introduce an unlearning framework, Sharded Sliced Slot Training (S3T), designed for deletion.")
    assert "S3T" in names(r, "Method")
    ents = [e for e in r["entities"] if e["name"] == "S3T"]
    assert any(e["text"] == "Sharded Sliced Slot Training" for e in ents)


def test_task_acronym_long_form_names_the_task():
    r = run("Prior work on open-domain question answering (OpenQA) is large. OpenQA systems remain brittle.")
    assert "open-domain question answering" in {n.lower() for n in names(r, "Task")}
    assert not names(r, "Method")


def test_local_acronym_definition_beats_other_readings():
    # CTC usually reads "Connectionist Temporal Classification"; here the paper defines it
    r = run("We propose Cross-Token Coupling (CTC), a regulariser for decoders. CTC stabilises training.")
    ents = [e for e in r["entities"] if e["text"] == "CTC"]
    assert ents and all(e["name"] == "CTC" and e["label"] == "Method" for e in ents)
    assert all("Cross-Token Coupling" in e["aliases"] for e in ents)
    assert not any("Connectionist" in a for e in ents for a in e["aliases"])


def test_explicitly_introduced_generic_sounding_name_is_kept():
    r = run("This paper introduces a new paradigm, Dynamic Sparse Learning (DSL), for recommendation. "
            "DSL trains sparse models from scratch.")
    assert ("p1", "DSL") in rels(r, "INTRODUCES")


# --- context rules ----------------------------------------------------------------


def test_dataset_noun_and_coordinated_datasets():
    r = run("We run experiments on the FooQA, BarQA and Baz-500 datasets.")
    assert {"FooQA", "BarQA", "Baz-500"} <= names(r, "Dataset")


def test_benchmarks_such_as_list():
    r = run("Our model sets a new state of the art on standard benchmarks including ZetaVQA, KappaCap and OmegaRef.")
    assert {"ZetaVQA", "KappaCap", "OmegaRef"} <= names(r, "Dataset")


def test_models_such_as_list_are_methods():
    r = run("We compare against strong models such as ArborLM, GlintNet and RT-Fuse.")
    assert {"ArborLM", "GlintNet", "RT-Fuse"} <= names(r, "Method")


def test_task_phrases_in_task_contexts():
    r = run("We tackle audio-visual speech separation. It helps for multi-document summarization and "
            "other tasks such as keyphrase extraction and entity linking.")
    tasks = {n.lower() for n in names(r, "Task")}
    assert {"audio-visual speech separation", "multi-document summarization", "keyphrase extraction"} <= tasks


def test_metric_shapes():
    r = run("We report nDCG@10, Recall@100 and top-5 retrieval accuracy, plus BLEU-4 scores of 31.2.")
    metrics = names(r, "Metric")
    assert {"nDCG@10", "Recall@100"} <= metrics
    assert any(m.lower().startswith("top-5") for m in metrics)
    assert any(m.upper().startswith("BLEU") for m in metrics)


# --- junk filter ------------------------------------------------------------------


def test_generic_phrases_never_become_entities():
    r = run("Our method outperforms state-of-the-art LLMs and strong baselines on six benchmarks. "
            "We train on large-scale datasets, compare with transformers and CNNs, and evaluate on real-world data. "
            "The model and the proposed approach are simple.")
    found = {t.lower() for t in texts(r)}
    for junk in ("our method", "state-of-the-art", "llms", "baselines", "six benchmarks", "large-scale datasets",
                 "transformers", "cnns", "real-world data", "the model", "the proposed approach", "benchmarks"):
        assert junk not in found, junk
    assert not r["relations"]


def test_generic_acronym_definitions_are_junk():
    r = run("Large Language Models (LLMs) and Vision-Language Models (VLMs) are popular. VLMs are large.")
    assert not r["entities"]


def test_numbers_and_lowercase_words_are_not_entities():
    r = run("The network has 12 layers and 4 heads; it is fast, cheap and simple.")
    assert not r["entities"]


def test_propagation_finds_later_mentions():
    r = run("We propose KiteFormer. KiteFormer is trained once. Later, KiteFormer's memory stays flat.")
    assert sum(1 for e in r["entities"] if e["name"] == "KiteFormer") == 3


# --- NER combination --------------------------------------------------------------


def test_ner_fills_gaps_rules_win_overlaps_and_junk_is_filtered(nlp):
    """Simulated NER predictions go through the same resolution as real ones."""
    text = ("A study\n\nWe propose ZorbNet, trained with Quaffle Softmax sampling on the FooQA dataset. "
            "ZorbNet pushes fusion deep. It yields sharper keypoint localization than large language models.")
    doc = nlp.make_doc(text)
    for name, proc in nlp.pipeline:
        if name == "kg_mentions":
            break
        doc = proc(doc)

    def span(surface, label):
        start = text.index(surface)
        return doc.char_span(start, start + len(surface), label=label)

    doc.spans["ner"] = [span("ZorbNet", "Dataset"), span("Quaffle Softmax sampling", "Method"),
                        span("FooQA dataset", "Method"), span("ZorbNet pushes fusion deep", "Method"),
                        span("keypoint localization", "Task"), span("large language models", "Method")]
    mentions = nlp.get_pipe("kg_mentions")
    before, mentions.use_ner = mentions.use_ner, True
    try:
        doc = mentions(doc)
    finally:
        mentions.use_ner = before
    got = {(e["text"], e["label"], e["extractor"]) for e in doc._.kg_entities}
    assert ("ZorbNet", "Method", "rule:intro") in got          # the rule wins the overlap and the label
    assert ("FooQA", "Dataset", "rule:dataset_noun") in got      # ... and the boundaries
    assert ("Quaffle Softmax", "Method", "ner") in got            # NER fills a gap, type noun stripped
    assert ("keypoint localization", "Task", "ner") in got
    texts_found = {t for t, _, _ in got}
    assert "ZorbNet pushes fusion deep" not in texts_found       # not name-shaped
    assert "large language models" not in texts_found            # generic family


def test_title_prefix_and_acronym_with_a_close_long_form_are_one_method():
    r = run("We introduce the Sparse Adapter Routed Network (SARN), which sends tokens to adapters. SARN reaches "
            "81.2% accuracy on MNLI.", title="Sparse Adapter Routing: Efficient Tuning of Large Models")
    intro = targets(r, "INTRODUCES")
    assert intro == {"SARN"}, intro


def test_title_prefix_and_unrelated_acronym_stay_apart():
    r = run("We introduce the Sparse Attention Gating (SAG) module, which sends tokens to adapters.",
            title="Sparse Adapter Routing: Efficient Tuning of Large Models")
    assert {"SAG", "Sparse Adapter Routing"} <= targets(r, "INTRODUCES")


def test_latex_superscripts_in_names_are_tidied_and_merged():
    r = run("We propose S 3 Net, a fast stereo network. It runs in real time.",
            title="S$^{3}$Net: Fast Stereo Matching")
    assert targets(r, "INTRODUCES") == {"S^3Net"}


def test_latex_arrow_debris_and_cut_off_variant_words_are_not_names():
    r = run("We propose a pipeline: PRuning rightarrow ReTraining rightarrow DIstillation, abbreviated as "
            "\\method{}. When applied to Claude 3.5 Sonnet and Mistral 7B models, it keeps accuracy.")
    found = names(r)
    assert not any(n in found for n in ("PRuning", "ReTraining", "DIstillation", "Sonnet"))
    for text in ("When applied to Orbit 2.0 Pro and 2.5 Turbo models, it keeps accuracy.",
                 "We compare with Nimbus 3 Lite models."):
        found = names(run(text))
        assert not found & {"Turbo", "Lite", "Pro"}, found


def test_titlecase_name_of_common_words_with_typed_appositive_is_introduced():
    r = run("We instead present Neural Vision Pretraining, a new approach where encoders see related passages.")
    assert targets(r, "INTRODUCES") == {"Neural Vision Pretraining"}
    r = run("We present Multimodal Instruction Tuning, a simple method for aligning encoders.")
    assert targets(r, "INTRODUCES") == {"Multimodal Instruction Tuning"}
    r = run("We present Large Vision Models and discuss their limits.")
    assert not targets(r, "INTRODUCES")


def test_a_title_in_capitals_gives_no_names_of_its_own_words(nlp):
    """In a title written all in capitals every word looks like an acronym; only
    the words the abstract also writes in capitals keep that reading."""
    record = run("We formulate the training of Zorblat networks as a convex problem and propose a primal-dual "
                 "subgradient method. Experiments on Quillon-7 show fewer collapses.",
                 title="TRAINING ZORBLAT NETWORKS VIA PRIMAL-DUAL SUBGRADIENT METHODS: A LAGRANGIAN PERSPECTIVE")
    assert not [name for name in names(record) if name.isupper()], names(record)
    assert "Quillon-7" in names(record, "Dataset")
    doc = nlp("STABILIZING ADVERSARIAL TRAINING WITH ZOPT\n\nWe use ZOPT here.")
    assert [t.tag_ for t in doc[:5]] == ["CAP", "CAP", "CAP", "STOP", "NAME"]
    mixed = nlp("Stabilizing ZORB Training With ZOPT\n\nWe use it here.")
    assert mixed[1].tag_ == "NAME" and mixed[4].tag_ == "NAME"  # a title with case keeps its acronyms


def test_a_title_that_asks_a_question_names_nothing_before_its_colon():
    record = run("We evaluate QUARK on Quillon-7 and show it learns faster than KRAVEN.",
                 title="CAN QUARK LEARN FASTER: EXPERIMENTS AND THEORY")
    assert not [name for name in names(record) if "LEARN" in name.upper()], names(record)
    record = run("We evaluate Zorblat on Quillon-7.", title="Does Zorblat Really Help: A Closer Look")
    assert not targets(record, "INTRODUCES")
    record = run("We evaluate ZorbNet on Quillon-7.", title="ZorbNet: Fast Ranking of Zorblats")
    assert targets(record, "INTRODUCES") == {"ZorbNet"}


def test_a_title_in_capitals_introduces_no_run_of_plain_words():
    """"LEARNING TO SHARE: ..." in capitals cannot be told from a name; in Title
    Case the same rule still takes "Pose Anything"-like names."""
    record = run("We study sharing between Zorblat agents on Quillon-7.",
                 title="LEARNING TO SHARE: ZORBLAT AGENTS IN THE WILD")
    assert not targets(record, "INTRODUCES"), targets(record, "INTRODUCES")
    record = run("We study sharing between agents on Quillon-7.", title="Zorb Everything: Agents in the Wild")
    assert targets(record, "INTRODUCES") == {"Zorb Everything"}


def test_authors_of_a_citation_are_not_methods():
    for abstract in ("We extend Zorblat Networks (Quuxley et al., 2017) and test them on Quillon-7.",
                     "We beat the attack of (Quuxley, 2014) on Quillon-7.",
                     "We follow Quuxley (2016) and Zorbman et al. and evaluate our model on Quillon-7."):
        record = run(abstract)
        assert not {"Quuxley", "Zorbman"} & names(record), (abstract, names(record))
    assert "Quillon-7" in names(run("We extend Zorblat Networks (Quuxley et al., 2017) and test them on Quillon-7."))


def test_latex_font_commands_and_greek_letters_leave_names_plain():
    from extractors.components.mentions import tidy_latex

    record = run("We propose \\emph{ZorbNet}, a new ranking network, and evaluate it on Quillon-7.")
    assert targets(record, "INTRODUCES") == {"ZorbNet"}
    record = run("We propose \\textbf{ZorbNet}: a ranking network. As shown by~\\cite{quux2016zorb}, "
                 "ranking is hard; we test on Quillon-7.")
    assert names(record) == {"ZorbNet", "Quillon-7"}
    assert tidy_latex("\\beta$-Zorb") == "beta-Zorb" and tidy_latex("$\\textrm{Z}^2$Net") == "Z^2Net"
    assert tidy_latex("\\underline{Z}orb") == "Zorb" and tidy_latex("E$^{2}$GAN") == "E^2GAN"


def test_a_capitalised_adjective_is_not_cut_off_the_noun_it_names_with():
    record = run("We train Quuxical Networks and Zorbian embeddings on Quillon-7.")
    assert "Quuxical Networks" in names(record) and not {"Quuxical", "Zorbian"} & names(record)
    record = run("We compare the Zorbatron agent with the Rainbow agent on Quillon-7.")
    assert {"Zorbatron", "Rainbow"} <= names(record)  # nouns, not adjectives: names


def test_a_capitalised_type_noun_belongs_to_the_name():
    """"the Glimmer Network": the capitalised noun is part of the name, as are
    capitalised words after it; a lower-case noun is only the type."""
    rec = run("We compare with the Glimmer Network and build on the Vortal Path Encoder Stack. "
              "It also beats the Quillon network.")
    assert {"Glimmer Network", "Vortal Path Encoder Stack", "Quillon"} <= names(rec, "Method")
    assert not {"Glimmer", "Vortal Path"} & names(rec)
    assert "Glimmer Network" in targets(rec, "COMPARES_WITH")
    assert "Vortal Path Encoder Stack" in targets(rec, "BUILDS_ON")


def test_a_language_is_a_setting_not_a_dataset():
    rec = run("We show the effectiveness of our approach with experiments on English, French and Swedish, "
              "and on the Zorblat corpus.")
    assert not {"English", "French", "Swedish"} & names(rec)
    assert "Zorblat" in targets(rec, "EVALUATES_ON")


def test_of_between_capitalised_words_stays_inside_a_name():
    rec = run("We evaluate on the Garden of Quills benchmark. We achieve the best results on Realm of Vexa "
              "and Zorblat.")
    assert {"Garden of Quills", "Realm of Vexa", "Zorblat"} <= targets(rec, "EVALUATES_ON")
    assert not {"Quills", "Vexa"} & names(rec)


def test_a_capitalised_word_before_a_known_model_names_another_model():
    r = run("We build on Grounding DINO, an open-set detector, and compare it with DINO.")
    assert {"Grounding DINO", "DINO"} <= names(r, "Method")


def test_a_suite_member_is_found_by_its_own_name_with_its_possessive():
    r = run("Our agent explores well and reaches a record score on Montezuma's Revenge.")
    assert names(r, "Dataset") == {"Atari 2600 Montezuma's Revenge"}  # the canonical name, not "Montezuma"


def test_a_known_task_ending_a_task_phrase_is_its_name_unless_a_hyphenated_qualifier_leads():
    r = run("We address the real world video classification problem and the open-set face recognition task.")
    tasks = {n.lower() for n in names(r, "Task")}
    assert "video classification" in tasks and "real world video classification" not in tasks
    assert "open-set face recognition" in tasks


@pytest.mark.parametrize("text, name", [
    ("We propose instance cross entropy (ICE) which measures the difference between two distributions.", "ICE"),
    ("In this paper, we introduce a training method, called look-up table quantization (LUT-Q), which "
     "learns a dictionary.", "LUT-Q"),
    ("Our proposed training algorithm, BoostResNet, is particularly suitable for deep networks.", "BoostResNet"),
])
def test_terms_the_paper_defines_as_its_own_are_introduced_whatever_their_case(text, name):
    r = run(text)
    assert name in targets(r, "INTRODUCES")


def test_a_lower_case_method_the_abstract_talks_about_reaches_the_graph():
    """The NER's lower-case methods join the graph when the abstract says them twice, they end
    in a method head and two words before it are not generic; a description does not."""
    import kg

    abstract = ("We study stacked hourglass networks for pose estimation. Unlike shallow networks, stacked "
                "hourglass networks pool at many scales; deep neural networks and deep neural networks "
                "without them, or nonlinear neural networks and nonlinear neural networks, do not.")
    record = next(kg.extract([{"title": "A study", "abstract": abstract}]))
    graph = {(e["label"], e["name"]) for e in record["entities"] if e["graph"]}
    assert ("Method", "stacked hourglass networks") in graph
    assert not any(name in ("shallow networks", "deep neural networks", "nonlinear neural networks")
                   for _label, name in graph)


def test_a_title_that_is_an_architecture_name_is_introduced_when_the_abstract_says_it():
    r = run("We describe Torsion Lattice Networks (TLN), which encode symmetries. TLN reaches 91.2% accuracy.",
            title="Torsion Lattice Networks")
    assert targets(r, "INTRODUCES") == {"TLN"}
    # a title that only names a family, or a name the abstract never repeats, introduces nothing
    r = run("We study how deep neural networks generalise.", title="Deep Convolutional Neural Networks")
    assert not targets(r, "INTRODUCES")
    r = run("We study generalisation of classifiers.", title="Torsion Lattice Networks")
    assert not targets(r, "INTRODUCES")
    # generic words make a name when the abstract defines an acronym for them
    r = run("We present graph attention networks (GATs), which attend over neighbours. Our GAT models "
            "match the best results.", title="Graph Attention Networks")
    assert targets(r, "INTRODUCES") == {"GAT"}


def test_an_acronym_long_form_starts_at_its_capital_word_not_at_a_lower_case_one():
    r = run("We propose a meta-learning framework, Conditional class-Aware Zeta-Learning (CAZL), that adapts "
            "features.")
    assert ("p1", "CAZL") in rels(r, "INTRODUCES")
    from extractors.components.acronyms import match_long_form
    text = "solve The travelling salesman problem"
    assert text[match_long_form("TSP", text):] == "travelling salesman problem"
