"""Days that a sentence names, resolved against the article's publication.

"اليوم", "أمس", "أول أمس", "منذ يومين", a weekday ("يوم الخميس": the latest Thursday on or before
publication), an explicit Gregorian date (Egyptian, Levantine and Maghrebi month names,
day ranges) or a Hijri one (Umm al-Qura, converted with hijridate). Time the text places in the future is
`future`, with the day it names ("الأحد المقبل": the next Sunday; "غدا") or none ("سيزور" alone: a coming
visit is dated only when its day is given); a month or week without a day is `partial`: the event is real
but undated.
"""
from __future__ import annotations

import email.utils
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from functools import lru_cache

from hijridate import Gregorian, Hijri

from akhbar.transform.gazetteer import proclitic_variants

from akhbar.transform.lexicon import TOKEN_CACHE, read_tsv, read_word_set, regex_alternation
from akhbar.transform.normalize import normalize_for_matching


@dataclass(frozen=True)
class DateMention:
    kind: str            # day, future, partial
    day: date | None     # set for `day`; for `future`, the coming day when the text names one


def _load_calendar():
    tables = {"month": {}, "hijri_month": {}, "weekday": {}, "ordinal": {}}
    for kind, number, forms in read_tsv("calendar.tsv"):
        for form in forms.split("|"):
            tables[kind][normalize_for_matching(form)] = int(number)
    return tables["month"], tables["hijri_month"], tables["weekday"], tables["ordinal"]


_MONTHS, _HIJRI_MONTHS, _WEEKDAYS, _ORDINALS = _load_calendar()
WEEKDAY_NAMES = frozenset(_WEEKDAYS)  # folded, every form calendar.tsv gives
_MONTH = regex_alternation(_MONTHS)
_HIJRI_MONTH = regex_alternation(_HIJRI_MONTHS)
_WEEKDAY = regex_alternation(_WEEKDAYS)
# Years of the Umm al-Qura table hijridate converts.
_HIJRI_YEARS = range(1343, 1501)
_CLITIC = r"(?:^|(?<=\s)|(?<=\s[وفبل]))"
_END = r"(?![\w])"

# "28 يوليو 2025", "3 يوليو (تموز)", "في 26 أيار/مايو الماضي", "28-29 يوليو 2025"
_DAY_MONTH = re.compile(
    rf"{_CLITIC}(\d{{1,2}})(?:\s*-\s*\d{{1,2}})?\s+({_MONTH}){_END}"
    rf"(?:\s*[(/]\s*(?:{_MONTH})\s*\)?)?(?:\s*(?:عام|سنه)?\s*(\d{{4}}))?")
# "4 / 8 / 2015م" (day / month / year); Hijri dates have years below 1800 and are skipped.
_NUMERIC = re.compile(r"(?<!\d)(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})(?!\d)")
# "19 شوال 1436 هـ", "5 من شهر رمضان" (a day number first: رجب and رمضان are also names)
_HIJRI_DAY_MONTH = re.compile(
    rf"{_CLITIC}(\d{{1,2}})(?:\s*-\s*\d{{1,2}})?\s+(?:من\s+)?(?:شهر\s+)?({_HIJRI_MONTH}){_END}"
    rf"(?:\s*(?:عام|سنه|لعام)?\s*(\d{{4}}))?")
_MONTH_ONLY = re.compile(rf"{_CLITIC}({_MONTH}){_END}")
_WEEKDAY_RE = re.compile(rf"{_CLITIC}({_WEEKDAY}){_END}(\s+(?:المقبل|القادم|الماضي|المنصرم))?")
# "ليل الأربعاء الخميس", "ليلة الاثنين - الثلاثاء": a night strike falls on the second day.
_NIGHT_RE = re.compile(rf"{_CLITIC}ليل[هة]?\s+(?:{_WEEKDAY})\s*(?:[-–]|الى|على)?\s*({_WEEKDAY}){_END}()")
# "في الثامن من أغسطس", "السادس من شهر رمضان": a day number written as an ordinal word.
_ORDINAL_DAY = re.compile(
    rf"{_CLITIC}({regex_alternation(_ORDINALS)})\s+(?:من\s+)?(?=(?:شهر\s+)?(?:{_MONTH}|{_HIJRI_MONTH}){_END})")
_DAY_BEFORE_YESTERDAY = re.compile(rf"{_CLITIC}اول\s+(?:من\s+)?امس{_END}")
# "منذ يومين", "قبل ثلاثة أيام": whole days before publication.
_DAYS_AGO = re.compile(rf"{_CLITIC}(?:منذ|قبل)\s+(يومين|ثلاثه\s+ايام|اربعه\s+ايام|خمسه\s+ايام|سته\s+ايام|[2-6]\s+ايام){_END}")
_AGO_WORDS = {"يومين": 2, "ثلاثه": 3, "اربعه": 4, "خمسه": 5, "سته": 6}
_YESTERDAY = re.compile(rf"{_CLITIC}(?:امس|البارحه){_END}")
# "في اليوم" is "per day" (400 ألف برميل في اليوم); "لليوم التالي" is no date either.
_TODAY = re.compile(rf"(?<!في )(?:^|(?<=\s)|(?<=\s[وف]))اليوم{_END}")
_TOMORROW = re.compile(rf"{_CLITIC}(?:غدا|غد){_END}")
_VAGUE = re.compile(rf"{_CLITIC}(?:الاسبوع|الشهر|العام|السنه)\s+(?:الماضي|المنصرم|الجاري|الحالي)|هذا الاسبوع|هذا الشهر")
# A future verb: سـ + imperfect prefix ("سيزور", "ستعقد"), excluding nouns that start alike.
_IMPERFECT = read_word_set("imperfect_future.tsv")
_FUTURE_VERB = re.compile(r"(?:^|\s)[وف]?س[يتن](?!ا?س[يه]|اده|اره|يطر|ده|تين|ته|تار|ناء|اد|اح)\w{2,}")
# "سير" would also block "سيرسل": a look-alike is a whole token unless it is four letters or more.
_LOOKALIKE_ROWS = [(normalize_for_matching(row[0]), row[1:] == ("word",)) for row in read_tsv("future_lookalikes.tsv")]
_LOOKALIKE_WORDS = frozenset(w for w, whole in _LOOKALIKE_ROWS if whole or len(w) < 4)
_LOOKALIKE_PREFIXES = tuple(sorted((w for w, whole in _LOOKALIKE_ROWS if not whole and len(w) >= 4), key=len, reverse=True))


def _is_future_verb(token: str) -> bool:
    token = token[1:] if token[:1] in "وف" and len(token) > 4 else token
    return token not in _LOOKALIKE_WORDS and not token.startswith(_LOOKALIKE_PREFIXES)


def _has_future_verb(folded: str) -> bool:
    return any(_is_future_verb(m.group().strip()) for m in _FUTURE_VERB.finditer(folded))


def parse_published(value: str | None) -> date | None:
    """The publication day as written (its own time zone): ISO 8601 or RFC 822; None for
    a day no news article has (year 1 made date arithmetic overflow and failed the run)."""
    day = _parse_published(value)
    return day if day is not None and _EARLIEST <= day.year <= _LATEST else None


def _parse_published(value: str | None) -> date | None:
    if not value:
        return None
    value = value.strip()
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError, OverflowError):
        pass
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    return _safe_date(int(m[1]), int(m[2]), int(m[3])) if m else None


# Years a publication or event date can have; see parse_published.
_EARLIEST, _LATEST = 1800, 2200


def latest_weekday(weekday: int, published: date, strictly_before: bool = False) -> date:
    back = (published.weekday() - weekday) % 7
    if back == 0 and strictly_before:
        back = 7
    return published - timedelta(days=back)


def next_weekday(weekday: int, published: date, strictly_after: bool = False) -> date:
    ahead = (weekday - published.weekday()) % 7
    if ahead == 0 and strictly_after:
        ahead = 7
    return published + timedelta(days=ahead)


def _safe_date(year: int, month: int, day: int) -> date | None:
    if not _EARLIEST <= year <= _LATEST:
        return None  # "year 1" or "year 9999" in text: no day to place an event on
    try:
        return date(year, month, day)
    except ValueError:
        return None


def resolve_date(folded: str, published: date | None, tokens: list[str] | None = None) -> DateMention | None:
    """The day a folded sentence names, if any (None: it names no time at all); `tokens`,
    the sentence's tokens when the caller has them, make the first look cheaper."""
    cue = ("/" in folded or any(map(_is_cue_token, tokens))) if tokens is not None else _CUE.search(folded)
    if not cue:
        # most sentences name no time: only a future verb can still place them
        return DateMention("future", None) if _has_future_verb(folded) else None
    folded = _ORDINAL_DAY.sub(_ordinal_to_number, folded)
    m = _DAY_MONTH.search(folded)
    if m:
        month, day_of_month = _MONTHS[m[2]], int(m[1])
        if m[3]:
            day = _safe_date(int(m[3]), month, day_of_month)
        elif published:
            day = _nearest_year(published, published.year, lambda y: _safe_date(y, month, day_of_month))
        else:
            day = None
        return DateMention("day", day) if day else DateMention("partial", None)
    hijri = None
    for m in _NUMERIC.finditer(folded):
        if int(m[3]) >= 1800:
            day = _safe_date(int(m[3]), int(m[2]), int(m[1]))
            if day:
                return DateMention("day", day)
        elif hijri is None:
            hijri = _from_hijri(int(m[3]), int(m[2]), int(m[1]))
    if hijri is None:
        m = _HIJRI_DAY_MONTH.search(folded)
        if m:
            month, day_of_month = _HIJRI_MONTHS[m[2]], int(m[1])
            if m[3]:
                hijri = _from_hijri(int(m[3]), month, day_of_month)
            elif published:
                year = Gregorian(published.year, published.month, published.day).to_hijri().year
                hijri = _nearest_year(published, year, lambda y: _from_hijri(y, month, day_of_month))
    if hijri:
        return DateMention("day", hijri)
    tomorrow = bool(_TOMORROW.search(folded))
    m = _DAYS_AGO.search(folded)
    if m:
        first = m[1].split()[0]
        return _relative(published, int(first) if first.isdigit() else _AGO_WORDS[first])
    if _DAY_BEFORE_YESTERDAY.search(folded):
        return _relative(published, 2)
    if _YESTERDAY.search(folded):
        return _relative(published, 1)
    m = _NIGHT_RE.search(folded) or _WEEKDAY_RE.search(folded)
    if m:
        qualifier = (m[2] or "").strip()
        weekday = _WEEKDAYS[m[1]]
        coming = qualifier in ("المقبل", "القادم")
        # "وصل الأحد ليؤكد أن الاتفاق سيعزز ...": a future verb after the day tells another clause
        if coming or tomorrow or _has_future_verb(folded[:m.start()]):
            return _coming(published, weekday, coming)
        if published is None:
            return DateMention("day", None)
        day = latest_weekday(weekday, published, bool(qualifier))
        if not qualifier and day != published and _imperfect_before(folded, m.start()):
            return _coming(published, weekday, True)
        return DateMention("day", day)
    if _TODAY.search(folded):
        return _relative(published, 0)
    if tomorrow or _has_future_verb(folded):
        return DateMention("future", published + timedelta(days=1) if tomorrow and published else None)
    if _MONTH_ONLY.search(folded) or _VAGUE.search(folded):
        return DateMention("partial", None)
    return None


def _ordinal_to_number(m: re.Match) -> str:
    head = m.string[:m.start()].split()
    if head and head[-1].startswith("ال") and head[-1] not in ("الى", "الي"):
        return m.group()  # "الأسبوع الأول من مايو": the ordinal counts weeks, not days
    return f"{_ORDINALS[m[1]]} "


def _nearest_year(published: date, year: int, build) -> date | None:
    """A day written without its year: the occurrence nearest to publication, a coming one
    ("يلتقيان في 16 يوليو", published on the 13th) only when it is less than twice as near
    as the past one (news mostly tells what happened)."""
    best, cost = None, None
    for y in (year - 1, year, year + 1):
        day = build(y)
        if day is None:
            continue
        away = (day - published).days
        c = 2 * away if away > 0 else -away
        if cost is None or c < cost:
            best, cost = day, c
    return best


def _from_hijri(year: int, month: int, day: int) -> date | None:
    """The Gregorian day of an Umm al-Qura date, None when out of the table or invalid."""
    if year not in _HIJRI_YEARS:
        return None
    try:
        return date(*Hijri(year, month, day).to_gregorian().datetuple())
    except (ValueError, OverflowError):
        return None


# Every word any pattern above needs, as plain substrings: a sentence without one names no day.
# (A digit alone is no cue: a day needs a month name, a Hijri month, "/" or "ايام" with it.)
_CUE = re.compile("|".join(["/", "امس", "البارحه", "اليوم", "غد", "يومين", "ايام", "الاسبوع", "الشهر", "العام",
                            "السنه", "هذا", _MONTH, _HIJRI_MONTH, _WEEKDAY]))


_CUE_WORDS = frozenset(w for form in [*_MONTHS, *_HIJRI_MONTHS, *_WEEKDAYS] for w in form.split()) | frozenset(
    ["امس", "البارحه", "اليوم", "غد", "غدا", "يومين", "ايام", "الاسبوع", "الشهر", "العام", "السنه", "هذا"])


@lru_cache(maxsize=TOKEN_CACHE)
def _is_cue_token(tok: str) -> bool:
    return any(v in _CUE_WORDS for v in proclitic_variants(tok))


def _imperfect_before(folded: str, pos: int) -> bool:
    """An imperfect travel/meeting verb among the five words before the weekday."""
    for w in folded[:pos].split()[-5:]:
        if w in _IMPERFECT or (w[:1] in "وف" and w[1:] in _IMPERFECT):
            return True
    return False


def _coming(published: date | None, weekday: int, strictly_after: bool) -> DateMention:
    """A weekday the text places ahead: the next such day (today too, unless "المقبل" says the next week's)."""
    return DateMention("future", next_weekday(weekday, published, strictly_after) if published else None)


def _relative(published: date | None, days_back: int) -> DateMention:
    return DateMention("day", published - timedelta(days=days_back) if published else None)
