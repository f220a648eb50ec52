"""Spark reads every table in one line, with the contract's types.

Spark rejects Parquet nanosecond timestamps and reads bare repeated fields
differently from LIST, so this is the strictest of the readers. It needs a
Java runtime; without `java` on the PATH the test is skipped with a message
(CI machines have Java 17).
"""

from __future__ import annotations

import os
import shutil

import pytest

from conftest import TABLES

CONTRACT_SPARK_TYPES = {
    "threads": {"thread_id": "string", "published_at": "timestamp", "declared_comments": "int",
                "n_comments": "int", "fetched_at": "timestamp"},
    "comments": {"comment_id": "string", "parent_id": "string", "depth": "int", "is_op": "boolean",
                 "posted_at": "timestamp", "compound": "double", "themes": "array<string>"},
    "sentences": {"sentence_index": "int", "start": "int", "end": "int", "compound": "double"},
    "theme_hits": {"theme": "string", "negated": "boolean", "hedged": "boolean", "start": "int"},
    "entities": {"label": "string", "start": "int", "end": "int"},
    "tokens": {"tag": "string", "token_index": "int"},
}


@pytest.fixture(scope="module")
def spark():
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("no Java runtime: Spark read-back not run")
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[1]").appName("threadlens-readback")
               .config("spark.ui.enabled", "false")
               .config("spark.sql.session.timeZone", "UTC")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.mark.parametrize("name", TABLES)
def test_spark_reads_table(spark, dataset, name):
    df = spark.read.parquet(str(dataset.table(name)))  # the one line a researcher writes
    assert df.count() == dataset.manifest()["tables"][name]
    types = dict(df.dtypes)
    for column, want in CONTRACT_SPARK_TYPES[name].items():
        assert types[column] == want, f"{name}.{column}: Spark sees {types[column]}, want {want}"


def test_spark_timestamps_are_real_dates(spark, dataset):
    row = spark.read.parquet(str(dataset.table("threads"))).selectExpr(
        "min(year(fetched_at)) as lo", "max(year(fetched_at)) as hi").collect()[0]
    if row.lo is not None:
        assert 2000 <= row.lo <= row.hi <= 2100, f"fetched_at years {row.lo}..{row.hi}"
