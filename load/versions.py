"""Article refreshes: the text a refresh replaces is kept in article_versions, and later
paragraphs that repeated it keep pointing at the same text in the new version."""
from __future__ import annotations

_CHILD_TABLES = ("akhbar.events", "akhbar.persons", "akhbar.amounts", "akhbar.article_countries")


def loaded(cur, urls: list[str]) -> dict[str, tuple[int, str]]:
    """url → (article_id, body_fingerprint) of the articles already at these canonical URLs,
    locked for update until the load commits."""
    if not urls:
        return {}
    cur.execute("SELECT url, article_id, body_fingerprint FROM akhbar.articles WHERE url = ANY(%s)"
                " ORDER BY article_id FOR UPDATE", (list(urls),))
    return {url: (article_id, fp) for url, article_id, fp in cur.fetchall()}


def archive_and_clear(cur, article_id: int, run_id: str) -> list[tuple[int, int, str]]:
    """Move the article's current text to article_versions and drop its derived rows.
    Returns the paragraphs of other articles that pointed at it: (article, position, fingerprint)."""
    cur.execute(
        "INSERT INTO akhbar.article_versions (article_id, version, title, body, body_fingerprint,"
        " published_at, fetched_at, item_updated_at, item_hash, run_id, replaced_by_run)"
        " SELECT a.article_id, a.version, a.title,"
        "  coalesce((SELECT string_agg(p.text, E'\\n\\n' ORDER BY p.position) FROM akhbar.paragraphs p"
        "            WHERE p.article_id = a.article_id), ''),"
        "  a.body_fingerprint, a.published_at, a.fetched_at, a.item_updated_at, a.item_hash,"
        "  a.run_id, %s"
        " FROM akhbar.articles a WHERE a.article_id = %s"
        " ON CONFLICT (article_id, version) DO NOTHING",
        (run_id, article_id),
    )
    cur.execute(
        "SELECT r.article_id, r.position, t.fingerprint FROM akhbar.paragraphs r"
        " JOIN akhbar.paragraphs t ON t.article_id = r.duplicate_of_article"
        "  AND t.position = r.duplicate_of_position"
        " WHERE t.article_id = %s AND r.article_id <> %s",
        (article_id, article_id),
    )
    referrers = cur.fetchall()
    for table in _CHILD_TABLES:
        cur.execute(f"DELETE FROM {table} WHERE article_id = %s", (article_id,))
    cur.execute("DELETE FROM akhbar.paragraphs WHERE article_id = %s", (article_id,))
    return referrers


def repoint(cur, article_id: int, referrers: list[tuple[int, int, str]]) -> None:
    """Point each former referrer at the first paragraph of the new version with its text;
    refreshes are rare, so one statement per referrer is fine."""
    for referrer, position, fingerprint in referrers:
        cur.execute(
            "UPDATE akhbar.paragraphs r SET duplicate_of_article = t.article_id,"
            "  duplicate_of_position = t.position"
            " FROM (SELECT article_id, position FROM akhbar.paragraphs"
            "       WHERE article_id = %s AND fingerprint = %s ORDER BY position LIMIT 1) t"
            " WHERE r.article_id = %s AND r.position = %s",
            (article_id, fingerprint, referrer, position),
        )
