"""Given names that read like a nisba or a definite word: "تركي" after بن or before آل,
and foreign given names that fold to ال after an office."""
import pytest

from tests.transform.persons_helpers import persons


def found(text):
    return {p.name: p for p in persons(text)}


@pytest.mark.parametrize("text, name", [
    ("وتبرع رئيس النادي الأمير خالد بن تركي، بمبلغ كبير", "خالد بن تركي"),
    ("وأعلن مدير الإدارة العامة للرياضة تركي آل سعود عن البرنامج", "تركي آل سعود"),
    ("وسجل المهاجم ألكسندر بيتروف هدف التعادل", "ألكسندر بيتروف"),
])
def test_name_not_read_as_nisba_or_office(text, name):
    assert name in found(text)


def test_a_nisba_after_bin_names_no_country_of_the_person():
    p = found("وتبرع رئيس النادي الأمير خالد بن تركي، بمبلغ كبير")["خالد بن تركي"]
    assert p.country != "TUR"
