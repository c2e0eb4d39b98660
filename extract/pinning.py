"""HTTP connections that go to the address the address check vetted, and a watchdog that
ends a request hop when its total time is up.

Pinning: `addresses.check_host` resolves a host once; if urllib3 resolved it again to
connect, a DNS answer that changed in between (rebinding) would reach an internal service,
which would already have received the request when the peer check ran. The connection
classes here take the vetted address from the current hop instead of resolving.

Watchdog: socket timeouts bound each read, not a whole response; a server that drips a
byte every few seconds (in the headers or the body) kept a download alive for as long as
it liked. When a hop's `total_timeout` passes, the watchdog shuts its socket down, which
ends any blocked read at once.
"""
from __future__ import annotations

import socket
import threading
from contextlib import contextmanager
from typing import Iterator

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

_current = threading.local()


class Hop:
    """One request and its response: where to connect, and when to give up."""

    def __init__(self, host: str, port: int, address: str | None, seconds: float) -> None:
        self.host, self.port, self.address = host.lower(), port, address
        self.expired = False
        self._connections: list[HTTPConnection] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def watch(self, conn: HTTPConnection) -> None:
        with self._lock:
            self._connections.append(conn)
            expired = self.expired
        if expired:
            _shut(conn)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            connections = list(self._connections)
        for conn in connections:
            _shut(conn)


def _shut(conn: HTTPConnection) -> None:
    sock = getattr(conn, "sock", None)
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # already closed


@contextmanager
def hop(host: str, port: int, address: str | None, seconds: float) -> Iterator[Hop]:
    """Requests made in the block connect to `address` (for `host`:`port`) and are cut
    off after `seconds`."""
    current = Hop(host, port, address, seconds)
    previous = getattr(_current, "hop", None)
    _current.hop = current
    current._timer.start()
    try:
        yield current
    finally:
        current._timer.cancel()
        _current.hop = previous


class _Pinned:
    """Mixin for urllib3 connections: connect to the hop's vetted address; report to the
    hop's watchdog (a reused keep-alive connection too) before each request."""

    def _new_conn(self) -> socket.socket:
        current = getattr(_current, "hop", None)
        if current is None or current.address is None or (self.host.lower(), self.port) != (current.host, current.port):
            return super()._new_conn()  # a proxy, or no vetted address: resolve as usual
        resolved, self._dns_host = self._dns_host, current.address
        try:
            return super()._new_conn()
        finally:
            self._dns_host = resolved

    def request(self, *args, **kwargs):
        current = getattr(_current, "hop", None)
        if current is not None:
            current.watch(self)
        return super().request(*args, **kwargs)


class PinnedHTTPConnection(_Pinned, HTTPConnection):
    pass


class PinnedHTTPSConnection(_Pinned, HTTPSConnection):
    pass


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = PinnedHTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = PinnedHTTPSConnection


class PinnedAdapter(HTTPAdapter):
    """A requests adapter whose pools make pinned, watched connections."""

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}
