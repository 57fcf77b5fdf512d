"""Read papers (title + abstract) from files, robustly.

Input comes from scraped listings, dataset dumps and API responses, so every
reader assumes a file may be empty, binary, mis-encoded, truncated, huge or
hostile. A bad record is reported as a :class:`Problem` (file, line, message)
and skipped, and the rest of the file is still read; with ``strict=True`` the
first error raises :class:`IngestError` instead. Warnings (text truncated, file
not UTF-8, nothing found) never stop a read.

Formats, chosen per file by extension and then by content (``format=``
overrides):

``listing``  plain text: header chrome, then title line / blank / abstract paragraph / blank ...
``jsonl``    one JSON object per line: ``title``, ``abstract`` (or ``summary``), optional ``id``, ``url``, ``year``
``csv``      a header row naming ``title`` and ``abstract`` columns (``.tsv``: tab-separated)
``arxiv``    arXiv API Atom XML; DTDs and entity declarations are refused
``scitldr``  SciTLDR JSONL: ``source`` is the list of abstract sentences

Any file may be gzip-compressed. Everything streams: memory is bounded by the
largest record (and the set of ids seen, for de-duplication), never by the file.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import hashlib
import html
import io
import itertools
import json
import re
import unicodedata
import zlib
from contextlib import closing
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from xml.parsers import expat

FORMATS = ("listing", "jsonl", "csv", "arxiv", "scitldr")

#: Longer abstracts are cut (at a word boundary) with a warning: no real
#: abstract comes near this, and the extractor's cost grows with length.
MAX_ABSTRACT_CHARS = 100_000
MAX_TITLE_CHARS = 2_000
MAX_ID_CHARS = 256
MAX_URL_CHARS = 2_048
#: A longer physical line is reported and skipped without ever being held whole.
MAX_LINE_BYTES = 64 * 2**20
#: Problems kept in a report; beyond this they are only counted.
MAX_PROBLEMS = 1_000
#: A listing block this long (or a sentence of 20+ words) is an abstract, not a title.
PARAGRAPH_MIN_CHARS = 200

_CHUNK = 64 * 1024
_EXTENSIONS = {
    ".txt": "listing", ".text": "listing", ".md": "listing",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
    ".csv": "csv", ".tsv": "csv",
    ".xml": "arxiv", ".atom": "arxiv",
}


# --- what a reader produces -------------------------------------------------


@dataclass(frozen=True)
class Paper:
    id: str
    title: str
    abstract: str
    source: str  # the file path (or "<paste>") it came from
    url: str | None = None
    year: int | None = None

    def content_hash(self) -> str:
        """sha256 of the normalised title and abstract: same text, same hash, so
        an incremental build can skip papers it has already extracted."""
        text = _fold(self.title) + "\n" + _fold(self.abstract)
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class Problem:
    """Something wrong in an input. ``error``: a record or file was skipped;
    ``warning``: it was read, but altered (truncated, re-decoded) or empty."""

    path: str
    line: int | None
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        note = "warning: " if self.severity == "warning" else ""
        return _one_line(f"{where}: {note}{self.message}")


class IngestError(Exception):
    """The first error of a strict read; ``str()`` is ``path:line: message``.
    Other modules may raise it with a ready-made one-line message instead."""

    def __init__(self, problem: Problem | str):
        super().__init__(str(problem) if isinstance(problem, Problem) else _one_line(problem))
        self.problem = problem if isinstance(problem, Problem) else None


@dataclass
class IngestReport:
    """Counts and problems of one or more reads (pass the same report to several).

    ``bool(report)`` is ``report.ok``: true when no errors (warnings allowed).
    """

    read: int = 0  # papers yielded
    skipped: int = 0  # bad records skipped
    duplicates: int = 0  # papers skipped because their id was already read
    files: int = 0
    errors: int = 0
    warnings: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.errors == 0

    def __bool__(self) -> bool:
        return self.ok

    def add(self, problem: Problem) -> None:
        if problem.severity == "warning":
            self.warnings += 1
        else:
            self.errors += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)

    def summary(self) -> str:
        def n(count: int, word: str) -> str:
            return f"{count} {word}{'' if count == 1 else 's'}"

        return (
            f"read {n(self.read, 'paper')} from {n(self.files, 'file')}; "
            f"skipped {n(self.skipped, 'bad record')} and {n(self.duplicates, 'duplicate')}; "
            f"{n(self.errors, 'error')}, {n(self.warnings, 'warning')}"
        )


# --- public entry points ----------------------------------------------------


def read_papers(
    paths: Iterable[str | Path] | str | Path,
    format: str | None = None,
    strict: bool = False,
    report: IngestReport | None = None,
) -> Iterator[Paper]:
    """Stream the papers of ``paths`` (files, or directories searched for known
    extensions), skipping papers whose id was already read. Problems go to
    ``report``; with ``strict`` the first error raises :class:`IngestError`.
    An unknown ``format`` raises ValueError at once, not on first iteration."""
    _check_format(format)
    report = IngestReport() if report is None else report
    if isinstance(paths, (str, Path)):
        paths = [paths]
    return _read_paths(paths, format, strict, report)


def _read_paths(paths: Iterable[str | Path], format: str | None, strict: bool, report: IngestReport) -> Iterator[Paper]:
    seen: set[str] = set()
    for path in paths:
        for file in _expand(Path(path)):
            yield from _read_source(_Source.of_path(file), format, _Ctx(str(file), report, strict), seen)


def read_text(
    text: str,
    format: str | None = None,
    strict: bool = False,
    report: IngestReport | None = None,
    source: str = "<paste>",
) -> Iterator[Paper]:
    """Like :func:`read_papers`, for text pasted rather than stored in a file."""
    _check_format(format)
    report = IngestReport() if report is None else report
    data = text.encode("utf-8", "replace")
    src = _Source(source, "", lambda: io.BytesIO(data))
    return _read_source(src, format, _Ctx(source, report, strict), set())


def detect_format(path: str | Path) -> str:
    """The reader for ``path``: by extension, then by sniffing its first line
    (a ``.jsonl`` whose records have a ``source`` list and no abstract is SciTLDR)."""
    source = _Source.of_path(Path(path))
    try:
        return _detect(source)
    except (OSError, EOFError, zlib.error):
        return _EXTENSIONS.get(source.suffix, "listing")


def paper_id(title: str, id: Any = None, url: str | None = None, text: str | None = None) -> str:
    """A stable id: the given ``id`` (an arXiv id in any spelling becomes the
    bare id, e.g. ``2310.01234``), else an arXiv id in ``url`` or in an explicit
    ``arXiv:…``/arxiv.org mention in ``text``, else ``t-`` + a hash of the
    normalised title. Abstracts are not searched: they cite other papers."""
    given = _SPACE.sub(" ", str(id)).strip() if id is not None else ""
    if given:
        return find_arxiv_id(given) or given
    for candidate in (url, text):
        if candidate and (found := _arxiv_in_text(candidate)):
            return found
    digest = hashlib.sha256(normalise_title(title).encode("utf-8", "surrogatepass")).hexdigest()
    return "t-" + digest[:16]


# --- ids and text -------------------------------------------------------------

_NEW_ID = r"\d{2}(?:0[1-9]|1[0-2])\.\d{4,5}"  # 2310.01234 (4 digits before 2015)
_OLD_ID = r"[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{2}(?:0[1-9]|1[0-2])\d{3}"  # cs/0112017, math.GT/0309136
_ARXIV = rf"(?P<arxiv>{_NEW_ID}|{_OLD_ID})(?:v\d+)?(?!\d)"
_ARXIV_BARE = re.compile(rf"(?:arxiv:\s*)?{_ARXIV}", re.IGNORECASE)
_ARXIV_MENTION = re.compile(
    rf"(?:arxiv\.org/(?:abs|pdf|html|format)/|huggingface\.co/papers/|arxiv:\s*){_ARXIV}", re.IGNORECASE
)


def find_arxiv_id(text: str) -> str | None:
    """The versionless arXiv id that ``text`` is (``2310.01234v2``, ``arXiv:cs/0112017``)
    or links to (``https://arxiv.org/abs/2310.01234v2``); None if neither."""
    match = _ARXIV_BARE.fullmatch(text.strip())
    return match.group("arxiv") if match else _arxiv_in_text(text)


def _arxiv_in_text(text: str) -> str | None:
    match = _ARXIV_MENTION.search(text)
    return match.group("arxiv") if match else None


def normalise_title(title: str) -> str:
    """NFKC, casefold, punctuation dropped, whitespace collapsed: the form hashed
    for ``t-`` ids, so quoting, case and spacing do not change a paper's id."""
    text = unicodedata.normalize("NFKC", title).casefold()
    text = "".join(ch for ch in text if not unicodedata.category(ch).startswith("P"))
    return _SPACE.sub(" ", text).strip()


_SPACE = re.compile(r"\s+")
_SURROGATES = re.compile("[\ud800-\udfff]")
#: Controls, soft hyphen, zero-width and bidi marks, BOMs: invisible, and they break matching.
_INVISIBLE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]")


def clean_text(text: str) -> str:
    """The cleaning every reader applies to titles and abstracts: HTML entities
    unescaped, NFKC (NBSP becomes a space, ligatures split; ≥ × – are kept),
    invisible characters dropped, lone surrogates replaced, whitespace collapsed,
    words broken at a line end joined (:func:`join_broken_words`).
    LaTeX (``E$^{2}$GAN``, ``50.6\\%``) is left as it is, for the extractor."""
    text = html.unescape(_SURROGATES.sub("\ufffd", text))
    text = unicodedata.normalize("NFKC", text)
    text = _SPACE.sub(" ", text)
    if not text.isprintable():
        text = _INVISIBLE.sub("", text)
    return join_broken_words(text.strip())


#: What no store or export format should receive: C0 controls but tab, newline and return, DEL,
#: lone surrogates (JSON's "\ud800" decodes to one), and U+FFFE/U+FFFF.
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def storable(value):
    """A record (any JSON value) with every string made storable: controls and lone surrogates
    become U+FFFD, one character for one, so evidence offsets stay right. Applied where records
    enter (``kg load``); ``kg build``'s papers get :func:`clean_text`."""
    if isinstance(value, str):
        return _UNSTORABLE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {storable(k): storable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [storable(v) for v in value]
    return value


#: "bench- mark": a word broken at a line end by PDF hyphenation, copied with the break
_BROKEN = re.compile(r"(?<![\w-])((?:[A-Za-z0-9]+-)*)([A-Za-z]+)- ([a-z][a-z]+)\b")
#: "pre- and post-training", "first- or second-order": a hyphen suspended before a conjunction stays
_SUSPENDED = frozenset({"and", "or", "nor", "to", "vs", "versus", "as", "but", "than", "via", "and/or"})
#: Fragments that keep their hyphen when joined ("multi- modal" -> "multi-modal"): the break
#: fell at a compound's own hyphen. Other breaks fell inside a word ("trans- former").
_HYPHEN_PREFIXES = frozenset({
    "multi", "pre", "post", "self", "cross", "non", "semi", "co", "sub", "inter", "intra", "zero", "few",
    "one", "two", "three", "end", "state", "fine", "coarse", "large", "small", "high", "low", "long", "short",
    "real", "open", "first", "second", "third", "single", "out", "well", "task", "domain", "data", "model",
    "object", "image", "text", "video", "graph", "human", "in", "off", "on", "top", "k", "n"})


def join_broken_words(text: str) -> str:
    """Join words a PDF line break split ("bench- mark" -> "benchmark", "multi- modal" ->
    "multi-modal", "state-of-the- art" -> "state-of-the-art"), leaving suspended hyphens
    ("pre- and post-training") as they are."""
    if "- " not in text:
        return text

    def join(m: re.Match) -> str:
        head, last, tail = m.group(1), m.group(2), m.group(3)
        if tail in _SUSPENDED:
            return m.group(0)
        hyphen = "-" in head or (not head and last.lower() in _HYPHEN_PREFIXES)
        return f"{head}{last}{'-' if hyphen else ''}{tail}"

    return _BROKEN.sub(join, text)


def _fold(text: str) -> str:
    """Normalisation for content hashes: NFKC and whitespace only (idempotent, case kept)."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def _one_line(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


# --- reading one file -----------------------------------------------------------


@dataclass(frozen=True)
class _Source:
    """Where bytes come from: a name for messages, an extension, an opener."""

    name: str
    suffix: str
    open: Callable[[], IO[bytes]]

    @classmethod
    def of_path(cls, path: Path) -> _Source:
        suffixes = [s.lower() for s in path.suffixes]
        if suffixes and suffixes[-1] == ".gz":
            suffixes.pop()
        return cls(str(path), suffixes[-1] if suffixes else "", lambda: _open_path(path))


def _open_path(path: Path) -> IO[bytes]:
    """Open for binary reading, decompressing gzip (recognised by its magic bytes)."""
    f = open(path, "rb")
    if f.read(2) == b"\x1f\x8b":
        f.close()
        return gzip.open(path, "rb")
    f.seek(0)
    return f


class _Ctx:
    """Reports the problems of one file, raising on errors when strict."""

    def __init__(self, name: str, report: IngestReport, strict: bool):
        self.name, self.report, self.strict = name, report, strict
        self.problems = 0

    def problem(self, line: int | None, message: str, severity: str = "error") -> None:
        problem = Problem(self.name, line, _one_line(message), severity)
        self.problems += 1
        self.report.add(problem)
        if self.strict and severity == "error":
            raise IngestError(problem)

    def skip(self, line: int | None, message: str) -> None:
        """A record is dropped."""
        self.report.skipped += 1
        self.problem(line, message)

    def warn(self, line: int | None, message: str) -> None:
        self.problem(line, message, "warning")


def _check_format(format: str | None) -> None:
    if format is not None and format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; expected one of {', '.join(FORMATS)}")


def _expand(path: Path) -> list[Path]:
    """A directory stands for its files with known extensions (hidden ones skipped)."""
    if not path.is_dir():
        return [path]

    def known(p: Path) -> bool:
        suffixes = [s.lower() for s in p.suffixes if s.lower() != ".gz"]
        return bool(suffixes) and suffixes[-1] in _EXTENSIONS

    return sorted(
        p for p in path.rglob("*")
        if p.is_file() and known(p) and not any(part.startswith(".") for part in p.relative_to(path).parts)
    )


def _read_source(source: _Source, format: str | None, ctx: _Ctx, seen: set[str]) -> Iterator[Paper]:
    """Papers of one file, de-duplicated against ``seen``; unreadable files are reported."""
    report = ctx.report
    report.files += 1
    records = 0
    try:
        fmt = format or _detect(source)
        for line, record in _READERS[fmt](source, ctx):
            records += 1
            paper = _to_paper(line, record, ctx, scitldr=fmt == "scitldr")
            if paper is None:
                continue
            if paper.id in seen:
                report.duplicates += 1
                continue
            seen.add(paper.id)
            report.read += 1
            yield paper
    except FileNotFoundError:
        ctx.problem(None, "no such file")
    except IsADirectoryError:
        ctx.problem(None, "is a directory")
    except (OSError, EOFError, zlib.error) as exc:  # unreadable, or corrupt gzip
        ctx.problem(None, f"cannot read ({exc})")
    else:
        if records == 0 and ctx.problems == 0:
            ctx.warn(None, "no papers found")


def _detect(source: _Source) -> str:
    fmt = _EXTENSIONS.get(source.suffix)
    if fmt in ("listing", "csv", "arxiv"):
        return fmt
    with closing(_text_lines(source, _Ctx("", IngestReport(), False))) as lines:
        first = next((text.strip().lstrip("\ufeff") for _, text in lines if text.strip()), "")
    if fmt is None:
        if first.startswith("<"):
            return "arxiv"
        if not first.startswith("{"):
            head = first.casefold()
            return "csv" if "title" in head and ("," in head or "\t" in head) else "listing"
    try:
        record = json.loads(first)
    except (ValueError, RecursionError):
        return "jsonl"
    if isinstance(record, dict):
        keys = {str(k).strip().casefold() for k in record}
        if isinstance(record.get("source"), list) and not keys & {"abstract", "summary"}:
            return "scitldr"
    return "jsonl"


# --- bytes to lines -------------------------------------------------------------

_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\f\v\x1b")


def _sniff(head: bytes, complete: bool) -> tuple[str, str | None]:
    """Classify a file from its first bytes: ("empty" | "binary" | "text", encoding).

    Encoding None means UTF-8, with a per-line cp1252/Latin-1 fallback (stdlib
    only, no charset guessing library); UTF-16/32 are recognised by BOM or by
    the NUL pattern of ASCII text in UTF-16.
    """
    encoding = None
    for bom, name in _BOMS:
        if head.startswith(bom):
            encoding = None if name == "utf-8-sig" else name
            text = head.decode(name, "replace")
            return ("empty" if complete and not text.strip() else "text"), encoding
    sample = head[:4096]
    if b"\x00" in sample:
        even, odd = sample[0::2], sample[1::2]
        if odd.count(0) > 0.3 * len(odd) and even.count(0) < 0.05 * len(even):
            encoding = "utf-16-le"
        elif even.count(0) > 0.3 * len(even) and odd.count(0) < 0.05 * len(odd):
            encoding = "utf-16-be"
        else:
            return "binary", None
        text = head.decode(encoding, "replace")
        return ("empty" if complete and not text.strip() else "text"), encoding
    if complete and not head.strip():
        return "empty", None
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if controls > 0.05 * len(head):
        return "binary", None
    return "text", None


def _text_lines(source: _Source, ctx: _Ctx) -> Iterator[tuple[int, str]]:
    """(line number, decoded line with its ending) for a text file. Empty and
    binary files are reported and yield nothing; an over-long line is reported
    and yielded as an empty line, so later line numbers stay right."""
    with source.open() as raw:
        head = raw.read(_CHUNK)
        kind, encoding = _sniff(head, complete=len(head) < _CHUNK)
        if kind != "text":
            ctx.problem(None, "empty file" if kind == "empty" else "not a text file")
            return
        raw.seek(0)
        if encoding is None:
            yield from _byte_lines(raw, ctx)
        else:
            yield from _decoded_lines(io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline=""), ctx)


def _byte_lines(raw: IO[bytes], ctx: _Ctx) -> Iterator[tuple[int, str]]:
    if raw.read(3) != codecs.BOM_UTF8:
        raw.seek(0)
    fallback_reported = False
    for number in itertools.count(1):
        line = raw.readline(MAX_LINE_BYTES)
        if not line:
            return
        if len(line) >= MAX_LINE_BYTES and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):
                line = raw.readline(MAX_LINE_BYTES)
            ctx.skip(number, f"line longer than {MAX_LINE_BYTES:,} bytes")
            yield number, "\n"
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            if not fallback_reported:
                ctx.warn(number, "not valid UTF-8; decoded as cp1252/Latin-1")
                fallback_reported = True
            try:
                text = line.decode("cp1252")
            except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
                text = line.decode("latin-1")
        yield number, text


def _decoded_lines(text: io.TextIOWrapper, ctx: _Ctx) -> Iterator[tuple[int, str]]:
    limit = MAX_LINE_BYTES // 2
    for number in itertools.count(1):
        line = text.readline(limit)
        if not line:
            return
        if len(line) >= limit and not line.endswith(("\n", "\r")):
            while line and not line.endswith(("\n", "\r")):
                line = text.readline(limit)
            ctx.skip(number, f"line longer than {limit:,} characters")
            line = "\n"
        yield number, line


# --- readers: each yields (line number, raw record) -------------------------------


def _read_listing(source: _Source, ctx: _Ctx) -> Iterator[tuple[int, dict[str, str]]]:
    """Title / abstract pairs of a plain-text listing.

    Blocks are runs of non-blank lines. The listing body starts at the first
    short block followed by a paragraph; short blocks before it are header
    chrome and are skipped silently. In the body a short block not followed by
    a paragraph is a title with no abstract, reported and skipped.
    """
    pending: tuple[int, str] | None = None  # a short block awaiting its abstract
    started = False
    for line, text in _blocks(_text_lines(source, ctx)):
        if _is_paragraph(text):
            if pending is None:
                ctx.skip(line, "abstract with no title")
            else:
                yield pending[0], {"title": pending[1], "abstract": text}
                pending, started = None, True
        else:
            if pending is not None and started:
                ctx.skip(pending[0], "title with no abstract")
            pending = (line, text)
    if pending is not None and started:
        ctx.skip(pending[0], "title with no abstract")


def _blocks(lines: Iterable[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    """(first line number, joined text) of each run of non-blank lines; a block
    stops growing past what the abstract cap could keep."""
    limit = 4 * MAX_ABSTRACT_CHARS
    start, parts, size = 0, [], 0
    for number, line in lines:
        for piece in line.rstrip("\r\n").split("\r"):  # lone CRs (old Mac files) end lines too
            piece = piece.strip()
            if not piece:
                if parts:
                    yield start, " ".join(parts)
                start, parts, size = 0, [], 0
            elif not parts:
                start, parts, size = number, [piece[:limit]], len(piece)
            elif size < limit:
                parts.append(piece[: limit - size])
                size += len(piece)
    if parts:
        yield start, " ".join(parts)


def _is_paragraph(text: str) -> bool:
    return len(text) >= PARAGRAPH_MIN_CHARS or (len(text.split()) >= 20 and text.endswith((".", "!", "?")))


def _read_jsonl(source: _Source, ctx: _Ctx) -> Iterator[tuple[int, dict[str, Any]]]:
    """One JSON object per line; blank lines are ignored."""
    for line, raw in _text_lines(source, ctx):
        text = raw.strip().lstrip("\ufeff")
        if not text:
            continue
        try:
            record = json.loads(text)
        except RecursionError:
            ctx.skip(line, "JSON nested too deeply")
            continue
        except json.JSONDecodeError as exc:
            truncated = exc.pos >= len(text) or exc.msg.startswith("Unterminated string")
            ctx.skip(line, f"{'truncated' if truncated else 'invalid'} JSON ({exc.msg})")
            continue
        except ValueError as exc:  # e.g. an integer too long to convert
            ctx.skip(line, f"invalid JSON ({exc})")
            continue
        if not isinstance(record, dict):
            ctx.skip(line, f"expected a JSON object, got {type(record).__name__}")
            continue
        yield line, record


def _read_csv(source: _Source, ctx: _Ctx) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows under a header naming title and abstract (or summary) columns,
    matched case-insensitively. Fields may be quoted and span lines."""
    csv.field_size_limit(max(csv.field_size_limit(), MAX_LINE_BYTES))  # default 128 KiB is too small
    lines = (text for _, text in _text_lines(source, ctx))
    first = next(lines, None)
    if first is None:
        return
    delimiter = "\t" if source.suffix == ".tsv" or ("\t" in first and "," not in first) else ","
    reader = csv.reader(itertools.chain([first], lines), delimiter=delimiter)
    header: list[str] | None = None
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            ctx.skip(start, f"bad CSV ({exc})")
            if reader.line_num < start:
                return
            continue
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = [cell.strip().lstrip("\ufeff").casefold() for cell in row]
            missing = [name for name, keys in (("title", _TITLE_KEYS), ("abstract", _ABSTRACT_KEYS))
                       if not set(keys) & set(header)]
            if missing:
                found = ", ".join(cell.strip() for cell in row[:12])
                ctx.problem(start, f"CSV header has no {' or '.join(missing)} column (found: {found})")
                return
            continue
        yield start, dict(zip(header, row))


def _read_arxiv(source: _Source, ctx: _Ctx) -> Iterator[tuple[int, dict[str, str]]]:
    """Entries of an arXiv API Atom feed, parsed incrementally by expat.

    Namespaces are matched by local name. A DOCTYPE, entity declaration or
    external entity stops the file (the defence defusedxml gives, without the
    dependency); so does malformed XML, after the entries read before it.
    """
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    done: list[tuple[int, dict[str, str]]] = []
    entry: dict[str, str] | None = None
    entry_line = entry_depth = depth = 0
    collecting: str | None = None  # the child of <entry> whose text is being gathered
    parts: list[str] = []
    size = 0
    limit = 4 * MAX_ABSTRACT_CHARS

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal entry, entry_line, entry_depth, depth, collecting, parts, size
        depth += 1
        local = name.rpartition(" ")[2]
        if entry is None:
            if local == "entry":
                entry, entry_line, entry_depth = {}, parser.CurrentLineNumber, depth
        elif depth == entry_depth + 1:
            if local == "link" and attrs.get("rel", "alternate") == "alternate" and "url" not in entry:
                entry["url"] = attrs.get("href", "")
            if local in ("id", "title", "summary", "published"):
                collecting, parts, size = local, [], 0

    def end(name: str) -> None:
        nonlocal entry, depth, collecting
        if entry is not None:
            if depth == entry_depth + 1 and collecting:
                entry[collecting] = "".join(parts)
                collecting = None
            elif depth == entry_depth:
                done.append((entry_line, entry))
                entry = None
        depth -= 1

    def text(data: str) -> None:
        nonlocal size
        if collecting and size < limit:
            parts.append(data)
            size += len(data)

    def refuse(*_: Any) -> None:
        raise _Refused("XML with a DTD or entity declarations is refused")

    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, text
    parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = parser.ExternalEntityRefHandler = refuse

    with source.open() as raw:
        chunk = raw.read(_CHUNK)
        kind, _ = _sniff(chunk, complete=len(chunk) < _CHUNK)
        if kind != "text":
            ctx.problem(None, "empty file" if kind == "empty" else "not a text file")
            return
        try:
            while chunk:
                parser.Parse(chunk, False)
                yield from _atom_records(done, ctx)
                chunk = raw.read(_CHUNK)
            parser.Parse(b"", True)
        except expat.ExpatError as exc:
            yield from _atom_records(done, ctx)
            ctx.problem(exc.lineno, f"malformed XML ({expat.ErrorString(exc.code)})")
        except _Refused as exc:
            ctx.problem(parser.CurrentLineNumber, str(exc))
        yield from _atom_records(done, ctx)


class _Refused(Exception):
    pass


def _atom_records(done: list[tuple[int, dict[str, str]]], ctx: _Ctx) -> Iterator[tuple[int, dict[str, str]]]:
    """Map finished Atom entries onto the common record fields; the API's error
    entries (id under /api/errors) are reported."""
    entries = done[:]
    done.clear()
    for line, entry in entries:
        if "/api/errors" in entry.get("id", ""):
            ctx.skip(line, f"arXiv API error: {_one_line(entry.get('summary', ''))}")
            continue
        yield line, {
            "id": entry.get("id"),
            "title": entry.get("title"),
            "abstract": entry.get("summary"),
            "url": entry.get("url") or entry.get("id"),
            "published": entry.get("published"),
        }


_READERS: dict[str, Callable[[_Source, _Ctx], Iterator[tuple[int, dict[str, Any]]]]] = {
    "listing": _read_listing,
    "jsonl": _read_jsonl,
    "scitldr": _read_jsonl,
    "csv": _read_csv,
    "arxiv": _read_arxiv,
}


# --- raw record to Paper ------------------------------------------------------------

_TITLE_KEYS = ("title",)
_ABSTRACT_KEYS = ("abstract", "summary")
_ID_KEYS = ("id", "paper_id", "arxiv_id", "arxiv")
_URL_KEYS = ("url", "link", "abs_url", "arxiv_url")
_YEAR_KEYS = ("year", "published", "date")


class _BadRecord(ValueError):
    pass


def _to_paper(line: int, record: dict[str, Any], ctx: _Ctx, scitldr: bool = False) -> Paper | None:
    """Validate and clean one record; report and return None if it is unusable."""
    fields = {str(key).strip().casefold(): value for key, value in record.items()}
    try:
        title = _as_text(_pick(fields, _TITLE_KEYS), "title")
        abstract = _as_text(_pick(fields, ("source",) if scitldr else _ABSTRACT_KEYS), "abstract")
        given_id = _as_text(_pick(fields, _ID_KEYS), "id")
        url = _as_text(_pick(fields, _URL_KEYS), "url")
    except _BadRecord as exc:
        ctx.skip(line, str(exc))
        return None
    title = _capped(title, MAX_TITLE_CHARS, "title", line, ctx)
    abstract = _capped(abstract, MAX_ABSTRACT_CHARS, "abstract", line, ctx)
    if not title:
        ctx.skip(line, "missing title")
        return None
    if not abstract:
        ctx.skip(line, "missing abstract")
        return None
    given_id = _SPACE.sub(" ", given_id or "").strip()
    if len(given_id) > MAX_ID_CHARS:
        ctx.skip(line, f"id longer than {MAX_ID_CHARS} characters")
        return None
    url = clean_text(url or "") or None
    if url and len(url) > MAX_URL_CHARS:
        ctx.warn(line, f"url longer than {MAX_URL_CHARS} characters; dropped")
        url = None
    pid = paper_id(title, given_id or None, url)
    return Paper(
        id=pid,
        title=title,
        abstract=abstract,
        source=ctx.name,
        url=url,
        year=_year(_pick(fields, _YEAR_KEYS)) or arxiv_year(pid),
    )


def _pick(fields: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        value = fields.get(key)
        if value is not None and value != "" and value != []:
            return value
    return None


def _as_text(value: Any, what: str) -> str | None:
    """Strings pass; numbers become strings; a list of strings is joined with
    spaces (SciTLDR sentences); anything else is a bad record."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return " ".join(value)
    raise _BadRecord(f"{what} is not text (got {type(value).__name__})")


def _capped(text: str | None, cap: int, what: str, line: int, ctx: _Ctx) -> str:
    """Clean ``text`` and cut it to ``cap`` characters at a word boundary, warning if cut."""
    if not text:
        return ""
    cut = len(text) > 4 * cap
    text = clean_text(text[: 4 * cap] if cut else text)
    if len(text) > cap:
        cut, text = True, text[:cap]
        space = text.rfind(" ", cap - 1_000)
        text = text[:space] if space > 0 else text
    if cut:
        ctx.warn(line, f"{what} longer than {cap:,} characters; truncated")
    return text


def arxiv_year(identifier: str | None) -> int | None:
    """The year an arXiv id was issued: "2310.01234" -> 2023, "hep-th/9901001" -> 1999."""
    if not identifier:
        return None
    match = re.fullmatch(r"(\d{2})(\d{2})\.\d{4,5}", identifier) or \
        re.fullmatch(r"[a-z\-]+(?:\.[A-Z]{2})?/(\d{2})(\d{2})\d{3}", identifier)
    if not match or not 1 <= int(match.group(2)) <= 12:
        return None
    yy = int(match.group(1))
    return (1900 if yy >= 91 else 2000) + yy


def _year(value: Any) -> int | None:
    """A plausible year from an int, or the leading digits of a date string."""
    if isinstance(value, int) and not isinstance(value, bool):
        year = value
    elif isinstance(value, str) and (match := re.match(r"\s*(\d{4})(?!\d)", value)):
        year = int(match.group(1))
    else:
        return None
    return year if 1000 <= year <= 2999 else None
