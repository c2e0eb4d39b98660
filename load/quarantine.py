"""The quarantine table: every item that failed at some stage, kept with its reason.

A transient failure (timeout, 5xx, throttling) is retried by later runs with exponential
backoff; a permanent one (404, not an article, forbidden address) waits for an operator
(`akhbar quarantine retry`). Rows stay until resolved by a successful load or purged.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta

import psycopg2.extensions
from psycopg2.extras import RealDictCursor

_PAYLOAD_LIMIT = 1 << 20  # keep the evidence of a failure, but not a whole oversized page


@dataclass(frozen=True)
class RetryPolicy:
    """Backoff of automatic retries: first_delay, doubling per attempt, capped at max_delay."""
    first_delay: timedelta = timedelta(hours=6)
    max_delay: timedelta = timedelta(days=7)


def quarantine(conn: psycopg2.extensions.connection, *, run_id: str, feed: str, url: str,
               stage: str, reason: str, http_status: int | None = None,
               payload: bytes | None = None, item: dict | None = None, permanent: bool = False,
               policy: RetryPolicy = RetryPolicy()) -> None:
    """Record (or re-record, bumping attempts) a failure of `url` at `stage`."""
    if payload is not None:
        payload = payload[:_PAYLOAD_LIMIT]
    with conn.cursor() as cur:
        cur.execute(
            "INSERT INTO akhbar.quarantine AS q"
            " (feed, url, stage, reason, http_status, last_run_id, payload, item, permanent, next_retry_at)"
            " VALUES (%(feed)s, %(url)s, %(stage)s, %(reason)s, %(status)s, %(run)s, %(payload)s,"
            "  %(item)s, %(permanent)s, CASE WHEN NOT %(permanent)s THEN now() + %(first)s END)"
            " ON CONFLICT (md5(url), stage) DO UPDATE SET"
            "  feed = EXCLUDED.feed, reason = EXCLUDED.reason, http_status = EXCLUDED.http_status,"
            "  last_seen = now(), last_run_id = EXCLUDED.last_run_id, resolved_at = NULL,"
            "  payload = COALESCE(EXCLUDED.payload, q.payload), item = COALESCE(EXCLUDED.item, q.item),"
            "  permanent = EXCLUDED.permanent,"
            "  attempts = q.attempts + CASE WHEN q.last_run_id IS DISTINCT FROM EXCLUDED.last_run_id"
            "                              OR q.resolved_at IS NOT NULL THEN 1 ELSE 0 END,"
            "  next_retry_at = CASE WHEN EXCLUDED.permanent THEN NULL ELSE now() + LEAST("
            "      %(first)s * power(2, q.attempts), %(max)s) END",
            {"feed": feed, "url": url, "stage": stage, "reason": reason[:2000], "status": http_status,
             "run": run_id, "payload": psycopg2.Binary(payload) if payload is not None else None,
             "item": json.dumps(item, ensure_ascii=False, default=str) if item is not None else None,
             "permanent": permanent, "first": policy.first_delay, "max": policy.max_delay},
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


def resolve_feed(conn: psycopg2.extensions.connection, feed_url: str) -> None:
    with conn.cursor() as cur:
        cur.execute("UPDATE akhbar.quarantine SET resolved_at = now()"
                    " WHERE url = %s AND stage = 'feed' AND resolved_at IS NULL", (feed_url,))


def pending(conn: psycopg2.extensions.connection, feed: str) -> tuple[dict[str, bool], list[dict]]:
    """A feed's unresolved page/transform failures, in one read: URL → due for a retry now,
    and the recorded feed items of the due ones (see `akhbar.ingest.item_record`)."""
    with conn.cursor() as cur:
        cur.execute(
            "SELECT url, next_retry_at IS NOT NULL AND next_retry_at <= now(), item"
            " FROM akhbar.quarantine WHERE feed = %s AND stage IN ('page', 'transform')"
            " AND resolved_at IS NULL ORDER BY first_seen",
            (feed,),
        )
        rows = cur.fetchall()
    return {url: due for url, due, _ in rows}, [item for _, due, item in rows if due and item is not None]


@dataclass(frozen=True)
class Selection:
    """Which quarantine rows an operator's command acts on."""
    ids: tuple[int, ...] = ()
    feed: str | None = None
    stage: str | None = None
    include_resolved: bool = False
    only_resolved: bool = False
    older_than: timedelta | None = None

    def where(self) -> tuple[str, dict]:
        clauses, params = [], {}
        if self.ids:
            clauses.append("quarantine_id = ANY(%(ids)s)")
            params["ids"] = list(self.ids)
        if self.feed:
            clauses.append("feed = %(feed)s")
            params["feed"] = self.feed
        if self.stage:
            clauses.append("stage = %(stage)s")
            params["stage"] = self.stage
        if self.only_resolved:
            clauses.append("resolved_at IS NOT NULL")
        elif not self.include_resolved:
            clauses.append("resolved_at IS NULL")
        if self.older_than is not None:
            clauses.append("last_seen < now() - %(age)s")
            params["age"] = self.older_than
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def list_rows(conn: psycopg2.extensions.connection, selection: Selection, limit: int = 100) -> list[dict]:
    where, params = selection.where()
    with conn.cursor(cursor_factory=RealDictCursor) as cur:
        cur.execute(
            "SELECT quarantine_id, feed, url, stage, reason, http_status, attempts, permanent,"
            " first_seen, last_seen, next_retry_at, resolved_at, octet_length(payload) AS payload_bytes"
            " FROM akhbar.quarantine" + where + " ORDER BY last_seen DESC, quarantine_id LIMIT %(limit)s",
            {**params, "limit": limit},
        )
        return [dict(r) for r in cur.fetchall()]


def make_due(conn: psycopg2.extensions.connection, selection: Selection) -> int:
    """Let the next run retry these rows now, permanent failures included."""
    where, params = selection.where()
    with conn.cursor() as cur:
        cur.execute("UPDATE akhbar.quarantine SET next_retry_at = now(), permanent = false" + where,
                    params)
        return cur.rowcount


def purge(conn: psycopg2.extensions.connection, selection: Selection) -> int:
    where, params = selection.where()
    with conn.cursor() as cur:
        cur.execute("DELETE FROM akhbar.quarantine" + where, params)
        return cur.rowcount
