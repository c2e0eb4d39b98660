"""All network I/O of the extractor: one function, `fetch`, that turns a URL into bytes.

Everything that can go wrong ends as a `FetchError` subclass; callers never see a
requests exception. Limits come from `FetchSettings`.
"""
from __future__ import annotations

import email.utils
import logging
import mimetypes
import time
import os
import stat
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.request import url2pathname

import requests
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential_jitter

from . import addresses, pinning
from .pinning import PinnedAdapter
from .errors import (BlockedAddress, FetchError, HttpStatusError, ResponseTooLarge,
                     TooManyRedirects, TooSlow)
from .politeness import HostPacer
from .settings import RETRYABLE_STATUSES, FetchSettings

try:  # urllib3 decodes br only when a brotli binding is importable
    import brotli  # noqa: F401
    _ACCEPT_ENCODING = "gzip, deflate, br"
except ImportError:  # pragma: no cover
    _ACCEPT_ENCODING = "gzip, deflate"

log = logging.getLogger(__name__)

_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class FetchedResponse:
    url: str  # final URL, after redirects
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    content_type: str | None = None  # media type only, lower-case, e.g. "text/html"
    charset: str | None = None  # from the Content-Type header only; never guessed here


def make_session(settings: FetchSettings = FetchSettings()) -> requests.Session:
    """A session to share between fetches of one run (connection reuse)."""
    session = requests.Session()
    session.headers.update({
        "User-Agent": settings.user_agent,
        # Only codecs urllib3 can decode; the size cap counts decoded bytes.
        "Accept-Encoding": _ACCEPT_ENCODING,
        "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/html;q=0.9, */*;q=0.5",
    })
    session.trust_env = settings.use_env_proxies
    # connections go to the vetted address and are cut off at total_timeout (pinning.py)
    for prefix in ("http://", "https://"):
        session.mount(prefix, PinnedAdapter())
    return session


def fetch(url: str, settings: FetchSettings = FetchSettings(), *, allow_private: bool = False,
          allow_file: bool = False, session: requests.Session | None = None,
          headers: dict[str, str] | None = None, private_hosts: frozenset[str] = frozenset(),
          pacer: HostPacer | None = None, file_root: Path | None = None) -> FetchedResponse:
    """GET `url` within the limits of `settings`, retrying transient failures.

    `headers` are extra request headers, e.g. If-None-Match / If-Modified-Since; a 304
    answer is returned as a response with status 304 and an empty body.
    `private_hosts` are origins ('http://host:port') allowed to resolve to private
    addresses even when `allow_private` is off (see `addresses.private_hosts_for`); every
    other hop is vetted. Each hop connects to the address vetted for it, and ends when
    `settings.total_timeout` is up, headers included.
    `file_root`: with `allow_file`, the folder local files must resolve into.
    `pacer`, shared across a run, spaces and caps requests per host on every hop
    (redirects and retries included) and learns Retry-After from 429/503 answers.
    """
    scheme = urlsplit(url).scheme.lower()
    safe_url = addresses.redact_url(url)
    if scheme == "file":
        if not allow_file:
            raise BlockedAddress(f"refused to read local file {safe_url}: file:// URLs are only "
                                 "allowed for the operator's own feeds", url=safe_url)
        return _read_file(url, settings, file_root)
    if scheme not in ("http", "https"):
        raise FetchError(f"unsupported URL scheme {scheme!r} in {safe_url}", url=safe_url, permanent=True)

    allow_private = addresses.private_networks_allowed(allow_private)
    own_session = session is None
    session = session or make_session(settings)
    try:
        for attempt in Retrying(stop=stop_after_attempt(settings.retries + 1),
                                retry=retry_if_exception(_worth_retrying(settings)),
                                wait=_wait(settings), reraise=True,
                                before_sleep=lambda state: log.info(
                                    "retrying %s after %s", safe_url, state.outcome.exception())):
            with attempt:
                return _fetch_following_redirects(session, url, settings, allow_private, headers or {},
                                                  private_hosts, pacer)
    finally:
        if own_session:
            session.close()
    raise AssertionError("unreachable")  # Retrying either returns or re-raises


def _worth_retrying(settings: FetchSettings):
    def predicate(exc: BaseException) -> bool:
        if not isinstance(exc, FetchError) or exc.permanent or isinstance(exc, TooSlow):
            return False
        retry_after = getattr(exc, "retry_after", None)
        return retry_after is None or retry_after <= settings.max_retry_after
    return predicate


def _wait(settings: FetchSettings):
    backoff = wait_exponential_jitter(initial=settings.backoff_initial, max=settings.backoff_max,
                                      jitter=settings.backoff_jitter)

    def wait(state) -> float:
        exc = state.outcome.exception() if state.outcome else None
        retry_after = getattr(exc, "retry_after", None)
        return retry_after if retry_after is not None else backoff(state)
    return wait


def _fetch_following_redirects(session, url, settings, allow_private, extra_headers,
                               private_hosts, pacer) -> FetchedResponse:
    seen: set[str] = set()
    for _hop in range(settings.max_redirects + 1):
        safe_url = addresses.redact_url(url)
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise BlockedAddress(f"refused redirect to {safe_url}: only http(s) URLs may be followed",
                                 url=safe_url)
        seen.add(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        hop_private = allow_private or addresses.origin(url) in private_hosts
        address = addresses.check_host(parts.hostname, port, url=safe_url, allow_private=hop_private)
        with pacer.slot(url) if pacer is not None else nullcontext(), \
                _timed_hop(parts.hostname, port, address, settings, safe_url) as hop:
            response = _get(session, url, settings, extra_headers)
            with response:
                addresses.check_peer(_peer_address(response), url=safe_url, allow_private=hop_private)
                location = response.headers.get("Location")
                if response.status_code in _REDIRECT_STATUSES and location:
                    target = urljoin(url, location.strip())
                    if target in seen:
                        raise TooManyRedirects(f"redirect loop: {safe_url} redirects back to "
                                               f"{addresses.redact_url(target)}", url=safe_url)
                    log.debug("redirect %s -> %s", safe_url, addresses.redact_url(target))
                    url = target
                    continue
                try:
                    return _read_response(response, url, settings, hop)
                except HttpStatusError as exc:
                    # The host, not just this URL, asked for a pause: other items wait too.
                    if pacer is not None and exc.retry_after is not None and exc.status in (429, 503):
                        pacer.defer(url, exc.retry_after)
                    raise
    raise TooManyRedirects(f"more than {settings.max_redirects} redirects, last one to {safe_url}", url=safe_url)


@contextmanager
def _timed_hop(host: str, port: int, address: str | None, settings: FetchSettings, safe_url: str):
    """A pinned, watched hop (pinning.hop); whatever failure the watchdog's cut causes
    is reported as the timeout it is."""
    with pinning.hop(host, port, address, settings.total_timeout) as hop:
        try:
            yield hop
        except FetchError as exc:
            if hop.expired:
                raise _too_slow(safe_url, settings) from exc
            raise


def _too_slow(safe_url: str, settings: FetchSettings) -> TooSlow:
    return TooSlow(f"download of {safe_url} took longer than {settings.total_timeout} s", url=safe_url)


def _get(session, url, settings, extra_headers) -> requests.Response:
    safe_url = addresses.redact_url(url)
    try:
        return session.get(url, stream=True, allow_redirects=False, headers=extra_headers,
                           timeout=(settings.connect_timeout, settings.read_timeout))
    except requests.Timeout as exc:
        raise FetchError(f"timed out connecting to or reading from {safe_url}", url=safe_url) from exc
    except requests.ConnectionError as exc:
        raise FetchError(f"connection failed for {safe_url}: {_root_cause(exc)}", url=safe_url) from exc
    except requests.RequestException as exc:
        raise FetchError(f"invalid request for {safe_url}: {_root_cause(exc)}", url=safe_url,
                         permanent=True) from exc


def _read_response(response: requests.Response, url: str, settings: FetchSettings,
                   hop: pinning.Hop | None = None) -> FetchedResponse:
    safe_url = addresses.redact_url(url)
    status = response.status_code
    if status >= 400:
        permanent = status not in RETRYABLE_STATUSES
        raise HttpStatusError(url=safe_url, status=status, reason=response.reason or "", permanent=permanent,
                              retry_after=_retry_after(response.headers.get("Retry-After")))
    declared = _int_or_none(response.headers.get("Content-Length"))
    encoded = response.headers.get("Content-Encoding", "identity").lower() not in ("", "identity")
    # Content-Length counts compressed bytes; only trust it to refuse early when uncompressed.
    if declared is not None and not encoded and declared > settings.max_bytes:
        raise ResponseTooLarge(url=safe_url, limit=settings.max_bytes, received=0, declared=declared)
    body = bytearray()
    deadline = time.monotonic() + settings.total_timeout
    try:
        for chunk in response.iter_content(chunk_size=settings.chunk_size):
            body += chunk
            if len(body) > settings.max_bytes:
                raise ResponseTooLarge(url=safe_url, limit=settings.max_bytes, received=len(body))
            if time.monotonic() > deadline:
                raise _too_slow(safe_url, settings)
    except requests.RequestException as exc:
        # Mid-body failures (timeouts, resets, corrupt gzip) are worth one more try.
        raise FetchError(f"download of {safe_url} interrupted: {_root_cause(exc)}", url=safe_url) from exc
    if hop is not None and hop.expired:  # cut off by the watchdog: the body may look complete
        raise _too_slow(safe_url, settings)
    media_type, charset = parse_content_type(response.headers.get("Content-Type"))
    return FetchedResponse(url=url, status=status, headers=dict(response.headers), body=bytes(body),
                           content_type=media_type, charset=charset)


def _read_file(url: str, settings: FetchSettings, root: Path | None = None) -> FetchedResponse:
    """A local file, when its real path (percent-decoded, symlinks followed) lies inside
    `root` and it is a regular file: "%2e%2e/", a symlink out of the folder, a FIFO (which
    would block the task) or a device are refused."""
    safe_url = addresses.redact_url(url)
    try:
        path = Path(url2pathname(urlsplit(url).path)).resolve(strict=True)
        if root is not None and not path.is_relative_to(Path(root).resolve()):
            raise BlockedAddress(f"refused to read {safe_url}: it resolves to {path}, outside the "
                                 f"feed's folder {root}", url=safe_url)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        raise FetchError(f"cannot read {safe_url}: {exc.strerror or exc}", url=safe_url, permanent=True) from exc
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise BlockedAddress(f"refused to read {safe_url}: not a regular file", url=safe_url)
        body = fh.read(settings.max_bytes + 1)
    if len(body) > settings.max_bytes:
        raise ResponseTooLarge(url=safe_url, limit=settings.max_bytes, received=len(body))
    media_type = mimetypes.guess_type(path.name)[0]
    return FetchedResponse(url=url, status=200, headers={}, body=body, content_type=media_type, charset=None)


def parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    """("text/html", "windows-1256") from 'text/html; charset="windows-1256"'."""
    if not value:
        return None, None
    media_type, *params = value.split(";")
    charset = None
    for param in params:
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset" and val.strip().strip("\"'"):
            charset = val.strip().strip("\"'").lower()
    return media_type.strip().lower() or None, charset


def _peer_address(response: requests.Response) -> str | None:
    # urllib3/http.client internals: the connection keeps the socket for keep-alive
    # responses, the body stream holds it when the server closes after the response.
    # When neither is reachable we rely on check_host alone.
    raw = response.raw
    for get_socket in (lambda: raw.connection.sock, lambda: raw._fp.fp.raw._sock):
        try:
            sock = get_socket()
            if sock is not None:
                return sock.getpeername()[0]
        except (AttributeError, OSError, TypeError, IndexError):
            continue
    return None


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _root_cause(exc: BaseException) -> str:
    """A short, credential-free version of a requests/urllib3 exception message."""
    text = addresses.redact_text(str(exc))
    return text if len(text) <= 300 else text[:297] + "..."
