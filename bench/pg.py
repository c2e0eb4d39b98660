"""Throwaway benchmark databases on the local PostgreSQL, one per stage, dropped after.

AKHBAR_BENCH_PG_SERVER names the server (default the local one on 127.0.0.1:5432, the
same default as the tests); each database is called akhbar_bench_<pid>_<stage> so that
two benchmark runs, or a benchmark and the test suite, never share one.
"""
from __future__ import annotations

import contextlib
import os
from typing import Iterator
from urllib.parse import urlsplit, urlunsplit

import psycopg2
from psycopg2 import sql

DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432"


def server() -> str:
    return (os.environ.get("AKHBAR_BENCH_PG_SERVER") or os.environ.get("AKHBAR_TEST_PG_SERVER")
            or DEFAULT_SERVER)


def db_url(name: str) -> str:
    return urlunsplit(urlsplit(server())._replace(path=f"/{name}"))


def _admin_execute(statement: sql.Composable) -> None:
    conn = psycopg2.connect(db_url("postgres"), connect_timeout=5)
    try:
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(statement)
    finally:
        conn.close()


@contextlib.contextmanager
def bench_database(stage: str, *, migrated: bool = True, keep: bool = False) -> Iterator[str]:
    """The URL of a new database for `stage` (with the warehouse's migrations applied);
    dropped afterwards unless `keep`."""
    name = f"akhbar_bench_{os.getpid()}_{stage}"
    ident = sql.Identifier(name)
    _admin_execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(ident))
    _admin_execute(sql.SQL("CREATE DATABASE {}").format(ident))
    try:
        url = db_url(name)
        if migrated:
            from akhbar.load.migrate import prepare_warehouse

            prepare_warehouse(url)
        yield url
    finally:
        if not keep:
            _admin_execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(ident))
