"""Nothing lost, nothing stalled: one article cannot fail the day's transform or load, and
what was fetched stays staged until a load has merged it, even through a kill -9."""
import os
import signal
import subprocess
import sys
import time
from datetime import date, datetime, timezone

import pytest

from akhbar import tasks
from akhbar.load import staging
from akhbar.load.db import connection
from akhbar.models import FeedConfig
from tests.conftest import ROOT, query
from tests.ingest.test_hostile_web import _story

pytestmark = pytest.mark.integration

FEEDS = [FeedConfig("wire", "http://wire.test/feed.xml", "الوكالة")]
NOW = datetime(2025, 3, 2, 8, 0, tzinfo=timezone.utc)


def _stage(url, run_id, articles):
    """Stage (url, body, published) as a page fetch would have."""
    tasks.start_run(url, run_id, NOW.date(), FEEDS)
    with connection(url) as conn:
        for page, body, published in articles:
            staging.stage_article(conn, run_id, staging.StagedArticle(
                feed="wire", url=page, title="عنوان", published=published, body=body, fetched_at=NOW))


def _loaded(url):
    return sorted(u for (u,) in query(url, "SELECT url FROM akhbar.articles_v"))


def test_an_impossible_date_or_sum_fails_no_article(warehouse_url):
    # Year 1 with a weekday in the text overflowed date arithmetic, a 310-digit sum
    # overflowed round(); either failed the whole transform task, so nothing loaded.
    _stage(warehouse_url, "r1", [
        ("http://wire.test/year1", "\n\n".join(_story(1) + ["وكان الوزير قد وصل يوم الأحد الماضي."]),
         datetime(1, 1, 1, tzinfo=timezone.utc)),
        ("http://wire.test/sum", "\n\n".join(_story(2) + [f"وبلغت قيمة الصفقة {'9' * 310} دولار."]), NOW),
        ("http://wire.test/ok", "\n\n".join(_story(3)), NOW)])
    assert tasks.transform_staged(warehouse_url, "r1") == {"transformed": 3, "errors": 0}
    tasks.load_staged(warehouse_url, "r1")
    assert _loaded(warehouse_url) == ["http://wire.test/ok", "http://wire.test/sum", "http://wire.test/year1"]
    assert query(warehouse_url, "SELECT count(*) FROM akhbar.amounts_v") == [(0,)]


def test_an_article_over_its_budget_is_quarantined_and_the_rest_loads(warehouse_url):
    from akhbar.transform.budget import Budget

    similar = "\n\n".join(f"وقال الوزير إن البلدين اتفقا على تعزيز التعاون في مجالات الطاقة والتعليم رقم {n}"
                          for n in range(3000))
    _stage(warehouse_url, "r1", [("http://wire.test/huge", similar, NOW),
                                 ("http://wire.test/ok", "\n\n".join(_story(3)), NOW)])
    started = time.monotonic()
    result = tasks.transform_staged(warehouse_url, "r1", Budget(max_paragraphs=2000))
    assert result == {"transformed": 1, "errors": 1}
    assert time.monotonic() - started < 30
    tasks.load_staged(warehouse_url, "r1")
    assert _loaded(warehouse_url) == ["http://wire.test/ok"]
    assert query(warehouse_url, "SELECT url, stage, reason LIKE '%%3000 paragraphs%%' FROM akhbar.quarantine_v") == [
        ("http://wire.test/huge", "transform", True)]


def test_an_article_the_load_fails_on_is_quarantined_and_the_batch_loads(warehouse_url):
    # staged under a feed the warehouse does not know (renamed since, or staged by hand):
    # the load used to fail as a whole, every article of the run with it
    _stage(warehouse_url, "r1", [(f"http://wire.test/{n}", "\n\n".join(_story(n)), NOW) for n in range(3)])
    with connection(warehouse_url) as conn:
        staging.stage_article(conn, "r1", staging.StagedArticle(
            feed="renamed", url="http://wire.test/orphan", title="عنوان", published=NOW,
            body="\n\n".join(_story(4)), fetched_at=NOW))
    tasks.transform_staged(warehouse_url, "r1")
    assert tasks.load_staged(warehouse_url, "r1")["articles_new"] == 3
    assert _loaded(warehouse_url) == [f"http://wire.test/{n}" for n in range(3)]
    assert query(warehouse_url, "SELECT url, stage, reason LIKE '%%KeyError%%' FROM akhbar.quarantine_v") == [
        ("http://wire.test/orphan", "load", True)]
    assert query(warehouse_url, "SELECT count(*) FROM akhbar_staging.articles") == [(0,)]


def test_what_a_failed_run_staged_is_loaded_by_the_next(warehouse_url):
    # The transform task of r1 never completed (failed, timed out): its summary used to
    # delete everything staged, and the day's articles were gone without a trace.
    _stage(warehouse_url, "r1", [(f"http://wire.test/{n}", "\n\n".join(_story(n)), NOW) for n in range(3)])
    assert tasks.finish_run(warehouse_url, "r1")["status"] == "failed"
    assert query(warehouse_url, "SELECT count(*) FROM akhbar_staging.articles") == [(3,)]
    tasks.start_run(warehouse_url, "r2", date(2025, 3, 3), FEEDS)
    tasks.transform_staged(warehouse_url, "r2")
    tasks.load_staged(warehouse_url, "r2")
    assert tasks.finish_run(warehouse_url, "r2")["articles_new"] == 3
    assert _loaded(warehouse_url) == [f"http://wire.test/{n}" for n in range(3)]
    assert query(warehouse_url, "SELECT count(*) FROM akhbar_staging.articles") == [(0,)]


_LOAD = "import sys; from akhbar.tasks import load_staged; load_staged(sys.argv[1], 'r1', batch=10)"


def test_a_load_killed_mid_batch_loses_nothing_and_a_rerun_loads_each_article_once(warehouse_url):
    n = 200
    _stage(warehouse_url, "r1", [(f"http://wire.test/{i}", "\n\n".join(_story(i)), NOW) for i in range(n)])
    tasks.transform_staged(warehouse_url, "r1")
    child = subprocess.Popen([sys.executable, "-c", _LOAD, warehouse_url], cwd=ROOT)
    at_kill = 0
    while child.poll() is None:
        (at_kill,) = query(warehouse_url, "SELECT count(*) FROM akhbar.articles")[0]
        if at_kill >= 20:
            os.kill(child.pid, signal.SIGKILL)
            break
        time.sleep(0.005)
    assert child.wait() == -signal.SIGKILL
    assert 20 <= at_kill < n  # killed while loading, not before, not after
    (staged,) = query(warehouse_url, "SELECT count(*) FROM akhbar_staging.articles")[0]
    (loaded,) = query(warehouse_url, "SELECT count(*) FROM akhbar.articles")[0]
    assert staged + loaded == n  # every article is either loaded or still staged
    tasks.load_staged(warehouse_url, "r1")  # the task's retry
    assert query(warehouse_url, "SELECT count(*), count(DISTINCT url) FROM akhbar.articles") == [(n, n)]
    assert query(warehouse_url, "SELECT count(*) FROM akhbar.paragraphs") == [(2 * n,)]
    assert query(warehouse_url, "SELECT count(*) FROM akhbar_staging.articles") == [(0,)]
    assert tasks.finish_run(warehouse_url, "r1")["status"] == "success"
