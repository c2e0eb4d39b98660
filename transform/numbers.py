"""Numbers as Arabic news writes them: digits with separators, number words, scale words."""
from __future__ import annotations

import re

from akhbar.transform.lexicon import read_tsv
from akhbar.transform.normalize import normalize_for_matching


def _load():
    numbers, scales, duals = {}, {}, {}
    target = {"number": numbers, "scale": scales, "dual": duals}
    for kind, value, forms in read_tsv("number_words.tsv"):
        for form in forms.split("|"):
            target[kind][normalize_for_matching(form)] = float(value)
    return numbers, scales, duals


NUMBER_WORDS, SCALE_WORDS, DUAL_SCALE_WORDS = _load()
# Digits with thousands separators or a decimal part; ٫ and ٬ are the Arabic separators.
DIGITS = r"\d+(?:[.,٫٬]\d+)*"
_THOUSANDS_GROUP = re.compile(r"[,٬]\d{3}(?!\d)")


def parse_digits(text: str) -> float | None:
    """'1,500,000' → 1500000; '7.2' and '7,2' → 7.2 (a comma before exactly three digits groups
    thousands, otherwise it is the decimal mark of Maghrebi copy)."""
    s = text.replace("٫", ".")
    if _THOUSANDS_GROUP.search(s) and s.count(".") == 0:
        s = s.replace(",", "").replace("٬", "")
    else:
        s = s.replace("٬", "").replace(",", ".")
    if s.count(".") > 1:
        s = s.replace(".", "")
    try:
        return float(s)
    except ValueError:
        return None


def word_value(word: str) -> float | None:
    """Value of one folded number word (with ال or و stripped by the caller)."""
    return NUMBER_WORDS.get(word)


# "ثلاث عشرة", "خمسة عشر": a unit before عشر/عشرة adds ten.
_TEEN = frozenset({"عشر", "عشره"})


def number_before(tokens: list[str], i: int, strip=lambda t: t) -> float | None:
    """The number written right before token `i`: digits, a word, a teen ("ثلاث عشرة") or
    a unit and its tens ("خمس وعشرين"); `strip` removes a token's proclitics."""
    if i < 1:
        return None
    prev = tokens[i - 1]
    if prev[:1].isdigit():
        return parse_digits(prev)
    word = strip(prev)
    value = NUMBER_WORDS.get(word)
    if value is None:
        return None
    before = NUMBER_WORDS.get(strip(tokens[i - 2])) if i >= 2 else None
    if word in _TEEN and before is not None and 1 <= before < 10:
        return before + 10
    if prev.startswith("و") and 20 <= value < 100 and value % 10 == 0 and before is not None and 1 <= before < 10:
        return before + value
    return value
