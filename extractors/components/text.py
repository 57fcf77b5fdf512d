"""Tokenizer and sentence boundaries for titles + abstracts of ML papers.

Tokenizer (``kg.Tokenizer.v1``): spaCy's English rules with two changes that
keep model and dataset names whole:

* a hyphen between letters no longer splits a word, so ``OV-DINO``,
  ``LLaMA-2``, ``MS-COCO``, ``Vision-Language`` and ``end-to-end`` are one
  token each (dashes ``--``, ``–``, ``—`` still split);
* a compound suffix such as ``-based``, ``-like``, ``-style``, ``-generated``
  is split off, so ``BERT-based`` yields the name ``BERT``.

Sentences (``kg_sentencizer``): ``.``/``!``/``?`` end a sentence only when the
next word starts with a capital, a digit or an opening bracket/quote, and not
after an abbreviation (``et al.``, ``Fig.``, ``e.g.``; the list is the
``abbreviations`` lexicon entry); decimals are single tokens so never split. A
line break always ends a sentence: the pipeline joins title and abstract with
a blank line, and the first blank line is remembered as the title boundary
(``Doc._.kg_title_end``, a token index; 0 when the text has no title part).
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.lang.char_classes import ALPHA, ALPHA_LOWER, ALPHA_UPPER, CONCAT_QUOTES, LIST_ELLIPSES, LIST_ICONS
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_suffix_regex, registry

from extractors.components.lexicon import lexicon_sets

COMPOUND_SUFFIXES = (
    "based", "like", "style", "generated", "guided", "driven", "aware", "centric", "specific",
    "enhanced", "augmented", "powered", "inspired", "assisted", "conditioned", "initialized",
    "pretrained", "pre-trained", "finetuned", "fine-tuned", "derived", "oriented", "compatible",
    "equipped", "scale", "sized", "level", "only", "free", "agnostic", "family", "series",
)

if not Doc.has_extension("kg_title_end"):
    Doc.set_extension("kg_title_end", default=0)
#: Set by ``kg_token_classes``: the title is written all in capitals (``shouted_title``).
if not Doc.has_extension("kg_title_shouted"):
    Doc.set_extension("kg_title_shouted", default=False)


def _infixes() -> list[str]:
    # spaCy's English infixes, except that a single hyphen between letters is kept
    return [
        *LIST_ELLIPSES,
        *LIST_ICONS,
        r"(?<=[0-9])[+\-\*^](?=[0-9-])",
        r"(?<=[{al}{q}])\.(?=[{au}{q}])".format(al=ALPHA_LOWER, au=ALPHA_UPPER, q=CONCAT_QUOTES),
        r"(?<=[{a}]),(?=[{a}])".format(a=ALPHA),
        r"(?<=[{a}0-9])(?:--|---|–|—|~)(?=[{a}])".format(a=ALPHA),
        r"(?<=[{a}0-9])[:<>=](?=[{a}])".format(a=ALPHA),
        r"(?<=[{a}])/(?=[{a}]{{3,}})".format(a=ALPHA),
    ]


@registry.tokenizers("kg.Tokenizer.v1")
def create_kg_tokenizer():
    def make(nlp: Language):
        from spacy.tokenizer import Tokenizer

        defaults = nlp.Defaults
        suffixes = list(defaults.suffixes) + [
            r"(?<=[{a}0-9)\]])-(?:{s})".format(a=ALPHA, s="|".join(re.escape(s) for s in COMPOUND_SUFFIXES)),
            r"(?<=[0-9])\\%",
            r"(?<=[a-z0-9][A-Z])\.",  # "EvoMoE." / "ViT." at the end of a sentence
        ]
        prefix_re = spacy_prefix_regex(defaults)
        tokenizer = Tokenizer(
            nlp.vocab,
            rules=dict(defaults.tokenizer_exceptions),
            prefix_search=prefix_re.search,
            suffix_search=compile_suffix_regex(suffixes).search,
            infix_finditer=compile_infix_regex(_infixes()).finditer,
            token_match=defaults.token_match,
            url_match=defaults.url_match,
        )
        return tokenizer

    return make


def spacy_prefix_regex(defaults):
    from spacy.util import compile_prefix_regex

    return compile_prefix_regex(defaults.prefixes)


# --- sentences ---------------------------------------------------------------

_ENDERS = frozenset({".", "!", "?", "...", "…"})
_CLOSERS = frozenset({")", "]", "}", '"', "'", "”", "’", "''", "»"})
_OPENERS = frozenset({"(", "[", '"', "“", "'", "‘", "``", "«"})


@Language.factory("kg_sentencizer", default_config={"abbreviations": None})
def make_sentencizer(nlp: Language, name: str, abbreviations: list[str] | None):
    return KGSentencizer(abbreviations)


class KGSentencizer:
    """Rule-based sentence boundaries (see module docstring)."""

    def __init__(self, abbreviations: list[str] | None = None):
        self.abbreviations = frozenset(a.lower().rstrip(".") for a in (abbreviations or lexicon_sets()["abbreviations"]))
        self.stop_words = lexicon_sets()["stop_words"]

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if not n:
            return doc
        from spacy.attrs import ORTH

        strings = doc.vocab.strings
        texts = [strings[o] for o in doc.to_array([ORTH]).tolist()]
        starts = [False] * n
        starts[0] = True
        title_end = None
        i = 0
        while i < n:
            text = texts[i]
            if text.isspace():
                if "\n" in text:
                    if title_end is None and "\n\n" in text.replace("\r", ""):
                        title_end = i
                    if i + 1 < n:
                        starts[i + 1] = True
                i += 1
                continue
            boundary = False
            if text in _ENDERS:
                prev = texts[i - 1].lower().rstrip(".") if i else ""
                boundary = prev not in self.abbreviations or (prev == "etc")
                if len(prev) == 1 and prev.isalpha() and i >= 2 and texts[i - 2] == ".":
                    boundary = False  # initials: "J. K."
            elif text.endswith(".") and len(text) > 1 and text[:-1].lower().rstrip(".") in ("etc",):
                boundary = True
            if boundary:
                j = i + 1
                while j < n and (texts[j] in _CLOSERS or texts[j].isspace() and "\n" not in texts[j]):
                    j += 1
                if j < n and self._starts_sentence(texts[j], texts[i]):
                    starts[j] = True
                i = j
                continue
            i += 1
        import numpy
        from spacy.attrs import SENT_START

        doc.from_array([SENT_START], numpy.array([1 if s else -1 for s in starts], dtype="int32").reshape(-1, 1)
                       .astype("uint64"))
        doc._.kg_title_end = title_end or 0
        return doc

    def _starts_sentence(self, nxt: str, ender: str) -> bool:
        first = nxt[0]
        if first.isupper() or first.isdigit() or nxt in _OPENERS or first in "([\"'“‘":
            if ender.endswith(".") and len(ender) > 1:  # "etc." only before an obvious sentence opener
                return nxt.lower() in self.stop_words
            return True
        return False

    def to_disk(self, path, *, exclude=()):
        pass

    def from_disk(self, path, *, exclude=()):
        return self


# --- token classes -------------------------------------------------------------


@Language.factory("kg_token_classes")
def make_token_classes(nlp: Language, name: str):
    return TokenClasses(nlp)


#: A word in capitals with no digit or inner symbol: an acronym, or any word of a title in capitals.
_SHOUTED_WORD = re.compile(r"[A-Z]{2,}(?:-[A-Z]{2,})*")


def shouted_title(texts: list[str], title_end: int) -> bool:
    """Is the title (tokens before ``title_end``) written all in capitals?"""
    words = [t for t in texts[:title_end] if len(t) > 1 and any(c.isalpha() for c in t)]
    return len(words) >= 3 and not any(c.islower() for t in words for c in t)


class TokenClasses:
    """A rule-based "tagger": ``Token.tag_`` = the fine token class of
    :func:`extractors.components.lexicon.classify_text` (``NAME``, ``CAP``,
    ``LOW``, ``STOP``, ``NUM``, ``PCTTOK``, ``MULT``, ``MSHAPE`` ...) and
    ``Token.pos_`` = a coarse class (``PROPN`` for NAME/CAP, ``NUM`` for numbers,
    ``NOUN`` for other lower-case words, ...). These are *not* linguistic
    part-of-speech tags; they let the Matcher patterns test token shape with
    native attribute comparisons (fast) instead of Python callbacks."""

    def __init__(self, nlp: Language):
        from spacy.parts_of_speech import IDS as POS_IDS

        from extractors.components.lexicon import COARSE

        self.strings = nlp.vocab.strings
        self.tag_ids = {cls: self.strings.add(cls) for cls in COARSE}
        self.pos_ids = {cls: POS_IDS[pos] for cls, pos in COARSE.items()}
        self._cache: dict[int, tuple[int, int]] = {}

    def __call__(self, doc: Doc) -> Doc:
        import numpy
        from spacy.attrs import ORTH, POS, TAG

        from extractors.components.lexicon import classify_text

        if not len(doc):
            return doc
        orths = doc.to_array([ORTH])
        cache = self._cache
        out = numpy.empty((len(doc), 2), dtype="uint64")
        for k, orth in enumerate(orths.tolist()):
            pair = cache.get(orth)
            if pair is None:
                cls = classify_text(self.strings[orth])
                pair = cache[orth] = (self.tag_ids[cls], self.pos_ids[cls])
                if len(cache) > 500_000:
                    cache.clear()
            out[k, 0], out[k, 1] = pair
        self._unshout_title(doc, out)
        doc.from_array([TAG, POS], out)
        return doc

    def _unshout_title(self, doc: Doc, out) -> None:
        """A title in capitals ("TRAINING GENERATIVE ADVERSARIAL NETWORKS VIA
        ...", as OpenReview lists many) has no case to read names from: its
        capitalised words are classed ``CAP`` like Title Case words, not ``NAME``
        like acronyms, unless the abstract writes the same word in capitals too
        ("PASCAL", "SGD")."""
        title_end = doc._.kg_title_end
        title = [token.text for token in doc[:title_end]]
        doc._.kg_title_shouted = shouted_title(title, title_end)
        if not doc._.kg_title_shouted:
            return
        in_abstract = {token.text for token in doc[title_end:]}
        cap = (self.tag_ids["CAP"], self.pos_ids["CAP"])
        for k, text in enumerate(title):
            if _SHOUTED_WORD.fullmatch(text) and text not in in_abstract and out[k, 0] == self.tag_ids["NAME"]:
                out[k, 0], out[k, 1] = cap

    def to_disk(self, path, *, exclude=()):
        pass

    def from_disk(self, path, *, exclude=()):
        return self
