-- A feed that brought new articles in at least 5 of its last 7 runs brought none in this
-- one, although it answered: a feed frozen on old items, a changed page layout, a site
-- blocking our page requests.
WITH this_run AS (
    SELECT rf.feed_id,
           (SELECT count(*) FROM akhbar.articles a
            WHERE a.run_id = rf.run_id AND a.feed_id = rf.feed_id) AS loaded
    FROM akhbar.run_feeds rf
    WHERE rf.run_id = %(run_id)s AND rf.status = 'ok'
), past AS (
    SELECT rf.feed_id,
           (SELECT count(*) FROM akhbar.articles a
            WHERE a.run_id = rf.run_id AND a.feed_id = rf.feed_id) AS loaded,
           row_number() OVER (PARTITION BY rf.feed_id ORDER BY r.logical_date DESC) AS recency
    FROM akhbar.run_feeds rf
    JOIN akhbar.runs r USING (run_id)
    WHERE rf.status = 'ok'
      AND r.logical_date < (SELECT logical_date FROM akhbar.runs WHERE run_id = %(run_id)s)
)
SELECT count(*), string_agg(f.name, ', ' ORDER BY f.name)
FROM this_run t
JOIN akhbar.feeds f USING (feed_id)
WHERE t.loaded = 0
  AND (SELECT count(*) FROM past p
       WHERE p.feed_id = t.feed_id AND p.recency <= 7 AND p.loaded > 0) >= 5;
