"""What the e2e tests share: the samples manifest, and the warehouse's views as data."""
from __future__ import annotations

from pathlib import Path

import yaml

from tests.conftest import SAMPLES, query

VIEWS = ["articles_v", "paragraphs_v", "events_v", "article_countries_v", "persons_v", "amounts_v"]


def manifest() -> list[dict]:
    return yaml.safe_load((SAMPLES / "MANIFEST.yaml").read_text(encoding="utf-8"))["articles"]


def page_url(base: str, article: dict) -> str:
    return f"{base}/{article['page']}"


def views_snapshot(url: str) -> dict[str, list]:
    """Every view's rows with run-dependent columns (ids, times) left out, sorted."""
    out = {}
    for view in VIEWS:
        cols = [c for (c,) in query(url, "SELECT column_name FROM information_schema.columns"
                                         " WHERE table_schema = 'akhbar' AND table_name = %s"
                                         " ORDER BY ordinal_position", (view,))
                if not c.endswith("_id") and not c.endswith("_at")]
        out[view] = sorted(query(url, f"SELECT {', '.join(cols)} FROM akhbar.{view}"), key=repr)
    return out


def readme_queries(readme: Path) -> list[str]:
    """The SQL blocks of the README that follow an `<!-- example-query -->` marker."""
    text = readme.read_text(encoding="utf-8")
    blocks = []
    for chunk in text.split("<!-- example-query -->")[1:]:
        body = chunk.split("```sql", 1)[1].split("```", 1)[0]
        blocks.append(body.strip())
    return blocks
