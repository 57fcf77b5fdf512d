"""Entity resolution: which names are one thing, and which of them a node shows.

Extraction already merges what one abstract says twice (an acronym and its long form, gazetteer
variants). Across papers, the loader writes each entity under its own key and
``kg/consolidate.py``, after every load, joins the nodes that are one thing:

1. the same key (``schema.entity_key``: case, spaces, hyphens, ``.0``), whatever the label;
2. a key that is an alias of exactly one other node of the label (an acronym such as "MMD" that
   names two different things joins neither);
3. long keys that differ by a plural or a typo (:func:`same_by_spelling`, rapidfuzz ratio ≥ 95)
   and whose numbers agree, so "NewsCLIPping" joins "NewsCLIPpings" but "ImageNet-1k" never
   "ImageNet-21k".

These are symmetric, so the graph depends on the set of papers, not on their order (the loader
used to resolve each mention against what the store held so far, and the order decided which of
two spellings absorbed the other). A node shows the best of the names it was given
(:func:`name_rank`), not the first.
"""

from __future__ import annotations

import re
from rapidfuzz import fuzz

from kg import schema

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


def same_by_spelling(key: str, other: str) -> bool:
    """Two long keys that differ by a plural or a typo, their numbers equal ("newsclipping" and
    "newsclippings", never "imagenet1k" and "imagenet21k")."""
    return (min(len(key), len(other)) >= FUZZY_MIN_LENGTH and fuzz.ratio(key, other) >= FUZZY_SCORE
            and _NUMBERS.findall(key) == _NUMBERS.findall(other))
