"""Typed failures of fetching and extracting.

Each carries the (credential-free) URL, the HTTP status if any, and whether trying again
later could help. `str(error)` is written to the quarantine table, so messages say what
happened in words an operator can act on.
"""
from __future__ import annotations


class FetchError(Exception):
    """Any failure to turn a URL into usable content."""

    def __init__(self, message: str, *, url: str | None = None, status: int | None = None,
                 permanent: bool = False) -> None:
        super().__init__(message)
        self.url = url
        self.status = status
        self.permanent = permanent


class BlockedAddress(FetchError):
    """The URL points somewhere the crawler must not go (private network, local file)."""

    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__(message, url=url, permanent=True)


class ResponseTooLarge(FetchError):
    def __init__(self, *, url: str | None, limit: int, received: int, declared: int | None = None) -> None:
        if declared is not None:
            message = f"response too large: server announced {declared} bytes, limit is {limit} bytes ({url})"
        else:
            message = f"response too large: more than {limit} bytes, download aborted after {received} bytes ({url})"
        super().__init__(message, url=url, permanent=True)
        self.limit = limit
        self.received = received


class HttpStatusError(FetchError):
    def __init__(self, *, url: str | None, status: int, reason: str = "", permanent: bool,
                 retry_after: float | None = None) -> None:
        kind = "permanent" if permanent else "temporary"
        message = f"HTTP {status}{' ' + reason if reason else ''} ({kind}) for {url}"
        super().__init__(message, url=url, status=status, permanent=permanent)
        self.retry_after = retry_after


class TooManyRedirects(FetchError):
    def __init__(self, message: str, *, url: str | None) -> None:
        super().__init__(message, url=url, permanent=True)


class FeedParseError(FetchError):
    """The document is not an RSS/Atom feed (an HTML page, an error page, garbage)."""

    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__(message, url=url, permanent=True)


class NotAnArticle(FetchError):
    """The page holds no article text worth keeping (a stub, a listing, an error page)."""

    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__(message, url=url, permanent=True)


class DecodeError(FetchError):
    """The bytes cannot be turned into trustworthy text in any plausible encoding."""

    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__(message, url=url, permanent=True)


class TooSlow(FetchError):
    """A request used its whole total_timeout (a server dripping bytes). Transient: a later
    run tries again. Not retried within the run, where another try would cost as much
    again and one slow site would hold up its feed's other pages for minutes."""

    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__(message, url=url, permanent=False)


class HostThrottled(FetchError):
    """The host asked us (Retry-After) to wait longer than a run is willing to; try later."""

    def __init__(self, message: str, *, url: str | None = None, retry_after: float | None = None) -> None:
        super().__init__(message, url=url, permanent=False)
        self.retry_after = retry_after


class RobotsDisallowed(FetchError):
    """The site's robots.txt forbids this URL to our user agent; temporary (permanent=False)
    when the robots.txt itself could not be read and the host is disallowed meanwhile."""

    def __init__(self, message: str, *, url: str | None = None, permanent: bool = True) -> None:
        super().__init__(message, url=url, permanent=permanent)


class PageTooComplex(NotAnArticle):
    """The page is too large or too deeply nested to parse safely."""
