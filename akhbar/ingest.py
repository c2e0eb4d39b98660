"""Which feed items a run fetches: the incremental part of ingestion, as pure functions.

An item is fetched when the warehouse does not hold its canonical URL yet, when it changed
since it was loaded (a later `updated` date, or other title and summary), or when it sits in
quarantine and its backoff has elapsed. Everything else costs nothing.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime

from akhbar.extract.addresses import redact_url
from akhbar.extract.feeds import content_hash
from akhbar.extract.urls import canonical_url
from akhbar.load.staging import LoadedItem, StagedItem
from akhbar.models import FeedConfig, FeedItem


@dataclass
class Plan:
    items: list[StagedItem] = field(default_factory=list)
    new: int = 0
    changed: int = 0
    retried: int = 0


def item_hash(item: FeedItem) -> str:
    """What the feed says of an item, hashed: a change is worth fetching the page again."""
    return item.content_hash or content_hash(item.title, item.summary)


def _changed(item: FeedItem, digest: str, loaded: LoadedItem) -> bool:
    if item.updated and loaded.updated and item.updated > loaded.updated:
        return True
    return loaded.item_hash is not None and digest != loaded.item_hash


def plan_items(feed: FeedConfig, items: list[FeedItem], loaded: dict[str, LoadedItem],
               waiting: dict[str, bool], due: list[dict]) -> Plan:
    """`loaded`: canonical URL → what the warehouse holds; `waiting`: quarantined URL → due
    now; `due`: quarantined item records due for a retry (see `item_record`)."""
    plan, seen = Plan(), set()
    for item in items:
        url = canonical_url(item.url)
        if url in seen:
            continue
        seen.add(url)
        digest = item_hash(item)
        staged = StagedItem(feed=feed.name, url=url, link=item.url, title=item.title,
                            summary=item.summary, published=item.published, updated=item.updated,
                            item_hash=digest)
        if url in loaded:
            if _changed(item, digest, loaded[url]):
                plan.items.append(_with(staged, refresh=True))
                plan.changed += 1
        elif url in waiting:
            if waiting[url]:
                plan.items.append(_with(staged, retry=True))
                plan.retried += 1
        else:
            plan.items.append(staged)
            plan.new += 1
    for record in due:
        item = item_from_record(record)
        if item.url not in seen and item.url not in loaded:
            seen.add(item.url)
            plan.items.append(_with(item, feed=feed.name, retry=True))
            plan.retried += 1
    return plan


def _with(item: StagedItem, **changes) -> StagedItem:
    return StagedItem(**{**asdict(item), **changes})


def item_record(item: StagedItem) -> dict:
    """A staged item as JSON, kept in quarantine so that a retry needs no feed."""
    record = asdict(item)
    record["link"] = redact_url(record["link"])  # quarantine is stored: no credentials in it
    for key in ("published", "updated"):
        if record[key] is not None:
            record[key] = record[key].isoformat()
    return record


def item_from_record(record: dict) -> StagedItem:
    fields = {k: record.get(k) for k in StagedItem.__dataclass_fields__}
    for key in ("published", "updated"):
        if fields[key]:
            fields[key] = datetime.fromisoformat(fields[key])
    fields["link"] = fields["link"] or fields["url"]
    fields["refresh"], fields["retry"] = False, True
    return StagedItem(**fields)
