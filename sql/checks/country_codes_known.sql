-- Every country code the run wrote is an ISO 3166-1 alpha-3 code of the countries table.
WITH codes AS (
    SELECT ac.country_code AS code FROM akhbar.article_countries ac
    JOIN akhbar.articles a USING (article_id) WHERE a.run_id = %(run_id)s
    UNION
    SELECT unnest(e.actors || e.recipients) FROM akhbar.events e
    JOIN akhbar.articles a USING (article_id) WHERE a.run_id = %(run_id)s
)
SELECT count(*), string_agg(code, ' ' ORDER BY code)
FROM codes WHERE code NOT IN (SELECT country_code FROM akhbar.countries);
