"""Datelines: where a report was filed ("دبي، الإمارات العربية المتحدة (CNN)--",
"واس - عمان :", "سبق- الرياض:"). The place of filing is no party of the story's events:
an agency's bureau in Dubai does not make the UAE the actor of a call in Cairo."""
from __future__ import annotations

import re

from akhbar.transform.lexicon import read_yaml
from akhbar.transform.normalize import normalize_for_matching
from akhbar.transform.sentences import Sentence

_DATA = read_yaml("datelines.yaml")
_AGENCIES = frozenset(normalize_for_matching(w) for w in _DATA["agencies"])
# what closes a dateline: a dash or a double dash, or an agency in brackets
_CLOSER = re.compile(r"[-–—]|\(\s*[A-Za-z\u0600-\u06ff ]{2,12}\s*\)")
_MAX_TOKENS = _DATA["max_tokens"]
_MAX_BARE_PLACE = 3


def dateline_end(s: Sentence, places: set[int]) -> int:
    """Number of leading tokens of a paragraph's first sentence that are its dateline (0 when
    none): a few words closed by a dash, a colon after a dash, or a bracketed agency, that
    name an agency, or only a place (`places`: token indexes covered by a country or capital)."""
    end = 0
    for k in range(1, min(len(s.tokens), _MAX_TOKENS + 1)):
        gap = s.text[s.spans[k - 1][1]:s.spans[k][0]]
        closes = _CLOSER.search(gap) or (end and ":" in gap)
        if not closes:
            continue
        lead = range(end, k)
        if any(s.tokens[i] in _AGENCIES for i in lead) or all(i in places for i in lead):
            end = k  # "واس - عمان :": the agency, then the place
        else:
            break
    return end
