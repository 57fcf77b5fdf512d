"""Pick the abstracts of the entities-and-relations development set (run once; kept so the choice can be checked).

    python data/relations-dev/select.py ../shared/datasets > data/relations-dev/abstracts.jsonl

SciTLDR (Apache-2.0) abstracts from all three files, none already in the results set, 40 to 300
words; a fixed-seed sample of 120, half to ``dev`` (tuned on) and half to ``test`` (only reported)
by a seeded shuffle of the ids.
"""
from __future__ import annotations

import json
import random
import sys
from pathlib import Path

SEED = 1216
N = 120


def main(root: Path, results: Path) -> None:
    taken = {json.loads(line)["id"] for line in open(results, encoding="utf-8")}
    docs = []
    for split in ("train", "dev", "test"):
        for line in open(root / "scitldr" / f"{split}.jsonl", encoding="utf-8"):
            d = json.loads(line)
            doc_id = f"scitldr:{d['paper_id']}"
            abstract = " ".join(s.strip() for s in d["source"])
            if doc_id in taken or not 40 <= len(abstract.split()) <= 300:
                continue
            docs.append({"id": doc_id, "source": f"scitldr/{split}.jsonl", "title": d["title"].strip(),
                         "abstract": abstract})
    docs.sort(key=lambda d: d["id"])
    rng = random.Random(SEED)
    picked = rng.sample(docs, N)
    ids = sorted(d["id"] for d in picked)
    rng.shuffle(ids)
    dev = set(ids[: N // 2])
    for d in sorted(picked, key=lambda d: d["id"]):
        d["split"] = "dev" if d["id"] in dev else "test"
        print(json.dumps(d, ensure_ascii=False))


if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/datasets"), here.parent / "results-dev" / "abstracts.jsonl")
