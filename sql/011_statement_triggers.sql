-- The loader inserts a batch's articles and events with one statement per table (issue 14),
-- so the rows derived from them (stories, article sectors, event parties) are derived once
-- per statement from its transition table instead of once per row. What they derive is
-- unchanged (005_analyst_model.sql).
--
-- The UPDATE triggers stay row triggers: PostgreSQL allows no column list (UPDATE OF
-- story_id, UPDATE OF sectors) on a trigger with transition tables, and without one every
-- update of an article (a remembered feed item, say) would re-derive its rows. Updates of
-- those columns are rare: a refresh, or a story re-rooted under an earlier original.

CREATE FUNCTION akhbar.articles_stories_of() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO akhbar.stories (story_id, first_article_id)
    SELECT DISTINCT story_id, story_id FROM new_articles ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

CREATE FUNCTION akhbar.articles_sectors_of() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- new articles have no sector rows yet: nothing to delete first
    INSERT INTO akhbar.article_sectors (article_id, sector)
    SELECT DISTINCT n.article_id, s FROM new_articles n, unnest(n.sectors) s
    WHERE s IN (SELECT sector FROM akhbar.sectors)
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

CREATE FUNCTION akhbar.events_parties_of() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO akhbar.event_parties (event_id, role, country_code)
    SELECT event_id, 'actor', c FROM new_events, unnest(actors) c
    UNION SELECT event_id, 'recipient', c FROM new_events, unnest(recipients) c
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

DROP TRIGGER articles_story ON akhbar.articles;
DROP TRIGGER articles_sectors ON akhbar.articles;
DROP TRIGGER events_parties ON akhbar.events;

CREATE TRIGGER articles_stories AFTER INSERT ON akhbar.articles
    REFERENCING NEW TABLE AS new_articles
    FOR EACH STATEMENT EXECUTE FUNCTION akhbar.articles_stories_of();
CREATE TRIGGER articles_story_update AFTER UPDATE OF story_id ON akhbar.articles
    FOR EACH ROW EXECUTE FUNCTION akhbar.article_story();

CREATE TRIGGER articles_sectors AFTER INSERT ON akhbar.articles
    REFERENCING NEW TABLE AS new_articles
    FOR EACH STATEMENT EXECUTE FUNCTION akhbar.articles_sectors_of();
CREATE TRIGGER articles_sectors_update AFTER UPDATE OF sectors ON akhbar.articles
    FOR EACH ROW EXECUTE FUNCTION akhbar.article_sectors_of();

CREATE TRIGGER events_parties AFTER INSERT ON akhbar.events
    REFERENCING NEW TABLE AS new_events
    FOR EACH STATEMENT EXECUTE FUNCTION akhbar.events_parties_of();

