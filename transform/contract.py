"""The `akhbar transform` contract: JSON Lines of articles in, JSON Lines of results out.

Boilerplate (transform/boilerplate.py) is learned from the input itself, per `outlet`:
when the input is a file (seekable), a first pass counts each outlet's lines over the
articles' `body` texts and the second pass transforms with what it learned. Standard
input is read once and streamed, so nothing is learned from it and no paragraph is
marked `is_boilerplate`: write the stream to a file to have boilerplate found.
"""
from __future__ import annotations

import copy
import dataclasses
import json
from typing import IO

from akhbar.extract.textclean import sanitize
from akhbar.models import ArticleInput, TransformResult
from akhbar.transform.article import transform_article
from akhbar.transform.dates import parse_published
from akhbar.transform.dedup_memory import MemoryStore
from akhbar.transform.textkeys import text_key
from akhbar.transform.paragraphs import split_paragraphs

_INPUT_FIELDS = {f.name for f in dataclasses.fields(ArticleInput)}


def result_to_dict(result: TransformResult) -> dict:
    """The contract dict of a result; an error line carries only `id` and `error`."""
    if result.error:
        return {"id": result.id, "error": result.error}
    out = _as_dict(result)
    out.pop("error", None)
    return out


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
_ATOMS = (str, int, float, bool, type(None))


def _as_dict(value):
    """dataclasses.asdict, for what a result holds (dataclasses, lists, dicts and atoms):
    the same dicts, without asdict's deep copy of every string and number (they cannot
    change) and its look-up of each dataclass's fields on every call."""
    if isinstance(value, _ATOMS):
        return value
    names = _FIELD_NAMES.get(type(value))
    if names is None and dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = _FIELD_NAMES[type(value)] = tuple(f.name for f in dataclasses.fields(value))
    if names is not None:
        return {name: _as_dict(getattr(value, name)) for name in names}
    if type(value) is list:
        return [_as_dict(v) for v in value]
    if type(value) is dict:
        return {_as_dict(k): _as_dict(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, dict)):  # a tuple or a subclass: asdict's own rules
        return dataclasses.asdict(_Wrap(value))["value"]
    return copy.deepcopy(value)


@dataclasses.dataclass
class _Wrap:
    """Anything else (a tuple, a subclass of list) goes through asdict itself."""
    value: object


def _article_from(obj: dict) -> ArticleInput:
    values = {k: obj.get(k) for k in _INPUT_FIELDS}
    values["id"] = None if obj.get("id") is None else str(obj["id"])
    for k, v in values.items():
        if v is not None and not isinstance(v, str):
            values[k] = str(v)
        values[k] = sanitize(values[k])  # no NUL or lone surrogate reaches the results
    return ArticleInput(**values)


def learn_boilerplate(lines) -> MemoryStore:
    """Per-outlet line counts over contract input lines (bodies only: pages are not parsed
    twice); an article's story is its folded body, so exact copies count once."""
    learner = MemoryStore()
    for line in lines:
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("outlet"), str) or not isinstance(obj.get("body"), str):
            continue
        paragraphs = split_paragraphs(obj["body"])
        try:
            day = parse_published(obj.get("published") if isinstance(obj.get("published"), str) else None)
        except (TypeError, ValueError):
            day = None
        story = hash(text_key(" ".join(paragraphs)))
        learner.add(obj["outlet"], story, day, paragraphs)
    return learner


def transform_line(line: str, boilerplate: MemoryStore | None = None) -> dict:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"id": None, "error": f"invalid JSON: {exc.msg} at column {exc.colno}"}
    if not isinstance(obj, dict):
        return {"id": None, "error": "input line is not a JSON object"}
    try:
        article = _article_from(obj)
        known = boilerplate.boilerplate(article.outlet) if boilerplate else frozenset()
        return result_to_dict(transform_article(article, known))
    except Exception as exc:  # one bad article must not stop the stream
        return {"id": obj.get("id"), "error": f"transform failed: {type(exc).__name__}: {exc}"}


def transform_stream(in_fh: IO[str], out_fh: IO[str]) -> int:
    """Transform every line of `in_fh` into one line of `out_fh`, in order; returns the count."""
    learner = None
    if in_fh.seekable():
        start = in_fh.tell()
        learner = learn_boilerplate(in_fh)
        in_fh.seek(start)
    n = 0
    for line in in_fh:
        if not line.strip():
            continue
        out_fh.write(json.dumps(transform_line(line, learner), ensure_ascii=False) + "\n")
        n += 1
    return n
