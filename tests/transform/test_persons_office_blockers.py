"""After an office, a given name that folds like a function word (علي like على, حسن
"good") opens the name when written as the name, and a family name written with ة ends
the name after a given name."""
import pytest

from tests.transform.persons_helpers import names


@pytest.mark.parametrize("text, name", [
    ("وسجل المهاجم حسن طنوس في الدقيقة العاشرة", "حسن طنوس"),
    ("ونقل التلفزيون كلمة المرشد الأعلى علي خامنئي أمام الحشود", "علي خامنئي"),
    ("وحضر الحفل المدير الإقليمي المهندس علي داود، وعدد من المسؤولين", "علي داود"),
])
def test_function_word_given_name_after_an_office(text, name):
    assert name in names(text)


@pytest.mark.parametrize("text", [
    "وشدد الوزير على ضرورة التعاون بين البلدين",
    "وأكد الرئيس علي أهمية الحوار",
    "وحرص المدرب على تجهيز اللاعبين",
    "وقال المتحدث حسن النية مطلوب",
])
def test_the_preposition_after_an_office_is_no_name(text):
    assert names(text) == set()


@pytest.mark.parametrize("text, name", [
    ("وافتتح المعرض مدير فرع الوزارة المهندس سامي الشبرقة.", "سامي الشبرقة"),
    ("بعد استقالة الأمين العام السابق عبدالإله مزرعة الذي عاد إلى منصبه", "عبدالإله مزرعة"),
])
def test_family_name_in_teh_marbuta_after_a_given_name(text, name):
    assert name in names(text)


def test_a_pronoun_suffix_is_no_family_name():
    assert not any("ونيابة" in n for n in names("وقدم أمير المنطقة التعازي باسمه ونيابة عن الأهالي"))


@pytest.mark.parametrize("text, name", [
    ("وانتقد مستشار ترامب التجاري بيتر نافارو الخطة الأوروبية", "بيتر نافارو"),
    ("والتقى مبعوث بوتين الخاص ألكسندر لافرنتييف بالوفد", "ألكسندر لافرنتييف"),
])
def test_a_leader_in_construct_with_the_office(text, name):
    assert name in names(text)
    assert not any(n.startswith(("ترامب", "بوتين")) for n in names(text))


def test_a_leader_after_a_definite_office_is_the_name():
    assert "ترامب" in " ".join(names("وقال الرئيس ترامب الثاني إن"))


@pytest.mark.parametrize("text", [
    "وانضم إليه مهاجم نادي بوكا جونيورز الأرجنتيني قبل أسبوع",
    "وأعلن مدير شركة جنرال إلكتريك، أن الأرباح تراجعت",
])
def test_two_words_after_a_body_noun_name_the_body(text):
    assert names(text) == set()


def test_a_holder_after_the_body_name_stays():
    assert "جيريمي كوربين" in names("وقال رئيس حزب العمال جيريمي كوربين إن")


@pytest.mark.parametrize("text", [
    'وهبطت الطائرة في مطار "كمال أتاتورك" صباحا',
    "وتوج الفريق بلقب كأس «خليفة بن زايد» للمرة الثانية",
])
def test_a_quoted_name_after_a_named_thing_is_the_thing(text):
    assert names(text) == set()


def test_a_person_after_a_quoted_body_stays():
    assert "ماجد الحربي" in names("وقال المدير العام لمؤسسة «النور» الأستاذ ماجد الحربي إن")
