"""Constructions of conflict and pressure reporting that the event reader covers: verbs
made from their stems, one country facing a non-state side, datelines that are no party."""
from akhbar.models import ArticleInput
from akhbar.transform.article import transform_article
from akhbar.transform.event_parties import other_side_named
from akhbar.transform.event_triggers import verb_forms
from akhbar.transform.normalize import normalize_for_matching
from akhbar.transform.sentences import make_sentence


def _dyads(body, published="2018-06-03", title=None):
    result = transform_article(ArticleInput(id="t", title=title, body=body, html=None,
                                            published=published, url=None, outlet=None))
    return {(e.event[0], tuple(sorted({p.code for p in e.actor + e.recipient}))) for e in result.events}


def test_verb_forms_cover_person_and_number():
    forms = verb_forms("هاجم", "هاجم")
    assert {"هاجم", "هاجمت", "هاجموا", "يهاجم", "تهاجمان", "يهاجمون"} <= forms
    assert normalize_for_matching("أدانت") in verb_forms("أدان", "دين")


def test_non_state_side_is_found_near_the_trigger():
    s = make_sentence("شنت الطائرات غارات على مواقع لميليشيا مسلحة قرب الحدود", 0)
    assert other_side_named(s.tokens, 2)
    s = make_sentence("شنت الطائرات غارات على مواقع قرب الحدود", 0)
    assert not other_side_named(s.tokens, 2)


def test_strike_on_an_armed_group_is_an_event_of_one_country():
    body = "قصفت طائرات حربية تركية يوم الأحد مواقع لمسلحي حزب العمال الكردستاني في الجبال."
    assert ("ASSAULT", ("TUR",)) in _dyads(body)


def test_organisation_criticising_a_country_is_an_accusation():
    body = "انتقدت منظمة العفو الدولية يوم الأحد السلطات الإيرانية بسبب اعتقال الصحفيين."
    assert ("ACCUSE", ("IRN",)) in _dyads(body)


def test_threat_and_tariffs_between_two_countries():
    body = ("هددت الصين يوم الأحد بالرد على أي رسوم جديدة تفرضها الولايات المتحدة.\n\n"
            "وفرضت واشنطن رسوما جمركية على واردات صينية من الألمنيوم.")
    dyads = _dyads(body)
    assert ("THREATEN", ("CHN", "USA")) in dyads
    assert ("SANCTION", ("CHN", "USA")) in dyads


def test_dateline_country_is_no_party():
    body = ("عمان، الأردن (CNN)-- تلقى الرئيس المصري اتصالا هاتفيا من الرئيس الفرنسي يوم الأحد "
            "بحثا خلاله العلاقات الثنائية.")
    dyads = _dyads(body)
    assert any(cat == "CONSULT" and codes == ("EGY", "FRA") for cat, codes in dyads)
    assert not any("JOR" in codes for _, codes in dyads)


def test_a_country_alone_with_no_other_side_makes_no_event():
    body = "افتتح وزير النقل السعودي يوم الأحد طريقا جديدا يربط مدينتين في شمال المملكة."
    assert _dyads(body) == set()


def test_a_call_needs_someone_it_is_made_to():
    assert not any(cat == "REQUEST" for cat, _ in _dyads("ودعا وزير الأوقاف المصري المواطنين إلى التبرع بالدم."))
    assert ("REQUEST", ("IRQ", "KWT")) in _dyads("دعت الكويت يوم الأحد العراق إلى ترسيم الحدود البحرية.")
    assert ("REQUEST", ("LBY",)) in _dyads("طالبت الأمم المتحدة يوم الأحد السلطات الليبية بالإفراج عن المحتجزين.")


def test_two_sides_of_a_digest_story_are_its_own_countries():
    body = ("القاهرة (CNN)-- بحث الرئيس المصري يوم الأحد مع ملك الأردن الأوضاع في المنطقة.\n\n"
            "وقالت الرئاسة المصرية إن مصر والأردن تربطهما علاقات وثيقة.\n\n"
            "باريس، فرنسا (CNN)-- تلقى الرئيس الفرنسي اتصالا من المستشارة الألمانية يوم الأحد.\n\n"
            "واتفق الجانبان على تنسيق المواقف.")
    dyads = _dyads(body)
    assert ("AGREE", ("DEU", "FRA")) in dyads
    assert ("AGREE", ("EGY", "JOR")) not in dyads


def test_a_condemnation_names_whom_or_what_it_condemns():
    # condemning a terrorist attack: one country, the attackers unnamed
    assert ("ACCUSE", ("KWT",)) in _dyads("أدانت الكويت يوم الأحد التفجير الإرهابي الذي استهدف سوقا شعبيا.")
    # a minister criticising a local decision names no other party: no event
    body = "وانتقد وزير الصحة المصري يوم الأحد تأخر المقاولين في تسليم المستشفيات الجديدة."
    assert not any(cat == "ACCUSE" for cat, _ in _dyads(body))


def test_a_call_on_the_international_community_is_a_call():
    body = "ودعت وزارة الخارجية البحرينية يوم الأحد المجتمع الدولي إلى التحرك لوقف العنف."
    assert ("REQUEST", ("BHR",)) in _dyads(body)


def test_the_nisba_of_a_named_place_is_where_not_whom():
    body = "قصفت طائرات أمريكية يوم الأحد مواقع لمسلحي تنظيم القاعدة بإقليم هلمند الأفغاني."
    dyads = _dyads(body)
    assert ("ASSAULT", ("USA",)) in dyads
    assert not any("AFG" in codes for _, codes in dyads)
