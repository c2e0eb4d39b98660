"""Connections to the warehouse: where it is, and making sure its database exists."""
from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Iterator
from urllib.parse import urlsplit, urlunsplit

import psycopg2
import psycopg2.extensions
from psycopg2 import sql

DEFAULT_WAREHOUSE_URL = "postgresql://postgres@127.0.0.1:5432/akhbar"


def warehouse_url(explicit: str | None = None) -> str:
    """The libpq URL to use: an explicit one, else AKHBAR_WAREHOUSE_URL, else the local default."""
    return explicit or os.environ.get("AKHBAR_WAREHOUSE_URL") or DEFAULT_WAREHOUSE_URL


def redact(url: str) -> str:
    """The URL without its password, for logs and messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


def ensure_database(url: str) -> None:
    """Create the URL's database when the server lacks it (first run on a fresh server)."""
    parts = urlsplit(url)
    dbname = parts.path.lstrip("/")
    if not dbname:
        return
    try:
        psycopg2.connect(url, connect_timeout=5).close()
        return
    except psycopg2.OperationalError as exc:
        if "does not exist" not in str(exc):
            raise
    admin = urlunsplit(parts._replace(path="/postgres"))
    conn = psycopg2.connect(admin, connect_timeout=5)
    try:
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,))
            if cur.fetchone() is None:
                cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
    finally:
        conn.close()


def connect(url: str | None = None) -> psycopg2.extensions.connection:
    url = warehouse_url(url)
    conn = psycopg2.connect(url, connect_timeout=10, application_name="akhbar")
    with conn.cursor() as cur:
        cur.execute("SET TIME ZONE 'UTC'")
    conn.commit()
    return conn


@contextmanager
def connection(url: str | None = None) -> Iterator[psycopg2.extensions.connection]:
    """A connection that commits on success and rolls back on error."""
    conn = connect(url)
    try:
        yield conn
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    finally:
        conn.close()
