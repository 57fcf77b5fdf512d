"""Pure string helpers for gazetteer names: cleaning, qualifier stripping,
parenthesised acronyms and surface variants.

Nothing here reads files or loads spaCy, so every function can be unit-tested
on hand-made inputs.
"""

from __future__ import annotations

import itertools
import re

from kg.schema import display_name

# --- cleaning ----------------------------------------------------------------

_QUOTES = str.maketrans({"’": "'", "‘": "'", "´": "'", "`": "'", "×": "x", "–": "-", "‐": "-", "‑": "-"})


def clean_name(raw: str) -> str:
    """Tidy a raw name from a name list: NFKC, one space, plain quotes and
    hyphens, no stray trailing punctuation or wrapping underscores."""
    name = display_name(raw.translate(_QUOTES))
    name = name.strip("_").strip()
    name = re.sub(r"(?<=\w)--(?=\w)", "-", name)  # "English--Romanian"
    name = re.sub(r"\s*[:;,*]+$", "", name)  # "LDC2015E86:", "Company*"
    name = re.sub(r"(?<=\))\.$", "", name)  # "... (EHF)."
    name = re.sub(r"\s+", " ", name).strip()
    return name


# --- parenthesised acronyms --------------------------------------------------

_PAREN = re.compile(r"\s*\(([^()]*)\)\s*")


def is_acronym_of(acronym: str, phrase: str) -> bool:
    """True when ``acronym`` plausibly abbreviates ``phrase``.

    The acronym is one word with at least two capitals, its first letter is
    the phrase's first letter, and its letters occur in order in the phrase
    (``mCE`` / "mean Corruption Error", ``SQuAD`` / "Stanford Question
    Answering Dataset", ``CMU-MMAC`` / "CMU Multi-Modal Activity").
    """
    acronym = acronym.strip()
    if not acronym or " " in acronym or len(acronym) > 12:
        return False
    if sum(c.isupper() for c in acronym) < 2:
        return False
    letters = [c.lower() for c in acronym if c.isalpha()]
    words = [w for w in re.split(r"[\s\-/]+", phrase.lower()) if w]
    if len(letters) < 2 or len(words) < 2 or letters[0] != words[0][0]:
        return False
    text = " ".join(words)
    pos = 0
    for letter in letters:
        pos = text.find(letter, pos)
        if pos < 0:
            return False
        pos += 1
    return True


def split_parenthetical(name: str) -> tuple[str, str | None, list[str]]:
    """Split ``"Long Name (ACR) rest (qualifier)"`` into the name without any
    parentheses, the acronym (if one abbreviates the words before it) and the
    other parenthesised qualifiers."""
    acronym: str | None = None
    qualifiers: list[str] = []
    for match in _PAREN.finditer(name):
        content = match.group(1).strip()
        before = name[: match.start()].strip()
        if acronym is None and is_acronym_of(content, before):
            acronym = content
        elif content:
            qualifiers.append(content)
    main = _PAREN.sub(" ", name)
    main = re.sub(r"\s+", " ", main).strip(" ,-")
    return main, acronym, qualifiers


# --- leaderboard qualifiers ---------------------------------------------------

#: Languages whose names (or ISO codes) appear in translation benchmark names.
LANGUAGES = {
    "Arabic": "ar", "Chinese": "zh", "Czech": "cs", "Dutch": "nl", "English": "en",
    "Estonian": "et", "Finnish": "fi", "French": "fr", "German": "de", "Gujarati": "gu",
    "Hindi": "hi", "Italian": "it", "Japanese": "ja", "Kazakh": "kk", "Korean": "ko",
    "Latvian": "lv", "Lithuanian": "lt", "Nepali": "ne", "Polish": "pl",
    "Portuguese": "pt", "Romanian": "ro", "Russian": "ru", "Sinhala": "si",
    "Spanish": "es", "Thai": "th", "Turkish": "tr", "Vietnamese": "vi",
}
_LANG = "|".join(sorted(LANGUAGES, key=len, reverse=True))
_LANG_PAIR = re.compile(rf"\s+(?:Zero-Shot\s+)?({_LANG})(?:-to-|-| to )({_LANG})$")
_LANG_ONE = re.compile(rf"\s+(?:\(?({_LANG})\)?)(?:\s+(?:Dev|Test))?$")
_CODEY = re.compile(r"\d|\b[A-Z]{3,}\b|[a-z][A-Z]")

_SPLIT_WORDS = (
    r"test|val|validation|dev|train|minival|test-dev|test-std|test-challenge|count-test|"
    r"test-clean|test-other|dev-clean|dev-other|leaderboard|private|public|test set|val set|"
    r"dev set|detected|labeled|unsupervised|full|full-supervised|filtered|raw|clean|final"
)
_TRAILING = [
    re.compile(rf"\s+(?:{_SPLIT_WORDS})$"),  # lowercase only: "Children's Book Test" stays
    re.compile(r"\s+\d+\s*x\s*\d+$"),  # "CelebA 256x256", "CUB 128 x 128"
    re.compile(r"\s+\d+x(?:\s+upscaling)?$"),
    re.compile(r"\s+\d+-way(?:\s+\d+-shot)?$", re.I),
    re.compile(r"\s+\d+-shot(?:\s+learning)?$", re.I),
    re.compile(r"\s+\d+(?:\.\d+)?%\s+labeled(?:\s+data)?$", re.I),
    re.compile(r"\s+\d+\s+samples(?:\s+labeled)?$", re.I),
    re.compile(r"\s+\d+(?:\.\d+)?%$"),
    re.compile(r"\s+sigma\d+$"),
    re.compile(r"\s+\d+\s+frames$"),
    re.compile(r"\s+(?:Binary|Fine-grained)\s+classification$", re.I),
    re.compile(r"\s+(?:Image\s+)?Classification$"),
    re.compile(r"\s+with Public Split.*$"),
    re.compile(r"\s+(?:Full-supervised|Labels-to-Photos?|Photo-to-Labels)$"),
    re.compile(r":\s*fixed .*$"),
]


_CAP_SPLIT = re.compile(r"^(.*?(\S+))\s+(?:Test|Val|Dev|Validation|Full|Clean|Final)$")


def _strip_capitalised_split(name: str) -> str:
    """``"DROP Test"`` -> ``"DROP"``, ``"MRPC Dev"`` -> ``"MRPC"``, but
    ``"Children's Book Test"`` stays: only after a code-like word."""
    m = _CAP_SPLIT.match(name)
    if m and re.search(r"\d|^[A-Z]{2,}$|[a-z][A-Z]", m.group(2)):
        return m.group(1)
    return name


def strip_dataset_qualifiers(name: str) -> str:
    """The dataset a leaderboard name is about: ``"Urban100 - 4x upscaling"``
    -> ``"Urban100"``, ``"CIFAR-10, 4000 Labels"`` -> ``"CIFAR-10"``,
    ``"COCO test-dev"`` -> ``"COCO"``, ``"WN18 (filtered)"`` -> ``"WN18"``."""
    name = name.split(" - ")[0].strip()
    if ", " in name:
        head, tail = name.split(", ", 1)
        if not re.match(r"\d|.*\b(?:labels?|samples|proposals)\b", tail, re.I):
            return ""
        name = head
    changed = True
    while changed:
        changed = False
        for rx in [*_TRAILING, None]:
            new = (_strip_capitalised_split(name) if rx is None else rx.sub("", name)).strip()
            if new and new != name:
                name, changed = new, True
    return name


def strip_language_pair(name: str) -> str | None:
    """``"WMT2014 English-German"`` -> ``"WMT2014"``; None if no language
    suffix."""
    for rx in (_LANG_PAIR, _LANG_ONE):
        match = rx.search(name)
        if match and match.start() > 0:
            head = name[: match.start()].strip()
            if rx is _LANG_PAIR or _CODEY.search(head):
                return head
    return None


_CODES = {code: lang for lang, code in LANGUAGES.items()}
_CODE_PAIR = re.compile(r"\b([A-Za-z]{2})-([A-Za-z]{2})$")


def expand_language_codes(name: str) -> str | None:
    """``"WMT 2014 EN-DE"`` -> ``"WMT 2014 English-German"`` (None if the
    name does not end in a pair of language codes)."""
    m = _CODE_PAIR.search(name)
    if not m:
        return None
    a, b = m.group(1).lower(), m.group(2).lower()
    if a in _CODES and b in _CODES and a != b:
        return name[: m.start()] + f"{_CODES[a]}-{_CODES[b]}"
    return None


def language_pair_variants(name: str) -> list[str]:
    """``"WMT2014 English-German"`` -> ``"WMT2014 En-De"``, ``"WMT2014
    English-to-German"`` ... (empty when the name has no language pair)."""
    match = _LANG_PAIR.search(name)
    if not match:
        return []
    head = name[: match.start()]
    a, b = match.group(1), match.group(2)
    ca, cb = LANGUAGES[a].capitalize(), LANGUAGES[b].capitalize()
    return [f"{head} {a}-{b}", f"{head} {a}-to-{b}", f"{head} {a} to {b}", f"{head} {ca}-{cb}"]


def strip_metric_qualifiers(name: str) -> str:
    """``"Accuracy (%)"`` -> ``"Accuracy"``, ``"% Test Accuracy"`` ->
    ``"Test Accuracy"``, ``"Top-1 accuracy %"`` -> ``"Top-1 accuracy"``."""
    name = re.sub(r"^%\s*", "", name)
    name = re.sub(r"\s*%$", "", name)
    name = re.sub(r"\s+(?:private|public|filtered|raw|stdev)$", "", name, flags=re.I)
    return name.strip()


# --- surface variants ----------------------------------------------------------

_SEP = re.compile(r"(\s+|-)")
_YEAR = re.compile(r"^([A-Za-z][A-Za-z]*?)[\s\-]?((?:19|20)\d\d)\b(.*)$")
_VERSION_V = re.compile(r"^(.*?[A-Za-z0-9])[\s\-]?[vV](\d+(?:\.\d+)?)$")
_VERSION_NUM = re.compile(r"^(.*?[A-Za-z])[\s\-]?(\d+(?:\.\d+)?)$")


def _joinable(left: str, right: str) -> bool:
    """May the separator between two parts be dropped ("CIFAR-10" ->
    "CIFAR10", "MS COCO" -> "MSCOCO", "Llama 2" -> "Llama2")?"""
    if not left or not right:
        return False
    if left[-1].isalpha() and right[0].isdigit():
        return True
    if left.isupper() and right.isupper() and left.isalpha() and right.isalpha():
        return len(left) <= 5 and len(right) <= 5 and max(len(left), len(right)) >= 3
    return bool(re.fullmatch(r"[vV]\d+(?:\.\d+)*", right))


def separator_variants(name: str, limit: int = 24) -> list[str]:
    """Hyphen / space / no-space variants at word boundaries."""
    parts = _SEP.split(name)
    if len(parts) == 1:
        return [name]
    words, seps = parts[0::2], parts[1::2]
    seps = [" " if s.isspace() else s for s in seps]
    joinable = [_joinable(words[i], words[i + 1]) for i in range(len(seps))]
    # Plain hyphens ("Part-Of-Speech") become spaces all together; separators
    # at joinable boundaries ("CIFAR-10", "MS COCO") vary one by one.
    flips = [False, True] if any(s == "-" and not j for s, j in zip(seps, joinable)) else [False]
    options = [[s, "-" if s == " " else " ", ""] if j else [s] for s, j in zip(seps, joinable)]
    if sum(len(o) > 1 for o in options) > 4:  # too many: vary all together
        options = [[o[0]] for o in options]
    out: list[str] = []
    for flip in flips:
        for combo in itertools.product(*options):
            combo = [" " if flip and s == "-" and not j else s for s, j in zip(combo, joinable)]
            text = words[0] + "".join(s + w for s, w in zip(combo, words[1:]))
            if text not in out:
                out.append(text)
            if len(out) >= limit:
                return out
    return out


def version_variants(name: str) -> list[str]:
    """``"wav2vec 2.0"`` -> ``"wav2vec 2"``; ``"SQuAD v1.1"`` <-> ``"SQuAD1.1"``;
    ``"ScanNetV2"`` -> ``"ScanNet v2"``."""
    out: list[str] = []
    m = _VERSION_V.match(name)
    if m:
        head, num = m.groups()
        out += [f"{head} v{num}", f"{head}v{num}", f"{head} V{num}", f"{head}V{num}", f"{head} {num}"]
    m = None if out else _VERSION_NUM.match(name)
    if m and "." in m.group(2) and not re.search(r"-\d", name):
        head, num = m.groups()
        out += [f"{head} v{num}", f"{head}v{num}"]
    if re.search(r"\d\.0$", name):
        out.append(name[:-2])
        out.append(re.sub(r"\s+(\d+)\.0$", r"\1", name))
    return [v for v in dict.fromkeys(out) if v != name]


def year_variants(name: str) -> list[str]:
    """``"WMT2014"`` -> ``"WMT 2014"``, ``"WMT14"``, ``"WMT'14"``, ``"WMT-2014"``."""
    m = _YEAR.match(name)
    if not m:
        return []
    head, year, rest = m.groups()
    if len(head) < 2:
        return []
    yy = year[2:]
    forms = [f"{head}{year}", f"{head} {year}", f"{head}-{year}", f"{head}{yy}", f"{head}'{yy}", f"{head}’{yy}"]
    return [f + rest for f in forms if f + rest != name]


def name_variants(name: str, *, years: bool = False, languages: bool = False) -> list[str]:
    """All surface variants of one name, the name itself first, the rest sorted.

    Hyphen/space/no-space at letter-digit and acronym boundaries, hyphens as
    spaces, version forms (".0", "v1.1"), optionally year forms ("WMT2014" ->
    "WMT'14") and language-pair forms ("English-German" -> "En-De").
    """
    name = clean_name(name)
    seeds = [name, *version_variants(name)]
    if years:
        seeds += [v for s in list(seeds) for v in year_variants(s)]
    if languages:
        seeds += [v for s in list(seeds) for v in language_pair_variants(s)]
    out: set[str] = set()
    for seed in seeds:
        out.update(separator_variants(seed))
    out.discard(name)
    return [name, *sorted(out)]
