"""Shared helpers for the tests/test_extract_*.py modules."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample" / "hf-papers-listing.txt"


@dataclass(frozen=True)
class FakePaper:
    id: str
    title: str
    abstract: str
    source: str = "<test>"
    url: str | None = None
    year: int | None = None


def paper(abstract: str, title: str = "A study", pid: str = "p1") -> FakePaper:
    return FakePaper(id=pid, title=title, abstract=abstract)


def rules_nlp():
    """The pipeline without the statistical NER: rule behaviour is deterministic."""
    from extractors.pipeline import load_pipeline

    return load_pipeline(use_ner=False)


def run(abstract: str, title: str = "A study") -> dict:
    from extractors.pipeline import extract_paper

    return extract_paper(paper(abstract, title), nlp=rules_nlp())


def rels(record: dict, rtype: str) -> set[tuple[str, str]]:
    return {(r["source"], r["target"]) for r in record["relations"] if r["type"] == rtype}


def targets(record: dict, rtype: str) -> set[str]:
    return {r["target"] for r in record["relations"] if r["type"] == rtype}


def names(record: dict, label: str | None = None) -> set[str]:
    return {e["name"] for e in record["entities"] if label is None or e["label"] == label}


def texts(record: dict) -> set[str]:
    return {e["text"] for e in record["entities"]} | names(record)


def sample_papers() -> list:
    """The sample listing's papers (kg.ingest when present, else a local parser
    of blank-line separated title / abstract pairs after the page header)."""
    try:
        from kg.ingest import read_papers

        return list(read_papers([SAMPLE]))
    except ImportError:  # pragma: no cover - before kg/ingest.py existed
        blocks = [b.strip() for b in SAMPLE.read_text(encoding="utf-8").split("\n\n") if b.strip()]
        papers, i = [], 0
        while i + 1 < len(blocks):
            title, abstract = blocks[i], blocks[i + 1]
            if len(title) < 200 and len(abstract) >= 200:
                papers.append(FakePaper(id=f"s{len(papers)}", title=title, abstract=abstract))
                i += 2
            else:
                i += 1
        return papers
