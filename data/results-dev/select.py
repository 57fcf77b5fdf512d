"""Pick the abstracts of the results development set (run once; kept so the choice can be checked).

    python data/results-dev/select.py ../shared/datasets > data/results-dev/abstracts.jsonl

SciTLDR (Apache-2.0): abstracts from all three files that contain a digit outside the title, two
thirds of them with a decimal or a percentage (where reported results live), one third without
(counts, years, sizes: where "not a result" is learnt). SciREX train (Apache-2.0): every abstract in
which one of the paper's own result scores is written. Fixed seed; half of each source goes to
``dev`` (tuned on) and half to ``test`` (only reported), by a seeded shuffle of the ids.
"""
from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from extractors.evaluate import detokenize  # noqa: E402

SEED = 2026
N_SCITLDR_RESULTS, N_SCITLDR_OTHER = 90, 44  # and every SciREX abstract that writes a score (26)
RESULTISH = re.compile(r"\d\.\d|\d\s?%|\d+(?:\.\d+)?\s?(?:x|×)\b|\d+\s+times\b")


def scitldr(root: Path) -> list[dict]:
    docs = []
    for split in ("train", "dev", "test"):
        for line in open(root / "scitldr" / f"{split}.jsonl", encoding="utf-8"):
            d = json.loads(line)
            abstract = " ".join(s.strip() for s in d["source"])
            docs.append({"id": f"scitldr:{d['paper_id']}", "source": f"scitldr/{split}.jsonl",
                         "title": d["title"].strip(), "abstract": abstract})
    return docs


def _score_in_text(score: str, text: str) -> bool:
    """The score as written, or scaled by 100 ("0.869" in the tuples, "86.9%" in the text)."""
    s = str(score).strip().rstrip("%").strip()
    if not re.fullmatch(r"\d+(?:\.\d+)?", s) or "." not in s and len(s) < 2:
        return False
    forms = {s}
    if float(s) < 1:
        forms.add(f"{float(s) * 100:.4f}".rstrip("0").rstrip("."))
    return any(re.search(r"(?<![\d.])" + re.escape(f) + r"(?![\d])", text) for f in forms)


def scirex(root: Path) -> list[dict]:
    docs = []
    for line in open(root / "scirex" / "train_title_abstract.jsonl", encoding="utf-8"):
        d = json.loads(line)
        words = d["words"]
        sents = [words[a:b] for a, b in d["sentences"]]
        if not sents:
            continue
        title_words = sents[0][2:] if sents[0][:2] == ["document", ":"] else sents[0]
        body: list[str] = []
        for sent in sents[1:]:
            if sent[:2] == ["section", ":"]:
                if body:  # the slice's abstract ends where the next section starts
                    break
                sent = sent[3:] if sent[2:3] == ["Abstract"] else []
            body += sent
        title, _ = detokenize(title_words)
        abstract, _ = detokenize(body)
        if not 40 <= len(abstract.split()) <= 600:  # too short, or a whole paper with no section marks
            continue
        if not any(_score_in_text(r.get("score", ""), abstract) for r in d["n_ary_relations"]):
            continue
        docs.append({"id": f"scirex:{d['doc_id']}", "source": "scirex/train_title_abstract.jsonl",
                     "title": title, "abstract": abstract})
    return docs


def main(root: Path) -> None:
    rng = random.Random(SEED)
    tl = [d for d in scitldr(root) if re.search(r"\d", d["abstract"])]
    with_results = [d for d in tl if RESULTISH.search(d["abstract"])]
    other = [d for d in tl if not RESULTISH.search(d["abstract"])]
    picked = rng.sample(with_results, N_SCITLDR_RESULTS) + rng.sample(other, N_SCITLDR_OTHER)
    picked += scirex(root)
    by_source: dict[str, list[dict]] = {}
    for d in picked:
        by_source.setdefault(d["id"].split(":")[0], []).append(d)
    for docs in by_source.values():
        ids = sorted(d["id"] for d in docs)
        rng.shuffle(ids)
        half = set(ids[: len(ids) // 2])
        for d in docs:
            d["split"] = "dev" if d["id"] in half else "test"
    picked.sort(key=lambda d: d["id"])
    for d in picked:
        print(json.dumps(d, ensure_ascii=False))


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/datasets"))
