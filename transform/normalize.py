"""Text normalization: one folded form for matching, one clean form for display.

Matching folds the spelling variants that Arabic news writes interchangeably (hamza on
alef, alef maksura / yeh, teh marbuta / heh, diacritics, tatweel, three digit systems) so
that gazetteers and dedup compare like with like. Display text keeps the letters as the
outlet wrote them and only drops what a reader cannot see or should not see.
"""
from __future__ import annotations

import html
import re
import unicodedata

CAMEL_TOOLS = "camel-tools==1.6.0"


class CamelToolsMissing(ImportError):
    """camel-tools is installed apart from akhbar (README: Install): its declared
    dependencies pull torch and transformers (~1.7 GB) that these modules never import."""


try:
    from camel_tools.utils.dediac import dediac_ar
    from camel_tools.utils.normalize import (
        normalize_alef_ar,
        normalize_alef_maksura_ar,
        normalize_teh_marbuta_ar,
        normalize_unicode,
    )
except ImportError as exc:  # the second step of the install was not done
    raise CamelToolsMissing(
        f"camel-tools is not installed; install it without its heavy dependencies:"
        f" pip install --no-deps {CAMEL_TOOLS}  (README: Install)") from exc

# Arabic-Indic (U+0660..) and Persian/Urdu (U+06F0..) digits both occur in the press.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_HAS_DIGITS = re.compile("[٠-٩۰-۹]")
_TATWEEL = re.compile("\u0640+")
# Every run of whitespace becomes one space: a single space is already that, so only runs
# of two or more and single other whitespace characters are rewritten (most text has none).
_SPACES = re.compile(r"\s{2,}|[^\S ]")


def _unicode_fix_chars() -> re.Pattern | None:
    """The characters camel's normalize_unicode spells out before NFKC (its fix-up map:
    ﷼ → ريال, ﷽ → the basmala); None when this camel-tools keeps the map elsewhere."""
    try:
        from camel_tools.utils.normalize import _UNICODE_CHAR_FIX
        keys = list(_UNICODE_CHAR_FIX._charmap)
    except (ImportError, AttributeError):
        return None
    return re.compile("|".join(re.escape(k) for k in keys)) if keys else re.compile("(?!)")


_UNICODE_FIX = _unicode_fix_chars()


def _normalize_unicode(text: str) -> str:
    """camel's normalize_unicode: its fix-up map, then NFKC. The map is a Python loop over
    every character (the costliest step of folding), and it changes nothing in a text
    without one of its two characters: then NFKC alone is the same result."""
    if _UNICODE_FIX is None or _UNICODE_FIX.search(text):
        return normalize_unicode(text)
    return unicodedata.normalize("NFKC", text)
# Zero-width and directional marks, BOM and soft hyphen: invisible, yet they split tokens.
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_TAGS = re.compile(r"<[^<>]{0,500}>")
_HORIZONTAL_SPACE = re.compile(r"[^\S\n]+")
_SPACE_AROUND_NEWLINE = re.compile(r" *\n *")


def normalize_for_matching(text: str | None) -> str:
    """Fold `text` to the form gazetteers and dedup compare (not for display)."""
    if not text:
        return ""
    text = _INVISIBLE.sub("", text)
    text = _normalize_unicode(text)
    text = dediac_ar(text)
    text = _TATWEEL.sub("", text)
    text = normalize_alef_ar(text)
    text = normalize_alef_maksura_ar(text)
    text = normalize_teh_marbuta_ar(text)
    if _HAS_DIGITS.search(text):  # translate looks every character up: only when needed
        text = text.translate(_DIGITS)
    return _SPACES.sub(" ", text.lower()).strip()


def clean_display_text(text: str | None) -> str:
    """Strip markup remnants and invisible characters; keep letters as written.

    Line breaks survive (collapsed horizontally) so that callers can still see
    paragraph structure; runs of other whitespace become one space.
    """
    if not text:
        return ""
    if "&" in text:
        text = html.unescape(text)
    if "<" in text:
        text = _TAGS.sub(" ", text)
    text = _INVISIBLE.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    text = _HORIZONTAL_SPACE.sub(" ", text)
    text = _SPACE_AROUND_NEWLINE.sub("\n", text)
    return text.strip()


def _fold_char(c: str) -> str:
    folded = normalize_for_matching(c)
    return folded if folded or not c.isspace() else " "


# Per character: its folded form (a translate table, grown as new characters come), and the
# characters that do not fold to exactly one (diacritics vanish), which need offsets per char.
_FOLD_TABLE: dict[int, str] = {}
_KNOWN: set[str] = set()  # the characters of _FOLD_TABLE, for one subset test per text
_IRREGULAR: set[str] = set()


def _learn(chars: set[str]) -> None:
    for c in chars:
        f = _fold_char(c)
        _FOLD_TABLE[ord(c)] = f
        _KNOWN.add(c)
        if len(f) != 1:
            _IRREGULAR.add(c)


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """`text` folded character by character, with the index in `text` of every folded char.

    Same folding as `normalize_for_matching` except that whitespace is not collapsed;
    extractors search the folded form and cut the evidence from the original with it.
    """
    folded, offsets = fold_keeping_length(text)
    return folded, list(range(len(text) + 1)) if offsets is None else offsets


def fold_keeping_length(text: str) -> tuple[str, list[int] | None]:
    """`fold_with_offsets`, with None for the offsets when every character folds to exactly
    one (most sentences): then an index in the folded text is the same index in `text`, and
    no list of them need be built."""
    chars = set(text)
    if not chars <= _KNOWN:
        _learn(chars - _KNOWN)
    folded = text.translate(_FOLD_TABLE)
    irregular = chars & _IRREGULAR
    if not irregular:
        return folded, None
    # runs of one-to-one characters keep their offsets; only the irregular ones are spelled out
    offsets: list[int] = []
    start = 0
    for i, c in enumerate(text):
        if c in irregular:
            offsets.extend(range(start, i))
            offsets.extend([i] * len(_FOLD_TABLE[ord(c)]))
            start = i + 1
    offsets.extend(range(start, len(text) + 1))
    return folded, offsets
