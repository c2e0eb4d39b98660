-- A feed that has failed on this many logical dates in a row (AKHBAR_FEED_FAILURE_DAYS,
-- default 3) needs an operator: its URL moved, the site blocks us, or it died.
SELECT count(*), string_agg(feed || ' (' || consecutive_failed_days || ' days: '
                            || coalesce(left(last_error, 120), '?') || ')', '; ' ORDER BY feed)
FROM akhbar.feed_health_v
WHERE consecutive_failed_days >= %(feed_failure_days)s;
