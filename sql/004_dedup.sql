-- Near-duplicate index and learned boilerplate (transform/boilerplate.py, load/dedup_index.py).
-- paragraph_bands: MinHash LSH band keys of every non-boilerplate paragraph; a new paragraph
-- finds its earlier copies through the btree on band_key, whatever the warehouse's size.
CREATE TABLE akhbar.paragraph_bands (
    band_key   bigint NOT NULL,
    article_id bigint NOT NULL,
    position   integer NOT NULL,
    PRIMARY KEY (band_key, article_id, position),
    FOREIGN KEY (article_id, position) REFERENCES akhbar.paragraphs ON DELETE CASCADE
);
CREATE INDEX paragraph_bands_paragraph_idx ON akhbar.paragraph_bands (article_id, position);

-- Per outlet, in how many distinct stories (republications counted once) each line has
-- appeared, and over which days: a line under enough stories over enough days is boilerplate.
CREATE TABLE akhbar.outlet_lines (
    outlet    text NOT NULL,
    line_key  bigint NOT NULL,
    stories   integer NOT NULL CHECK (stories > 0),
    first_day date,
    last_day  date,
    -- letters and digits in the line: long lines need more stories (transform/boilerplate.py)
    length    integer NOT NULL DEFAULT 0,
    PRIMARY KEY (outlet, line_key)
);

-- Where each line stands, so that a line that becomes boilerplate is marked in the articles
-- loaded before it crossed the bar.
CREATE TABLE akhbar.paragraph_lines (
    line_key   bigint NOT NULL,
    article_id bigint NOT NULL,
    position   integer NOT NULL,
    PRIMARY KEY (line_key, article_id, position),
    FOREIGN KEY (article_id, position) REFERENCES akhbar.paragraphs ON DELETE CASCADE
);
CREATE INDEX paragraph_lines_paragraph_idx ON akhbar.paragraph_lines (article_id, position);
