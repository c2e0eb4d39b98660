"""The warehouse writer on a real PostgreSQL: idempotent merges, republications, repeats."""
from datetime import datetime, timedelta, timezone

import pytest

from akhbar.load import runs
from akhbar.load.db import connection
from akhbar.load.staging import StagedArticle
from akhbar.load.writer import load_articles
from akhbar.models import FeedConfig
from tests.conftest import query

pytestmark = pytest.mark.integration

T0 = datetime(2025, 3, 2, 9, 0, tzinfo=timezone.utc)
LEDE = "استقبل وزير الخارجية الأردني نظيره المصري في عمّان أمس وبحث معه العلاقات الثنائية."
SECOND = "وأكد الجانبان أهمية تعزيز التعاون الاقتصادي وزيادة حجم التبادل التجاري بين البلدين."
THIRD = "ووقع الوزيران مذكرتي تفاهم في مجالي التعليم والطاقة."


def _doc(paragraphs, dup=None, events=None):
    return {
        "paragraphs": [{"index": i, "text": t, "duplicate_of": (dup or {}).get(i)}
                       for i, t in enumerate(paragraphs)],
        "countries": ["EGY", "JOR"],
        "persons": [{"name": "أيمن الصفدي", "office": "وزير الخارجية", "country": "JOR"}],
        "amounts": [{"value": 5e8, "currency": "USD", "text": "500 مليون دولار"}],
        "agreements": {"count": 2, "sectors": ["energy", "education"]},
        "events": events or [{"event": ["CONSULT"], "mode": ["visit"], "date": "2025-03-01",
                              "actor": [{"code": "EGY"}], "recipient": [{"code": "JOR"}],
                              "event_loc": {"name": "عمّان", "country": "JOR"},
                              "event_text": LEDE}],
    }


def _article(url, feed, paragraphs, minutes=0, **kw):
    return StagedArticle(feed=feed, url=url, title="عنوان", published=T0 + timedelta(minutes=minutes),
                         body="\n\n".join(paragraphs), fetched_at=T0, result=_doc(paragraphs, **kw))


@pytest.fixture
def feeds(warehouse_url):
    with connection(warehouse_url) as conn:
        runs.start(conn, "r1", T0.date(), [FeedConfig("wire", "http://a.test/f.xml", "وكالة"),
                                          FeedConfig("daily", "http://b.test/f.xml", "صحيفة")])
        return runs.feed_ids(conn)


def _load(url, articles, feed_ids, run_id="r1"):
    with connection(url) as conn:
        return load_articles(conn, run_id, articles, feed_ids)


def test_articles_and_their_facts_land_in_the_views(warehouse_url, feeds):
    counts = _load(warehouse_url, [_article("http://a.test/1", "wire", [LEDE, SECOND, THIRD])], feeds)
    assert (counts.articles_new, counts.events) == (1, 1)
    assert query(warehouse_url, "SELECT outlet, agreements_count, sectors, duplicate_of_url"
                                " FROM akhbar.articles_v") == [("وكالة", 2, ["education", "energy"], None)]
    assert query(warehouse_url, "SELECT category, actors, recipients, event_date::text, location_country"
                                " FROM akhbar.events_v") == [("CONSULT", ["EGY"], ["JOR"], "2025-03-01", "JOR")]
    assert query(warehouse_url, "SELECT country_code, country_name_ar FROM akhbar.article_countries_v"
                                " ORDER BY 1") == [("EGY", "مصر"), ("JOR", "الأردن")]
    assert query(warehouse_url, "SELECT value::float8, currency FROM akhbar.amounts_v") == [(5e8, "USD")]


def test_loading_the_same_articles_again_changes_nothing(warehouse_url, feeds):
    batch = [_article("http://a.test/1", "wire", [LEDE, SECOND]),
             _article("http://a.test/2", "wire", [THIRD, SECOND], minutes=5)]
    _load(warehouse_url, batch, feeds)
    snapshot = query(warehouse_url, "SELECT * FROM akhbar.paragraphs_v ORDER BY url, position")
    again = _load(warehouse_url, batch, feeds)
    assert again.articles_new == 0
    assert query(warehouse_url, "SELECT * FROM akhbar.paragraphs_v ORDER BY url, position") == snapshot
    assert query(warehouse_url, "SELECT count(*) FROM akhbar.events")[0][0] == 2


def test_republished_story_points_at_the_first_article(warehouse_url, feeds):
    first = _article("http://a.test/1", "wire", [LEDE, SECOND, THIRD])
    copy = _article("http://b.test/9", "daily", [LEDE, SECOND, THIRD, "(خدمة الوكالة)"][:3], minutes=40)
    other = _article("http://b.test/10", "daily", [THIRD + " وفي سياق آخر.", "خبر مختلف تماما عن الطقس."],
                     minutes=50)
    counts = _load(warehouse_url, [first, copy, other], feeds)
    assert counts.articles_duplicate == 1
    rows = dict((u, (s, d)) for u, s, d in query(
        warehouse_url, "SELECT url, story_id, duplicate_of_url FROM akhbar.articles_v"))
    assert rows["http://b.test/9"][1] == "http://a.test/1"
    assert rows["http://b.test/9"][0] == rows["http://a.test/1"][0]
    assert rows["http://b.test/10"][1] is None
    assert rows["http://b.test/10"][0] != rows["http://a.test/1"][0]
    # each paragraph of the copy points at its first occurrence
    assert query(warehouse_url, "SELECT position, duplicate_of_url, duplicate_of_position FROM akhbar.paragraphs_v"
                                " WHERE url = 'http://b.test/9' ORDER BY position") == [
        (0, "http://a.test/1", 0), (1, "http://a.test/1", 1), (2, "http://a.test/1", 2)]


def test_repeat_within_an_article_points_at_its_own_earlier_paragraph(warehouse_url, feeds):
    _load(warehouse_url, [_article("http://a.test/1", "wire", [LEDE, SECOND, LEDE + " "], dup={2: 0})], feeds)
    assert query(warehouse_url, "SELECT position, duplicate_of_url, duplicate_of_position"
                                " FROM akhbar.paragraphs_v ORDER BY position") == [
        (0, None, None), (1, None, None), (2, "http://a.test/1", 0)]


def test_a_run_whose_staged_articles_were_never_loaded_is_failed(warehouse_url, feeds):
    from akhbar.load import staging

    with connection(warehouse_url) as conn:
        runs.record_feed(conn, "r1", "wire", status="ok", items_seen=1, items_new=1)
        staging.stage_article(conn, "r1", _article("http://a.test/never", "wire", [LEDE]))
        assert runs.finish(conn, "r1")["status"] == "failed"
        load_articles(conn, "r1", [_article("http://a.test/never", "wire", [LEDE])], feeds)
        assert runs.finish(conn, "r1")["status"] == "success"


def test_an_original_loaded_after_its_copy_becomes_the_first_of_the_story(warehouse_url):
    # overlapping runs may split the feeds between them, so a copy can reach the warehouse
    # before the text it copies: the story ends as a load in publication order leaves it
    from tests.dedup import texts

    published = datetime(2025, 6, 10, 8, 0, tzinfo=timezone.utc)
    feeds = [FeedConfig("agency", "http://agency.test/feed.xml", "الوكالة"),
             FeedConfig("daily", "http://daily.test/feed.xml", "الصحيفة")]
    with connection(warehouse_url) as conn:
        runs.start(conn, "split", published.date(), feeds)
        feed_ids = runs.feed_ids(conn)

    def article(feed, url, paragraphs, when):
        doc = {"paragraphs": [{"index": i, "text": t, "duplicate_of": None} for i, t in enumerate(paragraphs)]}
        return StagedArticle(feed=feed, url=url, title="عنوان", published=when, body="\n\n".join(paragraphs),
                             fetched_at=when, result=doc)

    with connection(warehouse_url) as conn:
        load_articles(conn, "split", [article("daily", "http://daily.test/7", texts.REPUBLISHED,
                                              published + timedelta(hours=5))], feed_ids)
    with connection(warehouse_url) as conn:
        load_articles(conn, "split", [article("agency", "http://agency.test/1", texts.WIRE, published)], feed_ids)
    assert query(warehouse_url, "SELECT url, duplicate_of_url FROM akhbar.articles_v ORDER BY url") == [
        ("http://agency.test/1", None), ("http://daily.test/7", "http://agency.test/1")]
    pointers = query(warehouse_url, "SELECT position, duplicate_of_url FROM akhbar.paragraphs_v"
                                    " WHERE url = 'http://daily.test/7' ORDER BY position")
    assert pointers[:4] == [(n, "http://agency.test/1") for n in range(4)]
    assert query(warehouse_url, "SELECT count(*) FROM akhbar.paragraphs_v WHERE url = 'http://agency.test/1'"
                                " AND duplicate_of_url IS NOT NULL") == [(0,)]
    assert query(warehouse_url, "SELECT count(*) FROM akhbar.stories") == [(1,)]
