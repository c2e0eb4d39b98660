"""An article loaded on its own, with statements of its own, where the batch's set-based
path (load/writer.py) does not go: a refresh (its old text moves to article_versions,
other articles' pointers follow it) and an original loaded after its copy (it becomes the
first of the story). Both are rare; the batch's earlier articles are written before it,
so the warehouse store (dedup_index.PgStore) sees what a load in order would have seen.
"""
from __future__ import annotations

from dataclasses import dataclass

from akhbar.load import dedup_index, versions
from akhbar.load.batch_store import pointer
from akhbar.transform import dedup


@dataclass
class Loaded:
    """What loading one article on its own did."""
    article_id: int | None  # None: a concurrent load inserted its URL first
    new: bool = False
    duplicate: bool = False
    paragraphs_duplicate: int = 0


def load_one(cur, row) -> Loaded:
    """Refresh the writer's ArticleRow `row` where the warehouse has it, or insert it as its
    reserved article id, re-rooting the story it was loaded after."""
    rec, run_id = row.rec, row.run_id
    existing, article_id = (row.existing if row.refresh else None), row.article_id
    referrers = []
    if existing is not None:
        article_id = existing[0]
        referrers = versions.archive_and_clear(cur, article_id, run_id)
    store = dedup_index.PgStore(cur)
    dedup.mark_boilerplate(store, rec, keep=True)
    match = dedup.match_article(store, rec)
    out = Loaded(article_id)
    later_first = None
    if existing is None:
        duplicate_of = match.republished_of
        if duplicate_of is not None and _published_before(cur, row.published, duplicate_of):
            # loaded after its copy (overlapping runs split the feeds): it is the story's
            # first, as a load in publication order would have made it
            later_first, duplicate_of = _story_articles(cur, duplicate_of), None
            match.republished_of = None
            match.earlier = {pos: ref for pos, ref in match.earlier.items() if ref[0] not in later_first}
        if not _insert_article(cur, row, article_id, duplicate_of):
            return Loaded(None)  # a concurrent run inserted it since we looked
        out.new, out.duplicate = True, duplicate_of is not None
    else:
        _refresh_article(cur, row)
    out.paragraphs_duplicate = _insert_paragraphs(cur, article_id, rec, row.prints, match)
    if later_first:
        _reroot(cur, later_first, article_id, rec)
    if existing is not None:  # a refresh keeps its story: its lines were counted
        match.republished_of = match.republished_of or article_id
    store.record(article_id, rec, match)
    versions.repoint(cur, article_id, referrers)
    return out


def _insert_article(cur, row, article_id: int, duplicate_of: int | None) -> bool:
    cur.execute(
        "INSERT INTO akhbar.articles (article_id, url, feed_id, run_id, title, published_at,"
        " fetched_at, body_fingerprint, story_id, duplicate_of, agreements_count, sectors,"
        " link, item_updated_at, item_hash, is_brief)"
        " SELECT %(id)s, %(url)s, %(feed_id)s, %(run_id)s, %(title)s, %(published)s, %(fetched)s,"
        "  %(fp)s, COALESCE((SELECT story_id FROM akhbar.articles WHERE article_id = %(dup)s), %(id)s),"
        "  %(dup)s, %(count)s, %(sectors)s, %(link)s, %(updated)s, %(item_hash)s, %(brief)s"
        " ON CONFLICT (md5(url)) DO NOTHING RETURNING article_id",
        {**row.fields(), "id": article_id, "dup": duplicate_of})
    return cur.fetchone() is not None


def _refresh_article(cur, row) -> None:
    cur.execute(
        "UPDATE akhbar.articles SET title = %(title)s, published_at = %(published)s,"
        " fetched_at = %(fetched)s, body_fingerprint = %(fp)s, agreements_count = %(count)s,"
        " sectors = %(sectors)s, link = %(link)s, item_updated_at = %(updated)s,"
        " item_hash = %(item_hash)s, is_brief = %(brief)s, version = version + 1, refreshed_at = now()"
        " WHERE article_id = %(id)s",
        {**row.fields(), "id": row.existing[0]})


def _insert_paragraphs(cur, article_id: int, rec: dedup.ArticleRecord, prints: list[str],
                       match: dedup.Match) -> int:
    """The engine's marks, as they are; returns how many paragraphs repeat an earlier one."""
    from psycopg2.extras import execute_values

    rows, duplicates = [], 0
    for para, fp in zip(rec.paragraphs, prints):
        dup = pointer(article_id, para, match) or (None, None)
        duplicates += dup[0] is not None and not para.is_boilerplate
        rows.append((article_id, para.position, para.text, fp, para.is_boilerplate, dup[0], dup[1]))
    if rows:
        execute_values(
            cur,
            "INSERT INTO akhbar.paragraphs (article_id, position, text, fingerprint, is_boilerplate,"
            " duplicate_of_article, duplicate_of_position) VALUES %s"
            " ON CONFLICT (article_id, position) DO NOTHING",
            rows,
        )
    return duplicates


def _published_before(cur, published, story: int) -> bool:
    """Was an article published before the first article of `story`?"""
    if published is None:
        return False
    cur.execute("SELECT published_at FROM akhbar.articles WHERE article_id = %s", (story,))
    found = cur.fetchone()
    return bool(found and found[0] is not None and published < found[0])


def _story_articles(cur, story: int) -> set[int]:
    cur.execute("SELECT article_id FROM akhbar.articles WHERE story_id = %s", (story,))
    return {a for (a,) in cur.fetchall()}


def _reroot(cur, articles: set[int], first: int, rec: dedup.ArticleRecord) -> None:
    """Make `first` (published earlier, loaded later) the first article of the story that
    `articles` form: they become its republications, and their paragraphs that copy one of
    its paragraphs point at it (the engine's near-copy rule, as a load in publication order
    would have applied it)."""
    cur.execute("UPDATE akhbar.articles SET duplicate_of = %s, story_id = %s WHERE article_id = ANY(%s)",
                (first, first, sorted(articles)))
    # the story they formed is now `first`'s (akhbar.stories holds one row per story)
    cur.execute("DELETE FROM akhbar.stories s WHERE s.first_article_id = ANY(%s) AND s.story_id <> %s"
                " AND NOT EXISTS (SELECT 1 FROM akhbar.articles a WHERE a.story_id = s.story_id)",
                (sorted(articles), first))
    cur.execute("SELECT article_id, position, text FROM akhbar.paragraphs WHERE article_id = ANY(%s)"
                " AND duplicate_of_article IS NULL AND NOT is_boilerplate ORDER BY article_id, position",
                (sorted(articles),))
    mine = [p for p in rec.paragraphs if not p.is_boilerplate]
    for article_id, position, text in cur.fetchall():
        found = next((p.position for p in mine if dedup.near_duplicate(text, p.text)), None)
        if found is not None:
            cur.execute("UPDATE akhbar.paragraphs SET duplicate_of_article = %s, duplicate_of_position = %s"
                        " WHERE article_id = %s AND position = %s", (first, found, article_id, position))
