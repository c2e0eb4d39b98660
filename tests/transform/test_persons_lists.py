"""Names coordinated in a list, and foreign given names that fold to a word in ال."""
import pytest

from tests.transform.persons_helpers import names


@pytest.mark.parametrize("text, expected", [
    # a given name and a family name no list attests, behind و after a name found
    ("وشارك في التدريب فهد الغامدي وعمر قنديلي وخالد زقزوق", {"فهد الغامدي", "عمر قنديلي", "خالد زقزوق"}),
    # a given name that is also an ordinary word, in the list
    ("وضم الوفد ناصر العتيبي وسالم المري", {"ناصر العتيبي", "سالم المري"}),
    # the list reaches back over the comma to the items before it
    ("وكرمت الجمعية الباحثات رهف الدخيل، ونجلاء السبيعي، وعزيزة القاسم.",
     {"رهف الدخيل", "نجلاء السبيعي", "عزيزة القاسم"}),
])
def test_names_in_a_list(text, expected):
    assert expected <= names(text)


@pytest.mark.parametrize("text, expected", [
    ("وحضر الحفل ماجد الحربي وإلتون جون", {"ماجد الحربي", "إلتون جون"}),
    ("وقال ألفريدو مونتيرو مدير البرنامج إن العمل مستمر", {"ألفريدو مونتيرو"}),
    ("ويعود الفضل في ذلك إلى أبحاث ألبرت أينشتاين في الفيزياء", {"ألبرت أينشتاين"}),
])
def test_foreign_given_names_that_fold_to_the_article(text, expected):
    assert expected <= names(text)


@pytest.mark.parametrize("text, not_expected", [
    # a verb behind و after a name is no item of a list
    ("التقى الوزير محمد العمري وتناول الاجتماع سبل التعاون", "تناول الاجتماع"),
    ("وأشاد المدرب يوسف الحربي وإحدى كاتبات التقرير بالنتائج", "إحدى كاتبات"),
    # an item of two words stops before the object of its verb
    ("سجل المهاجمان جوزيف أوكونكو وأوبينا نوانكو هدفين لكل منهما", "أوبينا نوانكو هدفين"),
    # a hospital named after a person is not the speaker
    ("وأعلن مستشفى ألبرت أينشتاين أن حالته مستقرة", "مستشفى ألبرت أينشتاين"),
])
def test_what_a_list_does_not_take(text, not_expected):
    assert not_expected not in names(text)


def test_single_words_between_names_of_a_list():
    text = "ودفع المدرب بكل من سعود الحارثي والمالكي وبيريرا وفهد السديري في الشوط الثاني"
    assert {"سعود الحارثي", "المالكي", "بيريرا", "فهد السديري"} <= names(text)


def test_single_words_need_a_name_on_both_sides():
    # after the last name of a list, a word behind و is not vouched for
    assert "التدريبات" not in names("وشارك سعود الحارثي والتدريبات مستمرة")
    assert "المالكي" not in names("وحضر سعود الحارثي والمالكي")
