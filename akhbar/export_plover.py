"""`akhbar export-plover`: the warehouse's events as PLOVER JSON Lines, for POLECAT-style tools.

One record per event of akhbar.events_v, with its article's provenance from akhbar.articles_v,
under PLOVER's field names (event_id, event_date, event, mode, quad_code, actor, recipient,
event_loc, event_text) plus the source (url, outlet, published). `--since` keeps the events
of that day or later; an event without a day of its own counts on its article's publication day.
"""
from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import IO, Iterator

from akhbar.argtypes import iso_date
from akhbar.load.db import connection
from akhbar.transform.plover import quad_code

_QUERY = """
SELECT e.event_id, e.event_date, a.published_at, e.category, e.modes, e.actors, e.recipients,
       e.location_country, e.location_name, e.evidence, a.url, a.outlet, a.title
FROM akhbar.events_v e
JOIN akhbar.articles_v a USING (article_id)
WHERE COALESCE(e.event_date, a.published_at::date) >= %s
  AND (%s::date IS NULL OR COALESCE(e.event_date, a.published_at::date) <= %s::date)
ORDER BY COALESCE(e.event_date, a.published_at::date), e.event_id
"""


def plover_records(url: str | None, since: date, until: date | None = None) -> Iterator[dict]:
    """Events of `since` or later, and of `until` or earlier when given."""
    with connection(url) as conn, conn.cursor(name="export_plover") as cur:
        cur.itersize = 1000
        cur.execute(_QUERY, (since, until, until))
        for (event_id, event_date, published, category, modes, actors, recipients,
             loc_country, loc_name, evidence, url_, outlet, title) in cur:
            yield {
                "event_id": f"akhbar-{event_id}",
                "event_date": (event_date or (published.date() if published else None)).isoformat()
                if (event_date or published) else None,
                "event": category,
                "mode": (modes or [""])[0],
                "quad_code": quad_code(category),
                "actor": [{"code": c} for c in actors or []],
                "recipient": [{"code": c} for c in recipients or []],
                "event_loc": {"name": loc_name, "country": loc_country} if (loc_name or loc_country) else None,
                "event_text": evidence,
                "url": url_,
                "outlet": outlet,
                "title": title,
                "published": published.isoformat() if published else None,
                "language": "ar",
            }


def export(url: str | None, since: date, out: IO[str], until: date | None = None) -> int:
    n = 0
    for record in plover_records(url, since, until):
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        n += 1
    return n



def cmd_export_plover(args: argparse.Namespace) -> int:
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    try:
        n = export(args.warehouse, args.since, out)
    finally:
        if args.output:
            out.close()
    print(f"exported {n} events", file=sys.stderr)
    return 0


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("export-plover", help="the warehouse's events as PLOVER JSON Lines")
    p.add_argument("--since", type=iso_date, required=True, help="first event day (YYYY-MM-DD)")
    p.add_argument("--output", help="output file (default: stdout)")
    p.set_defaults(func=cmd_export_plover)
