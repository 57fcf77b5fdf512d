"""kg.ingest: every reader, and hostile input. Files are generated in tmp_path;
only the bundled sample listing is read from the repository."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from kg import ingest
from kg.ingest import (
    IngestError,
    IngestReport,
    Paper,
    Problem,
    detect_format,
    find_arxiv_id,
    paper_id,
    read_papers,
    read_text,
)

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample" / "hf-papers-listing.txt"

ABSTRACT = (
    "We present a method for learning things from data. It improves accuracy on the "
    "benchmark by a wide margin while using fewer parameters than prior work, and we "
    "release code and models so that others can reproduce every number reported here."
)
ABSTRACT_2 = ABSTRACT.replace("learning things", "detecting objects")


def read(paths, **kwargs) -> tuple[list[Paper], IngestReport]:
    report = IngestReport()
    if not isinstance(paths, (list, tuple)):
        paths = [paths]
    papers = list(read_papers(paths, report=report, **kwargs))
    return papers, report


def write_jsonl(path: Path, records, encoding="utf-8") -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding=encoding)
    return path


def listing_text(*pairs: tuple[str, str], header=("new", "Subscribe", "May 16")) -> str:
    parts = [*header] + [x for pair in pairs for x in pair]
    return "\n\n".join(parts) + "\n"


# --- the bundled sample ---------------------------------------------------------


def test_sample_listing_reads_all_119_papers():
    papers, report = read(SAMPLE)
    assert len(papers) == 119
    assert report.ok and report.problems == [] and report.read == 119
    assert papers[0].title == "Coarse-to-Fine Vision-Language Pre-training with Fusion in the Backbone"
    assert papers[0].abstract.startswith("Vision-language (VL) pre-training has recently")
    assert all(p.title and p.abstract and p.source == str(SAMPLE) for p in papers)
    assert all(len(p.abstract) > len(p.title) for p in papers)
    assert len({p.id for p in papers}) == 119
    assert detect_format(SAMPLE) == "listing"


def test_sample_ids_are_stable_across_runs():
    first = [p.id for p in read(SAMPLE)[0]]
    second = [p.id for p in read(SAMPLE)[0]]
    assert first == second
    assert all(i.startswith("t-") and len(i) == 18 for i in first)


# --- listing --------------------------------------------------------------------


def test_listing_header_is_detected_without_known_strings(tmp_path):
    path = tmp_path / "l.txt"
    path.write_text(listing_text(("A Title", ABSTRACT), ("Second Title", ABSTRACT_2),
                                 header=("Totally different chrome", "Log in", "Oct 3")))
    papers, report = read(path)
    assert [p.title for p in papers] == ["A Title", "Second Title"]
    assert report.ok and report.problems == []


def test_listing_title_with_no_abstract_is_reported_and_skipped(tmp_path):
    path = tmp_path / "l.txt"
    path.write_text(listing_text(("First", ABSTRACT), ("Orphan title", "Next Title"), (ABSTRACT_2, "Last orphan")))
    papers, report = read(path)
    assert [p.title for p in papers] == ["First", "Next Title"]
    messages = [(p.line, p.message) for p in report.problems]
    assert messages == [(11, "title with no abstract"), (17, "title with no abstract")]
    assert report.skipped == 2 and not report.ok


def test_listing_wrapped_abstract_and_crlf(tmp_path):
    path = tmp_path / "l.txt"
    wrapped = ABSTRACT[:100] + "\r\n" + ABSTRACT[100:]
    path.write_bytes(listing_text(("Title One", wrapped), ("Title Two", ABSTRACT_2)).replace("\n", "\r\n").encode())
    papers, report = read(path)
    assert [p.title for p in papers] == ["Title One", "Title Two"]
    assert papers[0].abstract == ABSTRACT[:100].strip() + " " + ABSTRACT[100:].strip()
    assert report.ok and report.problems == []


def test_listing_with_only_header_warns_no_papers(tmp_path):
    path = tmp_path / "l.txt"
    path.write_text("new\n\nSubscribe\n\nMay 16\n")
    papers, report = read(path)
    assert papers == []
    assert [(p.message, p.severity) for p in report.problems] == [("no papers found", "warning")]
    assert report.ok


# --- JSONL and CSV --------------------------------------------------------------


def test_jsonl_fields_and_synonyms(tmp_path):
    path = write_jsonl(tmp_path / "p.jsonl", [
        {"title": "One", "abstract": ABSTRACT, "id": "abc-1", "url": "https://example.org/1", "year": 2021},
        {"title": "Two", "summary": ABSTRACT_2, "arxiv_id": "2310.01234v2", "year": "2023"},
        {"Title": "Three", "Abstract": "Short abstract.", "paper_id": "P3", "published": "2019-05-01T00:00:00Z"},
    ])
    papers, report = read(path)
    assert report.ok, report.problems
    assert [(p.id, p.title, p.year) for p in papers] == [("abc-1", "One", 2021), ("2310.01234", "Two", 2023),
                                                          ("P3", "Three", 2019)]
    assert papers[0].url == "https://example.org/1" and papers[1].abstract == ABSTRACT_2
    assert detect_format(path) == "jsonl"


def test_jsonl_truncated_line_and_missing_title_are_reported_rest_read(tmp_path):
    path = tmp_path / "bad.jsonl"
    lines = [
        json.dumps({"title": "Good one", "abstract": ABSTRACT}),
        json.dumps({"title": "Cut", "abstract": ABSTRACT_2})[:30],
        "",
        json.dumps({"abstract": ABSTRACT_2}),
        json.dumps({"title": "Good two", "abstract": ABSTRACT_2}),
        '{"title": "x", "abstract": "y"',
        "[1, 2]",
    ]
    path.write_text("\n".join(lines) + "\n")
    papers, report = read(path)
    assert [p.title for p in papers] == ["Good one", "Good two"]
    assert [(p.line, p.message.split(" (")[0]) for p in report.problems] == [
        (2, "truncated JSON"), (4, "missing title"), (6, "truncated JSON"), (7, "expected a JSON object, got list"),
    ]
    assert str(report.problems[2]) == f"{path}:6: truncated JSON (Expecting ',' delimiter)"
    assert report.skipped == 4 and report.read == 2


def test_jsonl_deeply_nested_value_is_reported_not_crashing(tmp_path):
    deep = "[" * 1000 + "]" * 1000
    deeper = "[" * 100_000 + "]" * 100_000
    path = tmp_path / "deep.jsonl"
    path.write_text(
        f'{{"title": "Deep", "abstract": "{ABSTRACT}", "meta": {deep}}}\n'
        f'{{"title": "Deeper", "abstract": "{ABSTRACT}", "meta": {deeper}}}\n'
        f'{{"title": {deep}, "abstract": "{ABSTRACT}"}}\n'
        + json.dumps({"title": "Fine", "abstract": ABSTRACT_2}) + "\n"
    )
    papers, report = read(path)
    assert papers[-1].title == "Fine"
    assert [(p.line, p.message) for p in report.problems] == [(n, "JSON nested too deeply") for n in (1, 2, 3)]


def test_jsonl_wrong_types_are_bad_records(tmp_path):
    path = write_jsonl(tmp_path / "t.jsonl", [
        {"title": {"text": "x"}, "abstract": ABSTRACT},
        {"title": "Ok", "abstract": [ABSTRACT, {"no": 1}]},
        {"title": 42, "abstract": ABSTRACT, "year": True},
    ])
    papers, report = read(path)
    assert [(p.title, p.year) for p in papers] == [("42", None)]
    assert [p.message for p in report.problems] == ["title is not text (got dict)", "abstract is not text (got list)"]


def test_csv_reader_quoted_multiline_and_crlf(tmp_path):
    path = tmp_path / "p.csv"
    path.write_bytes(
        b'ID,Title,Summary,url\r\n'
        b'x1,"A, comma title","First line\r\nsecond line",https://arxiv.org/abs/2101.00001v3\r\n'
        b'\r\n'
        b',Second,"' + ABSTRACT.encode() + b'",\r\n'
        b'x3,,no title here,\r\n'
    )
    papers, report = read(path)
    assert [(p.id, p.title, p.abstract) for p in papers] == [
        ("x1", "A, comma title", "First line second line"),
        (paper_id("Second"), "Second", ABSTRACT),
    ]
    assert [(p.line, p.message) for p in report.problems] == [(6, "missing title")]


def test_csv_id_from_arxiv_url_when_no_id(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(f"title,abstract,url\nT,{ABSTRACT.replace(',', '')},https://arxiv.org/pdf/2101.00001v3.pdf\n")
    papers, _ = read(path)
    assert papers[0].id == "2101.00001"


def test_csv_with_wrong_header_is_one_error_on_line_1(tmp_path):
    path = tmp_path / "wrong.csv"
    path.write_text("name,text\nA,B\nC,D\n")
    papers, report = read(path)
    assert papers == []
    assert len(report.problems) == 1
    problem = report.problems[0]
    assert (problem.path, problem.line) == (str(path), 1)
    assert str(problem).startswith(f"{path}:1: CSV header has no title or abstract column")
    with pytest.raises(IngestError, match=r"wrong\.csv:1: CSV header"):
        list(read_papers([path], strict=True))


def test_tsv(tmp_path):
    path = tmp_path / "p.tsv"
    path.write_text(f"title\tabstract\nTab Title\t{ABSTRACT}\n")
    papers, report = read(path)
    assert [p.title for p in papers] == ["Tab Title"] and report.ok


# --- arXiv Atom and SciTLDR -----------------------------------------------------

ATOM = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
  <title type="html">ArXiv Query</title>
  <id>http://arxiv.org/api/xyz</id>
  <entry>
    <id>http://arxiv.org/abs/2310.01234v1</id>
    <published>2023-10-02T17:59:59Z</published>
    <title>A Feed
      Title &amp; More</title>
    <summary>  We study things.
Across lines &lt;b&gt; here.
    </summary>
    <author><name>A. Person</name></author>
    <link href="http://arxiv.org/abs/2310.01234v1" rel="alternate" type="text/html"/>
    <link title="pdf" href="http://arxiv.org/pdf/2310.01234v1" rel="related" type="application/pdf"/>
    <arxiv:primary_category term="cs.CL"/>
  </entry>
  <entry>
    <id>http://arxiv.org/abs/cs/0112017v1</id>
    <published>2001-12-14T00:00:00Z</published>
    <title>Old Style</title>
    <summary>Old abstract.</summary>
  </entry>
</feed>
"""


def test_arxiv_atom(tmp_path):
    path = tmp_path / "feed.xml"
    path.write_text(ATOM)
    papers, report = read(path)
    assert report.ok, report.problems
    assert [(p.id, p.title, p.year) for p in papers] == [
        ("2310.01234", "A Feed Title & More", 2023), ("cs/0112017", "Old Style", 2001)]
    assert papers[0].abstract == "We study things. Across lines <b> here."
    assert papers[0].url == "http://arxiv.org/abs/2310.01234v1"
    assert detect_format(path) == "arxiv"


def test_arxiv_atom_without_namespace_and_utf16(tmp_path):
    path = tmp_path / "feed.atom"
    text = ATOM.replace(' xmlns="http://www.w3.org/2005/Atom"', "").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    path.write_bytes(text.encode("utf-16"))
    papers, report = read(path)
    assert [p.id for p in papers] == ["2310.01234", "cs/0112017"] and report.ok


def test_arxiv_refuses_dtd_and_entities(tmp_path):
    path = tmp_path / "evil.xml"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE feed [<!ENTITY lol "lol">]>\n'
                    '<feed><entry><title>&lol;</title><summary>x</summary></entry></feed>')
    papers, report = read(path)
    assert papers == []
    assert [(p.line, p.message) for p in report.problems] == [(2, "XML with a DTD or entity declarations is refused")]


def test_arxiv_malformed_xml_keeps_earlier_entries(tmp_path):
    path = tmp_path / "cut.xml"
    path.write_text(ATOM[: ATOM.index("<entry>", ATOM.index("</entry>")) + 30])
    papers, report = read(path)
    assert [p.id for p in papers] == ["2310.01234"]
    assert len(report.problems) == 1 and report.problems[0].message.startswith("malformed XML")


def test_arxiv_api_error_entry_is_reported(tmp_path):
    path = tmp_path / "err.xml"
    path.write_text('<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/api/errors#bad</id>'
                    '<title>Error</title><summary>incorrect id format</summary></entry></feed>')
    papers, report = read(path)
    assert papers == [] and report.problems[0].message == "arXiv API error: incorrect id format"


def test_scitldr_is_sniffed_and_sentences_joined(tmp_path):
    path = write_jsonl(tmp_path / "scitldr.jsonl", [
        {"source": ["First sentence.", "Second sentence."], "source_labels": [0, 1], "rouge_scores": [0.1, 0.2],
         "paper_id": "SysEexbRb", "target": ["A tldr."], "title": "Critical Points"},
    ])
    assert detect_format(path) == "scitldr"
    papers, report = read(path)
    assert [(p.id, p.title, p.abstract) for p in papers] == [
        ("SysEexbRb", "Critical Points", "First sentence. Second sentence.")]
    assert report.ok


def test_detect_format_by_extension_and_content(tmp_path):
    cases = {
        "a.csv": "title,abstract\n", "a.tsv": "title\tabstract\n", "a.xml": "<feed/>", "a.txt": "x\n",
        "a.ndjson": '{"title": "t"}\n', "a.json": '{"title": "t", "abstract": "a"}\n',
        "noext": '{"title": "t"}\n', "feed.dat": "<?xml version='1.0'?><feed/>", "table.dat": "Title,Abstract\n",
        "plain.dat": "Some Title\n\nSome abstract.\n",
    }
    expected = {"a.csv": "csv", "a.tsv": "csv", "a.xml": "arxiv", "a.txt": "listing", "a.ndjson": "jsonl",
                "a.json": "jsonl", "noext": "jsonl", "feed.dat": "arxiv", "table.dat": "csv", "plain.dat": "listing"}
    for name, text in cases.items():
        (tmp_path / name).write_text(text)
        assert detect_format(tmp_path / name) == expected[name], name
    assert detect_format(tmp_path / "missing.jsonl") == "jsonl"


def test_format_override(tmp_path):
    path = write_jsonl(tmp_path / "papers.txt", [{"title": "T", "abstract": ABSTRACT}])
    assert [p.title for p in read(path, format="jsonl")[0]] == ["T"]
    with pytest.raises(ValueError, match="unknown format"):
        read_papers([path], format="yaml")


# --- hostile bytes --------------------------------------------------------------


def test_empty_file(tmp_path):
    for name in ("e.txt", "e.jsonl", "e.csv", "e.xml", "blank.txt"):
        path = tmp_path / name
        path.write_text("" if name != "blank.txt" else "\n \n\t\n")
        papers, report = read(path)
        assert papers == [], name
        assert [(p.path, p.message) for p in report.problems] == [(str(path), "empty file")], name


def test_binary_file_is_one_error_naming_file(tmp_path):
    for name in ("b.jsonl", "b.txt", "b.xml", "b.bin", "b.csv"):
        path = tmp_path / name
        path.write_bytes(bytes(range(256)) * 40 + b"\x89PNG\r\n\x1a\n\x00\x00")
        papers, report = read(path)
        assert papers == []
        assert [str(p) for p in report.problems] == [f"{path}: not a text file"], name


def test_latin1_and_cp1252_text(tmp_path):
    path = tmp_path / "latin.jsonl"
    path.write_bytes(json.dumps({"title": "Caf\u00e9 \u201cquotes\u201d", "abstract": "na\u00efve r\u00e9sum\u00e9"},
                                ensure_ascii=False).encode("cp1252") + b"\n")
    papers, report = read(path)
    assert papers[0].title == "Caf\u00e9 \u201cquotes\u201d" and papers[0].abstract == "na\u00efve r\u00e9sum\u00e9"
    assert report.ok and [p.severity for p in report.problems] == ["warning"]
    listing = tmp_path / "latin.txt"
    listing.write_bytes(listing_text(("Caf\u00e9 Title", ABSTRACT + " \u00e9\u00e8")).encode("latin-1"))
    papers, report = read(listing)
    assert papers[0].title == "Caf\u00e9 Title" and papers[0].abstract.endswith("\u00e9\u00e8")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig"])
def test_utf16_utf32_and_bom_text(tmp_path, encoding):
    records = [{"title": "\u2265 Unicode \u00d7 Title", "abstract": ABSTRACT}, {"title": "Two", "abstract": ABSTRACT_2}]
    path = write_jsonl(tmp_path / "u.jsonl", records, encoding=encoding)
    papers, report = read(path)
    assert [p.title for p in papers] == ["\u2265 Unicode \u00d7 Title", "Two"] and report.problems == []
    listing = tmp_path / "u.txt"
    listing.write_text(listing_text(("\ufeffFirst", ABSTRACT), ("Second", ABSTRACT_2)), encoding=encoding)
    assert [p.title for p in read(listing)[0]] == ["First", "Second"]


def test_csv_with_utf8_bom_header(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_text(f"title,abstract\nT,{ABSTRACT.replace(',', ';')}\n", encoding="utf-8-sig")
    papers, report = read(path)
    assert [p.title for p in papers] == ["T"] and report.ok


def test_huge_abstract_is_truncated_with_warning(tmp_path):
    word = "token "
    huge = (word * (10_000_000 // len(word))).strip()
    path = write_jsonl(tmp_path / "huge.jsonl", [{"title": "Huge", "abstract": huge},
                                                 {"title": "Small", "abstract": ABSTRACT}])
    papers, report = read(path)
    assert [p.title for p in papers] == ["Huge", "Small"]
    assert 0.99 * ingest.MAX_ABSTRACT_CHARS < len(papers[0].abstract) <= ingest.MAX_ABSTRACT_CHARS
    assert not papers[0].abstract.endswith(" ")
    assert [(p.line, p.severity) for p in report.problems] == [(1, "warning")]
    assert "truncated" in report.problems[0].message and report.ok


def test_huge_abstract_in_listing(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text(listing_text(("Huge", "word " * 2_000_000), ("After", ABSTRACT)))
    papers, report = read(path)
    assert [p.title for p in papers] == ["Huge", "After"]
    assert len(papers[0].abstract) <= ingest.MAX_ABSTRACT_CHARS and report.warnings == 1


def test_over_long_line_is_skipped_without_losing_line_numbers(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "MAX_LINE_BYTES", 1_000)
    path = tmp_path / "long.jsonl"
    path.write_text(json.dumps({"title": "L", "abstract": "x" * 5_000}) + "\n"
                    + json.dumps({"title": "Ok", "abstract": ABSTRACT}) + "\n{bad\n")
    papers, report = read(path)
    assert [p.title for p in papers] == ["Ok"]
    assert [(p.line, p.message.split(" (")[0]) for p in report.problems] == [
        (1, "line longer than 1,000 bytes"), (3, "invalid JSON")]


def test_gzip_input(tmp_path):
    path = tmp_path / "p.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write(json.dumps({"title": "Zipped", "abstract": ABSTRACT}) + "\n")
    assert detect_format(path) == "jsonl"
    assert [p.title for p in read(path)[0]] == ["Zipped"]
    broken = tmp_path / "broken.jsonl.gz"
    broken.write_bytes(path.read_bytes()[:20])
    papers, report = read(broken)
    assert papers == [] and not report.ok and "cannot read" in report.problems[0].message


def test_missing_file_and_directory_input(tmp_path):
    papers, report = read(tmp_path / "nope.jsonl")
    assert papers == [] and [str(p) for p in report.problems] == [f"{tmp_path / 'nope.jsonl'}: no such file"]
    (tmp_path / "sub").mkdir()
    write_jsonl(tmp_path / "sub" / "b.jsonl", [{"title": "B", "abstract": ABSTRACT_2}])
    write_jsonl(tmp_path / "a.jsonl", [{"title": "A", "abstract": ABSTRACT}])
    (tmp_path / "notes.bin").write_bytes(b"\x00\x01")
    (tmp_path / ".hidden.jsonl").write_text("junk")
    papers, report = read(tmp_path)
    assert [p.title for p in papers] == ["A", "B"] and report.files == 2 and report.ok


# --- text cleaning --------------------------------------------------------------


def test_latex_is_kept_as_text(tmp_path):
    abstract = r"We propose E$^{2}$GAN and \method{}, reaching 50.6\% accuracy with $\mathcal{O}(n)$ cost. " + ABSTRACT
    path = write_jsonl(tmp_path / "tex.jsonl", [{"title": r"E$^{2}$GAN: \textbf{Fast}", "abstract": abstract}])
    papers, report = read(path)
    assert papers[0].title == r"E$^{2}$GAN: \textbf{Fast}"
    assert r"50.6\%" in papers[0].abstract and r"\method{}" in papers[0].abstract and report.ok


def test_html_entities_are_unescaped(tmp_path):
    path = write_jsonl(tmp_path / "h.jsonl", [
        {"title": "Q&amp;A &lt;models&gt;", "abstract": "accuracy &#8805; 90% &amp; F1&nbsp;&#x2265; 0.5 " + ABSTRACT}])
    papers, _ = read(path)
    assert papers[0].title == "Q&A <models>"
    assert papers[0].abstract.startswith("accuracy \u2265 90% & F1 \u2265 0.5 ")


def test_unicode_is_kept_and_spaces_normalised(tmp_path):
    text = "x\u00a0\u2265\u00a0y \u00d7 2 \u2013 3\u200b\u00ad  \t\u2028z\x00 \ud800"
    cleaned = ingest.clean_text(text)
    assert cleaned == "x \u2265 y \u00d7 2 \u2013 3 z \ufffd"
    path = tmp_path / "u.txt"
    in_file = text.replace("\x00", "").replace("\ud800", "")  # a raw NUL would make it binary
    path.write_text(listing_text(("Title\u00a0with\u2009spaces", in_file + " " + ABSTRACT)), encoding="utf-8")
    papers, report = read(path)
    assert papers[0].title == "Title with spaces"
    assert papers[0].abstract.startswith("x \u2265 y \u00d7 2 \u2013 3 z We present") and report.problems == []


# --- ids, duplicates, hashes ------------------------------------------------------


def test_paper_id_rules():
    assert paper_id("T", id="given-id") == "given-id"
    assert paper_id("T", id=1234) == "1234"
    assert paper_id("T", id="arXiv:2310.01234v3") == "2310.01234"
    assert paper_id("T", id="http://arxiv.org/abs/2310.01234v1") == "2310.01234"
    assert paper_id("T", url="https://arxiv.org/abs/2310.01234v2") == "2310.01234"
    assert paper_id("T", url="https://huggingface.co/papers/2305.10403") == "2305.10403"
    assert paper_id("T", url="https://arxiv.org/abs/cs/0112017v1") == "cs/0112017"
    assert paper_id("T", text="see arXiv:0704.0001 for details") == "0704.0001"
    assert paper_id("T", url="https://example.org/2310.01234") == paper_id("T")
    assert paper_id("T", id="  ") == paper_id("T")
    assert find_arxiv_id("math.GT/0309136v2") == "math.GT/0309136"
    assert find_arxiv_id("not an id 12.34") is None
    assert find_arxiv_id("2313.01234") is None  # month 13


def test_title_ids_ignore_case_punctuation_spacing_and_nfkc():
    base = paper_id("Coarse-to-Fine Vision-Language Pre-training")
    assert base.startswith("t-") and len(base) == 18
    assert paper_id("  coarse-to-fine   VISION-language pre–training. ") == base
    assert paper_id("\u201cCoarse-to-Fine\u201d Vision-Language Pre-training!") == base
    assert paper_id("Coarse-to-Fine\u00a0Vision-Language Pre-training") == base
    assert paper_id("Coarse-to-Fine Vision-Language Pretraining with more") != base


def test_duplicates_across_files_are_skipped_and_counted(tmp_path):
    a = write_jsonl(tmp_path / "a.jsonl", [{"title": "Same", "abstract": ABSTRACT, "id": "2310.01234"},
                                           {"title": "Only A", "abstract": ABSTRACT}])
    b = tmp_path / "b.csv"
    b.write_text(f"title,abstract,url\nSame again,{ABSTRACT.replace(',', '')},https://arxiv.org/abs/2310.01234v2\n"
                 f"Only B,{ABSTRACT_2.replace(',', '')},\n")
    papers, report = read([a, b])
    assert [p.title for p in papers] == ["Same", "Only A", "Only B"]
    assert report.duplicates == 1 and report.read == 3 and report.ok
    assert "1 duplicate" in report.summary()
    # the same file twice: everything duplicated
    papers, report = read([a, a])
    assert len(papers) == 2 and report.duplicates == 2


def test_content_hash():
    p = Paper("i", "Title", "An  abstract.", "<paste>")
    assert p.content_hash() == Paper("other", "Title", "An abstract.", "x", year=2020).content_hash()
    assert p.content_hash() != Paper("i", "Title", "An abstract!", "<paste>").content_hash()
    assert p.content_hash() != Paper("i", "title", "An  abstract.", "<paste>").content_hash()
    assert len(p.content_hash()) == 64


# --- report, strict mode, API shape --------------------------------------------------


def test_strict_mode_raises_on_first_error_with_one_line_message(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps({"title": "Ok", "abstract": ABSTRACT}) + "\n"
                    + '{"title": "a" "abstract": "b"}\n' + '{"title": "t", "abs\n')
    seen = []
    with pytest.raises(IngestError) as info:
        for paper in read_papers([path], strict=True):
            seen.append(paper.title)
    assert seen == ["Ok"]
    assert str(info.value) == f"{path}:2: invalid JSON (Expecting ',' delimiter)"
    assert "\n" not in str(info.value)
    assert info.value.problem == Problem(str(path), 2, "invalid JSON (Expecting ',' delimiter)")
    assert str(IngestError("out.jsonl:3: not a JSON record\n(x)")) == "out.jsonl:3: not a JSON record (x)"


def test_strict_mode_does_not_raise_on_warnings(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes(listing_text(("Caf\u00e9", ABSTRACT)).encode("latin-1"))
    report = IngestReport()
    assert len(list(read_papers([path], strict=True, report=report))) == 1
    assert report.warnings == 1 and report.ok


def test_report_summary_and_truthiness(tmp_path):
    report = IngestReport()
    assert report and report.ok
    list(read_papers([tmp_path / "missing.txt"], report=report))
    assert not report and not report.ok
    assert report.summary() == "read 0 papers from 1 file; skipped 0 bad records and 0 duplicates; 1 error, 0 warnings"
    assert "\n" not in report.summary()


def test_problems_kept_are_capped(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "MAX_PROBLEMS", 5)
    path = tmp_path / "bad.jsonl"
    path.write_text("{\n" * 20)
    _, report = read(path)
    assert report.errors == 20 and report.skipped == 20 and len(report.problems) == 5


def test_reading_is_lazy(tmp_path):
    path = tmp_path / "lazy.jsonl"
    path.write_text(json.dumps({"title": "First", "abstract": ABSTRACT}) + "\n{broken\n")
    report = IngestReport()
    papers = read_papers(path, report=report)  # a single path is accepted too
    assert report.files == 0
    assert next(papers).title == "First" and report.problems == []
    assert list(papers) == [] and len(report.problems) == 1


def test_read_text_paste():
    report = IngestReport()
    papers = list(read_text(listing_text(("Pasted Title", ABSTRACT)), report=report))
    assert [(p.title, p.source) for p in papers] == [("Pasted Title", "<paste>")]
    papers = list(read_text(json.dumps({"title": "J", "abstract": ABSTRACT}) + "\n"))
    assert [p.title for p in papers] == ["J"]


@pytest.mark.parametrize("broken, joined", [
    ("a new bench- mark for QA", "a new benchmark for QA"),
    ("multi- modal fusion", "multi-modal fusion"),
    ("state-of-the- art results", "state-of-the-art results"),
    ("the trans- former layers", "the transformer layers"),
    ("pre- and post-training", "pre- and post-training"),       # a suspended hyphen stays
    ("first- or second-order methods", "first- or second-order methods"),
    ("GPT- 4 and Llama- 2", "GPT- 4 and Llama- 2"),             # not a lower-case continuation
])
def test_words_broken_at_a_line_end_are_joined(broken, joined):
    assert ingest.join_broken_words(broken) == joined
    assert ingest.clean_text(f"  {broken}\u00a0 ") == joined
