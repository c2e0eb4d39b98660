"""What each page reads, and the checks its parameters pass first.

Every query takes its values as bound parameters; a parameter is checked (type, range,
membership in akhbar.countries or the PLOVER categories) before any query runs, and a bad
one raises BadParameter, which the app answers with 400 and the message.

Counting follows docs/warehouse.md: a story republished by several outlets is one story.
A dyad is an (actor, recipient) pair of an event as dyad_daily_v counts it, unordered on
the overview; the dyad timeline also shows the events both countries take part in
together (a joint statement, a joint call on a third country).
"""
from __future__ import annotations

import re
import threading
import time
from datetime import date, timedelta

from akhbar_ui.warehouse import Warehouse

CATEGORIES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT",
              "REQUEST", "ACCUSE", "REJECT", "SANCTION", "THREATEN",
              "PROTEST", "MOBILIZE", "COERCE", "ASSAULT")
MAX_LIMIT = 500
MAX_PERIOD_DAYS = 3700
DEFAULT_PERIOD_DAYS = 90
DAG_ID = "arabic_news_daily"
_CODE = re.compile(r"[A-Za-z]{3}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class BadParameter(ValueError):
    """A request parameter the pages cannot use; its message says which and why."""


class NotFound(LookupError):
    pass


def _shown(value: str, width: int = 40) -> str:
    """A bad value as the message quotes it: printable, bounded."""
    text = "".join(ch if ch.isprintable() else "?" for ch in str(value))
    return repr(text if len(text) <= width else text[:width] + "…")


class Countries:
    """akhbar.countries, read once and again every ten minutes."""

    def __init__(self, warehouse: Warehouse, ttl: float = 600):
        self._wh = warehouse
        self._ttl = ttl
        self._names: dict[str, dict] = {}
        self._at = 0.0
        self._lock = threading.Lock()

    def names(self) -> dict[str, dict]:
        with self._lock:
            if not self._names or time.monotonic() - self._at > self._ttl:
                rows = self._wh.fetch("SELECT country_code, name_ar, name_en FROM akhbar.countries")
                self._names = {r["country_code"]: {"ar": r["name_ar"], "en": r["name_en"]} for r in rows}
                self._at = time.monotonic()
            return self._names

    def check(self, value: str | None, name: str = "country") -> str | None:
        if value is None or value == "":
            return None
        if not _CODE.fullmatch(value):
            raise BadParameter(f"{name} must be an ISO 3166-1 alpha-3 code such as PAK, not {_shown(value)}")
        code = value.upper()
        if code not in self.names():
            raise BadParameter(f"{name} {code} is not a country code the warehouse knows (akhbar.countries)")
        return code


def check_date(value: str | None, name: str) -> date | None:
    if value is None or value == "":
        return None
    if not _DATE.fullmatch(value):
        raise BadParameter(f"{name} must be a date written YYYY-MM-DD, not {_shown(value)}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadParameter(f"{name} {value} is not a calendar date") from None


def check_category(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    if value.upper() not in CATEGORIES:
        raise BadParameter(f"category must be a PLOVER category ({', '.join(CATEGORIES)}), not {_shown(value)}")
    return value.upper()


def check_limit(value: str | None, default: int, name: str = "limit") -> int:
    if value is None or value == "":
        return default
    if not re.fullmatch(r"[0-9]{1,9}", value):
        raise BadParameter(f"{name} must be a whole number from 1 to {MAX_LIMIT}, not {_shown(value)}")
    n = int(value)
    if not 1 <= n <= MAX_LIMIT:
        raise BadParameter(f"{name} must be from 1 to {MAX_LIMIT}, not {n}")
    return n


def check_id(value: str, name: str = "article id") -> int:
    if not re.fullmatch(r"[0-9]{1,18}", value or "") or int(value) < 1:
        raise BadParameter(f"{name} must be a positive whole number, not {_shown(value)}")
    return int(value)


def latest_day(wh: Warehouse) -> date:
    """The latest day with a dyad, a date read wrongly into the future left out."""
    rows = wh.fetch("SELECT max(day) AS day FROM akhbar.dyad_daily_v WHERE day <= current_date")
    return rows[0]["day"] or date.today()


def period(wh: Warehouse, start: str | None, end: str | None) -> tuple[date, date]:
    """The period asked for; by default the 90 days up to the latest day with a dyad
    (the samples and archives are not of today)."""
    s, e = check_date(start, "start"), check_date(end, "end")
    if e is None:
        e = latest_day(wh)
        if s is not None and s > e:
            e = s
    if s is None:
        s = e - timedelta(days=DEFAULT_PERIOD_DAYS - 1)
    if s > e:
        raise BadParameter(f"start {s} is after end {e}: the period must run forwards")
    if (e - s).days + 1 > MAX_PERIOD_DAYS:
        raise BadParameter(f"the period may span at most {MAX_PERIOD_DAYS} days, not {(e - s).days + 1}")
    return s, e


# --- overview --------------------------------------------------------------------------

# Dated events by the event_date index, undated ones by their article's publication time.
SQL_DAILY = """
WITH ev AS (
    SELECT ev.event_date AS day, ev.category, ev.event_id, a.story_id
    FROM akhbar.events ev
    JOIN akhbar.articles a USING (article_id)
    WHERE ev.event_date BETWEEN %(start)s AND %(end)s
      AND (%(category)s::text IS NULL OR ev.category = %(category)s)
    UNION ALL
    SELECT (a.published_at AT TIME ZONE 'UTC')::date, ev.category, ev.event_id, a.story_id
    FROM akhbar.articles a
    JOIN akhbar.events ev USING (article_id)
    WHERE ev.event_date IS NULL
      AND a.published_at >= %(start)s AND a.published_at < %(end)s::date + 1
      AND (%(category)s::text IS NULL OR ev.category = %(category)s)
)
SELECT ev.day, ev.category, c.quad_code, c.quad_name,
       count(DISTINCT ev.story_id) AS stories, count(*) AS events
FROM ev
JOIN akhbar.plover_categories c USING (category)
WHERE ev.day BETWEEN %(start)s AND %(end)s
  AND (%(country)s::text IS NULL OR EXISTS (
       SELECT 1 FROM akhbar.event_parties p
       WHERE p.event_id = ev.event_id AND p.country_code = %(country)s))
GROUP BY 1, 2, 3, 4
ORDER BY 1, 3, 2
"""

# Unordered country pairs from the materialized dyad_daily_v. A story that reports both
# directions of a pair, or several categories, on one day counts once per row there;
# the sum is therefore an upper bound on stories, exact for the common one-event story.
SQL_PAIRS = """
SELECT least(actor, recipient) AS a, greatest(actor, recipient) AS b,
       sum(stories) AS stories, sum(articles) AS articles, sum(events) AS events,
       max(outlets) AS max_outlets
FROM akhbar.dyad_daily_v
WHERE day BETWEEN %(start)s AND %(end)s
  AND (%(category)s::text IS NULL OR category = %(category)s)
  AND (%(country)s::text IS NULL OR actor = %(country)s OR recipient = %(country)s)
GROUP BY 1, 2
ORDER BY stories DESC, articles DESC, a, b
LIMIT %(limit)s
"""

SQL_SECTORS = """
SELECT s.sector, sum(g.agreements_count) AS agreements, count(*) AS stories
FROM akhbar.agreements_v g
CROSS JOIN LATERAL unnest(CASE WHEN cardinality(g.sectors) = 0 THEN ARRAY['unspecified']
                               ELSE g.sectors END) AS s(sector)
WHERE g.day BETWEEN %(start)s AND %(end)s
  AND (%(country)s::text IS NULL OR %(country)s = ANY (g.parties))
GROUP BY 1
ORDER BY agreements DESC, stories DESC, 1
"""

# amounts_by_dyad_v's rows, for the stories published in the period: the period's first
# publications that report money are found first (by the publication index), then their pairs.
SQL_MONEY = """
WITH arts AS (
    SELECT a.article_id, a.story_id
    FROM akhbar.articles a
    WHERE a.published_at >= %(start)s AND a.published_at < %(end)s::date + 1
      AND a.duplicate_of IS NULL
      AND EXISTS (SELECT 1 FROM akhbar.amounts m WHERE m.article_id = a.article_id)
), pairs AS (
    SELECT DISTINCT e.article_id, arts.story_id,
           least(act.country_code, rec.country_code) AS country_a,
           greatest(act.country_code, rec.country_code) AS country_b
    FROM arts
    JOIN akhbar.events e ON e.article_id = arts.article_id
    JOIN akhbar.event_parties act ON act.event_id = e.event_id AND act.role = 'actor'
    JOIN akhbar.event_parties rec ON rec.event_id = e.event_id AND rec.role = 'recipient'
    WHERE act.country_code <> rec.country_code
      AND (%(country)s::text IS NULL OR %(country)s IN (act.country_code, rec.country_code))
)
SELECT p.country_a, p.country_b, am.currency, count(*) AS amounts,
       count(DISTINCT p.story_id) AS stories, sum(am.value) AS total_value,
       sum(am.value_usd) AS total_usd
FROM pairs p
JOIN akhbar.amounts_v am ON am.article_id = p.article_id
GROUP BY 1, 2, 3
ORDER BY total_usd DESC NULLS LAST, stories DESC, 1, 2, 3
LIMIT %(limit)s
"""

SQL_EVENT_COUNTRIES = """
SELECT DISTINCT code FROM (
    SELECT actor AS code FROM akhbar.dyad_daily_v UNION SELECT recipient FROM akhbar.dyad_daily_v
) c ORDER BY 1
"""


def overview(wh: Warehouse, countries: Countries, *, start=None, end=None, country=None,
             category=None, limit=None) -> dict:
    country = countries.check(country)
    category = check_category(category)
    limit = check_limit(limit, 30)
    s, e = period(wh, start, end)
    p = {"start": s, "end": e, "country": country, "category": category, "limit": limit}
    with wh.transaction() as cur:
        out = {}
        for key, sql in (("daily", SQL_DAILY), ("pairs", SQL_PAIRS), ("sectors", SQL_SECTORS),
                         ("money", SQL_MONEY), ("event_countries", SQL_EVENT_COUNTRIES)):
            cur.execute(sql, p)
            out[key] = [dict(r) for r in cur.fetchall()]
    out["event_countries"] = [r["code"] for r in out["event_countries"]]
    out["period"] = {"start": s, "end": e}
    out["filters"] = {"country": country, "category": category, "limit": limit}
    return out


# --- dyad timeline ---------------------------------------------------------------------

SQL_DYAD = """
SELECT e.event_id, e.category, c.quad_code, e.modes, e.event_date,
       coalesce(e.event_date, (a.published_at AT TIME ZONE 'UTC')::date) AS day,
       e.actors, e.recipients, e.evidence, e.location_name, e.location_country,
       a.article_id, a.story_id, a.url, a.title, o.name AS outlet, a.published_at,
       a.agreements_count, a.sectors, a.duplicate_of
FROM akhbar.events e
JOIN akhbar.articles a USING (article_id)
JOIN akhbar.feeds f USING (feed_id)
JOIN akhbar.outlets o ON o.outlet_id = f.outlet_id
LEFT JOIN akhbar.plover_categories c ON c.category = e.category
WHERE e.event_id IN (SELECT event_id FROM akhbar.event_parties WHERE country_code = %(a)s
                     INTERSECT
                     SELECT event_id FROM akhbar.event_parties WHERE country_code = %(b)s)
  AND (%(start)s::date IS NULL OR coalesce(e.event_date, (a.published_at AT TIME ZONE 'UTC')::date) >= %(start)s)
  AND (%(end)s::date IS NULL OR coalesce(e.event_date, (a.published_at AT TIME ZONE 'UTC')::date) <= %(end)s)
  AND (%(category)s::text IS NULL OR e.category = %(category)s)
ORDER BY day, a.story_id, e.category, a.published_at, a.article_id, e.event_id
"""

SQL_AMOUNTS = """
SELECT article_id, value, currency, text, value_usd FROM akhbar.amounts_v
WHERE article_id = ANY (%(ids)s) ORDER BY article_id, value DESC
"""

SQL_TOP_PAIRS = """
SELECT least(actor, recipient) AS a, greatest(actor, recipient) AS b, sum(stories) AS stories
FROM akhbar.dyad_daily_v GROUP BY 1, 2 ORDER BY stories DESC, 1, 2 LIMIT 12
"""


def top_pairs(wh: Warehouse) -> list[dict]:
    return wh.fetch(SQL_TOP_PAIRS)


def dyad(wh: Warehouse, countries: Countries, *, a=None, b=None, start=None, end=None,
         category=None, limit=None) -> dict:
    """Every event of the pair in time order; the articles of one story (a text and its
    republications) reporting the same event are one entry with their outlets."""
    if not a or not b:
        raise BadParameter("a dyad needs two countries: a=PAK&b=KGZ")
    a, b = countries.check(a, "a"), countries.check(b, "b")
    if a == b:
        raise BadParameter(f"a and b must be two different countries, not {a} twice")
    s, e = check_date(start, "start"), check_date(end, "end")
    if s and e and s > e:
        raise BadParameter(f"start {s} is after end {e}: the period must run forwards")
    category = check_category(category)
    limit = check_limit(limit, 100)
    with wh.transaction() as cur:
        cur.execute(SQL_DYAD, {"a": a, "b": b, "start": s, "end": e, "category": category})
        rows = cur.fetchall()
        entries = _dyad_entries(rows)
        shown = list(entries.values())[:limit]
        cur.execute(SQL_AMOUNTS, {"ids": sorted({x["article_id"] for x in shown})})
        amounts: dict[int, list] = {}
        for r in cur.fetchall():
            amounts.setdefault(r["article_id"], []).append(dict(r))
    for entry in shown:
        entry["amounts"] = amounts.get(entry.pop("article_id"), [])
        entry["outlets"] = len({x["outlet"] for x in entry["articles"]})
    return {"a": a, "b": b, "period": {"start": s, "end": e}, "category": category,
            "events": shown, "total": len(entries), "truncated": len(entries) > limit}


def _dyad_entries(rows) -> dict[tuple, dict]:
    entries: dict[tuple, dict] = {}
    for r in rows:
        key = (r["day"], r["story_id"], r["category"], tuple(r["actors"]), tuple(r["recipients"]))
        entry = entries.get(key)
        if entry is None:
            entry = entries[key] = {
                "day": r["day"], "event_date": r["event_date"], "category": r["category"],
                "quad_code": r["quad_code"], "modes": r["modes"], "actors": r["actors"],
                "recipients": r["recipients"], "evidence": r["evidence"],
                "location": r["location_name"], "story_id": r["story_id"],
                "event_ids": [], "articles": [], "agreements_count": r["agreements_count"],
                "sectors": r["sectors"], "article_id": r["article_id"],
            }
        entry["event_ids"].append(r["event_id"])
        if all(x["article_id"] != r["article_id"] for x in entry["articles"]):
            entry["articles"].append({"article_id": r["article_id"], "url": r["url"], "title": r["title"],
                                      "outlet": r["outlet"], "published_at": r["published_at"],
                                      "republication": r["duplicate_of"] is not None})
    return entries


# --- article ---------------------------------------------------------------------------

SQL_ARTICLE = """
SELECT a.article_id, a.url, a.title, a.published_at, a.fetched_at, a.story_id, a.version,
       a.agreements_count, a.sectors, o.name AS outlet, f.name AS feed, a.run_id,
       a.duplicate_of, d.url AS duplicate_of_url, d.title AS duplicate_of_title
FROM akhbar.articles a
JOIN akhbar.feeds f USING (feed_id)
JOIN akhbar.outlets o ON o.outlet_id = f.outlet_id
LEFT JOIN akhbar.articles d ON d.article_id = a.duplicate_of
WHERE a.article_id = %(id)s
"""

SQL_PARAGRAPHS = """
SELECT p.position, p.text, p.is_boilerplate, p.duplicate_of_article, p.duplicate_of_position,
       d.url AS duplicate_of_url, d.title AS duplicate_of_title, o.name AS duplicate_of_outlet
FROM akhbar.paragraphs p
LEFT JOIN akhbar.articles d ON d.article_id = p.duplicate_of_article
LEFT JOIN akhbar.feeds f ON f.feed_id = d.feed_id
LEFT JOIN akhbar.outlets o ON o.outlet_id = f.outlet_id
WHERE p.article_id = %(id)s
ORDER BY p.position
"""

SQL_STORY = """
SELECT a.article_id, a.url, a.title, o.name AS outlet, a.published_at
FROM akhbar.articles a
JOIN akhbar.feeds f USING (feed_id)
JOIN akhbar.outlets o ON o.outlet_id = f.outlet_id
WHERE a.story_id = %(story)s AND a.article_id <> %(id)s
ORDER BY a.published_at, a.article_id
"""

SQL_ARTICLE_FACTS = {
    "countries": """SELECT ac.country_code, c.name_ar, c.name_en FROM akhbar.article_countries ac
                    LEFT JOIN akhbar.countries c USING (country_code)
                    WHERE ac.article_id = %(id)s ORDER BY 1""",
    "persons": """SELECT name, office, country_code FROM akhbar.persons
                  WHERE article_id = %(id)s ORDER BY ordinal""",
    "amounts": """SELECT value, currency, text, value_usd FROM akhbar.amounts_v
                  WHERE article_id = %(id)s""",
    "events": """SELECT event_id, category, modes, event_date, actors, recipients, evidence, quad_code
                 FROM akhbar.events_v WHERE article_id = %(id)s ORDER BY event_id""",
}


def article(wh: Warehouse, article_id: str) -> dict:
    aid = check_id(article_id)
    with wh.transaction() as cur:
        cur.execute(SQL_ARTICLE, {"id": aid})
        row = cur.fetchone()
        if row is None:
            raise NotFound(f"no article {aid} in the warehouse")
        out = {"article": dict(row)}
        cur.execute(SQL_PARAGRAPHS, {"id": aid})
        out["paragraphs"] = [dict(r) for r in cur.fetchall()]
        cur.execute(SQL_STORY, {"story": row["story_id"], "id": aid})
        out["same_story"] = [dict(r) for r in cur.fetchall()]
        for key, sql in SQL_ARTICLE_FACTS.items():
            cur.execute(sql, {"id": aid})
            out[key] = [dict(r) for r in cur.fetchall()]
    return out


# --- feed health -----------------------------------------------------------------------

SQL_FEEDS = """
WITH fetches AS (
    SELECT rf.feed_id, count(*) AS fetches_30d,
           avg(rf.bytes) FILTER (WHERE NOT rf.not_modified AND rf.status = 'ok' AND rf.bytes > 0) AS full_bytes
    FROM akhbar.run_feeds rf
    WHERE rf.finished_at > now() - interval '30 days'
    GROUP BY rf.feed_id
)
SELECT h.feed, h.outlet, h.url, h.last_status, h.last_fetch_at, h.last_success_at,
       h.consecutive_failed_days, h.last_error, h.items_per_day, h.median_latency_s,
       h.bytes_30d, h.not_modified_30d, h.conditional_get,
       coalesce(x.fetches_30d, 0) AS fetches_30d,
       round(coalesce(x.full_bytes, 0) * h.not_modified_30d) AS bytes_saved_30d,
       (h.last_status = 'failed' OR h.consecutive_failed_days > 0) AS failing
FROM akhbar.feed_health_v h
JOIN akhbar.feeds f ON f.name = h.feed
LEFT JOIN fetches x ON x.feed_id = f.feed_id
ORDER BY failing DESC, h.consecutive_failed_days DESC, h.feed
"""

SQL_FEED_DAYS = """
SELECT f.name AS feed, r.logical_date AS day, sum(rf.items_new) AS items_new,
       bool_or(rf.status = 'failed') AS failed
FROM akhbar.run_feeds rf
JOIN akhbar.runs r USING (run_id)
JOIN akhbar.feeds f USING (feed_id)
WHERE r.logical_date > (SELECT max(logical_date) FROM akhbar.runs) - 30
GROUP BY 1, 2
ORDER BY 1, 2
"""

SQL_RUNS = """
SELECT run_id, logical_date, started_at, finished_at, status, feeds_ok, feeds_failed,
       items_seen, articles_new, articles_duplicate, paragraphs_duplicate, events, quarantined,
       round(extract(epoch FROM finished_at - started_at)::numeric, 1) AS seconds
FROM akhbar.runs_v
ORDER BY started_at DESC, run_id DESC
LIMIT %(limit)s
"""

SQL_RUN_FAILED_FEEDS = """
SELECT rf.run_id, f.name AS feed
FROM akhbar.run_feeds rf JOIN akhbar.feeds f USING (feed_id)
WHERE rf.status = 'failed' AND rf.run_id = ANY (%(runs)s)
ORDER BY 1, 2
"""

SQL_QUARANTINE = """
SELECT stage, reason, http_status, count(*) AS items, array_agg(DISTINCT feed ORDER BY feed) AS feeds,
       max(attempts) AS max_attempts, bool_and(permanent) AS all_permanent,
       max(seen_at) AS last_seen, min(next_retry_at) AS next_retry_at,
       (array_agg(last_run_id ORDER BY seen_at DESC))[1] AS last_run_id
FROM akhbar.quarantine_v
GROUP BY stage, reason, http_status
ORDER BY items DESC, stage, reason
LIMIT %(limit)s
"""


def feed_health(wh: Warehouse, *, limit=None) -> dict:
    limit = check_limit(limit, 20)
    with wh.transaction() as cur:
        cur.execute(SQL_FEEDS)
        feeds = [dict(r) for r in cur.fetchall()]
        cur.execute(SQL_FEED_DAYS)
        days: dict[str, list] = {}
        for r in cur.fetchall():
            days.setdefault(r["feed"], []).append({"day": r["day"], "items_new": r["items_new"],
                                                   "failed": r["failed"]})
        cur.execute(SQL_RUNS, {"limit": limit})
        runs = [dict(r) for r in cur.fetchall()]
        cur.execute(SQL_RUN_FAILED_FEEDS, {"runs": [r["run_id"] for r in runs]})
        failed: dict[str, list] = {}
        for r in cur.fetchall():
            failed.setdefault(r["run_id"], []).append(r["feed"])
        cur.execute(SQL_QUARANTINE, {"limit": limit})
        quarantine = [dict(r) for r in cur.fetchall()]
    for f in feeds:
        f["days"] = days.get(f["feed"], [])
    for r in runs:
        r["failed_feeds"] = failed.get(r["run_id"], [])
        r["airflow"] = not r["run_id"].startswith("cli__")
    return {"dag_id": DAG_ID, "feeds": feeds, "runs": runs, "quarantine": quarantine,
            "filters": {"limit": limit}}


#: name → (SQL, sample parameters) of every query the pages run, for EXPLAIN in tests and bench.
def explainable(sample_day: date, a: str = "PAK", b: str = "KGZ") -> dict[str, tuple[str, dict]]:
    s, e = sample_day - timedelta(days=DEFAULT_PERIOD_DAYS - 1), sample_day
    ov = {"start": s, "end": e, "country": None, "category": None, "limit": 30}
    return {
        "overview.daily": (SQL_DAILY, ov),
        "overview.daily[country]": (SQL_DAILY, {**ov, "country": a}),
        "overview.pairs": (SQL_PAIRS, ov),
        "overview.sectors": (SQL_SECTORS, ov),
        "overview.money": (SQL_MONEY, ov),
        "overview.event_countries": (SQL_EVENT_COUNTRIES, {}),
        "dyad.events": (SQL_DYAD, {"a": a, "b": b, "start": None, "end": None, "category": None}),
        "dyad.top_pairs": (SQL_TOP_PAIRS, {}),
        "article.article": (SQL_ARTICLE, {"id": 1}),
        "article.paragraphs": (SQL_PARAGRAPHS, {"id": 1}),
        "feeds.feeds": (SQL_FEEDS, {}),
        "feeds.days": (SQL_FEED_DAYS, {}),
        "feeds.runs": (SQL_RUNS, {"limit": 20}),
        "feeds.quarantine": (SQL_QUARANTINE, {"limit": 20}),
    }
