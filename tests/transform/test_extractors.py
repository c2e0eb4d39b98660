from datetime import date

from akhbar.transform.agreements import extract_agreements
from akhbar.transform.amounts import extract_amounts
from akhbar.transform.countries import extract_countries, mentions_in_text
from akhbar.transform.dates import parse_published, resolve_date
from akhbar.transform.normalize import normalize_for_matching as fold


def countries(text, sports=False):
    return extract_countries(mentions_in_text(text), sports=sports)


def test_countries_names_nisbas_capitals_with_proclitics():
    assert countries("وللصين علاقات وبالقاهرة مع المسؤولين الباكستانيين") == ["CHN", "EGY", "PAK"]
    assert countries("قصف على قطاع غزة والقدس") == ["PSE"]
    assert countries("اتصال من خادم الحرمين الشريفين") == ["SAU"]


def test_countries_false_hits():
    assert countries("مصرف الاستثمار في آسيا الوسطى والاتحاد الأوروبي") == []
    assert countries("بلغ 6 مليارات دولار أمريكي") == []
    assert countries("المباراة على استاد الإمارات") == []
    assert countries("القمر الصناعي") == []
    assert countries("واس - عمان : الأردن") == ["JOR"]


def test_countries_capitals_ignored_in_sports_news():
    assert countries("قادما من روما", sports=True) == []
    assert countries("قادما من روما") == ["ITA"]


def test_parse_published_iso_and_rfc822():
    assert parse_published("Sat, 29 Sep 2018 03:07:08 GMT") == date(2018, 9, 29)
    assert parse_published("2025-12-05T08:00:00+05:00") == date(2025, 12, 5)
    assert parse_published("2015-07-23 19:29:27") == date(2015, 7, 23)
    assert parse_published("not a date") is None


def test_resolve_relative_dates():
    fri = date(2025, 12, 5)
    assert resolve_date(fold("اجتمعا يوم الخميس في العاصمة"), fri).day == date(2025, 12, 4)
    assert resolve_date(fold("وصل الوفد الجمعة"), fri).day == fri
    assert resolve_date(fold("وقعت الحكومتان أمس عقدا"), fri).day == date(2025, 12, 4)
    assert resolve_date(fold("وقال أول أمس"), fri).day == date(2025, 12, 3)
    assert resolve_date(fold("صدر اليوم بيان"), fri).day == fri
    assert resolve_date(fold("في 28 تموز 2024"), fri).day == date(2024, 7, 28)
    assert resolve_date(fold("في 3 أيار الماضي"), fri).day == date(2025, 5, 3)
    assert resolve_date(fold("الموافق 4 / 8 / 2015م"), fri).day == date(2015, 8, 4)
    assert resolve_date(fold("سيزور الرياض الأحد"), fri).kind == "future"
    assert resolve_date(fold("في حزيران 2017"), fri).kind == "partial"
    assert resolve_date(fold("ينتج مئة برميل في اليوم"), fri) is None


def test_amounts_with_number_words_and_currencies():
    got = [(a.value, a.currency) for a in extract_amounts(
        "قرض بقيمة ٦٠٠ مليون يورو، ومنحة بمليار و300 مليون دولار، وتبرع بخمسة ملايين ريال سعودي "
        "و1,500,000 درهم و2.5 مليار جنيه مصري، وإنتاج 400 ألف برميل وصفقات بمليارات الدولارات")]
    assert got == [(600e6, "EUR"), (1.3e9, "USD"), (5e6, "SAR"), (1.5e6, "AED"), (2.5e9, "EGP")]


def test_agreements_stated_total_dual_and_another():
    s = fold("وشهد الزعيمان تبادل 12 مذكرة تفاهم واتفاقية في مجالات الصحة والنقل والسياحة")
    assert extract_agreements([(s, None)]).count == 12
    assert extract_agreements([(s, None)]).sectors == ["health", "tourism", "transport"]
    assert extract_agreements([(fold("وقع البلدان اتفاقيتين للتعاون الزراعي"), None)]).count == 2
    two = fold("أمضت الوزارة اتفاقية مع شركة للبث، بالإضافة إلى اتفاقية أخرى")
    assert extract_agreements([(two, None)]).count == 2
    assert extract_agreements([(fold("سيوقع الجانبان مذكرة تفاهم الأسبوع المقبل"), None)]).count is None
