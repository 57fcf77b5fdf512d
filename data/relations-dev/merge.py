"""Join the annotators' parts with the picked abstracts into ``gold.jsonl`` (the gold file).

    python data/relations-dev/merge.py
"""
from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
TYPES = {"Method", "Dataset", "Task", "Metric"}
RELATIONS = {"INTRODUCES", "EVALUATES_ON", "ADDRESSES", "BUILDS_ON", "APPLIED_TO", "USES", "COMPARES_WITH",
             "OUTPERFORMS"}


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
            where = f"{part.name}:{number}"
            if d["id"] not in abstracts:
                raise SystemExit(f"{where}: unknown id {d['id']}")
            names = {e["name"] for e in d["entities"]}
            for e in d["entities"]:
                if e["type"] not in TYPES:
                    raise SystemExit(f"{where}: entity type {e['type']!r}")
            for r in d["relations"]:
                if r["type"] not in RELATIONS:
                    raise SystemExit(f"{where}: relation type {r['type']!r}")
                if r["target"] not in names:
                    raise SystemExit(f"{where}: relation target {r['target']!r} is not an entity")
            annotated[d["id"]] = d
    with open(HERE / "gold.jsonl", "w", encoding="utf-8") as out:
        for doc_id, doc in abstracts.items():
            if doc_id not in annotated:
                continue
            ann = annotated[doc_id]
            row = dict(doc, own=ann.get("own"), entities=ann["entities"], relations=ann["relations"])
            if ann.get("notes"):
                row["notes"] = ann["notes"]
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(annotated)} of {len(abstracts)} abstracts annotated, "
          f"{sum(len(d['entities']) for d in annotated.values())} entities, "
          f"{sum(len(d['relations']) for d in annotated.values())} relations")


if __name__ == "__main__":
    main()
