"""The typed records that flow extract → transform → load, defined once.

Field names of the transform output follow the `akhbar transform` contract (PLOVER's names
for events), so that `dataclasses.asdict` of a `TransformResult` is a contract line.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class FeedConfig:
    name: str
    url: str
    outlet: str
    fetch_articles: bool = True
    allow_private_network: bool = False
    # Whether article pages of this feed are checked against their site's robots.txt.
    respect_robots: bool = True


@dataclass(frozen=True)
class FeedItem:
    """One entry of a parsed feed; `url` is absolute."""
    feed: str
    url: str
    title: str | None = None
    summary: str | None = None
    published: datetime | None = None
    guid: str | None = None
    # When the feed says the item last changed, and a hash of its title and summary:
    # either moving means the article should be fetched again.
    updated: datetime | None = None
    content_hash: str | None = None


@dataclass(frozen=True)
class ExtractedPage:
    """What a page yields once furniture is stripped: paragraphs in reading order."""
    title: str | None
    paragraphs: list[str]
    published: datetime | None = None
    # too short for an article; a news brief if the feed item agrees (see extract_page)
    brief: bool = False


@dataclass
class ArticleInput:
    """One article as the transform reads it (a contract input line)."""
    id: str
    title: str | None = None
    body: str | None = None
    html: str | None = None
    published: str | None = None
    url: str | None = None
    outlet: str | None = None


@dataclass
class Paragraph:
    index: int
    text: str
    duplicate_of: int | None = None
    is_boilerplate: bool = False


@dataclass
class Entity:
    code: str
    entity_text: str | None = None


@dataclass
class Person:
    name: str
    office: str | None = None
    country: str | None = None


@dataclass
class Amount:
    value: float
    currency: str
    text: str


@dataclass
class Agreements:
    count: int | None = None
    sectors: list[str] = field(default_factory=list)


@dataclass
class Location:
    name: str | None = None
    country: str | None = None


@dataclass
class Event:
    event: list[str]
    mode: list[str] = field(default_factory=list)
    quad_code: int | None = None
    date: str | None = None
    actor: list[Entity] = field(default_factory=list)
    recipient: list[Entity] = field(default_factory=list)
    event_loc: Location | None = None
    event_text: str | None = None


@dataclass
class TransformResult:
    id: str | None
    paragraphs: list[Paragraph] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    persons: list[Person] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)
    agreements: Agreements = field(default_factory=Agreements)
    events: list[Event] = field(default_factory=list)
    error: str | None = None
