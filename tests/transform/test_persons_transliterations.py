"""Transliterated names that look like Arabic words: a first letter أ/إ/آ before ل is no
article ("آلان", "إلفيتش"), and a speaker's name may end in و ("ماريو") where a construct
plural ("مسؤولو الشركة") may not."""
import pytest

from tests.transform.persons_helpers import names


@pytest.mark.parametrize("text, name", [
    ("وقال آلان ديكسون الباحث في بنك محلي إن الأسعار سترتفع", "آلان ديكسون"),
    ("وسافر معه مدربه زوران إلتشيتش. ثم غادر", "زوران إلتشيتش"),
    ("واستقبل المدير أولغا إلتسوفا. ثم غادر", "أولغا إلتسوفا"),
])
def test_hamza_alef_before_lam_is_no_article(text, name):
    assert name in names(text)


@pytest.mark.parametrize("text", [
    "وقال رئيس اتحاد ألعاب القوى إن البطولة ستقام",
    "وقال الوزير إلغاء القرار ممكن",
])
def test_hamza_words_that_are_nouns_stay_out(text):
    assert names(text) == set()


def test_a_speaker_name_ending_in_waw():
    assert "ماسايوكي كيمورو" in names("وكشف ماسايوكي كيمورو (40 عاما) عن نموذج جديد")


@pytest.mark.parametrize("text", [
    "وقال مسؤولو الشركة إن الأرباح تراجعت",
    "وأكد منظمو المعرض أن الإقبال كبير",
])
def test_a_construct_plural_is_no_speaker(text):
    assert names(text) == set()


def test_a_speaker_by_given_name_alone_then_described():
    assert "سلمى" in names("وقالت سلمى وهي ممرضة في المستشفى إن الوضع صعب")


@pytest.mark.parametrize("text", ["وقال سعيد وهو يبتسم", "وقال محمد إن الأمر انتهى"])
def test_no_lone_speaker_without_the_description_or_for_a_common_word(text):
    assert names(text) == set()
