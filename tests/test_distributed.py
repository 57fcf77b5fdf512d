"""Distributed extraction on a real Dask LocalCluster (two worker processes):
the shards hold exactly the single-process records, and load into the same graph."""

from __future__ import annotations

import itertools
import json
import os

import pytest

pytest.importorskip("distributed", reason="Dask is an optional extra: pip install '.[dask]'")

from conftest import SAMPLE  # noqa: E402
from kg.build import build, extract_records, read_records  # noqa: E402
from kg.distributed import extract_distributed  # noqa: E402
from kg.ingest import IngestReport, read_papers  # noqa: E402
from kg.stores import EmbeddedStore  # noqa: E402


@pytest.fixture(scope="module")
def cluster():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                      dashboard_address=None) as local, Client(local) as client:
        yield client


@pytest.fixture
def papers_file(tmp_path):
    path = tmp_path / "papers.jsonl"
    with open(path, "w", encoding="utf-8") as handle:
        for paper in itertools.islice(read_papers([SAMPLE]), 14):
            handle.write(json.dumps({"id": paper.id, "title": paper.title,
                                     "abstract": paper.abstract}) + "\n")
        handle.write("{not json\n")  # reported once, by the client
    return path


def test_shards_equal_the_single_process_extraction(cluster, papers_file, tmp_path):
    report = IngestReport()
    result = extract_distributed([papers_file], tmp_path / "shards", client=cluster,
                                 shard_size=4, report=report)
    assert result.workers == 2 and result.shards == 4 and result.records == 14
    assert sorted(os.listdir(tmp_path / "shards")) == [f"part-0000{i}.jsonl" for i in range(4)]
    assert report.read == 14 and report.skipped == 1

    single = list(extract_records([papers_file]))
    assert list(read_records([tmp_path / "shards"])) == single


def test_loaded_shards_make_the_same_graph_as_a_build(cluster, papers_file, tmp_path, store,
                                                      server, store_home):
    extract_distributed([papers_file], tmp_path / "shards", client=cluster, shard_size=5)
    report = store.load(read_records([tmp_path / "shards"]))
    assert report.papers == 14

    built = EmbeddedStore(store_home, database=f"built_{os.getpid()}")
    try:
        build([papers_file], built)
        assert built.stats() == store.stats()
    finally:
        built.close()


def test_cli_extract_on_a_scheduler_address(cluster, papers_file, tmp_path):
    from typer.testing import CliRunner

    from kg.cli import app

    address = cluster.scheduler.address
    assert address.startswith("tcp://")
    result = CliRunner().invoke(app, ["extract", str(papers_file), "--scheduler", address,
                                      "--shard-size", "8", "-o", str(tmp_path / "out")])
    assert result.exit_code == 3, result.output  # the bad line is reported, the rest extracted
    assert "wrote 14 records in 2 shards" in result.output
    assert [r["id"] for r in read_records([tmp_path / "out"])] == \
        [r["id"] for r in extract_records([papers_file])]


def test_cli_extract_needs_a_directory_with_a_scheduler(papers_file):
    from typer.testing import CliRunner

    from kg.cli import app

    result = CliRunner().invoke(app, ["extract", str(papers_file), "--scheduler", "local"])
    assert result.exit_code == 1 and "give a directory" in result.output
