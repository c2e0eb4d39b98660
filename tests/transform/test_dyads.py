"""Who acts toward whom: the parties of an event read from the constructions of a sentence."""
from akhbar.models import ArticleInput
from akhbar.transform.article import transform_article


def _dyads(body, title=None, published="2018-06-14"):
    r = transform_article(ArticleInput(id="t", title=title, body=body, published=published))
    return {(e.event[0], tuple(sorted(x.code for x in e.actor + e.recipient))) for e in r.events}


def test_day_set_off_by_commas_and_quoted_trigger_keep_the_subject():
    d = _dyads("أعلنت الكويت، الأربعاء، إرسال \"مساعدات طبية\" إلى الأردن بعد موجة الحر.")
    assert ("AID", ("JOR", "KWT")) in d


def test_country_a_group_leans_on_is_no_party():
    d = _dyads("اتهمت الحكومة الكينية أمس المسلحين الموالين لإثيوبيا بمهاجمة مواقع للجيش قرب الحدود.")
    assert not any("ETH" in codes for _, codes in d)


def test_nisba_of_a_firm_across_a_chain_of_nisbas_is_no_party():
    d = _dyads("فرضت واشنطن عقوبات على كوبا، واستثنت شركة ألمانية نمساوية تعمل في الجزيرة.")
    assert ("SANCTION", ("CUB", "USA")) in d
    assert not any("AUT" in codes or "DEU" in codes for _, codes in d)


def test_nisba_of_a_militia_named_by_its_leader_is_no_party():
    d = _dyads("قصفت طائرات التحالف مواقع لميليشيات الحوثي الإيرانية في صعدة، وقالت مصادر يمنية إن الغارات دمرت مخازن.")
    assert not any("IRN" in codes for _, codes in d)


def test_venue_of_a_meeting_of_two_named_sides_is_no_party():
    d = _dyads("التقى الرئيس الصيني ورئيس الوزراء الهندي في قمة تاريخية في سنغافورة أمس.")
    assert ("CONSULT", ("CHN", "IND")) in d
    assert not any("SGP" in codes for _, codes in d)


def test_country_naming_a_summit_or_accord_is_no_party():
    d = _dyads("أشاد وزير الخارجية الفرنسي باتفاق فيينا، ورحب بقمة هلسنكي.")
    assert not any("AUT" in codes or "FIN" in codes for _, codes in d)


def test_visit_host_is_not_the_venue_of_an_earlier_summit():
    d = _dyads("وكانت هذه أول مرة يزور فيها وزير الخارجية الأمريكي كوريا الشمالية منذ قمة سنغافورة.")
    assert ("CONSULT", ("PRK", "USA")) in d


def test_definite_two_word_nisba_names_its_country():
    from akhbar.transform.countries import mentions_in_text
    assert [m.code for m in mentions_in_text("الزعيم الكوري الشمالي")] == ["PRK"]


def _categories(text):
    from akhbar.transform.event_triggers import find_triggers
    from akhbar.transform.sentences import make_sentence
    return [rule.category for _, rule in find_triggers(make_sentence(text, 0))]


def test_demonstrations_of_a_crowd_are_no_protest_of_a_state():
    assert "PROTEST" not in _categories("خرجت مظاهرات حاشدة في عمان ضد السياسات الإسرائيلية")
    assert "PROTEST" in _categories("احتجت الخارجية المصرية لدى السفير الإثيوبي")


def test_imposing_or_cutting_is_a_sanction_only_of_sanctions_or_ties():
    assert "SANCTION" not in _categories("فرضت الحكومة المغربية ضرائب جديدة على الشركات")
    assert "SANCTION" not in _categories("تستخدم المصانع آلات مستوردة من ألمانيا لقطع الأجزاء")
    assert "SANCTION" in _categories("فرضت كندا عقوبات على فنزويلا")
    assert "SANCTION" in _categories("قطعت المغرب والجزائر العلاقات الدبلوماسية")


def test_means_occasion_and_descriptions_are_no_events():
    assert "AID" not in _categories("تحدث الرئيسان بمساعدة مترجمين")
    assert "REQUEST" not in _categories("بدعوة من ملك الأردن تعقد الدول الأربع اجتماعا")
    assert "THREATEN" not in _categories("ساد هدوء حذر في المدينة الليبية")
    assert "THREATEN" not in _categories("قال إن الصواريخ الإيرانية تمثل تهديدا لدول الخليج")
    assert "SANCTION" not in _categories("أعلنت واشنطن رفع تجميد مساعداتها العسكرية لمصر")


def test_passive_of_a_one_sided_act_is_not_the_two_sides():
    d = _dyads("وصل وزير الخارجية الإيطالي إلى تونس أمس. وقال إنه تم فرض حظر على الصيد في المنطقة.",
               title="وزير الخارجية الإيطالي يزور تونس")
    assert not any(cat == "SANCTION" for cat, _ in d)


def test_headline_filed_under_a_country_does_not_make_it_a_party():
    d = _dyads("قال مسؤولون إن طائرات التحالف قصفت مواقع للمتمردين قرب الميناء.",
               title="ليبيا: قصف جوي على مواقع المتمردين ومقتل قائد ميداني")
    assert ("ASSAULT", ("LBY",)) not in d


def test_pledge_or_praise_of_one_country_with_no_one_to_receive_it_is_a_home_affair():
    d = _dyads("وتعهد رئيس الوزراء المغربي الجديد بسحب مشروع قانون الضرائب بعد لقائه النقابات.",
               title="الحكومة المغربية تتراجع عن قانون الضرائب ومصر تتابع")
    assert not any(cat == "AGREE" for cat, _ in d)


def test_side_qualified_by_a_nisba_is_not_the_ledes_actor():
    d = _dyads("أعلنت المفوضية الأوروبية صرف قرض لمساعدة مولدوفا. كما تعهد الجانب الأوروبي بالاستمرار في "
               "التزاماته بدعم مالي لمولدوفا.", title="الاتحاد الأوروبي يقرض مولدوفا")
    assert ("AGREE", ("MDA",)) in d


def test_accusative_noun_is_no_dual_verb_of_the_two_sides():
    d = _dyads("وجه البنك الدولي انتقادا حادا للأرجنتين بسبب سياستها المالية.",
               title="البرازيل والأرجنتين تبحثان التجارة")
    assert ("ACCUSE", ("ARG",)) in d
    assert ("ACCUSE", ("ARG", "BRA")) not in d


def test_call_to_end_strife_between_two_countries_is_made_to_them():
    d = _dyads("دعا الرئيس الإيطالي، الجمعة، إلى وقف التصعيد بين الهند وباكستان.")
    assert ("REQUEST", ("IND", "ITA", "PAK")) in d


def test_call_naming_no_addressee_after_talks_is_made_to_the_other_side():
    d = _dyads("بحث الرئيس الفرنسي ونظيره الجزائري في اتصال هاتفي تطورات الأوضاع في مالي.\n\n"
               "ودعا الرئيس الفرنسي إلى وقف فوري لإطلاق النار في مالي.")
    assert ("REQUEST", ("DZA", "FRA")) in d


def test_second_official_joined_after_the_first_ones_name_is_one_more_party():
    d = _dyads("بحث الرئيس التركي رجب طيب أردوغان في اتصال هاتفي مع الرئيس الفرنسي إيمانويل ماكرون "
               "والمستشارة الألمانية أنغيلا ميركل الأوضاع في ليبيا.", published="2018-02-25")
    assert ("CONSULT", ("DEU", "FRA", "TUR")) in d


def test_standing_by_a_country_is_support_and_rejection_with_a_pronoun_is_reject():
    assert "SUPPORT" in _categories("أكدت الكويت وقوفها إلى جانب المغرب")
    assert "SUPPORT" not in _categories("دعت الكويت إلى وقف إطلاق النار في السودان")
    assert "REJECT" in _categories("أعرب الوزير الصيني عن رفضه للرسوم الأمريكية")
    assert "REJECT" in _categories("ألغت كوريا الشمالية مباحثات مع سيول")


def test_one_sentence_tells_one_act_of_a_category_between_its_parties():
    d = _dyads("قصفت الطائرات الإسرائيلية مواقع في سوريا، وأكد الجيش أن القصف طال مواقع إيرانية قرب دمشق.")
    assert len([1 for cat, _ in d if cat == "ASSAULT"]) == 1


def test_a_danger_described_is_no_threat_made():
    assert "THREATEN" not in _categories("قال إن تسليح الميليشيات يهدد استقرار المنطقة")
    assert "THREATEN" in _categories("هددت كوريا الشمالية اليابان برد قاس")


def test_a_country_named_only_as_where_is_not_one_of_the_two_sides():
    d = _dyads("التقى رئيس الحكومة الليبية زعيم قوات الشرق في باريس أمس.\n\n"
               "واتفق الطرفان على وقف إطلاق النار. وقال مسؤول ليبي إن الحكومة الليبية ستلتزم بالاتفاق.",
               title="لقاء ليبي في باريس")
    assert ("AGREE", ("FRA", "LBY")) not in d


def test_visit_going_on_now_hosted_by_its_direct_object():
    d = _dyads("ويزور الرئيس الصيني فرنسا حاليا ومن المقرر أن يلتقي الرئيس الروسي في برلين الاثنين.",
               published="2018-07-13")
    assert ("CONSULT", ("CHN", "FRA")) in d
    assert not any(cat == "CONSULT" and "DEU" in codes and "CHN" in codes for cat, codes in d)


def test_analysts_and_former_officials_words_are_no_events():
    assert "CONSULT" not in _categories("وأكد الخبير في الشؤون الخليجية أن زيارة الوزير الألماني إلى الرياض مهمة")
    assert "SUPPORT" not in _categories("وأشاد خبراء بدعم الكويت للأردن")
    assert "CONSULT" in _categories("وأكد الوزير أن زيارة الوزير الألماني إلى الرياض مهمة")


def test_announced_meeting_of_several_states_is_a_multilateral_consult():
    r = transform_article(ArticleInput(
        id="t", title=None, published="2018-06-07",
        body="ستعقد مصر والسودان وإثيوبيا اجتماعا الأسبوع المقبل في الخرطوم."))
    talks = [e for e in r.events if e.event == ["CONSULT"]]
    assert talks and talks[0].mode == ["multilateral"]
    assert sorted(a.code for a in talks[0].actor) == ["EGY", "ETH", "SDN"] and talks[0].recipient == []


def test_ways_of_support_are_a_topic_and_a_society_is_no_state():
    assert "SUPPORT" not in _categories("بحث الوزيران سبل دعم الاقتصاد اللبناني")
    d = _dyads("قال الوزير الأردني إن تنظيم داعش يستهدف المجتمع السعودي.")
    assert not any("SAU" in codes for _, codes in d)


def test_his_country_is_the_speakers_country_and_acts():
    r = transform_article(ArticleInput(id="t", title=None, published="2018-08-16",
                                       body="قال الشيخ صباح الأحمد، أمير الكويت، إن بلاده تقف إلى جانب الأردن في أزمته."))
    support = [e for e in r.events if e.event == ["SUPPORT"]]
    assert [a.code for a in support[0].actor] == ["KWT"] and [a.code for a in support[0].recipient] == ["JOR"]


def test_what_follows_inna_is_what_was_said_not_the_visits_host():
    d = _dyads("وقال الجيش لصحفيين يرافقون وزير الدفاع البريطاني في زيارته للعراق إن الضربة التي نفذت "
               "في سوريا هي الأحدث.")
    assert ("CONSULT", ("GBR", "IRQ")) in d
    assert ("CONSULT", ("GBR", "SYR")) not in d


def test_concern_over_another_states_conduct_is_disapproval():
    d = _dyads("عبر وزير الخارجية الياباني عن قلق بلاده من التجارب الصاروخية لكوريا الشمالية.")
    assert ("ACCUSE", ("JPN", "PRK")) in d


def test_exercise_two_countries_hold_together_is_cooperation_of_both():
    d = _dyads("انطلقت أمس المناورات البحرية بين اليابان وأستراليا قرب السواحل الشرقية.")
    assert ("COOPERATE", ("AUS", "JPN")) in d
    assert not any(c == "MOBILIZE" for c, _ in d)
    d = _dyads("احتجت الصين على المناورات العسكرية الهندية الفيتنامية في بحر الصين.")
    assert ("COOPERATE", ("IND", "VNM")) in d
    assert not any(c == "MOBILIZE" for c, _ in d)


def test_training_fighters_received_is_no_mobilization():
    d = _dyads("وكان المسلحون قد تلقوا تدريبات ضمن البرنامج البريطاني لتسليح المعارضة في جنوب شرق ليبيا.")
    assert not any(c == "MOBILIZE" for c, _ in d)


def test_a_sum_given_is_aid_not_backing():
    assert _dyads("أعلنت الكويت تقديم 50 مليون دولار لجهود الأمم المتحدة في الصومال.") == {("AID", ("KWT",))}
    d = _dyads("قررت السعودية دعم الأردن بـ 3 مليارات دولار.")
    assert ("AID", ("JOR", "SAU")) in d and ("SUPPORT", ("JOR", "SAU")) not in d
    assert _dyads("قررت السعودية دعم الأردن.") == {("SUPPORT", ("JOR", "SAU"))}


def test_arrests_a_state_makes_at_home_are_no_event():
    assert _dyads("قالت منظمة العفو إن السلطات المصرية اعتقلت صحفيين في حملة تستهدف المعارضين.") == set()
    assert _dyads("أصدرت النيابة الإيرانية مذكرات اعتقال بحق خمسة مديرين متهمين بالتعامل مع جماعة محظورة.") == set()
    # another country named: the arrest is no home affair
    d = _dyads("اعتقلت القوات التركية عشرة مسلحين بعد أن قصفت مواقع للمتمردين قرب الحدود السورية.")
    assert ("ASSAULT", ("SYR", "TUR")) in d


def test_a_description_with_a_word_of_blame_accuses():
    d = _dyads("وصفت الصين قرار الولايات المتحدة الأخير بشأن الرسوم الجمركية بأنه \"استفزازي\".")
    assert ("ACCUSE", ("CHN", "USA")) in d
    # the one spoken with in a call is not the one blamed
    d = _dyads("ووصف الرئيس الفرنسي في اتصال مع نظيره المصري التفجير بـ\"العمل الجبان\".")
    assert ("ACCUSE", ("FRA",)) in d and ("ACCUSE", ("EGY", "FRA")) not in d
    # a description with no blame, or a phrase quoted, accuses no one
    assert not any(c == "ACCUSE" for c, _ in _dyads("وصفت الحكومة الأردنية زيارة الوفد المصري بالناجحة."))
    assert not any(c == "ACCUSE" for c, _ in _dyads("أعلن الرئيس الروسي ما وصفه بانتهاك أوكراني للهدنة."))


def test_calls_of_protesters_activists_or_a_groups_leader_are_no_state_act():
    assert not any(c == "REQUEST" for c, _ in _dyads(
        "وحث ناشطون الأحد الحكومتين الإريترية والإثيوبية على فتح الحدود."))
    assert not any(c == "REQUEST" for c, _ in _dyads(
        "قصفت القوات التركية مواقع في سوريا، وحث من جهته زعيم الحركة أنصاره على القتال."))
    # a group's leader met by a state's official is still the other side of talks
    assert ("CONSULT", ("KEN", "SOM")) in _dyads("اجتمع رئيس الوزراء الصومالي مع زعيم المتمردين في العاصمة الكينية أمس.")


def test_an_attack_talked_about_is_not_one_told():
    # the government investigating attacks is not their author
    d = _dyads("شكلت الحكومة العراقية لجنة للتحقيق عن هجمات نفذتها طائرات تركية الشهر الماضي.")
    assert ("ASSAULT", ("IRQ", "TUR")) not in d
    assert ("ASSAULT", ("ISR", "SYR")) in _dyads("شنت طائرات إسرائيلية غارات على مواقع سورية قرب دمشق.")


def test_attacking_in_words_is_an_accusation():
    d = _dyads("هاجمت وزارة الخارجية التركية الحكومة الهولندية بسبب منع وزيرها من دخول البلاد.")
    assert ("ACCUSE", ("NLD", "TUR")) in d and not any(c == "ASSAULT" for c, _ in d)
    assert ("ASSAULT", ("ISR", "SYR")) in _dyads("هاجمت طائرات إسرائيلية مواقع للجيش السوري.")
