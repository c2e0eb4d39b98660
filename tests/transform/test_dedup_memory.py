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
