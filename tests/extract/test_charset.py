"""decode_document: declarations are trusted only as far as the bytes agree."""
from __future__ import annotations

import codecs
import os

import pytest

from akhbar.extract.charset import (decode_document, looks_like_mojibake, mojibake_reason, normalize_label,
                                   sniff_declaration)
from akhbar.extract.errors import DecodeError
from akhbar.extract.http import fetch
from akhbar.extract.pages import extract_page

from akhbar.extract.feeds import parse_feed
from akhbar.models import FeedConfig
from tests.faultserver import payloads

from .conftest import PARAGRAPHS, article_html

# ISO-8859-6 has no shadda; keep a text both Arabic code pages can encode.
PLAIN = "أعلنت الوزارة اليوم عن توقيع اتفاقية جديدة للتعاون في مجال التعليم العالي بين البلدين."


def page(text: str, head: str = "") -> str:
    return f"<html><head>{head}<title>خبر</title></head><body><p>{text}</p></body></html>"


@pytest.mark.parametrize("encoding", ["utf-8", "cp1256", "iso-8859-6", "utf-16-le", "utf-16-be"])
def test_declared_charset_that_matches(encoding):
    assert PLAIN in decode_document(page(PLAIN).encode(encoding), encoding)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-32"])
def test_byte_order_mark_wins(encoding):
    body = page(PLAIN).encode(encoding)
    if encoding == "utf-8":
        body = b"\xef\xbb\xbf" + body
    assert PLAIN in decode_document(body, "windows-1256")


def test_meta_charset_when_the_header_says_nothing():
    body = page(PLAIN, '<meta charset="windows-1256">').encode("cp1256")
    assert PLAIN in decode_document(body, None)


def test_http_equiv_and_xml_declarations():
    equiv = '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-6">'
    assert sniff_declaration(page(PLAIN, equiv).encode("iso-8859-6")) == "iso-8859-6"
    xml = f'<?xml version="1.0" encoding="windows-1256"?><rss><title>{PLAIN}</title></rss>'.encode("cp1256")
    assert sniff_declaration(xml) == "windows-1256"
    assert PLAIN in decode_document(xml, None)


@pytest.mark.parametrize("declared, actual", [
    ("utf-8", "cp1256"),          # template says utf-8, database writes cp1256
    ("windows-1256", "utf-8"),    # site migrated to utf-8, header forgotten
    ("iso-8859-1", "cp1256"),     # server default charset
    ("iso-8859-1", "iso-8859-6"),
    ("windows-1256", "iso-8859-6"),
    ("iso-8859-6", "cp1256"),
])
def test_wrong_declaration_is_overruled(declared, actual):
    assert PLAIN in decode_document(page(PLAIN).encode(actual), declared)


@pytest.mark.parametrize("encoding", ["utf-8", "cp1256", "iso-8859-6"])
def test_detection_without_any_declaration(encoding):
    short = "اتفاق جديد بين البلدين"
    assert short in decode_document(page(short).encode(encoding), None)


def test_western_text_in_latin_charset_is_not_mojibake():
    french = "<p>L'été dernier, à Paris, le ministre a signé un accord économique.</p>"
    assert french in decode_document(french.encode("cp1252"), "iso-8859-1")


def test_double_encoded_utf8_is_refused():
    mangled = page(PLAIN).encode("utf-8").decode("cp1252", "replace").encode("utf-8")
    with pytest.raises(DecodeError, match="^mojibake"):
        decode_document(mangled, "utf-8")


def _page_bytes(encoding: str, head: str = "") -> bytes:
    return page(PLAIN, head).encode(encoding)


# (body, header charset): each must decode to the original Arabic text.
DECODABLE = {
    "utf-16 BOM, no label": (_page_bytes("utf-16"), None),
    "utf-16 BOM, header says cp1256": (_page_bytes("utf-16"), "windows-1256"),
    "utf-16-le no BOM, no label": (_page_bytes("utf-16-le"), None),
    "utf-16-be no BOM, no label": (_page_bytes("utf-16-be"), None),
    "utf-16-le no BOM, header says utf-8": (_page_bytes("utf-16-le"), "utf-8"),
    "utf-16-le no BOM, meta says utf-16": (_page_bytes("utf-16-le", '<meta charset="utf-16">'), None),
    "utf-8 BOM, header says cp1256": (codecs.BOM_UTF8 + _page_bytes("utf-8"), "windows-1256"),
    "header utf-8, bytes cp1256": (_page_bytes("cp1256"), "utf-8"),
    "header utf-8, meta utf-8, bytes cp1256": (_page_bytes("cp1256", '<meta charset="utf-8">'), "utf-8"),
    "header iso-8859-1, bytes cp1256": (_page_bytes("cp1256"), "iso-8859-1"),
    "header cp1256, bytes utf-8": (_page_bytes("utf-8"), "windows-1256"),
    "header cp1256, bytes iso-8859-6": (_page_bytes("iso-8859-6"), "windows-1256"),
    "no label, meta cp1256": (_page_bytes("cp1256", '<meta charset="windows-1256">'), None),
    "no label, no meta, cp1256": (_page_bytes("cp1256"), None),
    "unknown label, iso-8859-6": (_page_bytes("iso-8859-6"), "x-no-such-charset"),
}


@pytest.mark.parametrize("body, declared", DECODABLE.values(), ids=DECODABLE.keys())
def test_charset_table(body, declared):
    assert PLAIN in decode_document(body, declared)


_UTF8 = page(PLAIN).encode("utf-8")
# (body, header charset, words the reason must contain): text garbled before we got it.
MOJIBAKE = {
    "utf-8 read as latin-1, stored as utf-8": (_UTF8.decode("latin-1").encode("utf-8"), "utf-8", "Latin-1"),
    "utf-8 read as cp1252, stored as utf-8": (_UTF8.decode("cp1252", "replace").encode("utf-8"), None,
                                              "windows-1252"),
    "utf-8 read as cp1256, stored as utf-8": (_UTF8.decode("cp1256", "replace").encode("utf-8"), "utf-8",
                                              "windows-1256"),
    "cp1256 read as utf-8: replacement storm": (
        page(PLAIN).encode("cp1256").decode("utf-8", "replace").encode("utf-8"), "utf-8", "U+FFFD"),
    "double-encoded behind a BOM": (codecs.BOM_UTF8 + _UTF8.decode("cp1252", "replace").encode("utf-8"), None,
                                    "windows-1252"),
}


@pytest.mark.parametrize("body, declared, reason", MOJIBAKE.values(), ids=MOJIBAKE.keys())
def test_mojibake_is_reported_not_returned(body, declared, reason):
    with pytest.raises(DecodeError, match="^mojibake") as caught:
        decode_document(body, declared)
    assert reason in str(caught.value) and caught.value.permanent


def test_mojibake_reason_quotes_the_garbled_text():
    reason = mojibake_reason("<p>" + "القمة عربية".encode().decode("cp1252", "replace") * 3)
    assert reason is not None and "Ø" in reason
    assert mojibake_reason(f"<p>{PLAIN}</p>") is None


def test_binary_is_refused():
    with pytest.raises(DecodeError):
        decode_document(b"\x89PNG\r\n\x1a\n" + os.urandom(4000), None)


def test_empty_body_is_empty_text():
    assert decode_document(b"", "utf-8") == ""


def test_mojibake_detector():
    assert looks_like_mojibake(PLAIN.encode("cp1256").decode("cp1252"))
    assert looks_like_mojibake(PLAIN.encode("utf-8").decode("cp1256"))
    assert not looks_like_mojibake(PLAIN)


def test_label_normalisation():
    assert normalize_label("Windows-1256") == "cp1256"
    assert normalize_label("ISO-8859-6-I") == "iso8859-6"
    assert normalize_label("latin1") == "cp1252"
    assert normalize_label("no-such-charset") is None


@pytest.mark.integration
class TestServedPages:
    """Pages as legacy Arabic sites serve them, through fetch → decode → extract."""

    def _roundtrip(self, site, fast, path, body, content_type):
        url = site.static(path, body, content_type)
        response = fetch(url, fast, allow_private=True)
        return extract_page(decode_document(response.body, response.charset), response.url)

    def test_windows_1256_declared_only_in_meta(self, site, fast):
        html = article_html(head='<meta charset="windows-1256">')
        result = self._roundtrip(site, fast, "/cp1256.html", html.encode("cp1256"), "text/html")
        assert result.paragraphs == PARAGRAPHS

    def test_iso_8859_6_declared_in_the_header(self, site, fast):
        paragraphs = [p.replace("ّ", "") for p in PARAGRAPHS]
        html = article_html("اتفاق للتعاون في التعليم العالي", paragraphs)
        result = self._roundtrip(site, fast, "/iso.html", html.encode("iso-8859-6", "xmlcharrefreplace"),
                                 "text/html; charset=ISO-8859-6")
        assert result.paragraphs == paragraphs

    def test_mislabeled_page(self, site, fast):
        html = article_html(head='<meta charset="utf-8">')
        result = self._roundtrip(site, fast, "/mislabeled.html", html.encode("cp1256"),
                                 "text/html; charset=utf-8")
        assert result.paragraphs == PARAGRAPHS


@pytest.mark.integration
class TestServedLabels:
    """Wrong and missing charset labels as the fault server sends them, through fetch."""

    @pytest.mark.parametrize("label, actual", [("utf-8", "cp1256"), (None, "cp1256"), (None, "iso-8859-6"),
                                               ("iso-8859-1", "utf-8"), ("utf-8", "utf-16")])
    def test_label_and_bytes(self, fault_server, fast, label, actual):
        url = fault_server.route("/p.html", page(PLAIN), charset=label, body_encoding=actual)
        response = fetch(url, fast, allow_private=True)
        assert response.charset == label
        assert PLAIN in decode_document(response.body, response.charset)

    def test_mislabeled_feed_items_are_not_mojibake(self, fault_server, fast):
        title = "القمة العربية تختتم أعمالها في عمان"
        doc = payloads.rss([(title, "http://news.example/1")], encoding="cp1256", declare="utf-8")
        url = fault_server.route("/rss.xml", doc, content_type="application/rss+xml", charset="utf-8")
        response = fetch(url, fast, allow_private=True)
        (item,) = parse_feed(response.body, FeedConfig(name="f", url=url, outlet="o"), url, charset=response.charset)
        assert item.title == title

    def test_garbled_feed_is_refused(self, fault_server, fast):
        doc = payloads.rss([("القمة العربية تختتم أعمالها في عمان", "http://news.example/1")])
        garbled = doc.decode("utf-8").encode("utf-8").decode("cp1252", "replace").encode("utf-8")
        url = fault_server.route("/rss.xml", garbled, content_type="application/rss+xml")
        response = fetch(url, fast, allow_private=True)
        with pytest.raises(DecodeError, match="^mojibake") as caught:
            parse_feed(response.body, FeedConfig(name="f", url=url, outlet="o"), url, charset=response.charset)
        assert caught.value.permanent and caught.value.url == url and url in str(caught.value)


@pytest.mark.parametrize("damage", [b"\xff", b"\x96", b"\xd8"], ids=["stray-ff", "stray-cp1252-dash", "cut-char"])
def test_utf8_with_one_broken_sequence_is_still_utf8(damage):
    body = page(PLAIN * 3).encode("utf-8").replace(b"</title>", damage + b"</title>")
    text = decode_document(body, "utf-8")
    assert PLAIN in text and text.count("\ufffd") == 1


def test_a_legacy_page_is_not_taken_for_broken_utf8():
    body = page(PLAIN).encode("cp1256").replace(b"</title>", "خبر".encode("utf-8") + b"</title>")
    assert PLAIN in decode_document(body, None)
