"""By-lines and credits name the writer or photographer, who is no person of the news."""
import pytest

from akhbar.transform.persons import persons_in_sentence
from akhbar.transform.sentences import make_sentence, split_sentences


def names(text, paragraph=0):
    return {p.name for s in split_sentences(text, paragraph) for p in persons_in_sentence(s)}


@pytest.mark.parametrize("text", [
    "سامي الأحمد – صحيفة اليوم",
    "فهد القحطاني- الرياض: افتتح أمير المنطقة المعرض",
    "تصوير: ماجد الشهري",
    "بقلم خالد المطيري",
])
def test_by_lines_and_credits(text):
    assert names(text) == set()


def test_a_signature_paragraph_is_no_person():
    assert names("هاني الطاهر", paragraph=7) == set()


@pytest.mark.parametrize("text, name", [
    ("سامي الأحمد يفتتح المعرض في جدة", "سامي الأحمد"),
    ("وقال المتحدث خالد المطيري - في بيان - إن", "خالد المطيري"),
])
def test_a_name_that_is_news_stays(text, name):
    assert name in names(text)


def test_a_title_that_is_a_name_stays():
    s = make_sentence("هاني الطاهر")
    assert {p.name for p in persons_in_sentence(s)} == {"هاني الطاهر"}
