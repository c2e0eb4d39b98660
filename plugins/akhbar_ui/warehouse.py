"""The plugin's only way into the warehouse: read-only transactions with a statement timeout.

The URL comes from the `akhbar_warehouse_ro` Airflow connection where a deployment has a
read-only role for it, else from `akhbar_warehouse`, else (tests, a bare API server) from
AKHBAR_WAREHOUSE_URL. Whatever the role may do, every session is opened with
default_transaction_read_only and each transaction is started READ ONLY, so the pages
cannot write.
"""
from __future__ import annotations

import contextlib
import os
import threading
from typing import Iterator

import psycopg2
import psycopg2.extras
import psycopg2.pool

CONN_IDS = ("akhbar_warehouse_ro", "akhbar_warehouse")
#: A page's queries take milliseconds on the benchmark corpus; this bounds a runaway one.
STATEMENT_TIMEOUT_MS = int(os.environ.get("AKHBAR_UI_STATEMENT_TIMEOUT_MS", "3000"))


class WarehouseUnavailable(RuntimeError):
    """No warehouse is configured, or it does not answer."""


def _airflow_connection_url(conn_id: str) -> str | None:
    try:
        from airflow.models.connection import Connection
    except ImportError:
        return None
    try:
        conn = Connection.get_connection_from_secrets(conn_id)
    except Exception:  # AirflowNotFoundException, or no metadata database to ask
        return None
    uri = conn.get_uri()
    return "postgresql://" + uri.split("://", 1)[1] if uri.split("://", 1)[0] in ("postgres", "postgresql") else uri


def warehouse_url() -> str:
    """The libpq URL the plugin reads. One small function, to be pointed at the
    warehouse hook once plugins/ has one."""
    for conn_id in CONN_IDS:
        url = _airflow_connection_url(conn_id)
        if url:
            return url
    if os.environ.get("AKHBAR_WAREHOUSE_URL"):
        return os.environ["AKHBAR_WAREHOUSE_URL"]
    raise WarehouseUnavailable(
        "no warehouse configured: set the akhbar_warehouse connection (or AKHBAR_WAREHOUSE_URL)")


class Warehouse:
    """A small pool of read-only sessions on one warehouse."""

    def __init__(self, url: str | None = None, max_connections: int = 4):
        self._url = url
        self._max = max_connections
        self._pool: psycopg2.pool.ThreadedConnectionPool | None = None
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        if self._url is None:
            self._url = warehouse_url()
        return self._url

    def _get_pool(self) -> psycopg2.pool.ThreadedConnectionPool:
        with self._lock:
            if self._pool is None:
                options = (f"-c default_transaction_read_only=on -c statement_timeout={STATEMENT_TIMEOUT_MS}"
                           " -c jit=off -c application_name=akhbar_ui")
                try:
                    self._pool = psycopg2.pool.ThreadedConnectionPool(
                        0, self._max, self.url, options=options, connect_timeout=5)
                except psycopg2.OperationalError as exc:
                    raise WarehouseUnavailable(f"the warehouse does not answer: {exc}".strip()) from exc
            return self._pool

    @contextlib.contextmanager
    def transaction(self) -> Iterator[psycopg2.extras.RealDictCursor]:
        """A cursor in a READ ONLY transaction, rolled back at the end whatever happened."""
        pool = self._get_pool()
        try:
            conn = pool.getconn()
        except (psycopg2.OperationalError, psycopg2.pool.PoolError) as exc:
            raise WarehouseUnavailable(f"the warehouse does not answer: {exc}".strip()) from exc
        broken = False
        try:
            with conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur:
                # psycopg2 has just opened the transaction: this is its first statement
                cur.execute("SET TRANSACTION READ ONLY")
                yield cur
        except (psycopg2.OperationalError, psycopg2.InterfaceError):
            broken = True
            raise
        finally:
            try:
                conn.rollback()
            except psycopg2.Error:
                broken = True
            pool.putconn(conn, close=broken or conn.closed != 0)

    def fetch(self, sql: str, params=None) -> list[dict]:
        with self.transaction() as cur:
            cur.execute(sql, params)
            return [dict(r) for r in cur.fetchall()]

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.closeall()
                self._pool = None
