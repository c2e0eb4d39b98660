"""Kin nouns and heads with a pronoun suffix introduce a name; a one-word name after a
definite nisba stands before a conjunction, a short past verb or a noun behind ل."""
import pytest

from tests.transform.persons_helpers import names


@pytest.mark.parametrize("text, name", [
    ("وقال والد الطالب ماجد العنزي إن ابنه كان متفوقا", "ماجد العنزي"),
    ("وحضر الحفل نجله فهد، وعدد من المدعوين", "فهد"),
    ("وأشاد مدربه الإيطالي ماسيمو بروني بأدائه", "ماسيمو بروني"),
    ("وكان قد فقد عمه جيرار في حادث سير", "جيرار"),
])
def test_kin_and_suffixed_heads(text, name):
    assert name in names(text)


@pytest.mark.parametrize("text, name", [
    ("غاب اللاعب الكرواتي المصاب ماريتش وعاد زملاؤه إلى التدريب", "ماريتش"),
    ("إلا أن مدربه البرتغالي كارفالو رفض كل العروض", "كارفالو"),
    ("كما انتقل نجمهم الأرجنتيني السابق ماتيراتسو وسط دهشة الجماهير", "ماتيراتسو"),
])
def test_one_word_name_after_a_definite_nisba(text, name):
    assert name in names(text)


@pytest.mark.parametrize("text", [
    # a governorate or a foundation is no office with a pronoun
    "وتواصل محافظة الخرج تقديم فعالياتها",
    "وأعلنت مؤسسة نور سلام عن برنامجها",
    "وقالت إن شقيقتها زارت إحدى المدن",
])
def test_no_person_from_look_alike_heads(text):
    assert names(text) == set()


@pytest.mark.parametrize("text, name", [
    ("وسيتنحى المدير العام، كما سيغادر نائبه كينجي ماتسودا، الشركة", "كينجي ماتسودا"),
    ("ورأى الخبيران شتيفن كوزيلوك وفرانك ماير أن السوق ستتعافى", "شتيفن كوزيلوك"),
])
def test_a_deputy_with_a_pronoun_and_a_dual_of_experts(text, name):
    assert name in names(text)
