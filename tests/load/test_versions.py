"""Refreshing a changed article on a real PostgreSQL: history kept, facts replaced, pointers kept."""
from dataclasses import replace
from datetime import timedelta

import pytest

from akhbar.load.db import connection
from akhbar.load.runs import finish
from tests.conftest import query
from tests.load.test_writer import LEDE, SECOND, T0, THIRD, _article, _load, feeds  # noqa: F401

pytestmark = pytest.mark.integration

CORRECTION = "وصحح المتحدث الرسمي لاحقا موعد الزيارة المقبلة إلى الثلاثاء بدلا من الاثنين."


def _refreshed(article, paragraphs, hours=2):
    new = _article(article.url, article.feed, paragraphs)
    return replace(new, fetched_at=T0 + timedelta(hours=hours), updated=T0 + timedelta(hours=hours),
                   item_hash="v2", title="عنوان مصحح")


def test_a_changed_article_becomes_a_new_version_and_keeps_its_history(warehouse_url, feeds):
    first = replace(_article("http://a.test/1", "wire", [LEDE, SECOND, THIRD]), item_hash="v1")
    _load(warehouse_url, [first], feeds, run_id="r1")
    (article_id,) = query(warehouse_url, "SELECT article_id FROM akhbar.articles")[0]

    counts = _load(warehouse_url, [_refreshed(first, [LEDE, CORRECTION, THIRD])], feeds, run_id="r2")

    assert (counts.articles_new, counts.articles_refreshed) == (0, 1)
    assert query(warehouse_url, "SELECT article_id, version, title, item_hash FROM akhbar.articles") == [
        (article_id, 2, "عنوان مصحح", "v2")]
    assert query(warehouse_url, "SELECT version, title, body, replaced_by_run FROM akhbar.article_versions_v") == [
        (1, "عنوان", "\n\n".join([LEDE, SECOND, THIRD]), "r2")]
    assert [r[0] for r in query(warehouse_url, "SELECT text FROM akhbar.paragraphs_v ORDER BY position")] == [
        LEDE, CORRECTION, THIRD]
    # facts are replaced, not added to: one article still has one event
    assert query(warehouse_url, "SELECT count(*) FROM akhbar.events") == [(1,)]


def test_a_refresh_with_the_same_text_only_remembers_the_feed_item(warehouse_url, feeds):
    first = replace(_article("http://a.test/1", "wire", [LEDE, SECOND]), item_hash="v1")
    _load(warehouse_url, [first], feeds)
    counts = _load(warehouse_url, [_refreshed(first, [LEDE, SECOND])], feeds, run_id="r2")
    assert (counts.articles_new, counts.articles_refreshed) == (0, 0)
    assert query(warehouse_url, "SELECT version, item_hash FROM akhbar.articles") == [(1, "v2")]
    assert query(warehouse_url, "SELECT count(*) FROM akhbar.article_versions") == [(0,)]


def test_paragraphs_repeating_a_refreshed_article_follow_its_text(warehouse_url, feeds):
    first = _article("http://a.test/1", "wire", [LEDE, SECOND, THIRD])
    later = _article("http://b.test/9", "daily", [CORRECTION.replace("الثلاثاء", "الأربعاء"), THIRD],
                     minutes=30)
    _load(warehouse_url, [first, later], feeds)
    assert query(warehouse_url, "SELECT position, duplicate_of_url, duplicate_of_position FROM akhbar.paragraphs_v"
                                " WHERE url = 'http://b.test/9' ORDER BY position") == [
        (0, None, None), (1, "http://a.test/1", 2)]

    # THIRD moves from position 2 to 0; SECOND disappears
    _load(warehouse_url, [_refreshed(first, [THIRD, LEDE])], feeds, run_id="r2")
    assert query(warehouse_url, "SELECT position, duplicate_of_url, duplicate_of_position FROM akhbar.paragraphs_v"
                                " WHERE url = 'http://b.test/9' ORDER BY position") == [
        (0, None, None), (1, "http://a.test/1", 0)]


def test_loading_a_refresh_twice_changes_nothing_more(warehouse_url, feeds):
    first = _article("http://a.test/1", "wire", [LEDE, SECOND])
    _load(warehouse_url, [first], feeds)
    refreshed = _refreshed(first, [LEDE, CORRECTION])
    _load(warehouse_url, [refreshed], feeds, run_id="r2")
    snapshot = query(warehouse_url, "SELECT version, body_fingerprint FROM akhbar.articles")
    again = _load(warehouse_url, [refreshed], feeds, run_id="r2")
    assert again.articles_refreshed == 0
    assert query(warehouse_url, "SELECT version, body_fingerprint FROM akhbar.articles") == snapshot
    assert query(warehouse_url, "SELECT count(*) FROM akhbar.article_versions") == [(1,)]
    with connection(warehouse_url) as conn:
        conn.cursor().execute("INSERT INTO akhbar.runs (run_id, logical_date) VALUES ('r2', %s)"
                              " ON CONFLICT DO NOTHING", (T0.date(),))
    with connection(warehouse_url) as conn:
        assert finish(conn, "r2")["articles_refreshed"] == 1
