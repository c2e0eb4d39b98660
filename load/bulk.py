"""Set-based writes of a batch load: its rows are copied (COPY, text format) into temporary
tables, then merged into each warehouse table with one INSERT … SELECT … ON CONFLICT, so
that the statements a batch costs do not grow with its articles.

The temporary tables live for the session and are emptied before each use and at commit;
they have no index or constraint (the warehouse's checks run on the merge).
"""
from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

# name → columns of each temporary table
TABLES = {
    "load_articles": "article_id bigint, url text, feed_id integer, run_id text, title text,"
                     " published_at timestamptz, fetched_at timestamptz, body_fingerprint text,"
                     " story_id bigint, duplicate_of bigint, agreements_count integer, sectors text[],"
                     " link text, item_updated_at timestamptz, item_hash text, is_brief boolean",
    "load_paragraphs": "article_id bigint, position integer, text text, fingerprint text,"
                       " is_boilerplate boolean, duplicate_of_article bigint, duplicate_of_position integer",
    "load_bands": "band_key bigint, day date, article_id bigint, position integer",
    "load_positions": "line_key bigint, article_id bigint, position integer",
    "load_lines": "outlet text, line_key bigint, stories integer, first_day date, last_day date, length integer",
    "load_items": "article_id bigint, item_updated_at timestamptz, item_hash text",
    "load_countries": "article_id bigint, country_code text",
    "load_persons": "article_id bigint, ordinal integer, name text, office text, country_code text",
    "load_amounts": "article_id bigint, ordinal integer, value numeric, currency text, text text",
    "load_events": "seq integer, article_id bigint, ordinal integer, category text, modes text[],"
                   " quad_code smallint, event_date date, actors text[], recipients text[],"
                   " location_country text, location_name text, evidence text",
}

def _escaped(text: str) -> str:
    """A text field of COPY's text format."""
    if "\\" in text or "\n" in text or "\r" in text or "\t" in text:
        return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return text


def _array_item(value) -> str:
    if value is None:
        return "NULL"
    return '"' + _text(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _text(value) -> str:
    """A value as PostgreSQL's text input reads it (what psycopg2 would have sent)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (int, float, Decimal)):
        return repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "{" + ",".join(_array_item(v) for v in value) + "}"
    raise TypeError(f"can't adapt type '{type(value).__name__}'")


# the common types first, without a chain of isinstance checks (a batch has ~10^5 fields)
_FAST = {str: _escaped, int: str, type(None): lambda _: "\\N", bool: lambda v: "t" if v else "f"}


def _field(value) -> str:
    fast = _FAST.get(type(value))
    return fast(value) if fast else _escaped(_text(value))


def copy_rows(cur, table: str, rows) -> int:
    """COPY `rows` into the temporary `table` (emptied first); return how many. With none,
    the table is left as it is: every caller reads it only when this returned rows."""
    buf = io.StringIO()
    n = 0
    for row in rows:
        buf.write("\t".join(map(_field, row)))
        buf.write("\n")
        n += 1
    if n:
        cur.execute(f"TRUNCATE pg_temp.{table}")
        buf.seek(0)
        cur.copy_expert(f"COPY pg_temp.{table} FROM STDIN", buf)
    return n


def create_tables(cur) -> None:
    """The session's temporary tables, created once (one statement)."""
    cur.execute("".join(f"CREATE TEMP TABLE IF NOT EXISTS {name} ({columns}) ON COMMIT DELETE ROWS;"
                        for name, columns in TABLES.items()))


# The merges, one statement per warehouse table.
INSERT_ARTICLES = (
    "INSERT INTO akhbar.articles (article_id, url, feed_id, run_id, title, published_at, fetched_at,"
    " body_fingerprint, story_id, duplicate_of, agreements_count, sectors, link, item_updated_at,"
    " item_hash, is_brief)"
    " SELECT article_id, url, feed_id, run_id, title, published_at, fetched_at, body_fingerprint,"
    "  story_id, duplicate_of, agreements_count, sectors, link, item_updated_at, item_hash, is_brief"
    " FROM pg_temp.load_articles t"
    # originals first (%s false), then the republications of this batch's originals (true):
    # a URL a concurrent load took first is found before anything points at its article
    " WHERE (t.duplicate_of IS NOT NULL AND EXISTS ("
    "  SELECT 1 FROM pg_temp.load_articles o WHERE o.article_id = t.duplicate_of)) = %s"
    " ORDER BY article_id"
    " ON CONFLICT (md5(url)) DO NOTHING RETURNING url")
INSERT_PARAGRAPHS = (
    "INSERT INTO akhbar.paragraphs (article_id, position, text, fingerprint, is_boilerplate,"
    " duplicate_of_article, duplicate_of_position)"
    " SELECT * FROM pg_temp.load_paragraphs ORDER BY article_id, position"
    " ON CONFLICT (article_id, position) DO NOTHING")
INSERT_BANDS = (
    "INSERT INTO akhbar.paragraph_bands (band_key, day, article_id, position)"
    # in key order: the primary key's btree is filled page by page, not at random
    " SELECT * FROM pg_temp.load_bands ORDER BY akhbar.band_bucket(day), band_key, day, article_id, position"
    " ON CONFLICT DO NOTHING")
INSERT_POSITIONS = (
    "INSERT INTO akhbar.paragraph_lines (line_key, article_id, position)"
    " SELECT * FROM pg_temp.load_positions ORDER BY line_key, article_id, position ON CONFLICT DO NOTHING")
COUNT_LINES = (
    "INSERT INTO akhbar.outlet_lines AS o (outlet, line_key, stories, first_day, last_day, length)"
    " SELECT * FROM pg_temp.load_lines ORDER BY outlet, line_key"
    " ON CONFLICT (outlet, line_key) DO UPDATE SET stories = o.stories + EXCLUDED.stories,"
    "  first_day = LEAST(o.first_day, EXCLUDED.first_day),"
    "  last_day = GREATEST(o.last_day, EXCLUDED.last_day)")
# lines that crossed the boilerplate bar: marked wherever the outlet printed them
MARK_BOILERPLATE = (
    "UPDATE akhbar.paragraphs p SET is_boilerplate = true"
    " FROM unnest(%s::text[], %s::bigint[]) AS c(outlet, line_key), akhbar.paragraph_lines l,"
    "  akhbar.articles a, akhbar.feeds f"
    " WHERE l.line_key = c.line_key AND p.article_id = l.article_id AND p.position = l.position"
    "  AND a.article_id = l.article_id AND f.feed_id = a.feed_id AND f.outlet = c.outlet"
    "  AND NOT p.is_boilerplate")
REMEMBER_ITEMS = (
    "UPDATE akhbar.articles a SET item_updated_at = t.item_updated_at, item_hash = t.item_hash"
    " FROM pg_temp.load_items t WHERE a.article_id = t.article_id")
INSERT_FACTS = (
    "INSERT INTO akhbar.article_countries (article_id, country_code)"
    " SELECT * FROM pg_temp.load_countries ON CONFLICT DO NOTHING",
    "INSERT INTO akhbar.persons (article_id, ordinal, name, office, country_code)"
    " SELECT * FROM pg_temp.load_persons ON CONFLICT DO NOTHING",
    "INSERT INTO akhbar.amounts (article_id, ordinal, value, currency, text)"
    " SELECT * FROM pg_temp.load_amounts ON CONFLICT DO NOTHING",
    # event ids follow the batch's order, as they did row by row
    "INSERT INTO akhbar.events (article_id, ordinal, category, modes, quad_code, event_date, actors,"
    " recipients, location_country, location_name, evidence)"
    " SELECT article_id, ordinal, category, modes, quad_code, event_date, actors, recipients,"
    "  location_country, location_name, evidence FROM pg_temp.load_events ORDER BY seq"
    " ON CONFLICT (article_id, ordinal) DO NOTHING",
)
