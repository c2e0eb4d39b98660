"""extract_page: the article's paragraphs in order, and none of the site furniture."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from akhbar.extract import pages
from akhbar.extract.errors import NotAnArticle, PageTooComplex
from akhbar.extract.metadata import strip_site_name
from akhbar.extract.pages import extract_page, nesting_depth
from akhbar.extract.settings import PageSettings

from .conftest import FOOTER, FURNITURE_LINES, NAV, PARAGRAPHS, RELATED, SHARE, TITLE, article_html


def assert_article_only(paragraphs: list[str], expected: list[str]) -> None:
    assert paragraphs == expected
    text = "\n".join(paragraphs)
    for line in FURNITURE_LINES:
        assert line not in text


def test_paragraphs_in_order_without_furniture():
    page = extract_page(article_html(), "https://news.example/a/1.html")
    assert page.title == TITLE
    assert_article_only(page.paragraphs, PARAGRAPHS)


def test_fallback_without_trafilatura(monkeypatch):
    monkeypatch.setattr(pages, "_trafilatura_paragraphs", lambda html, url: [])
    assert_article_only(extract_page(article_html()).paragraphs, PARAGRAPHS)


def test_page_without_article_element():
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    html = (f"<html><head><title>{TITLE} - شبكة الأخبار</title></head><body>{NAV}"
            f"<div id='content'><h2>{TITLE}</h2>{body}</div>{SHARE}{RELATED}{FOOTER}</body></html>")
    page = extract_page(html)
    assert page.title == TITLE
    assert_article_only(page.paragraphs, PARAGRAPHS)


def test_line_breaks_separate_paragraphs():
    html = article_html(paragraphs=[]).replace("</article>", "<p>" + "<br><br>".join(PARAGRAPHS) + "</p></article>")
    assert extract_page(html).paragraphs == PARAGRAPHS


def test_short_paragraphs_are_kept():
    paragraphs = PARAGRAPHS[:2] + ["انتهى."] + PARAGRAPHS[2:]
    assert extract_page(article_html(paragraphs=paragraphs)).paragraphs == paragraphs


def test_published_from_meta_tags():
    head = '<meta property="article:published_time" content="2018-10-07T14:30:00+03:00">'
    assert extract_page(article_html(head=head)).published == datetime(2018, 10, 7, 11, 30, tzinfo=timezone.utc)
    ld = '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2018-10-08T09:00:00Z"}</script>'
    assert extract_page(article_html(head=ld)).published == datetime(2018, 10, 8, 9, 0, tzinfo=timezone.utc)
    assert extract_page(article_html()).published is None


def test_title_falls_back_to_og_title_then_title():
    html = article_html().replace(f"<h1>{TITLE}</h1>", "")
    assert extract_page(html).title == TITLE  # <title> minus " | site"
    og = html.replace("<head>", "<head><meta property='og:title' content='عنوان من الوسم'>")
    assert extract_page(og).title == "عنوان من الوسم"


@pytest.mark.parametrize("raw, expected", [
    ("قمة في الرياض | الشرق", "قمة في الرياض"),
    ("العربية | الرئيس يستقبل وفدا برلمانيا من الأردن", "الرئيس يستقبل وفدا برلمانيا من الأردن"),
    ("الرئيس يستقبل وفدا برلمانيا - سكاي نيوز عربية", "الرئيس يستقبل وفدا برلمانيا"),
    ("مصر - السودان: اتفاق", "مصر - السودان: اتفاق"),
])
def test_strip_site_name(raw, expected):
    assert strip_site_name(raw) == expected


def test_strip_known_site_name():
    assert strip_site_name("الأخبار - مصر - السودان: اتفاق", "الأخبار") == "مصر - السودان: اتفاق"


def test_stub_page_is_not_an_article():
    with pytest.raises(NotAnArticle, match="too little article text") as caught:
        extract_page(article_html(paragraphs=["الخبر قيد التحديث."]), "https://u:pw@news.example/a/2")
    assert caught.value.permanent
    assert "pw" not in str(caught.value)


def test_error_page_is_not_an_article():
    html = f"<html><body>{NAV}<h1>الصفحة غير موجودة</h1><p>عذرا، لم نعثر على الصفحة.</p>{FOOTER}</body></html>"
    with pytest.raises(NotAnArticle):
        extract_page(html)


def test_listing_page_is_not_an_article():
    teasers = "".join(
        f"<article><h2><a href='/a/{n}'>{TITLE} ({n})</a></h2><p>{PARAGRAPHS[n % 4]}</p></article>"
        for n in range(6))
    html = f"<html><head><title>سياسة | شبكة الأخبار</title></head><body>{NAV}<main>{teasers}</main>{FOOTER}</body></html>"
    with pytest.raises(NotAnArticle, match="listing"):
        extract_page(html)


def test_og_type_article_is_never_a_listing():
    teasers = "".join(f"<div><h3><a href='/a/{n}'>عنوان {n}</a></h3><p>{p}</p></div>" for n, p in enumerate(PARAGRAPHS))
    html = f"<html><head><meta property='og:type' content='article'></head><body><main>{teasers}</main></body></html>"
    paragraphs = extract_page(html).paragraphs
    assert [p for p in paragraphs if p in PARAGRAPHS] == PARAGRAPHS


def test_empty_document():
    with pytest.raises(NotAnArticle):
        extract_page("")


# -- limits --------------------------------------------------------------------------------
def test_deeply_nested_page_is_refused_before_parsing():
    html = article_html().replace("<main>", "<main>" + "<div>" * 5000).replace("</main>", "</div>" * 5000 + "</main>")
    with pytest.raises(PageTooComplex, match="nested more than 256") as caught:
        extract_page(html, "https://news.example/deep.html")
    assert caught.value.permanent and isinstance(caught.value, NotAnArticle)
    assert "news.example/deep.html" in str(caught.value)


def test_nesting_limit_is_a_setting():
    html = article_html().replace("<article>", "<article>" + "<section>" * 30).replace(
        "</article>", "</section>" * 30 + "</article>")
    assert extract_page(html).paragraphs == PARAGRAPHS
    with pytest.raises(PageTooComplex):
        extract_page(html, settings=PageSettings(max_depth=20))


def test_oversized_page_is_refused():
    html = article_html().replace("</footer>", "</footer>" + "<span>حشو</span>" * 1000)
    with pytest.raises(PageTooComplex, match="too large to parse"):
        extract_page(html, settings=PageSettings(max_html_chars=len(html) - 1))
    assert extract_page(html, settings=PageSettings(max_html_chars=len(html))).paragraphs == PARAGRAPHS


@pytest.mark.parametrize("html, depth", [
    ("<div><div><span>x</span></div></div>", 3),
    ("<body>" + "<p>فقرة" * 500 + "</body>", 0),  # unclosed <p> close implicitly
    ("<ul>" + "<li>بند" * 300 + "</ul>", 1),
    ("<div><br><img src=x><hr/><input></div>", 1),
    ("<div><script>if (a<b) { x = '<div><div><div>' }</script></div>", 1),
    ("<div><!-- <div><div> --></div>", 1),
    ("<div><span></div></span><div><div></div></div>", 2),  # misnested, recovered
])
def test_nesting_depth(html, depth):
    assert nesting_depth(html) == depth


@pytest.mark.integration
def test_page_with_no_article_from_the_fault_server(fault_server, fast):
    from akhbar.extract.charset import decode_document
    from akhbar.extract.http import fetch
    from tests.faultserver import payloads
    url = fault_server.route("/home.html", payloads.html_without_article())
    response = fetch(url, fast, allow_private=True)
    with pytest.raises(NotAnArticle, match="too little article text") as caught:
        extract_page(decode_document(response.body, response.charset), response.url)
    assert caught.value.permanent and "/home.html" in str(caught.value)
