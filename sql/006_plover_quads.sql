-- PLOVER quad classes as the PLOVER manual's table "Quad categories in PLOVER" defines them:
-- 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.
-- Releases before this one stored AID/COOPERATE/RETREAT as 1, REQUEST…PROTEST as 2 and
-- SANCTION/MOBILIZE as 3; the stored codes are corrected and events_v shows the class.
-- The same table is transform/data/plover_quads.tsv (a test keeps the two equal).
CREATE TABLE IF NOT EXISTS akhbar.plover_categories (
    category  text PRIMARY KEY,
    quad_code smallint NOT NULL CHECK (quad_code BETWEEN 1 AND 4),
    quad_name text NOT NULL
);

INSERT INTO akhbar.plover_categories (category, quad_code, quad_name) VALUES
    ('AGREE', 1, 'verbal cooperation'), ('CONSULT', 1, 'verbal cooperation'),
    ('SUPPORT', 1, 'verbal cooperation'), ('CONCEDE', 1, 'verbal cooperation'),
    ('COOPERATE', 2, 'material cooperation'), ('AID', 2, 'material cooperation'),
    ('RETREAT', 2, 'material cooperation'),
    ('REQUEST', 3, 'verbal conflict'), ('ACCUSE', 3, 'verbal conflict'),
    ('REJECT', 3, 'verbal conflict'), ('SANCTION', 3, 'verbal conflict'),
    ('THREATEN', 3, 'verbal conflict'),
    ('PROTEST', 4, 'material conflict'), ('MOBILIZE', 4, 'material conflict'),
    ('COERCE', 4, 'material conflict'), ('ASSAULT', 4, 'material conflict')
ON CONFLICT (category) DO UPDATE SET quad_code = EXCLUDED.quad_code, quad_name = EXCLUDED.quad_name;

UPDATE akhbar.events e SET quad_code = c.quad_code
FROM akhbar.plover_categories c
WHERE c.category = e.category AND e.quad_code IS DISTINCT FROM c.quad_code;

CREATE OR REPLACE VIEW akhbar.events_v AS
SELECT e.event_id, e.article_id, a.url, e.category, e.modes, e.event_date, e.actors,
       e.recipients, e.location_country, e.location_name, e.evidence, c.quad_code, c.quad_name
FROM akhbar.events e
JOIN akhbar.articles a USING (article_id)
LEFT JOIN akhbar.plover_categories c USING (category);
