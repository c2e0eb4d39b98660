"""Upgrading a warehouse that holds data: the first release's schema (migrations 001-002),
filled the way that release's writer filled it, migrated to the head."""
from datetime import datetime, timezone

import pytest

from akhbar.load.db import connection
from akhbar.load.migrate import available_migrations, migrate
from akhbar.load.staging import StagedArticle
from akhbar.load.writer import load_articles
from akhbar.load import runs
from tests.conftest import query

pytestmark = pytest.mark.integration

FIRST_RELEASE = 2
T0 = datetime(2025, 3, 2, 9, tzinfo=timezone.utc)

# What the first release's writer wrote for two outlets, one story republished, one event.
V2_DATA = """
INSERT INTO akhbar.feeds (feed_id, name, url, outlet) VALUES
  (1, 'wire', 'https://wire.test/rss', 'وكالة الأنباء'), (2, 'daily', 'https://daily.test/rss', 'الصحيفة');
INSERT INTO akhbar.runs (run_id, logical_date, status, articles_new) VALUES ('old', '2025-03-02', 'success', 2);
INSERT INTO akhbar.run_feeds (run_id, feed_id, status, items_seen, items_new, seconds) VALUES
  ('old', 1, 'ok', 1, 1, 0.5), ('old', 2, 'ok', 1, 1, 0.7);
INSERT INTO akhbar.articles (article_id, url, feed_id, run_id, title, published_at, fetched_at,
    body_fingerprint, story_id, duplicate_of, agreements_count, sectors) VALUES
  (1, 'https://wire.test/1', 1, 'old', 'زيارة', '2025-03-02 08:00+00', '2025-03-02 09:00+00', 'fp1', 1, NULL, 2, '{energy,trade}'),
  (2, 'https://daily.test/9', 2, 'old', 'زيارة رسمية', '2025-03-02 10:00+00', '2025-03-02 11:00+00', 'fp1', 1, 1, 2, '{energy,trade}');
SELECT setval('akhbar.articles_article_id_seq', 2);
INSERT INTO akhbar.paragraphs (article_id, position, text, fingerprint, duplicate_of_article, duplicate_of_position) VALUES
  (1, 0, 'استقبل الرئيس ضيفه.', 'p0', NULL, NULL), (1, 1, 'ووقع الجانبان اتفاقيتين.', 'p1', NULL, NULL),
  (2, 0, 'استقبل الرئيس ضيفه.', 'p0', 1, 0), (2, 1, 'ووقع الجانبان اتفاقيتين.', 'p1', 1, 1);
INSERT INTO akhbar.events (article_id, ordinal, category, modes, event_date, actors, recipients, evidence) VALUES
  (1, 0, 'CONSULT', '{visit}', '2025-03-01', '{KGZ}', '{PAK}', 'استقبل الرئيس ضيفه.'),
  (2, 0, 'CONSULT', '{visit}', '2025-03-01', '{KGZ}', '{PAK}', 'استقبل الرئيس ضيفه.');
INSERT INTO akhbar.amounts (article_id, ordinal, value, currency, text) VALUES (1, 0, 375000000, 'SAR', '375 مليون ريال');
INSERT INTO akhbar.quarantine (feed, url, stage, reason, http_status) VALUES
  ('wire', 'https://wire.test/404', 'page', 'HTTP 404 Not Found (permanent)', 404);
"""


def test_a_first_release_warehouse_with_data_upgrades_to_the_head(fresh_db_url):
    with connection(fresh_db_url) as conn:
        migrate(conn, target=FIRST_RELEASE)
        with conn.cursor() as cur:
            cur.execute(V2_DATA)
        conn.commit()
        upgraded = migrate(conn)
    assert upgraded == [name for v, name, _ in available_migrations() if v > FIRST_RELEASE]

    # the old rows read the same through the views, new columns take their defaults
    assert query(fresh_db_url, "SELECT url, outlet, story_id, duplicate_of_url, version, link"
                               " FROM akhbar.articles_v ORDER BY article_id") == [
        ("https://wire.test/1", "وكالة الأنباء", 1, None, 1, "https://wire.test/1"),
        ("https://daily.test/9", "الصحيفة", 1, "https://wire.test/1", 1, "https://daily.test/9")]
    assert query(fresh_db_url, "SELECT duplicate_of_url, duplicate_of_position FROM akhbar.paragraphs_v"
                               " WHERE article_id = 2 ORDER BY position") == [
        ("https://wire.test/1", 0), ("https://wire.test/1", 1)]
    # derived tables are back-filled from the old rows
    assert query(fresh_db_url, "SELECT story_id, first_article_id FROM akhbar.stories") == [(1, 1)]
    assert query(fresh_db_url, "SELECT role, country_code, count(*) FROM akhbar.event_parties"
                               " GROUP BY 1, 2 ORDER BY 1") == [("actor", "KGZ", 2), ("recipient", "PAK", 2)]
    assert query(fresh_db_url, "SELECT sector, count(*) FROM akhbar.article_sectors GROUP BY 1 ORDER BY 1") == [
        ("energy", 2), ("trade", 2)]
    assert query(fresh_db_url, "SELECT name FROM akhbar.outlets ORDER BY 1") == [("الصحيفة",), ("وكالة الأنباء",)]
    assert query(fresh_db_url, "SELECT value_usd FROM akhbar.amounts_v") == [(100000000,)]
    assert query(fresh_db_url, "SELECT feed, stage, http_status, attempts, permanent FROM akhbar.quarantine_v") == [
        ("wire", "page", 404, 1, False)]
    assert query(fresh_db_url, "SELECT day::text, actor, recipient, events, articles, stories, outlets"
                               " FROM akhbar.dyad_daily_v") == [("2025-03-01", "KGZ", "PAK", 2, 2, 1, 2)]

    # and the head's writer keeps loading into it
    with connection(fresh_db_url) as conn:
        runs.start(conn, "new", T0.date(), [])
        doc = {"paragraphs": [{"index": 0, "text": "خبر جديد تماما عن زيارة أخرى.", "duplicate_of": None}],
               "countries": ["JOR"], "events": []}
        counts = load_articles(conn, "new", [StagedArticle(
            feed="wire", url="https://wire.test/2", title="جديد", published=T0, body="x",
            fetched_at=T0, result=doc)], runs.feed_ids(conn))
    assert counts.articles_new == 1
    assert query(fresh_db_url, "SELECT article_id, story_id FROM akhbar.articles WHERE url = 'https://wire.test/2'") == [
        (3, 3)]
