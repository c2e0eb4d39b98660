"""Corpus articles turned into what the loader takes: transformed StagedArticles."""
from __future__ import annotations

import json
from pathlib import Path

from akhbar.load.staging import StagedArticle
from akhbar.transform.contract import transform_line
from bench.corpus import published, read_lines, utc_now

FEED = "bench-corpus"


def staged_articles(path: Path, limit: int, skip: int = 0, feed: str = FEED,
                    url_prefix: str = "https://bench.invalid/") -> list[StagedArticle]:
    """`limit` corpus articles from `skip` on, transformed, earliest first (the order the
    loader's "first seen" follows); articles the transform rejects are left out."""
    out = []
    for n, line in enumerate(read_lines(path, limit, skip)):
        article = json.loads(line)
        result = transform_line(line)
        if result.get("error"):
            continue
        out.append(StagedArticle(
            feed=feed, url=f"{url_prefix}{skip + n}/{article.get('id')}", title=article.get("title"),
            published=published(article), body=article.get("body") or "", fetched_at=utc_now(),
            result=result))
    return sorted(out, key=lambda a: (a.published is None, a.published or utc_now(), a.url))
