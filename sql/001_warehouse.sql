-- The warehouse's base tables. Natural keys (article URL, paragraph position, a run's id)
-- carry unique constraints so that every load can be an idempotent ON CONFLICT merge.
CREATE SCHEMA IF NOT EXISTS akhbar;

CREATE TABLE akhbar.feeds (
    feed_id     serial PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    url         text NOT NULL,
    outlet      text NOT NULL
);

CREATE TABLE akhbar.runs (
    run_id               text PRIMARY KEY,
    logical_date         date NOT NULL,
    started_at           timestamptz NOT NULL DEFAULT now(),
    finished_at          timestamptz,
    status               text NOT NULL DEFAULT 'running'
                         CHECK (status IN ('running', 'success', 'partial', 'failed')),
    feeds_ok             integer NOT NULL DEFAULT 0,
    feeds_failed         integer NOT NULL DEFAULT 0,
    items_seen           integer NOT NULL DEFAULT 0,
    articles_new         integer NOT NULL DEFAULT 0,
    articles_duplicate   integer NOT NULL DEFAULT 0,
    paragraphs_duplicate integer NOT NULL DEFAULT 0,
    events               integer NOT NULL DEFAULT 0,
    quarantined          integer NOT NULL DEFAULT 0
);

-- One row per feed per run: what the feed's mapped task saw and did.
CREATE TABLE akhbar.run_feeds (
    run_id       text NOT NULL REFERENCES akhbar.runs ON DELETE CASCADE,
    feed_id      integer NOT NULL REFERENCES akhbar.feeds,
    status       text NOT NULL CHECK (status IN ('ok', 'failed')),
    items_seen   integer NOT NULL DEFAULT 0,
    items_new    integer NOT NULL DEFAULT 0,
    pages_ok     integer NOT NULL DEFAULT 0,
    pages_failed integer NOT NULL DEFAULT 0,
    error        text,
    seconds      double precision,
    PRIMARY KEY (run_id, feed_id)
);

CREATE TABLE akhbar.articles (
    article_id        bigserial PRIMARY KEY,
    url               text NOT NULL UNIQUE,
    feed_id           integer NOT NULL REFERENCES akhbar.feeds,
    run_id            text NOT NULL,
    title             text,
    published_at      timestamptz,
    fetched_at        timestamptz NOT NULL,
    body_fingerprint  text NOT NULL,
    -- the first-loaded article with the same text; its own id for the first one
    story_id          bigint NOT NULL,
    duplicate_of      bigint REFERENCES akhbar.articles,
    agreements_count  integer CHECK (agreements_count >= 0),
    sectors           text[] NOT NULL DEFAULT '{}'
);
CREATE INDEX articles_body_fingerprint_idx ON akhbar.articles (body_fingerprint, article_id);
CREATE INDEX articles_published_idx ON akhbar.articles (published_at);

CREATE TABLE akhbar.paragraphs (
    article_id          bigint NOT NULL REFERENCES akhbar.articles ON DELETE CASCADE,
    position            integer NOT NULL CHECK (position >= 0),
    text                text NOT NULL,
    fingerprint         text NOT NULL,
    is_boilerplate      boolean NOT NULL DEFAULT false,
    duplicate_of_article bigint,
    duplicate_of_position integer,
    PRIMARY KEY (article_id, position),
    FOREIGN KEY (duplicate_of_article, duplicate_of_position)
        REFERENCES akhbar.paragraphs (article_id, position),
    CHECK ((duplicate_of_article IS NULL) = (duplicate_of_position IS NULL))
);
CREATE INDEX paragraphs_fingerprint_idx ON akhbar.paragraphs (fingerprint, article_id, position);

CREATE TABLE akhbar.countries (
    country_code text PRIMARY KEY CHECK (country_code ~ '^[A-Z]{3}$'),
    name_ar      text NOT NULL,
    name_en      text
);

CREATE TABLE akhbar.article_countries (
    article_id   bigint NOT NULL REFERENCES akhbar.articles ON DELETE CASCADE,
    country_code text NOT NULL CHECK (country_code ~ '^[A-Z]{3}$'),
    PRIMARY KEY (article_id, country_code)
);

CREATE TABLE akhbar.events (
    event_id         bigserial PRIMARY KEY,
    article_id       bigint NOT NULL REFERENCES akhbar.articles ON DELETE CASCADE,
    ordinal          integer NOT NULL,
    category         text NOT NULL CHECK (category IN (
                        'AGREE', 'CONSULT', 'SUPPORT', 'CONCEDE', 'COOPERATE', 'AID', 'RETREAT',
                        'REQUEST', 'ACCUSE', 'REJECT', 'THREATEN', 'PROTEST', 'SANCTION',
                        'MOBILIZE', 'COERCE', 'ASSAULT')),
    modes            text[] NOT NULL DEFAULT '{}',
    quad_code        smallint,
    event_date       date,
    actors           text[] NOT NULL DEFAULT '{}',
    recipients       text[] NOT NULL DEFAULT '{}',
    location_country text CHECK (location_country ~ '^[A-Z]{3}$'),
    location_name    text,
    evidence         text,
    UNIQUE (article_id, ordinal)
);
CREATE INDEX events_date_idx ON akhbar.events (event_date, category);

CREATE TABLE akhbar.persons (
    article_id   bigint NOT NULL REFERENCES akhbar.articles ON DELETE CASCADE,
    ordinal      integer NOT NULL,
    name         text NOT NULL,
    office       text,
    country_code text CHECK (country_code ~ '^[A-Z]{3}$'),
    PRIMARY KEY (article_id, ordinal)
);

CREATE TABLE akhbar.amounts (
    article_id bigint NOT NULL REFERENCES akhbar.articles ON DELETE CASCADE,
    ordinal    integer NOT NULL,
    value      numeric NOT NULL,
    currency   text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    text       text NOT NULL,
    PRIMARY KEY (article_id, ordinal)
);

-- Items that failed at some stage. Keyed by (url, stage) so that a retry that fails again
-- bumps attempts instead of adding rows; nothing is dropped silently.
CREATE TABLE akhbar.quarantine (
    quarantine_id bigserial PRIMARY KEY,
    feed          text NOT NULL,
    url           text NOT NULL,
    stage         text NOT NULL CHECK (stage IN ('feed', 'page', 'transform', 'load')),
    reason        text NOT NULL,
    http_status   integer,
    first_seen    timestamptz NOT NULL DEFAULT now(),
    last_seen     timestamptz NOT NULL DEFAULT now(),
    attempts      integer NOT NULL DEFAULT 1,
    last_run_id   text,
    payload       bytea,
    resolved_at   timestamptz,
    UNIQUE (url, stage)
);

CREATE TABLE akhbar.dq_results (
    run_id     text NOT NULL,
    check_name text NOT NULL,
    passed     boolean NOT NULL,
    findings   integer NOT NULL,
    detail     text,
    checked_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, check_name)
);

-- Staging: the data tasks hand each other by key (run_id, feed, url), never via XCom.
CREATE SCHEMA IF NOT EXISTS akhbar_staging;

CREATE TABLE akhbar_staging.items (
    run_id    text NOT NULL,
    feed      text NOT NULL,
    url       text NOT NULL,
    title     text,
    summary   text,
    published timestamptz,
    PRIMARY KEY (run_id, url)
);

CREATE TABLE akhbar_staging.articles (
    run_id     text NOT NULL,
    feed       text NOT NULL,
    url        text NOT NULL,
    title      text,
    published  timestamptz,
    body       text NOT NULL,
    fetched_at timestamptz NOT NULL,
    result     jsonb,
    PRIMARY KEY (run_id, url)
);
