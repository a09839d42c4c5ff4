"""RSS and Atom feeds (feedparser) to entries, and a fetched entry page to an `Article`.

feedparser only parses here: the bytes come from `flashpoint.sources.fetch`, which holds the timeouts and
the caps. `flashpoint.watch` polls feeds with both.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from ..errors import Errors, FlashpointError
from ..model import Article
from .detect import decode
from .documents import read_text
from .fetch import Fetched

HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed: its link (absolute) and, when the feed gives them, title and date (YYYY-MM-DD)."""

    url: str
    title: str | None = None
    published: str | None = None


@dataclass(frozen=True)
class Feed:
    url: str
    title: str | None
    entries: tuple[FeedEntry, ...]


def parse_feed(data: bytes, *, url: str, content_type: str | None = None) -> Feed:
    """The entries with a link, in feed order; E126 when `data` is not an RSS or Atom feed."""
    import feedparser

    headers = {"content-location": url, "content-type": content_type or "application/xml"}
    parsed = feedparser.parse(data, response_headers=headers)
    if not parsed.get("version"):
        problem = parsed.get("bozo_exception")
        detail = str(problem) if problem else "no feed elements found"
        raise FlashpointError(Errors.E126, input=url, detail=detail)
    rss = str(parsed.version).startswith("rss")
    entries = tuple(_entry(entry, base=url) for entry in parsed.entries if _has_link(entry, rss=rss))
    return Feed(url=url, title=parsed.feed.get("title") or None, entries=entries)


def _has_link(entry: dict[str, Any], *, rss: bool) -> bool:
    """A link element, or an RSS guid that is a permalink (an Atom id is a name, not an address)."""
    return bool(entry.get("link")) and bool(entry.get("links") or (rss and entry.get("guidislink")))


def _entry(entry: dict[str, Any], *, base: str) -> FeedEntry:
    moment = entry.get("published_parsed") or entry.get("updated_parsed")
    published = time.strftime("%Y-%m-%d", moment) if isinstance(moment, time.struct_time) else None
    title = entry.get("title")
    return FeedEntry(
        url=urljoin(base, str(entry["link"]).strip()),
        title=(title.strip() or None) if isinstance(title, str) else None,
        published=published,
    )


def url_id(url: str) -> str:
    """The id of the article at `url`: its canonical URL (`flashpoint.dedup.canonical_url`), so that the
    same page behind tracking parameters or http/https is fetched and stored once."""
    from ..dedup import canonical_url  # imported late: it loads numpy and datasketch

    return canonical_url(url) or url


def page_article(page: Fetched, *, entry: FeedEntry, source: str | None = None) -> Article:
    """The Article of a fetched entry page; raises E103/E104 (not text) or E102 (empty)."""
    text = decode(page.body, name=page.url)
    is_html = any(kind in (page.content_type or "").lower() for kind in HTML_TYPES) or None
    article = read_text(
        text,
        id=url_id(entry.url),
        published=entry.published,
        published_basis="feed",
        url=page.url,
        title=entry.title,
        source=source,
        origin=page.url,
        html=is_html,
    )
    article.fetched = page.fetched
    return article
