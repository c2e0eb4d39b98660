"""Every endpoint of the UI plugin's app against a real PostgreSQL loaded by two pipeline
runs over the sample feeds (one of them broken): the JSON, the pages, bad parameters."""
from __future__ import annotations

import re

import pytest

from tests.conftest import query
from tests.e2e.helpers import manifest, page_url

pytestmark = pytest.mark.integration


def _seed():
    return next(a for a in manifest() if a["page"].endswith("pk-kg-talks.html"))


def _article_id(samples_warehouse, article) -> int:
    url, base = samples_warehouse
    ((aid,),) = query(url, "SELECT article_id FROM akhbar.articles WHERE url = %s", (page_url(base, article),))
    return aid


def test_overview_counts_the_seed_meeting_and_its_agreements(ui_client):
    seed = _seed()
    day = seed["main_event"]["date"]
    r = ui_client.get("/api/overview")
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["period"]["end"] >= day >= data["period"]["start"]
    assert {"day": day, "category": "CONSULT"}.items() <= next(
        d for d in data["daily"] if d["day"] == day and d["category"] == "CONSULT").items()
    assert all(d["quad_code"] in (1, 2, 3, 4) and d["stories"] >= 1 for d in data["daily"])
    pairs = {(p["a"], p["b"]): p for p in data["pairs"]}
    assert ("KGZ", "PAK") in pairs and pairs[("KGZ", "PAK")]["stories"] >= 1
    sectors = {s["sector"]: s for s in data["sectors"]}
    assert set(seed["agreements"]["sectors"]) <= set(sectors)
    assert sectors["mining"]["agreements"] >= seed["agreements"]["count"]
    money = [m for m in data["money"] if (m["country_a"], m["country_b"]) == ("KGZ", "PAK")]
    assert money and money[0]["currency"] == "USD" and money[0]["total_value"] == seed["amounts"][0]["value"]
    assert data["countries"]["PAK"]["ar"] == "باكستان" and data["countries"]["PAK"]["en"] == "Pakistan"


def test_overview_filters_by_country_category_and_period(ui_client):
    data = ui_client.get("/api/overview", params={"country": "pak", "start": "2025-01-01",
                                                  "end": "2025-12-31"}).json()
    assert data["filters"]["country"] == "PAK"
    assert data["pairs"] and all("PAK" in (p["a"], p["b"]) for p in data["pairs"])
    consult = ui_client.get("/api/overview", params={"category": "CONSULT", "start": "2025-01-01",
                                                     "end": "2025-12-31"}).json()
    assert consult["daily"] and {d["category"] for d in consult["daily"]} == {"CONSULT"}
    early = ui_client.get("/api/overview", params={"start": "2025-01-01", "end": "2025-01-31"}).json()
    assert early["daily"] == [] and early["pairs"] == []


def test_dyad_timeline_has_the_seed_meeting_with_figures_and_sources(ui_client, samples_warehouse):
    seed, base = _seed(), samples_warehouse[1]
    data = ui_client.get("/api/dyad", params={"a": "PAK", "b": "KGZ"}).json()
    assert (data["a"], data["b"]) == ("PAK", "KGZ")
    days = [e["day"] for e in data["events"]]
    assert days == sorted(days)
    visit = next(e for e in data["events"] if e["category"] == "CONSULT" and "visit" in e["modes"])
    assert visit["day"] == seed["main_event"]["date"]
    assert visit["actors"] == ["KGZ"] and visit["recipients"] == ["PAK"]
    assert visit["evidence"]
    assert [a["url"] for a in visit["articles"]] == [page_url(base, seed)] and visit["outlets"] == 1
    assert visit["agreements_count"] == seed["agreements"]["count"]
    assert set(seed["agreements"]["sectors"]) <= set(visit["sectors"])
    assert [(m["value"], m["currency"]) for m in visit["amounts"]] == [
        (a["value"], a["currency"]) for a in seed["amounts"]]


def test_dyad_shows_a_republished_story_once_with_its_outlets(ui_client):
    original = next(a for a in manifest() if a["republished_by"])
    data = ui_client.get("/api/dyad", params={"a": "JOR", "b": "IRQ"}).json()
    assert data["events"]
    for e in data["events"]:
        assert e["outlets"] == 1 + len(original["republished_by"])
        assert [a["republication"] for a in e["articles"]] == [False, True]
    keys = [(e["day"], e["category"], tuple(e["actors"]), tuple(e["recipients"])) for e in data["events"]]
    assert len(keys) == len(set(keys))


def test_article_view_marks_the_repeat_and_the_facts(ui_client, samples_warehouse):
    seed = _seed()
    aid = _article_id(samples_warehouse, seed)
    data = ui_client.get(f"/api/article/{aid}").json()
    assert len(data["paragraphs"]) == seed["paragraphs"]
    (repeat,) = seed["paraphrase_repeats"]
    p = data["paragraphs"][repeat["index"]]
    assert (p["duplicate_of_article"], p["duplicate_of_position"]) == (aid, repeat["duplicate_of"])
    assert {c["country_code"] for c in data["countries"]} == set(seed["countries"])
    html = ui_client.get(f"/article/{aid}").text
    para = re.search(rf'<p id="p{repeat["index"]}" class="para repeat"[^>]*>(.*?)</p>', html, re.S)
    assert para, "the repeated paragraph is not marked"
    assert f'href="#p{repeat["duplicate_of"]}"' in para.group(1)
    assert 'lang="ar" dir="rtl"' in html
    for kind in ("country", "person", "amount", "trigger"):
        assert f'<mark class="m-{kind}"' in html, kind
    assert f'title="amount: {seed["amounts"][0]["text"]}"' in html


def test_article_of_a_republication_links_its_first_occurrence(ui_client, samples_warehouse):
    original = next(a for a in manifest() if a["republished_by"])
    copy = next(a for a in manifest() if a["page"] == original["republished_by"][0])
    first, later = _article_id(samples_warehouse, original), _article_id(samples_warehouse, copy)
    data = ui_client.get(f"/api/article/{later}").json()
    assert data["article"]["duplicate_of"] == first
    assert [s["article_id"] for s in data["same_story"]] == [first]
    assert any(p["duplicate_of_article"] == first for p in data["paragraphs"])
    assert f'href="/article/{first}#p' in ui_client.get(f"/article/{later}").text


def test_feed_health_shows_the_broken_feed_failing(ui_client):
    data = ui_client.get("/api/feeds").json()
    feeds = {f["feed"]: f for f in data["feeds"]}
    broken = feeds["broken-missing"]
    assert broken["failing"] and broken["last_status"] == "failed" and broken["last_success_at"] is None
    assert broken["consecutive_failed_days"] == 2 and "404" in broken["last_error"]
    others = [f for name, f in feeds.items() if name != "broken-missing"]
    assert others and not any(f["failing"] for f in others)
    assert all(f["conditional_get"] and f["not_modified_30d"] >= 1 and f["bytes_saved_30d"] > 0 for f in others)
    assert [d["failed"] for d in broken["days"]] == [True, True]
    assert [r["run_id"] for r in data["runs"]] == ["cli__2025-12-05", "cli__2025-12-04"]
    assert all(r["failed_feeds"] == ["broken-missing"] and not r["airflow"] for r in data["runs"])
    (q,) = data["quarantine"]
    assert (q["stage"], q["http_status"], q["feeds"], q["items"]) == ("feed", 404, ["broken-missing"], 1)
    html = ui_client.get("/feeds").text
    row = re.search(r'<tr class="failing" data-feed="broken-missing">', html)
    assert row, "the broken feed is not shown failing"


@pytest.mark.parametrize("path", ["/overview", "/dyad", "/dyad?a=PAK&b=KGZ", "/feeds"])
def test_pages_are_whole_and_use_only_their_own_assets(ui_client, path):
    r = ui_client.get(path)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html = r.text
    assert '<meta name="viewport"' in html and '<html lang="en">' in html
    if path in ("/overview", "/feeds"):
        assert "<svg" in html  # the charts are inline SVG
    assets = re.findall(r'<(?:link|script|img)[^>]+(?:href|src)="([^"]+)"', html)
    assert assets and all(a.startswith("/static/") for a in assets), assets


def test_dyad_page_lists_the_seed_meeting(ui_client):
    html = ui_client.get("/dyad", params={"a": "PAK", "b": "KGZ"}).text
    assert 'data-category="CONSULT" data-day="2025-12-04"' in html
    assert html.count('<li class="event"') == ui_client.get("/api/dyad?a=PAK&b=KGZ").json()["total"]


def test_static_assets_are_served_by_the_plugin(ui_client):
    css = ui_client.get("/static/akhbar.css")
    assert css.status_code == 200 and "Noto Naskh Arabic" in css.text and "@media" in css.text
    assert "url(http" not in css.text and "@import" not in css.text
    assert ui_client.get("/static/icon.svg").status_code == 200


def test_home_leads_to_the_overview(ui_client):
    r = ui_client.get("/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith("/overview")


def test_countries_are_named_in_arabic_and_english(ui_client):
    names = ui_client.get("/api/countries").json()
    assert names["KGZ"]["ar"] and names["KGZ"]["en"] == "Kyrgyzstan"


BAD = [
    ("/api/overview?country=XYZ", 400, "XYZ is not a country code the warehouse knows"),
    ("/api/overview?country=PAK%27%3B%20DROP%20TABLE%20akhbar.articles%3B--", 400, "ISO 3166-1 alpha-3"),
    ("/api/overview?country=P%25K", 400, "ISO 3166-1 alpha-3"),
    ("/api/overview?start=2025-12-05&end=2025-01-01", 400, "is after end"),
    ("/api/overview?start=2025-02-30", 400, "not a calendar date"),
    ("/api/overview?end=yesterday", 400, "YYYY-MM-DD"),
    ("/api/overview?start=1900-01-01&end=2025-01-01", 400, "at most"),
    ("/api/overview?category=DROP", 400, "PLOVER category"),
    ("/api/overview?limit=100000000000", 400, "whole number"),
    ("/api/overview?limit=1000000", 400, "from 1 to 500"),
    ("/api/overview?limit=0", 400, "from 1 to 500"),
    ("/api/overview?limit=-5", 400, "whole number"),
    ("/api/dyad?a=PAK", 400, "two countries"),
    ("/api/dyad?a=PAK&b=pak", 400, "two different countries"),
    ("/api/dyad?a=PAK&b=K%27G", 400, "ISO 3166-1 alpha-3"),
    ("/api/dyad?a=PAK&b=KGZ&start=2025-12-31&end=2025-01-01", 400, "is after end"),
    ("/api/dyad?a=PAK&b=KGZ&limit=501", 400, "from 1 to 500"),
    ("/api/article/abc", 400, "positive whole number"),
    ("/api/article/1%3B%20DELETE%20FROM%20akhbar.articles", 400, "positive whole number"),
    ("/api/article/0", 400, "positive whole number"),
    ("/api/article/987654321", 404, "no article 987654321"),
    ("/api/feeds?limit=99999", 400, "from 1 to 500"),
]


@pytest.mark.parametrize("path,status,message", BAD)
def test_bad_parameters_are_answered_with_a_clear_4xx(ui_client, path, status, message):
    r = ui_client.get(path)
    assert r.status_code == status, r.text
    assert message in r.json()["detail"]


@pytest.mark.parametrize("path,status,message", BAD[:6] + [b for b in BAD if b[1] == 404])
def test_pages_answer_bad_parameters_with_an_error_page(ui_client, path, status, message):
    r = ui_client.get(path.replace("/api/", "/"))
    assert r.status_code == status
    assert r.headers["content-type"].startswith("text/html") and message.replace("'", "&#39;") in r.text


def test_metacharacters_changed_nothing(ui_client, samples_warehouse):
    before = query(samples_warehouse[0], "SELECT count(*) FROM akhbar.articles")
    for path, _, _ in BAD:
        ui_client.get(path)
    assert query(samples_warehouse[0], "SELECT count(*) FROM akhbar.articles") == before


def test_routes_need_a_signed_in_airflow_user(samples_warehouse):
    """Without credentials (a forged token is refused by the live server: test_browser)."""
    from fastapi.testclient import TestClient

    from akhbar_ui.app import create_app

    app = create_app(samples_warehouse[0])
    with TestClient(app) as client:
        r = client.get("/api/feeds")
        assert r.status_code == 401 and "sign in" in r.json()["detail"]
        r = client.get("/overview", follow_redirects=False)
        assert r.status_code == 303 and "/auth/login" in r.headers["location"]
        assert client.get("/static/akhbar.css").status_code == 200
    app.state.warehouse.close()


def test_runs_of_airflow_link_to_their_run_and_task_pages(warehouse_url):
    """A run the DAG made links to its Airflow run page, its failed feed to the fetch_feed
    task, its quarantined item to the task of its stage (in the whole window: target _top)."""
    from fastapi.testclient import TestClient

    import psycopg2

    from akhbar_ui.app import create_app

    run_id = "scheduled__2025-12-05T04:00:00+00:00"
    conn = psycopg2.connect(warehouse_url)
    with conn, conn.cursor() as cur:
        cur.execute("INSERT INTO akhbar.feeds (name, url, outlet) VALUES ('f1', 'http://x/f1', 'O') RETURNING feed_id")
        (feed_id,) = cur.fetchone()
        cur.execute("INSERT INTO akhbar.runs (run_id, logical_date, status, feeds_failed, finished_at)"
                    " VALUES (%s, '2025-12-05', 'partial', 1, now())", (run_id,))
        cur.execute("INSERT INTO akhbar.run_feeds (run_id, feed_id, status, error) VALUES (%s, %s, 'failed', 'HTTP 500')",
                    (run_id, feed_id))
        cur.execute("INSERT INTO akhbar.quarantine (feed, url, stage, reason, http_status, last_run_id)"
                    " VALUES ('f1', 'http://x/p', 'page', 'HTTP 500', 500, %s)", (run_id,))
    conn.close()
    app = create_app(warehouse_url, require_login=False)
    with TestClient(app, root_path="/akhbar") as client:
        html = client.get("/feeds").text
        data = client.get("/api/feeds").json()
    app.state.warehouse.close()
    quoted = "scheduled__2025-12-05T04%3A00%3A00%2B00%3A00"
    assert f'href="/dags/arabic_news_daily/runs/{quoted}" target="_top"' in html
    assert f'href="/dags/arabic_news_daily/runs/{quoted}/tasks/fetch_feed" target="_top"' in html
    assert f'href="/dags/arabic_news_daily/runs/{quoted}/tasks/fetch_articles" target="_top"' in html
    assert data["runs"][0]["airflow"] and data["feeds"][0]["failing"]
