"""Render coded articles: JSON shapes for tools and a rich table for people."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from .model import Actor, Article, Event

if TYPE_CHECKING:
    from .dyad_report import DyadReport
    from .store import StoredEvent
    from .where import PlaceMention


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def clean_record(article: Article) -> dict[str, Any]:
    """One line of `flashpoint clean --format jsonl`."""
    return {
        "id": article.id,
        "text": article.text if article.ok else None,
        "title": article.title,
        "statements": [asdict(statement) for statement in article.statements],
        "errors": list(article.errors),
    }


def code_record(article: Article) -> dict[str, Any]:
    """One line of `flashpoint code --format jsonl`."""
    return {
        "id": article.id,
        "events": [event.to_dict() for event in article.events],
        "statements": [asdict(statement) for statement in article.statements],
        "errors": list(article.errors),
    }


def _actors(actors: list[Actor]) -> str:
    return ", ".join(_actor_label(actor) for actor in actors) or "-"


def _actor_label(actor: Actor) -> str:
    code = "/".join(part for part in (actor.country, actor.sector) if part)
    return f"{code} ({actor.role or actor.name})" if code else actor.name


def _modality(event: Event) -> str:
    return ",".join(name for name, value in asdict(event.modality).items() if value) or "-"


def _who(event: Event) -> str:
    who = f"{_actors(event.source)} -> {_actors(event.target)}"
    return who + (f"\nwith {_actors(event.third_parties)}" if event.third_parties else "")


def _what(event: Event) -> str:
    mode = f"/{event.mode}" if event.mode else ""
    goldstein = f" {event.goldstein:+}" if event.goldstein is not None else ""
    return f"{event.type}{mode}\nCAMEO {event.cameo}{goldstein} q{event.quad_class}"


def events_table(article: Article) -> Table:
    """The events of one article as a table a person reads in a terminal."""
    # article text is untrusted: cells are Text (never read as rich markup, where "[/x]" would raise)
    table = Table(title=Text(article.title or article.id), show_lines=True, expand=True)
    table.add_column("event", no_wrap=True)
    table.add_column("who", ratio=2)
    table.add_column("when, where", no_wrap=True)
    table.add_column("evidence", ratio=3)
    for event in article.events:
        flags = _modality(event)
        evidence = event.evidence.text + (f" [{flags}]" if flags != "-" else "")
        table.add_row(Text(_what(event)), Text(_who(event)), Text(_when_where(event)), Text(evidence))
    return table


def _when_where(event: Event) -> str:
    where = f"\n{event.location.name} {event.location.country or ''}" if event.location else ""
    return f"{event.date or '?'}\n{event.date_precision}{where}"


def places_table(places: Sequence[PlaceMention]) -> Table:
    """Place mentions as a terminal table."""
    table = Table(show_lines=False, expand=True)
    for column in ("text", "offsets", "place", "country", "admin1", "lat, lon", "use"):
        table.add_column(column)
    for place in places:
        at = f"{place.lat:.2f}, {place.lon:.2f}" if place.lat is not None and place.lon is not None else "-"
        name = f"{place.name} ({place.geonames_id})" if place.geonames_id else place.name or "-"
        offsets = f"{place.start}-{place.end}"
        cells = (place.text, offsets, name, place.country or "-", place.admin1 or "-", at, place.use)
        table.add_row(*(Text(cell) for cell in cells))
    return table


def print_article(console: Console, article: Article) -> None:
    if not article.ok:
        for error in article.errors:
            console.print(f"[red]{error['code']}[/red] {escape(error['message'])}")
        return
    console.print(events_table(article))
    console.print(f"{len(article.events)} events, {len(article.statements)} statements")


def dyad_record(report: DyadReport) -> dict[str, Any]:
    """The JSON shape of `flashpoint dyad`: the series, and each turning point with its driving events."""
    points = []
    for point in report.turning_points:
        drivers = [
            {"cluster": driver.cluster, "reports": driver.reports, "events": [_driver_event(e) for e in driver.events]}
            for driver in report.drivers.get(point.date, [])
        ]
        points.append(asdict(point) | {"drivers": drivers})
    series = [asdict(point) for point in report.series]
    head = {"a": report.a, "b": report.b, "interval": report.interval, "directed": report.directed}
    return head | {"series": series, "turning_points": points}


def _driver_event(event: StoredEvent) -> dict[str, Any]:
    actors = {role: [a.country for a in getattr(event, role)] for role in ("source", "target")}
    return {"article_id": event.article_id, "index": event.index, "type": event.type, "date": event.date} | actors | {
        "evidence": event.evidence.text, "url": event.article_url}  # fmt: skip


SERIES_COLUMNS = ("period", "events", "verbal_coop", "material_coop", "verbal_conflict", "material_conflict",
                  "intensity", "goldstein", "sources", "turning_point")  # fmt: skip


def dyad_rows(report: DyadReport) -> Iterator[list[Any]]:
    """The series as CSV rows (header first), each period with the direction of a turning point in it."""
    turns = {point.date: point.direction for point in report.turning_points}
    yield list(SERIES_COLUMNS)
    for p in report.series:
        quads = [p.quad.get(quad, 0) for quad in (1, 2, 3, 4)]
        yield [p.period, p.events, *quads, round(p.intensity, 3), round(p.goldstein, 3), p.sources,
               turns.get(p.period, "")]  # fmt: skip


def dyad_tables(report: DyadReport) -> list[Table]:
    """The active periods of a dyad and its turning points with their drivers, as terminal tables."""
    series = Table(title=f"{report.a}-{report.b} per {report.interval}", expand=True)
    for column in ("period", "events", "coop v/m", "conflict v/m", "intensity", "goldstein", "sources"):
        series.add_column(column)
    for p in report.series:
        if p.events:
            coop, conflict = f"{p.quad[1]}/{p.quad[2]}", f"{p.quad[3]}/{p.quad[4]}"
            series.add_row(p.period, str(p.events), coop, conflict, f"{p.intensity:+.1f}", f"{p.goldstein:+.1f}",
                           str(p.sources))  # fmt: skip
    turns = Table(title="turning points", show_lines=True, expand=True)
    for column in ("date", "direction", "magnitude", "confidence", "driven by"):
        turns.add_column(column)
    for point in report.turning_points:
        drivers = "\n".join(
            f"{e.type} {e.date}: {e.evidence.text}" for d in report.drivers.get(point.date, []) for e in d.events[:1]
        )
        turns.add_row(point.date, point.direction, f"{point.magnitude:.2f}", f"{point.confidence:.2f}", Text(drivers))
    return [series, turns]
