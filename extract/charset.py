"""Bytes to text for feeds and pages, trusting declarations only as far as the bytes agree.

Arabic sites still serve windows-1256 and ISO-8859-6, and headers often lie (a CMS
template saying utf-8 over cp1256 bytes, or iso-8859-1 as a server default). Every
candidate is therefore validated: it must decode strictly and the result must not look
like mojibake. Order: BOM, HTTP header, in-document declaration, detection.
"""
from __future__ import annotations

import codecs
import re

import charset_normalizer

from .errors import DecodeError
from .textclean import sanitize

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# WHATWG: browsers read these labels as windows-1252, and so do the pages written for them.
_LABEL_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252",
                  "ascii": "cp1252", "iso-8859-6-i": "iso-8859-6", "iso-8859-6-e": "iso-8859-6",
                  "x-user-defined": "cp1252", "utf8": "utf-8", "unicode": "utf-16"}
_PRESCAN_BYTES = 16 * 1024
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_TAGS = re.compile(r"<[^>]*>|&[#\w]+;")
_C1_CONTROLS = re.compile("[\u0080-\u009f]")
# cp1256/ISO-8859-6 Arabic read as a Latin code page: whole words of accented capitals.
_LATIN_RUN = re.compile("[\u00c0-\u00ff]{3,}")
# UTF-8 read as a single-byte code page: lead byte then continuation byte, e.g. "Ø§".
_UTF8_AS_LATIN = re.compile("[\u00c2-\u00f4][\u0080-\u00bf\u2018-\u203a\u0152-\u0178]")
# ISO-8859-6 read as cp1256 (or the reverse) scatters Latin letters inside Arabic words.
_LATIN_IN_ARABIC = re.compile("[\u0621-\u064a][\u00c0-\u00ff]|[\u00c0-\u00ff][\u0621-\u064a]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_C0_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f]")
_ARABIC_LETTER = re.compile("[\u0621-\u064a]")
_TA_ZA = re.compile("[\u0637\u0638]")
_REPLACEMENTS = re.compile("\ufffd")


def decode_document(body: bytes, declared: str | None) -> str:
    """Decode an HTML or XML document; raise DecodeError when no reading is trustworthy.

    The message starts with "mojibake" when the bytes decode cleanly but the text is
    already garbled (double-encoded UTF-8, replacement-character storms): such text must
    be reported, not loaded, and no other codec can repair it. The text comes back
    sanitised (textclean): no NUL, C0 control or lone surrogate gets further.
    """
    return sanitize(_decode(body, declared))


def _decode(body: bytes, declared: str | None) -> str:
    if not body:
        return ""
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            text, reason = _attempt(body[len(bom):], encoding)
            if text is not None:
                return text
            if reason:
                raise _mojibake(body, encoding, reason)
            raise DecodeError(f"document starts with a {encoding} byte-order mark but is not valid {encoding}")
    tried: list[str] = []
    for candidate in (declared, sniff_declaration(body)):
        encoding = normalize_label(candidate)
        if encoding is None or encoding in tried:
            continue
        tried.append(encoding)
        text, _ = _attempt(body, encoding)
        if text is not None and (encoding.startswith("utf") or not _is_utf8_in_disguise(body)):
            return text
    return _detect(body, tried)


def normalize_label(label: str | None) -> str | None:
    """A Python codec name for a charset label, or None when the label is unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _LABEL_ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # A BOM-less "utf-16" declaration is little-endian in practice (Windows tools).
    return {"utf-16": "utf-16-le", "utf-32": "utf-32-le"}.get(name, name)


def sniff_declaration(body: bytes) -> str | None:
    """The charset an XML declaration or <meta> element in the first bytes names."""
    head = body[:_PRESCAN_BYTES]
    if head[:4] in (b"<\x00?\x00", b"\x00<\x00?"):  # BOM-less UTF-16 XML
        return "utf-16-le" if head[0] == 0x3C else "utf-16-be"
    match = _XML_DECL.search(head) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii") if match else None


def looks_like_mojibake(text: str) -> bool:
    """True when `text` is what Arabic (or any UTF-8) looks like decoded with the wrong
    codec, or is binary data rather than text."""
    return mojibake_reason(text) is not None


def mojibake_reason(text: str) -> str | None:
    """Why `text` looks mis-decoded, with a sample, or None when it reads as text."""
    if len(_C0_CONTROLS.findall(text)) > max(2, len(text) // 1000):
        return "control characters throughout: binary data, or UTF-16 read as a single-byte code page"
    prose = _TAGS.sub(" ", text)
    non_ascii = len(_NON_ASCII.findall(prose))
    if non_ascii == 0:
        return None
    if prose.count("\ufffd") > max(2, non_ascii // 100):
        return (f"{prose.count(chr(0xFFFD))} replacement characters (U+FFFD) stand where letters were: the text "
                f"was decoded with the wrong charset before it was stored, e.g. {_sample(prose, _REPLACEMENTS)!r}")
    if len(_C1_CONTROLS.findall(prose)) > max(2, non_ascii // 50):
        return "C1 control characters throughout: UTF-8 read as Latin-1"
    latin_runs = sum(len(m) for m in _LATIN_RUN.findall(prose))
    utf8_as_latin = len(_UTF8_AS_LATIN.findall(prose))
    latin_in_arabic = len(_LATIN_IN_ARABIC.findall(prose))
    if latin_runs + 2 * utf8_as_latin + 2 * latin_in_arabic > max(6, non_ascii * 0.2):
        if utf8_as_latin * 2 >= latin_runs:
            return ("UTF-8 read as Latin-1/windows-1252 (double-encoded), e.g. "
                    f"{_sample(prose, _UTF8_AS_LATIN)!r}")
        if latin_in_arabic:
            return f"Latin letters inside Arabic words (ISO-8859-6 and windows-1256 confused), e.g. " \
                   f"{_sample(prose, _LATIN_IN_ARABIC)!r}"
        return f"Arabic code page read as a Latin one, e.g. {_sample(prose, _LATIN_RUN)!r}"
    # UTF-8 Arabic read as cp1256: every other letter is ط or ظ (the lead bytes 0xD8/0xD9).
    arabic = len(_ARABIC_LETTER.findall(prose))
    if arabic >= 10 and len(_TA_ZA.findall(prose)) > 0.3 * arabic:
        return f"UTF-8 read as windows-1256 (every other letter is ط or ظ), e.g. {_sample(prose, _TA_ZA)!r}"
    return None


def _sample(prose: str, pattern: re.Pattern) -> str:
    match = pattern.search(prose)
    if match is None:
        return prose[:20]
    return prose[max(0, match.start() - 4):match.start() + 12].strip()


def _try(body: bytes, encoding: str) -> str | None:
    return _attempt(body, encoding)[0]


def _attempt(body: bytes, encoding: str) -> tuple[str | None, str | None]:
    """(text, None) when `body` is clean text in `encoding`; (None, why) when it decodes
    but is mojibake; (None, None) when it does not decode at all."""
    try:
        text = body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None, None
    reason = mojibake_reason(text)
    return (None, reason) if reason else (text, None)


def _mojibake(body: bytes, encoding: str, reason: str) -> DecodeError:
    return DecodeError(f"mojibake: the document ({len(body)} bytes) decodes as {encoding} but its text is "
                       f"garbled: {reason}; it is reported rather than loaded")


def _is_utf8_in_disguise(body: bytes) -> bool:
    """Valid UTF-8 with multi-byte characters is UTF-8 whatever the label says: legacy
    single-byte Arabic text essentially never forms valid UTF-8 sequences."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return any(ord(ch) > 0x7F for ch in text)


def _detect(body: bytes, tried: list[str]) -> str:
    # First: UTF-16 Arabic and markup are all bytes below 0x80, so they pass for ASCII.
    utf16 = _utf16_without_bom(body)
    if utf16 is not None:
        text, reason = _attempt(body, utf16)
        if text is not None:
            return text
        if reason:
            raise _mojibake(body, utf16, reason)
    if body.isascii() or _is_utf8_in_disguise(body):
        text, reason = _attempt(body, "utf-8")
        if text is not None:
            return text
        if reason:
            # Valid multi-byte UTF-8 is UTF-8: no other codec would give the intended text.
            raise _mojibake(body, "utf-8", reason)
    text = _mostly_utf8(body)
    if text is not None:
        return text
    # Generic detectors mistake short Arabic texts for Thai or Cyrillic; for an Arabic
    # news crawler the Arabic code pages are the likely answer, so they are tried first
    # and kept only when the result is mostly Arabic letters.
    for encoding in ("cp1256", "iso-8859-6"):
        text = _try(body, encoding)
        if text is not None and _mostly_arabic(text):
            return text
    best = charset_normalizer.from_bytes(body).best()
    if best is not None:
        text = _try(body, best.encoding)
        if text is not None:
            return text
    declared = f"declared {', '.join(tried)}; " if tried else ""
    raise DecodeError(f"cannot decode document ({declared}{len(body)} bytes): no encoding gives clean text; "
                      "the content is binary, corrupted or double-encoded")


def _mostly_utf8(body: bytes) -> str | None:
    """UTF-8 with a few broken sequences (a stray byte, a character cut at a buffer end),
    read as browsers do, with U+FFFD for each; one bad byte must not cost a whole feed.
    Only when valid multi-byte characters outnumber the broken ones twenty to one: a
    legacy code page read as UTF-8 breaks at nearly every non-ASCII byte."""
    text = body.decode("utf-8", "replace")
    broken = text.count("\ufffd") - body.count(b"\xef\xbf\xbd")
    if broken <= 0:
        return None
    multibyte = sum(1 for ch in text if ord(ch) > 0x7F) - text.count("\ufffd")
    if multibyte < 20 * broken or mojibake_reason(text) is not None:
        return None
    return text


def _utf16_without_bom(body: bytes) -> str | None:
    """UTF-16 markup without a BOM: ASCII characters leave a NUL in every other byte."""
    head = body[:2048]
    if len(head) < 16:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _mostly_arabic(text: str) -> bool:
    non_ascii = _NON_ASCII.findall(_TAGS.sub(" ", text))
    arabic = sum(1 for ch in non_ascii if "\u0600" <= ch <= "\u06ff")
    return bool(non_ascii) and arabic >= 0.7 * len(non_ascii)
