"""Sentences of a paragraph, with folded tokens that point back into the original text."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import regex

from akhbar.transform.normalize import fold_keeping_length
from akhbar.transform.tokens import WORD

# Full stop, question marks, exclamation, Arabic semicolon; a dot between digits (7.2) or
# after a single letter (initials) is not an end.
_SENTENCE_END = re.compile(r"(?<!\d)(?<!\b\w)[.!?؟؛](?!\d)\s*|(?<=\d)\.(?!\d)\s*")
_PUNCT = re.compile(r"[^\w\s]")
# Quotation marks, brackets and the hashtag sign wrap words without ending a clause
# ("أعلنت مصر إرسال "مساعدات" إلى الخرطوم").
_CLAUSE_PUNCT = re.compile(r"[^\w\s\"'«»“”„‘’()\[\]{}#]")
# tokens.WORD and what stands before it
_GAP_AND_WORD = regex.compile(rf"([^\p{{L}}\p{{N}}]*)({WORD.pattern})")


@dataclass
class Sentence:
    text: str                     # as written
    folded: str                   # normalize_for_matching form, same length in characters
    tokens: list[str] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)  # token → (start, end) in text
    breaks: list[bool] = field(default_factory=list)  # punctuation right before the token
    clause_breaks: list[bool] = field(default_factory=list)  # such punctuation, not only quotes or brackets
    paragraph: int = -1

    def surface(self, start: int, end: int) -> str:
        """The original text of tokens start..end-1."""
        if start >= end:
            return ""
        return self.text[self.spans[start][0]:self.spans[end - 1][1]]


def make_sentence(text: str, paragraph: int = -1) -> Sentence:
    folded, offsets = fold_keeping_length(text)
    s = Sentence(text=text, folded=folded, paragraph=paragraph)
    end = 0
    tokens, spans, breaks, clause_breaks = s.tokens, s.spans, s.breaks, s.clause_breaks
    # each word (tokens.WORD) with the gap before it, in one pass of the regex engine
    for gap, word in _GAP_AND_WORD.findall(folded):
        start = end + len(gap)
        end = start + len(word)
        tokens.append(word)
        spans.append((start, end) if offsets is None else (offsets[start], offsets[end]))
        # between two words only spaces and punctuation can stand (most often one space)
        punct = gap != " " and bool(gap) and not gap.isspace() and bool(_PUNCT.search(gap))
        breaks.append(punct)
        clause_breaks.append(punct and bool(_CLAUSE_PUNCT.search(gap)))
    return s


def split_sentences(paragraph: str, index: int = -1) -> list[Sentence]:
    out, start = [], 0
    for m in _SENTENCE_END.finditer(paragraph):
        chunk = paragraph[start:m.end()].strip()
        if chunk:
            out.append(make_sentence(chunk, index))
        start = m.end()
    rest = paragraph[start:].strip()
    if rest:
        out.append(make_sentence(rest, index))
    return out
