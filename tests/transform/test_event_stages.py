"""The event reader's stages, each on its own: triggers, the stand-in subject, the
restriction of parties, modality and the merging of records."""
from datetime import date

from akhbar.models import Entity, Event
from akhbar.transform.countries import find_country_mentions
from akhbar.transform.event_parties import (ArticleContext, ReadSentence, restrict_parties, sentence_parties,
                                            stand_in_subject)
from akhbar.transform.event_triggers import find_triggers
from akhbar.transform.events import EventBook, apply_modality
from akhbar.transform.normalize import normalize_for_matching
from akhbar.transform.roles import Party
from akhbar.transform.sentences import make_sentence


def _ctx(**kw):
    base = dict(published=date(2018, 5, 14), main_parties=["EGY", "JOR"], evidenced={"EGY", "JOR"})
    base.update(kw)
    return ArticleContext(**base)


def _at(s, word):
    return s.tokens.index(normalize_for_matching(word))


def _categories(text):
    return [rule.category for _, rule in find_triggers(make_sentence(text, 0))]


def test_triggers_skip_negated_and_keep_signing_first():
    assert "CONSULT" in _categories("بحث وزير الخارجية المصري مع نظيره الأردني العلاقات الثنائية")
    assert "CONSULT" not in _categories("لم يبحث الوزيران العلاقات الثنائية")
    assert _categories("وقعت مصر والأردن اتفاقية للتعاون في مجال الطاقة")[0] == "SUPPORT"


def test_what_an_accusation_alleges_is_not_another_event():
    cats = _categories("اتهمت مصر قطر بدعم الإرهاب")
    assert "ACCUSE" in cats and "SUPPORT" not in cats


def test_passive_talks_have_the_two_sides_as_subject():
    s = make_sentence("وخلال اللقاء جرى بحث العلاقات الثنائية", 1)
    plist = stand_in_subject(s.tokens, _at(s, "بحث"), [], _ctx())
    assert sorted(p.code for p in plist) == ["EGY", "JOR"]


def test_dual_verb_without_named_subject_stands_for_the_two_sides():
    s = make_sentence("واتفقا على تعزيز التعاون", 1)
    plist = stand_in_subject(s.tokens, _at(s, "واتفقا"), [], _ctx())
    assert sorted(p.code for p in plist) == ["EGY", "JOR"]


def test_named_subject_is_kept_as_it_is():
    s = make_sentence("استقبلت مصر وفدا من الأردن", 0)
    parties = [Party(1, 2, "EGY", False), Party(5, 6, "JOR", False)]
    assert stand_in_subject(s.tokens, 0, parties, _ctx()) == parties


def test_institution_of_the_lede_acts_when_no_country_is_named():
    s = make_sentence("ودعت الوزارة إلى وقف التصعيد", 2)
    plist = stand_in_subject(s.tokens, _at(s, "ودعت"), [], _ctx(lede_actor=["EGY"]))
    assert [p.code for p in plist] == ["EGY"]


def test_call_content_after_the_preposition_is_no_recipient():
    s = make_sentence("دعت مصر الأردن إلى دعم سوريا", 0)
    parties = [Party(1, 2, "EGY", False), Party(2, 3, "JOR", False), Party(5, 6, "SYR", False)]
    (i, rule), *_ = [(i, r) for i, r in find_triggers(s) if r.category == "REQUEST"]
    kept = restrict_parties(parties, s.tokens, i, rule, "REQUEST")
    assert [p.code for p in kept] == ["EGY", "JOR"]


def test_place_after_a_condemnation_is_where_not_whom():
    parties = [Party(0, 1, "EGY", False), Party(4, 5, "SYR", True, place=True)]
    s = make_sentence("أدانت مصر الهجوم في سوريا", 0)
    (i, rule), = [(i, r) for i, r in find_triggers(s) if r.category == "ACCUSE"]
    assert [p.code for p in restrict_parties(parties, s.tokens, i, rule, "ACCUSE")] == ["EGY"]


def test_talks_told_for_later_are_an_agreement_to_meet():
    s = make_sentence("يبحث الوزيران العلاقات الثنائية الأسبوع المقبل", 0)
    (i, rule), = [(i, r) for i, r in find_triggers(s) if r.category == "CONSULT"]
    later = apply_modality(s, i, rule, future=True)
    assert (later.category, later.announced) == ("AGREE", True)
    held = apply_modality(make_sentence("بحث الوزيران العلاقات الثنائية", 0), 0, rule, future=False)
    assert (held.category, held.announced) == ("CONSULT", False)


def _event(category, actor, recipient, mode=()):
    return Event(event=[category], mode=list(mode), actor=[Entity(c) for c in actor],
                 recipient=[Entity(c) for c in recipient])


def test_book_keeps_one_record_per_category_and_parties():
    book = EventBook()
    first = make_sentence("x", 0)
    key = ("CONSULT", frozenset({"EGY", "JOR"}))
    book.add(key, _event("CONSULT", ["EGY"], ["JOR"]), first, False, False, None)
    book.add(key, _event("CONSULT", ["JOR"], ["EGY"]), first, False, False, None)
    (only,) = book.finish()
    assert [e.code for e in only.actor] == ["EGY"]
    # a later telling that says who visited whom replaces a plain one
    book.add(key, _event("CONSULT", ["JOR"], ["EGY"], ["visit"]), first, False, False, "EGY")
    (only,) = book.finish()
    assert only.mode == ["visit"] and [e.code for e in only.actor] == ["JOR"]


def test_headline_visit_only_announced_in_the_body_is_dropped():
    book = EventBook()
    key = ("CONSULT", frozenset({"SAU", "KWT"}))
    book.add(key, _event("CONSULT", ["SAU"], ["KWT"], ["visit"]), make_sentence("x", -1), False, False, "KWT")
    book.add(("AGREE", key[1]), _event("AGREE", ["SAU"], ["KWT"]), make_sentence("y", 0), True, False, None)
    assert [e.event for e in book.finish()] == [["AGREE"]]


def test_parties_found_with_their_codes():
    s = make_sentence("التقى الرئيس المصري بالعاهل الأردني في عمان", 0)
    read = ReadSentence(s, find_country_mentions(s.tokens), None)
    codes = {p.code for p in sentence_parties(read, _ctx())}
    assert {"EGY", "JOR"} <= codes
