"""The JSON the API answers with: stored events, articles, series points and turning points as plain dicts.

An event is its schema fields (docs/schema.md) plus where it is stored: `id` (the store's event id),
`article_id`, `index` (its position in the article's events), `cluster_id` and `article` (outlet, URL and
publication date of its article).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from ..dyads import SeriesPoint, TurningPoint
from ..model import Article
from ..store import DyadCount, StoredEvent
from ..store.records import plain  # asdict without its deep copies

_ARTICLE_FIELDS = {"article_source": "source", "article_url": "url", "article_published": "published"}


def event_json(event: StoredEvent) -> dict[str, Any]:
    data: dict[str, Any] = plain(event)
    article = {"id": event.article_id} | {short: data.pop(name) for name, short in _ARTICLE_FIELDS.items()}
    return data | {"article": article}


def mention_json(event: StoredEvent) -> dict[str, Any]:
    """Another report of the same happening: where it is, what it says."""
    return {
        "id": event.id,
        "article_id": event.article_id,
        "index": event.index,
        "type": event.type,
        "date": event.date,
        "evidence": plain(event.evidence),
        "article": {"source": event.article_source, "url": event.article_url, "published": event.article_published},
    }


def article_json(article: Article, events: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "article": article.to_dict(),
        "statements": [asdict(statement) for statement in article.statements],
        "events": events,
        "errors": list(article.errors),
    }


def point_json(point: SeriesPoint) -> dict[str, Any]:
    return {
        "period": point.period,
        "events": point.events,
        "quad": {str(quad): count for quad, count in sorted(point.quad.items())},
        "cooperation": point.quad.get(1, 0) + point.quad.get(2, 0),
        "conflict": point.quad.get(3, 0) + point.quad.get(4, 0),
        "intensity": point.intensity,
        "goldstein": point.goldstein,
        "sources": point.sources,
        "clusters": len(point.clusters),
    }


def turning_point_json(point: TurningPoint, drivers: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    data = asdict(point)
    data["driver_clusters"] = data.pop("clusters")
    if drivers is not None:
        data["drivers"] = drivers
    return data


def dyad_json(count: DyadCount) -> dict[str, Any]:
    return {"a": count.a, "b": count.b, "dyad": f"{count.a}-{count.b}", "events": count.events}
