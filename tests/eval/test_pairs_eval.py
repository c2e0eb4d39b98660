"""eval/pairs_eval.py: the scorer's arithmetic and the locked split's rule (no corpora needed)."""
import subprocess
import sys

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "eval"))
import pairs_eval  # noqa: E402


def test_errors_of_the_locked_test_split_are_refused():
    for split in ("test", "both"):
        run = subprocess.run([sys.executable, str(ROOT / "eval" / "pairs_eval.py"), "--split", split, "--errors"],
                             capture_output=True, text=True)
        assert run.returncode == 2
        assert "locked test split" in run.stderr


def test_borderline_pairs_count_neither_way_and_kinds_are_grouped():
    rows = [{"pair_id": "a", "split": "train", "kind": "within", "label": "repeat"},
            {"pair_id": "b", "split": "train", "kind": "heading", "label": "not"},
            {"pair_id": "c", "split": "train", "kind": "within", "label": "borderline"},
            {"pair_id": "d", "split": "train", "kind": "cross", "label": "same"},
            {"pair_id": "e", "split": "train", "kind": "cross", "label": "not"}]
    said = {"a": True, "b": True, "c": True, "d": False, "e": False}
    figures = pairs_eval.score(rows, said)
    assert figures["train/in-article"] == {"n": 2, "positives": 1, "tp": 1, "fp": 1, "fn": 0,
                                           "precision": 0.5, "recall": 1.0, "f1": 0.667}
    assert figures["train/republication"]["recall"] == 0.0
    assert figures["train/republication"]["n"] == 2


def test_the_manifest_keeps_a_locked_split_of_at_least_300_pairs():
    rows = pairs_eval.pairs("both")
    assert len(rows) >= 800
    assert sum(r["split"] == "test" for r in rows) >= 300
    assert all(r["label"] in {"repeat", "same", "not", "borderline"} for r in rows)


def test_a_cross_pair_is_decided_by_feeding_a_then_b_to_the_engine():
    body = ("وصل وزير الخارجية إلى الرباط صباح اليوم في زيارة رسمية هي الأولى من نوعها منذ سنوات،"
            " حيث التقى كبار المسؤولين وبحث معهم ملفات التعاون الثنائي في مجالات الطاقة والتعليم.")
    other = ("أعلنت وزارة الصحة تسجيل انخفاض في عدد الإصابات بالحمى الموسمية خلال الأسبوع الماضي"
             " في معظم المحافظات، ودعت المواطنين إلى مواصلة الحذر واتباع الإرشادات الوقائية.")
    a = {"id": "a", "body": body, "published": "2025-03-02T08:00:00+00:00", "outlet": "x"}
    b = {"id": "b", "body": body, "published": "2025-03-01T08:00:00+00:00", "outlet": "y"}
    c = {"id": "c", "body": other, "published": "2025-03-02T09:00:00+00:00", "outlet": "y"}
    assert pairs_eval.same_story(a, b)
    assert not pairs_eval.same_story(a, c)
