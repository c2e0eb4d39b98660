-- An event cannot happen after the article reporting it; a day of slack covers time zones.
SELECT count(*), string_agg(e.event_id || ': ' || e.event_date, ', ' ORDER BY e.event_id)
FROM akhbar.events e
JOIN akhbar.articles a USING (article_id)
WHERE a.run_id = %(run_id)s
  AND a.published_at IS NOT NULL
  AND e.event_date > (a.published_at AT TIME ZONE 'UTC')::date + 1;
