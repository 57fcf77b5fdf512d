"""Train the shipped spaCy NER (Method / Dataset / Task / Metric) from scratch on CPU.

    python -m extractors.training.train --data ../shared/datasets --out extractors/models/ner

Steps (all seeded; the work directory is git-ignored):

1. convert TDMSci + SciREX (Apache-2.0) to ``DocBin`` with the fixed-seed
   train/dev split of :mod:`extractors.evaluate` (the test split is never written);
2. ``spacy train`` with ``extractors/training/ner.cfg``;
3. copy ``model-best`` to ``--out``, keeping only what ``spacy.load`` needs.

Evaluate afterwards, once, on the held-out test split::

    python -m extractors.evaluate --format tdmsci ../shared/datasets/tdmsci/train_1500_v2.conll --split test
    python -m extractors.evaluate --format scirex ../shared/datasets/scirex/train_title_abstract.jsonl --split test
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_CONFIG = HERE / "ner.cfg"
DEFAULT_WORK = HERE / "corpus"
DEFAULT_OUT = HERE.parent / "models" / "ner"

#: what a loadable pipeline directory needs; everything else in model-best is dropped
#: defaults chosen on the dev split (tuned on dev only)
SCIREX_LABELS = ("Method", "Dataset")
TDMSCI_REPEAT = 4
TDMSCI_AUGMENT = 0.0
PRETRAIN_EPOCHS = 0
PRETRAIN_CONFIG = HERE / "pretrain.cfg"

_KEEP = {"config.cfg", "meta.json", "tokenizer", "vocab", "tok2vec", "ner"}


def export_model(src: str | Path, dst: str | Path, extra_meta: dict | None = None) -> Path:
    """Copy a trained pipeline to ``dst`` without training-only leftovers."""
    import spacy

    src, dst = Path(src), Path(dst)
    nlp = spacy.load(src)
    # an empty lookups table and no vectors: keep the vocab minimal
    meta = dict(nlp.meta)
    meta.update(
        {
            "name": "ner_sci",
            "version": "0.1.0",
            "description": "CNN NER for Method, Dataset, Task, Metric in ML/NLP abstracts, "
            "trained from scratch on TDMSci and SciREX title+abstract data (Apache-2.0).",
            "license": "Apache-2.0",
            "sources": [
                {"name": "TDMSci", "url": "https://github.com/IBM/science-result-extractor",
                 "license": "Apache-2.0"},
                {"name": "SciREX", "url": "https://github.com/allenai/SciREX", "license": "Apache-2.0"},
            ],
        }
    )
    if extra_meta:
        meta.update(extra_meta)
    nlp.meta.update(meta)
    tmp = dst.with_name(dst.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    nlp.to_disk(tmp)
    for child in tmp.iterdir():
        if child.name not in _KEEP:
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    if dst.exists():
        shutil.rmtree(dst)
    tmp.rename(dst)
    return dst


def dir_size(path: str | Path) -> int:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


def train(
    data_dir: str | Path,
    out_dir: str | Path = DEFAULT_OUT,
    config: str | Path = DEFAULT_CONFIG,
    work_dir: str | Path = DEFAULT_WORK,
    sources: Sequence[str] = ("tdmsci", "scirex"),
    overrides: dict | None = None,
    scirex_labels: Sequence[str] = SCIREX_LABELS,
    tdmsci_repeat: int = TDMSCI_REPEAT,
    mask_methods: bool = True,
    pretrain_epochs: int = PRETRAIN_EPOCHS,
    tdmsci_augment: float = TDMSCI_AUGMENT,
    silver: str | Path | None = None,
    silver_ratio: float = 1.0,
    silver_seed: int = 13,
    exclude_annotated: bool = True,
) -> dict:
    """Convert, train and export; returns a small report dict.

    ``scirex_labels``: SciREX labels used as positives; its other mentions are
    marked *missing* (SciREX annotates Task and Metric far more liberally than
    TDMSci, and mixing both conventions lowered TDMSci dev F1).
    ``tdmsci_repeat``: copies of TDMSci train in the corpus (it is ~6x smaller).
    ``mask_methods``: mark SciREX-train Method names found in TDMSci as missing,
    since TDMSci does not annotate methods.
    ``tdmsci_augment``: in TDMSci's extra copies, the probability that a
    mention is swapped for another name of its type (0: plain copies).
    ``silver``: a silver file of :mod:`extractors.training.silver` (SciTLDR
    sentences labelled by the shipped system); ``silver_ratio`` times as many
    of its sentences as there are distinct gold train docs (TDMSci's extra
    copies not counted) are drawn with ``silver_seed`` and added to the train corpus.
    ``exclude_annotated``: leave the project's annotated evaluation abstracts
    (``data/relations-dev``, ``data/results-dev``: 23 of them are SciREX train
    papers) out of training.
    ``pretrain_epochs``: epochs of ``spacy pretrain`` on unlabelled abstracts
    (:func:`pretrain_tok2vec`) before training; 0 skips it.
    """
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    os.environ.setdefault("MKL_NUM_THREADS", "1")
    from spacy.cli.train import train as spacy_train

    import extractors.components.features  # noqa: F401  (registers kg_gazetteer_features)

    from extractors.training.convert import convert
    from extractors.training.silver import annotated_keys

    work = Path(work_dir)
    corpus = work
    if corpus.exists():
        for sub in ("train", "dev"):
            shutil.rmtree(corpus / sub, ignore_errors=True)
    t0 = time.time()
    stats = convert(
        data_dir,
        corpus,
        sources=sources,
        keep_labels={"scirex": list(scirex_labels)},
        repeat={"tdmsci": tdmsci_repeat},
        mask_methods_in=["tdmsci"] if mask_methods and "scirex" in sources else [],
        augment={"tdmsci": tdmsci_augment},
        exclude=frozenset(annotated_keys()[0]) if exclude_annotated else frozenset(),
    )
    if silver:
        import spacy

        from extractors.training.convert import silver_docbin

        gold_docs = sum(v.get("docs", 0) for k, v in stats.items() if k.startswith("train/"))
        n_silver = round(gold_docs * silver_ratio)
        db, silver_stats = silver_docbin(spacy.blank("en"), silver, n_silver, silver_seed)
        db.to_disk(corpus / "train" / "silver.spacy")
        stats["train/silver"] = {"requested": n_silver, "gold_docs": gold_docs, **silver_stats}
    t1 = time.time()
    ov = {"paths.train": str(corpus / "train"), "paths.dev": str(corpus / "dev")}
    pretrained = None
    if pretrain_epochs:
        pretrained = pretrain_tok2vec(data_dir, config, work / "pretrain", pretrain_epochs)
        ov["paths.init_tok2vec"] = str(pretrained["weights"])
    if (overrides or {}).get("paths.init_tok2vec") or pretrained:
        # spaCy loads init_tok2vec only when the config has a [pretraining] section
        # naming the layer: train with ner.cfg + pretrain.cfg
        config = with_pretraining_section(config, work / "config-pretrained.cfg")
    t_pre = time.time()
    run_dir = work / "run"
    if run_dir.exists():
        shutil.rmtree(run_dir)
    ov.update(overrides or {})
    spacy_train(config, run_dir, overrides=ov)
    t2 = time.time()
    best = run_dir / "model-best"
    dst = export_model(best, out_dir)
    return {
        "convert": stats,
        "convert_s": round(t1 - t0, 1),
        "pretrain": pretrained and {k: str(v) for k, v in pretrained.items()},
        "train_s": round(t2 - t_pre, 1),
        "model": str(dst),
        "model_bytes": dir_size(dst),
        "dev_scores": json.loads((best / "meta.json").read_text()).get("performance", {}),
    }


def with_pretraining_section(config: str | Path, out: str | Path) -> Path:
    """``config`` merged with ``pretrain.cfg``, written to ``out``."""
    from spacy import util

    merged = util.load_config(config, interpolate=False).merge(
        util.load_config(PRETRAIN_CONFIG, interpolate=False))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    merged.to_disk(out)
    return out


def pretrain_tok2vec(data_dir: str | Path, config: str | Path, out_dir: str | Path,
                     epochs: int = PRETRAIN_EPOCHS) -> dict:
    """``spacy pretrain`` the tok2vec of ``config`` on unlabelled abstracts.

    The raw text (:func:`extractors.training.convert.write_raw_text`) holds
    SciTLDR and the NER sources' *train* texts only. Returns the weights file
    for ``[paths] init_tok2vec`` and the text statistics.
    """
    from spacy import util
    from spacy.training.pretrain import pretrain

    from extractors.training.convert import write_raw_text

    out_dir = Path(out_dir)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    (out_dir / "weights").mkdir(parents=True)
    started = time.time()
    text_stats = write_raw_text(data_dir, out_dir / "raw.jsonl")
    cfg = util.load_config(with_pretraining_section(config, out_dir / "config.cfg"), interpolate=False)
    cfg["paths"]["raw_text"] = str(out_dir / "raw.jsonl")
    cfg["pretraining"]["max_epochs"] = epochs
    pretrain(cfg.interpolate(), out_dir / "weights", silent=False)
    return {"weights": out_dir / "weights" / "model-last.bin", "text": text_stats,
            "pretrain_s": round(time.time() - started, 1)}


def _parse_override(items: Sequence[str]) -> dict:
    out: dict = {}
    for item in items:
        key, _, raw = item.partition("=")
        try:
            out[key] = json.loads(raw)
        except json.JSONDecodeError:
            out[key] = raw
    return out


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m extractors.training.train", description=__doc__.split("\n")[0])
    ap.add_argument("--data", default="../shared/datasets", help="shared datasets directory")
    ap.add_argument("--out", default=str(DEFAULT_OUT), help="where the trained pipeline is written")
    ap.add_argument("--config", default=str(DEFAULT_CONFIG))
    ap.add_argument("--work", default=str(DEFAULT_WORK), help="git-ignored corpus/run directory")
    ap.add_argument("--sources", default="tdmsci,scirex")
    ap.add_argument("--scirex-labels", default=",".join(SCIREX_LABELS),
                    help="SciREX labels trained as positives (others are masked as missing)")
    ap.add_argument("--tdmsci-repeat", type=int, default=TDMSCI_REPEAT)
    ap.add_argument("--tdmsci-augment", type=float, default=TDMSCI_AUGMENT,
                    help="swap each mention in TDMSci's extra copies for another name of its type "
                         "with this probability (0: plain copies)")
    ap.add_argument("--no-mask-methods", action="store_true",
                    help="do not mask known Method names in TDMSci")
    ap.add_argument("--pretrain-epochs", type=int, default=PRETRAIN_EPOCHS,
                    help="spacy pretrain epochs on unlabelled abstracts first (0: none)")
    ap.add_argument("--silver", default=None,
                    help="silver sentences (python -m extractors.training.silver) added to train")
    ap.add_argument("--silver-ratio", type=float, default=1.0,
                    help="silver sentences drawn, as a multiple of the distinct gold train docs")
    ap.add_argument("--silver-seed", type=int, default=13)
    ap.add_argument("--include-annotated", action="store_true",
                    help="train on SciREX papers of the annotated evaluation sets too (the old behaviour)")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="config override, e.g. --set training.max_steps=2000")
    args = ap.parse_args(argv)
    report = train(args.data, args.out, args.config, args.work,
                   [s for s in args.sources.split(",") if s], _parse_override(args.set),
                   [s for s in args.scirex_labels.split(",") if s], args.tdmsci_repeat,
                   not args.no_mask_methods, args.pretrain_epochs, args.tdmsci_augment,
                   args.silver, args.silver_ratio, args.silver_seed, not args.include_annotated)
    print(json.dumps({k: v for k, v in report.items() if k != "convert"}, indent=2))
    if "train/silver" in report["convert"]:
        print(json.dumps({"silver": report["convert"]["train/silver"]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
