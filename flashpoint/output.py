"""Render coded articles: JSON shapes for tools and a rich table for people."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from rich.console import Console
from rich.table import Table

from .model import Actor, Article, Event


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
    table = Table(title=article.title or article.id, show_lines=True, expand=True)
    table.add_column("event", no_wrap=True)
    table.add_column("who", ratio=2)
    table.add_column("when", no_wrap=True)
    table.add_column("evidence", ratio=3)
    for event in article.events:
        flags = _modality(event)
        evidence = event.evidence.text + (f" [{flags}]" if flags != "-" else "")
        table.add_row(_what(event), _who(event), f"{event.date or '?'}\n{event.date_precision}", evidence)
    return table


def print_article(console: Console, article: Article) -> None:
    if not article.ok:
        for error in article.errors:
            console.print(f"[red]{error['code']}[/red] {error['message']}")
        return
    console.print(events_table(article))
    console.print(f"{len(article.events)} events, {len(article.statements)} statements")
