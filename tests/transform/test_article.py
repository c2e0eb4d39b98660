import io
import json

from akhbar.models import ArticleInput
from akhbar.transform.article import transform_article
from akhbar.transform.contract import transform_stream
from akhbar.transform.persons import merge_persons, persons_in_sentence
from akhbar.transform.sentences import make_sentence

BODY = (
    "استقبل الرئيس المصري عبد الفتاح السيسي، يوم الأربعاء، في القاهرة رئيس الوزراء الأردني "
    "بشر الخصاونة. وبحث الجانبان سبل تعزيز العلاقات الثنائية.\n\n"
    "ووقع البلدان خلال الزيارة ثلاث مذكرات تفاهم في مجالات النقل والطاقة والتعليم.\n\n"
    "ودعا الجانبان إسرائيل إلى وقف التصعيد في غزة."
)


def test_persons_with_office_and_country():
    s = make_sentence("قال وزير الخارجية السعودي عادل الجبير إن")
    assert [(p.name, p.office, p.country) for p in persons_in_sentence(s)] == [
        ("عادل الجبير", "وزير الخارجية السعودي", "SAU")]
    merged = merge_persons(persons_in_sentence(make_sentence("الأمير محمد بن سلمان والأمير محمد بن سلمان بن عبدالعزيز")))
    assert [p.name for p in merged] == ["محمد بن سلمان بن عبدالعزيز"]


def test_article_events_countries_dates():
    r = transform_article(ArticleInput(id="a1", title="السيسي يستقبل الخصاونة", body=BODY,
                                       published="2024-03-08T10:00:00+02:00"))
    assert r.countries == ["EGY", "ISR", "JOR", "PSE"]
    assert r.agreements.count == 3
    assert r.agreements.sectors == ["education", "energy", "transport"]
    cats = {(e.event[0], tuple(sorted(x.code for x in e.actor + e.recipient))) for e in r.events}
    assert ("CONSULT", ("EGY", "JOR")) in cats
    assert ("SUPPORT", ("EGY", "JOR")) in cats
    request = next(e for e in r.events if e.event == ["REQUEST"])
    assert "ISR" in {x.code for x in request.recipient}
    visit = next(e for e in r.events if e.mode == ["visit"])
    assert visit.date == "2024-03-06"
    assert [e.code for e in visit.recipient] == ["EGY"]


def test_sports_article_has_no_events():
    body = ("فاز المنتخب المصري على نظيره المغربي في مباراة الدوري وسجل اللاعب هدفين، "
            "وقال مدرب الفريق إن الفوز مهم قبل النهائي في كأس البطولة على الملعب.")
    r = transform_article(ArticleInput(id="s", body=body, published="2024-01-01"))
    assert r.events == [] and r.countries == ["EGY", "MAR"]


def test_stream_one_line_per_input_line_and_errors():
    lines = [json.dumps({"id": "x", "body": "وقعت مصر والأردن اتفاقية."}, ensure_ascii=False),
             "{not json", json.dumps({"id": "y", "title": "بلا نص"})]
    out = io.StringIO()
    assert transform_stream(io.StringIO("\n".join(lines) + "\n"), out) == 3
    rows = [json.loads(l) for l in out.getvalue().splitlines()]
    assert [r.get("id") for r in rows] == ["x", None, "y"]
    assert "error" not in rows[0] and rows[0]["countries"] == ["EGY", "JOR"]
    assert "error" in rows[1] and "error" in rows[2]
