"""Read every table of a threadlens dataset back and check the contract
(DESIGN.md "The dataset contract", datasets/SCHEMA.md)."""

from __future__ import annotations

from collections import Counter, defaultdict

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from conftest import TABLES

STRING = pa.string()
INT = pa.int32()
DOUBLE = pa.float64()
BOOL = pa.bool_()
TIME = pa.timestamp("us", tz="UTC")
LIST = "list<string>"

# The contract: table -> column -> (arrow type, nullable).
CONTRACT = {
    "threads": {
        "thread_id": (STRING, False), "site": (STRING, False), "source": (STRING, False),
        "url": (STRING, True), "title": (STRING, False), "author": (STRING, False),
        "published_at": (TIME, True), "body": (STRING, False), "declared_comments": (INT, True),
        "n_comments": (INT, False), "n_repaired": (INT, False), "content_hash": (STRING, False),
        "fetched_at": (TIME, True), "lexicon_sha256": (STRING, False),
        "hidden_comments": (INT, False), "themes": (LIST, False), "compound_mean": (DOUBLE, False),
    },
    "comments": {
        "thread_id": (STRING, False), "comment_id": (STRING, False), "parent_id": (STRING, True),
        "depth": (INT, False), "position": (INT, False), "doc_order": (INT, False),
        "author": (STRING, False), "is_op": (BOOL, False), "posted_at": (TIME, True),
        "posted_raw": (STRING, True), "text": (STRING, False), "is_deleted": (BOOL, False),
        "n_sentences": (INT, False), "n_tokens": (INT, False), "compound": (DOUBLE, False),
        "pos": (DOUBLE, False), "neu": (DOUBLE, False), "neg": (DOUBLE, False),
        "compound_mean": (DOUBLE, False), "polarity": (STRING, False), "shouting": (DOUBLE, False),
        "themes": (LIST, False),
    },
    "sentences": {
        "thread_id": (STRING, False), "comment_id": (STRING, False), "sentence_index": (INT, False),
        "start": (INT, False), "end": (INT, False), "text": (STRING, False),
        "compound": (DOUBLE, False), "pos": (DOUBLE, False), "neu": (DOUBLE, False), "neg": (DOUBLE, False),
    },
    "theme_hits": {
        "thread_id": (STRING, False), "comment_id": (STRING, False), "theme": (STRING, False),
        "cue": (STRING, False), "sentence_index": (INT, False), "start": (INT, False),
        "end": (INT, False), "match": (STRING, False), "negated": (BOOL, False), "hedged": (BOOL, False),
    },
    "entities": {
        "thread_id": (STRING, False), "comment_id": (STRING, False), "sentence_index": (INT, False),
        "start": (INT, False), "end": (INT, False), "text": (STRING, False), "label": (STRING, False),
    },
    "tokens": {
        "thread_id": (STRING, False), "comment_id": (STRING, False), "sentence_index": (INT, False),
        "token_index": (INT, False), "start": (INT, False), "end": (INT, False),
        "text": (STRING, False), "tag": (STRING, False),
    },
}

DUCKDB_TYPES = {STRING: "VARCHAR", INT: "INTEGER", DOUBLE: "DOUBLE", BOOL: "BOOLEAN",
                TIME: "TIMESTAMP WITH TIME ZONE", LIST: "VARCHAR[]"}


def read(dataset, name: str) -> pa.Table:
    return pq.read_table(dataset.table(name))


def same_type(got: pa.DataType, want) -> bool:
    if want == LIST:
        return pa.types.is_list(got) and got.value_type == pa.string()
    return got == want


@pytest.fixture(scope="module")
def tables(dataset) -> dict[str, pa.Table]:
    return {name: read(dataset, name) for name in TABLES}


@pytest.fixture(scope="module")
def con(dataset):
    c = duckdb.connect()
    c.execute("SET TimeZone = 'UTC'")
    yield c
    c.close()


@pytest.mark.parametrize("name", TABLES)
def test_arrow_schema_matches_contract(tables, name):
    schema = tables[name].schema
    for column, (want, nullable) in CONTRACT[name].items():
        assert column in schema.names, f"{name}: missing column {column}"
        got = schema.field(column).type
        assert same_type(got, want), f"{name}.{column}: {got}, want {want}"
        if not nullable:
            assert tables[name].column(column).null_count == 0, f"{name}.{column} has nulls"


@pytest.mark.parametrize("name", TABLES)
def test_parquet_physical_types_and_zstd(dataset, name):
    for path in sorted(dataset.table(name).glob("*.parquet")):
        meta = pq.ParquetFile(path).metadata
        schema = meta.schema
        for i in range(len(schema)):
            col = schema.column(i)
            if col.name in ("start", "end", "depth", "sentence_index", "token_index"):
                assert col.physical_type == "INT32", f"{path}: {col.path} is {col.physical_type}"
            if col.name.endswith("_at"):
                assert col.physical_type == "INT64"
                assert "timeUnit=microseconds" in str(col.logical_type) and "isAdjustedToUTC=true" in str(col.logical_type), col.logical_type
        for rg in range(meta.num_row_groups):
            for c in range(meta.num_columns):
                assert meta.row_group(rg).column(c).compression == "ZSTD", f"{path}: column {c} not ZSTD"


@pytest.mark.parametrize("name", TABLES)
def test_duckdb_reads_contract_types(con, dataset, name):
    rows = con.execute(f"DESCRIBE SELECT * FROM read_parquet('{dataset.glob(name)}')").fetchall()
    types = {r[0]: r[1] for r in rows}
    for column, (want, _) in CONTRACT[name].items():
        assert types[column] == DUCKDB_TYPES[want], f"{name}.{column}: DuckDB {types[column]}"


@pytest.mark.parametrize("name", TABLES)
def test_row_counts_match_manifest(con, dataset, tables, name):
    manifest = dataset.manifest()
    n = con.execute(f"SELECT count(*) FROM read_parquet('{dataset.glob(name)}')").fetchone()[0]
    assert n == tables[name].num_rows == manifest["tables"][name]
    per_thread = sum(e["rows"].get(name, 0) for e in manifest["threads"].values())
    assert per_thread == n


def test_row_counts_match_summaries(dataset, tables):
    for table in ("comments", "sentences", "theme_hits", "entities", "tokens"):
        written = sum(r.summary[table] for r in dataset.runs)
        assert written == tables[table].num_rows, f"{table}: runs wrote {written}, dataset has {tables[table].num_rows}"
    assert sum(r.summary["written"] for r in dataset.runs) == tables["threads"].num_rows
    tags = sum(len(t) for t in tables["comments"].column("themes").to_pylist())
    assert sum(r.summary["theme_tags"] for r in dataset.runs) == tags


def test_manifest_describes_threads(dataset, tables):
    manifest = dataset.manifest()
    assert manifest["schema_version"] == 1 and manifest["buckets"] > 0
    assert manifest["lexicon"]["sha256"]
    threads = tables["threads"].to_pylist()
    assert {t["thread_id"] for t in threads} == set(manifest["threads"])
    for t in threads:
        entry = manifest["threads"][t["thread_id"]]
        assert entry["content_hash"] == t["content_hash"]
        assert entry["lexicon_sha256"] == t["lexicon_sha256"]
        assert entry["file"] == f"part-{entry['bucket']:05d}.parquet"
        # The thread's rows are in that file of every table.
        stored = pq.read_table(dataset.table("threads") / entry["file"], columns=["thread_id"])
        assert t["thread_id"] in stored.column("thread_id").to_pylist()
    per_thread = Counter(tables["comments"].column("thread_id").to_pylist())
    for t in threads:
        assert t["n_comments"] == per_thread.get(t["thread_id"], 0) == manifest["threads"][t["thread_id"]]["rows"]["comments"]


def test_identities_unique(con, dataset):
    dup = con.execute(
        f"SELECT thread_id, comment_id, count(*) n FROM read_parquet('{dataset.glob('comments')}') "
        "GROUP BY ALL HAVING n > 1 LIMIT 5").fetchall()
    assert dup == []
    dup = con.execute(
        f"SELECT thread_id, count(*) n FROM read_parquet('{dataset.glob('threads')}') GROUP BY ALL HAVING n > 1").fetchall()
    assert dup == []


def test_reply_tree(tables):
    comments = tables["comments"].to_pylist()
    ids = {(c["thread_id"], c["comment_id"]) for c in comments}
    for c in comments:
        assert (c["parent_id"] is None) == (c["depth"] == 1), c
        if c["parent_id"] is not None:
            assert (c["thread_id"], c["parent_id"]) in ids, f"parent of {c['thread_id']}/{c['comment_id']} missing"
        assert c["position"] >= 1 and c["doc_order"] >= 1
        assert c["polarity"] in ("negative", "neutral", "positive")
    docorders = defaultdict(list)
    for c in comments:
        docorders[c["thread_id"]].append(c["doc_order"])
    for tid, orders in docorders.items():
        assert sorted(orders) == list(range(1, len(orders) + 1)), tid


def comment_texts(tables) -> dict[tuple[str, str], str]:
    c = tables["comments"]
    return {(t, i): x for t, i, x in zip(c.column("thread_id").to_pylist(), c.column("comment_id").to_pylist(), c.column("text").to_pylist())}


@pytest.mark.parametrize("name,column", [("theme_hits", "match"), ("tokens", "text"), ("sentences", "text"), ("entities", "text")])
def test_spans_slice_comment_text(tables, name, column):
    texts = comment_texts(tables)
    t = tables[name]
    for tid, cid, start, end, value in zip(t.column("thread_id").to_pylist(), t.column("comment_id").to_pylist(),
                                           t.column("start").to_pylist(), t.column("end").to_pylist(),
                                           t.column(column).to_pylist()):
        text = texts[(tid, cid)]
        assert 0 <= start <= end <= len(text), (name, tid, cid, start, end)
        assert text[start:end] == value, f"{name} {tid}/{cid} [{start}:{end}]: {text[start:end]!r} != {value!r}"


def test_themes_backed_by_hits(tables):
    hits = tables["theme_hits"]
    backed = set(zip(hits.column("thread_id").to_pylist(), hits.column("comment_id").to_pylist(), hits.column("theme").to_pylist()))
    c = tables["comments"]
    assert c.column("themes").null_count == 0
    hit_themes = defaultdict(set)
    for tid, cid, theme in backed:
        hit_themes[(tid, cid)].add(theme)
    for tid, cid, themes in zip(c.column("thread_id").to_pylist(), c.column("comment_id").to_pylist(), c.column("themes").to_pylist()):
        assert themes is not None
        for theme in themes:
            assert (tid, cid, theme) in backed, f"{tid}/{cid}: theme {theme} without a hit"
        assert set(themes) == hit_themes[(tid, cid)]


def test_themes_empty_list_not_null(con, dataset):
    n_null = con.execute(f"SELECT count(*) FROM read_parquet('{dataset.glob('comments')}') WHERE themes IS NULL").fetchone()[0]
    assert n_null == 0
    n_empty = con.execute(f"SELECT count(*) FROM read_parquet('{dataset.glob('comments')}') WHERE len(themes) = 0").fetchone()[0]
    n_all = con.execute(f"SELECT count(*) FROM read_parquet('{dataset.glob('comments')}')").fetchone()[0]
    assert n_empty <= n_all


def test_one_line_loads(dataset, tables):
    for name in TABLES:
        pdf = pd.read_parquet(dataset.table(name))
        plf = pl.read_parquet(dataset.glob(name))
        dsf = ds.dataset(dataset.table(name), format="parquet").to_table()
        assert len(pdf) == plf.height == dsf.num_rows == tables[name].num_rows, name
    plc = pl.read_parquet(dataset.glob("comments"))
    assert plc.schema["themes"] == pl.List(pl.String)
    assert plc.schema["posted_at"] == pl.Datetime("us", "UTC")


def test_samples_present(tables):
    sources = tables["threads"].column("source").to_pylist()
    assert any(s.startswith("sample:") for s in sources), sources


def test_corpus_wordpress_threads(dataset, tables):
    if not dataset.corpus_sources:
        pytest.skip("shared corpus not found")
    sites = Counter(tables["threads"].column("site").to_pylist())
    assert sites["wordpress"] >= 5, sites


def test_rerun_adds_no_duplicates(con, dataset, tables, rerun):
    assert [r.summary["written"] for r in rerun] == [0] * len(rerun), [r.stdout for r in rerun]
    assert sum(r.summary["unchanged"] for r in rerun) == tables["threads"].num_rows
    for name in TABLES:
        n = con.execute(f"SELECT count(*) FROM read_parquet('{dataset.glob(name)}')").fetchone()[0]
        assert n == tables[name].num_rows, f"{name}: {n} rows after the re-run, {tables[name].num_rows} before"
    manifest = dataset.manifest()
    assert len(manifest["runs"]) == len(dataset.runs) + len(rerun)
    assert manifest["runs"][-1]["counts"]["threads_written"] == 0
