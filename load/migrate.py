"""Forward-only migrations: the numbered files in sql/, each applied once, in order."""
from __future__ import annotations

import re
from importlib import resources

import psycopg2.extensions

from akhbar.load.countries import sync_countries
from akhbar.load.db import connection, ensure_database, warehouse_url

_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")
# Serializes concurrent `akhbar migrate` calls (the DAG's first task and an operator, say).
_LOCK_KEY = 0x616B6862  # "akhb"


def available_migrations() -> list[tuple[int, str, str]]:
    """(version, file name, SQL) of every migration shipped in akhbar.sql, by version."""
    found = []
    for entry in resources.files("akhbar.sql").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def applied_versions(conn: psycopg2.extensions.connection) -> set[int]:
    with conn.cursor() as cur:
        cur.execute("SELECT to_regclass('public.akhbar_migrations')")
        if cur.fetchone()[0] is None:
            return set()
        cur.execute("SELECT version FROM public.akhbar_migrations")
        return {row[0] for row in cur.fetchall()}


def migrate(conn: psycopg2.extensions.connection, target: int | None = None) -> list[str]:
    """Apply the migrations the database lacks, each in its own transaction, up to version
    `target` (default: all); return their names."""
    applied_now = []
    with conn.cursor() as cur:
        cur.execute("SELECT pg_advisory_lock(%s)", (_LOCK_KEY,))
    try:
        with conn.cursor() as cur:
            cur.execute(
                "CREATE TABLE IF NOT EXISTS public.akhbar_migrations ("
                " version integer PRIMARY KEY, name text NOT NULL,"
                " applied_at timestamptz NOT NULL DEFAULT now())"
            )
        conn.commit()
        done = applied_versions(conn)
        for version, name, text in available_migrations():
            if version in done or (target is not None and version > target):
                continue
            with conn.cursor() as cur:
                cur.execute(text)
                cur.execute(
                    "INSERT INTO public.akhbar_migrations (version, name) VALUES (%s, %s)",
                    (version, name),
                )
            conn.commit()
            applied_now.append(name)
    except BaseException:
        conn.rollback()
        raise
    finally:
        with conn.cursor() as cur:
            cur.execute("SELECT pg_advisory_unlock(%s)", (_LOCK_KEY,))
        conn.commit()
    return applied_now


def prepare_warehouse(url: str | None = None) -> list[str]:
    """Create the database if needed, apply migrations and refresh reference data."""
    url = warehouse_url(url)
    ensure_database(url)
    with connection(url) as conn:
        applied = migrate(conn)
        sync_countries(conn)
    return applied
