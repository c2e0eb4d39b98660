-- Per-host politeness shared by every feed, task and worker (issue 16): one row per host,
-- the earliest time the next request to it may start. A fetch reserves its turn with one
-- atomic UPSERT (load/host_budget.py), so two Celery workers crawling feeds of one site
-- keep the site's pace between them instead of each keeping it alone.
CREATE TABLE akhbar.host_budget (
    host         text PRIMARY KEY,          -- 'host:port', as extract.politeness.host_key
    next_allowed timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE akhbar.host_budget IS 'earliest start of the next request per host, shared by all crawlers';
