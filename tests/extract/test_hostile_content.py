"""Content that used to crash a feed's task instead of being stored or quarantined: each
reached Python or PostgreSQL and raised, the feed's transaction rolled back, and neither
the quarantine nor feed_health_v saw anything."""
import secrets
from datetime import datetime

import pytest

from akhbar.extract.feeds import parse_feed
from akhbar.extract.metadata import parse_datetime
from akhbar.extract.pages import extract_page
from akhbar.extract.errors import NotAnArticle
from akhbar.load import staging
from akhbar.load.db import connection
from akhbar.load.quarantine import quarantine
from akhbar.models import FeedConfig
from tests.conftest import query
from tests.faultserver import payloads
from tests.ingest.test_hostile_web import _story

FEED = FeedConfig("f", "http://a.test/rss", "o")
_UNSTORABLE = ("\x00", "\x01", "\ud800")


def _rss_with_title(raw: bytes) -> bytes:
    return payloads.rss([("عنوان X", "http://a.test/1")]).replace(b"X", raw)


@pytest.mark.parametrize("raw", [b"&#xD800;", b"&#0;", b"\x00", b"&#x1;", b"&#55296;", b"&#x110000;"])
def test_unstorable_characters_in_a_feed_are_replaced_where_they_enter(raw):
    # "&#xD800;" made feedparser's fallback raise UnicodeEncodeError; NUL is refused by
    # PostgreSQL in text and jsonb
    (item,) = parse_feed(_rss_with_title(raw), FEED, FEED.url)
    assert item.title.startswith("عنوان") and item.url == "http://a.test/1"
    assert not any(c in item.title + item.summary for c in _UNSTORABLE)


def _article_html(head: str = "") -> str:
    return payloads.article_page("زيارة رسمية", _story(1), head=head)


def test_deeply_nested_json_ld_is_ignored_not_fatal():
    deep = '{"a":' * 100_000 + "1" + "}" * 100_000  # RecursionError in json.loads
    page = extract_page(_article_html(f'<script type="application/ld+json">{deep}</script>'))
    assert page.paragraphs and page.published is None


@pytest.mark.parametrize("stamp", ["0001-01-01T00:00:00+05:00", "0001-01-01T00:00:00", "9999-12-31T23:59:59-05:00"])
def test_an_impossible_publication_time_is_ignored(stamp):
    # year 1 with an offset overflowed astimezone(); year 1 itself broke the transform
    assert parse_datetime(stamp) is None
    page = extract_page(_article_html(f'<meta property="article:published_time" content="{stamp}">'))
    assert page.published is None and page.paragraphs


def test_a_sane_publication_time_still_counts():
    assert parse_datetime("2025-03-02T08:00:00+03:00") == datetime.fromisoformat("2025-03-02T05:00:00+00:00")


@pytest.mark.integration
def test_a_url_of_any_length_is_staged_quarantined_and_loaded(warehouse_url):
    # PRIMARY KEY (run_id, url) and UNIQUE (url, stage) were btrees: ~2.7 KB at most
    url = "http://a.test/" + secrets.token_urlsafe(6000)  # incompressible, as a hostile one is
    with connection(warehouse_url) as conn:
        staging.stage_items(conn, "r1", [staging.StagedItem(feed="f", url=url, link=url)])
        quarantine(conn, run_id="r1", feed="f", url=url, stage="page", reason="test of a long URL")
    assert query(warehouse_url, "SELECT length(url) FROM akhbar_staging.items") == [(len(url),)]
    assert query(warehouse_url, "SELECT length(url) FROM akhbar.quarantine_v") == [(len(url),)]


_BRIEF = "وقع الأردن ومصر اليوم في عمّان عدة اتفاقيات للتعاون في مجالات الطاقة والنقل والتجارة بحضور رئيسي وزراء البلدين"


def test_a_brief_the_feed_item_confirms_is_kept():
    from akhbar.extract.pages import confirms_brief

    # one sentence of news: refused before as "too little article text"
    html = payloads.article_page("الأردن ومصر يوقعان اتفاقيات", [_BRIEF])
    with pytest.raises(NotAnArticle, match="too little article text"):
        extract_page(html)
    page = extract_page(html, allow_brief=True)
    assert page.brief and page.paragraphs == [_BRIEF]
    assert confirms_brief("الأردن ومصر يوقعان اتفاقيات", None, page)
    assert confirms_brief("عنوان آخر", _BRIEF, page)
    assert not confirms_brief("عنوان آخر", "ملخص آخر لا علاقة له بالصفحة", page)


def test_a_stub_is_still_no_article():
    html = payloads.article_page("خبر", ["اقرأ المزيد"])
    with pytest.raises(NotAnArticle):
        extract_page(html, allow_brief=True)
