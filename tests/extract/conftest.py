"""A real HTTP server on 127.0.0.1 whose routes each misbehave in one documented way,
and small Arabic article pages wrapped in site furniture."""
from __future__ import annotations

import collections
import gzip
import html
import http.server
import threading
from dataclasses import dataclass, field
from typing import Callable

import pytest

from akhbar.extract.settings import FetchSettings
from tests.faultserver import FaultServer

# Site furniture as news sites wrap it around the article (cf. shared/eval/e2e.py).
NAV = ("<header><nav><ul><li><a href='/'>الصفحة الرئيسية</a></li><li><a href='/politics'>سياسة</a></li>"
       "<li><a href='/culture'>ثقافة</a></li></ul></nav>"
       "<div class='breaking'>عاجل: انقطاع مؤقت في خدمة البث المباشر</div></header>")
SHARE = "<div class='share'>شارك المقال: فيسبوك | إكس | تيليغرام</div>"
RELATED = ("<aside class='related'><h3>اقرأ أيضا</h3><ul><li><a href='/r/1'>ارتفاع أسعار الذهب في الأسواق المحلية</a></li>"
           "<li><a href='/r/2'>منتخب الشباب يتأهل إلى الدور النهائي</a></li></ul></aside>")
FOOTER = "<footer><p>جميع الحقوق محفوظة © شبكة الأخبار</p><p>من نحن | سياسة الخصوصية</p></footer>"
FURNITURE_LINES = ["الصفحة الرئيسية", "عاجل", "شارك المقال", "اقرأ أيضا", "ارتفاع أسعار الذهب",
                   "جميع الحقوق محفوظة", "سياسة الخصوصية"]

TITLE = "وزيرا خارجية البلدين يوقعان مذكرة تفاهم في عمّان"
PARAGRAPHS = [
    "وقّع وزيرا خارجية البلدين، اليوم الأحد في عمّان، مذكرة تفاهم للتشاور السياسي المنتظم بين الوزارتين.",
    "وقال الوزير في مؤتمر صحفي مشترك إن المذكرة تفتح الباب أمام تعاون أوسع في مجالات الطاقة والنقل.",
    "وأضاف أن اللجنة المشتركة ستجتمع مرة كل عام، بالتناوب بين العاصمتين.",
    "ويأتي التوقيع بعد جولة مباحثات استمرت يومين تناولت الأوضاع الإقليمية.",
]


def article_html(title: str = TITLE, paragraphs: list[str] = PARAGRAPHS, *, head: str = "",
                 site: str = "شبكة الأخبار") -> str:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (f"<!DOCTYPE html><html lang='ar' dir='rtl'><head>{head}<title>{html.escape(title)} | {site}</title>"
            f"</head><body>{NAV}<main><article><h1>{html.escape(title)}</h1><div class='byline'>{site}</div>"
            f"{body}</article></main>{SHARE}{RELATED}{FOOTER}</body></html>")


Handler = Callable[[http.server.BaseHTTPRequestHandler], None]


@dataclass
class Site:
    base: str
    routes: dict[str, Handler] = field(default_factory=dict)
    hits: collections.Counter = field(default_factory=collections.Counter)
    request_headers: dict[str, dict] = field(default_factory=dict)
    stop: threading.Event = field(default_factory=threading.Event)
    # Bytes a streaming route managed to write before the client hung up.
    streamed: dict[str, int] = field(default_factory=dict)
    streaming_done: threading.Event = field(default_factory=threading.Event)

    def url(self, path: str) -> str:
        return self.base + path

    def static(self, path: str, body: bytes, content_type: str = "text/html; charset=utf-8",
               status: int = 200, headers: dict[str, str] | None = None) -> str:
        def handle(h):
            h.send_response(status)
            h.send_header("Content-Type", content_type)
            h.send_header("Content-Length", str(len(body)))
            for key, value in (headers or {}).items():
                h.send_header(key, value)
            h.end_headers()
            h.wfile.write(body)
        self.routes[path] = handle
        return self.url(path)

    def redirect(self, path: str, location: str, status: int = 302) -> str:
        def handle(h):
            h.send_response(status)
            h.send_header("Location", location)
            h.send_header("Content-Length", "0")
            h.end_headers()
        self.routes[path] = handle
        return self.url(path)

    def sequence(self, path: str, *handlers: Handler) -> str:
        """Answer the n-th request with the n-th handler (the last one repeats)."""
        def handle(h):
            handlers[min(self.hits[path], len(handlers)) - 1](h)
        self.routes[path] = handle
        return self.url(path)


def status_only(status: int, headers: dict[str, str] | None = None) -> Handler:
    def handle(h):
        h.send_response(status)
        for key, value in (headers or {}).items():
            h.send_header(key, value)
        h.send_header("Content-Length", "0")
        h.end_headers()
    return handle


def stream_forever(site: Site, path: str, total: int, chunk: int = 64 * 1024) -> Handler:
    """Send `total` bytes without Content-Length, counting what gets through."""
    def handle(h):
        h.send_response(200)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        h.end_headers()
        sent = 0
        try:
            while sent < total:
                h.wfile.write(b"a" * chunk)
                sent += chunk
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            site.streamed[path] = sent
            site.streaming_done.set()
    return handle


def gzip_bomb(size: int) -> Handler:
    payload = gzip.compress(b"<p>" + b"0" * size)

    def handle(h):
        h.send_response(200)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        h.send_header("Content-Encoding", "gzip")
        h.send_header("Content-Length", str(len(payload)))
        h.end_headers()
        h.wfile.write(payload)
    return handle


def slow(site: Site, seconds: float) -> Handler:
    def handle(h):
        site.stop.wait(seconds)  # returns early at teardown so the server can close
        status_only(200)(h)
    return handle


@pytest.fixture(scope="session")
def _server():
    site = Site(base="")

    class Dispatch(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            path = self.path.split("?")[0]
            site.hits[path] += 1
            site.request_headers[path] = dict(self.headers)
            route = site.routes.get(path)
            if route is None:
                self.send_error(404)
                return
            route(self)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Dispatch)
    server.daemon_threads = True
    server.block_on_close = False
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield site
    site.stop.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def site(_server: Site) -> Site:
    """The loopback server with this test's routes only."""
    _server.routes.clear()
    _server.hits.clear()
    _server.request_headers.clear()
    _server.streamed.clear()
    _server.streaming_done.clear()
    return _server


@pytest.fixture(autouse=True)
def _private_networks_off(monkeypatch):
    """Tests state the private-network switch explicitly, whatever the caller's shell has."""
    monkeypatch.delenv("AKHBAR_ALLOW_PRIVATE_NETWORKS", raising=False)


@pytest.fixture
def fast() -> FetchSettings:
    """Limits scaled down so that every failure mode takes milliseconds."""
    return FetchSettings(connect_timeout=1.0, read_timeout=0.3, total_timeout=5.0, max_bytes=256 * 1024,
                         retries=2, backoff_initial=0.01, backoff_max=0.05, backoff_jitter=0.01,
                         max_retry_after=1.0, chunk_size=16 * 1024)


@pytest.fixture
def fault_server():
    """A fresh fault-injecting server (tests/faultserver.py) for one test."""
    with FaultServer() as server:
        yield server
