-- One bad item never costs the day: URLs of any length, briefs kept, archive lines quarantined.

-- URLs are third-party input. A btree entry holds at most ~2.7 KB, so a feed item with a
-- longer URL made the INSERT fail and rolled back its whole feed. Uniqueness is now kept on
-- the URL's md5 (fixed size), and equality lookups use a hash index, which has no size limit.
-- md5 collisions only matter for URLs crafted to collide, which then collide with each other.
ALTER TABLE akhbar.articles DROP CONSTRAINT articles_url_key;
CREATE UNIQUE INDEX articles_url_md5_key ON akhbar.articles (md5(url));
CREATE INDEX articles_url_hash_idx ON akhbar.articles USING hash (url);

ALTER TABLE akhbar.quarantine DROP CONSTRAINT quarantine_url_stage_key;
CREATE UNIQUE INDEX quarantine_url_md5_stage_key ON akhbar.quarantine (md5(url), stage);
CREATE INDEX quarantine_url_hash_idx ON akhbar.quarantine USING hash (url);

ALTER TABLE akhbar_staging.items DROP CONSTRAINT items_pkey;
CREATE UNIQUE INDEX items_run_url_md5_key ON akhbar_staging.items (run_id, md5(url));
ALTER TABLE akhbar_staging.articles DROP CONSTRAINT articles_pkey;
CREATE UNIQUE INDEX articles_run_url_md5_key ON akhbar_staging.articles (run_id, md5(url));
-- the load finds what is left of any run (a killed load's staging is resumed by the next run)
CREATE INDEX articles_url_hash_idx ON akhbar_staging.articles USING hash (url);

-- A news brief (one or two sentences that the feed item and its page agree on) is loaded
-- and marked, not quarantined as "too little article text".
ALTER TABLE akhbar.articles ADD COLUMN is_brief boolean NOT NULL DEFAULT false;
ALTER TABLE akhbar_staging.articles ADD COLUMN is_brief boolean NOT NULL DEFAULT false;

-- `akhbar import-archive` quarantines each line it cannot read (not JSON, not UTF-8).
ALTER TABLE akhbar.quarantine DROP CONSTRAINT quarantine_stage_check,
    ADD CONSTRAINT quarantine_stage_check CHECK (stage IN ('feed', 'page', 'transform', 'load', 'import'));

CREATE OR REPLACE VIEW akhbar.articles_v AS
SELECT a.article_id, a.url, f.outlet, f.name AS feed, a.title, a.published_at, a.fetched_at,
       a.story_id, d.url AS duplicate_of_url, a.agreements_count, a.sectors,
       a.link, a.version, a.refreshed_at, a.is_brief
FROM akhbar.articles a
JOIN akhbar.feeds f USING (feed_id)
LEFT JOIN akhbar.articles d ON d.article_id = a.duplicate_of;
