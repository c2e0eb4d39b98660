"""Where a name stops: nunation, derived imperfect verbs, and adverbs of time in an office."""
import pytest

from akhbar.transform.persons import merge_persons, persons_in_sentence
from akhbar.transform.sentences import split_sentences


def names(text):
    return {p.name for p in merge_persons([p for s in split_sentences(text) for p in persons_in_sentence(s)])}


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
