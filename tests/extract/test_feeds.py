"""parse_feed over RSS 2.0, RSS 1.0 and Atom, served for real or read from file://."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from akhbar.extract.errors import FeedParseError
from akhbar.extract.feeds import parse_feed, strip_html
from akhbar.extract.http import fetch
from akhbar.models import FeedConfig

FEED = FeedConfig(name="test-world", url="http://example.invalid/rss.xml", outlet="شبكة الأخبار")

RSS2 = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>أخبار العالم</title><link>http://news.example/</link><description>d</description>
<item><title>القمة العربية تختتم أعمالها</title><link>/world/summit.html</link>
  <guid isPermaLink="false">summit-1</guid><pubDate>Sun, 07 Oct 2018 14:30:00 +0300</pubDate>
  <description>&lt;p&gt;اختتمت &lt;b&gt;القمة&lt;/b&gt; أعمالها&lt;/p&gt;</description></item>
<item><title>خبر بلا رابط</title><description>لا رابط هنا</description></item>
<item><title>رابط في المعرّف</title><guid>https://news.example/world/guid-link.html</guid></item>
<item><title>خبر بلا تاريخ</title><link>https://news.example/world/undated.html</link></item>
<item><title>نسخة مكررة</title><link>/world/summit.html</link></item>
<item><title>رابط خطر</title><link>javascript:alert(1)</link></item>
</channel></rss>""".encode()

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>اقتصاد</title><id>urn:feed</id><updated>2018-10-01T00:00:00Z</updated>
<entry><title type="html">&lt;em&gt;اتفاقية&lt;/em&gt; تجارية جديدة</title><link rel="alternate" href="https://news.example/eco/1.html"/>
  <id>urn:entry:1</id><updated>2018-10-01T08:00:00+02:00</updated><summary>ملخص الخبر الاقتصادي</summary></entry>
<entry><title>بدون منطقة زمنية</title><link href="https://news.example/eco/2.html"/><id>urn:entry:2</id>
  <published>2018-10-02T09:15:00</published></entry>
</feed>""".encode()

RSS1 = """<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://news.example/"><title>ثقافة</title><link>https://news.example/</link><description>d</description></channel>
<item rdf:about="https://news.example/culture/1.html"><title>معرض الكتاب يفتح أبوابه</title>
  <link>https://news.example/culture/1.html</link><dc:date>2018-10-03T10:00:00Z</dc:date></item>
</rdf:RDF>""".encode()


def test_rss2_items():
    items = parse_feed(RSS2, FEED, "https://news.example/feeds/world.xml")
    assert [i.url for i in items] == ["https://news.example/world/summit.html",
                                      "https://news.example/world/guid-link.html",
                                      "https://news.example/world/undated.html"]
    first = items[0]
    assert first.feed == "test-world" and first.title == "القمة العربية تختتم أعمالها"
    assert first.summary == "اختتمت القمة أعمالها"
    assert first.published == datetime(2018, 10, 7, 11, 30, tzinfo=timezone.utc)
    assert first.guid == "summit-1"
    assert items[2].published is None


def test_atom_items():
    items = parse_feed(ATOM, FEED, "https://news.example/eco.atom")
    assert [i.url for i in items] == ["https://news.example/eco/1.html", "https://news.example/eco/2.html"]
    assert items[0].title == "اتفاقية تجارية جديدة"
    assert items[0].published == datetime(2018, 10, 1, 6, 0, tzinfo=timezone.utc)
    assert items[1].published == datetime(2018, 10, 2, 9, 15, tzinfo=timezone.utc)  # no offset: UTC
    assert all(i.published.tzinfo is not None for i in items)


def test_rss1_items():
    (item,) = parse_feed(RSS1, FEED, "https://news.example/rdf")
    assert item.url == "https://news.example/culture/1.html"
    assert item.published == datetime(2018, 10, 3, 10, 0, tzinfo=timezone.utc)


def test_legacy_encoding_from_the_xml_declaration():
    doc = RSS2.decode().replace('encoding="utf-8"', 'encoding="windows-1256"').encode("cp1256")
    assert parse_feed(doc, FEED, "https://news.example/rss")[0].title == "القمة العربية تختتم أعمالها"


def test_relative_links_in_a_local_feed(tmp_path):
    feed_file = tmp_path / "archive" / "feed.xml"
    feed_file.parent.mkdir()
    feed_file.write_bytes(RSS2.replace(b"/world/summit.html", b"pages/x.html"))
    items = parse_feed(feed_file.read_bytes(), FEED, feed_file.as_uri())
    assert items[0].url == (tmp_path / "archive" / "pages" / "x.html").as_uri()


def test_remote_feed_cannot_point_at_local_files():
    doc = RSS2.replace(b"/world/summit.html", b"file:///etc/passwd")
    assert all(not i.url.startswith("file:") for i in parse_feed(doc, FEED, "https://news.example/rss"))


def test_empty_feed_is_not_an_error():
    assert parse_feed(b'<rss version="2.0"><channel><title>t</title></channel></rss>', FEED, "https://x.example/") == []


@pytest.mark.parametrize("body", [
    b"<!DOCTYPE html><html><head><title>Home</title></head><body><p>Welcome</p></body></html>",
    b"Service temporarily unavailable",
    b"",
])
def test_non_feeds_are_refused(body):
    with pytest.raises(FeedParseError) as caught:
        parse_feed(body, FEED, "https://news.example/feed")
    assert caught.value.permanent and "news.example/feed" in str(caught.value)


def test_strip_html():
    assert strip_html("<p>سطر&nbsp;أول</p>\n<p>سطر ثان</p>") == "سطر أول سطر ثان"
    assert strip_html("<br/>") is None


@pytest.mark.integration
class TestServedFeeds:
    def test_rss_and_atom_over_http(self, site, fast):
        for path, doc, count in (("/rss.xml", RSS2, 3), ("/feed.atom", ATOM, 2)):
            url = site.static(path, doc, "application/rss+xml; charset=utf-8")
            response = fetch(url, fast, allow_private=True)
            items = parse_feed(response.body, FEED, response.url, charset=response.charset)
            assert len(items) == count
        assert parse_feed(fetch(site.url("/rss.xml"), fast, allow_private=True).body, FEED,
                          site.url("/rss.xml"))[0].url == site.url("/world/summit.html")

    def test_html_where_a_feed_is_expected(self, site, fast):
        url = site.static("/news", b"<!DOCTYPE html><html lang='ar'><body><h1>\xd8\xa3\xd8\xae\xd8\xa8\xd8\xa7\xd8\xb1</h1></body></html>")
        response = fetch(url, fast, allow_private=True)
        with pytest.raises(FeedParseError, match="HTML page"):
            parse_feed(response.body, FEED, response.url)
