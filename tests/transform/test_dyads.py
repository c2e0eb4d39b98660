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
