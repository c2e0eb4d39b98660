"""Article HTML to `ExtractedPage`: the article's own paragraphs, in order, nothing else.

trafilatura does the boilerplate removal (navigation, breaking-news bars, share bars,
related-article lists, footers); a BeautifulSoup pass over the <article>/<main> <p>
elements is the fallback when it finds nothing. No network I/O here.
"""
from __future__ import annotations

import re

import trafilatura
from bs4 import BeautifulSoup, Tag

from akhbar.models import ExtractedPage

from .addresses import redact_url
from .errors import NotAnArticle, PageTooComplex
from .metadata import clean, page_published, page_title
from .settings import PageSettings
from .textclean import sanitize

_TRAFILATURA_BLOCKS = frozenset({"p", "head", "item", "quote"})
_FURNITURE_TAGS = ("nav", "header", "footer", "aside", "form", "figure", "script", "style", "noscript")
_FURNITURE_CLASS = re.compile(r"share|social|related|comment|breadcrumb|newsletter|tags?\b|byline|author|"
                              r"footer|menu|nav|breaking|ticker|advert|\bad\b|promo|subscribe|read-?also|most-?read|"
                              r"kicker|category|section-label|badge", re.I)
# Sentence ends in Arabic and Latin script, including the Arabic question mark.
# Marks a <br>/<lb/> while text is gathered; raw newlines in HTML source are just spaces.
_LINE_BREAK = "\u2029"
_SENTENCE_END = re.compile(r"[.!?؟…]+(?=\s|$)")
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)(?:\s[^>]*)?>|<!--.*?-->", re.S)
_RAW_TEXT = re.compile(r"<(script|style|textarea|template)\b.*?</\1\s*>", re.S | re.I)
# Void elements never nest; these close implicitly, so a page of unclosed <p> is flat.
_NON_NESTING = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                          "track", "wbr", "param", "keygen", "p", "li", "dt", "dd", "tr", "td", "th", "option",
                          "optgroup", "thead", "tbody", "tfoot", "colgroup", "rp", "rt", "html", "head", "body"})


def extract_page(html: str, url: str | None = None, *, settings: PageSettings = PageSettings(),
                 allow_brief: bool = False) -> ExtractedPage:
    """Title, publication time and article paragraphs of `html`; NotAnArticle if it has none.

    With `allow_brief`, a page too short for an article but holding a sentence of at least
    `settings.brief_min_chars` (a one-line news brief) comes back with `brief=True`: the
    caller decides, from the feed item, whether it is a brief or a stub."""
    safe_url = redact_url(url) if url else None
    check_limits(html, safe_url, settings)
    html = sanitize(html)  # callers may pass text that did not come through decode_document
    soup = BeautifulSoup(html, "lxml")
    title = page_title(soup)
    paragraphs = _drop_furniture(_drop_title(_trafilatura_paragraphs(html, url), title), soup)
    if _text_length(paragraphs) < settings.min_chars:
        paragraphs = _drop_title(_fallback_paragraphs(soup, settings), title)
    where = f" ({safe_url})" if safe_url else ""
    if _is_listing(soup, paragraphs, settings):
        raise NotAnArticle(f"listing or section page, not an article{where}", url=safe_url)
    length, sentences = _text_length(paragraphs), _sentence_count(paragraphs)
    brief = length < settings.min_chars or sentences < settings.min_sentences
    if brief and allow_brief and length >= settings.brief_min_chars:
        return ExtractedPage(title=sanitize(title), paragraphs=[sanitize(p) for p in paragraphs],
                             published=page_published(soup), brief=True)
    if brief:
        raise NotAnArticle(f"too little article text: {length} characters in {sentences} sentence(s), "
                           f"need {settings.min_chars} characters and {settings.min_sentences} sentences{where}",
                           url=safe_url)
    return ExtractedPage(title=sanitize(title), paragraphs=[sanitize(p) for p in paragraphs],
                         published=page_published(soup))


def confirms_brief(item_title: str | None, item_summary: str | None, page: ExtractedPage) -> bool:
    """Whether a feed item names the story of a short page: the same headline, or a summary
    that is the page's text (either holding the other). A stub or error page shares neither."""
    def norm(text: str | None) -> str:
        return " ".join((text or "").split()).casefold()
    title, page_title_ = norm(item_title), norm(page.title)
    if title and page_title_ and (title in page_title_ or page_title_ in title):
        return True
    summary, text = norm(item_summary), norm(" ".join(page.paragraphs))
    return bool(summary and text) and (summary in text or text in summary)


def check_limits(html: str, url: str | None = None, settings: PageSettings = PageSettings()) -> None:
    """Raise PageTooComplex for pages too large or too deeply nested to parse safely."""
    where = f" ({url})" if url else ""
    if len(html) > settings.max_html_chars:
        raise PageTooComplex(f"page too large to parse: {len(html)} characters of HTML, the limit is "
                             f"{settings.max_html_chars}{where}", url=url)
    depth = nesting_depth(html, stop_at=settings.max_depth + 1)
    if depth > settings.max_depth:
        raise PageTooComplex(f"page nested more than {settings.max_depth} elements deep: broken or hostile "
                             f"markup, not parsed{where}", url=url)


def nesting_depth(html: str, *, stop_at: int | None = None) -> int:
    """Deepest element nesting of `html`, counted from its tags without building a tree
    (which is what the limit protects); stops counting once `stop_at` is reached."""
    depth = deepest = 0
    stack: list[str] = []
    for match in _TAG.finditer(_RAW_TEXT.sub("", html)):
        name = match.group(2)
        if name is None:
            continue  # a comment
        name = name.lower()
        if name in _NON_NESTING or match.group(0).endswith("/>"):
            continue
        if match.group(1):  # closing tag: pop to the matching open element, if any
            if name in stack:
                while stack and stack.pop() != name:
                    pass
            depth = len(stack)
            continue
        stack.append(name)
        depth = len(stack)
        if depth > deepest:
            deepest = depth
            if stop_at is not None and deepest >= stop_at:
                break
    return deepest


def _trafilatura_paragraphs(html: str, url: str | None) -> list[str]:
    document = trafilatura.bare_extraction(
        html, url=url, include_comments=False, include_tables=False, include_links=False,
        include_images=False, include_formatting=False, favor_recall=True, deduplicate=False,
        with_metadata=False)
    body = getattr(document, "body", None)
    if body is None:
        return []
    paragraphs: list[str] = []
    for element in body.iter(*_TRAFILATURA_BLOCKS):
        if any(ancestor.tag in _TRAFILATURA_BLOCKS for ancestor in element.iterancestors()):
            continue  # its text is taken with the enclosing block
        if element.tag == "quote" and element.find(".//p") is not None:
            continue  # the <p> inside are taken one by one
        paragraphs.extend(_split_lines(_element_text(element)))
    return paragraphs


def _element_text(element) -> str:
    """Text of a trafilatura block with each <lb/> kept as a line break."""
    parts = [_LINE_BREAK if element.tag == "lb" else (element.text or "")]
    for child in element:
        parts.append(_element_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _fallback_paragraphs(soup: BeautifulSoup, settings: PageSettings) -> list[str]:
    container = _main_container(soup)
    if container is None:
        return []
    paragraphs: list[str] = []
    for p in container.find_all("p"):
        if _in_furniture(p, container) or _link_density(p) > settings.max_link_density:
            continue
        for br in p.find_all("br"):
            br.replace_with(_LINE_BREAK)
        paragraphs.extend(_split_lines(p.get_text()))
    return paragraphs


def _main_container(soup: BeautifulSoup) -> Tag | None:
    articles = soup.find_all("article")
    if articles:
        return max(articles, key=lambda a: sum(len(p.get_text()) for p in a.find_all("p")))
    return soup.find("main") or soup.find(attrs={"role": "main"}) or soup.body


def _in_furniture(node: Tag, stop: Tag) -> bool:
    for parent in node.parents:
        if parent is stop or parent is None:
            return False
        if parent.name in _FURNITURE_TAGS:
            return True
        if _FURNITURE_CLASS.search(_marks(parent)):
            return True
    return False


def _link_density(node: Tag) -> float:
    text = len(clean(node.get_text()))
    linked = sum(len(clean(a.get_text())) for a in node.find_all("a"))
    return linked / text if text else 1.0


def _is_listing(soup: BeautifulSoup, paragraphs: list[str], settings: PageSettings) -> bool:
    """A page is a listing when most of the extracted text sits in teaser blocks (a block
    headed by a linked heading) spread over several such blocks."""
    og_type = soup.find("meta", attrs={"property": "og:type"})
    if og_type and clean(og_type.get("content")).lower() == "article":
        return False
    extracted = {p: len(p) for p in paragraphs}
    teaser_chars, teaser_blocks = 0, 0
    for heading in soup.find_all(["h1", "h2", "h3", "h4"]):
        link = heading.find("a")
        if link is None or len(clean(link.get_text())) < 0.8 * len(clean(heading.get_text())):
            continue
        block_text = {clean(p.get_text()) for p in heading.parent.find_all("p")}
        chars = sum(n for p, n in extracted.items() if p in block_text)
        if chars:
            teaser_chars += chars
            teaser_blocks += 1
    total = sum(extracted.values())
    return teaser_blocks >= settings.listing_min_teasers and teaser_chars > 0.5 * total


def _drop_furniture(paragraphs: list[str], soup: BeautifulSoup) -> list[str]:
    """Remove what trafilatura let through from the site's chrome.

    On short pages trafilatura falls back to dumping the whole body as one block
    (menu, breaking-news bar, headline, share bar run together); such a block contains
    the text of a <nav> or <footer>. Blocks equal to a furniture element's text (a share
    bar or breaking-news line on its own) go too. Substring matching is limited to
    nav/footer so that a tag link such as "وزارة الخارجية" cannot knock out real prose.
    """
    chrome, furniture = [], set()
    for element in soup.find_all(True):
        if element.name in ("nav", "footer") and element.find_parent("article") is None:
            text = clean(element.get_text(" "))
            if len(text) >= 20:
                chrome.append(text)
            furniture.add(text)
            furniture.update(clean(link.get_text(" ")) for link in element.find_all("a"))
        elif element.name in _FURNITURE_TAGS or _FURNITURE_CLASS.search(_marks(element)):
            furniture.add(clean(element.get_text(" ")))
    section = soup.find("meta", attrs={"property": "article:section"})
    if section and clean(section.get("content")):
        furniture.add(clean(section.get("content")))  # the kicker above the headline
    return [p for p in paragraphs if p not in furniture and not any(c in p for c in chrome)]


def _marks(element: Tag) -> str:
    return " ".join(element.get("class") or []) + " " + (element.get("id") or "")


def _drop_title(paragraphs: list[str], title: str | None) -> list[str]:
    """The headline is metadata, not body text; trafilatura keeps the <h1> as a block."""
    if not title:
        return paragraphs
    return [p for p in paragraphs if p != title]


def _split_lines(text: str) -> list[str]:
    return [line for line in (clean(part) for part in text.split(_LINE_BREAK)) if line]


def _text_length(paragraphs: list[str]) -> int:
    return sum(len(p) for p in paragraphs)


def _sentence_count(paragraphs: list[str]) -> int:
    count = 0
    for paragraph in paragraphs:
        pieces = [s for s in _SENTENCE_END.split(paragraph) if len(s.split()) >= 3]
        count += max(1, len(pieces)) if paragraph.strip() else 0
    return count
