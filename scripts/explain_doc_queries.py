"""EXPLAIN ANALYZE every query of docs/warehouse.md against a warehouse, as a table.

    .venv/bin/python scripts/explain_doc_queries.py [--warehouse URL]

For sizing a server: run it on a warehouse holding a realistic volume (e.g. the benchmark
corpus loaded with `akhbar import-archive`).
"""
from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

import psycopg2

from akhbar.load.db import warehouse_url

DOC = Path(__file__).resolve().parents[1] / "docs" / "warehouse.md"
_QUERY = re.compile(r"<!-- query: (\w+) -->\s*```sql\n(.*?)```", re.S)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", help="libpq URL (default: $AKHBAR_WAREHOUSE_URL)")
    args = parser.parse_args()
    conn = psycopg2.connect(warehouse_url(args.warehouse))
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT (SELECT count(*) FROM akhbar.articles), (SELECT count(*) FROM akhbar.paragraphs),"
                    " (SELECT count(*) FROM akhbar.events)")
        articles, paragraphs, events = cur.fetchone()
        print(f"warehouse: {articles} articles, {paragraphs} paragraphs, {events} events\n")
        started = time.monotonic()
        cur.execute("REFRESH MATERIALIZED VIEW CONCURRENTLY akhbar.dyad_daily_v")
        print(f"refresh dyad_daily_v: {1000 * (time.monotonic() - started):.1f} ms\n")
        print(f"{'query':36} {'rows':>7} {'planning ms':>12} {'execution ms':>13}  top plan node")
        for name, sql in _QUERY.findall(DOC.read_text(encoding="utf-8")):
            cur.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
            plan = cur.fetchone()[0][0]
            top = plan["Plan"]
            print(f"{name:36} {top.get('Actual Rows', 0):>7} {plan['Planning Time']:>12.2f}"
                  f" {plan['Execution Time']:>13.2f}  {top['Node Type']}")


if __name__ == "__main__":
    main()
