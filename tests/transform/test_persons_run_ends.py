"""Where a name stops: nunation, derived imperfect verbs, and adverbs of time in an office."""
import pytest

from tests.transform.persons_helpers import names


@pytest.mark.parametrize("text, not_name", [
    # a noun with nunation after an office is its object, not a name
    ("ويعقد رئيس الوزراء لقاءً موسعا مع رجال الأعمال", "لقاءً موسعا"),
    # a derived imperfect verb ends a transliterated name
    ("وكان مدير الشركة جوناثان يتحدث إلى الصحفيين", "جوناثان يتحدث"),
    ("عندما يمرر ستيفن أتوقع هدفا", "ستيفن أتوقع هدفا"),
])
def test_what_ends_a_name(text, not_name):
    assert not_name not in names(text)


@pytest.mark.parametrize("text, name", [
    ("وقال رئيس الحزب حاليا روبرت موغامبي إن", "روبرت موغامبي"),
    ("والتقى وزير الدفاع سابقا أحمد الساعدي بالوفد", "أحمد الساعدي"),
])
def test_an_adverb_of_time_belongs_to_the_office(text, name):
    assert name in names(text)


@pytest.mark.parametrize("text", [
    "كان يشرح لي كل شيء. أظهر لي كيف أتحسن في التمرير",
    "وعندما أطبق ما يقول أرى كيف غيرني ذلك، فأفرح",
])
def test_an_interrogative_or_a_pronoun_after_a_preposition_is_no_name(text):
    assert names(text) == set()


def test_a_broken_plural_ends_a_name():
    found = names("وتبادل الرئيس وبيتر أطراف الحديث")
    assert not any("أطراف" in n for n in found)


def test_a_transliterated_surname_in_the_shape_of_a_verbal_noun_stays():
    assert "فرناندو توريس" in names("متخطيا الإسباني فرناندو توريس صاحب الرقم السابق")


@pytest.mark.parametrize("text", [
    "وتشمل الخطة المدارس ورياض الأطفال في المنطقة",
    "وحضر الجميع وسعود الاجتماع الأخير",
])
def test_a_definite_verbal_noun_or_broken_plural_is_no_family_name(text):
    assert names(text) == set()


@pytest.mark.parametrize("text, name", [
    ("وقف الثوار تحت قيادة يوسف الخطيب ضد الاحتلال", "يوسف الخطيب"),
    ("وتغير موقف ماجد الزين تجاه الإدارة", "ماجد الزين"),
])
def test_a_preposition_ends_a_name(text, name):
    assert name in names(text)


def test_laysa_behind_and_is_no_name():
    assert names("فالمدير الناجح يبادر ويبتكر وليس العكس.") == set()


def test_walad_first_is_the_verb_born():
    assert names("ولد ساركو عام 1980 في مرسيليا") == set()


def test_the_rank_muqaddam_is_an_office():
    found = names("وقال المقدم سامي الحربي إن الحادث وقع ليلا")
    assert "سامي الحربي" in found
    assert names("وتابعنا حلقة جون ستيوارت المقدم التلفزيوني") <= {"جون ستيوارت", "ستيوارت"}
