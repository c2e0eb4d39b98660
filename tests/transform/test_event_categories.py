"""Event categories read from the verbs of Arabic reporting."""
from akhbar.models import ArticleInput
from akhbar.transform.article import transform_article


def _categories(body: str) -> set[tuple[str, tuple[str, ...]]]:
    r = transform_article(ArticleInput(id="c", title=None, body=body, published="2018-05-10T09:00:00+00:00"))
    return {(e.event[0], tuple(sorted(x.code for x in e.actor + e.recipient))) for e in r.events}


def test_struck_targets_is_an_assault():
    assert ("ASSAULT", ("SYR", "TUR")) in _categories("أعلن الجيش التركي أنه ضرب مواقع للجيش السوري قرب الحدود.")
    assert ("ASSAULT", ("IRN", "ISR")) in _categories("وقالت إسرائيل إن طائراتها ضربت أهدافا إيرانية داخل الأراضي السورية.")


def test_a_danger_to_security_is_no_threat_between_countries():
    cats = _categories("وقال وزير الخارجية السعودي إن التدخل الإيراني في اليمن يهدد أمن المملكة.")
    assert not any(c == "THREATEN" for c, _ in cats)
    cats = _categories("وهدد الرئيس الأمريكي إيران بعقوبات جديدة إذا واصلت تجاربها الصاروخية.")
    assert any(c == "THREATEN" for c, _ in cats)


def test_a_wary_calm_is_no_warning():
    cats = _categories("غارات إسرائيلية على مواقع في سوريا وهدوء حذر على الحدود مع لبنان.")
    assert not any(c == "THREATEN" for c, _ in cats)
