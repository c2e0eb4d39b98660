"""Days that a sentence names, resolved against the article's publication.

"اليوم", "أمس", "أول أمس", a weekday ("يوم الخميس": the latest Thursday on or before
publication), or an explicit Gregorian date. Time the text places in the future ("الأحد
المقبل", "سيزور") is reported as of publication; a month or week without a day is
`partial`: the event is real but undated.
"""
from __future__ import annotations

import email.utils
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from akhbar.transform.lexicon import read_tsv, read_word_set, regex_alternation
from akhbar.transform.normalize import normalize_for_matching


@dataclass(frozen=True)
class DateMention:
    kind: str            # day, future, partial
    day: date | None     # set for `day` (and `future`, as the publication day)


def _load_calendar():
    months, weekdays = {}, {}
    for kind, number, forms in read_tsv("calendar.tsv"):
        target = months if kind == "month" else weekdays
        for form in forms.split("|"):
            target[normalize_for_matching(form)] = int(number)
    return months, weekdays


_MONTHS, _WEEKDAYS = _load_calendar()
_MONTH = regex_alternation(_MONTHS)
_WEEKDAY = regex_alternation(_WEEKDAYS)
_CLITIC = r"(?:^|(?<=\s)|(?<=\s[وفبل]))"
_END = r"(?![\w])"

# "28 يوليو 2025", "3 يوليو (تموز)", "في 26 أيار/مايو الماضي", "28-29 يوليو 2025"
_DAY_MONTH = re.compile(
    rf"{_CLITIC}(\d{{1,2}})(?:\s*-\s*\d{{1,2}})?\s+({_MONTH}){_END}"
    rf"(?:\s*[(/]\s*(?:{_MONTH})\s*\)?)?(?:\s*(?:عام|سنه)?\s*(\d{{4}}))?")
# "4 / 8 / 2015م" (day / month / year); Hijri dates have years below 1800 and are skipped.
_NUMERIC = re.compile(r"(?<!\d)(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})(?!\d)")
_MONTH_ONLY = re.compile(rf"{_CLITIC}({_MONTH}){_END}")
_WEEKDAY_RE = re.compile(rf"{_CLITIC}({_WEEKDAY}){_END}(\s+(?:المقبل|القادم|الماضي|المنصرم))?")
_DAY_BEFORE_YESTERDAY = re.compile(rf"{_CLITIC}اول\s+(?:من\s+)?امس{_END}")
_YESTERDAY = re.compile(rf"{_CLITIC}(?:امس|البارحه){_END}")
# "في اليوم" is "per day" (400 ألف برميل في اليوم); "لليوم التالي" is no date either.
_TODAY = re.compile(rf"(?<!في )(?:^|(?<=\s)|(?<=\s[وف]))اليوم{_END}")
_TOMORROW = re.compile(rf"{_CLITIC}(?:غدا|غد){_END}")
_VAGUE = re.compile(rf"{_CLITIC}(?:الاسبوع|الشهر|العام|السنه)\s+(?:الماضي|المنصرم|الجاري|الحالي)|هذا الاسبوع|هذا الشهر")
# A future verb: سـ + imperfect prefix ("سيزور", "ستعقد"), excluding nouns that start alike.
_IMPERFECT = read_word_set("imperfect_future.tsv")
_FUTURE_VERB = re.compile(r"(?:^|\s)[وف]?س[يتن](?!ا?س[يه]|اده|اره|يطر|ده|تين|ته|تار|ناء|اد|اح)\w{2,}")


def parse_published(value: str | None) -> date | None:
    """The publication day as written (its own time zone): ISO 8601 or RFC 822."""
    if not value:
        return None
    value = value.strip()
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError):
        pass
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    return date(int(m[1]), int(m[2]), int(m[3])) if m else None


def latest_weekday(weekday: int, published: date, strictly_before: bool = False) -> date:
    back = (published.weekday() - weekday) % 7
    if back == 0 and strictly_before:
        back = 7
    return published - timedelta(days=back)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def resolve_date(folded: str, published: date | None) -> DateMention | None:
    """The day a folded sentence names, if any (None: it names no time at all)."""
    m = _DAY_MONTH.search(folded)
    if m:
        year = int(m[3]) if m[3] else (published.year if published else None)
        month = _MONTHS[m[2]]
        if year is None:
            return DateMention("partial", None)
        day = _safe_date(year, month, int(m[1]))
        if day and not m[3] and published and day > published:
            day = _safe_date(year - 1, month, int(m[1]))
        return DateMention("day", day) if day else DateMention("partial", None)
    for m in _NUMERIC.finditer(folded):
        if int(m[3]) >= 1800:
            day = _safe_date(int(m[3]), int(m[2]), int(m[1]))
            if day:
                return DateMention("day", day)
    future = bool(_FUTURE_VERB.search(folded)) or bool(_TOMORROW.search(folded))
    if _DAY_BEFORE_YESTERDAY.search(folded):
        return _relative(published, 2)
    if _YESTERDAY.search(folded):
        return _relative(published, 1)
    m = _WEEKDAY_RE.search(folded)
    if m:
        qualifier = (m[2] or "").strip()
        if qualifier in ("المقبل", "القادم") or future:
            return DateMention("future", published)
        if published is None:
            return DateMention("day", None)
        day = latest_weekday(_WEEKDAYS[m[1]], published, bool(qualifier))
        if not qualifier and day != published and _imperfect_before(folded, m.start()):
            return DateMention("future", published)
        return DateMention("day", day)
    if _TODAY.search(folded):
        return _relative(published, 0)
    if future:
        return DateMention("future", published)
    if _MONTH_ONLY.search(folded) or _VAGUE.search(folded):
        return DateMention("partial", None)
    return None


def _imperfect_before(folded: str, pos: int) -> bool:
    """An imperfect travel/meeting verb among the five words before the weekday."""
    for w in folded[:pos].split()[-5:]:
        if w in _IMPERFECT or (w[:1] in "وف" and w[1:] in _IMPERFECT):
            return True
    return False


def _relative(published: date | None, days_back: int) -> DateMention:
    return DateMention("day", published - timedelta(days=days_back) if published else None)
