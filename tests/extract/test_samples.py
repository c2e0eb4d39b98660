"""The bundled offline samples (config/samples) through the whole extract path via file://.

Expectations come from config/samples/MANIFEST.yaml; the body paragraphs are, by its
definition, the <p> elements of <article> (compared here with BeautifulSoup, which is
independent of the trafilatura path under test).
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from akhbar.extract.charset import decode_document
from akhbar.extract.feeds import parse_feed
from akhbar.extract.http import fetch
from akhbar.extract.metadata import clean, parse_datetime
from akhbar.extract.pages import extract_page
from akhbar.models import FeedConfig

SAMPLES = Path(__file__).resolve().parents[2] / "config" / "samples"
MANIFEST = yaml.safe_load((SAMPLES / "MANIFEST.yaml").read_text(encoding="utf-8")) if SAMPLES.exists() else None

pytestmark = pytest.mark.skipif(MANIFEST is None, reason="config/samples not present")


def _articles():
    return MANIFEST["articles"] if MANIFEST else []


@pytest.mark.parametrize("article", _articles(), ids=lambda a: a["id"])
def test_sample_article(article):
    feed_url = (SAMPLES / article["feed_file"]).as_uri()
    feed = fetch(feed_url, allow_file=True)
    items = parse_feed(feed.body, FeedConfig(article["feed"], feed_url, article["outlet"]), feed.url)
    (item,) = [i for i in items if i.guid == article["guid"]]
    assert item.url == (SAMPLES / article["page"]).as_uri()

    response = fetch(item.url, allow_file=True)
    html = decode_document(response.body, response.charset)
    page = extract_page(html, response.url)

    expected = [clean(p.get_text()) for p in BeautifulSoup(html, "lxml").find("article").find_all("p", recursive=False)]
    assert len(expected) == article["paragraphs"]
    assert page.paragraphs == expected
    assert page.title == article["title"]
    assert page.published == parse_datetime(article["published"])
