"""Acronym definitions: "Long Form Name (ACRO)" and "ACRO (Long Form Name)".

Implements the Schwartz & Hearst (2003) algorithm: the short form's letters
and digits must occur, right to left, in the long form, the first one at the
start of a word; the long form is at most ``min(|A| + 5, 2|A|)`` words. Two
extensions for ML names: a digit after a letter may count that letter
(``S3T`` = "Sequence-aware Sharded Sliced Training", ``M3I`` = "Maximizing
Multi-modal Mutual Information"), and a trailing plural ``s`` is optional.

Output: ``doc.spans["acronyms"]`` (spans labelled ``LONG`` / ``SHORT``) and
``Doc._.kg_acronyms``, a list of ``{"short": [start, end], "long": [start, end]}``
token offsets, one per definition.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from extractors.components.lexicon import classify_text, lexicon_sets

if not Doc.has_extension("kg_acronyms"):
    Doc.set_extension("kg_acronyms", default=None)

_ROMAN = re.compile(r"^(?:i{1,3}|iv|vi{0,3}|ix|x)$", re.I)
_DIGIT_AFTER_LETTER = re.compile(r"([A-Za-z])([2-4])")


def schwartz_hearst(short: str, long: str) -> int | None:
    """Start offset in ``long`` of the best long form for ``short``, or None."""
    s_idx, l_idx = len(short) - 1, len(long) - 1
    while s_idx >= 0:
        char = short[s_idx].lower()
        if not char.isalnum():
            s_idx -= 1
            continue
        while l_idx >= 0 and (long[l_idx].lower() != char or (s_idx == 0 and l_idx > 0 and long[l_idx - 1].isalnum())):
            l_idx -= 1
        if l_idx < 0:
            return None
        l_idx -= 1
        s_idx -= 1
    # the long form starts at the word holding the first character
    start = l_idx + 1
    while start > 0 and not long[start - 1].isspace():
        start -= 1
    return start


def match_long_form(short: str, long: str) -> int | None:
    """Schwartz-Hearst with the ML-name extensions; start offset or None."""
    candidates = [short]
    expanded = _DIGIT_AFTER_LETTER.sub(lambda m: m.group(1) * int(m.group(2)), short)
    if expanded != short:
        candidates.append(expanded)
    stripped = re.sub(r"\d", "", short)
    if stripped != short and sum(c.isalpha() for c in stripped) >= 2:
        candidates.append(stripped)
    if short.endswith("s") and len(short) > 2 and short[:-1].isupper():
        candidates.append(short[:-1])
    for cand in candidates:
        start = schwartz_hearst(cand, long)
        if start is not None:
            return _capital_start(short, long, start)
    return None


def _capital_start(short: str, long: str, start: int) -> int:
    """Schwartz-Hearst takes the shortest long form, which can start at a lower-case word
    holding the acronym's capital letter: "Conditional class-Aware Meta-Learning (CAML)"
    matched from "class". When the word before it starts with that capital, the long form
    starts there."""
    first = next((c for c in short if c.isalpha()), "")
    if not first.isupper() or not long[start:start + 1].islower():
        return start
    end = start
    while end > 0 and long[end - 1].isspace():
        end -= 1
    begin = end
    while begin > 0 and not long[begin - 1].isspace():
        begin -= 1
    word = long[begin:end]
    return begin if word[:1] == first and word.isalpha() and classify_text(word) != "STOP" else start


def is_short_form(text: str) -> bool:
    """Could ``text`` be an acronym? (2-15 chars, starts alphanumeric, has a
    capital letter, is not a roman numeral, number or function word)."""
    if not 2 <= len(text) <= (15 if " " not in text else 24) or not text[0].isalnum():
        return False
    if not any(c.isupper() for c in text) or not any(c.isalpha() for c in text):
        return False
    if _ROMAN.match(text) or text.lower().rstrip(".") in lexicon_sets()["abbreviations"]:
        return False
    if classify_text(text) in ("STOP", "NUM", "NUMUNIT", "PUNCT"):
        return False
    words = text.split()
    return len(words) <= 2


@Language.factory("kg_acronyms", default_config={"max_inner": 12})
def make_acronyms(nlp: Language, name: str, max_inner: int):
    return AcronymDetector(max_inner)


class AcronymDetector:
    def __init__(self, max_inner: int = 12):
        self.max_inner = max_inner

    def __call__(self, doc: Doc) -> Doc:
        found: list[dict] = []
        spans = []
        for i, token in enumerate(doc):
            if token.text != "(":
                continue
            j = i + 1
            limit = min(len(doc), i + self.max_inner + 2)
            while j < limit and doc[j].text not in (")", "(") and not doc[j].is_sent_start:
                j += 1
            if j >= limit or doc[j].text != ")" or j == i + 1:
                continue
            pair = self._define(doc, i, j)
            if pair:
                (ss, se), (ls, le) = pair
                found.append({"short": [ss, se], "long": [ls, le]})
                spans.append(doc[ss:se])
                spans[-1].label_ = "SHORT"
                spans.append(doc[ls:le])
                spans[-1].label_ = "LONG"
        doc.spans["acronyms"] = spans
        doc._.kg_acronyms = found
        return doc

    def _define(self, doc: Doc, open_i: int, close_i: int):
        inner = doc[open_i + 1:close_i]
        sent_start = doc[open_i].sent.start
        inner_text = inner.text.strip()
        # "ACRO (short for Long Form)" / "ACRO (i.e., Long Form)"
        lead = [t.lower_ for t in inner[:2]]
        if lead[:2] == ["short", "for"] or lead[:1] in (["i.e."], ["ie"], ["aka"]):
            skip = 2 if lead[:2] == ["short", "for"] else 1
            long_span = doc[open_i + 1 + skip:close_i]
            if long_span and long_span[0].text == ",":
                long_span = doc[long_span.start + 1:close_i]
            return self._long_in_parens(doc, open_i, long_span)
        if 1 <= len(inner) <= 2 and is_short_form(inner_text.replace(" ", "") if len(inner) == 2 and not inner[0].whitespace_ else inner_text):
            short = inner
            max_words = min(len(short.text) + 5, 2 * len(short.text))
            start_tok = open_i
            words = 0
            while start_tok > sent_start and words < max_words:
                start_tok -= 1
                if doc[start_tok].text in (")", "(", ";", ":", "--", "—", "–") or doc[start_tok].text.isspace():
                    start_tok += 1
                    break
                if doc[start_tok].is_alpha or any(c.isalnum() for c in doc[start_tok].text):
                    words += 1
            window = doc[start_tok:open_i]
            if not window:
                return None
            text = window.text
            start = match_long_form(short.text.replace(" ", ""), text)
            if start is None:
                return None
            long_span = doc.char_span(window.start_char + start, window.end_char, alignment_mode="expand")
            long_span = _trim(long_span)
            if long_span is None or not self._plausible(short.text, long_span):
                return None
            return (short.start, short.end), (long_span.start, long_span.end)
        if len(inner) > 2:
            return self._long_in_parens(doc, open_i, inner)
        return None

    def _long_in_parens(self, doc: Doc, open_i: int, long_span):
        if open_i == 0 or not long_span:
            return None
        short = doc[open_i - 1]
        if not is_short_form(short.text):
            return None
        start = match_long_form(short.text, long_span.text)
        # the long form must be the whole parenthesis (leading quotes aside)
        if start is None or long_span.text[:start].strip(" \"'“‘`"):
            return None
        long_span = _trim(long_span)
        if long_span is None or not self._plausible(short.text, long_span):
            return None
        return (short.i, short.i + 1), (long_span.start, long_span.end)

    @staticmethod
    def _plausible(short: str, long_span) -> bool:
        text = long_span.text
        if len(text) <= len(short) or short.lower() in text.lower().split():
            return False
        if any(t.text in (";", "(", ")") for t in long_span):
            return False
        has_alpha = any(c.isalpha() for c in text)
        return has_alpha and (" " in text or "-" in text)


_EDGE = frozenset({'"', "'", "“", "”", "‘", "’", "`", "``", "''", ",", ":", "-", "--"})


def _trim(span):
    if span is None:
        return None
    start, end = span.start, span.end
    doc = span.doc
    while start < end and doc[start].text in _EDGE:
        start += 1
    while end > start and doc[end - 1].text in _EDGE:
        end -= 1
    return doc[start:end] if end > start else None
