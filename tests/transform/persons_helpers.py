"""What the persons tests read: the persons of a text, merged as an article's are."""
from akhbar.transform.persons import merge_persons, persons_in_sentence
from akhbar.transform.sentences import split_sentences


def persons(text):
    return merge_persons([p for s in split_sentences(text) for p in persons_in_sentence(s)])


def names(text):
    return {p.name for p in persons(text)}
