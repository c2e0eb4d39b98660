"""Real receivers on loopback for the notifiers: an HTTP server that keeps what webhooks
POST, and an SMTP server (aiosmtpd) that keeps the e-mails it is handed."""
from __future__ import annotations

import contextlib
import email
import http.server
import json
import socket
import threading
from email.policy import default as default_policy


@contextlib.contextmanager
def webhook_receiver():
    """Yields (url, posted): every JSON body POSTed to the url lands in `posted`."""
    posted: list[dict] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            posted.append({"content_type": self.headers.get("Content-Type"), **json.loads(body)})
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hooks/akhbar", posted
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def smtp_receiver():
    """Yields (port, messages): each e-mail delivered lands in `messages` as an EmailMessage."""
    from aiosmtpd.controller import Controller

    messages: list = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
            message = email.message_from_bytes(envelope.content, policy=default_policy)
            messages.append((envelope.mail_from, list(envelope.rcpt_tos), message))
            return "250 OK"

    # aiosmtpd's Controller checks that it is up by connecting to its port: it needs a
    # number, so a free one is picked first
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, messages
    finally:
        controller.stop()
