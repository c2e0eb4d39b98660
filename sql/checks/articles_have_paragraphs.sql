-- Every article the run loaded has at least one paragraph.
SELECT count(*), string_agg(a.url, ' ' ORDER BY a.url)
FROM akhbar.articles a
WHERE a.run_id = %(run_id)s
  AND NOT EXISTS (SELECT 1 FROM akhbar.paragraphs p WHERE p.article_id = a.article_id);
