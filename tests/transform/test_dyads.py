"""Who acts toward whom: the parties of an event read from the constructions of a sentence."""
from akhbar.models import ArticleInput
from akhbar.transform.article import transform_article


def _dyads(body, title=None, published="2018-06-14"):
    r = transform_article(ArticleInput(id="t", title=title, body=body, published=published))
    return {(e.event[0], tuple(sorted(x.code for x in e.actor + e.recipient))) for e in r.events}


def test_day_set_off_by_commas_and_quoted_trigger_keep_the_subject():
    d = _dyads("أعلنت الكويت، الأربعاء، إرسال \"مساعدات طبية\" إلى الأردن بعد موجة الحر.")
    assert ("AID", ("JOR", "KWT")) in d
