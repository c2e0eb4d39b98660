"""The set-based loader decides a batch's articles in memory (load/batch_store.py): a batch
must leave the warehouse exactly as the same articles loaded one per call, where each
article is decided against the warehouse itself. The batch below has a republication of an
article earlier in the batch, an in-article repeat, an original after its copy, a line that
becomes boilerplate halfway through (its earlier copies in the batch are marked, the later
ones are boilerplate at once), a repeated URL and an unchanged article."""
import dataclasses
from datetime import datetime, timedelta, timezone

import pytest

from akhbar.load import runs
from akhbar.load.db import connection
from akhbar.load.migrate import prepare_warehouse
from akhbar.load.staging import StagedArticle
from akhbar.load.writer import load_articles
from akhbar.models import FeedConfig
from akhbar.transform.boilerplate import MIN_STORIES
from tests.conftest import new_database, query
from tests.dedup import texts

pytestmark = pytest.mark.integration

DAY1 = datetime(2025, 6, 10, 8, 0, tzinfo=timezone.utc)
FEEDS = [FeedConfig("agency", "http://agency.test/feed.xml", "الوكالة"),
         FeedConfig("daily", "http://daily.test/feed.xml", "الصحيفة")]
PROMO = "حمّلوا تطبيق الصحيفة على هواتفكم لتصلكم آخر الأخبار أولاً بأول"
TABLES = {  # table → the columns compared (times set by now() left out)
    "articles": "article_id, url, feed_id, title, published_at, body_fingerprint, story_id, duplicate_of,"
                " agreements_count, sectors, link, version, item_updated_at, item_hash, is_brief",
    "paragraphs": "*", "paragraph_bands": "*", "paragraph_lines": "*", "outlet_lines": "*",
    "stories": "story_id, first_article_id", "article_sectors": "*", "article_countries": "*",
    "events": "*", "event_parties": "*", "persons": "*",
}


def _article(feed, url, paragraphs, published, dup=None, item_hash=None):
    doc = {"paragraphs": [{"index": i, "text": t, "duplicate_of": (dup or {}).get(i)}
                          for i, t in enumerate(paragraphs)],
           "countries": ["SEN", "TUN"], "persons": [{"name": "عثمان الجرندي", "country": "TUN"}],
           "agreements": {"count": 1, "sectors": ["energy"]},
           "events": [{"event": ["CONSULT"], "actor": [{"code": "SEN"}], "recipient": [{"code": "TUN"}]}]}
    return StagedArticle(feed=feed, url=url, title="عنوان", published=published, body="\n\n".join(paragraphs),
                         fetched_at=published, result=doc, item_hash=item_hash)


def _batch():
    promos = [_article("daily", f"http://daily.test/bp{n}",
                       [f"خبر رقم {n} عن موضوع مختلف تماما في يوم آخر من أيام الشهر الجاري.",
                        f"وتفاصيل الخبر {n} في فقرة ثانية لا تتكرر في غيره من الأخبار.", PROMO],
                       DAY1 + timedelta(days=n)) for n in range(MIN_STORIES + 2)]
    wire = _article("agency", "http://agency.test/1", texts.WIRE, DAY1 + timedelta(hours=2))
    return [
        _article("daily", "http://daily.test/early-copy", texts.REPUBLISHED, DAY1 + timedelta(hours=5)),
        *promos[:2],
        wire,  # published before the copy loaded ahead of it: it becomes the story's first
        _article("daily", "http://daily.test/7", texts.REPUBLISHED, DAY1 + timedelta(days=1, hours=1)),
        _article("agency", "http://agency.test/2", texts.INDEPENDENT, DAY1 + timedelta(days=1, hours=2)),
        *promos[2:],
        _article("agency", "http://agency.test/3", [texts.WIRE[0], texts.TRANCHES[0], texts.WIRE[0] + " "],
                 DAY1 + timedelta(days=3), dup={2: 0}),
        # the promotion as a lede (never boilerplate) over a story's text: whether it
        # republishes that story depends on the promotion's earlier copies being marked
        _article("daily", "http://daily.test/promo-lede", [PROMO, *promos[0].body.split("\n\n")[:2]],
                 DAY1 + timedelta(days=MIN_STORIES + 2)),
        wire,  # the same URL again (last: in a batch it takes an article id, one by one it does not)
    ]


def _load(url, batches):
    prepare_warehouse(url)
    with connection(url) as conn:
        runs.start(conn, "r1", DAY1.date(), FEEDS)
        feed_ids = runs.feed_ids(conn)
    counts = []
    for batch in batches:
        with connection(url) as conn:
            counts.append(load_articles(conn, "r1", batch, feed_ids))
    return counts


def _content(url):
    return {t: sorted(map(repr, query(url, f"SELECT {cols} FROM akhbar.{t}"))) for t, cols in TABLES.items()}


def test_a_batch_leaves_the_warehouse_as_its_articles_loaded_one_by_one():
    batch = _batch()
    with new_database() as together, new_database() as alone:
        [counts] = _load(together, [batch])
        singles = _load(alone, [[a] for a in batch])
        assert _content(together) == _content(alone)
        # the setting did happen: a re-rooted story, a line that became boilerplate
        assert query(together, "SELECT url FROM akhbar.articles_v WHERE duplicate_of_url = 'http://agency.test/1'"
                               " ORDER BY url") == [("http://daily.test/7",), ("http://daily.test/early-copy",)]
        assert query(together, "SELECT count(*) FROM akhbar.paragraphs WHERE is_boilerplate") == [(MIN_STORIES + 2,)]
    for name in vars(counts):
        assert getattr(counts, name) == sum(getattr(c, name) for c in singles), name


def test_loading_a_batch_again_changes_nothing_and_remembers_the_items(warehouse_url):
    batch = _batch()
    with connection(warehouse_url) as conn:
        runs.start(conn, "r1", DAY1.date(), FEEDS)
        feed_ids = runs.feed_ids(conn)
        load_articles(conn, "r1", batch, feed_ids)
    before = _content(warehouse_url)
    again = [dataclasses.replace(a, item_hash="seen") for a in batch]
    with connection(warehouse_url) as conn:
        counts = load_articles(conn, "r1", again, feed_ids)
    assert (counts.articles_new, counts.articles_refreshed) == (0, 0)
    after = _content(warehouse_url)
    assert {t: rows for t, rows in after.items() if t != "articles"} == {
        t: rows for t, rows in before.items() if t != "articles"}
    assert query(warehouse_url, "SELECT DISTINCT item_hash FROM akhbar.articles") == [("seen",)]


def test_an_article_a_concurrent_load_inserts_meanwhile_is_left_to_it(warehouse_url, monkeypatch):
    # another load inserts one of the batch's URLs after this one looked (its text shares
    # no lock bucket): the batch loads the rest, as one by one it skipped that article
    from akhbar.load import batch_store

    with connection(warehouse_url) as conn:
        runs.start(conn, "r1", DAY1.date(), FEEDS)
        feed_ids = runs.feed_ids(conn)
    first = _article("agency", "http://agency.test/1", texts.WIRE, DAY1)
    copy = _article("daily", "http://daily.test/7", texts.REPUBLISHED, DAY1 + timedelta(hours=5))
    other = _article("agency", "http://agency.test/2", texts.INDEPENDENT, DAY1 + timedelta(hours=6))
    real_init, raced = batch_store.BatchStore.__init__, []

    def init_after_a_concurrent_insert(self, *args):
        if not raced:
            raced.append(True)
            with connection(warehouse_url) as conn, conn.cursor() as cur:
                cur.execute("INSERT INTO akhbar.articles (article_id, url, feed_id, run_id, fetched_at,"
                            " body_fingerprint, story_id) SELECT n, 'http://agency.test/1', %s, 'other', now(),"
                            " 'x', n FROM nextval('akhbar.articles_article_id_seq') n", (feed_ids["agency"],))
        real_init(self, *args)

    monkeypatch.setattr(batch_store.BatchStore, "__init__", init_after_a_concurrent_insert)
    with connection(warehouse_url) as conn:
        counts = load_articles(conn, "r1", [first, copy, other], feed_ids)
    assert (counts.articles_new, counts.articles_duplicate) == (2, 0)
    assert query(warehouse_url, "SELECT v.url, a.run_id, v.duplicate_of_url IS NULL FROM akhbar.articles_v v"
                                " JOIN akhbar.articles a USING (article_id) ORDER BY v.url") == [
        ("http://agency.test/1", "other", True), ("http://agency.test/2", "r1", True),
        ("http://daily.test/7", "r1", True)]
    assert query(warehouse_url, "SELECT count(*) FROM akhbar.paragraphs p JOIN akhbar.articles a USING (article_id)"
                                " WHERE a.url = 'http://agency.test/1'") == [(0,)]


def test_a_batch_spanning_more_than_the_look_back_window_reads_each_articles_own_window():
    # the prefetch is per article day: a copy 40 days after the wire is a story of its own in
    # a batch as one by one, while a copy 3 days after it joins the wire's story
    wire = _article("agency", "http://agency.test/1", texts.WIRE, DAY1)
    batch = [wire,
             _article("daily", "http://daily.test/soon", texts.REPUBLISHED, DAY1 + timedelta(days=3)),
             _article("daily", "http://daily.test/late", texts.REPUBLISHED, DAY1 + timedelta(days=40)),
             _article("agency", "http://agency.test/2", texts.INDEPENDENT, DAY1 + timedelta(days=41))]
    with new_database() as together, new_database() as alone:
        _load(together, [batch])
        _load(alone, [[a] for a in batch])
        assert _content(together) == _content(alone)
        assert query(together, "SELECT url, duplicate_of_url FROM akhbar.articles_v ORDER BY url") == [
            ("http://agency.test/1", None), ("http://agency.test/2", None),
            ("http://daily.test/late", None), ("http://daily.test/soon", "http://agency.test/1")]
