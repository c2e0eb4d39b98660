"""Run audit: the runs and run_feeds tables that runs_v shows to operators."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import psycopg2.extensions
from psycopg2.extras import RealDictCursor, execute_values

from akhbar.extract.addresses import redact_url
from akhbar.models import FeedConfig


def register_feeds(conn: psycopg2.extensions.connection, feeds: list[FeedConfig]) -> None:
    if not feeds:
        return
    with conn.cursor() as cur:
        execute_values(
            cur,
            "INSERT INTO akhbar.feeds (name, url, outlet) VALUES %s ON CONFLICT (name) DO UPDATE"
            " SET url = EXCLUDED.url, outlet = EXCLUDED.outlet"
            " WHERE (feeds.url, feeds.outlet) IS DISTINCT FROM (EXCLUDED.url, EXCLUDED.outlet)",
            # a feed URL's user:password@ or token= is for fetching, not for the warehouse
            [(f.name, redact_url(f.url), f.outlet) for f in feeds],
        )


def start(conn: psycopg2.extensions.connection, run_id: str, logical_date: date,
          feeds: list[FeedConfig]) -> None:
    """Register the run and its feeds; a re-run of the same run id starts its audit afresh."""
    register_feeds(conn, feeds)
    with conn.cursor() as cur:
        cur.execute(
            "INSERT INTO akhbar.runs (run_id, logical_date) VALUES (%s, %s)"
            " ON CONFLICT (run_id) DO UPDATE SET status = 'running', finished_at = NULL",
            (run_id, logical_date),
        )
        cur.execute("DELETE FROM akhbar.run_feeds WHERE run_id = %s", (run_id,))


def feed_ids(conn: psycopg2.extensions.connection) -> dict[str, int]:
    with conn.cursor() as cur:
        cur.execute("SELECT name, feed_id FROM akhbar.feeds")
        return dict(cur.fetchall())


def record_feed(conn: psycopg2.extensions.connection, run_id: str, feed: str, *, status: str,
                items_seen: int = 0, items_new: int = 0, items_changed: int = 0,
                items_retried: int = 0, error: str | None = None, http_status: int | None = None,
                not_modified: bool = False, bytes_read: int = 0, seconds: float | None = None) -> None:
    with conn.cursor() as cur:
        cur.execute(
            "INSERT INTO akhbar.run_feeds (run_id, feed_id, status, items_seen, items_new,"
            " items_changed, items_retried, error, http_status, not_modified, bytes, seconds, finished_at)"
            " SELECT %(run)s, feed_id, %(status)s, %(seen)s, %(new)s, %(changed)s, %(retried)s,"
            "  %(error)s, %(http)s, %(nm)s, %(bytes)s, %(seconds)s, now()"
            " FROM akhbar.feeds WHERE name = %(feed)s"
            " ON CONFLICT (run_id, feed_id) DO UPDATE SET status = EXCLUDED.status,"
            " items_seen = EXCLUDED.items_seen, items_new = EXCLUDED.items_new,"
            " items_changed = EXCLUDED.items_changed, items_retried = EXCLUDED.items_retried,"
            " error = EXCLUDED.error, http_status = EXCLUDED.http_status,"
            " not_modified = EXCLUDED.not_modified, bytes = EXCLUDED.bytes,"
            " seconds = EXCLUDED.seconds, finished_at = EXCLUDED.finished_at",
            {"run": run_id, "status": status, "seen": items_seen, "new": items_new,
             "changed": items_changed, "retried": items_retried, "error": error, "http": http_status,
             "nm": not_modified, "bytes": bytes_read, "seconds": seconds, "feed": feed},
        )


def record_pages(conn: psycopg2.extensions.connection, run_id: str, feed: str, *,
                 ok: int, failed: int) -> None:
    with conn.cursor() as cur:
        cur.execute(
            "UPDATE akhbar.run_feeds rf SET pages_ok = %s, pages_failed = %s FROM akhbar.feeds f"
            " WHERE rf.feed_id = f.feed_id AND rf.run_id = %s AND f.name = %s",
            (ok, failed, run_id, feed),
        )


_FINISH = """
WITH feeds AS (
    SELECT count(*) FILTER (WHERE status = 'ok') AS ok,
           count(*) FILTER (WHERE status = 'failed') AS failed,
           coalesce(sum(items_seen), 0) AS items_seen
    FROM akhbar.run_feeds WHERE run_id = %(run)s
), loaded AS (
    SELECT count(*) AS new, count(duplicate_of) AS duplicate
    FROM akhbar.articles WHERE run_id = %(run)s
), unloaded AS (
    -- fetched and staged but never merged: the transform or load stage did not complete
    SELECT count(*) AS n FROM akhbar_staging.articles s
    WHERE s.run_id = %(run)s AND NOT EXISTS (SELECT 1 FROM akhbar.articles a WHERE a.url = s.url)
)
UPDATE akhbar.runs r SET
    finished_at = now(),
    feeds_ok = feeds.ok, feeds_failed = feeds.failed, items_seen = feeds.items_seen,
    articles_new = loaded.new, articles_duplicate = loaded.duplicate,
    articles_refreshed = (SELECT count(*) FROM akhbar.article_versions WHERE replaced_by_run = %(run)s),
    paragraphs_duplicate = (SELECT count(*) FROM akhbar.paragraphs p
                            JOIN akhbar.articles a USING (article_id)
                            WHERE a.run_id = %(run)s AND p.duplicate_of_article IS NOT NULL),
    events = (SELECT count(*) FROM akhbar.events e JOIN akhbar.articles a USING (article_id)
              WHERE a.run_id = %(run)s),
    quarantined = (SELECT count(*) FROM akhbar.quarantine
                   WHERE last_run_id = %(run)s AND resolved_at IS NULL),
    -- failed: a step whose failure fails the run (transform, load, a gate) failed or never ran,
    -- data was left unloaded, or no feed could be read at all
    status = CASE WHEN cardinality(%(failed_steps)s::text[]) > 0 OR unloaded.n > 0
                       OR (feeds.ok = 0 AND feeds.failed > 0) THEN 'failed'
                  WHEN feeds.failed = 0 THEN 'success' ELSE 'partial' END
FROM feeds, loaded, unloaded
WHERE r.run_id = %(run)s
RETURNING r.*
"""


def finish(conn: psycopg2.extensions.connection, run_id: str, failed_steps: list[str] = ()) -> dict:
    """Close the run with counts read back from what the warehouse now holds.
    `failed_steps`: the steps that failed the run (the orchestrator knows them)."""
    with conn.cursor(cursor_factory=RealDictCursor) as cur:
        cur.execute(_FINISH, {"run": run_id, "failed_steps": list(failed_steps)})
        row = dict(cur.fetchone())
        cur.execute(
            "SELECT f.name, rf.status, rf.http_status, rf.not_modified, rf.bytes, rf.items_seen,"
            " rf.items_new, rf.items_changed, rf.items_retried, rf.pages_ok, rf.pages_failed, rf.error,"
            " h.consecutive_failed_days, h.items_per_day, h.median_latency_s"
            " FROM akhbar.run_feeds rf JOIN akhbar.feeds f USING (feed_id)"
            " JOIN akhbar.feed_health_v h ON h.feed = f.name"
            " WHERE rf.run_id = %s ORDER BY f.name",
            (run_id,),
        )
        row["feeds"] = [_plain(dict(r)) for r in cur.fetchall()]
    for key in ("logical_date", "started_at", "finished_at"):
        row[key] = row[key].isoformat() if row[key] else None
    return row


def _plain(row: dict) -> dict:
    """JSON-able values (XCom, logs): numerics as floats."""
    return {k: float(v) if isinstance(v, Decimal) else v for k, v in row.items()}
