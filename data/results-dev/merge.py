"""Join the annotators' parts with the picked abstracts into ``results.jsonl`` (the gold file).

    python data/results-dev/merge.py
"""
from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    abstracts = {}
    for line in open(HERE / "abstracts.jsonl", encoding="utf-8"):
        d = json.loads(line)
        abstracts[d["id"]] = d
    annotated = {}
    for part in sorted((HERE / "parts").glob("*.jsonl")):
        for number, line in enumerate(open(part, encoding="utf-8"), 1):
            if not line.strip():
                continue
            d = json.loads(line)
            if d["id"] not in abstracts:
                raise SystemExit(f"{part}:{number}: unknown id {d['id']}")
            src = abstracts[d["id"]]["abstract"]
            for r in d["results"]:
                for key in ("text", "context"):
                    if r.get(key) and r[key] not in src:
                        raise SystemExit(f"{part}:{number}: {key} {r[key]!r} is not in the abstract")
            annotated[d["id"]] = d
    with open(HERE / "results.jsonl", "w", encoding="utf-8") as out:
        for doc_id, doc in abstracts.items():
            if doc_id not in annotated:
                continue
            ann = annotated[doc_id]
            row = dict(doc, results=ann["results"])
            if ann.get("notes"):
                row["notes"] = ann["notes"]
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(annotated)} of {len(abstracts)} abstracts annotated, "
          f"{sum(len(d['results']) for d in annotated.values())} results")


if __name__ == "__main__":
    main()
