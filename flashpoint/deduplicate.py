"""Deduplication against a store: the `flashpoint.dedup` rules applied as articles are ingested.

`StoreDeduplicator(store).add(article)` runs after the article is stored: it records the article's
content hash, canonical URL and MinHash signature, marks it a duplicate of an earlier article when it is
one (its events then stay out of counts and series), and otherwise puts each of its events into the event
cluster of the same real-world event reported by earlier articles. Only clusters of two or more mentions
are written; a lone mention is its own cluster (`cluster_id` null).

Ingestion can stop and resume, and resuming costs what the new articles touch, not the size of the store
(docs/dedup.md, "Resuming"): the exact and URL checks ask the store (`Store.find_copy`); the near check
holds the signatures of the last `near_window` stored articles; a new event mention reads the stored events
of its dyad and weeks the first time it needs them (`Store.dedup_events`); and the articles that an ingest
stored but did not record before it stopped are deduplicated first. A resumed ingest decides what one
uninterrupted ingest would, but for near copies of articles older than the window.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import numpy as np

from .dedup import (
    ArticleIndex,
    Duplicate,
    Dyad,
    EventCluster,
    EventClusterer,
    EventKey,
    _weeks,
    canonical_url,
    cluster_id_for,
    content_hash,
)
from .model import Article
from .store import Store, StoredCluster
from .store.base import DedupEvent

# The stored articles whose signatures a resumed ingest compares new articles with: about 25 MB and under
# a second to load, and some weeks of a busy feed, while copies of a story come within days (docs/dedup.md).
NEAR_WINDOW = 50_000


class StoreDeduplicator:
    """Article duplicates and event clusters of one store."""

    def __init__(self, store: Store, *, near_window: int = NEAR_WINDOW) -> None:
        self.store = store
        self.index: ArticleIndex = _StoredArticles(store)
        self.index.restore(store.recent_signatures(near_window))
        self.clusterer: EventClusterer = _StoredClusters(store, through=store.last_event_id())
        for row in store.dedup_rows(unrecorded=True):  # stored when an ingest stopped, not yet recorded
            article = store.get_article(row.article_id)
            if article is not None:
                self.add(article)

    def add(self, article: Article) -> Duplicate | None:
        """Record what deduplication finds for a stored article; the duplicate it is, if any."""
        index, clusterer = self.index, self.clusterer
        duplicate = index.add(article.id, article.text, article.url)
        if duplicate is None:
            keys = [EventKey.from_event(article, i, event) for i, event in enumerate(article.events)]
            for cluster_id in dict.fromkeys(clusterer.assign(key) for key in keys):
                self._write(clusterer.cluster(cluster_id))
        # recorded last: until then the store's clusters leave its events out (`Store.dedup_events`)
        self.store.set_dedup(
            article.id,
            duplicate_of=duplicate.of if duplicate else None,
            content_hash=content_hash(article.text),
            canonical_url=canonical_url(article.url),
            signature=index.signature(article.text),
        )
        return duplicate

    def _write(self, cluster: EventCluster) -> None:
        if len(cluster.mentions) < 2:
            return
        sides = sorted("+".join(side) for side in cluster.dyad)
        record = StoredCluster(id=cluster.id, dyad="-".join(sides), type=cluster.type,
                               date=cluster.start, date_end=cluster.end)  # fmt: skip
        self.store.set_cluster(record, cluster.mentions)


class _StoredArticles(ArticleIndex):
    """An ArticleIndex whose exact and URL checks ask the store (whose articles all came before those added
    here), through its indexes of content hashes and canonical URLs."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def _earlier(self, digest: str | None, canonical: str | None) -> tuple[str, np.ndarray | None] | None:
        row = self.store.find_copy(content_hash=digest, canonical_url=canonical)
        if row is None:
            return super()._earlier(digest, canonical)
        values = self._hash_values(row.article_id)
        if values is None and row.signature is not None and not self._exact_copy(row.article_id, row.content_hash):
            values = self._values(row.article_id, row.signature)  # older than the window
        return row.article_id, values

    def _exact_copy(self, article_id: str, digest: str | None) -> bool:
        """Whether a stored article has the content hash of an earlier one (so it never had a MinHash here)."""
        first = self.store.find_copy(content_hash=digest) if digest else None
        return first is not None and first.article_id != article_id


class _StoredClusters(EventClusterer):
    """An EventClusterer that restores the stored clusters a new mention may join when it first needs them:
    those with a member of its dyad that may touch its buckets, whole, each ranked by its first stored member
    so that the oldest still wins. The events of the articles this ingest adds (stored after `through`, or
    not recorded yet) come through `assign` instead."""

    def __init__(self, store: Store, *, through: int) -> None:
        super().__init__()
        self.store, self.through = store, through
        self._loaded: set[tuple[Dyad, int]] = set()

    def _candidates(self, key: EventKey) -> list[str]:
        if key.span is not None and not key.unclustered_reason:
            self._load(key.dyad, list(_weeks(key.span, self.window_days)))
        return super()._candidates(key)

    def _load(self, dyad: Dyad, weeks: list[int]) -> None:
        weeks = [week for week in weeks if (dyad, week) not in self._loaded]
        if not weeks:
            return
        # a week's mention falls on any day of its week: one dated up to 6 days outside the buckets may touch them
        since = dt.date.fromordinal(max(1, weeks[0] * 7 - 6)).isoformat()
        until = dt.date.fromordinal(weeks[-1] * 7 + 12).isoformat()
        members: dict[str, list[DedupEvent]] = {}
        for event in self.store.dedup_events(_countries(dyad), since=since, until=until, through=self.through):
            members.setdefault(event.cluster_id or cluster_id_for(event.article_id, event.index), []).append(event)
        for cluster_id, events in members.items():
            if cluster_id not in self._members:
                self._rank[cluster_id] = events[0].id - self.through - 1  # before any cluster opened here
                for event in events:
                    self.restore(_key(event), cluster_id)
        self._loaded.update((dyad, week) for week in weeks)


_KEY_FIELDS = [name for name in EventKey.__dataclass_fields__ if name not in ("news_source", "span")]


def _key(event: DedupEvent) -> EventKey:
    """The key of a stored event, as `EventKey.of` makes it from the event itself."""
    fields = {name: getattr(event, name) for name in _KEY_FIELDS}
    return EventKey(**fields, news_source=event.article_source or _host(event.article_url))


def _countries(dyad: Dyad) -> tuple[str, str | None]:
    """Countries to look a dyad up by: one of each side where they differ, else one country."""
    first, second = dyad
    pairs = [(a, b) for a in first for b in second if a != b]
    return pairs[0] if pairs else ((first or second)[0], None)


def _host(url: str | None) -> str | None:
    canonical = canonical_url(url)
    return urlsplit(canonical).hostname if canonical else None
