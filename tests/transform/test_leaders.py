"""The leaders table: an office resolves to its holder on the day, a name to its country."""
from datetime import date

import pytest

from akhbar.models import ArticleInput
from akhbar.transform.article import transform_article
from akhbar.transform.leaders import alias_codes, country_of_person, offices_in, resolve_office
from akhbar.transform.normalize import normalize_for_matching
from akhbar.transform.tokens import words


def toks(text):
    return words(normalize_for_matching(text))


@pytest.mark.parametrize("phrase, day, name", [
    ("خادم الحرمين الشريفين", date(2014, 6, 1), "عبدالله بن عبدالعزيز آل سعود"),
    ("وخادم الحرمين الشريفين", date(2016, 6, 1), "سلمان بن عبدالعزيز آل سعود"),
    ("ولي العهد السعودي", date(2016, 6, 1), "محمد بن نايف بن عبدالعزيز آل سعود"),
    ("ولي العهد السعودي", date(2018, 9, 29), "محمد بن سلمان بن عبدالعزيز آل سعود"),
    ("للرئيس الأمريكي", date(2019, 3, 1), "دونالد ترامب"),
    ("الرئيس الأميركي", date(2022, 3, 1), "جو بايدن"),
    ("أمير الكويت", date(2021, 3, 1), "نواف الأحمد الجابر الصباح"),
])
def test_office_resolves_to_holder_on_day(phrase, day, name):
    holder = resolve_office(toks(phrase), 0, day)
    assert holder is not None and holder.name == name


def test_office_before_any_term_or_without_day_is_unresolved():
    assert resolve_office(toks("الرئيس الأوكراني"), 0, date(2010, 1, 1)) is None
    assert resolve_office(toks("الرئيس الأوكراني"), 0, None) is None


def test_offices_in_sentence():
    found = offices_in(toks("بعث خادم الحرمين الشريفين برقية إلى العاهل الأردني"), date(2020, 1, 1))
    assert [(h.country, h.name) for _, _, h in found] == [
        ("SAU", "سلمان بن عبدالعزيز آل سعود"), ("JOR", "عبدالله الثاني بن الحسين")]


def test_short_names_count_only_in_office():
    assert alias_codes(date(2019, 1, 1))["ترامب"] == "USA"
    assert "ترامب" not in alias_codes(date(2022, 1, 1))
    assert alias_codes(date(2022, 1, 1))["بايدن"] == "USA"


@pytest.mark.parametrize("name, day, code", [
    ("محمد بن سلمان", date(2018, 1, 1), "SAU"),
    ("عادل الجبير", date(2016, 1, 1), "SAU"),
    ("عادل الجبير", date(2023, 1, 1), "SAU"),   # out of office, still Saudi
    ("محمد شهباز شريف", None, "PAK"),
    ("محمد علي", date(2018, 1, 1), None),
])
def test_country_of_person(name, day, code):
    assert country_of_person(name, day) == code


def test_headline_leaders_are_parties_and_host_verb_makes_guest_actor():
    r = transform_article(ArticleInput(id="l", title="أردوغان يستقبل ماكرون في أنقرة",
                                       body="بحث الرئيسان العلاقات الثنائية.", published="2019-05-02"))
    visit = next(e for e in r.events if e.mode == ["visit"])
    assert [x.code for x in visit.actor] == ["FRA"] and [x.code for x in visit.recipient] == ["TUR"]


@pytest.mark.parametrize("body, codes", [
    ("وحضرت الممثلة ميغان ميركل حفل الزفاف في لندن.", ["GBR"]),   # another Merkel
    ("التقى ماكرون بالمستشارة ميركل في باريس.", ["DEU", "FRA"]),
    ("وقال الرئيس دونالد ترامب إن الاقتصاد قوي.", ["USA"]),
])
def test_short_names_add_their_country_unless_someone_else_is_named(body, codes):
    r = transform_article(ArticleInput(id="n", body=body, published="2018-05-19"))
    assert r.countries == codes
