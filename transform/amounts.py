"""Sums of money: a number (digits or words) with scale words, followed by a currency."""
from __future__ import annotations

import math
import re

from akhbar.models import Amount
from akhbar.transform.lexicon import read_tsv, regex_alternation
from akhbar.transform.normalize import fold_with_offsets, normalize_for_matching
from akhbar.transform.numbers import (
    DIGITS, DUAL_SCALE_WORDS, NUMBER_WORDS, SCALE_WORDS, parse_digits,
)


def _load_currencies() -> dict[str, str]:
    out = {}
    for code, forms in read_tsv("currencies.tsv"):
        for form in forms.split("|"):
            out[normalize_for_matching(form)] = code
    return out


_CURRENCIES = _load_currencies()
_WORD = rf"(?:{regex_alternation(NUMBER_WORDS)})(?![\w])"
# a teen ("خمسة عشر") is one number
_NUM = rf"(?:{DIGITS}|{_WORD}(?:\s+عشر[ه]?(?![\w]))?)"
_SCALE = rf"(?:{regex_alternation(list(SCALE_WORDS) + list(DUAL_SCALE_WORDS))})(?![\w])"
_TERM = rf"(?:{_NUM}\s*(?:(?:ال)?{_SCALE})?|{_SCALE})"
_CURRENCY = rf"(?:ال)?(?P<cur>{regex_alternation(_CURRENCIES)})(?![\w])"
_AMOUNT = re.compile(
    rf"(?<![\w.,])(?:[وف]?[بل]?(?=\S))?(?P<num>{_TERM}(?:\s+و\s*{_TERM})*)\s+(?:من\s+)?{_CURRENCY}")
_TERM_PARTS = re.compile(rf"(?P<n>{_NUM})?\s*(?:ال)?(?P<s>{_SCALE})?")


def _number_value(number: str) -> float | None:
    if number[0].isdigit():
        return parse_digits(number)
    words = number.split()
    if len(words) == 2:  # a teen
        unit = NUMBER_WORDS.get(words[0])
        return unit + 10 if unit is not None and 1 <= unit < 10 else None
    return NUMBER_WORDS.get(number)


def _term_value(number: str | None, scale: str | None) -> float | None:
    if number:
        value = _number_value(number)
        if value is None:
            return None
        if scale:
            value *= SCALE_WORDS.get(scale) or DUAL_SCALE_WORDS.get(scale)
        return value
    if scale in DUAL_SCALE_WORDS:
        return 2 * DUAL_SCALE_WORDS[scale]
    # A bare plural ("بمليارات الدولارات") names no sum; a bare singular is one of it.
    if scale in SCALE_WORDS and scale in ("الف", "مليون", "مليار", "بليون", "تريليون"):
        return SCALE_WORDS[scale]
    return None


def _amount_value(spoken: str) -> float | None:
    """Terms joined by و: "مليار و300 مليون" adds; a bare unit before tens takes their scale
    ("خمسة وعشرين مليون" = 25 million); "ونصف" is half the scale before it."""
    total, pending, last_scale = 0.0, 0.0, None
    for part in re.split(r"\s+و\s*", spoken):
        m = _TERM_PARTS.fullmatch(part.strip())
        if not m or not (m["n"] or m["s"]):
            return None
        if m["n"] and not m["s"]:
            value = _number_value(m["n"])
            if value is None:
                return None
            if value == 0.5 and last_scale:
                total += 0.5 * last_scale
            else:
                pending += value
            continue
        scale = m["s"]
        if m["n"]:
            value = _term_value(m["n"], scale)
            if value is None:
                return None
            unit = SCALE_WORDS.get(scale) or DUAL_SCALE_WORDS.get(scale)
            total += value + pending * unit
        else:
            value = _term_value(None, scale)
            if value is None:
                return None
            total += value
        pending, last_scale = 0.0, SCALE_WORDS.get(scale) or DUAL_SCALE_WORDS.get(scale)
    return (total + pending) or None


# "30 و32 مليار دولار": two figures in digits sharing one scale are two sums (a range or a
# list), unlike number words, where a unit before the tens adds ("خمسة وعشرين مليون").
_DIGIT_PAIR = re.compile(rf"(?P<a>{DIGITS})\s+و\s*(?P<b>{DIGITS})\s*(?:ال)?(?P<s>{_SCALE})")


def _amount_values(spoken: str) -> list[float]:
    pair = _DIGIT_PAIR.fullmatch(spoken.strip())
    if pair:
        values = [_term_value(pair["a"], pair["s"]), _term_value(pair["b"], pair["s"])]
        return [v for v in values if v]
    value = _amount_value(spoken)
    return [value] if value else []


_CURRENCY_CUE = re.compile(regex_alternation(_CURRENCIES))


# Larger than any sum a news article reports (world GDP is ~1e14 dollars).
MAX_AMOUNT = 1e18


def is_currency_word(tok: str) -> bool:
    """A folded token that names a currency ("دولار", "بالدولار" after its clitic is stripped)."""
    return tok in _CURRENCIES


def may_hold_amount(folded: str) -> bool:
    """Whether folded text names a currency at all (most paragraphs do not)."""
    return _CURRENCY_CUE.search(folded) is not None


def extract_amounts(text: str) -> list[Amount]:
    """Money amounts in `text`, in order, each (value, currency) once."""
    folded, offsets = fold_with_offsets(text)
    out, seen = [], set()
    for m in _AMOUNT.finditer(folded):
        code = _CURRENCIES[m["cur"]]
        for value in _amount_values(m["num"]):
            if not math.isfinite(value) or value > MAX_AMOUNT:
                continue  # 310 digits made round(inf) fail the article: no sum is that large
            key = (round(value), code)
            if key in seen:
                continue
            seen.add(key)
            out.append(Amount(value=value, currency=code, text=text[offsets[m.start("num")]:offsets[m.end()]].strip()))
    return out
