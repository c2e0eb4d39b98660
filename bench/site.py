"""A news site made of corpus articles, served on loopback for the end-to-end benchmark:
N RSS feeds of M items each, every item linking to an HTML page of its own."""
from __future__ import annotations

import contextlib
import functools
import html
import http.server
import threading
from dataclasses import dataclass
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


@dataclass
class Site:
    root: Path
    feeds: int
    items: int
    feed_paths: list[str]
    page_paths: list[str]


def build(path: Path, root: Path, feeds: int, items: int, skip: int = 5000) -> Site:
    """Write feeds/NN.xml and pages/NN/MM.html under `root` from corpus articles; the feed
    links are relative to the server root, filled in by `feeds_file`."""
    (root / "feeds").mkdir(parents=True, exist_ok=True)
    wanted = feeds * items
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
    feed_paths, page_paths = [], []
    for f in range(feeds):
        (root / "pages" / f"{f:02d}").mkdir(parents=True, exist_ok=True)
        entries = []
        for i in range(items):
            article = chosen[f * items + i]
            page = f"pages/{f:02d}/{i:02d}.html"
            esc = functools.partial(html.escape, quote=True)
            paragraphs = "\n".join(f"<p>{esc(p)}</p>" for p in split_paragraphs(article["body"]))
            (root / page).write_text(PAGE.format(title=esc(article["title"]), published=esc(article.get("published") or ""),
                                                 paragraphs=paragraphs), encoding="utf-8")
            entries.append(ITEM.format(title=esc(article["title"]), link="{base}/" + page,
                                       guid=f"urn:bench:{f}:{i}", published=esc(article.get("published") or ""),
                                       summary=esc(article.get("summary") or "")))
            page_paths.append(page)
        feed = f"feeds/{f:02d}.xml"
        # the base URL is only known once the server listens: kept as a placeholder
        (root / (feed + ".in")).write_text(FEED.format(name=f, base="{base}", items="\n".join(entries)),
                                           encoding="utf-8")
        feed_paths.append(feed)
    return Site(root, feeds, items, feed_paths, page_paths)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(site: Site) -> Iterator[str]:
    """The site on 127.0.0.1 with a threaded http.server; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site.root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    for feed in site.feed_paths:
        template = (site.root / (feed + ".in")).read_text(encoding="utf-8")
        (site.root / feed).write_text(template.replace("{base}", base), encoding="utf-8")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()


def feeds_file(site: Site, base: str, target: Path) -> Path:
    doc = {"feeds": [{"name": f"bench-feed-{n:02d}", "url": f"{base}/{feed}", "outlet": f"bench {n:02d}",
                      "fetch_articles": True, "allow_private_network": True}
                     for n, feed in enumerate(site.feed_paths)]}
    target.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return target


def urls(site: Site, base: str) -> list[str]:
    return [f"{base}/{p}" for p in site.feed_paths + site.page_paths]
