"""Stage 1: find the numbers of a document and drop those that are no result.

Numbers come from the Matcher patterns in ``extractors/patterns/value_patterns.jsonl`` (percentages,
bare numbers, ``3.2x``, ``23.5->26.9``, ranges) and from quantities with a unit ("34ms", "4.1M
parameters", "0.6 GB", "12 hours", units in ``result_measures.json``). A number is no result when
it is a citation ``[3]``, an enumeration ``(1)``, a section or figure number, a year, a resolution
("64 x 64"), part of a name ("CIFAR-10"), or a count or size ("20,000 images", "a 7B model",
"trained on 1B tokens"); quantities are kept only where the clause speaks of cost.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from extractors.components.lexicon import classify_text, lexicon_sets

_NUMBER = re.compile(r"[+\-−]?\d[\d,]*(?:\.\d+)?")
_NUMUNIT = re.compile(r"^([<>~≈]?\d[\d,]*(?:\.\d+)?)([A-Za-zµ/\-]+)$")
_RANK = {"RANGE": 5, "ARROW": 5, "QTY": 4, "MULT": 3, "PCT": 2, "NUM": 1}
#: words that make a model's size a cost figure ("with only 4.1M parameters", "uses 3M parameters")
_EFFICIENCY_CUES = frozenset({"only", "just", "merely", "fewer", "less", "uses", "using", "requires", "requiring",
                              "reduces", "reducing", "compared", "than", "while", "whereas", "saving", "saves",
                              "compresses", "compressed", "smaller", "needs", "needing", "under", "within", "below"})
_COMPARISON_CUES = frozenset({"match", "matches", "matching", "than", "compared", "comparable", "outperform",
                              "outperforms", "outperforming", "while", "whereas", "versus", "vs", "vs."})
_DATA_NOUNS = frozenset({"dataset", "datasets", "corpus", "corpora", "data", "text", "texts", "images", "videos",
                         "collection", "dump", "crawl"})
_DATA_CONTEXT = frozenset({"contains", "containing", "contain", "consists", "consisting", "comprising", "comprises",
                           "collected", "collect", "recorded", "dataset", "datasets", "corpus", "corpora",
                           "totaling", "totalling", "spanning", "includes", "including", "hours-long"})
_MEASURES = Path(__file__).resolve().parents[1] / "patterns" / "result_measures.json"


@lru_cache(maxsize=1)
def measures() -> dict:
    """The data file that says what a number measures (units, cost clues, metric head nouns)."""
    data = json.loads(_MEASURES.read_text(encoding="utf-8"))
    data["cost_words"] = frozenset(data["cost_words"])
    data["measure_heads"] = frozenset(data["measure_heads"])
    data["not_measures"] = frozenset(data["not_measures"])
    return data


def find_values(doc, view) -> list[dict]:
    """Every candidate number of the abstract, parsed, in text order (overlaps resolved by shape)."""
    spans = [(s.start, s.end, s.label_) for s in doc.spans.get("kg_values", [])]
    spans += _quantities(view)
    spans.sort(key=lambda s: (-_RANK[s[2]], -(s[1] - s[0]), s[0]))
    taken: set[int] = set()
    values: list[dict] = []
    for start, end, shape in spans:
        if any(k in taken for k in range(start, end)) or start < view.title_end:
            continue
        if view.inside_entity(start, end):
            continue
        parsed = parse(view, start, end, shape)
        if parsed is None:
            continue
        taken.update(range(start, end))
        values.extend(parsed)
    values.sort(key=lambda v: v["start"])
    return values


def _quantities(view) -> list[tuple[int, int, str]]:
    """Numbers with a unit: one token ("34ms", "4.1M") or a number and a unit word ("0.6 GB")."""
    units = measures()["units"]
    out = []
    n = len(view.lowers)
    for k in range(n):
        text = view.texts[k]
        m = _NUMUNIT.match(text)
        if m and m.group(2).lower() in units:
            out.append((k, k + 1, "QTY"))
            continue
        if classify_text(text) == "NUM" and k + 3 < n and view.lowers[k + 2] == "/" and \
                "".join(view.lowers[k + 1:k + 4]) in units:
            out.append((k, k + 4, "QTY"))  # "1.19 bits / char"
            continue
        if classify_text(text) == "NUM" and k + 1 < n and view.lowers[k + 1] in units:
            unit = view.lowers[k + 1]
            if units[unit][1] == "magnitude" and not view.texts[k + 1][:1].isupper() and len(unit) == 1:
                continue  # "5 m" is metres or nothing; magnitudes are written "5M"
            out.append((k, k + 2, "QTY"))
    return out


def parse(view, start: int, end: int, shape: str) -> list[dict] | None:
    """The value(s) of a matched span; "from A to B" and "A->B" give two, a range its bounds."""
    text = view.doc[start:end].text
    unit = "%" if "%" in text else ""
    dimension = None
    if shape == "QTY":
        m = _NUMUNIT.match(view.texts[start])
        unit_word = m.group(2).lower() if m else view.lowers[start + 1]
        if not m and end - start == 4:
            unit_word = "".join(view.lowers[start + 1:end])
        unit, dimension = measures()["units"][unit_word]
        text = m.group(1) if m else view.texts[start]
    nums = [_to_float(m.group()) for m in _NUMBER.finditer(text.replace(" ", ""))]
    nums = [x for x in nums if x is not None]
    if not nums:
        return None
    qualifier = None
    if text.lstrip().startswith((">", "+")) and shape in ("NUM", "PCT") or text.rstrip().endswith("+"):
        qualifier = ">=" if text.rstrip().endswith("+") else ">"
    signed = text.lstrip().lstrip(">~≈<").startswith("+")
    base = {"start": start, "end": end, "shape": shape, "unit": unit, "qualifier": qualifier, "signed": signed,
            "dimension": dimension}
    if shape == "MULT":
        base["unit"] = "x"
    if shape == "ARROW":
        a, b = abs(nums[0]), abs(nums[-1])
        return [dict(base, value=a, role="from"), dict(base, value=b, role="to", previous=a)]
    if shape == "RANGE":
        a, b = abs(nums[0]), abs(nums[-1])
        if view.lower(start) == "from":
            return [dict(base, value=a, role="from", start=start + 1), dict(base, value=b, role="to", previous=a)]
        return [dict(base, value=b, value_min=a, role="range")]
    if shape == "MULT" and len(nums) > 1:
        return [dict(base, value=abs(nums[-1]), value_min=abs(nums[0]), role="range")]
    value = nums[0]
    if shape in ("NUM", "QTY") and not signed:
        value = abs(value)
    return [dict(base, value=value, role="single")]


def _to_float(text: str) -> float | None:
    try:
        return float(text.replace(",", "").replace("−", "-"))
    except ValueError:
        return None


class NonResults:
    """Tells numbers that are no result: references, years, shapes, counts and sizes."""

    def __init__(self):
        s = lexicon_sets()
        self.section_words = s["non_value_prefixes"]
        self.count_nouns = s["count_nouns"]
        self.ok_after = s["value_ok_after"]
        self.impr_after = s["improvement_after"]
        self.speed_after = s["speed_after"] | s["speed_words_after"]
        self.cost_words = measures()["cost_words"]

    def reference(self, view, v: dict, s0: int, s1: int) -> bool:
        """Citations, enumerations, sections, years, resolutions and ratios."""
        i, j = v["start"], v["end"]
        before = view.lower(i - 1) if i > s0 else ""
        after = view.lower(j) if j < s1 else ""
        text = view.doc[i:j].text
        if before == "[" or (before == "(" and after == ")" and v["unit"] == "" and v["shape"] == "NUM"
                             and not v.get("signed") and not v.get("qualifier")):
            return True
        if before in self.section_words and v["unit"] == "" and v["shape"] == "NUM" and before not in ("the", "top"):
            return True
        if after == ")" and before in ("", ",", ";", ":") and v["shape"] == "NUM":
            return True
        if v["shape"] == "NUM" and re.fullmatch(r"(?:19|20)\d\d", text) and not v["unit"]:
            return True
        # "64 x 64" resolutions, "2:4" ratios
        if v["unit"] == "x" and (re.fullmatch(r"\d+", view.text(j)) or view.lower(j) in ("x", "×")):
            return True
        if view.lower(j) in ("x", "×") and re.fullmatch(r"\d+", view.text(j + 1)):
            return True
        if before in ("x", "×") and v["shape"] == "NUM" and re.fullmatch(r"\d+(?:x|×|times)?", view.text(i - 2)):
            return True
        return False

    def count(self, view, v: dict, s0: int, s1: int, has_metric: bool) -> bool:
        """"20,000 images", "12 languages", "20% of the data", "a 7B model", "50 hours of speech"."""
        j = v["end"]
        nxt = [view.lower(k) for k in range(j, min(s1, j + 3))]
        if v["shape"] == "QTY":
            return not self._cost_quantity(view, v, s0, s1, nxt)
        if has_metric:
            return False
        if v["unit"] != "%" and v["shape"] in ("NUM", "RANGE"):
            if nxt and (nxt[0] in self.count_nouns or (len(nxt) > 1 and classify_text(view.text(j)) == "CAP"
                                                       and nxt[1] in self.count_nouns)):
                return True
        if v["unit"] == "%" and nxt:
            first = nxt[0]
            if first not in self.ok_after and first not in self.impr_after and first not in self.count_nouns \
                    and classify_text(view.text(j)) in ("LOW",) and first not in self.speed_after:
                return True
            if first in ("of", "the") or first in self.count_nouns and first not in ("points", "point"):
                return True  # "20% of the data", "15% the sample size"
        return False

    def _cost_quantity(self, view, v: dict, s0: int, s1: int, nxt: list[str]) -> bool:
        """A quantity is a cost figure ("runs in 34ms", "with only 4.1M parameters", "0.6GB of
        memory"), not a size of data or a model's name ("50 hours of speech", "a 7B model")."""
        dim = v["dimension"]
        after = nxt[0] if nxt else ""
        if after in ("of",) and not (len(nxt) > 1 and nxt[1] in ("memory", "storage", "gpu", "compute", "training")):
            return False
        if dim == "magnitude":
            # "4.1M parameters", "600M FLOPs"; not "1B tokens", "a 7B model"
            if after not in ("parameters", "params", "flops", "macs", "multiply-adds", "mult-adds", "weights"):
                return False
            c0 = view.clause_start(v["start"], s0)
            if any(view.lower(k) in _EFFICIENCY_CUES for k in range(max(c0, v["start"] - 6), v["start"])):
                return True
            # "X with 15 layers and 4.1M parameters can match the performance of Y": a compared size
            s1 = view.bounds[view.sent_of[v["start"]]][1]
            return any(view.lower(k) in ("with", "using") for k in range(max(s0, v["start"] - 5), v["start"])) and \
                any(view.lower(k) in _COMPARISON_CUES for k in range(s0, s1))
        if dim in ("time", "memory"):
            c0 = view.clause_start(v["start"], s0)
            if any(view.lower(k) in _DATA_CONTEXT for k in range(max(c0, v["start"] - 8), v["start"])):
                return False  # "the dataset contains 6,400 hours", "a corpus of 40GB"
        if dim in ("throughput", "compute", "energy", "quality", "time"):
            return True  # "at 34ms", "in 12 hours"; durations of data ("50 hours of speech") end above
        if dim == "memory" and after in _DATA_NOUNS:
            return False  # "a 104GB corpus"
        return self._cost_clause(view, v, s0) or any(w in self.cost_words for w in nxt[:2])

    def _cost_clause(self, view, v: dict, s0: int) -> bool:
        c0 = view.clause_start(v["start"], s0)
        return any(view.lower(k) in self.cost_words for k in range(max(c0, v["start"] - 8), v["start"]))
