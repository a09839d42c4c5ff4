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


def events_table(article: Article) -> Table:
    """The events of one article as a table a person reads in a terminal."""
    table = Table(title=article.title or article.id, show_lines=True)
    for column in ("type", "cameo", "source", "target", "third parties", "date", "modality", "evidence"):
        table.add_column(column, overflow="fold")
    for event in article.events:
        table.add_row(
            f"{event.type}{'/' + event.mode if event.mode else ''} q{event.quad_class}",
            f"{event.cameo} ({event.goldstein:+})" if event.goldstein is not None else event.cameo,
            _actors(event.source),
            _actors(event.target),
            _actors(event.third_parties),
            f"{event.date or '?'} {event.date_precision}",
            _modality(event),
            event.evidence.text,
        )
    return table


def print_article(console: Console, article: Article) -> None:
    if not article.ok:
        for error in article.errors:
            console.print(f"[red]{error['code']}[/red] {error['message']}")
        return
    console.print(events_table(article))
    console.print(f"{len(article.events)} events, {len(article.statements)} statements")
