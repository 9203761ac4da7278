"""Batch linking and de-duplication with Splink (DuckDB by default, Spark when available).

The Splink settings carry the model's exact m and u for every level, so a batch match
probability equals the in-process index's probability for the same pair.
"""

from __future__ import annotations

import csv
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from typing import Any

from openmash.core.spreadsheets import csv_row
from openmash.people.matching.features import to_arrow
from openmash.people.matching.model import MatchModel
from openmash.people.matching.one_to_one import (
    candidate_floor,
    links_at,
    one_to_one_probabilities,
)
from openmash.people.matching.records import PersonRecord
from openmash.people.matching.train import dataset_names, splink_settings, train_on_tables

ENGINES = ("duckdb", "spark")
_FETCH = 50_000


class EngineUnavailable(RuntimeError):
    """The requested engine cannot run here (e.g. pyspark is not installed)."""


def _db_api(engine: str, memory_limit: str | None = None, cleanup: ExitStack | None = None) -> Any:
    """A Splink database API. A DuckDB spill directory (made only with ``memory_limit``) is
    removed, after its connection is closed, when ``cleanup`` unwinds."""
    if engine == "duckdb":
        import duckdb
        from splink import DuckDBAPI

        if memory_limit is None:
            return DuckDBAPI()
        # Beyond the limit DuckDB spills to disk: to the system's temporary directory, never to
        # "./.tmp" (DuckDB's default for an in-memory database).
        spill = tempfile.mkdtemp(prefix="openmash-duckdb-")
        if cleanup is not None:
            cleanup.callback(shutil.rmtree, spill, ignore_errors=True)
        connection = duckdb.connect(config={"memory_limit": memory_limit, "temp_directory": spill})
        if cleanup is not None:
            cleanup.callback(connection.close)  # runs first: close, then remove the directory
        return DuckDBAPI(connection)
    if engine == "spark":
        try:
            from pyspark.sql import SparkSession
        except ImportError as exc:
            raise EngineUnavailable(
                "engine='spark' needs pyspark, which is not installed here: install pyspark "
                "(and a Java runtime) or use engine='duckdb'"
            ) from exc
        from splink import SparkAPI
        from splink.backends.spark import similarity_jar_location

        # Splink's string similarity functions (jaro_winkler, damerau_levenshtein) come in a jar
        # shipped inside the splink package: the session must load it (nothing is downloaded).
        spark = (  # pragma: no cover - no pyspark in CI
            SparkSession.builder.appName("openmash")
            .config("spark.jars", similarity_jar_location())
            .getOrCreate()
        )
        # Splink breaks long lineages with checkpoints, which need a directory: a temporary one
        # of ours unless the session already has one (a cluster's shared storage, say).
        context = spark.sparkContext  # pragma: no cover
        if context.getCheckpointDir() is None:  # pragma: no cover
            checkpoints = tempfile.mkdtemp(prefix="openmash-spark-")
            if cleanup is not None:
                cleanup.callback(shutil.rmtree, checkpoints, ignore_errors=True)
            context.setCheckpointDir(checkpoints)
        return SparkAPI(spark_session=spark)  # pragma: no cover
    raise ValueError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")


def _spark_ddl(schema: Any) -> str:
    """A Spark DDL schema for the feature table (strings, ints and string arrays)."""
    import pyarrow as pa

    def kind(t: Any) -> str:
        if pa.types.is_list(t):
            return "array<string>"
        return "int" if pa.types.is_integer(t) else "string"

    return ", ".join(f"`{f.name}` {kind(f.type)}" for f in schema)


def _register(
    db_api: Any, engine: str, table: Any, name: str, cleanup: ExitStack | None = None
) -> Any:
    if engine == "spark":  # pragma: no cover - no pyspark in CI (checked by hand, docs/people.md)
        spark = db_api.spark
        table = spark.createDataFrame(table.to_pylist(), schema=_spark_ddl(table.schema))
        # The session outlives this call: drop the view, or the next link cannot register.
        if cleanup is not None:
            cleanup.callback(spark.catalog.dropTempView, name)
    return db_api.register(table, dataset_display_name=name)


def _iter_df(splink_df: Any, columns: list[str]) -> Iterator[tuple[Any, ...]]:
    """Stream rows of a Splink result table without materialising it in Python."""
    if hasattr(splink_df, "as_duckdbpyrelation"):
        relation = splink_df.as_duckdbpyrelation().select(", ".join(columns))
        reader = relation.to_arrow_reader(_FETCH)
        for batch in reader:
            yield from zip(*(batch.column(i).to_pylist() for i in range(len(columns))), strict=True)
        return
    for row in splink_df.as_record_list():  # pragma: no cover - other engines
        yield tuple(row[c] for c in columns)


def link(
    left: Iterable[PersonRecord],
    right: Iterable[PersonRecord],
    *,
    model: MatchModel | None = None,
    engine: str = "duckdb",
    threshold: float | None = None,
    memory_limit: str | None = None,
    one_to_one: bool = False,
) -> Iterator[tuple[str, str, float]]:
    """(left_id, right_id, match_probability) for every candidate pair at or above the threshold
    (default: the model's). Trains a model on the two files first when none is given.

    ``one_to_one``: each file holds every person at most once, so a pair's probability also
    weighs its records' other candidates (``one_to_one.py``, ADR 0008). Without it, each pair's
    Fellegi-Sunter probability, exactly the in-process index's.

    ``memory_limit`` (DuckDB only, e.g. "3GB") caps DuckDB's memory; it spills to disk beyond.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    with ExitStack() as cleanup:  # removes any spill directories when the links are done
        db_api = _db_api(engine, memory_limit, cleanup)  # fail fast, before featurising
        tables = [to_arrow(left), to_arrow(right)]
        if model is None:
            training_db = _db_api("duckdb", memory_limit, cleanup) if engine == "duckdb" else None
            model = train_on_tables(tables, link_type="link_only", db_api=training_db)
        n_left, n_right = (int(t.num_rows) for t in tables)
        model = model.scaled_to(max(n_left, n_right))
        cut = model.threshold if threshold is None else threshold
        from splink import Linker

        names = dataset_names(2)
        frames = [
            _register(db_api, engine, t, n, cleanup) for t, n in zip(tables, names, strict=True)
        ]
        linker = Linker(
            frames, splink_settings(model, link_type="link_only", dialect=engine), log_level=None
        )
        if one_to_one:
            if n_left == 0 or n_right == 0:
                return
            floor = candidate_floor(model.prior_weight, n_left, n_right)
            predictions = linker.inference.predict(
                threshold_match_weight=floor, warning_mode="never"
            )
            columns = ["source_dataset_l", "unique_id_l", "unique_id_r", "match_weight"]
            weighed = (
                (str(a), str(b), float(w)) if source == names[0] else (str(b), str(a), float(w))
                for source, a, b, w in _iter_df(predictions, columns)
            )
            probabilities, _ = one_to_one_probabilities(
                weighed, prior_weight=model.prior_weight, n_left=n_left, n_right=n_right
            )
            yield from links_at(probabilities, cut)
            return
        predictions = linker.inference.predict(
            threshold_match_probability=cut, warning_mode="never"
        )
        columns = ["source_dataset_l", "unique_id_l", "unique_id_r", "match_probability"]
        for source_l, id_l, id_r, probability in _iter_df(predictions, columns):
            if probability < cut:
                continue
            if source_l == names[0]:
                yield str(id_l), str(id_r), float(probability)
            else:
                yield str(id_r), str(id_l), float(probability)


def dedupe(
    records: Iterable[PersonRecord],
    *,
    model: MatchModel | None = None,
    engine: str = "duckdb",
    threshold: float | None = None,
    memory_limit: str | None = None,
) -> Iterator[tuple[str, str]]:
    """(record_id, cluster_id) for every record: clusters are Splink's connected components of
    the pairs at or above the threshold; a record that matches nothing is its own cluster."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    with ExitStack() as cleanup:  # removes any spill directories when the clusters are done
        db_api = _db_api(engine, memory_limit, cleanup)
        table = to_arrow(records)
        if model is None:
            training_db = _db_api("duckdb", memory_limit, cleanup) if engine == "duckdb" else None
            model = train_on_tables([table], link_type="dedupe_only", db_api=training_db)
        model = model.scaled_to(int(table.num_rows))
        cut = model.threshold if threshold is None else threshold
        from splink import Linker

        frame = _register(db_api, engine, table, dataset_names(1)[0], cleanup)
        linker = Linker(
            frame, splink_settings(model, link_type="dedupe_only", dialect=engine), log_level=None
        )
        predictions = linker.inference.predict(
            threshold_match_probability=cut, warning_mode="never"
        )
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=cut
        )
        for record_id, cluster_id in _iter_df(clusters, ["unique_id", "cluster_id"]):
            yield str(record_id), str(cluster_id)


def write_links_csv(links: Iterable[tuple[str, str, float]], path: str | os.PathLike[str]) -> int:
    """Write ``left_id,right_id,match_probability``; returns the number of rows."""
    count = 0
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(("left_id", "right_id", "match_probability"))
        for left_id, right_id, probability in links:
            writer.writerow(csv_row((left_id, right_id, repr(float(probability)))))
            count += 1
    return count


def write_clusters_csv(clusters: Iterable[tuple[str, str]], path: str | os.PathLike[str]) -> int:
    """Write ``record_id,cluster_id``; returns the number of rows."""
    count = 0
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(("record_id", "cluster_id"))
        for record_id, cluster_id in clusters:
            writer.writerow(csv_row((record_id, cluster_id)))
            count += 1
    return count
