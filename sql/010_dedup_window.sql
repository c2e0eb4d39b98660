-- Lookups that stay flat (load/dedup_index.py): a new paragraph reads only the band postings
-- of articles filed within the engine's look-back window of its own day (transform/dedup.py
-- `lookback`), so what a lookup touches no longer grows with the warehouse.
--
-- Each posting carries its article's day (the publication day; an undated article is filed
-- the day it is loaded, hence the default) and that day's 16-day bucket. The primary key
-- leads with the bucket: the postings of the window's few buckets are one contiguous part of
-- the index, small enough to stay in shared_buffers however many years lie behind it, and
-- the lookup (bucket = ANY(window's buckets), band_key, day range) is an index-only scan that
-- reads at most CANDIDATES_PER_BAND entries per band key, already in (day, article) order.

-- The bucket of a day. Defined once, here: the generated column and the lookup both call it.
CREATE FUNCTION akhbar.band_bucket(day date) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT (day - DATE '1900-01-01') / 16 $$;

ALTER TABLE akhbar.paragraph_bands ADD COLUMN day date;
UPDATE akhbar.paragraph_bands b SET day = COALESCE(a.published_at, a.fetched_at)::date
  FROM akhbar.articles a WHERE a.article_id = b.article_id;
ALTER TABLE akhbar.paragraph_bands
    ALTER COLUMN day SET DEFAULT CURRENT_DATE,
    ALTER COLUMN day SET NOT NULL,
    ADD COLUMN bucket integer NOT NULL GENERATED ALWAYS AS (akhbar.band_bucket(day)) STORED,
    DROP CONSTRAINT paragraph_bands_pkey,
    ADD CONSTRAINT paragraph_bands_pkey PRIMARY KEY (bucket, band_key, day, article_id, position);
