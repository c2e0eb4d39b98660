"""Repeats within one article: the seed's paraphrase, and near-copies that add a fact."""
from pathlib import Path

import pytest

from akhbar.models import ArticleInput
from akhbar.transform.article import transform_article
from akhbar.transform.dedup import char_containment, find_repeated_paragraphs
from akhbar.transform.paragraphs import split_paragraphs
from tests.dedup import texts

SEED = Path(__file__).resolve().parents[1] / "transform" / "fixtures" / "seed_pakistan_kyrgyzstan.txt"


def test_the_seeds_paraphrased_repeat_is_found_and_nothing_else():
    title, body = SEED.read_text(encoding="utf-8").split("\n\n", 1)
    result = transform_article(ArticleInput(id="seed", title=title, body=body))
    marked = {(p.index, p.duplicate_of) for p in result.paragraphs if p.duplicate_of is not None}
    assert marked == {(10, 2)}
    assert result.paragraphs[10].text.startswith("وتبادل الجانبان خلال المحادثات")
    # what separates it: most of its character 4-grams stand in paragraph 3 (index 2)
    assert char_containment(result.paragraphs[10].text, result.paragraphs[2].text) > 0.75


def test_a_restatement_with_swapped_words_is_a_repeat():
    assert find_repeated_paragraphs(texts.RESTATED) == [None, 0]


@pytest.mark.parametrize("pair", [texts.TRANCHES, texts.TARGETS, texts.LEDE_AND_PLACE,
                                  texts.LEDE_AND_NAME],
                         ids=["other-tranche-and-date", "other-target", "adds-a-place", "adds-a-name"])
def test_a_near_copy_that_adds_a_fact_is_no_repeat(pair):
    assert find_repeated_paragraphs(pair) == [None, None]


def test_the_fact_check_only_looks_at_the_later_paragraphs_new_part():
    # the shorter restatement carries none of the first paragraph's facts: still a repeat
    longer = texts.LEDE_AND_NAME[1]
    assert find_repeated_paragraphs([longer, texts.LEDE_AND_NAME[0]]) == [None, 0]


def test_a_shared_formula_or_topic_is_no_repeat():
    assert find_repeated_paragraphs(texts.SAME_TOPIC) == [None, None]
    assert find_repeated_paragraphs(texts.WIRE) == [None] * len(texts.WIRE)


def test_a_verbatim_repeat_is_found_whatever_its_length():
    body = "\n\n".join([texts.WIRE[0], "اقرأ أيضا", texts.WIRE[1], "اقرأ أيضاً:"])
    assert find_repeated_paragraphs(split_paragraphs(body)) == [None, None, None, 1]
