"""Deduplication against a store: the `flashpoint.dedup` rules applied as articles are ingested.

`StoreDeduplicator(store).add(article)` runs after the article is stored: it records the article's
content hash, canonical URL and MinHash signature, marks it a duplicate of an earlier article when it is
one (its events then stay out of counts and series), and otherwise puts each of its events into the event
cluster of the same real-world event reported by earlier articles. Only clusters of two or more mentions
are written; a lone mention is its own cluster (`cluster_id` null).

The state (the MinHash index and the open clusters) is rebuilt from the store when the deduplicator is
made, before anything new is stored, so ingestion can stop and resume; that costs one pass over the
stored articles and events.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from .dedup import (
    ArticleIndex,
    Duplicate,
    EventCluster,
    EventClusterer,
    EventKey,
    StoredArticle,
    canonical_url,
    cluster_id_for,
    content_hash,
)
from .model import Article
from .store import EventQuery, Store, StoredCluster
from .store.base import MAX_PAGE


class StoreDeduplicator:
    """Article duplicates and event clusters of one store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.index = ArticleIndex.rebuild(
            StoredArticle(row.article_id, row.text, row.url, row.signature)
            for row in store.dedup_rows()
            if row.duplicate_of is None and row.text
        )
        self.clusterer = self._stored_clusters()

    def add(self, article: Article) -> Duplicate | None:
        """Record what deduplication finds for a stored article; the duplicate it is, if any."""
        index, clusterer = self.index, self.clusterer
        duplicate = index.add(article.id, article.text, article.url)
        self.store.set_dedup(
            article.id,
            duplicate_of=duplicate.of if duplicate else None,
            content_hash=content_hash(article.text),
            canonical_url=canonical_url(article.url),
            signature=index.signature(article.text),
        )
        if duplicate is None:
            keys = [EventKey.from_event(article, i, event) for i, event in enumerate(article.events)]
            for cluster_id in dict.fromkeys(clusterer.assign(key) for key in keys):
                self._write(clusterer.cluster(cluster_id))
        return duplicate

    def _write(self, cluster: EventCluster) -> None:
        if len(cluster.mentions) < 2:
            return
        sides = sorted("+".join(side) for side in cluster.dyad)
        record = StoredCluster(id=cluster.id, dyad="-".join(sides), type=cluster.type,
                               date=cluster.start, date_end=cluster.end)  # fmt: skip
        self.store.set_cluster(record, cluster.mentions)

    def _stored_clusters(self) -> EventClusterer:
        clusterer = EventClusterer()
        cursor = None
        while True:
            page = self.store.events(EventQuery(limit=MAX_PAGE, cursor=cursor))
            for event in page:
                outlet = event.article_source or _host(event.article_url)
                key = EventKey.of(event, article_id=event.article_id, index=event.index, news_source=outlet)
                clusterer.restore(key, event.cluster_id or cluster_id_for(event.article_id, event.index))
            if len(page) < MAX_PAGE:
                return clusterer
            cursor = page[-1].id


def _host(url: str | None) -> str | None:
    canonical = canonical_url(url)
    return urlsplit(canonical).hostname if canonical else None
