"""Named persons: offices, honorifics, particles, and words that are no names."""
import pytest

from akhbar.transform.persons import merge_persons, persons_in_sentence
from akhbar.transform.sentences import split_sentences


def persons(text):
    return merge_persons([p for s in split_sentences(text) for p in persons_in_sentence(s)])


@pytest.mark.parametrize("text, name, office, country", [
    ("قال وزير الخارجية السعودي عادل الجبير إن", "عادل الجبير", "وزير الخارجية السعودي", "SAU"),
    ("وقعها وزير الدولة سلطان بن أحمد الجابر", "سلطان بن أحمد الجابر", "وزير الدولة", None),
    ("وقالت المتحدثة باسم الخارجية الأمريكية هيذر ناورت في بيان", "هيذر ناورت",
     "المتحدثة باسم الخارجية الأمريكية", "USA"),
    ("ومن الجانب الكويتي سفير دولة الكويت لدى الأردن، فهد العتيبي", "فهد العتيبي",
     "سفير دولة الكويت لدى الأردن", "KWT"),
    ("رئيس الهيئة، المفوض علي بن صبيح الكعبي", "علي بن صبيح الكعبي", None, None),
    ("رئيس مجلس الإدارة أحمد علي الصايغ، ومن الجانب الآخر", "أحمد علي الصايغ", None, None),
    ("ولاعب وسط ريال مدريد الألماني توني كروس", "توني كروس", None, "DEU"),
    ("واستقبل ورئيس جمهورية قيرغيزستان صادير جاباروف، والوفد", "صادير جاباروف", "رئيس جمهورية قيرغيزستان", "KGZ"),
])
def test_named_person(text, name, office, country):
    found = {p.name: p for p in persons(text)}
    assert name in found, found
    if office:
        assert found[name].office == office
    if country:
        assert found[name].country == country


@pytest.mark.parametrize("text", [
    "أقيمت مراسم الاستقبال لرئيس جمهورية قيرغيزستان حرس الشرف",
    "وأكد رئيس الوزراء والوزراء الاتحاديين أهمية العلاقات",
    "وقال ملك المغرب يدين التفجير الإرهابي",
    "وتحدث رئيس الوزراء على هامش القمة",
])
def test_no_person(text):
    assert persons(text) == []


@pytest.mark.parametrize("text, name", [
    ("وقع على المذكرة نائب رئيس المفوضية، مع ناتالي جاريسكو وزير المالية في أوكرانيا.", "ناتالي جاريسكو"),
    ("وحضر اللقاء الوزير، وفاليريا كونتاريفا محافظ المصرف المركزي الأوكراني.", "فاليريا كونتاريفا"),
])
def test_name_before_its_office(text, name):
    assert name in {p.name for p in persons(text)}


@pytest.mark.parametrize("text", [
    "وذلك بعدما انسحب الرئيس الأميركي دونالد ترامب من الاتفاق.",
    "وفي السياق، يأتي تعيين وزير العمل والتنمية الاجتماعية الجديد.",
])
def test_no_name_before_an_office_that_is_a_subject(text):
    assert {p.name for p in persons(text)} <= {"دونالد ترامب"}
