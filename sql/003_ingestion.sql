-- Incremental, observable ingestion: what each feed answered last time (for conditional
-- GET), article versions, quarantine backoff, and the operator's per-feed health view.

-- The validators a feed's server gave on its last 200, sent back as If-None-Match /
-- If-Modified-Since so that an unchanged feed costs one 304 and no parsing.
CREATE TABLE akhbar.feed_state (
    feed_id         integer PRIMARY KEY REFERENCES akhbar.feeds ON DELETE CASCADE,
    etag            text,
    last_modified   text,
    last_status     integer,
    last_fetched_at timestamptz,
    last_success_at timestamptz
);

ALTER TABLE akhbar.runs ADD COLUMN articles_refreshed integer NOT NULL DEFAULT 0;

ALTER TABLE akhbar.run_feeds
    ADD COLUMN http_status    integer,
    ADD COLUMN not_modified   boolean NOT NULL DEFAULT false,
    ADD COLUMN bytes          bigint NOT NULL DEFAULT 0 CHECK (bytes >= 0),
    ADD COLUMN items_changed  integer NOT NULL DEFAULT 0 CHECK (items_changed >= 0),
    ADD COLUMN items_retried  integer NOT NULL DEFAULT 0 CHECK (items_retried >= 0),
    ADD COLUMN finished_at    timestamptz NOT NULL DEFAULT now();

-- An article is keyed by its canonical URL (tracking parameters and fragments dropped, so
-- the same page linked twice is one article); `link` keeps the URL as the feed gave it.
-- `version` counts refreshes: a feed item whose `updated` date or content hash changed is
-- fetched again, and the text it replaced moves to article_versions.
ALTER TABLE akhbar.articles
    ADD COLUMN link            text,
    ADD COLUMN version         integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    ADD COLUMN item_updated_at timestamptz,
    ADD COLUMN item_hash       text,
    ADD COLUMN refreshed_at    timestamptz;
UPDATE akhbar.articles SET link = url WHERE link IS NULL;

CREATE TABLE akhbar.article_versions (
    article_id       bigint NOT NULL REFERENCES akhbar.articles ON DELETE CASCADE,
    version          integer NOT NULL CHECK (version >= 1),
    title            text,
    body             text NOT NULL,
    body_fingerprint text NOT NULL,
    published_at     timestamptz,
    fetched_at       timestamptz NOT NULL,
    item_updated_at  timestamptz,
    item_hash        text,
    run_id           text NOT NULL,
    replaced_at      timestamptz NOT NULL DEFAULT now(),
    replaced_by_run  text NOT NULL,
    PRIMARY KEY (article_id, version)
);

-- A later paragraph that repeats one of a refreshed article keeps pointing at it: the
-- refresh re-points it, and only a paragraph that vanished loses its pointer.
ALTER TABLE akhbar.paragraphs
    DROP CONSTRAINT paragraphs_duplicate_of_article_duplicate_of_position_fkey,
    ADD FOREIGN KEY (duplicate_of_article, duplicate_of_position)
        REFERENCES akhbar.paragraphs (article_id, position)
        ON DELETE SET NULL (duplicate_of_article, duplicate_of_position);

-- Quarantine: enough to retry an item without its feed (the feed item as JSON), whether the
-- failure is worth retrying, and when the next automatic try is due (exponential backoff).
ALTER TABLE akhbar.quarantine
    ADD COLUMN item           jsonb,
    ADD COLUMN permanent      boolean NOT NULL DEFAULT false,
    ADD COLUMN next_retry_at  timestamptz,
    ADD COLUMN payload_bytes  integer GENERATED ALWAYS AS (octet_length(payload)) STORED;
CREATE INDEX quarantine_due_idx ON akhbar.quarantine (feed, stage, next_retry_at)
    WHERE resolved_at IS NULL;

ALTER TABLE akhbar_staging.items
    ADD COLUMN link       text,
    ADD COLUMN updated    timestamptz,
    ADD COLUMN item_hash  text,
    ADD COLUMN refresh    boolean NOT NULL DEFAULT false,
    ADD COLUMN retry      boolean NOT NULL DEFAULT false;

ALTER TABLE akhbar_staging.articles
    ADD COLUMN link       text,
    ADD COLUMN updated    timestamptz,
    ADD COLUMN item_hash  text;

CREATE OR REPLACE VIEW akhbar.quarantine_v AS
SELECT q.last_seen AS seen_at, q.feed, q.url, q.stage, q.reason, q.http_status, q.attempts,
       q.first_seen, q.quarantine_id, q.permanent, q.next_retry_at, q.payload_bytes, q.last_run_id
FROM akhbar.quarantine q
WHERE q.resolved_at IS NULL;

-- Per-feed health for operators: last success, consecutive failing days (logical dates
-- since the last successful fetch), items per day, median fetch latency over 30 days.
CREATE OR REPLACE VIEW akhbar.feed_health_v AS
WITH history AS (
    SELECT rf.feed_id, r.logical_date, rf.status, rf.items_new, rf.seconds, rf.bytes,
           rf.not_modified, rf.error, rf.finished_at
    FROM akhbar.run_feeds rf JOIN akhbar.runs r USING (run_id)
), last_ok AS (
    SELECT feed_id, max(logical_date) AS day, max(finished_at) AS at
    FROM history WHERE status = 'ok' GROUP BY feed_id
), recent AS (
    SELECT feed_id,
           count(DISTINCT logical_date) AS days_30d,
           sum(items_new) AS items_30d,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) AS median_seconds,
           sum(bytes) AS bytes_30d,
           count(*) FILTER (WHERE not_modified) AS not_modified_30d
    FROM history WHERE finished_at > now() - interval '30 days' GROUP BY feed_id
), last_run AS (
    SELECT DISTINCT ON (feed_id) feed_id, status, error, finished_at
    FROM history ORDER BY feed_id, finished_at DESC
)
SELECT f.name AS feed, f.outlet, f.url,
       lr.status AS last_status, lr.finished_at AS last_fetch_at, lo.at AS last_success_at,
       (SELECT count(DISTINCT h.logical_date) FROM history h
        WHERE h.feed_id = f.feed_id AND h.status = 'failed'
          AND (lo.day IS NULL OR h.logical_date > lo.day)) AS consecutive_failed_days,
       CASE WHEN lr.status = 'failed' THEN lr.error END AS last_error,
       round(coalesce(rc.items_30d, 0)::numeric / greatest(rc.days_30d, 1), 2) AS items_per_day,
       round(rc.median_seconds::numeric, 3) AS median_latency_s,
       coalesce(rc.bytes_30d, 0) AS bytes_30d,
       coalesce(rc.not_modified_30d, 0) AS not_modified_30d,
       fs.etag IS NOT NULL OR fs.last_modified IS NOT NULL AS conditional_get
FROM akhbar.feeds f
LEFT JOIN last_ok lo USING (feed_id)
LEFT JOIN recent rc USING (feed_id)
LEFT JOIN last_run lr USING (feed_id)
LEFT JOIN akhbar.feed_state fs USING (feed_id);

CREATE OR REPLACE VIEW akhbar.article_versions_v AS
SELECT v.article_id, a.url, v.version, v.title, v.body, v.published_at, v.fetched_at,
       v.replaced_at, v.replaced_by_run
FROM akhbar.article_versions v JOIN akhbar.articles a USING (article_id);

CREATE OR REPLACE VIEW akhbar.runs_v AS
SELECT run_id, logical_date, started_at, finished_at, status, feeds_ok, feeds_failed,
       items_seen, articles_new, articles_duplicate, paragraphs_duplicate, events, quarantined,
       articles_refreshed
FROM akhbar.runs;

CREATE OR REPLACE VIEW akhbar.articles_v AS
SELECT a.article_id, a.url, f.outlet, f.name AS feed, a.title, a.published_at, a.fetched_at,
       a.story_id, d.url AS duplicate_of_url, a.agreements_count, a.sectors,
       a.link, a.version, a.refreshed_at
FROM akhbar.articles a
JOIN akhbar.feeds f USING (feed_id)
LEFT JOIN akhbar.articles d ON d.article_id = a.duplicate_of;
