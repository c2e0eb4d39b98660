"""Boilerplate learned per outlet from the data, in memory and through `akhbar transform`."""
import io
import json
from datetime import date, timedelta

from akhbar.transform.boilerplate import LONG_LINE, MIN_STORIES, MIN_STORIES_LONG
from akhbar.transform.dedup_memory import MemoryStore
from akhbar.transform.textkeys import line_key
from akhbar.transform.contract import transform_stream

PROMO = "حمّلوا تطبيق الصحيفة على هواتفكم الذكية لتصلكم آخر الأخبار أولاً بأول"
BACKGROUND = ("ويشهد البلد منذ سنوات أزمة سياسية حادة بين الحكومة والمعارضة حول موعد"
              " الانتخابات التشريعية المقبلة.")
DAY = date(2025, 3, 1)


def _story(n: int) -> list[str]:
    return [f"خبر رقم {n} عن موضوع مختلف تماما في يوم آخر من أيام الأسبوع.",
            f"وتفاصيل الخبر {n} في فقرة ثانية لا تتكرر في غيره."]


def test_a_line_under_many_stories_over_days_is_boilerplate_for_its_outlet_only():
    learner = MemoryStore()
    for n in range(MIN_STORIES):
        learner.add("الصحيفة", n, DAY + timedelta(days=n), _story(n) + [PROMO])
        learner.add("الوكالة", 100 + n, DAY + timedelta(days=n), _story(100 + n))
    learner.add("الوكالة", 999, DAY, _story(999) + [PROMO])
    assert learner.boilerplate("الصحيفة") == {line_key(PROMO)}
    assert learner.boilerplate("الوكالة") == frozenset()


def test_spelling_and_punctuation_variants_of_a_line_share_a_key():
    assert line_key("*نقلاً عن الصحيفة") == line_key("* نقلا عن «الصحيفة»")
    assert line_key("----------") == line_key("- - - - -")
    assert line_key(PROMO) != line_key(BACKGROUND)


def test_copies_of_one_story_and_one_days_background_are_not_boilerplate():
    learner = MemoryStore()
    for n in range(MIN_STORIES + 2):
        learner.add("الصحيفة", "one-story", DAY + timedelta(days=n), _story(1) + [PROMO])
        learner.add("الصحيفة", n, DAY, _story(n) + [BACKGROUND])
    assert learner.boilerplate("الصحيفة") == frozenset()


def _line(n: int, extra: str) -> str:
    day = DAY + timedelta(days=n)
    return json.dumps({"id": f"a{n}", "outlet": "الصحيفة", "published": day.isoformat(),
                       "title": "خبر", "body": "\n\n".join(_story(n) + [extra])}, ensure_ascii=False)


def test_transform_of_a_file_marks_the_outlets_boilerplate_and_reads_no_fact_from_it(tmp_path):
    promo_with_country = PROMO + " من مصر"
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(_line(n, promo_with_country) for n in range(MIN_STORIES + 1)) + "\n",
                    encoding="utf-8")
    out = io.StringIO()
    with open(path, encoding="utf-8") as fh:
        transform_stream(fh, out)
    results = [json.loads(x) for x in out.getvalue().splitlines()]
    assert len(results) == MIN_STORIES + 1
    for r in results:
        assert [p["is_boilerplate"] for p in r["paragraphs"]] == [False, False, True]
        assert "EGY" not in r["countries"]  # the country named only in the boilerplate line


def test_transform_of_a_stream_learns_nothing():
    lines = "\n".join(_line(n, PROMO) for n in range(MIN_STORIES + 1)) + "\n"

    class Pipe(io.StringIO):
        def seekable(self):
            return False

    out = io.StringIO()
    transform_stream(Pipe(lines), out)
    assert not any(p["is_boilerplate"] for x in out.getvalue().splitlines()
                   for p in json.loads(x)["paragraphs"])


def test_a_long_paragraph_needs_many_more_stories_than_a_short_line():
    # a related article's lede appended under a few stories is news, not furniture
    teaser = BACKGROUND * 2
    assert len(teaser) > LONG_LINE
    learner = MemoryStore()
    for n in range(MIN_STORIES_LONG - 1):
        learner.add("الصحيفة", n, DAY + timedelta(days=n), _story(n) + [teaser])
    assert learner.boilerplate("الصحيفة") == frozenset()
    learner.add("الصحيفة", "one more", DAY + timedelta(days=30), _story(99) + [teaser])
    assert learner.boilerplate("الصحيفة") == {line_key(teaser)}


def test_an_articles_first_paragraph_is_its_lede_never_boilerplate(tmp_path):
    # a teaser line other articles append is the lede of the article it comes from
    rows = [_line(n, PROMO) for n in range(MIN_STORIES + 1)]
    rows.append(json.dumps({"id": "origin", "outlet": "الصحيفة", "published": DAY.isoformat(),
                            "title": "خبر", "body": PROMO + "\n\n" + BACKGROUND}, ensure_ascii=False))
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = io.StringIO()
    with open(path, encoding="utf-8") as fh:
        transform_stream(fh, out)
    results = {r["id"]: r for r in map(json.loads, out.getvalue().splitlines())}
    assert [p["is_boilerplate"] for p in results["origin"]["paragraphs"]] == [False, False]
    assert results["a0"]["paragraphs"][2]["is_boilerplate"]
