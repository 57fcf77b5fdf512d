"""Entity resolution across papers and across builds: one node per real thing.

Extraction already merges what one abstract says twice (an acronym and its
long form, gazetteer variants). Here a new mention meets the entities the
store already holds, in this order:

1. the same key (``schema.entity_key``: case, spaces, hyphens, ``.0``);
2. the key of a stored alias, when exactly one node of the label has it
   (an acronym such as "MMD" that names two different things resolves to
   neither);
3. a fuzzy match of keys (rapidfuzz ratio ≥ 95) for long keys whose numbers
   agree, so "NewsCLIPping" finds "NewsCLIPpings" but "ImageNet-1k" never
   becomes "ImageNet-21k".

The index is read from the store once per load and grows as rows are added,
so resolution also works inside one batch and across separate ``kg build`` runs.

A node shows the best of the names it was given (:func:`name_rank`), not the
first: the order papers arrive in, and ``-j``, do not change what it is called.
"""

from __future__ import annotations

import re
from collections import defaultdict

from rapidfuzz import fuzz, process

from kg import queries, schema
from kg.schema import entity_key

FUZZY_MIN_LENGTH = 8
FUZZY_SCORE = 95
_NUMBERS = re.compile(r"\d+")


_ACRONYM = re.compile(r"[A-Za-z0-9]*[A-Z][A-Za-z0-9]*[A-Z][A-Za-z0-9]*")


def name_rank(name: str, known: bool = False, label: str | None = None) -> str:
    """A sort key for the names one node was given, best first: the gazetteer's canonical name
    (``known``); for a method or dataset its short name before its long form ("LAMAR" before
    "Latent Multimodal Reconstruction", as papers and leaderboards name them), for a task or
    metric the long form ("Natural Language Inference" before "NLI"); no broken hyphen
    ("Fashion- MNIST"); some capitals before none; fewer punctuation marks ("BiLSTM" before
    "bi-LSTM"); fewer capitals ("Cityscapes" before "CityScapes"); then the text. A total
    order, so the best name does not depend on the order papers arrive in."""
    letters = [c for c in name if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    acronym = bool(_ACRONYM.fullmatch(name)) and upper * 2 >= len(letters)
    long_first = label in (schema.TASK, schema.METRIC)
    marks = sum(not c.isalnum() for c in name)
    parts = (0 if known else 1, int(acronym == long_first), int("- " in name), int(name == name.lower()),
             min(marks, 99), min(upper, 99))
    return "".join(f"{p:02d}" for p in parts) + name


class Resolver:
    def __init__(self, entities: dict[str, list[dict]] | None = None):
        self._keys: dict[str, set[str]] = defaultdict(set)
        # fuzzy candidates share a two-character prefix: plurals and typos
        # rarely change the start of a name, and it keeps lookups cheap
        self._by_prefix: dict[tuple[str, str], list[str]] = defaultdict(list)
        self._alias_owner: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for label, rows in (entities or {}).items():
            for row in rows:
                self.add(label, row["key"], [row.get("name") or "", *(row.get("aliases") or [])])

    @classmethod
    def from_store(cls, store) -> "Resolver":
        entities = {label: store.read(queries.render("entity-index", label=label))
                    for label in schema.ENTITY_LABELS}
        return cls(entities)

    def add(self, label: str, key: str, aliases) -> None:
        if key not in self._keys[label]:
            self._keys[label].add(key)
            self._by_prefix[(label, key[:2])].append(key)
        owners = self._alias_owner[label]
        for alias in aliases:
            alias_key = entity_key(alias) if alias else ""
            if alias_key:
                owners[alias_key].add(key)

    def resolve(self, label: str, key: str, aliases=()) -> str:
        """The stored key this mention refers to (its own key if new)."""
        if label not in schema.ENTITY_LABELS or not key:
            return key
        known = self._keys[label]
        if key in known:
            return key
        candidate_keys = [key, *(entity_key(a) for a in aliases if a)]
        for candidate in candidate_keys:
            owners = self._alias_owner[label].get(candidate, set())
            if len(owners) == 1:
                return next(iter(owners))
            if candidate in known:
                return candidate
        candidates = self._by_prefix.get((label, key[:2]))
        if len(key) >= FUZZY_MIN_LENGTH and candidates:
            match = process.extractOne(key, candidates, scorer=fuzz.ratio, score_cutoff=FUZZY_SCORE)
            if match and _NUMBERS.findall(match[0]) == _NUMBERS.findall(key):
                return match[0]
        return key
