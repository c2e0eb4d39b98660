"""Spelling noise never turns a repeat into a non-repeat (hypothesis property tests)."""
import regex
from hypothesis import given, settings, strategies as st

from akhbar.transform.dedup import find_repeated_paragraphs
from tests.dedup import texts

DIACRITICS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652"
TATWEEL = "\u0640"
ALEF_VARIANTS = "اأإآ"
PUNCTUATION = "،,.؛:!؟\"«»()-"
SPACES = [" ", "  ", "\u00a0", " \t "]
# repeats: verbatim, a restatement with swapped words, the seed-like case of containment
REPEATS = [
    (texts.WIRE[0], texts.WIRE[0]),
    tuple(texts.RESTATED),
    (texts.LEDE_AND_NAME[1], texts.LEDE_AND_NAME[0]),
    ("اقرأ أيضا", "اقرأ أيضا"),
]
_WORD = regex.compile(r"\S+")


@st.composite
def noisy(draw, text: str) -> str:
    """`text` with diacritics and tatweel inside words, alef variants swapped, punctuation
    added or dropped between words and the spaces changed."""
    out = []
    for word in _WORD.findall(text):
        chars = []
        for c in word:
            if c in ALEF_VARIANTS and draw(st.booleans()):
                c = draw(st.sampled_from(ALEF_VARIANTS))
            chars.append(c)
            if "\u0621" <= c <= "\u064a":
                if draw(st.integers(0, 4)) == 0:
                    chars.append(draw(st.sampled_from(DIACRITICS)))
                if draw(st.integers(0, 6)) == 0:
                    chars.append(TATWEEL)
        word = "".join(chars)
        if draw(st.integers(0, 3)) == 0:
            word = word.rstrip(PUNCTUATION)
        if draw(st.integers(0, 4)) == 0:
            word += draw(st.sampled_from(PUNCTUATION))
        out.append(word)
    return "".join(w + draw(st.sampled_from(SPACES)) for w in out).strip()


@st.composite
def noisy_repeat(draw):
    earlier, later = draw(st.sampled_from(REPEATS))
    return draw(noisy(earlier)), draw(noisy(later))


def test_the_clean_pairs_are_repeats():
    for earlier, later in REPEATS:
        assert find_repeated_paragraphs([earlier, later]) == [None, 0]


@settings(max_examples=150, deadline=None)
@given(noisy_repeat())
def test_spelling_noise_keeps_a_repeat_a_repeat(pair):
    earlier, later = pair
    assert find_repeated_paragraphs([earlier, later]) == [None, 0]
