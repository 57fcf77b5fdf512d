"""A large synthetic corpus made of real abstract sentences.

    .venv/bin/python -m bench.generate --datasets ../shared/datasets --papers 100000 -o /tmp/corpus.jsonl

Every generated paper takes a real SciTLDR paper as its base (its title, its
first sentence) and fills the rest of the abstract with sentences drawn from
the base and from other real abstracts, so the texts are real English with
real method, dataset and metric names, yet (almost) every abstract differs.
Ids are new (``syn-0000001`` …). The output is plain JSONL that ``kg build``
reads (``id``, ``title``, ``abstract``, ``year``). Deterministic for a seed.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

SCITLDR_FILES = ("train.jsonl", "dev.jsonl", "test.jsonl")


def scitldr_papers(datasets: str | Path) -> list[tuple[str, list[str]]]:
    """(title, abstract sentences) of every SciTLDR paper under ``datasets``."""
    folder = Path(datasets) / "scitldr"
    papers = []
    for name in SCITLDR_FILES:
        path = folder / name
        if not path.exists():
            continue
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if not line.strip():
                    continue
                record = json.loads(line)
                sentences = [s.strip() for s in record.get("source") or [] if s and s.strip()]
                if record.get("title") and sentences:
                    papers.append((record["title"].strip(), sentences))
    if not papers:
        raise SystemExit(f"no SciTLDR papers under {folder}")
    return papers


def generate(papers: list[tuple[str, list[str]]], count: int, seed: int = 7):
    """Yield ``count`` JSON-ready paper dicts recombined from ``papers``."""
    rng = random.Random(seed)
    pool = [sentence for _title, sentences in papers for sentence in sentences]
    for number in range(count):
        title, sentences = papers[number % len(papers)] if number < len(papers) else rng.choice(papers)
        if number < len(papers):  # the first pass is the real corpus, unchanged
            body = list(sentences)
        else:
            body = [sentences[0]]
            for sentence in sentences[1:]:
                body.append(sentence if rng.random() < 0.5 else rng.choice(pool))
            if rng.random() < 0.5:
                body.append(rng.choice(pool))
        yield {"id": f"syn-{number:07d}", "title": title, "abstract": " ".join(body),
               "year": 2015 + number % 11}


def write(path: str | Path, papers: list[tuple[str, list[str]]], count: int, seed: int = 7) -> int:
    words = 0
    with open(path, "w", encoding="utf-8") as handle:
        for paper in generate(papers, count, seed):
            words += len(paper["title"].split()) + len(paper["abstract"].split())
            handle.write(json.dumps(paper, ensure_ascii=False) + "\n")
    return words


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", default="../shared/datasets", help="folder holding scitldr/")
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("-o", "--output", required=True, help="JSONL file to write")
    args = parser.parse_args(argv)
    words = write(args.output, scitldr_papers(args.datasets), args.papers, args.seed)
    print(f"wrote {args.papers} papers ({words} words) to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
