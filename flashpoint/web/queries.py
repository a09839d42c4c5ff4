"""What the API reads, written over the `Store` interface alone (no web types here, so it is testable bare).

Nothing in this module codes text: reads never load spaCy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..dyad_report import article_events, drivers_of
from ..dyads import SeriesPoint, TurningPoint
from ..errors import Errors, FlashpointError
from ..store import EventQuery, Store, StoredEvent
from ..store.base import MAX_PAGE
from . import shapes

MAX_MENTIONS = 50  # other reports of one happening listed with an event


def detect_turning_points(points: Sequence[SeriesPoint], *, score: str = "intensity") -> list[TurningPoint]:
    """The one call into `flashpoint.dyads` turning-point detection (kept here so a change of its API is one edit)."""
    from ..dyads import turning_points

    return turning_points(points, score=score)  # type: ignore[arg-type]  # score checked by the route


# -- events --------------------------------------------------------------------------------------------------


def event_page(store: Store, query: EventQuery) -> tuple[list[dict[str, Any]], int | None]:
    """One page of events as JSON, each with its mentions, and the cursor of the next page (None at the end).

    One more event than the page holds is read, so the last page says so (no empty page after it).
    """
    probe = replace(query, limit=min(query.limit + 1, MAX_PAGE))
    found = store.events(probe)
    page = found[: query.limit]
    next_cursor = page[-1].id if len(found) > len(page) else None
    return with_mentions(store, page), next_cursor


def with_mentions(store: Store, events: list[StoredEvent]) -> list[dict[str, Any]]:
    """Events as JSON with `mentions`: the other events of their cluster (one query per distinct cluster)."""
    by_cluster: dict[str, list[StoredEvent]] = {}
    for event in events:
        if event.cluster_id and event.cluster_id not in by_cluster:
            by_cluster[event.cluster_id] = store.events(
                EventQuery(cluster_id=event.cluster_id, duplicates=True, limit=MAX_MENTIONS + 1)
            )
    return [
        shapes.event_json(event)
        | {
            "mentions": [
                shapes.mention_json(other)
                for other in by_cluster.get(event.cluster_id or "", [])
                if other.id != event.id
            ][:MAX_MENTIONS]
        }
        for event in events
    ]


def one_event(store: Store, article_id: str, index: int) -> dict[str, Any]:
    events = article_events(store, article_id)
    if not events and store.get_article(article_id) is None:
        raise FlashpointError(Errors.E455, article_id=article_id)
    match = [event for event in events if event.index == index]
    if not match:
        raise FlashpointError(Errors.E456, article_id=article_id, index=index, count=len(events))
    return with_mentions(store, match)[0]


def article_detail(store: Store, article_id: str) -> dict[str, Any]:
    article = store.get_article(article_id)
    if article is None:
        raise FlashpointError(Errors.E455, article_id=article_id)
    return shapes.article_json(article, with_mentions(store, article_events(store, article_id)))


# -- turning points ------------------------------------------------------------------------------------------


def turning_points_with_drivers(
    store: Store, points: list[SeriesPoint], *, score: str = "intensity", drivers: bool = True
) -> list[dict[str, Any]]:
    """The series' turning points as JSON; with `drivers`, each driving cluster as {cluster, reports, events}."""
    answer = []
    for point in detect_turning_points(points, score=score):
        expanded = None
        if drivers:
            expanded = [
                {"cluster": d.cluster, "reports": d.reports, "events": [shapes.event_json(e) for e in d.events]}
                for d in drivers_of(store, point)
            ]
        answer.append(shapes.turning_point_json(point, expanded))
    return answer


def recent_turning_points(
    store: Store, *, since: str | None, until: str | None, dyads: int, interval: str = "day"
) -> list[dict[str, Any]]:
    """The turning points of the most active dyads in the window, latest first (drivers not expanded)."""
    found = []
    for count in store.top_dyads(since=since, until=until, limit=dyads):
        points = store.series(count.a, count.b, interval=interval, since=since, until=until)  # type: ignore[arg-type]
        for point in turning_points_with_drivers(store, points, drivers=False):
            found.append({"a": count.a, "b": count.b, "dyad": f"{count.a}-{count.b}"} | point)
    return sorted(found, key=lambda point: point["date"], reverse=True)


# -- places ---------------------------------------------------------------------------------------------------


@dataclass
class PlaceCount:
    name: str
    country: str | None
    lat: float
    lon: float
    events: int = 0
    conflict: int = 0
    cooperation: int = 0
    refs: list[tuple[str, int]] | None = None


def event_places(store: Store, query: EventQuery, *, scan: int) -> dict[str, Any]:
    """Where the matching events happened: one entry per located place, with counts and a few event refs.

    The store has no query for located events, so this pages through at most `scan` matching events;
    `truncated` says when more were left unread.
    """
    places: dict[tuple[float, float, str], PlaceCount] = {}
    read, cursor, truncated = 0, query.cursor, False
    while True:
        want = min(MAX_PAGE, scan - read)
        page = store.events(replace(query, limit=want, cursor=cursor))
        read += len(page)
        for event in page:
            _count_place(places, event)
        if len(page) < want:
            break
        if read >= scan:
            truncated = True
            break
        cursor = page[-1].id
    ordered = sorted(places.values(), key=lambda place: (-place.events, place.name))
    return {"places": [_place_json(place) for place in ordered], "scanned": read, "truncated": truncated}


def _count_place(places: dict[tuple[float, float, str], PlaceCount], event: StoredEvent) -> None:
    where = event.location
    if where is None or where.lat is None or where.lon is None:
        return
    key = (round(where.lat, 3), round(where.lon, 3), where.name)
    place = places.setdefault(key, PlaceCount(where.name, where.country, where.lat, where.lon, refs=[]))
    place.events += 1
    place.conflict += event.quad_class in (3, 4)
    place.cooperation += event.quad_class in (1, 2)
    if place.refs is not None and len(place.refs) < 10:
        place.refs.append((event.article_id, event.index))


def _place_json(place: PlaceCount) -> dict[str, Any]:
    return {
        "name": place.name,
        "country": place.country,
        "lat": place.lat,
        "lon": place.lon,
        "events": place.events,
        "conflict": place.conflict,
        "cooperation": place.cooperation,
        "refs": [{"article_id": article_id, "index": index} for article_id, index in place.refs or []],
    }
