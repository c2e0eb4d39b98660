"""`akhbar run` end to end: sample feeds served over real HTTP on loopback, a broken feed
among them, a real PostgreSQL; then the views, a second identical run, and the README's
example queries."""
from datetime import date

import pytest

from akhbar.config import load_feeds
from akhbar.runner import run_pipeline
from akhbar.load.migrate import prepare_warehouse
from tests.conftest import ROOT, new_database, query, sample_feeds_over_http, serve_samples
from tests.e2e.helpers import manifest, page_url, readme_queries, views_snapshot

pytestmark = pytest.mark.integration

BROKEN = [{"name": "broken-missing", "url": "{base}/gone/feed.xml", "outlet": "Nowhere",
           "allow_private_network": True}]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """One run over the samples (plus a feed that answers 404), shared by this module's
    tests: they only read, and the re-run test leaves the warehouse as it found it."""
    with new_database() as url, serve_samples() as base:
        prepare_warehouse(url)
        broken = [{**f, "url": f["url"].format(base=base)} for f in BROKEN]
        feeds = load_feeds(sample_feeds_over_http(base, tmp_path_factory.mktemp("feeds") / "feeds.yaml", broken))
        report = run_pipeline(url, feeds, date(2025, 12, 5))
        yield url, base, feeds, report


def test_every_sample_article_is_loaded_once(loaded):
    url, base, _, report = loaded
    expected = {page_url(base, a) for a in manifest()}
    loaded_urls = {u for (u,) in query(url, "SELECT url FROM akhbar.articles_v")}
    assert loaded_urls == expected
    assert report.summary["articles_new"] == len(expected)


def test_broken_feed_fails_alone_and_is_quarantined(loaded):
    url, _, feeds, report = loaded
    assert set(report.feed_errors) == {"broken-missing"}
    assert query(url, "SELECT status, feeds_ok, feeds_failed FROM akhbar.runs_v") == [
        ("partial", len(feeds) - 1, 1)]
    rows = query(url, "SELECT feed, stage, reason FROM akhbar.quarantine_v")
    assert [(f, s) for f, s, _ in rows] == [("broken-missing", "feed")]
    assert rows[0][2]  # a reason an operator can read


def _repeats(reworded: bool):
    return [(article, repeat) for article in manifest()
            for repeat in article.get("paraphrase_repeats") or []
            if bool(repeat.get("reworded")) == reworded]


def test_paraphrased_repeats_are_marked_within_their_article(loaded):
    url, base, _, _ = loaded
    assert _repeats(reworded=False)
    for article, repeat in _repeats(reworded=False):
        rows = query(url, "SELECT duplicate_of_url, duplicate_of_position FROM akhbar.paragraphs_v"
                          " WHERE url = %s AND position = %s",
                     (page_url(base, article), repeat["index"]))
        assert rows == [(page_url(base, article), repeat["duplicate_of"])], article["id"]


def test_reworded_repeats_are_marked(loaded):
    url, base, _, _ = loaded
    for article, repeat in _repeats(reworded=True):
        rows = query(url, "SELECT duplicate_of_position FROM akhbar.paragraphs_v WHERE url = %s AND position = %s",
                     (page_url(base, article), repeat["index"]))
        assert rows == [(repeat["duplicate_of"],)], article["id"]


def test_no_paragraph_is_marked_a_repeat_without_cause(loaded):
    url, base, _, _ = loaded
    expected = {(page_url(base, a), r["index"]) for a, r in _repeats(reworded=False)}
    marked = set(query(url, "SELECT url, position FROM akhbar.paragraphs_v"
                            " WHERE duplicate_of_url = url"))
    assert marked <= expected | {(page_url(base, a), r["index"]) for a, r in _repeats(reworded=True)}


def test_republished_story_shares_the_story_of_its_first_article(loaded):
    url, base, _, _ = loaded
    by_page = {a["page"]: a for a in manifest()}
    copies = [a for a in manifest() if a.get("republished_of")]
    assert copies
    for copy in copies:
        original = by_page[copy["republished_of"]]
        rows = dict((u, (s, d)) for u, s, d in query(
            url, "SELECT url, story_id, duplicate_of_url FROM akhbar.articles_v WHERE url IN (%s, %s)",
            (page_url(base, copy), page_url(base, original))))
        assert rows[page_url(base, copy)][1] == page_url(base, original)
        assert rows[page_url(base, copy)][0] == rows[page_url(base, original)][0]
        assert rows[page_url(base, original)][1] is None


def test_the_seed_visit_is_a_consult_from_kyrgyzstan_to_pakistan(loaded):
    url, base, _, _ = loaded
    seed = next(a for a in manifest() if a["page"].endswith("pk-kg-talks.html"))
    rows = query(url, "SELECT modes, event_date::text FROM akhbar.events_v WHERE url = %s"
                      " AND category = 'CONSULT' AND actors = '{KGZ}' AND recipients = '{PAK}'",
                 (page_url(base, seed),))
    assert rows and rows[0][1] == "2025-12-04"
    countries = {c for (c,) in query(url, "SELECT country_code FROM akhbar.article_countries_v c"
                                          " JOIN akhbar.articles_v a USING (article_id) WHERE a.url = %s",
                                     (page_url(base, seed),))}
    assert {"PAK", "KGZ", "AFG"} <= countries


def test_sports_article_yields_no_events(loaded):
    url, base, _, _ = loaded
    for article in manifest():
        if not article["yields_events"]:
            assert query(url, "SELECT count(*) FROM akhbar.events_v WHERE url = %s",
                         (page_url(base, article),)) == [(0,)]


def test_running_the_same_day_again_changes_nothing(loaded):
    url, _, feeds, first = loaded
    before = views_snapshot(url)
    second = run_pipeline(url, feeds, date(2025, 12, 5))
    assert views_snapshot(url) == before
    assert second.summary["run_id"] == first.summary["run_id"]
    assert query(url, "SELECT count(*), sum(articles_new) FROM akhbar.runs_v") == [(1, first.summary["articles_new"])]


def test_readme_example_queries_return_rows(loaded):
    url = loaded[0]
    blocks = readme_queries(ROOT / "README.md")
    assert len(blocks) >= 3
    for sql in blocks:
        assert query(url, sql), sql
