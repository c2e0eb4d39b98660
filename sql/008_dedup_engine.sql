-- One dedup engine (transform/dedup.py): the warehouse no longer repeats the rule that an
-- article's first paragraph (its lede) is never boilerplate in SQL. The loader now records
-- no line position for a lede, so the rows it recorded before are dropped: marking a line as
-- boilerplate then marks every position it is recorded at.
DELETE FROM akhbar.paragraph_lines WHERE position = 0;
