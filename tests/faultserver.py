"""A real HTTP server on 127.0.0.1 that misbehaves on purpose, for tests of the crawler.

Usage, as a context manager or through the `fault_server` fixture (tests/extract/conftest.py)::

    from tests.faultserver import FaultServer, faults, payloads

    with FaultServer() as server:
        url = server.route("/rss.xml", payloads.rss([("عنوان", "/a/1.html")]),
                           content_type="application/rss+xml", etag='"v1"')
        server.route("/a/1.html", page_html, fault=faults.status(503, retry_after=1), times=1)
        server.redirect("/a/2.html", "http://169.254.169.254/latest/meta-data/")
        ...  # run the code under test against url
        assert server.count("/a/1.html") == 2  # a 503, then the page

Routes: `route(path, body, *, status, headers, content_type, charset, body_encoding,
etag, last_modified, encoding, fault, times)` serves `body` (bytes, or str encoded with
`body_encoding`, default the charset or UTF-8). `charset=None` sends a Content-Type with no
charset parameter (the "missing charset" case); a `charset` different from `body_encoding`
is a wrong label. With `etag` / `last_modified` the route answers conditional requests
(If-None-Match first, then If-Modified-Since, as RFC 9110 orders them) with 304 and no
body. `encoding` ("gzip", "deflate" or "br") compresses the body when the client's
Accept-Encoding lists it. `fault` replaces the normal answer: always, or only for the
first `times` requests to the route, after which the body is served ("503 then 200").
A `path` may carry a query string to match it exactly; otherwise the query is ignored.
Unknown paths get a 404.

Faults (`faults.*`): `status(code, retry_after=None)` (500/503/429 ...), `hang(seconds,
after_headers=False)` (say nothing past the client's read timeout), `drip(interval, size,
in_headers=False)` (a byte at a time, each read under the read timeout), `drop(after_bytes)`
(announce a Content-Length, send part of it, close the socket), `endless(limit)` (stream
without Content-Length from a bounded generator, never held in memory), `gzip_bomb(size)`
(`size` bytes of "0" gzip-compressed about 1000:1, sent with Content-Encoding: gzip), `redirect(location,
status=302)` (also to http://169.254.169.254/ or http://10.0.0.1/), and
`server.redirect_loop(a, b)` / `server.redirect_chain(prefix, n)`.

Payloads (`payloads.*`) are bodies that are wrong in content rather than in transport:
`rss(items)`, `malformed_xml(recoverable=False)`, `truncated_xml(doc)`, `billion_laughs()`,
`quadratic_blowup()`, `external_entity(target)`, `html_without_article()`,
`article_page(title, paragraphs)`, `robots_txt(disallow, user_agent="*")`.

Request log (thread-safe): `requests(path=None)` lists `Request(method, path, query,
headers, status, bytes_sent, arrived)` where `arrived` is the server's time.monotonic()
when the request line was read and `bytes_sent` counts body bytes handed to the socket
(so an aborted download shows how far it got; a write the client cut short counts its
chunk). Also `count(path=None)`, `bytes_sent(path=None)`, `arrivals(path)`, `peak_concurrency()` (most requests awaiting an answer at once),
`wait_idle(timeout)` (until every handler has returned) and `reset_log()`.
"""
from __future__ import annotations

import email.utils
import gzip
import html
import http.server
import socket
import struct
import threading
import time
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable, Iterator
from urllib.parse import urlsplit

try:
    import brotli
except ImportError:  # pragma: no cover - brotli is a runtime dependency
    brotli = None

__all__ = ["FaultServer", "Request", "faults", "payloads"]


@dataclass
class Request:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    arrived: float
    status: int | None = None
    bytes_sent: int = 0
    done: bool = False
    responded: float | None = None  # when the status line went out
    ended: float | None = None  # when the handler returned


# A fault writes the whole answer through the handler; `ctx` gives it the server's stop
# event and the log entry to count bytes into.
Fault = Callable[["_Handler", "_Context"], None]


@dataclass
class _Context:
    server: "FaultServer"
    record: Request

    def send_status(self, handler: "_Handler", status: int) -> None:
        if self.record.responded is None:
            self.record.responded = time.monotonic()
        handler.send_response(status)
        self.record.status = status

    def write(self, handler: "_Handler", data: bytes) -> None:
        # Counted before the write: once the client holds the bytes the log must show
        # them. A write that fails (client gone) over-counts by at most this one chunk.
        self.record.bytes_sent += len(data)
        handler.wfile.write(data)


@dataclass
class _Route:
    body: bytes
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = None
    etag: str | None = None
    last_modified: datetime | None = None
    encoding: str | None = None
    fault: Fault | None = None
    times: int | None = None
    served: int = 0


class _Handler(http.server.BaseHTTPRequestHandler):
    server: "_HTTPServer"
    protocol_version = "HTTP/1.1"  # keep-alive, as real sites do

    def do_GET(self) -> None:
        self.server.owner._handle(self)

    def do_HEAD(self) -> None:
        self.server.owner._handle(self)

    def log_message(self, *args) -> None:
        pass


class _HTTPServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    owner: "FaultServer"

    def handle_error(self, request, client_address) -> None:
        pass  # clients hanging up mid-answer is what these tests do on purpose


class FaultServer:
    """See the module docstring."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._routes: dict[str, _Route] = {}
        self._log: list[Request] = []
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._in_flight = 0
        self.stop = threading.Event()
        self._httpd = _HTTPServer((host, port), _Handler)
        self._httpd.owner = self
        self.host = host
        self.port = self._httpd.server_address[1]
        self.base = f"http://{host}:{self.port}"
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------
    def start(self) -> "FaultServer":
        if self._thread is None:
            self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                            name=f"faultserver:{self.port}", daemon=True)
            self._thread.start()
        return self

    def close(self) -> None:
        self.stop.set()  # hanging handlers return at once
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(5)
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> "FaultServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

    def url(self, path: str) -> str:
        return self.base + path

    # -- routes ----------------------------------------------------------------------
    def route(self, path: str, body: bytes | str = b"", *, status: int = 200,
              headers: dict[str, str] | None = None, content_type: str | None = "text/html",
              charset: str | None = "utf-8", body_encoding: str | None = None,
              etag: str | None = None, last_modified: datetime | str | None = None,
              encoding: str | None = None, fault: Fault | None = None, times: int | None = None) -> str:
        """Serve `body` at `path` (see the module docstring); returns the absolute URL."""
        if isinstance(body, str):
            body = body.encode(body_encoding or charset or "utf-8")
        if content_type and charset:
            content_type = f"{content_type}; charset={charset}"
        if isinstance(last_modified, str):
            last_modified = email.utils.parsedate_to_datetime(last_modified)
        if encoding not in (None, "gzip", "deflate", "br"):
            raise ValueError(f"unknown content-coding {encoding!r}")
        with self._lock:
            self._routes[path] = _Route(body=body, status=status, headers=dict(headers or {}),
                                        content_type=content_type, etag=etag, last_modified=last_modified,
                                        encoding=encoding, fault=fault, times=times)
        return self.url(path)

    def redirect(self, path: str, location: str, status: int = 302) -> str:
        return self.route(path, fault=faults.redirect(location, status))

    def redirect_loop(self, a: str, b: str) -> str:
        """`a` redirects to `b` and `b` back to `a`."""
        self.redirect(a, b)
        self.redirect(b, a)
        return self.url(a)

    def redirect_chain(self, prefix: str, hops: int, final: str | None = None) -> str:
        """prefix/0 → prefix/1 → ... → prefix/hops, which redirects to `final` if given."""
        for n in range(hops):
            self.redirect(f"{prefix}/{n}", f"{prefix}/{n + 1}")
        if final is not None:
            self.redirect(f"{prefix}/{hops}", final)
        return self.url(f"{prefix}/0")

    # -- log -------------------------------------------------------------------------
    def requests(self, path: str | None = None) -> list[Request]:
        with self._lock:
            return [r for r in self._log if path is None or r.path == path]

    def count(self, path: str | None = None) -> int:
        return len(self.requests(path))

    def bytes_sent(self, path: str | None = None) -> int:
        return sum(r.bytes_sent for r in self.requests(path))

    def arrivals(self, path: str | None = None) -> list[float]:
        return [r.arrived for r in self.requests(path)]

    def peak_concurrency(self) -> int:
        """Most requests waiting for an answer at once: each counts from its arrival to the
        moment its status line was sent (or its handler ended). Timestamps taken before
        the answer leaves cannot race with the client's next request."""
        now = time.monotonic()
        events = []
        for r in self.requests():
            end = r.responded if r.responded is not None else (r.ended if r.ended is not None else now)
            events += [(r.arrived, 1), (end, -1)]
        peak = current = 0
        for _, step in sorted(events):  # at equal times an end (-1) sorts before a start
            current += step
            peak = max(peak, current)
        return peak

    def wait_idle(self, timeout: float = 5.0) -> bool:
        """Wait until no handler is running (e.g. a stream noticed the client left)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._in_flight == 0, timeout)

    def reset_log(self) -> None:
        with self._lock:
            self._log.clear()

    # -- request handling ------------------------------------------------------------
    def _handle(self, handler: _Handler) -> None:
        parts = urlsplit(handler.path)
        record = Request(method=handler.command, path=parts.path, query=parts.query,
                         headers=dict(handler.headers), arrived=time.monotonic())
        with self._lock:
            self._log.append(record)
            self._in_flight += 1
            route = self._routes.get(handler.path) or self._routes.get(parts.path)
            fault = None
            if route is not None:
                route.served += 1
                if route.fault is not None and (route.times is None or route.served <= route.times):
                    fault = route.fault
        ctx = _Context(self, record)
        try:
            if route is None:
                _send_plain(handler, ctx, 404, b"not found")
            elif fault is not None:
                fault(handler, ctx)
            else:
                _serve(handler, ctx, route)
            handler.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, socket.timeout):
            handler.close_connection = True
        finally:
            with self._idle:
                record.done = True
                record.ended = time.monotonic()
                self._in_flight -= 1
                self._idle.notify_all()


def _send_plain(handler: _Handler, ctx: _Context, status: int, body: bytes,
                headers: dict[str, str] | None = None) -> None:
    ctx.send_status(handler, status)
    handler.send_header("Content-Type", "text/plain; charset=utf-8")
    for key, value in (headers or {}).items():
        handler.send_header(key, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    if handler.command != "HEAD":
        ctx.write(handler, body)


def _not_modified(handler: _Handler, route: _Route) -> bool:
    if route.etag is not None and handler.headers.get("If-None-Match") is not None:
        tags = [t.strip() for t in handler.headers["If-None-Match"].split(",")]
        return "*" in tags or route.etag in tags or route.etag.removeprefix("W/") in tags
    since = handler.headers.get("If-Modified-Since")
    if route.last_modified is not None and since:
        try:
            return route.last_modified.replace(microsecond=0) <= email.utils.parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


def _encode(body: bytes, coding: str) -> bytes:
    if coding == "gzip":
        return gzip.compress(body)
    if coding == "deflate":
        return zlib.compress(body)  # HTTP "deflate" is the zlib format
    if brotli is None:
        raise RuntimeError("the brotli package is needed to serve Content-Encoding: br")
    return brotli.compress(body)


def _serve(handler: _Handler, ctx: _Context, route: _Route) -> None:
    validators = {}
    if route.etag is not None:
        validators["ETag"] = route.etag
    if route.last_modified is not None:
        validators["Last-Modified"] = email.utils.format_datetime(
            route.last_modified.astimezone(timezone.utc), usegmt=True)
    if _not_modified(handler, route):
        ctx.send_status(handler, 304)
        for key, value in validators.items():
            handler.send_header(key, value)
        handler.end_headers()
        return
    body, coding = route.body, None
    accepted = {c.split(";")[0].strip().lower() for c in handler.headers.get("Accept-Encoding", "").split(",")}
    if route.encoding and route.encoding in accepted:
        body, coding = _encode(body, route.encoding), route.encoding
    ctx.send_status(handler, route.status)
    if route.content_type:
        handler.send_header("Content-Type", route.content_type)
    if coding:
        handler.send_header("Content-Encoding", coding)
    for key, value in {**validators, **route.headers}.items():
        handler.send_header(key, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    if handler.command != "HEAD":
        ctx.write(handler, body)


class faults:
    """Factories of misbehaving answers; each returns a callable for `route(fault=...)`."""

    @staticmethod
    def status(code: int, *, retry_after: float | str | None = None, body: bytes = b"") -> Fault:
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}

        def fault(handler, ctx):
            _send_plain(handler, ctx, code, body or f"error {code}".encode(), headers)
        return fault

    @staticmethod
    def hang(seconds: float, *, after_headers: bool = False) -> Fault:
        """Say nothing for `seconds` (returns early when the server closes), then close."""
        def fault(handler, ctx):
            if after_headers:
                ctx.send_status(handler, 200)
                handler.send_header("Content-Type", "text/html; charset=utf-8")
                handler.send_header("Content-Length", "1000")
                handler.end_headers()
                handler.wfile.flush()
            ctx.server.stop.wait(seconds)
            handler.close_connection = True
        return fault

    @staticmethod
    def drip(interval: float = 0.3, size: int = 1000, *, in_headers: bool = False) -> Fault:
        """Send a byte every `interval` seconds: each read is quick, the whole is not.
        `in_headers` drips a header line instead of the body (before the blank line)."""
        def fault(handler, ctx):
            ctx.send_status(handler, 200)
            handler.send_header("Content-Type", "text/html; charset=utf-8")
            handler.send_header("Content-Length", str(size))
            handler.close_connection = True
            if in_headers:
                handler.flush_headers()
                handler.wfile.write(b"X-Slow: ")
                for _ in range(size):
                    if ctx.server.stop.wait(interval):
                        return
                    handler.wfile.write(b"a")
                    handler.wfile.flush()
                return
            handler.end_headers()
            handler.wfile.flush()
            for _ in range(size):
                if ctx.server.stop.wait(interval):
                    return
                ctx.write(handler, b"a")
                handler.wfile.flush()
        return fault

    @staticmethod
    def drop(after_bytes: int = 100, *, announced: int = 10_000) -> Fault:
        """Announce `announced` bytes, send `after_bytes`, then cut the connection."""
        def fault(handler, ctx):
            ctx.send_status(handler, 200)
            handler.send_header("Content-Type", "text/html; charset=utf-8")
            handler.send_header("Content-Length", str(announced))
            handler.end_headers()
            ctx.write(handler, b"<" + b"x" * (after_bytes - 1))
            handler.wfile.flush()
            handler.close_connection = True
            # RST rather than FIN, as a crashed upstream or a load balancer does.
            handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            handler.connection.close()
        return fault

    @staticmethod
    def endless(limit: int = 1 << 30, *, chunk: int = 64 * 1024) -> Fault:
        """Stream up to `limit` bytes without Content-Length, chunk by chunk."""
        def fault(handler, ctx):
            ctx.send_status(handler, 200)
            handler.send_header("Content-Type", "text/html; charset=utf-8")
            handler.send_header("Connection", "close")
            handler.end_headers()
            handler.close_connection = True
            for piece in _zeros(limit, chunk, b"a"):
                if ctx.server.stop.is_set():
                    return
                ctx.write(handler, piece)
        return fault

    @staticmethod
    def gzip_bomb(size: int, *, content_type: str = "text/html; charset=utf-8") -> Fault:
        """`size` bytes of "0" gzip-compressed (about 1000:1), compressed chunk by chunk."""
        compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: gzip container
        payload = b"".join(compressor.compress(piece) for piece in _zeros(size, 1 << 20, b"0")) + compressor.flush()

        def fault(handler, ctx):
            ctx.send_status(handler, 200)
            handler.send_header("Content-Type", content_type)
            handler.send_header("Content-Encoding", "gzip")
            handler.send_header("Content-Length", str(len(payload)))
            handler.end_headers()
            ctx.write(handler, payload)
        return fault

    @staticmethod
    def redirect(location: str, status: int = 302) -> Fault:
        def fault(handler, ctx):
            _send_plain(handler, ctx, status, b"", {"Location": location})
        return fault


def _zeros(total: int, chunk: int, byte: bytes) -> Iterator[bytes]:
    block = byte * chunk
    sent = 0
    while sent < total:
        piece = block if total - sent >= chunk else block[: total - sent]
        sent += len(piece)
        yield piece


class payloads:
    """Bodies that are wrong (or right) in content; all return bytes unless noted."""

    @staticmethod
    def rss(items: list[tuple], *, title: str = "أخبار", encoding: str = "utf-8",
            declare: str | None = None, extra_prolog: str = "") -> bytes:
        """An RSS 2.0 feed of (title, link) items, encoded with `encoding` and declaring
        `declare` (default: the same) in its XML declaration. An item may be (title, link,
        raw_xml): raw_xml goes into the <item> unescaped (a pubDate, a hostile entity)."""
        entries = "".join(f"<item><title>{html.escape(t)}</title><link>{html.escape(link)}</link>"
                          f"<description>{html.escape(t)}</description>{''.join(raw)}</item>"
                          for t, link, *raw in items)
        doc = (f'<?xml version="1.0" encoding="{declare or encoding}"?>\n{extra_prolog}'
               f'<rss version="2.0"><channel><title>{html.escape(title)}</title><link>http://example.invalid/</link>'
               f"<description>d</description>{entries}</channel></rss>")
        return doc.encode(encoding)

    @staticmethod
    def malformed_xml(*, recoverable: bool = False) -> bytes:
        """Not well-formed XML; with `recoverable` a lenient parser still finds one item."""
        if recoverable:
            return (b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
                    b"<item><title>a & b <b></title><link>http://example.invalid/1</link></item></channel></rs>")
        return (b'<?xml version="1.0"?><rss version="2.0"><channel><title>t & u</title></channel>'
                b"<<item>><title>a</ti<tle><link>http://example.invalid/1</lin")

    @staticmethod
    def truncated_xml(doc: bytes | None = None, keep: float = 0.6) -> bytes:
        doc = doc or payloads.rss([(f"خبر {n}", f"http://example.invalid/{n}") for n in range(5)])
        return doc[: int(len(doc) * keep)]

    @staticmethod
    def billion_laughs(depth: int = 9) -> bytes:
        """The classic nested-entity bomb: 10**depth copies of "lol" if expanded."""
        decls = ['<!ENTITY lol0 "lol">']
        decls += [f'<!ENTITY lol{n} "{("&lol%d;" % (n - 1)) * 10}">' for n in range(1, depth + 1)]
        prolog = "<!DOCTYPE rss [\n" + "\n".join(decls) + "\n]>\n"
        return payloads.rss([(f"&lol{depth};", "http://example.invalid/1")], extra_prolog=prolog).replace(
            f"&amp;lol{depth};".encode(), f"&lol{depth};".encode())

    @staticmethod
    def quadratic_blowup(value_size: int = 10_000, refs: int = 2_000) -> bytes:
        """One flat entity referenced many times: no nesting, still value_size*refs chars."""
        prolog = f'<!DOCTYPE rss [\n<!ENTITY big "{"a" * value_size}">\n]>\n'
        doc = payloads.rss([("BLOWUP", "http://example.invalid/1")], extra_prolog=prolog)
        return doc.replace(b"<title>BLOWUP</title>", b"<title>" + b"&big;" * refs + b"</title>")

    @staticmethod
    def external_entity(target: str = "file:///etc/passwd") -> bytes:
        prolog = f'<!DOCTYPE rss [\n<!ENTITY xxe SYSTEM "{target}">\n]>\n'
        doc = payloads.rss([("XXE", "http://example.invalid/1")], extra_prolog=prolog)
        return doc.replace(b"<title>XXE</title>", b"<title>&xxe;</title>")

    @staticmethod
    def article_page(title: str, paragraphs: list[str], *, head: str = "") -> str:
        """A str: encode it as the test needs (wrong labels, legacy code pages)."""
        body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
        return (f"<!DOCTYPE html><html lang='ar' dir='rtl'><head>{head}<title>{html.escape(title)}</title></head>"
                f"<body><main><article><h1>{html.escape(title)}</h1>{body}</article></main></body></html>")

    @staticmethod
    def html_without_article() -> str:
        links = "".join(f"<li><a href='/s/{n}'>قسم {n}</a></li>" for n in range(12))
        return (f"<!DOCTYPE html><html lang='ar'><head><title>الصفحة الرئيسية</title></head><body>"
                f"<nav><ul>{links}</ul></nav><div class='promo'>اشترك في النشرة</div>"
                f"<footer>جميع الحقوق محفوظة</footer></body></html>")

    @staticmethod
    def robots_txt(disallow: list[str] = (), *, user_agent: str = "*", allow: list[str] = (),
                   crawl_delay: float | None = None) -> bytes:
        lines = [f"User-agent: {user_agent}"]
        lines += [f"Allow: {path}" for path in allow]
        lines += [f"Disallow: {path}" for path in disallow] or ["Disallow:"]
        if crawl_delay is not None:
            lines.append(f"Crawl-delay: {crawl_delay}")
        return ("\n".join(lines) + "\n").encode()
