"""Which feed items a run fetches (pure rules, no database)."""
from datetime import datetime, timedelta, timezone

import pytest

from akhbar.ingest import item_from_record, item_hash, item_record, plan_items
from akhbar.load.staging import LoadedItem
from akhbar.models import FeedConfig, FeedItem

FEED = FeedConfig("wire", "https://wire.test/rss", "وكالة")
T0 = datetime(2025, 3, 2, 9, 0, tzinfo=timezone.utc)


def _item(path, title="عنوان", summary="ملخص", updated=None):
    return FeedItem(feed="wire", url=f"https://wire.test{path}", title=title, summary=summary,
                    published=T0, updated=updated)


def _loaded(item, updated=None):
    return LoadedItem(updated=updated, item_hash=item_hash(item))


def test_new_items_are_staged_under_their_canonical_url_with_the_feeds_link():
    plan = plan_items(FEED, [_item("/a?utm_source=rss&id=7#top")], {}, {}, [])
    assert (plan.new, plan.changed, plan.retried) == (1, 0, 0)
    (staged,) = plan.items
    assert staged.url == "https://wire.test/a?id=7"
    assert staged.link == "https://wire.test/a?utm_source=rss&id=7#top"


def test_the_same_article_linked_twice_is_staged_once():
    plan = plan_items(FEED, [_item("/a?utm_medium=x"), _item("/a#comments"), _item("/a")], {}, {}, [])
    assert [i.url for i in plan.items] == ["https://wire.test/a"]


@pytest.mark.parametrize("now, loaded, refreshed", [
    (_item("/a"), _loaded(_item("/a")), False),                                      # unchanged
    (_item("/a", title="عنوان معدل"), _loaded(_item("/a")), True),                    # feed text changed
    (_item("/a", updated=T0 + timedelta(hours=1)), _loaded(_item("/a"), updated=T0), True),  # later update
    (_item("/a", updated=T0), _loaded(_item("/a"), updated=T0), False),              # same update
    (_item("/a", title="آخر"), LoadedItem(updated=None, item_hash=None), False),     # nothing to compare
])
def test_a_loaded_item_is_fetched_again_only_when_it_changed(now, loaded, refreshed):
    plan = plan_items(FEED, [now], {"https://wire.test/a": loaded}, {}, [])
    assert plan.changed == int(refreshed)
    assert [i.refresh for i in plan.items] == ([True] if refreshed else [])


def test_quarantined_items_wait_for_their_backoff():
    items = [_item("/due"), _item("/waiting")]
    plan = plan_items(FEED, items, {}, {"https://wire.test/due": True, "https://wire.test/waiting": False}, [])
    assert [(i.url, i.retry) for i in plan.items] == [("https://wire.test/due", True)]
    assert (plan.new, plan.retried) == (0, 1)


def test_a_due_item_gone_from_the_feed_is_retried_from_its_quarantine_record():
    gone = plan_items(FEED, [_item("/old")], {}, {}, []).items[0]
    record = item_record(gone)
    plan = plan_items(FEED, [_item("/new")], {}, {gone.url: True}, [record])
    assert [(i.url, i.retry) for i in plan.items] == [("https://wire.test/new", False),
                                                      ("https://wire.test/old", True)]
    retried = plan.items[1]
    assert (retried.title, retried.published, retried.link) == (gone.title, gone.published, gone.link)


def test_a_due_record_of_an_item_loaded_meanwhile_is_not_fetched():
    record = item_record(plan_items(FEED, [_item("/x")], {}, {}, []).items[0])
    plan = plan_items(FEED, [], {"https://wire.test/x": _loaded(_item("/x"))}, {}, [record])
    assert plan.items == []


def test_item_records_round_trip():
    staged = plan_items(FEED, [_item("/r", updated=T0)], {}, {}, []).items[0]
    back = item_from_record(item_record(staged))
    assert (back.url, back.link, back.published, back.updated, back.item_hash) == (
        staged.url, staged.link, staged.published, staged.updated, staged.item_hash)
    assert back.retry
