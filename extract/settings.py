"""Every limit the extractor applies, in one place.

The defaults suit a polite crawler of news sites; tests and operators pass their own
instances instead of patching constants scattered through the code.
"""
from __future__ import annotations

from dataclasses import dataclass

DEFAULT_USER_AGENT = "akhbar/0.1 (+https://github.com/akhbar-news/akhbar; Arabic news research crawler)"

#: Statuses worth asking again for: the server says "not now" rather than "never".
RETRYABLE_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class FetchSettings:
    connect_timeout: float = 5.0
    read_timeout: float = 20.0
    # A slow-dripping server can keep each read under read_timeout forever; this bounds
    # the whole download of one hop.
    total_timeout: float = 60.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    retries: int = 2
    backoff_initial: float = 1.0
    backoff_max: float = 30.0
    backoff_jitter: float = 1.0
    # A Retry-After longer than this is not waited for inside a run; the item fails as
    # transient and the next run picks it up.
    max_retry_after: float = 30.0
    user_agent: str = DEFAULT_USER_AGENT
    chunk_size: int = 64 * 1024
    # Politeness, applied when fetch() is given a HostPacer: seconds between two requests
    # to one host, and requests to one host in flight at once (0: no cap).
    min_host_delay: float = 1.0
    max_host_concurrency: int = 2
    # Off by default: behind a proxy the address checks would vet the proxy, not the site.
    use_env_proxies: bool = False


@dataclass(frozen=True)
class PageSettings:
    """When a page counts as an article rather than furniture, a listing or a stub."""
    min_chars: int = 150
    min_sentences: int = 2
    # A shorter page can still be a news brief (one sentence that carries an event); it is
    # kept when the feed item confirms it (extract_page's allow_brief).
    brief_min_chars: int = 80
    # Pages with this many separate teaser blocks (an <article> each, or a linked
    # heading each) are section/listing pages, unless one block holds most of the text.
    listing_min_teasers: int = 3
    # A <p> whose text is mostly link text is navigation, not prose (fallback path only).
    max_link_density: float = 0.5
    # Beyond these a page is refused before parsing: real article pages are a few hundred
    # KB and a few dozen levels deep; more is a hostile or broken page that would cost the
    # parsers seconds or blow Python's recursion limit.
    max_html_chars: int = 3_000_000
    max_depth: int = 256
