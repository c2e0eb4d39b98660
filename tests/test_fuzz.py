"""Property-based fuzzing of the four entry points hostile input reaches: parse_feed,
extract_page, decode_document and transform_article.

Each must, on any input (random bytes; Unicode with NUL, lone surrogates, bidi controls;
random HTML and XML; lines of 10 MB), either return its typed result or raise the
project's own error type (FetchError, whose subclasses the tasks quarantine), within a
time budget, and what it returns must be storable (no NUL, no lone surrogate).
"""
from __future__ import annotations

import time

from hypothesis import HealthCheck, example, given, settings, strategies as st

from akhbar.extract.charset import decode_document
from akhbar.extract.errors import FetchError
from akhbar.extract.feeds import parse_feed
from akhbar.extract.pages import extract_page
from akhbar.models import ArticleInput, ExtractedPage, FeedConfig, FeedItem, TransformResult
from akhbar.transform.article import transform_article

FEED = FeedConfig("fuzz", "https://news.example/rss.xml", "fuzz")
# Seconds one call may take on any input, 10 MB included (measured: a few at most).
BUDGET = 20.0
HUGE = "أ" * (5 * 1024 * 1024)  # 10 MB of UTF-8 on one line
FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)

# Every code point, surrogates included, with the troublemakers made likely.
_pieces = st.one_of(st.characters(exclude_categories=()),
                    st.sampled_from(["\x00", "\x01", "\x1f", "\ud800", "\udfff", "\u202e", "\u2066", "\ufeff",
                                     "&#0;", "&#xD800;", "&#x110000;", "<", ">", "&", "]]>", "\n\n", "؟", ". ",
                                     "الأردن", "مصر", "وزير الخارجية", "يوم الأحد", "مليون دولار", "اتفاقية"]))
unicode_text = st.lists(_pieces, max_size=200).map("".join)
_names = st.sampled_from(["p", "div", "article", "main", "h1", "script", "meta", "title", "br", "a", "time",
                          "item", "entry", "rss", "channel", "link", "feed", "description", "guid"])


def _element(children):
    return st.builds(lambda tag, inner, attr: f"<{tag} {attr}>{''.join(inner)}</{tag}>",
                     _names, st.lists(children, max_size=4),
                     st.sampled_from(["", 'property="article:published_time" content="0001-01-01T00:00:00+05:00"',
                                      'type="application/ld+json"', 'href="javascript:x"', 'datetime="9999-99"']))


markup = st.recursive(unicode_text, _element, max_leaves=30)
html_docs = st.builds(lambda body: f"<!DOCTYPE html><html><head><title>t</title></head><body>{body}</body></html>",
                      markup)
xml_docs = st.builds(lambda body: f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                                  f"<title>t</title>{body}</channel></rss>", markup)


def _within_budget(call):
    """call()'s result, or None when it raised FetchError; anything else fails the test."""
    started = time.monotonic()
    try:
        result = call()
    except FetchError:
        result = None
    assert time.monotonic() - started < BUDGET
    return result


def _storable(text: str | None) -> bool:
    return text is None or not any(c == "\x00" or "\ud800" <= c <= "\udfff" for c in text)


def _bytes_of(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


@FUZZ
@given(st.one_of(st.binary(max_size=4000), xml_docs.map(_bytes_of), unicode_text.map(_bytes_of)),
       st.sampled_from([None, "utf-8", "windows-1256", "iso-8859-6", "utf-16", "bogus"]))
@example(_bytes_of(HUGE), None)
@example(b"\xff\xfe" + b"\x00\xd8" * 1000, "utf-16")
def test_decode_document(body, declared):
    text = _within_budget(lambda: decode_document(body, declared))
    assert text is None or (isinstance(text, str) and _storable(text))


@FUZZ
@given(st.one_of(xml_docs.map(_bytes_of), st.binary(max_size=4000), unicode_text.map(_bytes_of)))
@example(_bytes_of(f'<rss version="2.0"><channel><item><title>{HUGE}</title><link>http://a/1</link></item></channel></rss>'))
@example(b'<rss version="2.0"><channel><item><title>&#xD800;&#0;</title><link>ftp://x/1</link></item></channel></rss>')
def test_parse_feed(body):
    items = _within_budget(lambda: parse_feed(body, FEED, FEED.url))
    assert items is None or all(isinstance(i, FeedItem) for i in items)
    for item in items or []:
        assert all(_storable(v) for v in (item.url, item.title, item.summary, item.guid))


@FUZZ
@given(st.one_of(html_docs, unicode_text))
@example(f"<html><body><article><p>{HUGE}</p></article></body></html>")
@example("<div>" * 5000 + "نص" + "</div>" * 5000)
def test_extract_page(html):
    page = _within_budget(lambda: extract_page(html, "https://news.example/a.html", allow_brief=True))
    assert page is None or isinstance(page, ExtractedPage)
    if page is not None:
        assert _storable(page.title) and all(_storable(p) for p in page.paragraphs)


@FUZZ
@given(unicode_text, st.one_of(st.none(), unicode_text, st.sampled_from(["0001-01-01", "9999-12-31T00:00:00+14:00",
                                                                          "2025-03-02T08:00:00+03:00"])),
       st.one_of(st.none(), html_docs))
@example("\n\n".join(["الوزير يزور البلد في العام 1999"] * 3000), "0001-01-01T00:00:00+05:00", None)
@example(HUGE, None, None)
@example("وبلغت قيمة الصفقة " + "9" * 400 + " دولار يوم الأحد", "0001-01-01", None)
def test_transform_article(body, published, html):
    article = ArticleInput(id="fuzz", title=body[:50], body=body, published=published, html=html)
    result = _within_budget(lambda: transform_article(article))
    assert result is None or isinstance(result, TransformResult)
