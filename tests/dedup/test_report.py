"""`akhbar dedup-report` over a small gzipped corpus written for the test."""
import gzip
import json
from datetime import datetime, timedelta

from akhbar.cli import main
from akhbar.transform.boilerplate import MIN_STORIES
from tests.dedup import texts

T0 = datetime(2025, 6, 10, 8, 0)
PROMO = "حمّلوا تطبيق الصحيفة على هواتفكم لتصلكم آخر الأخبار أولاً بأول"


def _corpus(path):
    rows = [
        # the wire story, its republication a day later elsewhere, an independent report
        {"id": "w1", "outlet": "الوكالة", "published": T0.isoformat(), "title": "أ", "body": "\n\n".join(texts.WIRE)},
        {"id": "d1", "outlet": "الصحيفة", "published": (T0 + timedelta(days=1)).isoformat(), "title": "ب",
         "body": "\n\n".join(texts.REPUBLISHED)},
        {"id": "d2", "outlet": "الصحيفة", "published": (T0 + timedelta(hours=5)).isoformat(), "title": "ج",
         "body": "\n\n".join(texts.INDEPENDENT + [PROMO])},
    ]
    # the daily's other stories, each with its app promotion, over a week
    for n in range(MIN_STORIES):
        rows.append({"id": f"x{n}", "outlet": "الصحيفة", "published": (T0 + timedelta(days=n + 2)).isoformat(),
                     "title": "د", "body": f"خبر رقم {n} عن موضوع مختلف تماما في يوم آخر من أيام الشهر.\n\n"
                                           + f"وتفاصيل الخبر {n} في فقرة ثانية لا تتكرر في غيره.\n\n" + PROMO})
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return len(rows)


def test_dedup_report_prints_the_corpus_figures(tmp_path, capsys):
    path = tmp_path / "corpus.jsonl.gz"
    n = _corpus(path)
    pairs = tmp_path / "pairs.jsonl"
    assert main(["dedup-report", "--input", str(path), "--pairs", str(pairs), "-q"]) == 0
    out = dict(line.split(": ", 1) for line in capsys.readouterr().out.splitlines()
               if ": " in line and not line.startswith(" "))
    assert out["articles"] == str(n)
    assert out["republications found"] == "1"
    assert out["story clusters (stories with 2+ articles)"].startswith("1 of ")
    assert out["boilerplate paragraphs"] == str(MIN_STORIES + 1)  # the promotion, under every story
    assert out["duplicate paragraphs"].startswith("4 ")  # the republication's, the promotion left out
    found = [json.loads(x) for x in pairs.read_text(encoding="utf-8").splitlines()]
    assert [(p["id"], p["of"]) for p in found if p["republication"]] == [("d1", "w1")]
