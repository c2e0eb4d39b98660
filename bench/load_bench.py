"""The loader's throughput against the database's: rows per second of load_articles
(committed, into the warehouse with its indexes, constraints, foreign keys and triggers)
against a raw COPY of the very same rows, and against the naive loader, one INSERT
statement per row. Each baseline runs twice: into a second warehouse with the same tables,
indexes, constraints and triggers (like for like, the issue's "the same tables": the
headline figures `ratio_to_copy` and `speedup_vs_row_inserts`), and into unindexed copies
of the tables (`..._unindexed`, the harsher baseline).

Rows are the rows of the warehouse's content tables: articles, paragraphs, article
countries, persons, amounts and events. The loader also writes the dedup index (band
postings, line positions and counts: `dedup_rows`), which no baseline writes. The times
are wall-clock (the work is shared between this process and the server); the baselines
commit once at the end, as the loader does.
"""
from __future__ import annotations

import io
import time
from datetime import date
from pathlib import Path

import psycopg2
import psycopg2.extensions

from akhbar.load import runs
from akhbar.load.writer import load_articles
from akhbar.models import FeedConfig
from bench.articles import FEED, staged_articles
from bench.pg import bench_database

TABLES = ["articles", "paragraphs", "article_countries", "persons", "amounts", "events"]
DEDUP_TABLES = ["paragraph_bands", "paragraph_lines", "outlet_lines"]
RUN_ID = "bench__load"


class _CountingCursor(psycopg2.extensions.cursor):
    """Counts the statements sent, to tell round trips from work (execute_values sends one
    statement per page of rows)."""
    statements = 0

    def execute(self, query, vars=None):
        _CountingCursor.statements += 1
        return super().execute(query, vars)

    def copy_expert(self, sql, file, size=8192):
        _CountingCursor.statements += 1
        return super().copy_expert(sql, file, size)


def _backend_cpu(conn) -> float | None:
    """CPU seconds the connection's PostgreSQL backend has used, when the server runs on
    this machine (psutil sees its process); else None."""
    import psutil

    try:
        times = psutil.Process(conn.get_backend_pid()).cpu_times()
    except (psutil.Error, OSError):
        return None
    return times.user + times.system


def _count(cur, table: str) -> int:
    cur.execute(f"SELECT count(*) FROM akhbar.{table}")
    return cur.fetchone()[0]


def _raw_tables(cur, schema: str) -> None:
    # LIKE without INCLUDING copies columns and NOT NULL only: no index, key, check or default
    cur.execute(f"CREATE SCHEMA {schema}")
    for table in TABLES:
        cur.execute(f"CREATE TABLE {schema}.{table} (LIKE akhbar.{table})")


def _row_inserts(conn, schema: str, tuples: dict[str, list[tuple]]) -> float:
    """Seconds to insert every row with a statement of its own, committed at the end."""
    started = time.perf_counter()
    with conn.cursor() as cur:
        for table in TABLES:
            if not tuples[table]:
                continue
            marks = ", ".join(["%s"] * len(tuples[table][0]))
            statement = f"INSERT INTO {schema}.{table} VALUES ({marks})"
            for row in tuples[table]:
                cur.execute(statement, row)
    conn.commit()
    return time.perf_counter() - started


def _copy(conn, schema: str, dumps: dict[str, str]) -> float:
    """Seconds to COPY every table's rows, committed at the end."""
    started = time.perf_counter()
    with conn.cursor() as cur:
        for table in TABLES:
            cur.copy_expert(f"COPY {schema}.{table} FROM STDIN", io.StringIO(dumps[table]))
    conn.commit()
    return time.perf_counter() - started


def _second_warehouse(stage: str, work) -> float:
    """`work(conn)` in a fresh warehouse that has the bench's feed."""
    with bench_database(stage) as url:
        conn = psycopg2.connect(url)
        try:
            runs.start(conn, RUN_ID, date(2018, 1, 1), [FeedConfig(FEED, "https://bench.invalid/", "bench")])
            conn.commit()
            return work(conn)
        finally:
            conn.close()


def run(path: Path, articles: int) -> dict:
    staged = staged_articles(path, articles, feed=FEED)
    with bench_database("load") as url:
        conn = psycopg2.connect(url)
        try:
            with conn.cursor() as cur:
                runs.start(conn, RUN_ID, date(2018, 1, 1), [FeedConfig(FEED, "https://bench.invalid/", "bench")])
                conn.commit()
                feed_ids = runs.feed_ids(conn)
                before = {t: _count(cur, t) for t in TABLES + DEDUP_TABLES}
            conn.cursor_factory = _CountingCursor
            _CountingCursor.statements = 0
            server_cpu = _backend_cpu(conn)
            started, cpu = time.perf_counter(), time.process_time()
            counts = load_articles(conn, RUN_ID, staged, feed_ids)
            conn.commit()
            loader_s, loader_cpu = time.perf_counter() - started, time.process_time() - cpu
            if server_cpu is not None:
                server_cpu = _backend_cpu(conn) - server_cpu
            statements = _CountingCursor.statements
            conn.cursor_factory = psycopg2.extensions.cursor
            with conn.cursor() as cur:
                rows_by_table = {t: _count(cur, t) - before[t] for t in TABLES}
                dedup_rows = {t: _count(cur, t) - before[t] for t in DEDUP_TABLES}
                dumps, tuples = {}, {}
                for table in TABLES:
                    buf = io.StringIO()
                    cur.copy_expert(f"COPY akhbar.{table} TO STDOUT", buf)
                    dumps[table] = buf.getvalue()
                    # key order: a repeated paragraph's first occurrence goes in before it
                    cur.execute(f"SELECT * FROM akhbar.{table} ORDER BY 1, 2")
                    tuples[table] = cur.fetchall()
                _raw_tables(cur, "raw_copy")
                _raw_tables(cur, "raw_insert")
            conn.commit()
            rows = sum(rows_by_table.values())

            copy_s = _copy(conn, "raw_copy", dumps)
            insert_s = _row_inserts(conn, "raw_insert", tuples)
        finally:
            conn.close()
    warehouse_copy_s = _second_warehouse("load_copy", lambda c: _copy(c, "akhbar", dumps))
    warehouse_insert_s = _second_warehouse("load_naive", lambda c: _row_inserts(c, "akhbar", tuples))
    loader_rate, copy_rate, warehouse_copy_rate = rows / loader_s, rows / copy_s, rows / warehouse_copy_s
    insert_rate, warehouse_insert_rate = rows / insert_s, rows / warehouse_insert_s
    return {
        "articles": len(staged),
        "rows": rows,
        "rows_by_table": rows_by_table,
        "dedup_rows": dedup_rows,
        "loader_counts": vars(counts),
        "loader_seconds": round(loader_s, 3),
        # the loader's own Python work (fingerprints, building statements) and its round trips
        "loader_client_cpu_seconds": round(loader_cpu, 3),
        # its backend's work (a local server only): wall time on a busy machine is mostly waiting
        "loader_server_cpu_seconds": None if server_cpu is None else round(server_cpu, 3),
        "loader_statements": statements,
        "copy_seconds": round(warehouse_copy_s, 3),
        "copy_unindexed_seconds": round(copy_s, 3),
        "row_insert_seconds": round(warehouse_insert_s, 3),
        "row_insert_unindexed_seconds": round(insert_s, 3),
        "loader_rows_per_s": round(loader_rate),
        "copy_rows_per_s": round(warehouse_copy_rate),
        "copy_unindexed_rows_per_s": round(copy_rate),
        "row_insert_rows_per_s": round(warehouse_insert_rate),
        "row_insert_unindexed_rows_per_s": round(insert_rate),
        "ratio_to_copy": round(loader_rate / warehouse_copy_rate, 3),
        "ratio_to_copy_unindexed": round(loader_rate / copy_rate, 3),
        "speedup_vs_row_inserts": round(loader_rate / warehouse_insert_rate, 2),
        "speedup_vs_row_inserts_unindexed": round(loader_rate / insert_rate, 2),
    }
