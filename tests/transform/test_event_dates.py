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


def test_day_written_as_an_ordinal_word():
    assert _when("اجتمع الوفدان في الثاني عشر من تموز") == ("day", date(2015, 7, 12))
    assert _when("وقعت الحادثة يوم الحادي والعشرين من يوليو 2015") == ("day", date(2015, 7, 21))
    assert _when("ليلة التاسع إلى العاشر من يونيو 2015 قصفت الطائرات") == ("day", date(2015, 6, 10))


def test_ordinal_of_a_week_is_no_day():
    assert _when("خلال الأسبوع الثاني من يوليو") == ("partial", None)


def test_day_without_year_is_the_nearest_occurrence():
    # ten days after publication: the coming one, not last year's
    assert _when("ومن المنتظر أن تعقد القمة في 16 أغسطس") == ("day", date(2015, 8, 16))
    # long before publication, even in the same month name of the next year
    assert _when("وانطلقت الاحتجاجات في 30 مارس") == ("day", date(2015, 3, 30))
    assert _when("وقد وقع الانفجار في 28 ديسمبر", date(2016, 1, 4)) == ("day", date(2015, 12, 28))


def test_a_night_across_two_days_is_the_second():
    assert _when("قصفت الطائرات مواقع في المدينة ليل الثلاثاء الأربعاء") == ("day", date(2015, 8, 5))
    assert _when("بعد منتصف ليلة الأحد - الاثنين") == ("day", date(2015, 8, 3))


def test_transliterated_names_are_no_future_verbs():
    # "سيرغي" (Sergei) and "ستريت" (Street) begin like "سـ + verb"; the day stays Wednesday's
    assert _when("التقى وزير الخارجية الروسي، سيرغي لافروف، الأربعاء نظيره التركي") == ("day", date(2015, 8, 5))
    assert _when("وفق ما ذكرته صحيفة وول ستريت جورنال، الثلاثاء") == ("day", date(2015, 8, 4))
    # while the verbs they look like still tell the future
    assert _when("سيرغب الوفد في لقاء الوزير الأربعاء")[0] == "future"
    assert _when("سيتيح الاتفاق للبلدين تبادل الخبرات")[0] == "future"


def test_a_day_still_to_come_does_not_date_the_next_sentences():
    body = ("فرضت الولايات المتحدة رسوما جمركية على واردات صينية، وسيبدأ تطبيقها في 23 أغسطس. "
            "واتهمت الصين الولايات المتحدة بشن حرب تجارية عليها.")
    r = transform_article(ArticleInput(id="t2", title=None, body=body, published="2018-08-08T09:00:00+00:00"))
    accuse = next(e for e in r.events if e.event == ["ACCUSE"])
    assert accuse.date == "2018-08-08"
