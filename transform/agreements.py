"""How many agreements an article reports as signed or exchanged, and their sectors.

A stated total ("وقعت 20 اتفاقية", "تبادل 15 مذكرة تفاهم واتفاقية") wins; without one, the
indefinite agreement nouns of the busiest signing sentence are counted (a dual is two, "اتفاقية
أخرى" one more). Definite forms ("المذكرتين") point back and are not counted again. Signings
placed in the future or in an undated past (background) are left out.
"""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from akhbar.models import Agreements
from akhbar.transform.dates import DateMention
from akhbar.transform.gazetteer import proclitic_variants
from akhbar.transform.lexicon import TOKEN_CACHE, read_tsv, read_yaml
from akhbar.transform.normalize import normalize_for_matching
from akhbar.transform.numbers import number_before
from akhbar.transform.roles import is_negated
from akhbar.transform.tokens import strip_proclitics, words

_W = {k: frozenset(normalize_for_matching(w) for w in v) for k, v in read_yaml("agreement_words.yaml").items()}
_NOUNS = _W["singular"] | _W["plural"] | _W["dual"]
_SECTOR_STEMS = [
    (sector, tuple(normalize_for_matching(s).split()))
    for sector, stems in read_tsv("sectors.tsv") for s in stems.split("|")
]
_DIGITS = re.compile(r"^\d+$")
_BACKGROUND_DAYS = 7


@lru_cache(maxsize=TOKEN_CACHE)
def _noun(token: str) -> str | None:
    for v in proclitic_variants(token):
        if v in _NOUNS and not (v != token and token.endswith(v) and token[: -len(v)].endswith("ال")):
            return v
    return None


@lru_cache(maxsize=TOKEN_CACHE)
def _is_signing_word(t: str) -> bool:
    return t in _W["signing"] or strip_proclitics(t) in _W["signing"]


def is_signing_sentence(toks: list[str]) -> bool:
    # the signing word first: most sentences have none, and then nouns need no look
    return any(map(_is_signing_word, toks)) and any(map(_noun, toks))


def signing_position(toks: list[str]) -> int:
    """Index of the first signing word (0 when there is none)."""
    for i, t in enumerate(toks):
        if _is_signing_word(t):
            return i
    return 0


def stated_total(toks: list[str]) -> int | None:
    """The number written right before an agreement noun ("20 اتفاقية"), if any."""
    best = None
    for i in range(1, len(toks)):
        if _noun(toks[i]) is None:
            continue
        value = number_before(toks, i, strip_proclitics)
        if value and value == int(value) and 1 < value < 1000:
            best = max(best or 0, int(value))
    return best


def implied_count(toks: list[str]) -> int:
    count = 0
    for i, t in enumerate(toks):
        noun = _noun(t)
        if noun is None or noun in _W["plural"]:
            continue
        if noun in _W["dual"]:
            count += 2
        elif count == 0 or (i + 1 < len(toks) and toks[i + 1] in _W["another"]):
            count += 1
    return count


def sectors_of(toks: list[str]) -> set[str]:
    stems = [strip_proclitics(t) for t in toks]
    found = set()
    for sector, phrase in _SECTOR_STEMS:
        n = len(phrase)
        for i in range(len(stems) - n + 1):
            if stems[i].startswith(phrase[0]) and all(stems[i + k] == phrase[k] for k in range(1, n)):
                found.add(sector)
                break
    return found


def extract_agreements(sentences: list[tuple[str, DateMention | None]], published: date | None = None) -> Agreements:
    """`sentences`: folded sentences or their tokens (title first) with the date each one names; a signing
    dated more than a week before `published` is background, not the news."""
    totals, implied, sectors = [], [], set()
    for folded, when in sentences:
        if when is not None and when.kind == "partial":
            continue
        if when is not None and when.day and published and (published - when.day).days > _BACKGROUND_DAYS:
            continue
        toks = words(folded) if isinstance(folded, str) else folded  # tokens when the caller has them
        if not is_signing_sentence(toks) or any(t in _W["future_signing"] for t in toks):
            continue
        if is_negated(toks, signing_position(toks)):  # "لم يوقع"
            continue
        sectors |= sectors_of(toks)
        total = stated_total(toks)
        if total:
            totals.append(total)
        else:
            implied.append(implied_count(toks))
    count = max(totals) if totals else (max(implied) if implied and max(implied) else None)
    return Agreements(count=count, sectors=sorted(sectors))
