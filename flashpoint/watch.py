"""Watching RSS/Atom feeds: each poll fetches the feeds, then each new article page once, and codes and
stores the pages through `flashpoint.ingest`.

    from flashpoint.store import open_store
    from flashpoint.watch import WatchOptions, watch

    with open_store("events.db") as store:
        for report in watch(["https://example.com/feed.xml"], store, state_path="events.db.watch.json", once=True):
            print(report.summary())

- Feeds are fetched with the ETag / Last-Modified they last sent (a 304 costs nothing), through
  `flashpoint.sources.fetch` (http/https only, timeouts, size and redirect caps).
- A link is fetched only when the store has no article with its id, the canonical URL
  (`flashpoint.sources.feeds.url_id`).
- A feed or page that fails (down, slow, HTTP error, not a feed) is reported with its error code and tried
  again after an exponential back-off: the poll interval, then twice, four times... (at most a day). A page
  that fails `max_tries` times, or fails for good (too big, refused scheme, not text), is stored as an
  article with its error, so it is not fetched again. Nothing stops the other feeds and pages.
- A page linked from a feed on the public internet is fetched only from a public address (E129 otherwise,
  for good), so that a feed cannot point the watcher at the local network; a feed on a private network
  may link to pages there. `WatchOptions.private_links` (`--allow-private-links`) lifts the rule.
- The state (validators and back-off of each feed, pages waiting for another try) is a small JSON file,
  written atomically after each poll (`default_state_path`: next to a SQLite store).
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from .errors import Errors, FlashpointError
from .ingest import IngestReport, ingest_each
from .model import Article
from .pipeline import Pipeline
from .sources.feeds import Feed, FeedEntry, page_article, parse_feed, url_id
from .sources.fetch import RETRIED, FetchOptions, fetch, on_private_network
from .store import Store, resolve_url

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())  # the CLI prints each poll's errors itself

MAX_DELAY = 24 * 3600.0
STATE_VERSION = 1
_INTERVAL = re.compile(r"(\d+(?:\.\d*)?)\s*([smhd]?)", re.IGNORECASE)
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class WatchOptions:
    """`every`: seconds between polls (and the first back-off); `max_tries`: fetches of a page before it
    is given up; `fetch`: the limits of each request; `private_links`: fetch the pages a public feed links
    to even from private addresses (by default only a feed on a private network may link to one: E129)."""

    every: float = 900.0
    max_tries: int = 5
    fetch: FetchOptions = field(default_factory=FetchOptions)
    private_links: bool = False


@dataclass
class FeedState:
    etag: str | None = None
    last_modified: str | None = None
    failures: int = 0
    next_try: float = 0.0  # Unix time before which the feed is not fetched again
    error: str | None = None


@dataclass
class PendingPage:
    """A link found in a feed and not stored yet: new, or waiting to be tried again."""

    url: str
    feed: str
    title: str | None = None
    published: str | None = None
    source: str | None = None
    failures: int = 0
    next_try: float = 0.0
    error: str | None = None


@dataclass
class WatchState:
    feeds: dict[str, FeedState] = field(default_factory=dict)
    pages: dict[str, PendingPage] = field(default_factory=dict)  # by article id

    @classmethod
    def load(cls, path: Path) -> WatchState:
        """The state saved at `path`, or a new one when there is no file; E127 when it cannot be read."""
        if not path.exists():
            return cls()
        try:
            data = json.loads(path.read_text("utf-8"))
            feeds = {url: FeedState(**value) for url, value in data["feeds"].items()}
            pages = {key: PendingPage(**value) for key, value in data["pages"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            raise FlashpointError(Errors.E127, input=str(path), detail=str(error)) from error
        return cls(feeds=feeds, pages=pages)

    def save(self, path: Path) -> None:
        """Write the state to a temporary file, then put it in place (a crash leaves the old state)."""
        data = {
            "version": STATE_VERSION,
            "feeds": {url: asdict(state) for url, state in self.feeds.items()},
            "pages": {key: asdict(page) for key, page in self.pages.items()},
        }
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_text(json.dumps(data, indent=1, ensure_ascii=False), "utf-8")
        os.replace(temporary, path)


@dataclass
class PollReport:
    """One poll: feeds fetched (`not_modified` of them answered 304), feeds and pages left `waiting` for
    their back-off, links new and already stored; `retrying` holds the errors of what is tried again
    later, `ingest` what was stored (pages given up are stored with their error there)."""

    feeds: int = 0
    not_modified: int = 0
    waiting: int = 0
    new_links: int = 0
    known_links: int = 0
    retrying: list[dict[str, str]] = field(default_factory=list)
    ingest: IngestReport = field(default_factory=IngestReport)

    @property
    def errors(self) -> list[dict[str, str]]:
        return self.retrying + self.ingest.errors

    def summary(self) -> str:
        return (
            f"{self.feeds} feeds fetched ({self.not_modified} not modified), {self.waiting} waiting to retry, "
            f"{self.new_links} new links, {self.known_links} already stored, {len(self.retrying)} failed; "
            f"pages: {self.ingest.summary()}"
        )


def watch(
    feeds: Iterable[str],
    store: Store,
    *,
    state_path: str | Path,
    options: WatchOptions | None = None,
    pipeline: Pipeline | None = None,
    once: bool = False,
) -> Iterator[PollReport]:
    """Poll the feeds every `options.every` seconds (once, with `once`), yielding each poll's report."""
    options = options or WatchOptions()
    feeds, path = list(dict.fromkeys(feeds)), Path(state_path)
    state = WatchState.load(path)
    while True:
        started = time.monotonic()
        try:
            report = poll(feeds, store, state, options=options, pipeline=pipeline)
        finally:
            state.save(path)
        yield report
        if once:
            return
        time.sleep(max(0.0, options.every - (time.monotonic() - started)))


def poll(
    feeds: Iterable[str],
    store: Store,
    state: WatchState,
    *,
    options: WatchOptions | None = None,
    pipeline: Pipeline | None = None,
    now: float | None = None,
) -> PollReport:
    """One poll: fetch the feeds that are due, queue their new links, fetch the due pages and ingest them."""
    options = options or WatchOptions()
    now = time.time() if now is None else now
    report = PollReport()
    for url in feeds:
        feed = _poll_feed(url, state, report, options=options, now=now)
        if feed is not None:
            _queue(feed, store, state, report)
    pages = _fetch_pages(state, report, options=options, now=now)
    for article in ingest_each(pages, store, report=report.ingest, pipeline=pipeline):
        state.pages.pop(article.id, None)
    return report


def _poll_feed(url: str, state: WatchState, report: PollReport, *, options: WatchOptions, now: float) -> Feed | None:
    """The feed when it is due and changed; None when it waits, is unchanged (304) or fails."""
    known = state.feeds.setdefault(url, FeedState())
    if known.next_try > now:
        report.waiting += 1
        return None
    report.feeds += 1
    try:
        page = fetch(url, etag=known.etag, last_modified=known.last_modified, options=options.fetch)
        feed = None if page.not_modified else parse_feed(page.body, url=page.url, content_type=page.content_type)
    except FlashpointError as error:
        _failed(known, error, report, options=options, now=now)
        return None
    known.failures, known.next_try, known.error = 0, 0.0, None
    if feed is None:
        report.not_modified += 1
        return None
    known.etag, known.last_modified = page.etag, page.last_modified
    return feed


def _queue(feed: Feed, store: Store, state: WatchState, report: PollReport) -> None:
    """Add the feed's links that are neither stored nor queued to the pages to fetch."""
    for entry in feed.entries:
        article_id = url_id(entry.url)
        if article_id in state.pages:
            continue
        if store.find_article(Article(id=article_id)) is not None:
            report.known_links += 1
            continue
        report.new_links += 1
        state.pages[article_id] = PendingPage(
            url=entry.url, feed=feed.url, title=entry.title, published=entry.published, source=feed.title
        )


def _fetch_pages(state: WatchState, report: PollReport, *, options: WatchOptions, now: float) -> Iterator[Article]:
    for article_id, page in list(state.pages.items()):
        if page.next_try > now:
            report.waiting += 1
            continue
        article = _fetch_page(article_id, page, report, options=options, now=now)
        if article is not None:
            yield article


def _fetch_page(
    article_id: str, page: PendingPage, report: PollReport, *, options: WatchOptions, now: float
) -> Article | None:
    """The page's Article; an error Article when it fails for good; None when it is to be tried again."""
    entry = FeedEntry(url=page.url, title=page.title, published=page.published)
    limits = options.fetch
    if not options.private_links and not on_private_network(page.feed):
        limits = replace(limits, private=False)
    try:
        return page_article(fetch(page.url, options=limits), entry=entry, source=page.source)
    except FlashpointError as error:
        if error.code in RETRIED and page.failures + 1 < options.max_tries:
            _failed(page, error, report, options=options, now=now)
            return None
        log.warning("%s (given up)", error)
        return Article(id=article_id, url=page.url, title=page.title, origin=page.url, errors=[error.to_dict()])


def _failed(
    item: FeedState | PendingPage, error: FlashpointError, report: PollReport, *, options: WatchOptions, now: float
) -> None:
    """Count a failure and put off the next try: `every`, then twice as long each time, at most a day."""
    item.failures += 1
    item.error = error.code
    delay = min(options.every * 2 ** (item.failures - 1), MAX_DELAY)
    item.next_try = now + delay
    report.retrying.append(error.to_dict())
    log.warning("%s (failure %d, next try in %.0f s)", error, item.failures, delay)


def default_state_path(db: str | None = None) -> Path:
    """Where `flashpoint watch` keeps its state: beside a SQLite store file (`events.db.watch.json`), else
    `flashpoint-watch.json` in the current folder (PostgreSQL or an in-memory store)."""
    url = resolve_url(db)
    path = url.removeprefix("sqlite:///")
    if url.startswith("sqlite:///") or ("://" not in url and url != ":memory:"):
        return Path(path + ".watch.json")
    return Path("flashpoint-watch.json")


def parse_interval(value: str) -> float:
    """Seconds in "90", "90s", "15m", "1h" or "1d"; E128 for anything else (or zero)."""
    match = _INTERVAL.fullmatch(value.strip())
    seconds = float(match[1]) * _UNITS[match[2].lower()] if match else 0.0
    if seconds <= 0:
        raise FlashpointError(Errors.E128, value=value)
    return seconds
