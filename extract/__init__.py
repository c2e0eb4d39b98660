"""Fetch feeds and article pages, and turn them into typed records.

Modules: `settings` (limits), `errors` (typed failures), `http` (all network I/O),
`addresses` (which hosts may be reached), `charset` (bytes → text), `feeds`
(feed → FeedItem), `pages` and `metadata` (article HTML → ExtractedPage).
Nothing is imported here so that `import akhbar.extract` stays cheap.
"""
