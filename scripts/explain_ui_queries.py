"""Plans and timings of the UI plugin's queries, and of its pages end to end, on a warehouse.

    .venv/bin/python scripts/explain_ui_queries.py [--warehouse URL] [--repeat N]

Each query of plugins/akhbar_ui/queries.py runs under EXPLAIN (ANALYZE, BUFFERS) in the
plugin's own read-only session; then each page and its JSON are requested N times from
the plugin's app in this process (rendering included, login left out) and the median and
worst times printed. Run it on a warehouse of the benchmark corpus (`akhbar
import-archive`) to size the pages (README: the UI pages).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))

from akhbar.load.db import warehouse_url  # noqa: E402
from akhbar_ui import queries  # noqa: E402
from akhbar_ui.warehouse import Warehouse  # noqa: E402


def _top(plan: dict) -> str:
    node = plan["Plan"]
    return f"{node['Node Type']}{' on ' + node['Relation Name'] if 'Relation Name' in node else ''}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", help="libpq URL (default: $AKHBAR_WAREHOUSE_URL)")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    url = warehouse_url(args.warehouse)
    wh = Warehouse(url)
    counts = wh.fetch("SELECT (SELECT count(*) FROM akhbar.articles) AS articles,"
                      " (SELECT count(*) FROM akhbar.paragraphs) AS paragraphs,"
                      " (SELECT count(*) FROM akhbar.events) AS events,"
                      " (SELECT count(*) FROM akhbar.dyad_daily_v) AS dyad_rows")[0]
    print("warehouse: " + ", ".join(f"{v} {k}" for k, v in counts.items()) + "\n")
    # the 90 days up to the busiest day: a heavier window than the default (the latest days)
    busiest = wh.fetch("SELECT day FROM akhbar.dyad_daily_v GROUP BY day ORDER BY sum(stories) DESC, day LIMIT 1")
    day = busiest[0]["day"] if busiest else queries.latest_day(wh)
    window = f"start={day - timedelta(days=queries.DEFAULT_PERIOD_DAYS - 1)}&end={day}"
    print(f"period: the {queries.DEFAULT_PERIOD_DAYS} days up to {day}, the day with the most stories\n")
    pair = (queries.top_pairs(wh) or [{"a": "PAK", "b": "KGZ"}])[0]
    article = wh.fetch("SELECT article_id FROM akhbar.articles ORDER BY"
                       " (SELECT count(*) FROM akhbar.paragraphs p WHERE p.article_id = articles.article_id) DESC"
                       " LIMIT 1")
    article_id = article[0]["article_id"] if article else 1
    print(f"{'query':28} {'rows':>6} {'plan ms':>8} {'exec ms':>8}  top plan node")
    for name, (sql, params) in queries.explainable(day, pair["a"], pair["b"]).items():
        if "id" in params:
            params = {**params, "id": article_id}
        with wh.transaction() as cur:
            cur.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, params)
            plan = cur.fetchone()["QUERY PLAN"][0]
        print(f"{name:28} {plan['Plan'].get('Actual Rows', 0):>6} {plan['Planning Time']:>8.2f}"
              f" {plan['Execution Time']:>8.2f}  {_top(plan)}")
    wh.close()

    from fastapi.testclient import TestClient

    from akhbar_ui.app import create_app

    pages = [f"/overview?{window}", f"/api/overview?{window}", f"/overview?{window}&country={pair['a']}",
             "/overview", f"/overview?start={day - timedelta(days=3 * 365)}&end={day}",
             f"/dyad?a={pair['a']}&b={pair['b']}", f"/api/dyad?a={pair['a']}&b={pair['b']}",
             f"/article/{article_id}", f"/api/article/{article_id}", "/feeds", "/api/feeds"]
    print(f"\n{'request':44} {'median ms':>10} {'worst ms':>9}")
    with TestClient(create_app(url, require_login=False)) as client:
        for path in pages:
            client.get(path)  # the first request opens the session
            times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                r = client.get(path)
                times.append(1000 * (time.perf_counter() - started))
                assert r.status_code == 200, (path, r.status_code, r.text[:200])
            print(f"{path:44} {statistics.median(times):>10.1f} {max(times):>9.1f}")


if __name__ == "__main__":
    main()
