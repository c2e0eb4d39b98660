"""Quad classes as the PLOVER manual's table "Quad categories in PLOVER" gives them."""
from akhbar.models import ArticleInput
from akhbar.transform.article import transform_article
from akhbar.transform.plover import QUAD_CODES, quad_code

# The manual's table, row by row: quad class → its categories.
MANUAL_TABLE = {
    1: ("AGREE", "CONSULT", "SUPPORT", "CONCEDE"),          # verbal cooperation
    2: ("COOPERATE", "AID", "RETREAT"),                     # material cooperation
    3: ("REQUEST", "ACCUSE", "REJECT", "SANCTION", "THREATEN"),  # verbal conflict
    4: ("PROTEST", "MOBILIZE", "COERCE", "ASSAULT"),        # material conflict
}


def test_table_is_the_manuals():
    expected = {cat: quad for quad, cats in MANUAL_TABLE.items() for cat in cats}
    assert QUAD_CODES == expected
    assert quad_code("aid") == 2 and quad_code("SANCTION") == 3 and quad_code("UNKNOWN") is None


def test_transform_writes_the_manuals_quad():
    body = ("أدانت وزارة الخارجية المصرية يوم الأحد الهجوم الذي شنته إسرائيل على غزة.\n\n"
            "وقدمت المملكة العربية السعودية مساعدات إنسانية إلى اليمن.")
    result = transform_article(ArticleInput(id="q", title=None, body=body, html=None,
                                            published="2018-05-14", url=None, outlet=None))
    assert result.events
    for event in result.events:
        assert event.quad_code == QUAD_CODES[event.event[0]]
    assert {e.event[0] for e in result.events} & {"ACCUSE", "AID"}
