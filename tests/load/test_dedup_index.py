"""The warehouse marks exactly what the transform marks: one dedup engine, two stores.

Every dev article (AKHBAR_DEV_SET; default the shared evaluation's dev set beside the checkout, when present) and every sample page (config/samples)
goes through a real run (stage, transform, load) into PostgreSQL; each paragraph's
in-article repeat and boilerplate mark read back from paragraphs_v must equal
transform_article's on the same input."""
import json
import os
from datetime import datetime, timezone
from pathlib import Path

import pytest

from akhbar import tasks
from akhbar.extract.charset import decode_document
from akhbar.extract.pages import extract_page
from akhbar.load import staging
from akhbar.load.db import connection
from akhbar.models import ArticleInput, FeedConfig
from akhbar.transform.article import transform_article
from tests.conftest import ROOT, SAMPLES, query
from tests.e2e.helpers import manifest

pytestmark = pytest.mark.integration

DEV = Path(os.environ.get("AKHBAR_DEV_SET") or ROOT.parent / "shared" / "eval" / "dev" / "articles.jsonl")
WHEN = datetime(2025, 12, 5, 8, 0, tzinfo=timezone.utc)


def _samples() -> list[tuple[str, str, str]]:
    """(url, title, body) of each sample page, its body as the fetch task builds it."""
    out = []
    for art in manifest():
        raw = (SAMPLES / art["page"]).read_bytes()
        page = extract_page(decode_document(raw, None), f"http://samples.test/{art['page']}")
        out.append((f"http://samples.test/{art['id']}", art["title"], "\n\n".join(page.paragraphs)))
    return out


def _dev() -> list[tuple[str, str, str]]:
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(f"http://dev.test/{r['id']}", r.get("title") or "", r["body"]) for r in rows]


def _marks_equal(url: str, articles: list[tuple[str, str, str]]) -> None:
    feeds = [FeedConfig("marks", "http://marks.test/feed.xml", "المصدر")]
    tasks.start_run(url, "marks", WHEN.date(), feeds)
    with connection(url) as conn:
        for page, title, body in articles:
            staging.stage_article(conn, "marks", staging.StagedArticle(
                feed="marks", url=page, title=title, published=WHEN, body=body, fetched_at=WHEN))
        conn.commit()
    tasks.transform_staged(url, "marks")
    tasks.load_staged(url, "marks")
    rows = query(url, "SELECT url, position, duplicate_of_url, duplicate_of_position, is_boilerplate"
                      " FROM akhbar.paragraphs_v ORDER BY url, position")
    stored: dict[str, list] = {}
    for page, position, dup_url, dup_pos, boilerplate in rows:
        stored.setdefault(page, []).append((dup_pos if dup_url == page else None, boilerplate))
    repeats = 0
    for page, title, body in articles:
        result = transform_article(ArticleInput(id=page, title=title, body=body, url=page,
                                                published=WHEN.isoformat()))
        expected = [(p.duplicate_of, p.is_boilerplate) for p in result.paragraphs]
        assert stored[page] == expected, page
        repeats += sum(d is not None for d, _ in expected)
    assert repeats  # the comparison saw repeats, not only their absence


def test_the_warehouse_marks_the_sample_pages_as_the_transform_does(warehouse_url):
    _marks_equal(warehouse_url, _samples())
    # the seed's paraphrase (paragraph 11 restating paragraph 3) and nothing else
    assert query(warehouse_url, "SELECT position, duplicate_of_position FROM akhbar.paragraphs_v"
                                " WHERE url = 'http://samples.test/wire-pk-kg-talks'"
                                " AND duplicate_of_url = url") == [(10, 2)]


@pytest.mark.skipif(not DEV.exists(), reason="the dev set (AKHBAR_DEV_SET, default the shared evaluation beside the checkout) is not there")
def test_the_warehouse_marks_the_dev_articles_as_the_transform_does(warehouse_url):
    _marks_equal(warehouse_url, _dev())
