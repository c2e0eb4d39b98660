"""Transform throughput against its floor: one camel-tools normalization pass over the
same text, measured in the same process so that machine noise cancels."""
from __future__ import annotations

import time

from akhbar.models import ArticleInput
from akhbar.transform.article import transform_article
from akhbar.transform.normalize import normalize_for_matching


def _inputs(articles: list[dict]) -> list[ArticleInput]:
    return [ArticleInput(id=a.get("id") or str(n), title=a.get("title"), body=a.get("body"),
                         published=a.get("published"), url=a.get("url"), outlet=a.get("outlet"))
            for n, a in enumerate(articles)]


def run(articles: list[dict]) -> dict:
    inputs = _inputs(articles)
    start = time.process_time()
    for a in inputs:
        normalize_for_matching(a.title)
        normalize_for_matching(a.body)
    floor = time.process_time() - start
    start = time.process_time()
    errors = sum(1 for a in inputs if transform_article(a).error)
    spent = time.process_time() - start
    return {
        "articles": len(inputs),
        "errors": errors,
        "cpu_seconds": round(spent, 3),
        "floor_cpu_seconds": round(floor, 3),
        "articles_per_s_per_core": round(len(inputs) / spent, 1) if spent else None,
        "ratio_to_floor": round(spent / floor, 2) if floor else None,
    }
