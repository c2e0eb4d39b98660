"""Days a sentence names: relative, Gregorian (Egyptian, Levantine, Maghrebi), Hijri, ranges."""
from datetime import date

import pytest

from akhbar.transform.dates import parse_published, resolve_date
from akhbar.transform.normalize import normalize_for_matching as fold

THU = date(2015, 8, 6)  # a Thursday


@pytest.mark.parametrize("text, day", [
    ("وصل الوفد اليوم", THU),
    ("وكان قد التقى أمس", date(2015, 8, 5)),
    ("مساء أول أمس", date(2015, 8, 4)),
    ("وجرى الاتصال منذ يومين", date(2015, 8, 4)),
    ("وقال قبل ثلاثة أيام", date(2015, 8, 3)),
    ("اجتمعا يوم الثلاثاء", date(2015, 8, 4)),
    ("اجتمعا الخميس الماضي", date(2015, 7, 30)),
    ("وصل الوفد الخميس", THU),
    ("في 28-29 يوليو 2015", date(2015, 7, 28)),
    ("في 3 تموز", date(2015, 7, 3)),
    ("في 3 آب 2014", date(2014, 8, 3)),
    ("يوم 12 جانفي 2015", date(2015, 1, 12)),
    ("في 5 كانون الأول 2014", date(2014, 12, 5)),
    ("في ٢٨ يونيو ٢٠١٥", date(2015, 6, 28)),
    ("يوم الثلاثاء 19 / 10 / 1436هـ", date(2015, 8, 4)),
    ("في 19 شوال 1436 هـ", date(2015, 8, 4)),
    ("في 5 من شهر رمضان", date(2015, 6, 22)),
    ("الموافق 4 / 8 / 2015م", date(2015, 8, 4)),
])
def test_named_day(text, day):
    m = resolve_date(fold(text), THU)
    assert m is not None and (m.kind, m.day) == ("day", day)


@pytest.mark.parametrize("text, kind", [
    ("سيزور الرياض الأحد", "future"),
    ("يلتقي الوزيران الأحد المقبل", "future"),
    ("الأسبوع الماضي", "partial"),
    ("في شهر شوال", None),          # a month without a day: no date named
    ("استقبل رجب طيب أردوغان الوفد", None),
    ("ينتج مئة برميل في اليوم", None),
])
def test_no_definite_day(text, kind):
    m = resolve_date(fold(text), THU)
    assert (m.kind if m else None) == kind


def test_published_formats():
    assert parse_published("Thu, 06 Aug 2015 22:30:00 +0300") == THU
    assert parse_published("2015-08-06T01:50:10Z") == THU
