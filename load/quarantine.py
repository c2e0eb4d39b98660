"""The quarantine table: every item that failed at some stage, kept with its reason."""
from __future__ import annotations

import psycopg2.extensions

_PAYLOAD_LIMIT = 1 << 20  # keep the evidence of a failure, but not a whole oversized page


def quarantine(conn: psycopg2.extensions.connection, *, run_id: str, feed: str, url: str,
               stage: str, reason: str, http_status: int | None = None,
               payload: bytes | None = None) -> None:
    """Record (or re-record, bumping attempts) a failure of `url` at `stage`."""
    if payload is not None:
        payload = payload[:_PAYLOAD_LIMIT]
    with conn.cursor() as cur:
        cur.execute(
            "INSERT INTO akhbar.quarantine"
            " (feed, url, stage, reason, http_status, last_run_id, payload)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (url, stage) DO UPDATE SET"
            "  reason = EXCLUDED.reason, http_status = EXCLUDED.http_status,"
            "  last_seen = now(), last_run_id = EXCLUDED.last_run_id, resolved_at = NULL,"
            "  payload = COALESCE(EXCLUDED.payload, quarantine.payload),"
            "  attempts = quarantine.attempts"
            "   + CASE WHEN quarantine.last_run_id IS DISTINCT FROM EXCLUDED.last_run_id THEN 1 ELSE 0 END",
            (feed, url, stage, reason[:2000], http_status, run_id,
             psycopg2.Binary(payload) if payload is not None else None),
        )


def resolve(conn: psycopg2.extensions.connection, urls: list[str]) -> None:
    """Mark earlier failures of these article URLs as resolved once they loaded."""
    if urls:
        with conn.cursor() as cur:
            cur.execute(
                "UPDATE akhbar.quarantine SET resolved_at = now()"
                " WHERE url = ANY(%s) AND stage <> 'feed' AND resolved_at IS NULL",
                (urls,),
            )
