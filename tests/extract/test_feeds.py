"""parse_feed over RSS 2.0, RSS 1.0 and Atom, served for real or read from file://."""
from __future__ import annotations

import hashlib
import tracemalloc
from datetime import datetime, timezone

import pytest

from akhbar.extract.errors import BlockedAddress, FeedParseError
from akhbar.extract.feeds import content_hash, parse_feed, strip_html
from akhbar.extract.http import fetch
from akhbar.models import FeedConfig
from tests.faultserver import payloads

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
    # the javascript: item is kept, link and all, for the fetch stage to quarantine with its
    # reason (it used to vanish without a trace)
    assert [i.url for i in items] == ["https://news.example/world/summit.html",
                                      "https://news.example/world/guid-link.html",
                                      "https://news.example/world/undated.html",
                                      "javascript:alert(1)"]
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
    (local,) = [i.url for i in parse_feed(doc, FEED, "https://news.example/rss") if i.url.startswith("file:")]
    with pytest.raises(BlockedAddress, match="local file"):  # kept to be quarantined, never read
        fetch(local)


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
        for path, doc, count in (("/rss.xml", RSS2, 4), ("/feed.atom", ATOM, 2)):
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


# -- XML safety ---------------------------------------------------------------------------
@pytest.mark.parametrize("doc, reason", [
    (payloads.billion_laughs(), "entity-expansion bomb"),
    (payloads.quadratic_blowup(), "entity-expansion bomb"),
    (payloads.external_entity("file:///etc/passwd"), "external entity (SYSTEM)"),
    (payloads.external_entity("http://169.254.169.254/latest/meta-data/"), "external entity (SYSTEM)"),
    (payloads.billion_laughs().decode().encode("utf-16"), "entity-expansion bomb"),
    (payloads.billion_laughs().replace(b"<!ENTITY lol0", b"<!entity lol0"), "entit"),
], ids=["billion-laughs", "quadratic", "xxe-file", "xxe-metadata", "utf-16", "lower-case"])
def test_entity_declarations_are_refused(doc, reason):
    with pytest.raises(FeedParseError, match="declares") as caught:
        parse_feed(doc, FEED, "https://news.example/rss")
    assert caught.value.permanent and reason in str(caught.value)


def test_feedparser_alone_would_expand_a_flat_entity():
    """Why reject_entities exists: the lenient parser expands what expat refused."""
    import feedparser
    doc = payloads.quadratic_blowup(value_size=1000, refs=200)
    parsed = feedparser.parse(doc, response_headers={"content-type": "application/xml"})
    assert len(parsed.entries[0].title) == 1000 * 200


def test_entity_bomb_is_refused_quickly_and_in_little_memory():
    doc = payloads.quadratic_blowup(value_size=20_000, refs=20_000)  # 400 MB if expanded
    tracemalloc.start()
    try:
        with pytest.raises(FeedParseError):
            parse_feed(doc, FEED, "https://news.example/rss")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 10 * len(doc)


def test_xxe_does_not_leak_local_files(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    with pytest.raises(FeedParseError) as caught:
        parse_feed(payloads.external_entity(secret.as_uri()), FEED, "https://news.example/rss")
    assert "TOPSECRET" not in str(caught.value)


def test_a_doctype_without_entities_is_fine():
    doc = RSS2.replace(b'<rss version="2.0">', b'<!DOCTYPE rss PUBLIC "-//Netscape//DTD RSS 0.91//EN" '
                                               b'"http://my.netscape.com/publish/formats/rss-0.91.dtd">\n<rss version="2.0">')
    assert len(parse_feed(doc, FEED, "https://news.example/rss")) == 4


def test_malformed_feed_with_recoverable_items_keeps_them():
    items = parse_feed(payloads.malformed_xml(recoverable=True), FEED, "https://news.example/rss")
    assert [i.url for i in items] == ["http://example.invalid/1"]


def test_malformed_feed_with_nothing_recoverable_is_refused():
    with pytest.raises(FeedParseError, match="malformed feed .* no item with a link could be recovered"):
        parse_feed(payloads.malformed_xml(), FEED, "https://news.example/rss")


# -- change detection ---------------------------------------------------------------------
def test_updated_date_and_content_hash():
    atom = parse_feed(ATOM, FEED, "https://news.example/eco.atom")
    assert atom[0].updated == datetime(2018, 10, 1, 6, 0, tzinfo=timezone.utc)
    assert atom[1].updated is None  # only <published>: not mistaken for an update
    rss = parse_feed(RSS2, FEED, "https://news.example/rss")
    assert all(i.updated is None for i in rss)
    assert rss[0].content_hash == hashlib.sha1("القمة العربية تختتم أعمالها\nاختتمت القمة أعمالها".encode()).hexdigest()
    assert len({i.content_hash for i in rss}) == len(rss)


def test_content_hash_ignores_whitespace_but_not_text():
    assert content_hash("عنوان  الخبر", " نص\n الملخص ") == content_hash("عنوان الخبر", "نص الملخص")
    assert content_hash("عنوان الخبر", "نص الملخص") != content_hash("عنوان الخبر", "نص ملخص معدل")
    assert content_hash(None, None) == content_hash("", "")


def test_edited_item_gets_a_new_hash_and_date():
    before = RSS2.replace(b"<pubDate>", b"<atom:updated xmlns:atom='http://www.w3.org/2005/Atom'>"
                                        b"2018-10-07T12:00:00Z</atom:updated><pubDate>")
    after = before.replace("اختتمت".encode(), "اختتمت رسميا".encode()).replace(b"12:00:00Z", b"18:00:00Z")
    old, new = (parse_feed(doc, FEED, "https://news.example/rss")[0] for doc in (before, after))
    assert old.url == new.url and old.content_hash != new.content_hash
    assert new.updated > old.updated


def test_items_differing_only_in_tracking_parameters_are_one_item():
    doc = payloads.rss([("خبر", "https://news.example/a/1?utm_source=rss"),
                        ("خبر", "https://News.Example/a/1#comments"),
                        ("خبر آخر", "https://news.example/a/2")])
    items = parse_feed(doc, FEED, "https://news.example/rss")
    assert [i.url for i in items] == ["https://news.example/a/1?utm_source=rss", "https://news.example/a/2"]
