"""The day of an event: coming days the text names, and days a future clause does not move."""
from datetime import date

from akhbar.models import ArticleInput
from akhbar.transform.article import transform_article
from akhbar.transform.dates import resolve_date
from akhbar.transform.normalize import normalize_for_matching as fold

THU = date(2015, 8, 6)  # a Thursday


def _when(text, published=THU):
    m = resolve_date(fold(text), published)
    return (m.kind, m.day) if m else None


def test_next_weekday_is_the_coming_one():
    assert _when("تجتمع اللجنة المشتركة الأحد المقبل في القاهرة") == ("future", date(2015, 8, 9))
    assert _when("ستصل البعثة الاثنين إلى العاصمة") == ("future", date(2015, 8, 10))


def test_tomorrow_is_the_day_after_publication():
    assert _when("ستنطلق المحادثات غدا في جنيف") == ("future", date(2015, 8, 7))


def test_future_without_a_day_names_none():
    assert _when("سيبحث الطرفان ملف الحدود") == ("future", None)


def test_future_verb_after_the_weekday_tells_another_clause():
    # the arrival is Tuesday's; "ستنجح" is what he came to say
    assert _when("عاد الوزير إلى بلاده الثلاثاء ليؤكد أن المبادرة ستنجح") == ("day", date(2015, 8, 4))


def test_announced_meeting_takes_the_day_given_for_it():
    body = "يزور وزير الخارجية المصري الأردن الأحد المقبل لبحث العلاقات الثنائية مع نظيره الأردني."
    r = transform_article(ArticleInput(id="t1", title=None, body=body, published="2024-03-07T09:00:00+02:00"))
    assert r.events and {e.date for e in r.events} == {"2024-03-10"}
