"""The dedup engine's in-article rule, by error class (transform/dedup.py), and its cost."""
import time

from akhbar.transform import dedup, textkeys
from akhbar.transform.dedup import find_repeated_paragraphs, is_heading

LEDE = ("أعلن وزير الخارجية الأردني أن عمّان وبغداد وقعتا يوم الأحد اتفاقية للتعاون في مجال النقل البري"
        " والربط السككي، خلال اجتماع اللجنة العليا المشتركة الذي عقد في العاصمة الأردنية.")


def test_a_restatement_that_reorders_swaps_verbs_and_turns_passive_is_a_repeat():
    restated = ("وقال الوزير إن اتفاقية التعاون في النقل البري والربط السككي أبرمت بين عمّان وبغداد"
                " خلال اجتماع اللجنة العليا المشتركة.")
    assert find_repeated_paragraphs([LEDE, restated]) == [None, 0]


def test_a_crosshead_announcing_the_lede_is_a_heading_not_a_repeat():
    head = "اتفاقية النقل البري والربط السككي بين عمّان وبغداد"
    assert is_heading(head) and not is_heading(LEDE)
    # ... though a heading printed twice is the same text twice
    assert find_repeated_paragraphs([LEDE, head, head]) == [None, None, 1]


def test_repeating_the_lede_and_adding_a_fact_is_no_repeat():
    with_figure = ("وأوضح الوزير أن عمّان وبغداد وقعتا اتفاقية للتعاون في مجال النقل البري والربط السككي،"
                   " وأن كلفة المرحلة الأولى من المشروع تبلغ 400 مليون دولار.")
    with_person = ("وأوضح الوزير أن عمّان وبغداد وقعتا اتفاقية للتعاون في مجال النقل البري والربط السككي،"
                   " بحضور رئيس الوزراء العراقي محمد شياع السوداني.")
    assert find_repeated_paragraphs([LEDE, with_figure]) == [None, None]
    assert find_repeated_paragraphs([LEDE, with_person]) == [None, None]


def test_one_template_about_another_place_stays_apart():
    first = ("دعا وزراء الخارجية العرب في ختام اجتماعهم الطارئ إلى وقف فوري لإطلاق النار في مدينة الفاشر"
             " وفتح ممرات آمنة لإيصال المساعدات الإنسانية إلى السكان.")
    assert find_repeated_paragraphs([first, first.replace("الفاشر", "كادقلي")]) == [None, None]


def _similar(n: int) -> list[str]:
    """n paragraphs on one template: every pair shares most words, none repeats another."""
    topics = ["الطاقة", "التعليم", "النقل", "الصحة", "الزراعة", "الاستثمار", "المياه", "السياحة"]
    return [f"وقال المتحدث إن الوزارة ستواصل متابعة ملف {topics[i % 8]} و{topics[(i // 8) % 8]} رقم {i}"
            f" مع الجهات المعنية خلال الأسابيع المقبلة." for i in range(n)]


def _seconds(paragraphs: list[str]) -> float:
    best = float("inf")
    for _ in range(3):
        # cold caches each time: the small article must not be timed from memory
        for cached in (dedup._profile, dedup.paragraph_facts, textkeys.matching_key):
            cached.cache_clear()
        started = time.process_time()  # CPU time: other work on the machine is not this call's
        assert find_repeated_paragraphs(paragraphs) == [None] * len(paragraphs)
        best = min(best, time.process_time() - started)
    return best


def test_finding_repeats_costs_linear_time_in_the_article_length():
    # candidates first (rarer shared stems), then verification: 10x the paragraphs may
    # cost at most 20x the time (comparing every pair cost 100x)
    small, large = _seconds(_similar(200)), _seconds(_similar(2000))
    assert large <= 20 * small, (small, large)


def test_a_huge_paragraph_without_a_sentence_stop_is_handled_in_bounded_time():
    huge = "كلمة " * 80_000 + "في آخرها"
    started = time.perf_counter()
    assert find_repeated_paragraphs([huge, huge + " وزيادة", huge]) == [None, None, 0]
    assert time.perf_counter() - started < 15


def test_a_lede_restated_with_clash_and_wound_synonyms_is_a_repeat():
    lede = ("شنت طائرات التحالف الأحد غارات على مواقع للمتمردين قرب الحدود بعد مواجهات قتل فيها"
            " ثلاثة جنود وأصيب عشرة آخرون بجروح.")
    restated = ("شنّ سلاح الجو الأحد غارات على مواقع تابعة للمتمردين قرب الحدود بعد اشتباكات"
                " لقي فيها ثلاثة جنود حتفهم وجرح عشرة آخرون.")
    assert find_repeated_paragraphs([lede, restated]) == [None, 0]


def test_charges_restated_with_justice_and_intelligence_synonyms_is_a_repeat():
    lede = ("وجهت وزارة العدل الثلاثاء اتهامات إلى 7 عناصر في المخابرات الأجنبية باختراق حواسيب"
            " البرلمان قبل الاقتراع في 2019.")
    restated = "أعلن القضاء الثلاثاء توجيه التهم إلى 7 عناصر استخبارات بقرصنة حواسيب البرلمان قبل الاقتراع في 2019."
    assert find_repeated_paragraphs([lede, restated]) == [None, 0]


def test_a_link_line_echoing_the_headline_is_no_repeat():
    lede = ("أصيب عدد من المدنيين بينهم نساء في بلدة حدودية جراء قصف مدفعي عنيف استهدف الأحياء"
            " السكنية منذ ساعات الصباح الأولى.")
    pointer = "اقرأ أيضا في موقعنا: إصابة عدد من المدنيين جراء قصف مدفعي عنيف استهدف الأحياء السكنية"
    link = "رابط الخبر في الصحيفة: مدنيون مصابون بقصف مدفعي عنيف استهدف الأحياء السكنية منذ الصباح"
    assert find_repeated_paragraphs([lede, pointer, link]) == [None, None, None]
    # a quote introduced by a colon is no pointer
    assert not is_heading("وقال المتحدث: إن القصف المدفعي استهدف الأحياء السكنية منذ الصباح.")


def test_a_photo_caption_a_little_longer_than_a_crosshead_is_a_heading():
    lede = ("يقع شلال وادي الريم في أعلى نقطة من سلسلة الجبال الغربية، ويقصده الزوار من كل المناطق"
            " للاستمتاع بالهواء العليل والمياه المتدفقة طوال العام.")
    caption = "شلال وادي الريم يتدفق من أعلى نقطة في سلسلة الجبال الغربية وسط مشهد طبيعي ساحر"
    assert is_heading(caption)
    assert find_repeated_paragraphs([lede, caption]) == [None, None]


def test_a_new_speaker_reporting_a_new_act_on_the_lede_topic_is_no_repeat():
    lede = ("دعا رئيس الوزراء الإيطالي الجمعة إلى التهدئة بين البلدين الجارين بعد قصف مدفعي متبادل على"
            " القرى الحدودية ردا على هجوم استهدف موقعا عسكريا على الحدود.")
    army = ("وأعلن الجيش الجمعة أنه قصف القرى الحدودية ردا على هجوم صاروخي ليلي نسبه إلى البلد الجار"
            " استهدف موقعا عسكريا متقدما على الحدود الإيطالية.")
    assert find_repeated_paragraphs([lede, army]) == [None, None]


def test_a_paragraph_that_names_the_venue_adds_a_place():
    lede = ("القاهرة - استمعت النيابة العامة لأقوال وزير النقل السابق قرابة ثلاث ساعات في قضية عقود"
            " صيانة السكك الحديدية، بحسب ما أعلنت النيابة وهيئة الرقابة الإدارية في بيان مشترك.")
    venue = "وأوضحت النيابة وهيئة الرقابة الإدارية أن الاستماع لأقوال وزير النقل السابق جرى في مقر إقامته بالقاهرة."
    assert find_repeated_paragraphs([lede, venue]) == [None, None]


def test_a_number_that_counts_something_else_is_a_new_figure():
    lede = ("باشرت فرق الدفاع المدني حريقا في مستودع تجاري بالمنطقة الصناعية، ووجهت خمس فرق إطفاء"
            " إلى الموقع، ونقلت فرق الإسعاف ثلاث حالات اختناق إلى المستشفى.")
    more = "وأضاف أن ثلاث فرق إطفاء وصلت إلى الموقع وساندت فرق الدفاع المدني في إخماد الحريق بالمستودع التجاري."
    assert find_repeated_paragraphs([lede, more]) == [None, None]
    # the same count restated is no new figure
    same = "ووجهت خمس فرق إطفاء إلى المستودع التجاري في المنطقة الصناعية لإخماد الحريق، بحسب الدفاع المدني."
    assert find_repeated_paragraphs([lede, same]) == [None, 0]


def test_a_name_the_article_gave_before_the_restated_paragraph_is_nothing_new():
    lede = "تتواصل ردود الفعل الدولية على اعتقال الناشطة الحقوقية ليلى الحسيني في مطار العاصمة قبل أسبوع."
    stance = ("وأعربت وزارة الخارجية النرويجية عن قلقها البالغ إزاء ما وصفته بتضييق متزايد على"
              " المدافعين عن حقوق الإنسان، مطالبة بضمان محاكمة عادلة وعلنية.")
    restated = ("أبدت الخارجية النرويجية قلقها البالغ إزاء التضييق المتزايد على المدافعين عن حقوق الإنسان،"
                " مطالبة بمحاكمة عادلة وعلنية، وذلك تعليقا على اعتقال ليلى الحسيني.")
    assert find_repeated_paragraphs([lede, stance, restated]) == [None, None, 1]
    # ... but a name first given after the earlier paragraph is someone else it is said of
    greeting = ("وبادل الوزير الحضور التهاني بالعيد السعيد، داعيا الله أن يعيده على الوطن بالأمن والرخاء"
                " والتقدم والازدهار.")
    visitor = "كما استقبل الوزير في مكتبه أمس السفير الدكتور سامي العتيبي الذي قدم للتهنئة بالعيد السعيد."
    again = ("وبادل الوزير الدكتور العتيبي التهاني بالعيد السعيد، داعيا الله أن يعيده على الوطن بالأمن"
             " والرخاء والتقدم.")
    assert find_repeated_paragraphs([greeting, visitor, again]) == [None, None, None]


def test_a_crosshead_printed_with_a_stop_is_still_a_heading():
    digest = ("في جولة الصحف: الحكومة تقر موازنة العام المقبل، وقطاع السياحة في المغرب يسجل نموا قياسيا،"
              " والبنك المركزي يبقي أسعار الفائدة دون تغيير، ومهرجان الكتاب يفتح أبوابه للزوار.")
    crosshead = "قطاع السياحة في المغرب يسجل نموا قياسيا."
    assert is_heading(crosshead)
    assert find_repeated_paragraphs([digest, crosshead]) == [None, None]
    # a short body sentence carries on from the one before: it is no heading
    assert not is_heading("وسجل قطاع السياحة في المغرب نموا قياسيا هذا العام.")


def test_a_claim_of_responsibility_restated_with_faction_and_shell_synonyms_is_a_repeat():
    earlier = ("وسقطت القذائف في أراض زراعية مفتوحة دون أن تسفر عن إصابات، ولم تعلن أي جماعة في"
               " المنطقة مسؤوليتها عن إطلاق الصاروخين.")
    restated = "ولم يعلن أي فصيل مسلح مسؤوليته عن إطلاق هذه القذائف."
    assert find_repeated_paragraphs([earlier, restated]) == [None, 0]


def test_two_interview_questions_on_one_topic_are_two_questions():
    first = "* كيف تنظرون إلى التعاون بين الجامعات العربية ومراكز البحث في آسيا، وما حدوده اليوم؟"
    second = "* وماذا عن التعاون بين الجامعات العربية ومراكز البحث غير الحكومية اليوم؟"
    assert find_repeated_paragraphs([first, second]) == [None, None]


def test_a_signature_that_drops_the_opening_pronoun_is_the_same_line():
    opening = "نحن عبدالرحمن بن خالد آل ثاني"
    body = "وبعد الاطلاع على أحكام الدستور، وعلى القانون رقم 12 لسنة 2004، قررنا ما يلي."
    signature = "عبدالرحمن بن خالد آل ثاني"
    assert find_repeated_paragraphs([opening, body, signature]) == [None, None, 0]
    # one content word alone is no statement
    assert find_repeated_paragraphs(["في الرياض", body, "الرياض"]) == [None, None, None]
