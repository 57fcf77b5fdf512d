"""Build the gazetteers of canonical names.

    python -m extractors.gazetteers.build --pwc ../shared/datasets/pwc-names --out extractors/data

Reads the Papers-with-Code derived name lists (``resultsAnnotation.tsv``:
``paper \\t Task#Dataset#Metric#Score$...``; ``datasetAnnotation.tsv`` and
``taskAnnotation.tsv``: ``paper \\t Name#Name...``), the hand-maintained
``curated.jsonl`` (dataset/task/metric names and alias groups) and
``methods.jsonl`` (model and method families), and writes, sorted and
deterministic:

* ``gazetteer.jsonl`` - SpanRuler patterns ``{"label", "pattern", "id"}``;
  a string pattern matches exact text (the ruler's default ORTH phrase
  matching); a token pattern uses ``LOWER`` (case-insensitive), ``ORTH`` for
  short acronyms inside otherwise case-insensitive names ("3D object
  detection"), or ``TEXT``/``LOWER`` ``REGEX`` on one token for size- and
  depth-suffixed model names ("Mistral-7B", "ResNet-50").
* ``gazetteer_ambiguous.jsonl`` - case-sensitive string patterns for names that
  are also ordinary words or short acronyms (``{"label", "pattern", "id",
  "ambiguous": true, "reason"}``), for context rules only.
* ``gazetteer_names.jsonl`` - one line per canonical name: ``{"label", "id",
  "key", "aliases", "ambiguous_aliases", "ambiguous", "source", "papers"}``.
* ``metrics.json`` - ``{canonical metric: {"direction", "aliases",
  "ambiguous_aliases", "key"}}``.

``aliases`` are forms the main gazetteer matches (safe to match anywhere);
``ambiguous_aliases`` are forms it does not (ordinary words, short acronyms,
leaderboard spellings): fine for lookups, not for matching. When the id itself
is such a form ("Codex", "Whisper") it is listed there too.

Hand-maintained inputs: ``curated.jsonl`` lines ``{"label", "id", "aliases",
optional "ambiguous_aliases", "ambiguous", "lower", "direction"}`` and
``methods.jsonl`` lines ``{"id", "aliases", optional "ambiguous_aliases",
"ambiguous", "lower", "numbered"}``. A curated id absorbs every
Papers-with-Code name with the same entity key, and its aliases join it.

Which lowercase words count as ordinary English comes from word counts over a
text corpus (``--corpus``, default the SciTLDR abstracts next to the name
lists) plus spaCy's stop words and a hand list; the corpus is read only here,
never at run time.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from spacy.lang.en.stop_words import STOP_WORDS

from kg.schema import DATASET, METHOD, METRIC, TASK, entity_key

from . import curated as C
from .variants import (
    clean_name,
    expand_language_codes,
    name_variants,
    split_parenthetical,
    strip_dataset_qualifiers,
    strip_language_pair,
    strip_metric_qualifiers,
    year_variants,
)

_NAME_WORDS = re.compile(r"\b(?:Dataset|Corpus|Benchmark|Challenge|Treebank|Database|DB|Bank)\b")

LABEL_PRIORITY = {METHOD: 4, DATASET: 3, METRIC: 2, TASK: 1}
EXACT, LOWER = "exact", "lower"
OK, AMBIGUOUS, DROP = "ok", "ambiguous", "drop"

_SIZE_SUFFIX = r"-(?:\d+x)?\d+(?:\.\d+)?[BbMmKk]"  # "-7B", "-1.3B", "-8x7B", "-340M"
_DEPTH_SUFFIX = r"-?\d+[a-z]?"  # "ResNet-50", "VGG16"


# --- reading -------------------------------------------------------------------


def read_pwc(pwc_dir: Path) -> dict[str, dict[str, set[str]]]:
    """label -> raw name -> set of papers mentioning it."""
    names: dict[str, dict[str, set[str]]] = {label: collections.defaultdict(set) for label in (DATASET, TASK, METRIC)}
    with open(pwc_dir / "resultsAnnotation.tsv", encoding="utf-8") as fh:
        for line in fh:
            if "\t" not in line:
                continue
            paper, rest = line.rstrip("\n").split("\t", 1)
            for record in rest.split("$"):
                parts = record.split("#")
                if len(parts) < 4:
                    continue
                task, dataset, metric = parts[0], parts[1], "#".join(parts[2:-1])
                names[TASK][task].add(paper)
                names[DATASET][dataset].add(paper)
                names[METRIC][metric].add(paper)
    for label, filename in ((DATASET, "datasetAnnotation.tsv"), (TASK, "taskAnnotation.tsv")):
        path = pwc_dir / filename
        if not path.exists():
            continue
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if "\t" not in line:
                    continue
                paper, rest = line.rstrip("\n").split("\t", 1)
                for name in rest.split("#"):
                    names[label][name].add(paper)
    return names


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def common_words(corpus_dir: Path | None, nlp) -> tuple[set[str], set[str]]:
    """(words seen in lowercase at least once, words seen in lowercase at least
    three times) over the corpus, both with spaCy stop words and the hand list."""
    counts: collections.Counter[str] = collections.Counter()
    if corpus_dir and corpus_dir.is_dir():
        for path in sorted(corpus_dir.glob("*.jsonl")):
            with open(path, encoding="utf-8") as fh:
                for line in fh:
                    doc = json.loads(line)
                    text = " ".join(doc.get("source") or []) + " " + (doc.get("title") or "")
                    for tok in nlp.make_doc(text):
                        if tok.is_alpha and tok.text.islower():
                            counts[tok.text] += 1
    else:
        print(f"warning: no word-frequency corpus at {corpus_dir}; using stop words only", file=sys.stderr)
    base = set(STOP_WORDS) | C.EXTRA_COMMON
    return base | set(counts), base | {w for w, n in counts.items() if n >= 3}


# --- grouping --------------------------------------------------------------------


@dataclass
class Group:
    label: str
    displays: collections.Counter = field(default_factory=collections.Counter)
    papers: set = field(default_factory=set)
    acronyms: set = field(default_factory=set)
    aliases: set = field(default_factory=set)  # curated aliases
    ambiguous_aliases: set = field(default_factory=set)
    entry: dict | None = None  # curated entry

    @property
    def curated(self) -> bool:
        return self.entry is not None


class UnionFind:
    def __init__(self) -> None:
        self.parent: dict = {}

    def find(self, x):
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def parse_pwc_name(label: str, raw: str) -> list[tuple[str, str | None]]:
    """(base name, acronym) pairs a raw Papers-with-Code name contributes."""
    name = clean_name(raw)
    if not name:
        return []
    if label == DATASET:
        if name in C.DATASET_DENY or C.DATASET_DENY_RE.search(name):
            return []
        main, acronym, _ = split_parenthetical(name)
        if len(main.split()) > 7:
            return []
        base = strip_dataset_qualifiers(main)
        if not base or base in C.DATASET_DENY:
            return []
        out = [(base, acronym)]
        parent = strip_language_pair(base)
        if parent and parent not in C.DATASET_DENY:
            out.append((parent, None))
        return out
    if label == METRIC:
        if name in C.METRIC_DENY:
            return []
        main, acronym, _ = split_parenthetical(name)
        base = strip_metric_qualifiers(main)
        if not base or base in C.METRIC_DENY:
            return []
        return [(base, acronym)]
    main, acronym, _ = split_parenthetical(name)
    if not main or main in C.TASK_DENY or name in C.TASK_DENY:
        return []
    return [(main, acronym)]


def build_groups(pwc: dict[str, dict[str, set[str]]], entries: list[dict]) -> list[Group]:
    uf = UnionFind()
    node_displays: dict[tuple, collections.Counter] = collections.defaultdict(collections.Counter)
    node_papers: dict[tuple, set] = collections.defaultdict(set)
    node_acronyms: dict[tuple, set] = collections.defaultdict(set)
    node_entry: dict[tuple, dict] = {}

    for label, names in pwc.items():
        for raw in sorted(names):
            for base, acronym in parse_pwc_name(label, raw):
                key = entity_key(base)
                if not key:
                    continue
                node = (label, key)
                uf.find(node)
                node_displays[node][base] += len(names[raw])
                node_papers[node] |= names[raw]
                if acronym:
                    node_acronyms[node].add(acronym)

    # "THUMOS'14" and "THUMOS 2014" are one benchmark
    for node in list(uf.parent):
        label, _ = node
        if label != DATASET:
            continue
        for display in node_displays[node]:
            expanded = expand_language_codes(display)
            forms = [display, expanded] if expanded else [display]
            for variant in [v for f in forms for v in [f, *year_variants(f)]]:
                other = (label, entity_key(variant))
                if other in uf.parent and other != node:
                    uf.union(node, other)

    for entry in entries:
        label = entry["label"]
        node = (label, entity_key(entry["id"]))
        if node in node_entry:
            raise ValueError(f"two curated entries for {node}: {entry['id']!r}")
        uf.find(node)
        node_entry[node] = entry
        for alias in [*entry.get("aliases", []), *entry.get("ambiguous_aliases", [])]:
            uf.union(node, (label, entity_key(alias)))

    # an acronym joins nothing: drop it where it names another group
    acronym_owner: dict[tuple, set] = collections.defaultdict(set)
    for node, acrs in node_acronyms.items():
        for acr in acrs:
            acronym_owner[(node[0], entity_key(acr))].add(uf.find(node))
    all_keys = {k for (_, k) in uf.parent}

    groups: dict[tuple, Group] = {}
    for node in sorted(uf.parent):
        root = uf.find(node)
        group = groups.setdefault(root, Group(label=node[0]))
        group.displays.update(node_displays.get(node, {}))
        group.papers |= node_papers.get(node, set())
        if node in node_entry:
            if group.entry is not None:
                raise ValueError(f"curated entries {group.entry['id']!r} and {node_entry[node]['id']!r} overlap")
            group.entry = node_entry[node]
        for acr in node_acronyms.get(node, ()):
            akey = entity_key(acr)
            owners = acronym_owner[(node[0], akey)]
            other = uf.find((node[0], akey)) if (node[0], akey) in uf.parent else root
            if len(owners) == 1 and other == root and (akey not in all_keys or (node[0], akey) in uf.parent):
                group.acronyms.add(acr)
    for group in groups.values():
        if group.entry:
            group.aliases = set(group.entry.get("aliases", [])) | {group.entry["id"]}
            group.ambiguous_aliases = set(group.entry.get("ambiguous_aliases", []))
    return sorted(groups.values(), key=lambda g: (g.label, canonical_id(g)))


def canonical_id(group: Group) -> str:
    if group.entry:
        return group.entry["id"]
    if group.acronyms and group.label in (DATASET, METRIC):
        return sorted(group.acronyms)[0]
    return sorted(group.displays.items(), key=lambda kv: (-kv[1], -sum(c.isupper() for c in kv[0]), len(kv[0]), kv[0]))[0][0]


# --- classification ------------------------------------------------------------------


def _critical(tok: str) -> bool:
    """A short token whose case carries meaning: ``AP``, ``mAP``, ``T5``, ``BERT``."""
    if len(tok) > 4 or not any(c.isalpha() for c in tok):
        return False
    upper = sum(c.isupper() for c in tok)
    return upper >= 2 or (upper == 1 and (not tok[0].isupper() or any(c.isdigit() for c in tok)))


def _distinctive(tok: str) -> bool:
    """A token no ordinary word spells: ``ImageNet``, ``CIFAR-10``, ``wav2vec``."""
    if re.search(r"[a-z][A-Z]", tok):
        return True
    return len(tok) >= 3 and bool(re.search(r"[A-Za-z]", tok)) and bool(re.search(r"\d", tok))


def classify(
    surface: str,
    tokens: list[str],
    label: str,
    *,
    curated: bool,
    forced_ambiguous: bool,
    lower_opt: bool | None,
    common_any: set[str],
    common_freq: set[str],
) -> tuple[str, str, str]:
    """(status, mode, reason) for one surface form."""
    letters = sum(c.isalpha() for c in surface)
    if letters == 0 or len(surface.replace(" ", "")) < 2:
        return DROP, EXACT, "no letters / one character"
    if forced_ambiguous:
        return AMBIGUOUS, EXACT, "curated as ambiguous"
    status, reason = OK, ""
    if not curated:
        alpha = [t for t in tokens if any(c.isalpha() for c in t)]
        if len(tokens) == 1:
            tok = tokens[0]
            if len(tok) <= 2 and label != DATASET:
                return DROP, EXACT, "two characters"
            if tok.isalpha() and tok.islower():
                if label == TASK and tok in C.TASK_SINGLE_OK:
                    pass
                elif tok in common_any:
                    return DROP, EXACT, "lowercase English word"
            elif tok.isalpha() and tok[0].isupper() and tok[1:].islower():
                if label == TASK:
                    if tok.lower() not in C.TASK_SINGLE_OK:
                        status, reason = AMBIGUOUS, "one-word task"
                elif tok.lower() in common_any or tok in C.PLATFORMS:
                    status, reason = AMBIGUOUS, "capitalised English word or platform"
                elif label == METRIC:
                    status, reason = AMBIGUOUS, "one-word metric"
            elif tok.isalpha() and tok.isupper():
                if len(tok) <= 3:
                    status, reason = AMBIGUOUS, "short acronym"
                elif tok.lower() in common_any:
                    status, reason = AMBIGUOUS, "acronym spelling an English word"
            elif tok in C.PLATFORMS:
                status, reason = AMBIGUOUS, "platform"
            elif len(tok) <= 2:
                status, reason = AMBIGUOUS, "two characters"
        elif label != TASK:
            plain = [t for t in alpha if t.isalpha() and (t.islower() or (t[0].isupper() and t[1:].islower()))]
            content = [t for t in plain if t.lower() not in STOP_WORDS]
            if (
                alpha
                and len(plain) == len(alpha)
                and not any(c.isdigit() for c in surface)
                and all(t.lower() in common_freq for t in plain)
                and not _NAME_WORDS.search(surface)
            ):
                if all(t.islower() for t in alpha):
                    return DROP, EXACT, "lowercase English phrase"
                if len(content) <= 2:
                    status, reason = AMBIGUOUS, "English phrase"
        if status == AMBIGUOUS and label == METRIC:
            return DROP, EXACT, reason
    if status == AMBIGUOUS:
        return status, EXACT, reason
    # matching mode
    if label == TASK:
        return status, LOWER, reason
    if lower_opt is not None:
        return status, (LOWER if lower_opt else EXACT), reason
    if any(_critical(t) for t in tokens):
        return status, EXACT, reason
    if label == METRIC and curated:  # "perplexity", "top-1 accuracy"; "METEOR" stays exact
        return status, (LOWER if any(c.islower() for c in surface) else EXACT), reason
    if any(_distinctive(t) for t in tokens) and not any(t.lower() in common_any for t in tokens if t.isalpha()):
        return status, LOWER, reason
    return status, EXACT, reason


# --- patterns --------------------------------------------------------------------------


def self_consistent(tokens: list[str], nlp) -> bool:
    """Does the tokenizer reproduce this token sequence (so it can match)?"""
    return [t.lower_ for t in nlp.make_doc(" ".join(tokens))] == [t.lower() for t in tokens]


def group_surfaces(group: Group) -> list[tuple[str, bool]]:
    """(surface, forced ambiguous) for every name form the group is known by."""
    out: dict[str, bool] = {}
    entry = group.entry or {}
    for s in sorted(group.displays) + sorted(group.acronyms) + sorted(group.aliases):
        out.setdefault(clean_name(s), bool(entry.get("ambiguous")))
    for s in sorted(group.ambiguous_aliases):
        out[clean_name(s)] = True
    return sorted(out.items())


def build_patterns(groups: list[Group], nlp, common_any: set[str], common_freq: set[str]):
    matched: dict[tuple, list] = collections.defaultdict(list)  # lowercase tokens -> [(rank, label, id, pattern)]
    ambiguous: dict[tuple, list] = collections.defaultdict(list)
    regex_patterns: list[dict] = []
    dropped: collections.Counter = collections.Counter()
    for group in groups:
        gid = canonical_id(group)
        entry = group.entry or {}
        rank = (1 if group.curated else 0, LABEL_PRIORITY[group.label], len(group.papers), gid)
        for surface, forced in group_surfaces(group):
            variants = name_variants(surface, years=group.label == DATASET, languages=group.label == DATASET)
            for variant in variants:
                tokens = [t.text for t in nlp.make_doc(variant)]
                if not tokens:
                    continue
                status, mode, reason = classify(
                    variant, tokens, group.label,
                    curated=group.curated, forced_ambiguous=forced, lower_opt=entry.get("lower"),
                    common_any=common_any, common_freq=common_freq,
                )
                if status == DROP:
                    dropped[reason] += 1
                    continue
                key = tuple(t.lower() for t in tokens)
                if status == AMBIGUOUS:
                    ambiguous[key].append((rank, group.label, gid, variant, reason))
                    continue
                if mode == LOWER and all(_critical(t) for t in tokens):
                    mode = EXACT  # "NER", "3D": nothing to lowercase
                if mode == EXACT:
                    matched[key].append((rank, group.label, gid, variant))
                elif any(_critical(t) for t in tokens):
                    # "3D object detection", "CTR prediction": short acronyms keep their case
                    pattern = [{"ORTH": t} if _critical(t) else {"LOWER": t.lower()} for t in tokens]
                    matched[key].append((rank, group.label, gid, pattern))
                else:
                    seqs = {tuple(t.lower() for t in tokens), tuple(t.lower_ for t in nlp.make_doc(variant.lower()))}
                    for seq in sorted(seqs):
                        matched[seq].append((rank, group.label, gid, [{"LOWER": t} for t in seq]))
                if group.label == METHOD and status == OK:
                    regex_patterns.extend(method_regex_patterns(tokens, mode, group.label, gid, bool(entry.get("numbered"))))
    return matched, ambiguous, regex_patterns, dropped


def method_regex_patterns(tokens: list[str], mode: str, label: str, gid: str, numbered: bool) -> list[dict]:
    """Patterns for size- or depth-suffixed forms that the tokenizer keeps in
    one token: ``Mistral-7B``, ``LLaMA-13B``, ``ResNet-50``, ``VGG16``."""
    last = tokens[-1]
    if not re.search(r"[A-Za-z0-9]$", last):
        return []
    if len(tokens) > 1 and not (_critical(last) or _distinctive(last) or any(c.isdigit() for c in last)):
        return []  # "Llama 2-Chat": no size suffix on "Chat"
    attr = "TEXT" if mode == EXACT else "LOWER"
    stem = last if mode == EXACT else last.lower()
    suffixes = [_SIZE_SUFFIX] + ([_DEPTH_SUFFIX] if numbered else [])
    regex = "^" + re.escape(stem) + "(?:" + "|".join(suffixes) + ")$"
    head = [{"ORTH": t} if mode == EXACT else {"LOWER": t.lower()} for t in tokens[:-1]]
    return [{"label": label, "pattern": head + [{attr: {"REGEX": regex}}], "id": gid}]


def resolve(matched, ambiguous, nlp):
    """One (label, id) per token sequence: curated names first, then label
    priority, then the number of papers."""
    records: list[dict] = []
    conflicts: list[str] = []
    taken_lower: set[tuple] = set()  # token sequences matched case-insensitively
    taken_exact: set[str] = set()  # texts matched exactly
    for key, all_cands in matched.items():
        # exact patterns differing in case ("FiD" / "FID") do not collide;
        # a case-insensitive pattern collides with every spelling
        if any(isinstance(c[3], list) for c in all_cands):
            buckets = [all_cands]
        else:
            by_text: dict[str, list] = collections.defaultdict(list)
            for c in all_cands:
                by_text[" ".join(t.text for t in nlp.make_doc(c[3]))].append(c)
            buckets = list(by_text.values())
        for cands in buckets:
            best = max(cands, key=lambda c: c[0])
            owners = {(c[1], c[2]) for c in cands}
            curated_owners = {(c[1], c[2]) for c in cands if c[0][0] == 1}
            if len(curated_owners) > 1:
                raise ValueError(f"curated names collide on {' '.join(key)!r}: {sorted(curated_owners)}")
            if len(owners) > 1:
                conflicts.append(f"{' '.join(key)!r}: {best[1]}/{best[2]} over {sorted(owners - {(best[1], best[2])})}")
            for c in cands:
                if isinstance(c[3], list):
                    taken_lower.add(key)
                else:
                    taken_exact.add(c[3])
            for c in cands:
                if (c[1], c[2]) == (best[1], best[2]):
                    pattern = c[3]
                    if isinstance(pattern, list) and not self_consistent([next(iter(p.values())) for p in pattern], nlp):
                        continue
                    records.append({"label": c[1], "pattern": pattern, "id": c[2]})
    amb_records: list[dict] = []
    for key, all_cands in ambiguous.items():
        if key in taken_lower:
            continue
        cands = [c for c in all_cands if c[3] not in taken_exact]
        if not cands:
            continue
        by_label: dict[str, tuple] = {}
        for c in sorted(cands, key=lambda c: c[0], reverse=True):
            by_label.setdefault(c[1], c)
        for label, c in by_label.items():
            for cc in cands:
                if (cc[1], cc[2]) == (c[1], c[2]):
                    amb_records.append({"label": cc[1], "pattern": cc[3], "id": cc[2], "ambiguous": True, "reason": cc[4]})
    return dedupe(records), dedupe(amb_records), conflicts


#: Benchmark suites whose members Papers with Code names "<suite> <member>" ("Atari 2600
#: Montezuma's Revenge"), while papers write the member alone ("on Montezuma's Revenge").
SUITE_PREFIXES = ("Atari 2600 ",)


def suite_member_aliases(datasets, common_any: set[str]) -> list[dict]:
    """Curated alias entries giving each suite member its own name as an alias, unless that name
    is one ordinary English word ("Boxing", "Tennis"), which would match everywhere."""
    out = []
    for name in sorted(datasets):
        for prefix in SUITE_PREFIXES:
            member = name[len(prefix):].strip()
            if not name.startswith(prefix) or len(member) < 3:
                continue
            words = member.split()
            if len(words) == 1 and member.isalpha() and member.lower() in common_any:
                continue
            out.append({"label": DATASET, "id": name, "aliases": [member]})
    return out


def dedupe(records: list[dict]) -> list[dict]:
    seen: dict[str, dict] = {}
    for r in records:
        seen.setdefault(json.dumps(r, sort_keys=True, ensure_ascii=False), r)
    return [seen[k] for k in sorted(seen, key=lambda k: (seen[k]["label"], seen[k]["id"], json.dumps(seen[k]["pattern"], ensure_ascii=False)))]


# --- main ------------------------------------------------------------------------------


def build(pwc_dir: Path, out_dir: Path, corpus_dir: Path | None) -> dict:
    import spacy

    nlp = spacy.blank("en")
    data_dir = Path(__file__).resolve().parent.parent / "data"
    entries = read_jsonl(data_dir / "curated.jsonl")
    entries += [{**e, "label": METHOD} for e in read_jsonl(data_dir / "methods.jsonl")]
    pwc = read_pwc(pwc_dir)
    common_any, common_freq = common_words(corpus_dir, nlp)

    entries += suite_member_aliases(pwc[DATASET], common_any)
    groups = build_groups(pwc, entries)
    matched, ambiguous, regex_patterns, dropped = build_patterns(groups, nlp, common_any, common_freq)
    records, amb_records, conflicts = resolve(matched, ambiguous, nlp)
    records = dedupe(records + regex_patterns)

    matched_ids = {(r["label"], r["id"]) for r in records}
    amb_ids = {(r["label"], r["id"]) for r in amb_records}
    # which surface forms the main gazetteer matches (exactly or ignoring case)
    exact_forms: set[tuple] = set()
    lower_forms: set[tuple] = set()
    for r in records:
        if isinstance(r["pattern"], str):
            exact_forms.add((r["label"], r["id"], r["pattern"]))
        elif all(isinstance(v, str) for tok in r["pattern"] for v in tok.values()):
            lower_forms.add((r["label"], r["id"], tuple(str(v).lower() for tok in r["pattern"] for v in tok.values())))

    def matchable(label: str, gid: str, surface: str) -> bool:
        seq = tuple(t.lower_ for t in nlp.make_doc(surface))
        return (label, gid, surface) in exact_forms or (label, gid, seq) in lower_forms

    names = []
    metrics = {}
    for group in groups:
        gid = canonical_id(group)
        if (group.label, gid) not in matched_ids | amb_ids:
            continue
        surfaces = sorted({s for s, _ in group_surfaces(group)} - {gid})
        aliases = [a for a in surfaces if matchable(group.label, gid, a)]
        unsafe = [a for a in surfaces if a not in aliases]
        if not matchable(group.label, gid, gid):  # the id itself is an ordinary word ("Codex")
            unsafe = sorted([gid, *unsafe])
        source = "pwc+curated" if group.curated and group.displays else ("curated" if group.curated else "pwc")
        names.append({
            "label": group.label, "id": gid, "key": entity_key(gid), "aliases": aliases, "ambiguous_aliases": unsafe,
            "ambiguous": (group.label, gid) not in matched_ids, "source": source, "papers": len(group.papers),
        })
        if group.label == METRIC:
            entry = group.entry or {}
            direction = entry.get("direction") or C.guess_direction(gid if entry else " ".join([gid, *surfaces]))
            metrics[gid] = {"direction": direction, "aliases": aliases, "ambiguous_aliases": unsafe, "key": entity_key(gid)}

    out_dir.mkdir(parents=True, exist_ok=True)
    write_jsonl(out_dir / "gazetteer.jsonl", records)
    write_jsonl(out_dir / "gazetteer_ambiguous.jsonl", amb_records)
    write_jsonl(out_dir / "gazetteer_names.jsonl", sorted(names, key=lambda n: (n["label"], n["id"])))
    with open(out_dir / "metrics.json", "w", encoding="utf-8") as fh:
        json.dump(dict(sorted(metrics.items())), fh, ensure_ascii=False, indent=1, sort_keys=True)
        fh.write("\n")

    stats = {
        "patterns": dict(sorted(collections.Counter(r["label"] for r in records).items())),
        "ambiguous_patterns": dict(sorted(collections.Counter(r["label"] for r in amb_records).items())),
        "names": dict(sorted(collections.Counter(n["label"] for n in names if not n["ambiguous"]).items())),
        "ambiguous_names": dict(sorted(collections.Counter(n["label"] for n in names if n["ambiguous"]).items())),
        "metrics_lower_is_better": sum(m["direction"] == "lower" for m in metrics.values()),
        "conflicts": len(conflicts),
        "dropped_surfaces": dict(dropped),
    }
    return {"stats": stats, "conflicts": conflicts}


def write_jsonl(path: Path, rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pwc", type=Path, required=True, help="folder with the pwc-names TSV files")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "data")
    parser.add_argument("--corpus", type=Path, default=None,
                        help="folder of *.jsonl abstracts for English word counts (default: <pwc>/../scitldr)")
    parser.add_argument("--show-conflicts", action="store_true")
    args = parser.parse_args(argv)
    corpus = args.corpus if args.corpus is not None else args.pwc.parent / "scitldr"
    result = build(args.pwc, args.out, corpus)
    print(json.dumps(result["stats"], indent=1))
    if args.show_conflicts:
        print("\n".join(result["conflicts"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
