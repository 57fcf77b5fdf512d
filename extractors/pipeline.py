"""The extraction pipeline: papers in, interchange records out.

::

    from extractors.pipeline import extract, load_pipeline
    for record in extract(papers):            # any objects with .id .title .abstract (.url .year)
        ...

The spaCy pipeline (:func:`load_pipeline`) is built from ``spacy.blank("en")``:

==================  =========================================================
``tokenizer``       ``kg.Tokenizer.v1`` - keeps hyphenated names whole
``kg_sentencizer``  sentence boundaries aware of "e.g.", "et al.", "Fig."
``gazetteer*``      spaCy ``span_ruler`` x3: known names (``doc.spans["gaz"]``),
                    ambiguous names (``"gaz_amb"``)
``kg_token_classes`` rule-based token classes in ``Token.tag_`` / ``pos_``
``kg_matcher``      one Matcher + PhraseMatcher pass for cues, anchors,
                    values and metric shapes (``doc.spans["kg_*"]``)
``kg_acronyms``     Schwartz-Hearst acronym definitions
``kg_ner``          statistical NER bridge (``doc.spans["ner"]``; optional)
``kg_mentions``     rules + gazetteer + NER -> resolved entities (``doc.ents``)
``kg_relations``    INTRODUCES, EVALUATES_ON, USES, ADDRESSES, HAS_CODE,
                    REPORTS_ON, OUTPERFORMS with provenance
``kg_results``      metric values -> results (``doc.spans["metric_values"]``)
==================  =========================================================

Title and abstract are processed as one Doc (``title + "\\n\\n" + abstract``);
offsets in the output are relative to the field (``"title"`` / ``"abstract"``).

A record's ``entities`` are every mention found. Those with ``"graph": true``
are the graph's entities: a relation (``MENTIONS`` included) or a result of the
paper names them, and the loader makes nodes of exactly those. ``"graph":
false`` marks mentions the graph leaves out: generic phrases the model calls
methods ("deep neural networks", "random networks") and one-word lower-case
tasks ("parsing"); see
:meth:`extractors.components.mentions.MentionResolver.linkable`.
"""

from __future__ import annotations

import hashlib
import threading
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

# registering the factories
import extractors.components.text  # noqa: F401
import extractors.components.matching  # noqa: F401
import extractors.components.acronyms  # noqa: F401
import extractors.components.ner_bridge  # noqa: F401
import extractors.components.mentions  # noqa: F401
import extractors.relations  # noqa: F401
import extractors.results  # noqa: F401
from extractors.components.gazetteer import add_gazetteer
from extractors.components.lexicon import DATA_DIR, PATTERNS_DIR
from kg.schema import entity_key

ROOT = Path(__file__).resolve().parent
DEFAULT_MODEL_DIR = ROOT / "models" / "ner"
SEPARATOR = "\n\n"
#: a mention only the statistical NER vouches for, which the graph's gates turned down
MENTION_ONLY_CONFIDENCE = 0.4

_BASE_VERSION = "1.0"


def _fingerprint() -> str:
    digest = hashlib.sha1()
    for directory in (PATTERNS_DIR, DATA_DIR):
        if not directory.exists():
            continue
        for path in sorted(directory.glob("*.json*")):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    code = sorted((ROOT / "components").glob("*.py")) + sorted((ROOT / "results").glob("*.py"))
    for path in code + [ROOT / "relations.py", Path(__file__)]:
        if path.exists():
            digest.update(path.read_bytes())
    model_meta = DEFAULT_MODEL_DIR / "meta.json"
    if model_meta.exists():
        digest.update(model_meta.read_bytes())
    return digest.hexdigest()[:10]


#: Changes whenever the rules, pattern/gazetteer data or the NER model change.
EXTRACTOR_VERSION: str = f"{_BASE_VERSION}+{_fingerprint()}"

_CACHE: dict[tuple, Language] = {}
_LOCK = threading.Lock()


def load_pipeline(model_dir: str | Path | None = None, use_ner: bool = True, *,
                  data_dir: str | Path | None = None) -> Language:
    """The extraction pipeline (cached per process and arguments).

    ``model_dir``: the NER model (default ``extractors/models/ner``; skipped
    when absent or ``use_ner`` is false). ``data_dir``: gazetteer data
    (default ``extractors/data``).
    """
    model = Path(model_dir) if model_dir else DEFAULT_MODEL_DIR
    use_model = bool(use_ner and model.exists() and (model / "meta.json").exists())
    key = (str(model.resolve()) if use_model else None, use_model, str(data_dir) if data_dir else None)
    with _LOCK:
        nlp = _CACHE.get(key)
        if nlp is None:
            try:
                nlp = _build(str(model) if use_model else None, data_dir)
            except Exception as error:  # a broken or incompatible model must not stop extraction
                if not use_model:
                    raise
                warnings.warn(f"NER model {model} could not be loaded ({error.__class__.__name__}: {error}); "
                              "extracting with rules and gazetteer only")
                nlp = _build(None, data_dir)
            _CACHE[key] = nlp
    return nlp


def _build(model: str | None, data_dir: str | Path | None) -> Language:
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "kg.Tokenizer.v1"}}})
    nlp.add_pipe("kg_sentencizer")
    nlp.add_pipe("kg_token_classes")
    nlp.add_pipe("kg_matcher")
    add_gazetteer(nlp, data_dir)
    nlp.add_pipe("kg_acronyms")
    if model:
        nlp.add_pipe("kg_ner", config={"model": model})
    nlp.add_pipe("kg_mentions", config={"use_ner": bool(model)})
    nlp.add_pipe("kg_relations")
    nlp.add_pipe("kg_results")
    return nlp


# --- papers -> records -------------------------------------------------------


def paper_text(paper: Any) -> str:
    title = (getattr(paper, "title", "") or "").replace("\r", " ").replace("\n", " ")
    abstract = getattr(paper, "abstract", "") or ""
    return title + SEPARATOR + abstract


def extract(papers: Iterable[Any], nlp: Language | None = None, batch_size: int = 64,
            n_process: int = 1) -> Iterator[dict]:
    """Stream one interchange record per paper (``nlp.pipe`` over (text, paper))."""
    nlp = nlp or load_pipeline()
    stream = ((paper_text(p), p) for p in papers)
    for doc, paper in nlp.pipe(stream, as_tuples=True, batch_size=batch_size, n_process=n_process):
        yield doc_to_record(doc, paper)


def extract_paper(paper: Any, nlp: Language | None = None) -> dict:
    nlp = nlp or load_pipeline()
    return doc_to_record(nlp(paper_text(paper)), paper)


def doc_to_record(doc: Doc, paper: Any) -> dict:
    """The interchange record of one processed paper."""
    title = (getattr(paper, "title", "") or "").replace("\r", " ").replace("\n", " ")
    abstract = getattr(paper, "abstract", "") or ""
    offset = len(title) + len(SEPARATOR)
    fields = _Fields(len(title), offset)
    record: dict[str, Any] = {
        "id": getattr(paper, "id", None),
        "title": getattr(paper, "title", ""),
        "url": getattr(paper, "url", None),
        "abstract": abstract,
        "year": getattr(paper, "year", None),
        "source": getattr(paper, "source", None),
        "extractor_version": EXTRACTOR_VERSION,
    }
    groups = doc._.kg_groups or []
    # an entity is in the graph when a relation or a result of the paper names it
    # (MENTIONS included): exactly the nodes the loader makes
    linked = {(rel["target_label"], rel["target"]) for rel in doc._.kg_relations or []}
    linked |= {(rel["source_label"], rel["source"]) for rel in doc._.kg_relations or []}
    for res in doc._.kg_results or []:
        linked |= {("Method", res.get("method")), ("Dataset", res.get("dataset")), ("Metric", res.get("metric"))}
    entities = []
    for ent in doc._.kg_entities or []:
        group = groups[ent["group"]]
        span = doc[ent["start"]:ent["end"]]
        field, start, end = fields.locate(span.start_char, span.end_char)
        in_graph = (group["label"], group["name"]) in linked
        entities.append({
            "label": ent["label"], "name": group["name"], "key": group["key"], "text": span.text,
            "field": field, "start": start, "end": end,
            "aliases": list(group["aliases"]), "extractor": ent["extractor"], "confidence": ent["conf"],
            "graph": in_graph,
        })
    for ent in doc._.kg_mentions_only or []:
        span = doc[ent["start"]:ent["end"]]
        field, start, end = fields.locate(span.start_char, span.end_char)
        entities.append({
            "label": ent["label"], "name": ent["name"], "key": entity_key(ent["name"]), "text": span.text,
            "field": field, "start": start, "end": end, "aliases": [], "extractor": "ner",
            "confidence": MENTION_ONLY_CONFIDENCE, "graph": (ent["label"], ent["name"]) in linked,
        })
    entities.sort(key=lambda e: (e["field"] != "title", e["start"]))
    record["entities"] = entities
    relations = []
    for rel in doc._.kg_relations or []:
        item = dict(rel)
        field, start, end = fields.locate(item.pop("char_start"), item.pop("char_end"))
        item["field"], item["start"], item["end"] = field, start, end
        if "target_char" in item:
            ts, te = item.pop("target_char")
            _, item["target_start"], item["target_end"] = fields.locate(ts, te)
        if item["source_label"] == "Paper":
            item["source"] = record["id"]
        relations.append(item)
    record["relations"] = relations
    results = []
    for res in doc._.kg_results or []:
        item = dict(res)
        field, start, end = fields.locate(item.pop("char_start"), item.pop("char_end"))
        item["field"], item["start"], item["end"] = field, start, end
        results.append(item)
    record["results"] = results
    return record


class _Fields:
    """Maps Doc character offsets to (field, start, end) within title/abstract."""

    def __init__(self, title_len: int, abstract_offset: int):
        self.title_len = title_len
        self.offset = abstract_offset

    def locate(self, start: int, end: int) -> tuple[str, int, int]:
        if start < self.title_len:
            return "title", start, min(end, self.title_len)
        return "abstract", max(0, start - self.offset), max(0, end - self.offset)


def benchmark(papers: list, nlp: Language | None = None, batch_size: int = 64) -> dict:
    """Words per second (CPU time of this process, and wall clock) over ``papers``."""
    import time

    nlp = nlp or load_pipeline()
    words = sum(len(paper_text(p).split()) for p in papers)
    list(extract(papers[:5], nlp=nlp))  # warm caches
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in extract(papers, nlp=nlp, batch_size=batch_size):
        pass
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return {"papers": len(papers), "words": words, "cpu_s": round(cpu, 3), "wall_s": round(wall, 3),
            "words_per_cpu_s": round(words / cpu) if cpu else None, "words_per_s": round(words / wall) if wall else None,
            "pipeline": nlp.pipe_names}


def main(argv: list[str] | None = None) -> int:
    """``python -m extractors.pipeline [--no-ner] [--bench] FILE...``: extraction
    records as JSONL on stdout, or (``--bench``) a words/s measurement."""
    import argparse
    import json
    import sys

    from kg.ingest import read_papers

    parser = argparse.ArgumentParser(prog="python -m extractors.pipeline", description=main.__doc__)
    parser.add_argument("inputs", nargs="+")
    parser.add_argument("--no-ner", action="store_true", help="rules and gazetteer only")
    parser.add_argument("--model", default=None, help="NER model directory")
    parser.add_argument("--bench", action="store_true", help="measure words per second instead")
    args = parser.parse_args(argv)
    nlp = load_pipeline(args.model, use_ner=not args.no_ner)
    papers = list(read_papers(args.inputs))
    if args.bench:
        print(json.dumps(benchmark(papers, nlp)))
        return 0
    for record in extract(papers, nlp=nlp):
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 0


__all__ = ["load_pipeline", "extract", "extract_paper", "EXTRACTOR_VERSION", "doc_to_record", "paper_text"]
_ = entity_key

if __name__ == "__main__":
    raise SystemExit(main())
