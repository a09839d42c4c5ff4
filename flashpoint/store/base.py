"""The storage interface every backend implements, and the plain data it takes and gives.

A store holds coded articles: the article, its statements, mentions and events, with provenance and the
version of the coder. `Store` is a Protocol: SQLite (`sqlite.py`) and PostgreSQL (`postgres.py`) implement
it, both through the shared SQL of `sql.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import Literal, Protocol

from ..dyads import SeriesPoint
from ..errors import Errors, FlashpointError
from ..model import Article, Event
from ..sources.detect import parse_date

Interval = Literal["day", "week"]
INTERVALS = ("day", "week")
MAX_PAGE = 10_000


@dataclass
class StoredEvent(Event):
    """An Event read from a store: `index` is its position in its article's events."""

    id: int = 0
    article_id: str = ""
    index: int = 0
    cluster_id: str | None = None
    coder_version: str | None = None
    article_source: str | None = None
    article_url: str | None = None
    article_published: str | None = None


@dataclass(frozen=True)
class AddResult:
    """What `add_article` did: `added` is false when the article (same id or input) was already stored."""

    article_id: str
    added: bool
    events: int = 0
    duplicate_of: str | None = None


@dataclass(frozen=True)
class DyadCount:
    """An undirected pair of countries (`a` < `b`) and how many events they share."""

    a: str
    b: str
    events: int


@dataclass(frozen=True)
class StoredCluster:
    """Event mentions that report one happening (`flashpoint.dedup` finds them); the counts are the store's."""

    id: str
    dyad: str | None = None
    type: str | None = None
    date: str | None = None
    date_end: str | None = None
    location: str | None = None
    n_mentions: int = 0
    n_sources: int = 0
    n_articles: int = 0


@dataclass(frozen=True)
class DedupRow:
    """What deduplication reads back of a stored article (see `flashpoint.dedup.StoredArticle`)."""

    article_id: str
    text: str
    url: str | None
    signature: bytes | None
    content_hash: str | None
    canonical_url: str | None
    duplicate_of: str | None


@dataclass(frozen=True)
class DedupEvent:
    """What event clustering reads back of a stored event: its id and cluster, and the fields of
    `flashpoint.dedup.EventKey` (countries as stored, the place's country and admin1, the article's source
    and URL for its news source)."""

    id: int
    cluster_id: str | None
    article_id: str
    index: int
    source_countries: tuple[str, ...]
    target_countries: tuple[str, ...]
    type: str | None
    cameo: str | None
    date: str | None
    date_precision: str
    date_end: str | None
    place_country: str | None
    place_admin1: str | None
    asserted: bool
    article_source: str | None
    article_url: str | None


@dataclass(frozen=True)
class EventQuery:
    """Filters for `Store.events`; every filter given must hold. Countries are ISO 3166-1 alpha-3 codes.

    `dyad` is undirected (either country the source, the other the target); `country` is any actor's
    country or the event's location's; `cameo` matches a code prefix ("19" finds 190 to 196); `since` and
    `until` are inclusive event dates; `q` is a case-insensitive substring of the evidence text;
    `asserted` keeps events that are neither negated nor hypothetical (false: only those that are).
    Events of articles marked as duplicates are left out unless `duplicates` is true. Results come in
    storage order (by `id`); pass the last id of a page as `cursor` for the next page.
    """

    dyad: tuple[str, str] | None = None
    source: str | None = None
    target: str | None = None
    country: str | None = None
    type: str | None = None
    quad_class: int | None = None
    cameo: str | None = None
    since: str | None = None
    until: str | None = None
    article_id: str | None = None
    cluster_id: str | None = None
    min_confidence: float | None = None
    asserted: bool | None = None
    q: str | None = None
    duplicates: bool = False
    limit: int = 100
    cursor: int | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.limit <= MAX_PAGE:
            raise FlashpointError(Errors.E408, field="limit", value=self.limit, expected=f"1 to {MAX_PAGE}")
        if self.dyad is not None and len(self.dyad) != 2:
            raise FlashpointError(Errors.E408, field="dyad", value=self.dyad, expected="a pair of country codes")
        object.__setattr__(self, "since", parse_date(self.since, name="since"))
        object.__setattr__(self, "until", parse_date(self.until, name="until"))


def check_interval(interval: str) -> None:
    if interval not in INTERVALS:
        raise FlashpointError(Errors.E408, field="interval", value=interval, expected=" or ".join(INTERVALS))


class Store(Protocol):
    """Coded articles in a database; open one with `flashpoint.store.open_store(url)`."""

    url: str

    def add_article(self, article: Article, *, coder_version: str | None = None) -> AddResult:
        """Store an article with its statements, mentions and events, in one transaction.

        Idempotent: an article whose id or input hash is already stored adds nothing (`added` is false
        and `duplicate_of` names the stored one). An article with errors is stored too, errors and all.
        `coder_version` defaults to `flashpoint.__version__`.
        """
        ...

    def find_article(self, article: Article) -> str | None:
        """The id of the stored article with the same id or input hash, if any (to skip it before coding)."""
        ...

    def get_article(self, article_id: str) -> Article | None:
        """The stored article with its statements, mentions, events and errors (not its raw input)."""
        ...

    def events(self, query: EventQuery | None = None) -> list[StoredEvent]:
        """One page of the events that match the query (see `EventQuery`)."""
        ...

    def series(
        self,
        a: str,
        b: str,
        *,
        interval: Interval = "day",
        directed: bool = False,
        since: str | None = None,
        until: str | None = None,
    ) -> list[SeriesPoint]:
        """The dyad's activity per day or ISO week, aggregated in SQL, empty periods filled with zeros.

        Counts the events between `a` and `b` (from `a` to `b` only, when `directed`) as
        `flashpoint.dyads.dyad_events` does: dated to the day or week, asserted, not historical; articles
        marked as duplicates are left out. A period's clusters are the events' cluster ids ("ARTICLE:INDEX"
        for an event in no cluster). The periods run from `since` (or the first event) to `until` (or the
        last); no events and no bounds give an empty list.
        """
        ...

    def top_dyads(self, *, since: str | None = None, until: str | None = None, limit: int = 10) -> list[DyadCount]:
        """The pairs of different countries with the most events between them (counted as in `series`)."""
        ...

    def set_cluster(self, cluster: StoredCluster, mentions: Iterable[tuple[str, int]]) -> None:
        """Create or update a cluster and make it the cluster of these (article id, event index) mentions.

        Mentions move out of any cluster they were in, and a cluster left without mentions is deleted, so
        merging clusters is `set_cluster(kept, every_mention_of_both)`. The counts are recomputed.
        """
        ...

    def get_cluster(self, cluster_id: str) -> StoredCluster | None: ...

    def set_dedup(
        self,
        article_id: str,
        *,
        duplicate_of: str | None = None,
        content_hash: str | None = None,
        canonical_url: str | None = None,
        signature: bytes | None = None,
    ) -> None:
        """Record what deduplication found for an article: the four values are written as given (None
        clears one). An article with `duplicate_of` set leaves `events()` (unless asked), `series` and
        `top_dyads`."""
        ...

    def dedup_rows(self, *, unrecorded: bool = False) -> Iterator[DedupRow]:
        """Every stored article's text, URL and deduplication values, in the order they were stored (by
        `ingested_at`, then id); with `unrecorded`, only those without errors that deduplication has not
        recorded (no content hash)."""
        ...

    def find_copy(self, *, content_hash: str | None = None, canonical_url: str | None = None) -> DedupRow | None:
        """The first stored article (in `dedup_rows` order) whose content hash is `content_hash`, or else
        whose canonical URL is `canonical_url`, marked as a duplicate or not: the earlier article that
        deduplication's exact and URL checks find."""
        ...

    def recent_signatures(self, limit: int) -> list[tuple[str, bytes]]:
        """(article id, MinHash signature) of the last `limit` stored articles with a signature, oldest first,
        leaving out exact copies (the same content hash) of an earlier article: the articles that
        deduplication's near check compares a new one with when it resumes."""
        ...

    def last_event_id(self) -> int:
        """The highest event id stored (0 for none): events stored later have higher ids."""
        ...

    def dedup_events(
        self, countries: tuple[str, str | None], *, since: str, until: str, through: int
    ) -> list[DedupEvent]:
        """The stored events that event clustering must know to place a new mention of these countries
        dated within [since, until]: at least every event with an id up to `through`, of an article that
        deduplication has recorded and not marked as a duplicate, with a source of one country and a target
        of the other (either way; with one country given, an actor of that country) and days from `date` to
        `date_end` (or `date`) that touch the dates; with the other such events of their clusters. In id
        order; a few others may come too."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> Store: ...

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None: ...
