"""A web of news sites made of corpus articles, served on loopback for the end-to-end
benchmark: H outlets, each on an address of its own (127.0.0.2, 127.0.0.3, … — Linux routes
all of 127.0.0.0/8 to lo), each with a robots.txt, one RSS feed of M items and an HTML page
per item. Every answer waits a latency drawn from a log-normal distribution (median 100 ms,
σ 0.75: p90 ≈ 0.26 s, p99 ≈ 0.57 s, capped at 1 s), seeded by the URL's host and path so that
every crawler, in every run, meets the same latency for the same URL."""
from __future__ import annotations

import contextlib
import functools
import hashlib
import html
import http.server
import math
import random
import statistics
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import yaml

from akhbar.transform.paragraphs import split_paragraphs
from bench.corpus import read_articles

PAGE = """<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<title>{title} | موقع الاختبار</title>
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="{published}">
</head>
<body>
<header class="site-header"><a class="logo" href="/">موقع الاختبار</a>
<nav><ul><li><a href="/">الرئيسية</a></li><li><a href="/">سياسة</a></li><li><a href="/">اقتصاد</a></li></ul></nav>
</header>
<main>
<article class="news-item">
<h1>{title}</h1>
<time datetime="{published}">{published}</time>
{paragraphs}
</article>
<aside class="related"><h3>اقرأ أيضاً</h3><ul><li><a href="/">خبر آخر</a></li></ul></aside>
</main>
<footer>جميع الحقوق محفوظة</footer>
</body>
</html>
"""

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0">
<channel>
<title>موقع الاختبار - {name}</title>
<link>{base}/</link>
<description>أخبار</description>
<language>ar</language>
{items}
</channel>
</rss>
"""

ITEM = """<item>
<title>{title}</title>
<link>{link}</link>
<guid isPermaLink="false">{guid}</guid>
<pubDate>{published}</pubDate>
<description>{summary}</description>
</item>"""


ROBOTS = """# robots.txt of bench outlet {n:02d}
User-agent: *
Disallow: /search
Disallow: /admin/
Disallow: /*?print=
Allow: /

User-agent: GPTBot
Disallow: /

Sitemap: {{base}}/sitemap.xml
"""

LATENCY_MEDIAN_S = 0.100
LATENCY_SIGMA = 0.75
LATENCY_CAP_S = 1.0


def latency(seed: int, host: str, path: str) -> float:
    """Seconds the server waits before answering `path` on `host` (seeded, log-normal)."""
    digest = hashlib.blake2b(f"{seed}|{host}|{path}".encode(), digest_size=8).digest()
    draw = random.Random(int.from_bytes(digest, "big")).gauss(0.0, 1.0)
    return min(LATENCY_CAP_S, LATENCY_MEDIAN_S * math.exp(LATENCY_SIGMA * draw))


@dataclass
class Host:
    address: str          # 127.0.0.N
    root: Path            # what it serves
    feed_path: str
    page_paths: list[str]
    port: int = 0         # known once it listens

    @property
    def base(self) -> str:
        return f"http://{self.address}:{self.port}"


@dataclass
class Site:
    root: Path
    hosts: list[Host]
    items: int
    seed: int = 14
    latencies: list[float] = field(default_factory=list)  # of every URL the site serves

    @property
    def feeds(self) -> int:
        return len(self.hosts)


def build(path: Path, root: Path, hosts: int, items: int, skip: int = 5000, seed: int = 14) -> Site:
    """hosts/NN/{robots.txt, feed.xml, pages/MM.html} under `root` from corpus articles; the
    links hold a {base} placeholder, filled in by `serve` once each host listens."""
    if hosts > 250:
        raise ValueError("at most 250 loopback hosts (127.0.0.2 … 127.0.0.251)")
    wanted = hosts * items
    chosen = []
    # from `skip` on, then from the start: a small corpus is served over and over
    for start, limit in ((skip, None), (0, skip)):
        for article in read_articles(path, limit, start):
            if len(chosen) == wanted:
                break
            if len(split_paragraphs(article.get("body"))) >= 2 and article.get("title"):
                chosen.append(article)
    if not chosen:
        raise RuntimeError("the corpus has no article with a title and two paragraphs")
    chosen = [chosen[n % len(chosen)] for n in range(wanted)]
    esc = functools.partial(html.escape, quote=True)
    out = []
    for h in range(hosts):
        folder = root / "hosts" / f"{h:02d}"
        (folder / "pages").mkdir(parents=True, exist_ok=True)
        entries, pages = [], []
        for i in range(items):
            article = chosen[h * items + i]
            page = f"pages/{i:03d}.html"
            paragraphs = "\n".join(f"<p>{esc(p)}</p>" for p in split_paragraphs(article["body"]))
            (folder / page).write_text(PAGE.format(title=esc(article["title"]), published=esc(article.get("published") or ""),
                                                   paragraphs=paragraphs), encoding="utf-8")
            entries.append(ITEM.format(title=esc(article["title"]), link="{base}/" + page,
                                       guid=f"urn:bench:{h}:{i}", published=esc(article.get("published") or ""),
                                       summary=esc(article.get("summary") or "")))
            pages.append(page)
        (folder / "feed.xml.in").write_text(FEED.format(name=h, base="{base}", items="\n".join(entries)),
                                            encoding="utf-8")
        (folder / "robots.txt.in").write_text(ROBOTS.format(n=h), encoding="utf-8")
        out.append(Host(f"127.0.0.{h + 2}", folder, "feed.xml", pages))
    site = Site(root, out, items, seed)
    site.latencies = [latency(seed, host.address, "/" + p)
                      for host in out for p in ["robots.txt", host.feed_path, *host.page_paths]]
    return site


def latency_figures(site: Site) -> dict:
    ms = sorted(x * 1000 for x in site.latencies)
    q = lambda f: round(ms[min(len(ms) - 1, int(f * len(ms)))], 1)
    return {"latency_median_ms": round(statistics.median(ms), 1), "latency_p90_ms": q(0.9),
            "latency_p99_ms": q(0.99), "latency_max_ms": round(ms[-1], 1),
            "latency_distribution": f"log-normal, median {LATENCY_MEDIAN_S * 1000:.0f} ms, sigma {LATENCY_SIGMA},"
                                    f" capped at {LATENCY_CAP_S * 1000:.0f} ms; seed {site.seed}, per URL"}


class _SlowHandler(http.server.SimpleHTTPRequestHandler):
    """Static files after a seeded per-URL wait; HTTP/1.1 keep-alive, as sites answer."""
    protocol_version = "HTTP/1.1"
    seed = 0

    def do_GET(self):
        time.sleep(latency(self.seed, self.server.server_address[0], self.path.split("?", 1)[0]))
        super().do_GET()

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(site: Site) -> Iterator[Site]:
    """Every host of the site on its own loopback address (threaded http.server each)."""
    servers = []
    try:
        for host in site.hosts:
            handler = type("Handler", (_SlowHandler,), {"seed": site.seed})
            server = http.server.ThreadingHTTPServer((host.address, 0),
                                                     functools.partial(handler, directory=str(host.root)))
            server.daemon_threads = True
            servers.append(server)
            host.port = server.server_address[1]
            for name in ("feed.xml", "robots.txt"):
                template = (host.root / (name + ".in")).read_text(encoding="utf-8")
                (host.root / name).write_text(template.replace("{base}", host.base), encoding="utf-8")
            threading.Thread(target=server.serve_forever, daemon=True).start()
        yield site
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


def feeds_file(site: Site, target: Path) -> Path:
    doc = {"feeds": [{"name": f"bench-outlet-{n:02d}", "url": f"{host.base}/{host.feed_path}",
                      "outlet": f"bench outlet {n:02d}", "fetch_articles": True, "allow_private_network": True,
                      "respect_robots": True}
                     for n, host in enumerate(site.hosts)]}
    target.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return target


def urls(site: Site) -> list[str]:
    """Feeds and pages (robots.txt not included)."""
    return ([f"{h.base}/{h.feed_path}" for h in site.hosts]
            + [f"{h.base}/{p}" for h in site.hosts for p in h.page_paths])
