"""Distributed extraction on Dask (``pip install .[dask]``).

::

    kg extract papers.jsonl --scheduler tcp://host:8786 -o shards/   # a running Dask cluster
    kg extract papers.jsonl --scheduler local -j 4 -o shards/        # a LocalCluster here
    kg load shards/ --store bolt://neo4j:7687                        # any store

The client reads the input (with the usual checks, de-duplication and
problem report), cuts it into shards of ``shard_size`` papers and submits
one task per shard; a worker runs the very same pipeline as ``kg build``
(``extractors.pipeline.extract``, the spaCy pipeline loaded once per worker
process) and returns the shard's records, which the client writes to
``part-00000.jsonl``, ``part-00001.jsonl`` … in input order. Only a few
shards per worker are in flight at a time, so the client's memory does not
grow with the corpus. Workers need this package installed (the same version:
the extractor version is written into every record); they need no access to
the input or output files.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from kg.ingest import IngestReport, read_papers

DEFAULT_SHARD_SIZE = 500


class DaskMissing(RuntimeError):
    pass


@dataclass
class ShardReport:
    shards: int = 0
    records: int = 0
    workers: int = 0
    output: str = ""


def _extract_shard(papers: list, model_dir: str | None = None, use_ner: bool = True) -> list[dict]:
    """Runs on a worker: the pipeline is cached per worker process."""
    from extractors.pipeline import extract, load_pipeline

    return list(extract(papers, nlp=load_pipeline(model_dir, use_ner=use_ner), batch_size=32))


def _client(scheduler: str, workers: int | None):
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise DaskMissing("distributed extraction needs Dask: pip install '.[dask]'") from None
    if scheduler == "local":
        cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1,
                               processes=True, dashboard_address=None)
        return Client(cluster), cluster
    return Client(scheduler), None


def _write_shard(directory: Path, index: int, records: list[dict]) -> None:
    path = directory / f"part-{index:05d}.jsonl"
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    os.replace(tmp, path)  # a shard is there whole or not at all


def extract_distributed(inputs: Iterable[str | Path], output: str | Path, scheduler: str = "local",
                        fmt: str | None = None, strict: bool = False, workers: int | None = None,
                        shard_size: int = DEFAULT_SHARD_SIZE, report: IngestReport | None = None,
                        on_records: Callable[[int], None] | None = None,
                        model_dir: str | None = None, use_ner: bool = True,
                        client=None) -> ShardReport:
    """Extract ``inputs`` on a Dask cluster into JSONL shards under ``output``.

    ``scheduler``: ``"local"`` (a LocalCluster of ``workers`` processes) or
    a scheduler address such as ``tcp://host:8786``; or pass a ``client``.
    """
    from kg.build import _chunks

    directory = Path(output)
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("part-*.jsonl"):  # a re-run replaces the shard set
        stale.unlink()
    own = None
    if client is None:
        client, cluster = _client(scheduler, workers)
        own = (client, cluster)
    try:
        from distributed import wait

        result = ShardReport(output=str(directory),
                             workers=len(client.scheduler_info().get("workers", {})))
        window = max(2, 2 * max(result.workers, 1))
        pending: dict = {}
        papers = read_papers(inputs, format=fmt, strict=strict, report=report)

        def collect(done) -> None:
            for future in done:
                index = pending.pop(future)
                records = future.result()
                _write_shard(directory, index, records)
                result.records += len(records)
                if on_records:
                    on_records(len(records))

        for index, shard in enumerate(_chunks(papers, shard_size)):
            future = client.submit(_extract_shard, shard, model_dir, use_ner, pure=False)
            pending[future] = index
            result.shards += 1
            if len(pending) >= window:
                collect(wait(list(pending), return_when="FIRST_COMPLETED").done)
        while pending:
            collect(wait(list(pending), return_when="FIRST_COMPLETED").done)
        return result
    finally:
        if own is not None:
            client, cluster = own
            client.close()
            if cluster is not None:
                cluster.close()
