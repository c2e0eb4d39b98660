"""Sums of money: a number (digits or words) with scale words, followed by a currency."""
from __future__ import annotations

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
_NUM = rf"(?:{DIGITS}|(?:{regex_alternation(NUMBER_WORDS)})(?![\w]))"
_SCALE = rf"(?:{regex_alternation(list(SCALE_WORDS) + list(DUAL_SCALE_WORDS))})(?![\w])"
_TERM = rf"(?:{_NUM}\s*(?:{_SCALE})?|{_SCALE})"
_CURRENCY = rf"(?:ال)?(?P<cur>{regex_alternation(_CURRENCIES)})(?![\w])"
_AMOUNT = re.compile(
    rf"(?<![\w.,])(?:[وبل](?=\S))?(?P<num>{_TERM}(?:\s+و\s*{_TERM})*)\s+(?:من\s+)?{_CURRENCY}")
_TERM_PARTS = re.compile(rf"(?P<n>{_NUM})?\s*(?P<s>{_SCALE})?")


def _term_value(number: str | None, scale: str | None) -> float | None:
    if number:
        value = parse_digits(number) if number[0].isdigit() else NUMBER_WORDS.get(number)
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
    total = 0.0
    for part in re.split(r"\s+و\s*", spoken):
        m = _TERM_PARTS.fullmatch(part.strip())
        if not m or not (m["n"] or m["s"]):
            return None
        value = _term_value(m["n"], m["s"])
        if value is None:
            return None
        total += value
    return total or None


def extract_amounts(text: str) -> list[Amount]:
    """Money amounts in `text`, in order, each (value, currency) once."""
    folded, offsets = fold_with_offsets(text)
    out, seen = [], set()
    for m in _AMOUNT.finditer(folded):
        value = _amount_value(m["num"])
        if value is None:
            continue
        code = _CURRENCIES[m["cur"]]
        key = (round(value), code)
        if key in seen:
            continue
        seen.add(key)
        out.append(Amount(value=value, currency=code, text=text[offsets[m.start("num")]:offsets[m.end()]].strip()))
    return out
