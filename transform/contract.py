"""The `akhbar transform` contract: JSON Lines of articles in, JSON Lines of results out."""
from __future__ import annotations

import dataclasses
import json
from typing import IO

from akhbar.models import ArticleInput, TransformResult
from akhbar.transform.article import transform_article

_INPUT_FIELDS = {f.name for f in dataclasses.fields(ArticleInput)}


def result_to_dict(result: TransformResult) -> dict:
    """The contract dict of a result; an error line carries only `id` and `error`."""
    if result.error:
        return {"id": result.id, "error": result.error}
    out = dataclasses.asdict(result)
    out.pop("error", None)
    return out


def _article_from(obj: dict) -> ArticleInput:
    values = {k: obj.get(k) for k in _INPUT_FIELDS}
    values["id"] = None if obj.get("id") is None else str(obj["id"])
    for k, v in values.items():
        if v is not None and not isinstance(v, str):
            values[k] = str(v)
    return ArticleInput(**values)


def transform_line(line: str) -> dict:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"id": None, "error": f"invalid JSON: {exc.msg} at column {exc.colno}"}
    if not isinstance(obj, dict):
        return {"id": None, "error": "input line is not a JSON object"}
    try:
        return result_to_dict(transform_article(_article_from(obj)))
    except Exception as exc:  # one bad article must not stop the stream
        return {"id": obj.get("id"), "error": f"transform failed: {type(exc).__name__}: {exc}"}


def transform_stream(in_fh: IO[str], out_fh: IO[str]) -> int:
    """Transform every line of `in_fh` into one line of `out_fh`, in order; returns the count."""
    n = 0
    for line in in_fh:
        if not line.strip():
            continue
        out_fh.write(json.dumps(transform_line(line), ensure_ascii=False) + "\n")
        n += 1
    return n
