"""Stories across articles through the engine's in-memory store (what dedup-report and the
pair evaluation use; the warehouse's store gives the same answers: tests/load)."""
from akhbar.models import ArticleInput
from akhbar.transform.dedup import dedup_articles
from akhbar.transform.dedup_memory import MemoryStore

BODY = [
    "بحث وزير الخارجية التونسي مع نظيره السنغالي في تونس العاصمة سبل تطوير العلاقات الثنائية"
    " وتعزيز التعاون في مجالات الاقتصاد والتعليم والصحة.",
    "وأكد الجانبان خلال اللقاء أهمية تفعيل اللجنة المشتركة للتعاون وعقد دورتها المقبلة في داكار"
    " قبل نهاية العام الجاري.",
    "كما تناول الوزيران القضايا الإقليمية والدولية ذات الاهتمام المشترك، ولا سيما الأوضاع في منطقة"
    " الساحل والصحراء وجهود مكافحة الإرهاب.",
    "واتفق الطرفان على تبادل الزيارات بين رجال الأعمال في البلدين وتنظيم منتدى اقتصادي مشترك"
    " يجمع المستثمرين من تونس والسنغال.",
]


def _stories(*articles):
    decided = dedup_articles(MemoryStore(), [ArticleInput(id=i, body="\n\n".join(b), published=p, outlet=o)
                                             for i, (b, p, o) in enumerate(articles)])
    return [d.story for d in decided]


def test_a_second_outlets_copy_recut_into_one_paragraph_joins_the_story():
    recut = [" ".join(BODY)]
    assert _stories((BODY, "2025-06-10T08:00:00", "الوكالة"), (recut, "2025-06-10T11:00:00", "الصحيفة")) == [0, 0]


def test_a_same_day_rewrite_with_its_own_lede_joins_the_story():
    rewrite = ["استقبل وزير الخارجية التونسي اليوم نظيره السنغالي الذي يزور البلاد في إطار جولة إقليمية،"
               " وأجرى معه جلسة محادثات تناولت العلاقات بين البلدين."] + BODY[1:]
    assert _stories((BODY, "2025-06-10T08:00:00", "الوكالة"), (rewrite, "2025-06-10T15:00:00", "الصحيفة")) == [0, 0]


def test_the_same_topic_in_other_words_stays_apart():
    other = ["التقى رئيس الحكومة التونسية سفير السنغال لدى تونس وبحث معه الاستعدادات لمنتدى الاستثمار"
             " الذي تحتضنه العاصمة الشهر المقبل بمشاركة واسعة.",
             "وشدد رئيس الحكومة على حرص بلاده على توسيع المبادلات التجارية مع دول غرب إفريقيا."]
    assert _stories((BODY, "2025-06-10T08:00:00", "الوكالة"), (other, "2025-06-10T15:00:00", "الصحيفة")) == [0, 1]


def test_the_same_text_with_another_figure_in_another_place_is_another_report():
    first = ["قتل 12 شخصا وأصيب آخرون في انفجار سيارة مفخخة استهدف سوقا شعبية في مدينة الموصل صباح اليوم،"
             " بحسب ما أفادت به مصادر أمنية ومحلية.",
             "وأوضحت المصادر أن فرق الإنقاذ نقلت المصابين إلى المستشفيات القريبة، فيما فرضت القوات الأمنية"
             " طوقا حول موقع الانفجار وبدأت التحقيق."]
    second = [first[0].replace("12", "7").replace("الموصل", "كركوك"), first[1]]
    assert _stories((first, "2025-06-10T08:00:00", "الوكالة"), (second, "2025-06-11T08:00:00", "الوكالة")) == [0, 1]


def test_a_copy_outside_the_look_back_window_is_not_looked_for(monkeypatch):
    # republication happens within days: LOOKBACK_DAYS (14) apart it is found, beyond not
    assert _stories((BODY, "2025-06-10T08:00:00", "الوكالة"), (BODY, "2025-06-24T08:00:00", "الصحيفة")) == [0, 0]
    assert _stories((BODY, "2025-06-10T08:00:00", "الوكالة"), (BODY, "2025-06-25T08:00:00", "الصحيفة")) == [0, 1]
    # either way: an older article taken in after its copy
    assert _stories((BODY, "2025-06-25T08:00:00", "الصحيفة"), (BODY, "2025-06-10T08:00:00", "الوكالة")) == [0, 1]
    monkeypatch.setenv("AKHBAR_DEDUP_WINDOW_DAYS", "30")
    assert _stories((BODY, "2025-06-10T08:00:00", "الوكالة"), (BODY, "2025-06-25T08:00:00", "الصحيفة")) == [0, 0]


def test_outside_the_window_no_paragraph_points_at_the_old_copy():
    store = MemoryStore()
    decided = dedup_articles(store, [ArticleInput(id=i, body="\n\n".join(BODY), published=p, outlet="الوكالة")
                                     for i, p in enumerate(["2025-06-10T08:00:00", "2025-08-10T08:00:00"])])
    assert decided[1].match.earlier == {} and decided[1].story == 1


def test_undated_articles_are_filed_the_day_the_store_takes_them_in():
    from datetime import date

    dated_long_ago = ArticleInput(id=0, body="\n\n".join(BODY), published="2019-01-01T08:00:00", outlet="الوكالة")
    undated = [ArticleInput(id=i, body="\n\n".join(BODY), published=None, outlet="الصحيفة") for i in (1, 2)]
    decided = dedup_articles(MemoryStore(today=date(2025, 6, 10)), [dated_long_ago] + undated)
    assert [d.story for d in decided] == [0, 1, 1]
