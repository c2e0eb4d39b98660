"""The pages' queries: parameter checks, and their plans and timings (EXPLAIN ANALYZE in a
read-only session) on the samples warehouse. scripts/explain_ui_queries.py measures the
same queries on a warehouse of the benchmark corpus (README: the UI pages)."""
from __future__ import annotations

from datetime import date

import pytest

from akhbar_ui import queries
from akhbar_ui.queries import BadParameter
from akhbar_ui.warehouse import Warehouse


@pytest.mark.parametrize("value", ["2025-1-1", "01/02/2025", "2025-02-29", "２０２５-01-01", "", None])
def test_check_date(value):
    if value in ("", None):
        assert queries.check_date(value, "start") is None
    else:
        with pytest.raises(BadParameter, match="start"):
            queries.check_date(value, "start")


@pytest.mark.parametrize("value,expected", [(None, 30), ("", 30), ("1", 1), ("500", 500)])
def test_check_limit_accepts(value, expected):
    assert queries.check_limit(value, 30) == expected


@pytest.mark.parametrize("value", ["501", "0", "-1", "1e3", "10 OR 1=1", "９"])
def test_check_limit_refuses(value):
    with pytest.raises(BadParameter, match="limit"):
        queries.check_limit(value, 30)


def test_check_category():
    assert queries.check_category("consult") == "CONSULT"
    with pytest.raises(BadParameter, match="PLOVER"):
        queries.check_category("CONSULT'--")


def test_a_bad_value_is_quoted_short_and_printable():
    with pytest.raises(BadParameter) as err:
        queries.check_category("x" * 500 + "\x00")
    assert len(str(err.value)) < 300 and "\x00" not in str(err.value)


@pytest.mark.integration
def test_every_query_plans_and_runs_fast(samples_warehouse):
    wh = Warehouse(samples_warehouse[0])
    try:
        day = queries.latest_day(wh)
        ((article_id,),) = [(r["article_id"],) for r in wh.fetch("SELECT min(article_id) AS article_id FROM akhbar.articles")]
        timings = {}
        for name, (sql, params) in queries.explainable(day).items():
            if "id" in params:
                params = {**params, "id": article_id}
            with wh.transaction() as cur:
                cur.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
                plan = cur.fetchone()["QUERY PLAN"][0]
            timings[name] = plan["Planning Time"] + plan["Execution Time"]
        assert set(timings) >= {"overview.daily", "overview.pairs", "dyad.events", "article.paragraphs",
                                "feeds.feeds", "feeds.runs", "feeds.quarantine"}
        slow = {k: v for k, v in timings.items() if v > 300}
        assert not slow, slow
    finally:
        wh.close()


@pytest.mark.integration
def test_default_period_ends_on_the_latest_dyad_day(samples_warehouse):
    wh = Warehouse(samples_warehouse[0])
    try:
        start, end = queries.period(wh, None, None)
        assert end == queries.latest_day(wh) == date(2025, 12, 5)
        assert (end - start).days == queries.DEFAULT_PERIOD_DAYS - 1
        assert queries.period(wh, "2026-01-01", None) == (date(2026, 1, 1), date(2026, 1, 1))
    finally:
        wh.close()
