"""Families and variants of datasets and methods, read from their names.

"SQuAD 2.0" is a version of SQuAD, "COCO test-dev" a split of COCO, "ImageNet-1k" a subset of
ImageNet, "WMT 2014 English-German" a language pair of WMT 2014, itself a year of WMT; "Llama 2 7B"
is a size of Llama 2, a generation of Llama; "BERT-large" a size of BERT. The loader links each
variant to its family with ``VARIANT_OF`` and keeps what distinguishes it (``version``, ``split``,
``size``, ``subset``) on the variant; queries that take a dataset or a method accept the family and
list its variants' rows, each naming its variant.
"""

from __future__ import annotations

import re

from kg import schema

_SPLIT = r"(?:test-dev|test-std|test-challenge|testdev|minival|val|validation|dev|test|train)(?:\s?(?:set|split))?"
_PAIR = r"[A-Z][a-z]+(?:-to-|-|→)[A-Z][a-z]+|[A-Z][a-z]-[A-Z][a-z]"
#: (what the suffix is, pattern of "FAMILY<separator>SUFFIX"), tried in order on the end of a name
_DATASET_SUFFIXES = (
    ("split", re.compile(rf"^(?P<family>.+?)[\s\-_]+(?P<v>{_SPLIT})$", re.I)),
    ("pair", re.compile(rf"^(?P<family>.+?)\s+(?P<v>{_PAIR})$")),
    ("task", re.compile(r"^(?P<family>.+?)\s+(?P<v>Task\s*\d+[A-Za-z]?)$", re.I)),
    ("subset", re.compile(r"^(?P<family>.+?)[\s\-]+(?P<v>\d+(?:-hop|[kK]))$")),
    ("version", re.compile(r"^(?P<family>.+?)[\s\-]*(?P<v>v\d+(?:\.\d+)*)$", re.I)),
    ("version", re.compile(r"^(?P<family>.+?)[\s\-_]+(?P<v>(?:19|20)\d\d|\d+\.\d+)$")),
)
_METHOD_SUFFIXES = (
    ("size", re.compile(r"^(?P<family>.+?)[\s\-_]+(?P<v>\d+(?:\.\d+)?[BMK]|x?small|base|large|xl|xxl|tiny|mini|medium|huge)$",
                        re.I)),
    ("version", re.compile(r"^(?P<family>.+?)[\s\-]+(?P<v>v?\d+(?:\.\d+)*)$", re.I)),
    ("version", re.compile(r"^(?P<family>[A-Za-z][A-Za-z]+?)(?P<v>v\d+(?:\.\d+)*)$")),
)


def variant_of(label: str, name: str) -> tuple[str, dict] | None:
    """(family name, {kind: value}) when ``name`` is a variant of a shorter family name, else None."""
    if label == schema.DATASET:
        suffixes = _DATASET_SUFFIXES
    elif label == schema.METHOD:
        suffixes = _METHOD_SUFFIXES
    else:
        return None
    text = schema.display_name(name)
    for kind, pattern in suffixes:
        match = pattern.match(text)
        if not match:
            continue
        family = match.group("family").strip(" -_")
        letters = sum(ch.isalpha() for ch in family)
        if letters < 2 or schema.entity_key(family) == schema.entity_key(text):
            continue
        if kind == "version" and label == schema.DATASET and re.fullmatch(r"\d+", match.group("v")) \
                and not re.fullmatch(r"(?:19|20)\d\d", match.group("v")):
            continue  # "CIFAR 10"-like numbers name another dataset; a year is a version ("COCO 2017")
        return family, {kind: match.group("v")}
    return None


def family_chain(label: str, name: str, depth: int = 3) -> list[tuple[str, str, dict]]:
    """(variant, family, properties) links from ``name`` up to its root family:
    "Llama 2 7B" -> [("Llama 2 7B", "Llama 2", {"size": "7B"}), ("Llama 2", "Llama", {"version": "2"})]."""
    links = []
    current = name
    for _ in range(depth):
        found = variant_of(label, current)
        if found is None:
            break
        family, props = found
        links.append((current, family, props))
        current = family
    return links
