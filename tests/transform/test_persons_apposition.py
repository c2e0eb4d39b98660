"""A name set off by commas after an office and its body, a speaker's name before "وهو",
and words behind ب/ل with no vowel letter, which no transliteration writes."""
import pytest

from tests.transform.persons_helpers import names


@pytest.mark.parametrize("text, name", [
    ("وقال الرئيس التنفيذي لشركة سامسونج، كوون أوه هيون، إن الأرباح تراجعت", "كوون أوه هيون"),
    ("ويرى ماركو بيلوتي وهو خبير في الشؤون الأوروبية أن الأزمة ستطول", "ماركو بيلوتي"),
])
def test_name_in_apposition(text, name):
    assert name in names(text)


@pytest.mark.parametrize("text, not_name", [
    ("تراجع أداء المدير التنفيذي لشركة نيسان بسبب الأزمة", "نيسان بسبب"),
    ("وأعلن ماريو لدعم المبادرة", "ماريو لدعم"),
])
def test_a_clitic_word_without_vowels_ends_a_name(text, not_name):
    assert not_name not in names(text)
