-- The analyst-facing views of the public interface. Their columns only ever grow.
CREATE OR REPLACE VIEW akhbar.articles_v AS
SELECT a.article_id, a.url, f.outlet, f.name AS feed, a.title, a.published_at, a.fetched_at,
       a.story_id, d.url AS duplicate_of_url, a.agreements_count, a.sectors
FROM akhbar.articles a
JOIN akhbar.feeds f USING (feed_id)
LEFT JOIN akhbar.articles d ON d.article_id = a.duplicate_of;

CREATE OR REPLACE VIEW akhbar.paragraphs_v AS
SELECT p.article_id, a.url, p.position, p.text, p.is_boilerplate,
       d.url AS duplicate_of_url, p.duplicate_of_position
FROM akhbar.paragraphs p
JOIN akhbar.articles a USING (article_id)
LEFT JOIN akhbar.articles d ON d.article_id = p.duplicate_of_article;

CREATE OR REPLACE VIEW akhbar.events_v AS
SELECT e.event_id, e.article_id, a.url, e.category, e.modes, e.event_date, e.actors,
       e.recipients, e.location_country, e.location_name, e.evidence
FROM akhbar.events e
JOIN akhbar.articles a USING (article_id);

CREATE OR REPLACE VIEW akhbar.article_countries_v AS
SELECT ac.article_id, ac.country_code, c.name_ar AS country_name_ar
FROM akhbar.article_countries ac
LEFT JOIN akhbar.countries c USING (country_code);

CREATE OR REPLACE VIEW akhbar.persons_v AS
SELECT article_id, name, office, country_code FROM akhbar.persons;

CREATE OR REPLACE VIEW akhbar.amounts_v AS
SELECT article_id, value, currency, text FROM akhbar.amounts;

CREATE OR REPLACE VIEW akhbar.runs_v AS
SELECT run_id, logical_date, started_at, finished_at, status, feeds_ok, feeds_failed,
       items_seen, articles_new, articles_duplicate, paragraphs_duplicate, events, quarantined
FROM akhbar.runs;

CREATE OR REPLACE VIEW akhbar.quarantine_v AS
SELECT last_seen AS seen_at, feed, url, stage, reason, http_status, attempts, first_seen
FROM akhbar.quarantine
WHERE resolved_at IS NULL;
