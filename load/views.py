"""Materialized analyst views, refreshed after each load."""
from __future__ import annotations

import psycopg2.extensions

MATERIALIZED = ("akhbar.dyad_daily_v",)


def refresh(conn: psycopg2.extensions.connection) -> list[str]:
    """Refresh every materialized view without blocking readers (CONCURRENTLY)."""
    with conn.cursor() as cur:
        for view in MATERIALIZED:
            cur.execute(f"REFRESH MATERIALIZED VIEW CONCURRENTLY {view}")
    return list(MATERIALIZED)
