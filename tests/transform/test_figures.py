"""Money and agreement counts: currencies, number words in all forms, Arabic-Indic digits."""
import pytest

from akhbar.transform.agreements import extract_agreements
from akhbar.transform.amounts import extract_amounts
from akhbar.transform.dates import DateMention
from akhbar.transform.normalize import normalize_for_matching as fold
from datetime import date


@pytest.mark.parametrize("text, value, currency", [
    ("بقيمة مليوني دولار", 2e6, "USD"),
    ("بقيمة مليونا دولار", 2e6, "USD"),
    ("15 مليونا دولار", 15e6, "USD"),
    ("ملياري يورو", 2e9, "EUR"),
    ("مليار ونصف المليار دولار", 1.5e9, "USD"),
    ("نصف مليون ريال", 5e5, "SAR"),
    ("خمسة عشر مليون درهم", 15e6, "AED"),
    ("خمسة وعشرين مليون جنيه مصري", 25e6, "EGP"),
    ("ثلاثة مليارات دولار", 3e9, "USD"),
    ("عشرة آلاف دينار كويتي", 1e4, "KWD"),
    ("٢٫٥ مليار درهم", 2.5e9, "AED"),
    ("١٬٥٠٠٬٠٠٠ دولار", 1.5e6, "USD"),
    ("12,5 مليون يورو", 12.5e6, "EUR"),
    ("مئة مليون يوان", 1e8, "CNY"),
    ("200 مليار ين", 2e11, "JPY"),
    ("7 ملايين جنيه إسترليني", 7e6, "GBP"),
    ("20 مليار ليرة تركية", 2e10, "TRY"),
    ("وبمليار و300 مليون دولار", 1.3e9, "USD"),
])
def test_amount(text, value, currency):
    got = [(a.value, a.currency) for a in extract_amounts(text)]
    assert got == [(value, currency)]


@pytest.mark.parametrize("text", ["صفقات بمليارات الدولارات", "إنتاج 400 ألف برميل", "ارتفع الدولار 3 في المئة"])
def test_no_amount(text):
    assert extract_amounts(text) == []


@pytest.mark.parametrize("text, count", [
    ("وقع الجانبان ثلاث عشرة اتفاقية", 13),
    ("وقعا اثنتي عشرة مذكرة تفاهم", 12),
    ("وقع الجانبان خمس وعشرين اتفاقية ومذكرة تفاهم", 25),
    ("وقع البلدان اتفاقيتين", 2),
    ("وتبادل الوزيران مذكرتي تفاهم", 2),
    ("وقع الوزيران ١٥ مذكرة تفاهم", 15),
    ("وقع الجانبان اتفاقية للتعاون الجمركي واتفاقية أخرى للنقل", 2),
    ("لم يوقع الجانبان أي اتفاقية", None),
    ("سيوقع الجانبان مذكرة تفاهم", None),
])
def test_agreement_count(text, count):
    assert extract_agreements([(fold(text), None)]).count == count


def test_old_signing_is_background():
    sent = fold("ودخلت حيز التنفيذ مذكرة تفاهم جرى التوقيع عليها في 3 يوليو")
    old = DateMention("day", date(2015, 7, 3))
    assert extract_agreements([(sent, old)], date(2015, 7, 23)).count is None
    assert extract_agreements([(sent, old)], date(2015, 7, 5)).count == 1


def test_two_figures_in_digits_sharing_a_scale_are_two_sums():
    from akhbar.transform.amounts import extract_amounts

    found = [(a.value, a.currency) for a in extract_amounts("تتراوح الكلفة بين 40 و45 مليون يورو")]
    assert found == [(40_000_000, "EUR"), (45_000_000, "EUR")]
    # number words still add: a unit before the tens takes their scale
    assert [(a.value, a.currency) for a in extract_amounts("ثلاثة وأربعين مليون يورو")] == [(43_000_000, "EUR")]
