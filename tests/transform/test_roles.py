"""Who takes part in an event: topics, chains of coordinated countries, clause limits."""
from akhbar.models import ArticleInput
from akhbar.transform.article import transform_article
from akhbar.transform.dates import resolve_date
from akhbar.transform.normalize import normalize_for_matching
from datetime import date


def _dyads(title, body, published="2024-05-10"):
    r = transform_article(ArticleInput(id="t", title=title, body=body, published=published))
    return {(e.event[0], tuple(sorted(x.code for x in e.actor + e.recipient))) for e in r.events}


def test_topic_country_is_no_party():
    d = _dyads(None, "بحث وزير الخارجية المصري مع نظيره الأردني تطورات الأوضاع في سوريا.\n\n"
                     "وتناول اللقاء بين مصر والأردن العلاقات الثنائية.")
    assert ("CONSULT", ("EGY", "JOR")) in d
    assert not any("SYR" in codes for _, codes in d)


def test_country_after_topic_preposition_is_no_party():
    d = _dyads(None, "تبادل الوزير التونسي ونظيره المغربي وجهات النظر حول الأزمة في ليبيا.")
    assert d == {("CONSULT", ("MAR", "TUN"))}


def test_chain_actor_and_first_recipient_only():
    d = _dyads(None, "قطعت السعودية والإمارات العلاقات مع قطر في يونيو بسبب دعمها لإيران.")
    assert ("SANCTION", ("ARE", "QAT", "SAU")) in d
    assert not any("IRN" in codes for cat, codes in d if cat == "SANCTION")


def test_later_clause_keeps_its_own_parties():
    d = _dyads(None, "وقعت حكومتا السودان وإثيوبيا أمس عقدا للربط الكهربائي، وفي غضون ذلك يصل السودان "
                     "الأحد المقبل وفد من وزارة النقل المصرية.")
    assert ("SUPPORT", ("ETH", "SDN")) in d
    assert ("SUPPORT", ("EGY", "ETH", "SDN")) not in d


def test_exchange_of_knowledge_is_no_talks():
    d = _dyads(None, "وترمي المذكرة بين تونس وبريطانيا الى تيسير تبادل المعارف بين البلدين.")
    assert not any(cat == "CONSULT" for cat, _ in d)


def test_imperfect_visit_verb_with_weekday_is_future():
    published = date(2015, 7, 24)  # a Friday
    m = resolve_date(normalize_for_matching("يصل إلى الخرطوم الأحد وفد من وزارة النقل المصرية"), published)
    assert (m.kind, m.day) == ("future", date(2015, 7, 26))  # the coming Sunday (C6)
    m = resolve_date(normalize_for_matching("وصل إلى الخرطوم الأحد وفد من وزارة النقل المصرية"), published)
    assert (m.kind, m.day) == ("day", date(2015, 7, 19))


def test_headline_present_visit_announced_in_body_is_agree():
    d = _dyads("ولي العهد السعودي يزور الكويت",
               "قالت الوكالة إن ولي العهد السعودي سيزور الكويت الأحد.")
    assert ("AGREE", ("KWT", "SAU")) in d
    assert ("CONSULT", ("KWT", "SAU")) not in d


def test_negated_signing_is_no_event():
    d = _dyads(None, "لم يوقع وزير الخارجية المصري ونظيره السوداني أي اتفاقية خلال اللقاء في القاهرة.")
    assert not any(cat == "SUPPORT" for cat, _ in d)


def test_denied_accusation_is_no_event():
    d = _dyads(None, "وتنفي قطر تلك الاتهامات وتقول إن المقاطعة السعودية تمثل تعديا على سيادتها.")
    assert not any(cat == "ACCUSE" for cat, _ in d)


def test_speculation_is_no_event():
    d = _dyads(None, "يزور الرئيس التونسي الجزائر وسط توقعات بأن يبحث وساطة جزائرية مع ليبيا.")
    assert not any("LBY" in codes for _, codes in d)


def test_condolence_to_own_people_is_no_event():
    d = _dyads(None, "وعبر ملك الأردن عن خالص عزائه ومواساته لأسر الضحايا في عمان.")
    assert not any(cat == "SUPPORT" for cat, _ in d)


def test_condolence_to_another_country_is_support():
    d = _dyads(None, "بعث الرئيس المصري برقية تعزية إلى الرئيس التركي في ضحايا الزلزال.")
    assert ("SUPPORT", ("EGY", "TUR")) in d


def test_refugees_and_peoples_are_no_party():
    d = _dyads(None, "استقبل الأردن ومصر آلاف اللاجئين السوريين، وقدمت الإمارات الدعم للشعب اليمني.")
    assert not any("SYR" in codes or "YEM" in codes for _, codes in d)


def test_two_sides_stress_importance_of_third_country_is_support():
    body = ("زار وزير الخارجية الأردني الرياض والتقى نظيره السعودي.\n\n"
            "وأكد الجانبان أهمية وحدة العراق وأمنه واستقراره.")
    d = _dyads(None, body)
    assert ("SUPPORT", ("IRQ", "JOR", "SAU")) in d


def test_one_side_stressing_necessity_is_no_agreement():
    d = _dyads(None, "وشدد وزير الخارجية الأمريكي على ضرورة وحدة الصف مع مصر والأردن.")
    assert not any(cat == "AGREE" for cat, _ in d)


def test_what_an_accusation_alleges_is_no_support():
    d = _dyads(None, "وقطعت السعودية والإمارات العلاقات مع قطر متهمين إياها بمساندة إيران ودعم الإرهاب.")
    assert not any(cat == "SUPPORT" for cat, _ in d)


def test_definite_noun_with_one_country_is_no_event():
    d = _dyads(None, "وتم تأكيد تكثيف الدعم الدولي للأردن في جهوده، وبحث الوزير المصري مع نظيره الأردني ذلك.")
    assert ("SUPPORT", ("JOR",)) not in d


def test_future_clause_visit_is_agree_even_after_past_clause():
    d = _dyads(None, "وقعت حكومتا السودان وإثيوبيا أمس عقدا، وفي غضون ذلك يصل السودان الأحد المقبل "
                     "وفد من وزارة النقل المصرية.")
    assert ("AGREE", ("EGY", "SDN")) in d
    assert ("CONSULT", ("EGY", "SDN")) not in d


def test_weather_news_yields_no_events():
    d = _dyads("منخفض جوي يضرب الأردن وسوريا", "تتأثر الأردن وسوريا بمنخفض جوي مصحوب بالأمطار والرياح، "
               "وتوقعت الأرصاد انخفاض درجات الحرارة وتساقط الثلوج، وحذرت من السيول والضباب. "
               "وبحثت فرق الطوارئ في البلدين الاستعداد للعاصفة.")
    assert d == set()


def test_business_only_news_yields_no_events():
    d = _dyads(None, "وقعت شركة أرامكو السعودية صفقة استحواذ مع شركة صينية، وارتفع السهم في البورصة، "
                     "وزادت الأرباح والإيرادات، وقال المستثمرين في السوق إن الصفقة مهمة ومبيعات الشركة إلى الصين ستزيد.")
    assert d == set()


def test_business_news_with_a_minister_keeps_its_events():
    d = _dyads(None, "وبحث وزير الطاقة السعودي مع نظيره الصيني صفقة الشركة، وارتفع السهم في البورصة، "
                     "وزادت الأرباح والإيرادات، وقال المستثمرين في السوق إن الصفقة مهمة للشركات.")
    assert ("CONSULT", ("CHN", "SAU")) in d


def test_visit_told_as_done_stays_talks_in_a_future_sentence():
    d = _dyads(None, "وسيعزز الاتفاق الذي وقع خلال زيارة قام بها ولي العهد السعودي إلى باريس التعاون بين البلدين.")
    assert ("CONSULT", ("FRA", "SAU")) in d and ("AGREE", ("FRA", "SAU")) not in d


def test_what_a_call_asks_for_names_no_recipient():
    # a call to one's own supporters is made to no other party; the embassies it names are
    # what it asks for, not whom it asks
    d = _dyads(None, "وحث الرئيس التركي أنصاره على التظاهر أمام سفارات الولايات المتحدة وإسرائيل.")
    assert not any(cat == "REQUEST" for cat, _ in d)
    d = _dyads(None, "ودعت مصر إسرائيل إلى وقف الهجمات على غزة.")
    assert ("REQUEST", ("EGY", "ISR")) in d


def test_support_as_a_topic_or_a_name_needs_a_second_country():
    d = _dyads(None, "أعلن تحالف دعم الشرعية في اليمن تدمير منظومة دفاع جوي، وقال وزير الخارجية السعودي إن المملكة مستمرة.")
    assert ("SUPPORT", ("YEM",)) not in d and ("SUPPORT", ("SAU", "YEM")) not in d
    d = _dyads(None, "ويساهم الاتحاد الأوروبي من خلال هذا البرنامج في دعم أوكرانيا. وقال مسؤول روسي إن موسكو تتابع.")
    assert ("SUPPORT", ("UKR",)) in d


def test_a_journalist_is_no_state_and_owing_is_no_condemnation():
    d = _dyads(None, "رد نائب رئيس شرطة دبي على اتهامات وجهها له الإعلامي الإسرائيلي، وقال إن الإمارات لا تكترث.")
    assert not any("ISR" in codes for _, codes in d)
    d = _dyads(None, "وقال الكاتب إن المغرب يدين لفرنسا بالكثير في مجال الثقافة.")
    assert not any(cat == "ACCUSE" for cat, _ in d)


def test_one_government_seeking_is_no_agreement():
    d = _dyads(None, "تسعى الحكومة الأمريكية لتحجيم الاستثمار الأجنبي في الشركات. وقال مسؤول صيني إن بكين تراقب.")
    assert not any(cat == "AGREE" for cat, _ in d)


def test_officials_in_countries_are_participants_not_places():
    d = _dyads(None, "وتواصلت في الخرطوم اجتماعات اللجنة الفنية الثلاثية، بمشاركة وزراء الري في مصر والسودان "
                     "وإثيوبيا لبحث الملفات العالقة.")
    assert ("CONSULT", ("EGY", "ETH", "SDN")) in d


def test_what_is_agreed_on_is_no_party_but_a_coming_visit_keeps_its_host():
    d = _dyads(None, "اتفقت باكستان وقيرغيزستان على أن على نظام طالبان في أفغانستان أن يفي بالتزاماته.")
    assert ("AGREE", ("KGZ", "PAK")) in d and ("AGREE", ("AFG", "KGZ", "PAK")) not in d
    d = _dyads(None, "وقالت الوكالة إن الرئيس المصري سيتوجه غدا إلى الرياض.")
    assert ("AGREE", ("EGY", "SAU")) in d


def test_a_search_is_no_talks_and_a_force_named_after_a_city_is_no_country():
    d = _dyads(None, "قال ولي العهد السعودي إن بلاده مستعدة للسماح لتركيا بتفتيش القنصلية للبحث عن الصحفي.")
    assert not any(cat == "CONSULT" for cat, _ in d)
    d = _dyads(None, "وطالب رئيس الوزراء الإسرائيلي المجتمع الدولي بالتصدي لقوات فيلق القدس الإيراني.")
    assert not any("PSE" in codes for _, codes in d)
