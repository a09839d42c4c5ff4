"""A dyad's report from a store: its series, its turning points, and the events that drove each one.

    from flashpoint.dyad_report import dyad_report

    report = dyad_report(store, "PAK", "IRN", interval="day")
    for point in report.turning_points:
        print(point.date, point.direction, [e.evidence.text for d in report.drivers[point.date] for e in d.events])

The series comes from the store (`Store.series`), the turning points from `flashpoint.dyads`; a turning
point names its driving clusters, which are looked up here: a stored event cluster (`ev-...`), or
"ARTICLE_ID:INDEX" for an event reported once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .dyads import SeriesPoint, TurningPoint, turning_points
from .store import EventQuery, Store, StoredEvent
from .store.base import MAX_PAGE, Interval

MAX_DRIVERS = 5  # driving clusters shown per turning point
MAX_DRIVER_EVENTS = 5  # reports shown per driving cluster


@dataclass
class Driver:
    """A real-world event behind a turning point: its cluster, how many reports it has, and some of them."""

    cluster: str
    reports: int
    events: list[StoredEvent]


@dataclass
class DyadReport:
    a: str
    b: str
    interval: str
    directed: bool
    series: list[SeriesPoint]
    turning_points: list[TurningPoint]
    drivers: dict[str, list[Driver]] = field(default_factory=dict)  # turning point date -> its drivers


def dyad_report(
    store: Store,
    a: str,
    b: str,
    *,
    interval: Interval = "day",
    directed: bool = False,
    since: str | None = None,
    until: str | None = None,
) -> DyadReport:
    """The series of `a` and `b` (from `a` to `b` when `directed`), its turning points and their drivers."""
    series = store.series(a, b, interval=interval, directed=directed, since=since, until=until)
    points = turning_points(series)
    drivers = {point.date: drivers_of(store, point) for point in points}
    return DyadReport(a, b, interval, directed, series, points, drivers)


def drivers_of(store: Store, point: TurningPoint, *, limit: int = MAX_DRIVERS) -> list[Driver]:
    """The stored events behind a turning point's driving clusters, strongest first."""
    found = []
    for cluster in point.clusters[:limit]:
        events = cluster_events(store, cluster)
        if events:
            stored = store.get_cluster(cluster)
            found.append(Driver(cluster, stored.n_mentions if stored else len(events), events))
    return found


def cluster_events(store: Store, cluster: str, *, limit: int = MAX_DRIVER_EVENTS) -> list[StoredEvent]:
    """The reports of one series cluster: a stored cluster's events, or the one event "ARTICLE_ID:INDEX"."""
    found = store.events(EventQuery(cluster_id=cluster, duplicates=True, limit=limit))
    if found:
        return found
    article_id, _, index = cluster.rpartition(":")
    if not article_id or not index.isdigit():
        return []
    return [event for event in article_events(store, article_id) if event.index == int(index)][:limit]


def article_events(store: Store, article_id: str) -> list[StoredEvent]:
    """Every stored event of an article, in order (their index is their position)."""
    found: list[StoredEvent] = []
    query = EventQuery(article_id=article_id, duplicates=True, limit=MAX_PAGE)
    while True:
        page = store.events(query)
        found += page
        if len(page) < MAX_PAGE:
            return found
        query = EventQuery(article_id=article_id, duplicates=True, limit=MAX_PAGE, cursor=page[-1].id)
