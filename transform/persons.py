"""Named persons with the office written next to them and the country it names.

A person is found from an anchor:
- an office or a role ("وزير الخارجية السعودي عادل الجبير", "الحارس الكوستاريكي …"), an
  honorific ("الشيخ صباح الأحمد …"), the name after them;
- a verb of saying ("وقال جون كيري إن …"), the speaker's name right after it;
- a given name (Arabic ones attested in Wikidata, foreign ones as the press writes them),
  alone or behind و/ب/ل, when the next word can go on a name: another given name, a
  particle, an attested family name, a nisba ("محمد صلاح", "… وياسر الشهراني");
- a name before its office in apposition ("مع ناتالي جاريسكو وزير المالية").
The name is the run of name-like tokens that follows: words without the article (family
names with ال are allowed once the name has started), joined by particles (بن، آل، عبد),
ending at punctuation, a function word, a verb or a word behind a clitic. Given names that
are also ordinary words ("سعيد", "جمال") need more evidence, and the names of roads,
mosques and leagues ("طريق الملك فهد") are no persons. merge_persons keeps one record per
person, a later surname alone resolving to the full name found.
"""
from __future__ import annotations

from functools import lru_cache

from akhbar.models import Person
from akhbar.transform.countries import CountryMention, find_country_mentions
from akhbar.transform.gazetteer import PhraseIndex, proclitic_variants
from akhbar.transform.leaders import leader_alias
from akhbar.transform.lexicon import TOKEN_CACHE, read_tsv, read_word_set, read_yaml, stopwords
from akhbar.transform.normalize import normalize_for_matching
from akhbar.transform.sentences import Sentence

_MAX_NAME_TOKENS = 6
# The article, alone or behind a proclitic ("والوزراء", "بالقصر", "للرئيس").
_DEFINITE = ("وال", "بال", "لل", "ولل")
# Shorter tokens with these letters are names ("والتر").
_MIN_CLITIC_DEFINITE = 6
# "سلطان بن أحمد": a word that is an office elsewhere is a given name before بن / بنت.
_SON_OF = ("بن", "بنت")
_MAX_OFFICE_TOKENS = 12


def _folded_set(words) -> frozenset[str]:
    return frozenset(normalize_for_matching(w) for w in words)


_LEX = read_yaml("offices.yaml")
_HEAD_LIST = _LEX["office_heads"] + _LEX["kin_heads"]
_HEADS: PhraseIndex[str] = PhraseIndex()
for _w in _HEAD_LIST:
    _HEADS.add(_w, "office")
_HONORIFICS: PhraseIndex[str] = PhraseIndex()
for _w in _LEX["honorifics"]:
    _HONORIFICS.add(_w, "honorific")
_COMPLEMENTS = _folded_set(_LEX["office_complements"])
_OFFICE_ADVERBS = _folded_set(_LEX["office_adverbs"])
_PARTICLES = _folded_set(_LEX["name_particles"])
_NOT_NAME = _folded_set(_LEX["not_name"]) | stopwords()
_HEAD_WORDS = _folded_set(w for w in _HEAD_LIST if " " not in w)
# Given names: the hand list, Arabic given names attested in Wikidata (given_names.tsv) and
# foreign given names as the Arabic press writes them (foreign_given_names.tsv).
_HAND_GIVEN = _folded_set(_LEX["given_names"]) | read_word_set("foreign_given_names.tsv") \
    | frozenset("عبد" + w for w in _folded_set(_LEX["after_abd"]))  # "عبدالملك", "عبدالخالق"
# The generated name files are written folded (a test checks it): read without folding again.
_WIKIDATA_GIVEN = {row[0]: int(row[1]) for row in read_tsv("given_names.tsv")}
_GIVEN = _HAND_GIVEN | frozenset(
    w for w in _WIKIDATA_GIVEN.keys() - _folded_set(_LEX["not_given_names"]) - _NOT_NAME - _HEAD_WORDS
    - _COMPLEMENTS if not (w[0] in "وفب" and w[1:] in _NOT_NAME))  # "بان" reads as بأن
# foreign given names: the foreign list, and hand-listed given names that Wikidata's Arabic
# given names lack ("بيب", "يورغن")
_FOREIGN_GIVEN = read_word_set("foreign_given_names.tsv") | (_folded_set(_LEX["given_names"]) - _WIKIDATA_GIVEN.keys())
# Given names borne by many (30 or more in Wikidata): before one, a definite word is a
# family name ("يوسف النعيمات"); before a rarer one it may be a noun phrase.
_FREQUENT_GIVEN = _HAND_GIVEN | (_GIVEN & frozenset(w for w, count in _WIKIDATA_GIVEN.items() if count >= 30))
# Family names attested in Wikidata ("الحربي", "الفواز"): what may follow a given name.
_FAMILY = frozenset(row[0] for row in read_tsv("family_names.tsv")) - _NOT_NAME - _folded_set(_LEX["not_family_names"])
# Given names that are also ordinary words ("سعيد" happy, "جمال" beauty, "خميس" Thursday):
# without an office they open a name only before another given name or a particle.
_COMMON_WORD = _folded_set(_LEX["given_names_common_words"])
# Nouns that stand where a speaker's name could ("وقال مصدر مسؤول", "وأضاف خبراء …").
_SPEAKER_NOUNS = _folded_set(_LEX["speaker_nouns"])
# Verbs of saying after which a bare name is the speaker ("وقال جون كيري إن …").
_SPEECH_VERBS = _folded_set(_LEX["speech_verbs"])
# Nouns before an office or a name that make it the name of a thing ("طريق الملك فهد").
_NAMED_THING = _folded_set(_LEX["named_thing_heads"])
_BAD_ENDINGS = tuple(normalize_for_matching(w) for w in _LEX["not_name_endings"])
# words that are never a name: what may stand before a leader's short name ("وقال ميركل")
NOT_NAMES = _NOT_NAME | _HEAD_WORDS | _folded_set(w.split()[-1] for w in _LEX["honorifics"])


def _is_name_word(tok: str, started: bool, written_he: bool = False) -> bool:
    """`written_he`: the word ends in a written ه after ي, not in ة ("بولييه", "ديدييه")."""
    if tok.isdigit() or len(tok) < 2 and tok not in ("د",):
        return False
    if tok in _NOT_NAME or tok in _HEAD_WORDS or tok in _COMPLEMENTS:
        return False
    # A first word in ة is a verbal noun ("أهمية", "إعادة") unless a known given name; a
    # pronoun suffix never follows the article ("المهنا" is a family name, not "…نا"), and
    # a long vowel before نا is a transliteration ("تشانا", "دونا"), not "our".
    if tok not in _GIVEN and ((tok.endswith(_BAD_ENDINGS) and not tok.startswith("ال")
                               and not (len(tok) >= 5 and tok.endswith(("انا", "ونا")) or len(tok) >= 6 and tok.endswith("ينا")))
                              or (tok.endswith("ه") and len(tok) > 3 and not written_he
                                  and not (started and tok in _FAMILY))):
        return False  # but "محمد الربيعة", "عماد مغنية": a family name in ة, attested as one
    if tok[0] in "وفبل" and tok[1:] in _NOT_NAME and tok not in _GIVEN:  # "فيصل" is no ف + "يصل"
        return False
    if tok.startswith("ال") and tok not in _PARTICLES:
        # "ألفريد", "إلتون", "ألكسندر": a foreign given name folds to a word in ال
        return started or tok in _FOREIGN_GIVEN
    if tok.startswith(_DEFINITE) and len(tok) >= _MIN_CLITIC_DEFINITE and tok not in _GIVEN:
        return False
    if not started and tok[0] == "و" and tok[1:] in _GIVEN and tok not in _GIVEN:
        return False
    return True


_TANWEEN = frozenset("\u064b\u064c\u064d")


def _has_tanween(s: Sentence, j: int) -> bool:
    """Token j carries a nunation mark ("اجتماعاً", "رسميٌ"): a noun or adverb, never a name."""
    return not _TANWEEN.isdisjoint(s.surface(j, j + 1))


_NAME_STOP = frozenset(["عليه", "فيه", "اليه", "لديه", "منه", "عنه", "به", "له", "يديه", "بيديه", "ذويه", "والديه"])


def _written_he(s: Sentence, j: int) -> bool:
    """Token j ends in ه after ي as written (French and other names: "بولييه"), not in ة and
    not in a pronoun ("عليه")."""
    raw = s.surface(j, j + 1)
    return raw.endswith("يه") and len(raw) >= 5 and s.tokens[j] not in _NAME_STOP


def _no_long_vowel(tok: str) -> bool:
    """Written without ا, و or ي: an Arabic verb or noun, where a transliterated name writes its vowels."""
    return not any(c in "اوي" for c in tok)


def _plausible_first(tok: str) -> bool:
    """The first word of a name: no imperfect verb ("يتابع", "يصحو") and no word behind the
    preposition ب or ل ("بشكل", "لحقوق"); transliterated names have a long vowel there
    ("بيليه", "لويس")."""
    if tok in _GIVEN:
        return True
    if len(tok) == 3 and _no_long_vowel(tok):
        return False  # "رفض", "وضع", "دفع": three consonants that are no known given name are a verb or its noun
    if len(tok) >= 4 and (tok[0] == "ي" or (tok[0] == "س" and tok[1] in "يتن")):
        return False  # imperfect and future verbs: "يتابع", "سيتم"
    if len(tok) >= 5 and tok.startswith("ات"):
        return False  # "أتوقع"
    if _looks_like_masdar(tok):
        return False
    # participles: "مؤكدين", "مبينا" (the accusative of circumstance)
    if tok[0] == "م" and (len(tok) >= 6 and tok.endswith(("ين", "ون")) or len(tok) >= 5 and tok.endswith("ا")):
        return False
    if tok[0] == "و" and len(tok) >= 5 and tok[1] == "ا":
        return False  # "وأعضاء": a conjunction, another noun
    if tok[0] == "و" and len(tok) >= 5 and tok[1] in "بلف" and tok[1:] not in _GIVEN and not _plausible_first(tok[1:]):
        return False  # "وبشكل"
    return not (len(tok) >= 4 and tok[0] in "بل" and tok[1] not in "يوا")


_ARABIC_PARTICLES = _folded_set(["بن", "بنت", "ابن", "آل", "أبو", "أبا", "عبد"])


def _arabic_name_word(tok: str) -> bool:
    if tok in _PARTICLES:
        return tok in _ARABIC_PARTICLES  # not "دي", "فون"
    if tok in _FOREIGN_GIVEN and tok.startswith("ال"):
        return False  # "ألكسندر" folds with an article it does not have
    return tok.startswith("ال") or tok in _ARABIC_PARTICLES or tok in _FAMILY or (tok in _GIVEN and tok not in _FOREIGN_GIVEN)


def _looks_like_masdar(tok: str) -> bool:
    """Verbal nouns of the derived forms, which follow an office as its action ("رئيس
    الوزراء تقديم …"): تفعيل (تقديم), افتعال/انفعال (اجتماع، انتخاب), استفعال (استعداد)."""
    return (len(tok) == 5 and tok[0] == "ت" and tok[2] not in "اوي" and tok[3] == "ي") \
        or (len(tok) == 6 and tok[0] == "ا" and (tok[2] == "ت" or tok[1] == "ن") and tok[4] == "ا") \
        or (len(tok) == 7 and tok.startswith("است") and tok[3] not in "اوي" and tok[5] == "ا") \
        or (len(tok) == 5 and tok[0] == "ا" and tok[1] not in "اوي" and tok[3] == "ا")


def _plausible_next(tok: str, strict: bool = False) -> bool:
    """A later word of a name: no imperfect verb, nisba plural ("اقتصاديون") or noun that
    stands for a speaker ("مصدر مسؤول"); `strict` (no office before the name): nor a word
    behind a clitic ب، ل، ف ("بشكل")."""
    if tok in _GIVEN or tok in _PARTICLES or tok.startswith("ال"):
        return True
    if tok in _SPEAKER_NOUNS:
        return False
    # a verbal noun or a broken plural (أفعال: "أطراف", "أسعار") goes on the sentence, not
    # a name: "… وكيم أطراف الحديث"
    if tok not in _FAMILY and tok[1:2] not in ("ا", "و", "ي") and _looks_like_masdar(tok):  # but "توريس"
        return False
    # derived imperfect verbs ("يتفادى", "يستعد", "أتوقع") end even a transliterated name
    if len(tok) >= 5 and tok.startswith(("يت", "يست", "ات")) and tok not in _FAMILY:
        return False
    # after an Arabic name word: no imperfect verb, no word behind a clitic ("بنظام"); a
    # transliterated name may go on with one ("وانغ يلين", "كلاوديا برانت")
    if strict and len(tok) >= 3 and (tok[0] == "ي" or (len(tok) >= 4 and tok[0] in "بلف" and tok[1] not in "يوا")):
        return False
    # nor three consonants that are no name ("تميم بن حمد قرر"), an imperfect or a form-VIII
    # verb ("تمتلك", "اتصل")
    # (transliterated names write their vowels, so after them too)
    if len(tok) == 3 and _no_long_vowel(tok) and tok not in _FAMILY and tok not in _GIVEN:
        return False
    if len(tok) == 4 and tok[0] in "بل" and _no_long_vowel(tok) and tok not in _FAMILY:
        return False  # "بسبب", "لدعم": such a word behind ب or ل, not a transliteration
    if strict and len(tok) >= 4 and ((tok[0] == "ت" and tok[1] not in "اويش") or tok.startswith("ات")):
        return False
    # nor an accusative noun or adverb ("اجتماعا", "رسميا")
    if strict and len(tok) >= 5 and tok.endswith("ا") and tok not in _FAMILY and not tok.endswith(("انا", "ونا", "ينا")):
        return False
    return not (len(tok) >= 6 and tok.endswith(("يون", "يين")))


_AFTER_ALA = _folded_set(_LEX["after_ala"])
_SPORTS_WORDS = _folded_set(read_yaml("article_topics.yaml")["sports"]["words"])


def _name_ends_at(s: Sentence, j: int) -> bool:
    """A name can end before token j: the sentence ends, punctuation, or a name-ending word."""
    return j >= len(s.tokens) or s.breaks[j] or s.tokens[j] in _NOT_NAME or _HEADS.match_at(s.tokens, j) is not None


def _name_run(s: Sentence, i: int, countries: dict[int, CountryMention], conjunct: bool = False,
              after_office: bool = False) -> int:
    """End (exclusive) of the name starting at token i; i when there is none. `conjunct`:
    token i is the conjunction و glued to the name's first word ("وياسر الشهراني");
    `after_office`: an office or honorific stands right before token i."""
    j, n = i, len(s.tokens)
    while j < n and j - i < _MAX_NAME_TOKENS:
        tok = s.tokens[j][1:] if conjunct and j == i else s.tokens[j]
        if j > i and s.breaks[j]:
            break
        if j in countries and not (j == i and _given_not_nisba(s, j, countries)) \
                and not (j > i and s.tokens[j - 1] in _SON_OF and tok in _GIVEN):
            break  # but "فيصل بن تركي": after بن, a given name that is also a nisba
        if tok in _PARTICLES:
            j += 1
            continue
        # "عبد الملك", "عبد الله": after عبد, one of the names of God, whatever it is elsewhere
        if j > i and s.tokens[j - 1] == "عبد" and not tok.isdigit():
            j += 1
            continue
        nxt = s.tokens[j + 1] if j + 1 < n else ""
        if j == i and tok in _HEAD_WORDS and nxt in _SON_OF:
            j += 1
            continue
        # "علي" folds like the preposition "على": a name after a given name, before بن, or
        # before a family name with ال that no phrase of "على" takes ("على الصعيد").
        if tok in _GIVEN and tok in _NOT_NAME and (nxt in _SON_OF or (j > i and s.tokens[j - 1] in _GIVEN) or (
                j == i and (nxt in _FAMILY or leader_alias(nxt)) and not nxt.startswith("ال")) or (
                j == i and nxt.startswith("ال") and nxt not in _AFTER_ALA and _name_ends_at(s, j + 2)
                and (nxt in _FAMILY or nxt.endswith("ي")))):
            j += 1
            continue
        if after_office and ((j == i and _function_word_given(s, j)) or (j == i + 1 and _family_in_teh_marbuta(s, j))):
            j += 1
            continue
        if j > i and tok[0] == "و" and len(tok) > 3 and tok not in _GIVEN and not s.tokens[j - 1] in _PARTICLES:
            break
        if not _is_name_word(tok, started=j > i or _false_article(s, j), written_he=_written_he(s, j)) \
                or _has_tanween(s, j):
            break
        if j == i and not _plausible_first(tok) and nxt not in _SON_OF:  # "سفر بن أحمد"
            break
        # "رئيس مصر شهد صاحب السمو …": an honorific opens the next person
        # "عبدالخالق الحوثي القوات": a definite word after a family name goes on with the
        # name only as another family name ("علي القرة داغي") or a nisba ("عبد الله الثاني")
        if j > i and tok.startswith("ال") and s.tokens[j - 1].startswith("ال") and tok not in _FAMILY \
                and not tok.endswith("ي") and s.tokens[j - 1] not in _PARTICLES \
                and not (j - 2 >= i and s.tokens[j - 2] == "عبد"):
            break
        # after an Arabic name word, a word behind a clitic is no name ("محمد بن سلمان بنظام")
        # from the third word on, every name is held to the Arabic checks: "كيلي تمتلك",
        # "موغيريني حين", "إيمرسون منانغاغوا بشكل" run on into the sentence
        if j > i and (not _plausible_next(tok, strict=(j - i >= 2 and s.tokens[j - 1] not in _PARTICLES)
                                          or _arabic_name_word(s.tokens[j - 1]))
                      or (_HONORIFICS.match_at(s.tokens, j) is not None and s.tokens[j - 1] not in _PARTICLES)):
            break  # but "تركي آل الشيخ": after a particle, a family name
        # "يوسف النعيمات هدف الفوز", "أحمد الروسان التسجيل": a match report goes on after the name
        if j > i and (tok in _SPORTS_WORDS or (tok.startswith("الت") and len(tok) >= 7 and s.tokens[j - 1].startswith("ال"))):
            break
        j += 1
    while j > i and s.tokens[j - 1] in _PARTICLES:
        j -= 1
    return j


# Complements that name a body: the words right after them may be the body's own name.
_BODY_NOUNS = _folded_set(_LEX["body_nouns"])


def _names_the_body(s: Sentence, start: int, end: int, countries: dict[int, CountryMention]) -> bool:
    """"مهاجم نادي ريفر بليت الأرجنتيني", "قناة شركة كوميدي سنترال،": two words right after
    a body noun, then its nisba or the end of the clause, are the body's name; a holder's
    name would follow the body's ("رئيس شركة تويوتا أكيو تويودا")."""
    if end - start != 2 or not start or not any(v in _BODY_NOUNS for v in proclitic_variants(s.tokens[start - 1])[:2]):
        return False
    return end >= len(s.tokens) or s.breaks[end] or end in countries


def _past_leader_in_office(s: Sentence, start: int, end: int, countries: dict[int, CountryMention]) -> tuple[int, int]:
    """"مستشار ترامب الاقتصادي لاري كادلو": a leader's short name in construct with the
    office, its adjective, then the name of the office's holder; the leader is part of the
    office when a name of two words follows the adjectives."""
    if start == 0 or end - start < 3 or not leader_alias(s.tokens[start]) or s.tokens[start - 1].startswith("ال"):
        return start, end
    k = start + 1
    while k < end and s.tokens[k].startswith("ال") and not _false_article(s, k):
        k += 1
    if k == start + 1 or k >= end:
        return start, end
    later_end = _name_run(s, k, countries)
    return (k, later_end) if later_end - k >= 2 else (start, end)


def _false_article(s: Sentence, j: int) -> bool:
    """Token j folds to a word in ال but is written with a hamza or madda on its alef
    ("آلان", "إلفيتش", "ألبرتو"): the article is written with a bare alef, so this is a
    transliterated name's first letters, not a definite noun."""
    return s.tokens[j].startswith("ال") and len(s.tokens[j]) >= 4 and s.surface(j, j + 1)[:1] in "أإآ" \
        and s.tokens[j] not in _NOT_NAME


def _function_word_given(s: Sentence, j: int) -> bool:
    """"اللاعب حسن غواص", "المرشد علي خامنئي": right after an office, a given name that
    folds like a function word (على، حسن "good") is the name when it is written as the name
    (ي, not the preposition's ى) and a name word follows that no phrase of على takes."""
    tok, n = s.tokens[j], len(s.tokens)
    if tok not in _GIVEN or tok not in _NOT_NAME or s.surface(j, j + 1) != tok or j + 1 >= n or s.breaks[j + 1]:
        return False
    nxt = s.tokens[j + 1]
    return not nxt.startswith("ال") and nxt not in _AFTER_ALA and _is_name_word(nxt, True) \
        and _plausible_next(nxt, strict=True) and not _looks_like_masdar(nxt) and not _has_tanween(s, j + 1)


def _family_in_teh_marbuta(s: Sentence, j: int) -> bool:
    """"المهندس محمد العمرة", "الأمين العام عبدالإله مؤمنة": after an office and a given
    name, a word written with ة is a family name where the name ends with it or a last
    name word in ي follows ("علي القرة داغي"); a pronoun's ه ("فريقه") is no ة."""
    prev, tok = s.tokens[j - 1], s.tokens[j]
    if prev not in _GIVEN or prev in _COMMON_WORD or prev in _NOT_NAME or not s.surface(j, j + 1).endswith("ة"):
        return False
    if tok in _NOT_NAME or tok in _HEAD_WORDS or tok in _COMPLEMENTS or len(tok) < 4 or _has_tanween(s, j):
        return False
    if tok[0] == "و" or (s.surface(j - 1, j).endswith("ه") and not prev.startswith("عبد")):
        return False  # "باسمه ونيابة عن": a noun with a pronoun, then a conjunct; "عبدالإله" is a name
    nxt = s.tokens[j + 1] if j + 1 < len(s.tokens) and not s.breaks[j + 1] else ""
    return _name_ends_at(s, j + 1) or (nxt.endswith("ي") and not nxt.startswith("ال") and nxt not in _NOT_NAME
                                       and _plausible_next(nxt, strict=True))


def _given_not_nisba(s: Sentence, j: int, countries: dict[int, CountryMention]) -> bool:
    """"رئيس الهيئة السعودية تركي آل الشيخ": an indefinite nisba that is also a given name,
    after a definite word it cannot qualify, before a particle or a family name, is the name."""
    m = countries[j]
    if m.end != j + 1 or s.tokens[j].startswith("ال") or s.tokens[j] not in _GIVEN:
        return False
    if not j or not s.tokens[j - 1].startswith(("ال",) + _DEFINITE) or m.end >= len(s.tokens) or s.breaks[m.end]:
        return False  # "للثقافة تركي آل الشيخ": the definite word may carry ل or ب
    nxt = s.tokens[m.end]
    return nxt in _ARABIC_PARTICLES or nxt in _FAMILY


def _office_end(s: Sentence, i: int, countries: dict[int, CountryMention]) -> int:
    """Skip the office that starts at token i (head, complements, countries, ال-words, honorifics)."""
    j, n = i, len(s.tokens)
    while j < n and j - i < _MAX_OFFICE_TOKENS:
        if j > i and s.breaks[j] and not (s.tokens[j] in _HONORIFICS_FIRST or _HEADS.match_at(s.tokens, j)):
            break
        if j in countries and not (j > i and _given_not_nisba(s, j, countries)):
            j = countries[j].end
            continue
        m = _HEADS.match_at(s.tokens, j) or _HONORIFICS.match_at(s.tokens, j)
        if m and s.tokens[m.end:m.end + 1] and s.tokens[m.end] in _SON_OF:
            break
        if m:
            j = m.end
            continue
        tok = s.tokens[j]
        base = proclitic_variants(tok)
        if tok in _COMPLEMENTS or any(b in _COMPLEMENTS for b in base[1:2]) or (j > i and tok in _OFFICE_ADVERBS):
            j += 1
            continue
        if tok.startswith(("ال", "لل", "وال")) and tok not in _NOT_NAME and tok not in _FOREIGN_GIVEN \
                and not _false_article(s, j):
            j += 1
            continue  # but "القائد ألكسندر …": a foreign given name folds to ال and opens the name
        # "وزير خارجية المملكة", "قائد عمليات الأنبار": an indefinite noun in construct with
        # a definite one goes on with the office; a given name, a leader's short name, or a
        # word before a definite nisba ("دحيم الشبرمي": a family name) does not
        if j > i and j + 1 < n and not s.breaks[j + 1] and tok not in _GIVEN and tok not in _PARTICLES \
                and tok not in _NOT_NAME and not leader_alias(tok) \
                and not (s.tokens[j + 1].endswith("ي") and len(s.tokens[j + 1]) >= 5 and j + 1 not in countries
                         and not tok.endswith(("ه", "ات", "ون", "ين"))) \
                and (j + 1 in countries or (s.tokens[j + 1].startswith("ال") and s.tokens[j + 1] not in _NOT_NAME
                                            and not _false_article(s, j + 1))):
            j += 1
            continue
        break
    return j


_HONORIFICS_FIRST = frozenset(normalize_for_matching(w).split()[0] for w in _LEX["honorifics"])


def persons_in_sentence(s: Sentence, mentions: list[CountryMention] | None = None) -> list[Person]:
    """Named persons of a sentence; `mentions` are its country mentions when already found."""
    if mentions is None:
        mentions = find_country_mentions(s.tokens)
    countries = {m.start: m for m in mentions}
    out, i, n = [], 0, len(s.tokens)
    spans: list[tuple[int, int]] = []  # where each name found stands
    tokens, breaks = s.tokens, s.breaks
    while i < n:
        # most tokens open nothing: no office, honorific or given name, no apposition start
        if not _could_open(tokens[i]) and not breaks[i] and not (i and tokens[i - 1] in _OPENS_NAME) \
                and tokens[i] not in _SPEECH_VERB_FORMS:
            i += 1
            continue
        if i and breaks[i] and _opens_a_quote(s, i) and _names_a_thing(tokens[i - 1]):
            # 'مطار "مهر آباد"': the quoted words name the thing, up to the closing quote
            i += 1
            while i < n and not breaks[i]:
                i += 1
            continue
        if i and not breaks[i] and _names_a_thing(tokens[i - 1]):
            # "طريق الملك فهد", "جامع خالد بن الوليد": the name of a road or a mosque
            i = max(_name_run(s, _office_end(s, i, countries), countries), i + 1)
            continue
        anchor = _HEADS.match_at(s.tokens, i) or _HONORIFICS.match_at(s.tokens, i)
        if anchor is None and i + 2 < n and _name_before_office(s, i, countries):
            # "مع ناتالي جاريسكو وزير المالية في أوكرانيا": the office after the name
            out.append(_person(s, i, i, i + 2, mentions, office_after=True))
            spans.append((i, i + 2))
            i = _past_apposed_office(s, i + 2, countries)
            continue
        if anchor is not None:
            start = _office_end(s, i, countries)
            if start > i and start < n and s.breaks[start] and s.tokens[start][:1] == "و" \
                    and s.tokens[start] not in _GIVEN:
                i = start  # "الوزير، وفاليريا …": a new conjunct, not this office's name
                continue
            end = _name_run(s, start, countries, after_office=True)
            # "لاعب وسط مانشستر سيتي الألماني إيلكاي غندوغان": a club or body, its nisba,
            # then the name.
            if end > start and end in countries:
                later = countries[end].end
                while later in countries:
                    later = countries[later].end
                later_end = _name_run(s, later, countries)
                if later_end - later >= 2:
                    start, end = later, later_end
            start, end = _past_leader_in_office(s, start, end, countries)
            if _names_the_body(s, start, end, countries):
                i = end
                continue
            lone = end - start == 1 and _lone_name_after_office(s, start, countries, mentions)
            if end - start == 1 and end < n and s.breaks[end] and not lone:
                # "المدير التنفيذي لشركة توشيبا، هيساو تاناكا،": the word after the office ends
                # its body; the name stands after the comma, set off as an apposition
                later_end = _name_run(s, end, countries)
                if later_end - end >= 2 and (later_end >= n or s.breaks[later_end]):
                    start, end = end, later_end
            if end - start >= 2 or (end - start == 1 and (lone or (
                    s.tokens[start] not in _GIVEN and end < n and s.tokens[end] in ("الثاني", "السادس")))):
                out.append(_person(s, i, start, end, mentions))
                spans.append((start, end))
                i = end
                continue
            i = max(start, i + 1)
            continue
        if tokens[i] in _SPEECH_VERB_FORMS and i + 1 < n and not breaks[i + 1]:
            # "وقال جون كيري إن …": the name words right after a verb of saying
            end = _name_run(s, i + 1, countries)
            if (2 <= end - i - 1 <= 4 or (end == i + 2 and _lone_speaker(s, i + 1))) \
                    and _speaker_name(tokens[i + 1:end]) and _ends_a_speaker(s, end, countries):
                out.append(_person(s, i + 1, i + 1, end, mentions, office_after=True))
                spans.append((i + 1, end))
                i = _past_apposed_office(s, end, countries)
                continue
        # without an office, "علي" (folded like "على") opens a name only before بن; a given
        # name that is also a word ("سعيد", "جمال") only before another given name or a particle
        # "… وياسر الشهراني", "الإطاحة بمعمر القذافي": a given name behind the conjunction و
        # or the preposition ب/ل opens a name as well (the preposition only before a family name)
        conjunct = tokens[i] not in _GIVEN and tokens[i][:1] in "وبل" and tokens[i][1:] in _GIVEN \
            and tokens[i] not in _NOT_NAME and tokens[i][1:] not in _NAMED_THING \
            and (tokens[i][:1] == "و" or tokens[i][1:] in _FREQUENT_GIVEN and tokens[i][1:] not in _COMMON_WORD)
        first = tokens[i][1:] if conjunct else tokens[i]
        if first in _GIVEN and (i == 0 or s.tokens[i - 1] not in _PARTICLES) and (
                first not in _NOT_NAME or s.tokens[i + 1:i + 2] and s.tokens[i + 1] in _SON_OF) and \
                i + 1 < n and not breaks[i + 1] and _second_name_word(
                    first, tokens[i + 1], tokens[i + 2] if i + 2 < n and not breaks[i + 2] else "") and (
                tokens[i][:1] == "و" or not conjunct or tokens[i + 1] in _FAMILY or tokens[i + 1] in _ARABIC_PARTICLES
                or (tokens[i + 1].startswith("ال") and tokens[i + 1].endswith("ي"))):
            end = _name_run(s, i, countries, conjunct)
            if end - i >= 2:
                out.append(_person(s, i, i, end, mentions, office_after=True, conjunct=conjunct))
                spans.append((i, end))
                i = _past_apposed_office(s, end, countries)
                continue
        i += 1
    kept = [(person, span) for person, span in zip(out, spans) if not _credit_line(s, *span)]
    if not kept:  # a list needs a name found to vouch for it
        return []
    return [person for person, _ in kept] + _listed_names(s, [span for _, span in kept], countries, mentions)


_CREDIT_WORDS = _folded_set(["تصوير", "بقلم", "إعداد", "كتب", "كتبه", "رسم", "تحرير", "متابعة", "عدسة"])


def _credit_line(s: Sentence, start: int, end: int) -> bool:
    """A by-line or a credit, whose name is no person of the news: the writer's name before a
    dash and the outlet ("سامي الأحمد – صحيفة اليوم"), a body paragraph that is a name and
    nothing else (the signature under a report), or a name after "تصوير:" or "بقلم"."""
    if start and s.tokens[start - 1] in _CREDIT_WORDS and (start == 1 or s.breaks[start - 1]):
        return True
    if start:
        return False
    if end >= len(s.tokens):
        return s.paragraph >= 0
    gap = s.text[s.spans[end - 1][1]:s.spans[end][0]]
    return any(d in gap for d in "-–—")


def _listed_names(s: Sentence, spans: list[tuple[int, int]], countries: dict[int, CountryMention],
                  mentions: list[CountryMention]) -> list[Person]:
    """Names coordinated with a name found: "… خالد العمري ومحمد جحفلي وحسن معاذ" goes on
    after it behind و, and "لجين الهذلول، وعزيزة اليوسف" reaches back over the comma to the
    item before it. A list of names vouches for its items: a given name and one more word
    suffice, where a name standing alone would need a family name attested as one."""
    out, taken = [], {k for a, b in spans for k in range(a, b)}
    for a, b in sorted(spans):
        k = b
        while k < len(s.tokens) and k not in taken:
            end = _list_item_end(s, k, countries)
            if end - k < 2:
                break
            out.append(_person(s, k, k, end, mentions, conjunct=True))
            taken.update(range(k, end))
            k = end
        while a >= 2 and s.breaks[a] and s.tokens[a][:1] == "و" and not s.breaks[a - 1] \
                and not taken & {a - 2, a - 1} and not countries.keys() & {a - 2, a - 1}:
            first = s.tokens[a - 2]
            behind_and = s.breaks[a - 2] and first[:1] == "و" and first not in _GIVEN
            if not _list_pair(first[1:] if behind_and else first, s.tokens[a - 1]):
                break
            out.append(_person(s, a - 2, a - 2, a, mentions, conjunct=behind_and))
            taken.update((a - 2, a - 1))
            a -= 2
    return out + _one_word_items(s, taken, mentions)


def _one_word_items(s: Sentence, taken: set[int], mentions: list[CountryMention]) -> list[Person]:
    """Between two names of a list, single words behind و are names too: a line-up gives
    family names or nicknames alone ("… محمد العمري وكواك والسالم ومحمد البريك …")."""
    out, n, k = [], len(s.tokens), 0
    while k < n:
        if k in taken or not (k and k - 1 in taken):
            k += 1
            continue
        j = k
        while j < n and j not in taken and not s.breaks[j] and _one_word_item(s.tokens[j]):
            j += 1
        if j > k and j < n and j in taken and s.tokens[j][:1] == "و":
            out.extend(_person(s, m, m, m + 1, mentions, conjunct=True) for m in range(k, j))
        k = max(j, k + 1)
    return out


def _one_word_item(tok: str) -> bool:
    word = tok[1:]
    return tok[:1] == "و" and len(word) >= 3 and word not in _NOT_NAME and word not in _HEAD_WORDS \
        and word not in _SPEAKER_NOUNS and word not in _COMPLEMENTS and _is_name_word(word, True) \
        and _plausible_next(word, strict=True)


def _list_item_end(s: Sentence, k: int, countries: dict[int, CountryMention]) -> int:
    """End of the name behind و at token k in a list of names; k when there is none."""
    tok = s.tokens[k]
    if tok[:1] != "و" or len(tok) < 3 or k + 1 >= len(s.tokens) or s.breaks[k + 1] or k in countries:
        return k
    if not _list_pair(tok[1:], s.tokens[k + 1]):
        return k
    if tok[1:] not in _GIVEN and not _name_ends_at(s, k + 2) and s.tokens[k + 2][:1] != "و":
        return k  # two unknown words are an item only where the item ends: "وصنداي فالي،"
    end = _name_run(s, k, countries, conjunct=True)
    # past its first two words, an item goes on only with name words the lists know
    # ("وأوكيشوكو غابريل هدفين": the object of the verb follows)
    for j in range(k + 2, end):
        tok = s.tokens[j]
        if not (tok in _GIVEN or tok in _FAMILY or tok in _PARTICLES or tok.startswith("ال")):
            end = j
            break
    return end if end - k >= 2 else k


def _list_pair(first: str, second: str) -> bool:
    """Two words that make an item of a list of names: a given name (even one that is an
    ordinary word: "سالم", "إيمان") and a family name with or without the article, or two
    transliterated words that cannot be a verb, a noun behind a clitic or an adverb."""
    if second in _NOT_NAME or second in _HEAD_WORDS or second in _SPEAKER_NOUNS or not _is_name_word(second, True):
        return False
    if first in _GIVEN:
        if second.startswith("ال"):
            return not second.endswith(("ات", "ون", "ين")) and second not in _AFTER_ALA
        return second in _GIVEN or second in _FAMILY or _plausible_next(second, strict=True)
    return len(first) >= 4 and not second.startswith("ال") and first not in _NOT_NAME \
        and _is_name_word(first, False) and _plausible_first(first) and _plausible_next(second, strict=True) \
        and _plausible_next(first, strict=True)


def _second_name_word(first: str, tok: str, after: str = "") -> bool:
    """Without an office, what may follow a given name: another given name, a particle
    ("بن", "آل", "عبد"), a family name attested as one or with a nisba's ending
    ("الحربي"); after a foreign given name any name-like word ("جون كيري"). A given name
    that is also an ordinary word ("سعيد", "جمال") needs a given name or a particle."""
    if tok in _NOT_NAME:
        # "قادر على": the preposition folds like the name علي, which goes on a name only
        # before another name ("محمد علي العمري")
        return tok in _GIVEN and first not in _COMMON_WORD and (after in _GIVEN or (
            after.startswith("ال") and after not in _AFTER_ALA and after not in _NOT_NAME))
    if tok in _PARTICLES or (tok in _GIVEN and tok not in _COMMON_WORD):
        return True
    if first in _COMMON_WORD or not _plausible_next(tok, strict=first not in _FOREIGN_GIVEN) or tok in _NOT_NAME:
        return False
    if tok in _FAMILY:
        return True
    if tok.startswith("ال"):
        # a definite verbal noun or broken plural is the object, not a family name: "رياض
        # الأطفال" (kindergartens), "سعود الاجتماع"
        if _looks_like_masdar(tok[2:]):
            return False
        return first in _FREQUENT_GIVEN or (len(tok) >= 5 and tok.endswith("ي"))
    return first in _FOREIGN_GIVEN and len(tok) >= 3


def _past_apposed_office(s: Sentence, end: int, countries: dict[int, CountryMention]) -> int:
    """Where reading goes on after a name: past the office in apposition to it ("إيلكاي
    غندوغان لاعب وسط مانشستر سيتي"), which is that person's office, not the anchor of another."""
    if end < len(s.tokens) and _HEADS.match_at(s.tokens, end) is not None:
        return max(_office_end(s, end, countries), end + 1)
    return end


_QUOTES = frozenset('«"“”\'')


def _opens_a_quote(s: Sentence, i: int) -> bool:
    """Only an opening quote stands between tokens i-1 and i: 'مطار "مهر آباد"' quotes a
    name that still belongs to the noun before it."""
    gap = s.text[s.spans[i - 1][1]:s.spans[i][0]].strip()
    return bool(gap) and all(c in _QUOTES for c in gap)


def _names_a_thing(tok: str) -> bool:
    """"طريق", "لجامعة", "بمستشفى": a place or body named after a person."""
    return any(v in _NAMED_THING for v in proclitic_variants(tok)[:2])


_SPEECH_VERB_FORMS = _SPEECH_VERBS | frozenset(c + v for v in _SPEECH_VERBS for c in ("و", "ف"))


def _speaker_name(words: list[str]) -> bool:
    """Words after a verb of saying that make a name: no particle first ("آل …"), no noun
    for a speaker ("مصدر", "رجل أعمال"), no construct plural or dual ("مسؤولو", "والدا"),
    no adverb in the accusative ("مازحا")."""
    if words[0] in _PARTICLES or _names_a_thing(words[0]):
        return False  # "وأعلن مستشفى ألبرت أينشتاين": a body named after a person speaks
    for k, w in enumerate(words):
        if w in _SPEAKER_NOUNS or (w not in _GIVEN and len(w) >= 5 and w.endswith("ا")):
            return False
        # a construct plural is a participle ("مسؤولو", "موظفو") or stands before its definite
        # noun; a transliterated name ends in و too ("كونياكو سايتو", "ماريو")
        if w not in _GIVEN and len(w) >= 5 and w.endswith("و") and (
                w[0] == "م" or (k + 1 < len(words) and words[k + 1].startswith("ال"))):
            return False
    return True


_HE_SHE = _folded_set(["وهو", "وهي"])


def _lone_speaker(s: Sentence, j: int) -> bool:
    """'وقالت مريم وهي معلمة …': a speaker named by a given name alone, whom the clause then
    describes ("وهو …", "وهي …"); a given name that is also a word ("سعيد", "أمل") may be an
    adjective or a noun."""
    tok = s.tokens[j]
    if tok not in _GIVEN or tok in _COMMON_WORD or tok in _NOT_NAME or j + 1 >= len(s.tokens):
        return False
    return s.tokens[j + 1] in _HE_SHE


def _ends_a_speaker(s: Sentence, end: int, countries: dict[int, CountryMention]) -> bool:
    """A speaker's name ends the clause: punctuation, "إن/أن", a preposition, an office in
    apposition ("… كيري وزير الخارجية") or a nisba."""
    if end >= len(s.tokens) or s.breaks[end] or end in countries:
        return True
    tok = s.tokens[end]
    return tok in _NOT_NAME or _HEADS.match_at(s.tokens, end) is not None


def _lone_name_after_office(s: Sentence, j: int, countries: dict[int, CountryMention],
                            mentions: list[CountryMention] = ()) -> bool:
    """One word after an office is a name ("المرشد خامنئي", "البائع العماني أمجد") when it
    is a leader's short name, or a given name and the clause goes on with punctuation, a
    preposition or a verb of saying."""
    tok = s.tokens[j]
    if tok.startswith("ال") or tok in _COMMON_WORD or len(tok) < 3 or tok in _NOT_NAME or tok in _SPEAKER_NOUNS:
        return False
    if leader_alias(tok):
        return True
    nxt = j + 1
    ends = nxt >= len(s.tokens) or s.breaks[nxt] or (s.tokens[nxt] in _NOT_NAME and nxt not in countries) \
        or _HEADS.match_at(s.tokens, nxt) is not None
    # "المدرب الروماني كوزمين": an indefinite word after the definite nisba cannot be its
    # adjective; it is the name, and so is it before و, a verb of three letters or a noun
    # behind ل ("مدربه اليوناني دونيس رفض", "اللاعب اليوناني المصاب سامراس وبيع")
    if (ends or _after_lone_name(s.tokens[nxt])) and _behind_definite_nisba(s, j, mentions) \
            and len(tok) >= 4 and _plausible_first(tok) and not tok.endswith(("ا", "ه")) and tok not in _SPEAKER_NOUNS:
        return True
    if tok not in _GIVEN:
        return False  # "لاعب أرسنال", "الفريق مبكرا": a club or an adverb, not a name
    return nxt >= len(s.tokens) or s.breaks[nxt] or (s.tokens[nxt] in _NOT_NAME and nxt not in countries)


def _after_lone_name(tok: str) -> bool:
    """What may follow a one-word name after its nisba: a conjunction, a past verb of three
    letters ("رفض"), a noun behind the preposition ل ("لصالح")."""
    return tok[:1] == "و" or (len(tok) == 3 and _no_long_vowel(tok)) \
        or (len(tok) >= 4 and tok[0] == "ل" and tok[1] not in "اوي")


def _behind_definite_nisba(s: Sentence, j: int, mentions: list[CountryMention]) -> bool:
    """A definite nisba stands before token j, or before the definite adjectives that come
    right before it ("البرازيلي السابق", "اليوناني المصاب")."""
    k = j
    while k > 0 and s.tokens[k - 1].startswith("ال") and not any(m.end == k for m in mentions) and j - k < 2:
        k -= 1
    return any(m.end == k and m.kind == "adj" and s.tokens[m.end - 1].startswith("ال") for m in mentions)


_OPENS_NAME = frozenset({"مع"})


@lru_cache(maxsize=TOKEN_CACHE)
def _could_open(tok: str) -> bool:
    """Whether `tok` may start an office, an honorific or a name by a given name."""
    return tok in _GIVEN or (tok[:1] in "وبل" and tok[1:] in _GIVEN) \
        or bool(_HEADS.candidates(tok) or _HONORIFICS.candidates(tok))


def _name_before_office(s: Sentence, i: int, countries: dict[int, CountryMention]) -> bool:
    """Two name words at i, right after "مع" or punctuation, then an office head and its
    complement: wire copy's "…، فاليريا كونتاريفا محافظ المصرف المركزي"."""
    toks = s.tokens
    if not (s.breaks[i] or (i and toks[i - 1] in _OPENS_NAME)):
        return False
    first = toks[i][1:] if toks[i][:1] == "و" and s.breaks[i] else toks[i]
    if i in countries or i + 1 in countries or (first in _GIVEN and _second_name_word(first, toks[i + 1])):
        return False  # a given name is found by the given-name rule
    if not (_is_name_word(first, False) and _is_name_word(toks[i + 1], True)) or toks[i + 1].startswith("ال"):
        return False
    if len(first) < 3 or len(toks[i + 1]) < 3 or s.breaks[i + 1]:
        return False
    # an imperfect verb ("يأتي", "يستدعي") is no name word here: without an office before it,
    # a name must look like one
    if any(t[:1] == "ي" and t not in _GIVEN for t in (first, toks[i + 1])):
        return False
    head = _HEADS.match_at(toks, i + 2)
    if head is None or head.end >= len(toks):
        return False
    nxt = toks[head.end]
    if not (nxt.startswith("ال") or nxt in _COMPLEMENTS or head.end in countries):
        return False
    # an apposition: the office runs to punctuation or the end ("… محافظ المصرف المركزي الأوكراني.")
    # or to "في <country>"; an office followed by more words is the subject of what came before
    end = _office_end(s, i + 2, countries)
    if end < len(toks) and toks[end] == "في" and end + 1 in countries:
        end = countries[end + 1].end
    return end >= len(toks) or s.breaks[end]


def _person(s: Sentence, office_start: int, name_start: int, name_end: int,
            mentions: list[CountryMention], office_after: bool = False, conjunct: bool = False) -> Person:
    name = s.surface(name_start, name_end).strip("#_ ").replace("_", " ")
    if conjunct and name[:1] in "وبل":
        name = name[1:]  # "وياسر الشهراني": the conjunction is no part of the name
    if office_after and s.breaks[name_start] and s.tokens[name_start][:1] == "و" and name[:1] == "و" \
            and s.tokens[name_start][1:] not in _GIVEN and s.tokens[name_start] not in _GIVEN:
        name = name[1:]  # "، وفاليريا كونتاريفا محافظ …": the conjunction is no part of the name
    if office_after:
        o_end = _office_end(s, name_end, {m.start: m for m in mentions}) if name_end < len(s.tokens) and _HEADS.match_at(s.tokens, name_end) else name_end
        office_span = (name_end, o_end)
    else:
        office_span = (office_start, name_start)
    office = _without_proclitic(s.surface(*office_span).strip("،, ")) or None
    # "النجم المصري محمد صلاح", "لاعب ريال مدريد الألماني توني كروس": the nisba right
    # before the name, else the first country of the office.
    country = next((m.code for m in mentions if m.end == name_start and m.kind == "adj"), None) or \
        next((m.code for m in mentions if office_span[0] <= m.start < office_span[1] and m.code != "?"), None)
    return Person(name=name, office=office, country=country)


def merge_persons(persons: list[Person]) -> list[Person]:
    """One record per person: a name that starts another keeps the longer, two readings that
    share their first words beyond a given name ("محمد بن سلمان تلقائيا", "محمد بن سلمان
    بنظام") keep what they share, and a one-word name is the person of a longer name that
    ends with it ("هاميلتون" after "لويس هاميلتون") or stands alone."""
    out: list[Person] = []
    keys: list[list[str]] = []
    for p in persons:
        key = normalize_for_matching(p.name).replace("عبد ", "عبد").split()
        if not key:
            continue
        merged = False
        for k, other in enumerate(keys):
            short, long_ = (key, other) if len(key) <= len(other) else (other, key)
            if len(short) >= 2 and long_[:len(short)] == short:
                if len(key) > len(other):
                    keys[k] = key
                    out[k] = Person(p.name, p.office or out[k].office, p.country or out[k].country)
                elif out[k].office is None or out[k].country is None:
                    out[k] = Person(out[k].name, out[k].office or p.office, out[k].country or p.country)
                merged = True
                break
            common = _common_prefix(key, other)
            if common >= 3:
                words = out[k].name.split()
                if len(words) == len(other):
                    keys[k] = other[:common]
                    out[k] = Person(" ".join(words[:common]), out[k].office or p.office, out[k].country or p.country)
                merged = True
                break
        if not merged:
            keys.append(key)
            out.append(p)
    # one-word names: part of a longer name of the article, else a person of one name
    singles = [k for k, key in enumerate(keys) if len(key) == 1]
    long_words = {w for key in keys if len(key) >= 2 for w in key}
    drop = {k for k in singles if keys[k][0] in long_words}
    for k in singles:
        if k in drop:
            for j, key in enumerate(keys):
                if len(key) >= 2 and keys[k][0] in key and (out[j].office is None or out[j].country is None):
                    out[j] = Person(out[j].name, out[j].office or out[k].office, out[j].country or out[k].country)
                    break
    seen_single: set[str] = set()
    result = []
    for k, p in enumerate(out):
        if k in drop:
            continue
        if len(keys[k]) == 1:
            if keys[k][0] in seen_single:
                continue
            seen_single.add(keys[k][0])
        result.append(p)
    return result


def _common_prefix(a: list[str], b: list[str]) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[n] == b[n]:
        n += 1
    return n


def _without_proclitic(office: str) -> str:
    """"ورئيس جمهورية …", "بنائب رئيس …", "لرئيس …": the office as a title, without the
    conjunction or preposition the sentence glued to it."""
    first, _, rest = office.partition(" ")
    for clitic in ("و", "ب", "ل", "ف"):
        if first.startswith(clitic) and _HEADS.match_at([normalize_for_matching(first[1:])], 0) is not None:
            return (first[1:] + " " + rest).strip()
    return office
