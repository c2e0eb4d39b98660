"""Title and publication date of an article page, from its markup. Pure functions."""
from __future__ import annotations

import email.utils
import json
import re
from datetime import datetime, timezone

from bs4 import BeautifulSoup

_SPACE = re.compile(r"\s+")
# Publication years a news article can have (see `plausible`).
EARLIEST, LATEST = 1800, 2200
# Separators between headline and site name in <title>, strongest first.
_TITLE_SEPARATORS = (" | ", " || ", " – ", " — ", " - ", " :: ", " « ", " » ")
_DATE_META = ("article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate",
              "publish-date", "publication_date", "dc.date.issued", "dcterms.issued", "dc.date",
              "date", "sailthru.date", "parsely-pub-date")


def clean(text: str | None) -> str:
    return _SPACE.sub(" ", text or "").strip()


def page_title(soup: BeautifulSoup) -> str | None:
    """The headline: the article's <h1>, else og:title, else <title> minus the site name."""
    for container in ("article", "main"):
        node = soup.find(container)
        heading = node.find("h1") if node else None
        if heading and clean(heading.get_text(" ")):
            return clean(heading.get_text(" "))
    site = clean(_meta(soup, "og:site_name")) or None
    if clean(_meta(soup, "og:title")):
        return strip_site_name(clean(_meta(soup, "og:title")), site)
    if soup.title and clean(soup.title.get_text()):
        return strip_site_name(clean(soup.title.get_text()), site)
    heading = soup.find("h1")
    return clean(heading.get_text(" ")) or None if heading else None


def strip_site_name(title: str, site_name: str | None = None) -> str:
    """'Headline | Site' → 'Headline'.

    With the site's name known (og:site_name) exactly that is removed, at either end.
    Otherwise only a short trailing segment goes, or a short leading one before " | ":
    "مصر - السودان: اتفاق" is a headline, not "site - headline".
    """
    for sep in _TITLE_SEPARATORS:
        if sep not in title:
            continue
        head, tail = title.rsplit(sep, 1)
        first, rest = title.split(sep, 1)
        if site_name and clean(tail) == site_name:
            return clean(head)
        if site_name and clean(first) == site_name:
            return clean(rest)
        if not site_name and len(tail.strip()) <= 0.6 * len(head.strip()):
            return clean(head)
        if not site_name and sep.strip() == "|" and len(first.strip()) <= 0.6 * len(rest.strip()):
            return clean(rest)
    return title


def _meta(soup: BeautifulSoup, key: str) -> str | None:
    tag = soup.find("meta", attrs={"property": key}) or soup.find("meta", attrs={"name": key})
    return tag.get("content") if tag else None


def page_published(soup: BeautifulSoup) -> datetime | None:
    """Publication time from meta tags, JSON-LD or a <time> element; UTC when no offset."""
    for meta in soup.find_all("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        if key in _DATE_META:
            when = parse_datetime(meta.get("content"))
            if when:
                return when
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        when = _json_ld_date(script.string or "")
        if when:
            return when
    scope = soup.find("article") or soup
    stamp = scope.find("time", attrs={"datetime": True})
    return parse_datetime(stamp["datetime"]) if stamp else None


def parse_datetime(value: str | None) -> datetime | None:
    """ISO 8601 or RFC 2822 text to an aware UTC datetime (UTC assumed when no offset);
    None for an impossible date (see `plausible`)."""
    value = clean(value)
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00").replace(" ", "T", 1))
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
    try:
        when = when.astimezone(timezone.utc) if when.tzinfo else when.replace(tzinfo=timezone.utc)
    except OverflowError:  # year 1 with a positive offset falls before datetime.min
        return None
    return plausible(when)


def plausible(when: datetime | None) -> datetime | None:
    """`when`, or None when no news article can carry it. Year 1 (a CMS default) broke
    date arithmetic downstream (OverflowError); archives reach back decades, not centuries."""
    if when is None or not (EARLIEST <= when.year <= LATEST):
        return None
    return when


def _json_ld_date(text: str) -> datetime | None:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: JSON nested thousands deep
        return None
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            when = parse_datetime(node.get("datePublished")) if isinstance(node.get("datePublished"), str) else None
            if when:
                return when
            stack.extend(v for v in node.values() if isinstance(v, (list, dict)))
    return None
