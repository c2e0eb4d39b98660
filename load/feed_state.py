"""What each feed's server said last time: validators for conditional GET, and outcomes."""
from __future__ import annotations

from dataclasses import dataclass

import psycopg2.extensions


@dataclass(frozen=True)
class Validators:
    etag: str | None = None
    last_modified: str | None = None

    def request_headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


def validators(conn: psycopg2.extensions.connection, feed: str) -> Validators:
    with conn.cursor() as cur:
        cur.execute(
            "SELECT s.etag, s.last_modified FROM akhbar.feed_state s"
            " JOIN akhbar.feeds f USING (feed_id) WHERE f.name = %s",
            (feed,),
        )
        row = cur.fetchone()
    return Validators(*row) if row else Validators()


def record(conn: psycopg2.extensions.connection, feed: str, *, status: int | None, ok: bool,
           headers: dict[str, str] | None = None) -> None:
    """Keep the validators of a full (200) answer; a 304 keeps the earlier ones."""
    headers = {k.lower(): v for k, v in (headers or {}).items()}
    fresh = ok and status == 200
    with conn.cursor() as cur:
        cur.execute(
            "INSERT INTO akhbar.feed_state (feed_id, etag, last_modified, last_status,"
            " last_fetched_at, last_success_at)"
            " SELECT feed_id, %(etag)s, %(lm)s, %(status)s, now(), CASE WHEN %(ok)s THEN now() END"
            " FROM akhbar.feeds WHERE name = %(feed)s"
            " ON CONFLICT (feed_id) DO UPDATE SET"
            "  etag = CASE WHEN %(fresh)s THEN EXCLUDED.etag ELSE feed_state.etag END,"
            "  last_modified = CASE WHEN %(fresh)s THEN EXCLUDED.last_modified"
            "                  ELSE feed_state.last_modified END,"
            "  last_status = EXCLUDED.last_status, last_fetched_at = now(),"
            "  last_success_at = coalesce(EXCLUDED.last_success_at, feed_state.last_success_at)",
            {"etag": headers.get("etag") if fresh else None,
             "lm": headers.get("last-modified") if fresh else None,
             "status": status, "ok": ok, "fresh": fresh, "feed": feed},
        )
