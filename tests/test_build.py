"""Streaming builds against the real embedded store: skipping current papers
before extraction, parallel extraction, the writer thread, progress totals."""

from __future__ import annotations

import itertools
import json

import pytest

from conftest import SAMPLE, make_record
from kg.build import (_Writer, build, count_papers, count_records, extract_stream, read_records,
                      record_files)
from kg.ingest import Paper, read_papers
from kg.loader import record_hash


def _jsonl(path, papers):
    with open(path, "w", encoding="utf-8") as handle:
        for paper in papers:
            handle.write(json.dumps({"id": paper.id, "title": paper.title,
                                     "abstract": paper.abstract}) + "\n")
    return path


@pytest.fixture(scope="module")
def sample_papers():
    return list(itertools.islice(read_papers([SAMPLE]), 12))


def test_second_build_extracts_nothing_and_changes_nothing(store, tmp_path, sample_papers):
    source = _jsonl(tmp_path / "papers.jsonl", sample_papers)
    first = build([source], store, batch_size=5)
    assert first.extracted == 12 and first.load.papers == 12
    before = store.stats()
    second = build([source], store, batch_size=5)
    assert second.extracted == 0 and second.load.papers == 0 and second.load.unchanged == 12
    assert store.stats() == before


def test_only_changed_papers_are_extracted_again(store, tmp_path, sample_papers):
    build([_jsonl(tmp_path / "a.jsonl", sample_papers)], store)
    edited = list(sample_papers)
    edited[3] = Paper(id=edited[3].id, title=edited[3].title, source="x",
                      abstract=edited[3].abstract + " We also evaluate on ImageNet.")
    report = build([_jsonl(tmp_path / "b.jsonl", edited)], store)
    assert report.extracted == 1
    assert report.load.updated == 1 and report.load.unchanged == 11


def test_a_new_extractor_version_extracts_everything_again(store, tmp_path, sample_papers, monkeypatch):
    import extractors.pipeline as pipeline

    source = _jsonl(tmp_path / "papers.jsonl", sample_papers[:4])
    build([source], store)
    monkeypatch.setattr(pipeline, "EXTRACTOR_VERSION", pipeline.EXTRACTOR_VERSION + "-next")
    report = build([source], store)
    assert report.extracted == 4 and report.load.updated == 4
    versions = store.read("MATCH (p:Paper) RETURN DISTINCT p.extractor AS version")
    assert [row["version"] for row in versions] == [pipeline.EXTRACTOR_VERSION]


def test_stored_hash_is_the_one_known_before_extraction(store, sample_papers):
    from kg.build import current_hash

    paper = sample_papers[0]
    record = next(extract_stream([paper]))
    assert record_hash(record) == current_hash(paper)
    store.load([record])
    assert store.stored_hashes([paper.id, "nope"]) == {paper.id: current_hash(paper)}


def test_extraction_is_lazy():
    endless = (Paper(id=f"p{i}", title=f"Paper {i}", abstract="We propose FooNet.", source="-")
               for i in itertools.count())
    records = list(itertools.islice(extract_stream(endless), 40))
    assert [r["id"] for r in records] == [f"p{i}" for i in range(40)]


def test_worker_processes_give_the_same_records_in_order(sample_papers):
    one = list(extract_stream(sample_papers, jobs=1))
    two = list(extract_stream(sample_papers, jobs=2))
    assert two == one


def test_writer_failure_reaches_the_producer(store):
    bad = make_record("bad")
    bad["relations"][0]["type"] = "NOT_A_TYPE"
    writer = _Writer(store, batch_size=2, on_loaded=None)
    with pytest.raises(ValueError, match="NOT_A_TYPE"):
        for i in range(50):  # the producer keeps going until the failure reaches it
            writer.put(make_record(f"ok{i}") if i else bad)
        writer.finish()
    assert store.stored_hashes(["bad", "ok1"]) == {}


def test_progress_totals(tmp_path, sample_papers):
    jsonl = _jsonl(tmp_path / "papers.jsonl", sample_papers)
    (tmp_path / "blank.jsonl").write_text("\n\n")
    assert count_papers([jsonl]) == 12
    assert count_papers([jsonl, tmp_path / "blank.jsonl"]) == 12
    assert count_papers([SAMPLE]) is None  # a listing: unknown until read


def test_record_files_and_counts(tmp_path):
    shards = tmp_path / "shards"
    shards.mkdir()
    for index in range(3):
        (shards / f"part-{index:05d}.jsonl").write_text(
            "".join(json.dumps(make_record(f"p{index}{n}")) + "\n" for n in range(2)))
    (shards / "notes.txt").write_text("not a shard")
    files = record_files([shards])
    assert [f.name for f in files] == ["part-00000.jsonl", "part-00001.jsonl", "part-00002.jsonl"]
    assert count_records(files) == 6
    assert [r["id"] for r in read_records([shards])] == ["p00", "p01", "p10", "p11", "p20", "p21"]


def test_plain_progress_prints_a_line_every_interval_and_at_the_end():
    import io

    from rich.console import Console

    from kg.build import progress_bar

    out = io.StringIO()
    progress, task = progress_bar(Console(file=out, force_terminal=False), total=3)
    progress.every = 0.0  # a line per step
    with progress:
        progress.advance(task)
        progress.update(task, note="1 loaded")
        progress.advance(task, 2)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("building: 1/3 papers") and "3/3 papers" in lines[-1] and "1 loaded" in lines[-1]
