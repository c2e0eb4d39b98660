"""Republications across runs, outlets and days, on a real PostgreSQL: one story, one first,
even when two loads run at once; independent reports stay apart; boilerplate is learned."""
import threading
from datetime import datetime, timedelta, timezone

import pytest

from akhbar import tasks
from akhbar.load import dedup_index, runs, staging
from akhbar.load.db import connection
from akhbar.load.writer import load_articles
from akhbar.models import FeedConfig
from akhbar.transform.boilerplate import MIN_STORIES
from tests.conftest import query
from tests.dedup import texts

pytestmark = pytest.mark.integration

DAY1 = datetime(2025, 6, 10, 8, 0, tzinfo=timezone.utc)
FEEDS = [FeedConfig("agency", "http://agency.test/feed.xml", "الوكالة"),
         FeedConfig("daily", "http://daily.test/feed.xml", "الصحيفة"),
         FeedConfig("weekly", "http://weekly.test/feed.xml", "الأسبوعية")]


def _stage(url, run_id, feed, page, paragraphs, published, title="عنوان"):
    tasks.start_run(url, run_id, published.date(), FEEDS)
    with connection(url) as conn:
        staging.stage_article(conn, run_id, staging.StagedArticle(
            feed=feed, url=page, title=title, published=published,
            body="\n\n".join(paragraphs), fetched_at=published))
    tasks.transform_staged(url, run_id)


def _run(url, run_id, feed, page, paragraphs, published, title="عنوان"):
    _stage(url, run_id, feed, page, paragraphs, published, title)
    loaded = tasks.load_staged(url, run_id)
    tasks.finish_run(url, run_id)
    return loaded


def _articles(url):
    return {u: (s, d) for u, s, d in query(
        url, "SELECT url, story_id, duplicate_of_url FROM akhbar.articles_v")}


def test_two_outlets_two_days_two_runs_share_one_story(warehouse_url):
    _run(warehouse_url, "day1", "agency", "http://agency.test/1", texts.WIRE, DAY1,
         "تونس والسنغال تبحثان تطوير العلاقات")
    second = _run(warehouse_url, "day2", "daily", "http://daily.test/7", texts.REPUBLISHED,
                  DAY1 + timedelta(days=1), "وزير الخارجية السنغالي في تونس")
    assert second["articles_duplicate"] == 1
    rows = _articles(warehouse_url)
    assert rows["http://daily.test/7"] == (rows["http://agency.test/1"][0], "http://agency.test/1")
    assert rows["http://agency.test/1"][1] is None
    # each edited paragraph points at its first occurrence; the sign-off at nothing
    assert query(warehouse_url, "SELECT position, duplicate_of_url, duplicate_of_position"
                                " FROM akhbar.paragraphs_v WHERE url = 'http://daily.test/7'"
                                " ORDER BY position") == [
        (0, "http://agency.test/1", 0), (1, "http://agency.test/1", 1),
        (2, "http://agency.test/1", 2), (3, "http://agency.test/1", 3), (4, None, None)]


def test_a_third_copy_points_at_the_first_seen_article(warehouse_url):
    _run(warehouse_url, "day1", "agency", "http://agency.test/1", texts.WIRE, DAY1)
    _run(warehouse_url, "day2", "daily", "http://daily.test/7", texts.REPUBLISHED, DAY1 + timedelta(days=1))
    _run(warehouse_url, "day3", "weekly", "http://weekly.test/3", texts.REPUBLISHED[:4],
         DAY1 + timedelta(days=2))
    rows = _articles(warehouse_url)
    assert rows["http://weekly.test/3"] == (rows["http://agency.test/1"][0], "http://agency.test/1")


def test_independent_reports_of_one_event_are_not_merged(warehouse_url):
    _run(warehouse_url, "day1", "agency", "http://agency.test/1", texts.WIRE, DAY1)
    loaded = _run(warehouse_url, "day1b", "daily", "http://daily.test/8", texts.INDEPENDENT,
                  DAY1 + timedelta(hours=3))
    assert loaded["articles_duplicate"] == 0 and loaded["paragraphs_duplicate"] == 0
    rows = _articles(warehouse_url)
    assert rows["http://daily.test/8"][1] is None
    assert rows["http://daily.test/8"][0] != rows["http://agency.test/1"][0]
    assert query(warehouse_url, "SELECT count(*) FROM akhbar.paragraphs_v"
                                " WHERE url = 'http://daily.test/8' AND duplicate_of_url IS NOT NULL") == [(0,)]


@pytest.mark.parametrize("attempt", range(3))
def test_two_concurrent_loads_agree_on_one_first(warehouse_url, attempt):
    _stage(warehouse_url, "run-a", "agency", "http://agency.test/1", texts.WIRE, DAY1)
    _stage(warehouse_url, "run-b", "daily", "http://daily.test/7", texts.REPUBLISHED, DAY1 + timedelta(days=1))
    barrier, errors = threading.Barrier(2), []

    def load(run_id):
        try:
            barrier.wait()
            tasks.load_staged(warehouse_url, run_id)
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=load, args=(r,)) for r in ("run-b", "run-a")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors
    rows = _articles(warehouse_url)
    assert len(rows) == 2
    assert len({story for story, _ in rows.values()}) == 1
    firsts = [u for u, (_, dup) in rows.items() if dup is None]
    assert len(firsts) == 1
    other = next(u for u in rows if u not in firsts)
    assert rows[other][1] == firsts[0]


def _bp_article(n, feed_ids):
    paragraphs = [f"خبر رقم {n} عن موضوع مختلف تماما في يوم آخر من أيام الشهر الجاري.",
                  f"وتفاصيل الخبر {n} في فقرة ثانية لا تتكرر في غيره من الأخبار.",
                  "حمّلوا تطبيق الصحيفة على هواتفكم لتصلكم آخر الأخبار أولاً بأول"]
    published = DAY1 + timedelta(days=n)
    doc = {"paragraphs": [{"index": i, "text": t, "duplicate_of": None} for i, t in enumerate(paragraphs)]}
    return staging.StagedArticle(feed="daily", url=f"http://daily.test/bp{n}", title="خبر",
                                 published=published, body="\n\n".join(paragraphs),
                                 fetched_at=published, result=doc)


def test_a_line_the_outlet_prints_under_many_stories_becomes_boilerplate(warehouse_url):
    with connection(warehouse_url) as conn:
        runs.start(conn, "bp", DAY1.date(), FEEDS)
        feed_ids = runs.feed_ids(conn)
    for n in range(MIN_STORIES):
        with connection(warehouse_url) as conn:
            load_articles(conn, "bp", [_bp_article(n, feed_ids)], feed_ids)
    # every copy, including those loaded before the line crossed the bar, is marked
    assert query(warehouse_url, "SELECT count(*), bool_and(is_boilerplate) FROM akhbar.paragraphs_v"
                                " WHERE position = 2") == [(MIN_STORIES, True)]
    assert query(warehouse_url, "SELECT count(*) FROM akhbar.paragraphs_v"
                                " WHERE position < 2 AND is_boilerplate") == [(0,)]
    # the next article's copy is boilerplate at once, points nowhere and is no duplicate
    with connection(warehouse_url) as conn:
        counts = load_articles(conn, "bp", [_bp_article(MIN_STORIES, feed_ids)], feed_ids)
    assert counts.paragraphs_duplicate == 0
    assert query(warehouse_url, "SELECT is_boilerplate, duplicate_of_url FROM akhbar.paragraphs_v"
                                " WHERE url = %s AND position = 2", (f"http://daily.test/bp{MIN_STORIES}",)) == [
        (True, None)]
    # and the next run's transform is told, so that it reads no fact from it
    with connection(warehouse_url) as conn:
        assert len(dedup_index.known_boilerplate(conn)["daily"]) == 1


def test_band_lookup_is_an_index_scan_on_a_large_table(warehouse_url):
    with connection(warehouse_url) as conn, conn.cursor() as cur:
        runs.start(conn, "big", DAY1.date(), FEEDS)
        cur.execute("INSERT INTO akhbar.articles (url, feed_id, run_id, fetched_at, body_fingerprint,"
                    " story_id) SELECT 'http://big.test/' || g, f.feed_id, 'big', now(), md5(g::text), g"
                    " FROM generate_series(1, 2000) g, akhbar.feeds f WHERE f.name = 'agency'")
        cur.execute("INSERT INTO akhbar.paragraphs (article_id, position, text, fingerprint)"
                    " SELECT a.article_id, p, 'نص', md5(a.article_id || '-' || p)"
                    " FROM akhbar.articles a, generate_series(0, 9) p")
        cur.execute("INSERT INTO akhbar.paragraph_bands (band_key, article_id, position)"
                    " SELECT (random() * 9e18)::bigint, article_id, position"
                    " FROM akhbar.paragraphs, generate_series(1, 5)")
        cur.execute("ANALYZE akhbar.paragraph_bands")
        cur.execute("EXPLAIN " + dedup_index.LOOKUP_SQL,
                    {"bands": [1, 2, 3, 4, 5] * 10, "first": DAY1.date(), "last": DAY1.date(), "limit": 20})
        plan = "\n".join(r[0] for r in cur.fetchall())
    assert "Index" in plan and "paragraph_bands_pkey" in plan, plan
    assert "Seq Scan on paragraph_bands" not in plan, plan


def test_a_copy_beyond_the_look_back_window_is_a_story_of_its_own(warehouse_url):
    # LOOKBACK_DAYS (14): an old copy is not looked for; a change of behaviour (README)
    _run(warehouse_url, "day1", "agency", "http://agency.test/1", texts.WIRE, DAY1)
    late = _run(warehouse_url, "day40", "daily", "http://daily.test/7", texts.REPUBLISHED, DAY1 + timedelta(days=40))
    assert late["articles_duplicate"] == 0 and late["paragraphs_duplicate"] == 0
    rows = _articles(warehouse_url)
    assert rows["http://daily.test/7"][1] is None
    assert rows["http://daily.test/7"][0] != rows["http://agency.test/1"][0]
    assert query(warehouse_url, "SELECT count(*) FROM akhbar.paragraphs_v WHERE url = 'http://daily.test/7'"
                                " AND duplicate_of_url IS NOT NULL") == [(0,)]
    # a copy published ten days before the late one, loaded after it, is within its window
    # (the window looks both ways): it becomes the first of the late one's story
    _run(warehouse_url, "day30", "weekly", "http://weekly.test/3", texts.REPUBLISHED, DAY1 + timedelta(days=30))
    rows = _articles(warehouse_url)
    assert rows["http://daily.test/7"] == (rows["http://weekly.test/3"][0], "http://weekly.test/3")
    assert rows["http://weekly.test/3"][0] != rows["http://agency.test/1"][0]


def test_postings_are_filed_under_their_articles_day(warehouse_url):
    _run(warehouse_url, "day1", "agency", "http://agency.test/1", texts.WIRE, DAY1)
    assert query(warehouse_url, "SELECT DISTINCT day, bucket = akhbar.band_bucket(day)"
                                " FROM akhbar.paragraph_bands") == [(DAY1.date(), True)]


def test_the_windowed_lookup_reads_the_index_only(warehouse_url):
    # a few years of postings, vacuumed as autovacuum does after bulk inserts
    with connection(warehouse_url) as conn, conn.cursor() as cur:
        runs.start(conn, "big", DAY1.date(), FEEDS)
        cur.execute("INSERT INTO akhbar.articles (url, feed_id, run_id, fetched_at, published_at, body_fingerprint,"
                    " story_id) SELECT 'http://big.test/' || g, f.feed_id, 'big', now(),"
                    " %s::timestamptz - g * interval '12 hours', md5(g::text), g"
                    " FROM generate_series(1, 2000) g, akhbar.feeds f WHERE f.name = 'agency'", (DAY1,))
        cur.execute("INSERT INTO akhbar.paragraphs (article_id, position, text, fingerprint)"
                    " SELECT a.article_id, p, 'نص', md5(a.article_id || '-' || p)"
                    " FROM akhbar.articles a, generate_series(0, 9) p")
        cur.execute("INSERT INTO akhbar.paragraph_bands (band_key, day, article_id, position)"
                    " SELECT (random() * 9e18)::bigint, a.published_at::date, p.article_id, p.position"
                    " FROM akhbar.paragraphs p JOIN akhbar.articles a USING (article_id), generate_series(1, 5)")
        cur.execute("INSERT INTO akhbar.paragraph_bands (band_key, day, article_id, position)"
                    " SELECT 7, a.published_at::date, a.article_id, 0 FROM akhbar.articles a")
    with connection(warehouse_url) as conn:
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("VACUUM ANALYZE akhbar.paragraph_bands")
            first, last = DAY1.date() - timedelta(days=14), DAY1.date() + timedelta(days=14)
            cur.execute("EXPLAIN (ANALYZE, COSTS OFF) " + dedup_index.LOOKUP_SQL,
                        {"bands": [7, 1, 2], "first": first, "last": last, "limit": 20})
            plan = "\n".join(r[0] for r in cur.fetchall())
            cur.execute(dedup_index.LOOKUP_SQL, {"bands": [7], "first": first, "last": last, "limit": 20})
            found = [a for _, a, _, _ in cur.fetchall()]
            cur.execute("SELECT article_id FROM akhbar.articles WHERE published_at::date BETWEEN %s AND %s"
                        " ORDER BY published_at::date, article_id LIMIT 20", (first, last))
            earliest = [a for (a,) in cur.fetchall()]
    assert "Index Only Scan using paragraph_bands_pkey" in plan and "Heap Fetches: 0" in plan, plan
    assert "Sort" not in plan, plan  # read in key order: LIMIT stops the scan
    # the 20 earliest postings of the window, by day then article
    assert found == earliest
