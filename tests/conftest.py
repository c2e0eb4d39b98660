"""Shared fixtures: a fresh database on the real PostgreSQL, and the sample feeds served
over real HTTP on loopback."""
from __future__ import annotations

import contextlib
import functools
import http.server
import os
import threading
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "config" / "samples"
# `make test` sets this to the server scripts/ensure_postgres.py found or started.
# Pages on loopback need no politeness; the pacing itself is tested in tests/extract.
os.environ.setdefault("AKHBAR_MIN_HOST_DELAY", "0")

PG_SERVER = os.environ.get("AKHBAR_TEST_PG_SERVER", "postgresql://postgres@127.0.0.1:5432")


def db_url(name: str) -> str:
    """The URL of database `name` on the test server (a TCP or a Unix-socket URL)."""
    parts = urlsplit(PG_SERVER)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _admin():
    conn = psycopg2.connect(db_url("postgres"), connect_timeout=5)
    conn.autocommit = True
    return conn


@contextlib.contextmanager
def new_database():
    """The URL of a new, empty database, dropped afterwards."""
    name = f"akhbar_test_{uuid.uuid4().hex[:12]}"
    conn = _admin()
    with conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE {name}")
    conn.close()
    try:
        yield db_url(name)
    finally:
        conn = _admin()
        with conn.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.close()


@pytest.fixture
def fresh_db_url():
    with new_database() as url:
        yield url


@pytest.fixture
def warehouse_url(fresh_db_url):
    """A fresh database with every migration applied."""
    from akhbar.load.migrate import prepare_warehouse

    prepare_warehouse(fresh_db_url)
    return fresh_db_url


def query(url: str, sql: str, params=None) -> list[tuple]:
    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall()
    finally:
        conn.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve_samples():
    """config/samples served on 127.0.0.1 by a real HTTP server; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(SAMPLES))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def samples_server():
    with serve_samples() as base:
        yield base


def sample_feeds_over_http(base_url: str, target: Path, extra: list[dict] | None = None) -> Path:
    """A copy of config/feeds.sample.yaml whose feeds point at the loopback server."""
    doc = yaml.safe_load((ROOT / "config" / "feeds.sample.yaml").read_text(encoding="utf-8"))
    for feed in doc["feeds"]:
        relative = feed["url"].removeprefix("samples/")
        feed["url"] = f"{base_url}/{relative}"
        feed["allow_private_network"] = True
    doc["feeds"].extend(extra or [])
    target.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return target
