import pytest

from akhbar.load.db import connection
from akhbar.load.migrate import available_migrations, migrate
from tests.conftest import query

pytestmark = pytest.mark.integration

# The public surface of interfaces.md: view → columns analysts rely on.
VIEW_COLUMNS = {
    "articles_v": ["article_id", "url", "outlet", "feed", "title", "published_at", "fetched_at",
                   "story_id", "duplicate_of_url", "agreements_count", "sectors"],
    "paragraphs_v": ["article_id", "url", "position", "text", "is_boilerplate",
                     "duplicate_of_url", "duplicate_of_position"],
    "events_v": ["event_id", "article_id", "url", "category", "modes", "event_date", "actors",
                 "recipients", "location_country", "location_name", "evidence"],
    "article_countries_v": ["article_id", "country_code", "country_name_ar"],
    "persons_v": ["article_id", "name", "office", "country_code"],
    "amounts_v": ["article_id", "value", "currency", "text"],
    "runs_v": ["run_id", "logical_date", "started_at", "finished_at", "status", "feeds_ok",
               "feeds_failed", "items_seen", "articles_new", "articles_duplicate",
               "paragraphs_duplicate", "events", "quarantined"],
    "quarantine_v": ["seen_at", "feed", "url", "stage", "reason"],
}


def test_migrations_are_numbered_and_contiguous():
    versions = [v for v, _, _ in available_migrations()]
    assert versions == list(range(1, len(versions) + 1))


def test_migrate_creates_every_documented_view_with_its_columns(fresh_db_url):
    with connection(fresh_db_url) as conn:
        applied = migrate(conn)
    assert applied == [name for _, name, _ in available_migrations()]
    for view, columns in VIEW_COLUMNS.items():
        rows = query(fresh_db_url,
                     "SELECT column_name FROM information_schema.columns"
                     " WHERE table_schema = 'akhbar' AND table_name = %s ORDER BY ordinal_position",
                     (view,))
        assert [r[0] for r in rows][:len(columns)] == columns, view


def test_migrate_twice_applies_nothing_the_second_time(fresh_db_url):
    with connection(fresh_db_url) as conn:
        first = migrate(conn)
        second = migrate(conn)
    assert first and second == []
    assert query(fresh_db_url, "SELECT count(*) FROM public.akhbar_migrations")[0][0] == len(first)


def test_countries_reference_holds_iso_codes_with_arabic_names(warehouse_url):
    rows = dict(query(warehouse_url, "SELECT country_code, name_ar FROM akhbar.countries"))
    assert len(rows) >= 240
    assert rows["PAK"] == "باكستان"
    assert rows["KGZ"] == "قيرغيزستان"
    assert "PSE" in rows and "SAU" in rows


def test_band_postings_loaded_before_the_window_are_filed_under_their_articles_day(fresh_db_url):
    with connection(fresh_db_url) as conn:
        migrate(conn, target=9)
        with conn.cursor() as cur:
            cur.execute(
                "INSERT INTO akhbar.feeds (feed_id, name, url, outlet) VALUES (1, 'wire', 'https://wire.test/rss', 'و');"
                "INSERT INTO akhbar.runs (run_id, logical_date, status) VALUES ('old', '2025-03-02', 'success');"
                "INSERT INTO akhbar.articles (article_id, url, feed_id, run_id, published_at, fetched_at,"
                "  body_fingerprint, story_id) VALUES"
                " (1, 'https://wire.test/1', 1, 'old', '2025-03-02 08:00+00', '2025-03-02 09:00+00', 'a', 1),"
                " (2, 'https://wire.test/2', 1, 'old', NULL, '2025-04-20 09:00+00', 'b', 2);"
                "INSERT INTO akhbar.paragraphs (article_id, position, text, fingerprint) VALUES"
                " (1, 0, 'نص', 'p1'), (2, 0, 'نص', 'p2');"
                "INSERT INTO akhbar.paragraph_bands (band_key, article_id, position) VALUES"
                " (-5, 1, 0), (7, 1, 0), (7, 2, 0)")
        conn.commit()
        migrate(conn)
    # the publication day, else (undated) the day it was fetched, as the loader now files them
    assert query(fresh_db_url, "SELECT band_key, article_id, day::text, bucket = akhbar.band_bucket(day)"
                               " FROM akhbar.paragraph_bands ORDER BY band_key, article_id") == [
        (-5, 1, "2025-03-02", True), (7, 1, "2025-03-02", True), (7, 2, "2025-04-20", True)]
