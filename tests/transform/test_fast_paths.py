"""The transform's fast paths give what the plain computations they stand for give."""
import dataclasses
import random
import re

import hypothesis
import hypothesis.strategies as st
from camel_tools.utils.dediac import dediac_ar
from camel_tools.utils.normalize import (normalize_alef_ar, normalize_alef_maksura_ar, normalize_teh_marbuta_ar,
                                         normalize_unicode)

from akhbar.models import ArticleInput
from akhbar.transform import normalize
from akhbar.transform.article import transform_article
from akhbar.transform.contract import result_to_dict
from akhbar.transform.dedup import char_grams, gram_codes
from akhbar.transform.sentences import make_sentence
from akhbar.transform.textkeys import SHINGLE, shared_count, shingle_codes


def _folded_step_by_step(text: str) -> str:
    """normalize_for_matching as the chain of camel-tools steps it was written as."""
    text = normalize._INVISIBLE.sub("", text)
    text = normalize_unicode(text)
    text = normalize._TATWEEL.sub("", dediac_ar(text))
    text = normalize_teh_marbuta_ar(normalize_alef_maksura_ar(normalize_alef_ar(text)))
    return re.sub(r"\s+", " ", text.translate(normalize._DIGITS).lower()).strip()


def test_folding_equals_the_step_by_step_chain():
    rnd = random.Random(14)
    chars = [chr(c) for c in [*range(0x20, 0x7f), *range(0x600, 0x700)]] + [
        "\ufdfc", "\ufdfd", "\u03a3", "\u00a0", "\u2003", "\t", "\n", "\u200b", "\u0640", "\ufe8d", "\u0130", "\U0001d6ba"]
    texts = ["٥٠ ﷼", "ﷺ قال", "ΟΔΟΣ  ΑΘΗΝΑ", "إلى\tمدينة\u00a0الرياض ــ", " \u200f أُعلِنَ "]
    texts += ["".join(rnd.choice(chars) for _ in range(rnd.randint(1, 40))) for _ in range(3000)]
    for text in texts:
        assert normalize.normalize_for_matching(text) == _folded_step_by_step(text), repr(text)
    assert normalize.normalize_for_matching("٥٠ ﷼") == "50 ريال"


def test_sentence_spans_point_into_the_text_with_and_without_irregular_characters():
    for text in ["قال الوزير، إن المحادثات (مثمرة).", "قَالَ الوزيرُ ــ إنّ المحادثات مثمرة"]:
        s = make_sentence(text)
        folded, offsets = normalize.fold_with_offsets(text)
        assert s.tokens == [folded[a:b] for a, b in _word_spans(folded)]
        assert s.spans == [(offsets[a], offsets[b]) for a, b in _word_spans(folded)]
    assert make_sentence("قال الوزير، إن").breaks == [False, False, True]


def _word_spans(folded):
    from akhbar.transform.tokens import WORD
    return [m.span() for m in WORD.finditer(folded)]


def test_gram_codes_share_as_many_grams_as_the_strings_do():
    rnd = random.Random(4)
    chars = [chr(c) for c in range(0x627, 0x631)] + [" ", "a", "\U0001d400", "\U00020000"]
    keys = ["".join(rnd.choice(chars) for _ in range(rnd.randint(0, 14))) for _ in range(2000)]
    for a, b in zip(keys, keys[1:]):
        assert len(gram_codes(a)) == len(char_grams(a))
        assert len(gram_codes(a) & gram_codes(b)) == len(char_grams(a) & char_grams(b)), (a, b)


def test_result_dicts_equal_asdict():
    body = "\n\n".join(["زار وزير الخارجية السعودي عادل الجبير القاهرة يوم الخميس 5 مارس 2015 والتقى الرئيس المصري.",
                        "وقع البلدان ثلاث اتفاقيات بقيمة 2 مليار دولار.",
                        "زار وزير الخارجية السعودي عادل الجبير القاهرة يوم الخميس 5 مارس 2015 والتقى الرئيس المصري."])
    result = transform_article(ArticleInput(id="a", title="الجبير في القاهرة", body=body,
                                            published="2015-03-06T10:00:00+00:00"))
    expected = dataclasses.asdict(result)
    expected.pop("error")
    assert result.persons and result.paragraphs[2].duplicate_of == 0
    assert result_to_dict(result) == expected


def shingles(key: str) -> frozenset[str]:
    """The 5-grams as strings: what shingle_codes stands for."""
    return frozenset(key[i:i + SHINGLE] for i in range(max(1, len(key) - SHINGLE + 1)))


_GRAM_ALPHABET = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي ة0123456789abcxyz" + "\u4e2d\u6587\U0001f600\u1e00"


@hypothesis.settings(max_examples=400, deadline=None)
@hypothesis.given(st.text(alphabet=_GRAM_ALPHABET, max_size=60), st.text(alphabet=_GRAM_ALPHABET, max_size=60))
def test_shingle_codes_count_what_the_string_grams_count(a, b):
    """The engine compares articles by how many 5-grams they share: the integer grams must
    count exactly what the string grams count, short keys, empty keys and characters past
    U+1000 (hashed, not packed) included."""
    sa, sb = shingles(a), shingles(b)
    ca, cb = shingle_codes(a), shingle_codes(b)
    assert len(ca) == len(sa) and len(cb) == len(sb)
    assert shared_count(ca, cb) == len(sa & sb)


def test_a_gram_with_a_wide_character_never_meets_a_packed_one():
    # "\u4e2d" (U+4E2D) is past the 12 bits a packed character has: it must not alias any
    # narrow gram, whatever its code's low bits
    assert shared_count(shingle_codes("\u4e2dabcd"), shingle_codes("\u0e2dabcd")) == 0
    assert shared_count(shingle_codes("ab\u4e2dcd"), shingle_codes("ab\u4e2dcd")) == 1
