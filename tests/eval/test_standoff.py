"""Stand-off annotations: names kept as offsets into the article and read back from it."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "eval"))

from standoff import locate, texts_of, to_contract, to_standoff  # noqa: E402

ARTICLE = {
    "id": "x1", "title": "وزير الخارجية يستقبل نظيره",
    "body": "استقبل وزير الخارجية عادل الجبير نظيره الأردني أيمن الصفدي.\n\n"
            "وبحث الجانبان العلاقات الثنائية.\n\nوبحث الجانبان العلاقات الثنائية.",
}


def test_a_name_is_found_exactly_or_folded():
    texts = texts_of(ARTICLE)
    assert locate("عادل الجبير", texts) == [0, texts[0].index("عادل"), texts[0].index("عادل") + len("عادل الجبير")]
    at = locate("ايمن الصفدي", texts)  # written without the hamza by the annotator
    assert texts[at[0]][at[1]:at[2]] == "أيمن الصفدي"
    assert locate("سامح شكري", texts) is None


def test_round_trip_keeps_codes_and_restores_names():
    raw = {"id": "x1", "countries": ["jor", "SAU"],
           "persons": [{"name": "عادل الجبير", "office": "وزير الخارجية", "country": "SAU"},
                       {"name": "شخص غير موجود", "office": None, "country": None}],
           "amounts": [], "agreements": {"count": None, "sectors": []},
           "events": [{"event": ["CONSULT"], "mode": ["visit"], "date": "2018-01-01",
                       "actor": [{"code": "JOR"}], "recipient": [{"code": "SAU"}], "paragraph": 0}],
           "repeats": [{"index": 2, "duplicate_of": 1}]}
    record, lost = to_standoff(raw, ARTICLE, "A9")
    assert lost == 1 and record["countries"] == ["JOR", "SAU"]
    assert "عادل" not in str(record["persons"])  # offsets only, no text
    gold = to_contract(record, ARTICLE)
    assert [p["name"] for p in gold["persons"]] == ["عادل الجبير"]
    assert [p["duplicate_of"] for p in gold["paragraphs"]] == [None, None, 1]
    assert gold["events"][0]["actor"] == [{"code": "JOR"}]


def test_errors_of_the_locked_split_are_never_listed():
    done = subprocess.run([sys.executable, str(ROOT / "eval" / "run.py"), "--split", "test", "--errors"],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "training split only" in done.stderr
