-- A run whose new articles are nearly all republications of earlier ones points at a feed
-- serving stale copies or at a broken deduplication; small runs are exempt.
SELECT CASE WHEN count(*) >= 20 AND count(duplicate_of) > 0.9 * count(*) THEN 1 ELSE 0 END,
       count(duplicate_of) || ' of ' || count(*) || ' new articles are republications'
FROM akhbar.articles WHERE run_id = %(run_id)s;
