from pathlib import Path

from akhbar.transform.dedup import find_repeated_paragraphs, paragraph_fingerprint
from akhbar.transform.normalize import clean_display_text, normalize_for_matching
from akhbar.transform.paragraphs import split_paragraphs

SEED = Path(__file__).parent / "fixtures" / "seed_pakistan_kyrgyzstan.txt"


def test_normalize_folds_spelling_variants():
    assert normalize_for_matching("إِنَّ المدرسةَ الكبرى") == "ان المدرسه الكبري"
    assert normalize_for_matching("أحمد ـــ  آمال") == "احمد امال"
    assert normalize_for_matching("٢٠٢٥ و۱۲ ABC") == "2025 و12 abc"


def test_clean_display_text_keeps_letters_drops_invisibles_and_markup():
    assert clean_display_text("<p>مدرسة\u200c  الكبرى\u200f</p>&amp;") == "مدرسة الكبرى &"
    assert clean_display_text("\ufeffأ\u00adب") == "أب"


def test_split_paragraphs_on_blank_lines_only():
    body = "الأول\nيتابع هنا\n\n  \n\nالثاني\n \nالثالث\n\n"
    assert split_paragraphs(body) == ["الأول يتابع هنا", "الثاني", "الثالث"]
    assert split_paragraphs("") == []


def test_seed_paraphrased_repeat_is_found():
    body = SEED.read_text(encoding="utf-8").split("\n\n", 1)[1]  # first block is the title
    paragraphs = split_paragraphs(body)
    repeats = find_repeated_paragraphs(paragraphs)
    assert repeats[10] == 2
    assert [i for i, r in enumerate(repeats) if r is not None] == [10]


def test_exact_repeat_and_new_fact_is_not_a_repeat():
    a = "وقع الجانبان اتفاقية للتعاون في مجال الطاقة المتجددة وتبادل الخبرات بين البلدين خلال الزيارة"
    b = "وقّع الجانبان اتفاقية للتعاون في مجال الطاقة المتجددة وتبادل الخبرات بين البلدين خلال الزيارة"
    c = "وقع الجانبان اتفاقية للتعاون في مجال الطاقة المتجددة بقيمة 300 مليون دولار خلال الزيارة"
    assert find_repeated_paragraphs([a, b, c, "قد يعجبك أيضا", "قد يعجبك أيضا"]) == [None, 0, None, None, 3]
    assert paragraph_fingerprint(a) == paragraph_fingerprint(b)
