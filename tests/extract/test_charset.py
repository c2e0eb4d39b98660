"""decode_document: declarations are trusted only as far as the bytes agree."""
from __future__ import annotations

import os

import pytest

from akhbar.extract.charset import decode_document, looks_like_mojibake, normalize_label, sniff_declaration
from akhbar.extract.errors import DecodeError
from akhbar.extract.http import fetch
from akhbar.extract.pages import extract_page

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
    with pytest.raises(DecodeError, match="cannot decode"):
        decode_document(mangled, "utf-8")


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
