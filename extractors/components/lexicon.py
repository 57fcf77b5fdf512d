"""Shared word lists, token classes and pattern-file loading.

The rules consult word lists kept in ``extractors/patterns/lexicon.jsonl`` and
Matcher patterns kept in ``extractors/patterns/*.jsonl``. Pattern files may
write ``"$LEX:<list>"`` wherever a list of strings is expected; it is expanded
from the lexicon when the file is loaded, so one list feeds every rule that
needs it.

Every token also gets a coarse *class* (``Token._.kg_cls``), computed once per
distinct string and cached, which the patterns use instead of a POS tagger:

``NAME``     looks like a name: inner capitals (``LensNet``, ``OV-DINO``), an
             all-capital part of 2+ letters (``MDETR``), letters mixed with
             digits (``Wav2Vec``, ``GPT-3``)
``CAP``      capitalised word (``Transformer``, ``Natural``)
``LOW``      lower-case word
``STOP``     function word or discourse word, whatever its case
``GENERIC``  acronym of a generic family or a unit (``LLM``, ``GPU``, ``AI``)
``NUM``      number (``50.6``, ``2,000``, ``2+``)
``PCTTOK``   percentage in one token (``50.6%``)
``MULT``     multiplier (``2.3x``, ``48times``, ``3.2×``)
``ARROW``    a change written ``23.5->26.9``
``NUMUNIT``  number with a unit suffix (``1.3B``, ``4K``, ``3D``), roman numeral
``MSHAPE``   metric-shaped token (``nDCG@10``, ``BLEU-4``, ``AP50``; regexes from
             ``metric_shapes.jsonl``)
``TOPK``     ``top-5``
``URL``      a web address
``PUNCT`` / ``SPACE``  anything else

The ``kg_token_classes`` component writes the class to ``Token.tag_`` and a
coarse class to ``Token.pos_`` (:data:`COARSE`) so that Matcher patterns can
test shape with native attributes (``{"TAG": "NUM"}``, ``{"POS": "PROPN"}``).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.tokens import Token

PATTERNS_DIR = Path(__file__).resolve().parent.parent / "patterns"
DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@lru_cache(maxsize=4)
def load_lexicon(path: str | None = None) -> dict[str, Any]:
    """The word lists of ``extractors/patterns/lexicon.jsonl`` (``{"list", "words"}`` per line)."""
    return {record["list"]: record["words"] for record in read_jsonl(path or PATTERNS_DIR / "lexicon.jsonl")}


@lru_cache(maxsize=4)
def lexicon_sets(path: str | None = None) -> dict[str, frozenset[str]]:
    """Each lexicon list as a frozenset (lists are matched case-sensitively as
    written; lower-case lists are meant to be compared with ``token.lower_``)."""
    return {key: frozenset(value) for key, value in load_lexicon(path).items() if isinstance(value, list)}


def expand_macros(obj: Any, lex: dict[str, Any]) -> Any:
    """Replace ``"$LEX:name"`` strings (and list items) with lexicon lists."""
    if isinstance(obj, str) and obj.startswith("$LEX:"):
        return list(lex[obj[5:]])
    if isinstance(obj, list):
        out: list = []
        for item in obj:
            if isinstance(item, str) and item.startswith("$LEX:"):
                out.extend(lex[item[5:]])
            else:
                out.append(expand_macros(item, lex))
        return out
    if isinstance(obj, dict):
        return {key: expand_macros(value, lex) for key, value in obj.items()}
    return obj


def read_jsonl(path: str | Path) -> list[dict]:
    """Records of a JSONL file; blank lines and records whose keys all start
    with ``_`` (comments) are skipped. A missing file reads as empty."""
    path = Path(path)
    if not path.exists():
        return []
    records = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            line = line.strip()
            if not line or line.startswith("//"):
                continue
            record = json.loads(line)
            if isinstance(record, dict) and record and all(k.startswith("_") for k in record):
                continue
            records.append(record)
    return records


def load_patterns(name: str, lex: dict[str, Any] | None = None, directory: str | Path | None = None) -> list[dict]:
    lex = lex if lex is not None else load_lexicon()
    return [expand_macros(record, lex) for record in read_jsonl(Path(directory or PATTERNS_DIR) / name)]


# --- token classes -----------------------------------------------------------

_NUM = re.compile(r"^(?:[+\-−±~≈>＜<]*\d[\d,]*(?:\.\d+)?\+?|\d+\+)$")
_PCTTOK = re.compile(r"^[+\-−±~≈>]*\d+(?:\.\d+)?\\?%$")
_MULT = re.compile(r"^~?\d+(?:\.\d+)?(?:x|×|X|times|-fold|fold)(?:[-–~]\d+(?:\.\d+)?(?:x|×|times))?$")
_ARROW = re.compile(r"^\d+(?:\.\d+)?%?(?:-+>|→|⟶|=>)\d+(?:\.\d+)?%?$")
_NUMUNIT = re.compile(
    r"^\d+(?:[.,]\d+)?(?:[kKMBGTmbt]|[dD]|s|ms|µs|us|h|hrs|min|fps|FPS|Hz|kHz|GB|MB|TB|KB|px|bit|bits|"
    r"nd|rd|th|st|pp|pt|pts|K|k\+|M\+|B\+|mAh|W|kW|ms/token|tok/s|dB|x\d+|×\d+)$"
)
_ROMAN = re.compile(r"^(?=[ivxIVX]+$)(?:i{1,3}|iv|vi{0,3}|ix|x|I{1,3}|IV|VI{0,3}|IX|X)$")
_TOPK = re.compile(r"^[Tt]op-?\d+$")
_URLISH = re.compile(r"^(?:https?://|www\.)|^[\w-]+\.(?:com|org|io|net|ai|edu)/", re.I)
_ALPHA = re.compile(r"[^\W\d_]")
_UPPER_INNER = re.compile(r"[A-Z]")
_DIGIT = re.compile(r"\d")
_PART_SPLIT = re.compile(r"[-/_.]")

#: fine classes (Token.tag_) -> coarse classes (Token.pos_)
COARSE = {"NAME": "PROPN", "CAP": "PROPN", "LOW": "NOUN", "STOP": "ADP", "GENERIC": "X", "NUM": "NUM",
          "PCTTOK": "NUM", "MULT": "NUM", "ARROW": "NUM", "NUMUNIT": "SYM", "MSHAPE": "SYM", "TOPK": "ADJ", "URL": "X",
          "PUNCT": "PUNCT", "SPACE": "SPACE"}

_CLS_CACHE: dict[str, str] = {}
_METRIC_SHAPE_RE: re.Pattern | None = None


def _metric_shape_re() -> re.Pattern:
    """One regex for the single-token metric shapes of metric_shapes.jsonl."""
    global _METRIC_SHAPE_RE
    if _METRIC_SHAPE_RE is None:
        regexes = []
        for record in read_jsonl(PATTERNS_DIR / "metric_shapes.jsonl"):
            pattern = record.get("pattern")
            if isinstance(pattern, list) and len(pattern) == 1:
                spec = pattern[0].get("TEXT")
                if isinstance(spec, dict) and "REGEX" in spec:
                    regexes.append(f"(?:{spec['REGEX']})")
        _METRIC_SHAPE_RE = re.compile("|".join(regexes) or r"(?!x)x")
    return _METRIC_SHAPE_RE


def _part_is_namey(part: str) -> bool:
    if len(part) >= 2 and part.isupper() and _ALPHA.search(part):
        return True
    if len(part) >= 2 and _UPPER_INNER.search(part[1:]):
        return True
    if _DIGIT.search(part) and _ALPHA.search(part) and not _NUMUNIT.match(part):
        return True
    return False


def classify_text(text: str) -> str:
    """The fine token class of a token text (cached)."""
    cls = _CLS_CACHE.get(text)
    if cls is not None:
        return cls
    sets = lexicon_sets()
    lower = text.lower()
    if text.isspace():
        cls = "SPACE"
    elif not _ALPHA.search(text):
        if _NUM.match(text):
            cls = "NUM"
        elif _PCTTOK.match(text):
            cls = "PCTTOK"
        elif _ARROW.match(text):
            cls = "ARROW"
        elif _MULT.match(text):
            cls = "MULT"
        else:
            cls = "PUNCT"
    elif _URLISH.search(text):
        cls = "URL"
    elif _PCTTOK.match(text):
        cls = "PCTTOK"
    elif _MULT.match(text):
        cls = "MULT"
    elif lower in sets["stop_words"]:
        cls = "STOP"
    elif lower in sets["generic_tokens"]:
        cls = "GENERIC"
    elif _NUMUNIT.match(text) or _ROMAN.match(text):
        cls = "NUMUNIT"
    elif _metric_shape_re().match(text):
        cls = "MSHAPE"
    elif _TOPK.match(text):
        cls = "TOPK"
    elif any(_part_is_namey(p) for p in _PART_SPLIT.split(text) if p):
        cls = "NAME"
    elif text[0].isupper():
        cls = "CAP"
    else:
        cls = "LOW"
    if len(_CLS_CACHE) > 500_000:
        _CLS_CACHE.clear()
    _CLS_CACHE[text] = cls
    return cls


def _token_cls(token: Token) -> str:
    return token.tag_ or classify_text(token.text)


if not Token.has_extension("kg_cls"):
    Token.set_extension("kg_cls", getter=_token_cls)


# --- fast Matcher patterns -----------------------------------------------------

_NATIVE = ("LOWER", "ORTH", "TEXT", "TAG", "POS", "NORM")


def anchored(pattern: list[dict]) -> list[list[dict]]:
    """Split a pattern whose first token is ``{"ATTR": {"IN": [...]}}`` into one
    pattern per value, so every pattern starts with a native equality check
    (spaCy evaluates set/regex predicates in Python for every token, native
    attribute tests in C)."""
    if not pattern:
        return [pattern]
    first = pattern[0]
    if len(first) == 1:
        (attr, value), = first.items()
        if attr in _NATIVE and isinstance(value, dict) and set(value) == {"IN"}:
            return [[{attr: v}] + pattern[1:] for v in dict.fromkeys(value["IN"])]
    return [pattern]


def phrase_list(record: dict) -> list[str]:
    """The phrases of a pattern record: ``phrases`` / ``anchor`` (a list) or the
    product of the lists in ``phrases_product`` / ``anchor_product`` (joined by
    spaces, empty parts skipped)."""
    import itertools

    phrases = list(record.get("phrases") or record.get("anchor") or [])
    product = record.get("phrases_product") or record.get("anchor_product")
    if product:
        for parts in itertools.product(*[dict.fromkeys(slot) for slot in product]):
            phrases.append(" ".join(p for p in parts if p))
    return list(dict.fromkeys(p for p in phrases if p))


NAMEY = frozenset({"NAME", "CAP"})


# --- per-doc token views -----------------------------------------------------------

_VIEWS_KEY = "_kg_views"


class DocViews:
    """Token texts, lower-case forms, token classes and sentence bounds of a Doc,
    read with ``Doc.to_array`` (no Token objects) and shared by the components.

    Cached in ``doc.user_data`` while the pipeline runs; :func:`drop_views`
    removes it (the last component calls it) so nothing extra is serialised.
    """

    __slots__ = ("texts", "lowers", "tags", "sent_start", "sent_end", "sent_of", "bounds", "idx", "n")

    def __init__(self, doc):
        from spacy.attrs import IDX, LOWER, ORTH, SENT_START, TAG

        n = len(doc)
        self.n = n
        strings = doc.vocab.strings
        if n:
            arr = doc.to_array([ORTH, LOWER, TAG, SENT_START, IDX]).tolist()
        else:
            arr = []
        self.texts = [strings[row[0]] for row in arr]
        self.lowers = [strings[row[1]] for row in arr]
        self.tags = [strings[row[2]] if row[2] else classify_text(self.texts[k]) for k, row in enumerate(arr)]
        self.idx = [row[4] for row in arr]
        starts = [k for k, row in enumerate(arr) if k == 0 or row[3] == 1]
        self.bounds = [(s, e) for s, e in zip(starts, starts[1:] + [n])]
        self.sent_start = [0] * n
        self.sent_end = [n] * n
        self.sent_of = [0] * n
        for sid, (s, e) in enumerate(self.bounds):
            for k in range(s, e):
                self.sent_start[k] = s
                self.sent_end[k] = e
                self.sent_of[k] = sid


def doc_views(doc) -> DocViews:
    views = doc.user_data.get(_VIEWS_KEY)
    if views is None or views.n != len(doc):
        views = doc.user_data[_VIEWS_KEY] = DocViews(doc)
    return views


def drop_views(doc) -> None:
    doc.user_data.pop(_VIEWS_KEY, None)
