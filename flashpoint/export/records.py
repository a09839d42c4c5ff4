"""What every export writes from: one `ExportRecord` per event, and the flat row of its fields.

An event's id is `"<article id>-<index>"` (its position in the article's events), or the cluster id when
the record carries one; both are stable across runs of the same input.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, replace
from typing import Any

from ..errors import Errors, FlashpointError
from ..model import Actor, Article, Event, Place
from ..store import EventQuery, Store, StoredEvent
from ..store.base import MAX_PAGE

# The actor fields of a flat row, in order; each role's columns are "<prefix>_<field>".
ACTOR_FIELDS: tuple[str, ...] = ("country", "sector", "role", "person", "name", "text", "location")
# (column prefix, Event attribute) for the three actor roles.
ACTOR_ROLES: tuple[tuple[str, str], ...] = (
    ("source", "source"),
    ("target", "target"),
    ("third_party", "third_parties"),
)
MODALITY_FIELDS: tuple[str, ...] = ("negated", "hypothetical", "future", "historical", "reported")
PLACE_FIELDS: tuple[str, ...] = ("name", "country", "admin1", "lat", "lon", "geonames_id", "feature")
STATEMENT_FIELDS: tuple[str, ...] = ("author", "handle", "date", "url")
ARTICLE_FIELDS: tuple[str, ...] = ("url", "title", "source", "published", "published_basis", "origin", "language")
CLUSTER_FIELDS: tuple[str, ...] = ("num_mentions", "num_sources", "num_articles")

FLAT_COLUMNS: tuple[str, ...] = (
    "event_id",
    "cluster_id",
    "article_id",
    "event_index",
    "date",
    "date_precision",
    "date_basis",
    "date_end",
    "type",
    "mode",
    "context",
    "cameo",
    "quad_class",
    "intensity",
    "goldstein",
    "confidence",
    *MODALITY_FIELDS,
    *(f"{prefix}_{name}" for prefix, _ in ACTOR_ROLES for name in ACTOR_FIELDS),
    *(f"location_{name}" for name in PLACE_FIELDS),
    "evidence_text",
    "evidence_start",
    "evidence_end",
    "evidence_trigger_start",
    "evidence_trigger_end",
    "statement",
    *(f"statement_{name}" for name in STATEMENT_FIELDS),
    *(f"article_{name}" for name in ARTICLE_FIELDS),
    *CLUSTER_FIELDS,
)
# Columns holding one value per actor (a list; joined with ";" in CSV).
LIST_COLUMNS: frozenset[str] = frozenset(f"{prefix}_{name}" for prefix, _ in ACTOR_ROLES for name in ACTOR_FIELDS)


@dataclass(frozen=True)
class ExportRecord:
    """One event to export, with its article (the provenance) and, for a cluster of reports, its counts.

    `index` is the event's position in its article's events: with the article id it makes the event id.
    `cluster_id`, when given, is the event id instead (one row per cluster of reports of one event), and
    the counts say how many mentions, sources and articles the cluster has.
    """

    article: Article
    event: Event
    index: int
    cluster_id: str | None = None
    num_mentions: int | None = None
    num_sources: int | None = None
    num_articles: int | None = None

    @property
    def event_id(self) -> str:
        return self.cluster_id or event_id(self.article, self.index)


def event_id(article: Article, index: int) -> str:
    """The stable id of an article's event: `"<article id>-<index>"` (unique, since the index has no '-')."""
    return f"{article.id}-{index}"


def article_records(articles: Iterable[Article]) -> Iterator[ExportRecord]:
    """Every event of every article, in order, as export records (articles with errors have none)."""
    for article in articles:
        for index, event in enumerate(article.events):
            yield ExportRecord(article, event, index)


def export_records(records: Iterable[tuple[Article, Event] | ExportRecord]) -> Iterator[ExportRecord]:
    """Records as given, and `(article, event)` pairs as records with the event's index in its article.

    A pair's index is the event's position in `article.events` (by identity); an event not in that list
    (an article read back without its events) takes the next number for its article id, in input order.
    """
    unlisted: Counter[str] = Counter()
    for number, record in enumerate(records, start=1):
        if isinstance(record, ExportRecord):
            yield record
            continue
        if not _is_pair(record):
            raise FlashpointError(Errors.E444, number=number, kind=type(record).__name__)
        article, event = record
        index = next((i for i, listed in enumerate(article.events) if listed is event), None)
        if index is None:
            index = unlisted[article.id]
            unlisted[article.id] += 1
        yield ExportRecord(article, event, index)


def _is_pair(record: object) -> bool:
    return (
        isinstance(record, tuple)
        and len(record) == 2
        and isinstance(record[0], Article)
        and isinstance(record[1], Event)
    )


def flat_record(
    article: Article,
    event: Event,
    index: int,
    *,
    cluster_id: str | None = None,
    num_mentions: int | None = None,
    num_sources: int | None = None,
    num_articles: int | None = None,
) -> dict[str, Any]:
    """One flat row for an event, keyed by `FLAT_COLUMNS`: scalars, and a list per actor field.

    Each actor column lists that field of every actor in the role, in order (None where an actor lacks
    it), so `source_country[i]` and `source_sector[i]` describe the same actor.
    """
    counts = {"num_mentions": num_mentions, "num_sources": num_sources, "num_articles": num_articles}
    row: dict[str, Any] = {
        "event_id": cluster_id or event_id(article, index),
        "cluster_id": cluster_id,
        "article_id": article.id,
        "event_index": index,
        **_event_fields(event),
        **_actor_fields(event),
        **_place_fields(event.location),
        **_evidence_fields(event),
        **_statement_fields(article, event),
        **{f"article_{name}": getattr(article, name) for name in ARTICLE_FIELDS},
        **counts,
    }
    return row


def record_row(record: ExportRecord) -> dict[str, Any]:
    """`flat_record` of an export record."""
    return flat_record(
        record.article,
        record.event,
        record.index,
        cluster_id=record.cluster_id,
        num_mentions=record.num_mentions,
        num_sources=record.num_sources,
        num_articles=record.num_articles,
    )


def jsonl_record(record: ExportRecord) -> dict[str, Any]:
    """One line of the `jsonl` export: the event in the flashpoint schema, with its id and provenance."""
    return {
        "event_id": record.event_id,
        "cluster_id": record.cluster_id,
        "event_index": record.index,
        **record.event.to_dict(),
        "statement_post": statement_of(record.article, record.event),
        "article": provenance(record.article),
        **{name: getattr(record, name) for name in CLUSTER_FIELDS},
    }


def provenance(article: Article) -> dict[str, Any]:
    """The article's metadata that travels with each of its events (no text)."""
    return {"id": article.id, **{name: getattr(article, name) for name in ARTICLE_FIELDS}}


def statement_of(article: Article, event: Event) -> dict[str, Any] | None:
    """The author, handle, date and url of the embedded post an event was coded from, if any."""
    if event.statement is None or not 0 <= event.statement < len(article.statements):
        return None
    statement = article.statements[event.statement]
    return {name: getattr(statement, name) for name in STATEMENT_FIELDS}


def _event_fields(event: Event) -> dict[str, Any]:
    scalars = ("date", "date_precision", "date_basis", "date_end", "type", "mode", "context", "cameo")
    scores = ("quad_class", "intensity", "goldstein", "confidence")
    return {
        **{name: getattr(event, name) for name in scalars + scores},
        **asdict(event.modality),
    }


def _actor_fields(event: Event) -> dict[str, list[Any]]:
    row: dict[str, list[Any]] = {}
    for prefix, attribute in ACTOR_ROLES:
        actors: list[Actor] = getattr(event, attribute)
        for name in ACTOR_FIELDS:
            row[f"{prefix}_{name}"] = [getattr(actor, name) for actor in actors]
    return row


def _place_fields(place: Place | None) -> dict[str, Any]:
    return {f"location_{name}": getattr(place, name) if place else None for name in PLACE_FIELDS}


def _evidence_fields(event: Event) -> dict[str, Any]:
    evidence = event.evidence
    return {
        "evidence_text": evidence.text,
        "evidence_start": evidence.start,
        "evidence_end": evidence.end,
        "evidence_trigger_start": evidence.trigger_start,
        "evidence_trigger_end": evidence.trigger_end,
    }


def _statement_fields(article: Article, event: Event) -> dict[str, Any]:
    post = statement_of(article, event) or {}
    return {"statement": event.statement, **{f"statement_{name}": post.get(name) for name in STATEMENT_FIELDS}}


def store_records(store: Store, query: EventQuery | None = None, *, mentions: bool = False) -> Iterator[ExportRecord]:
    """The stored events that match `query` (all of them by default), each with its article.

    By default one record per real-world event: an event cluster's first mention stands for it, with the
    cluster's counts of mentions, sources and articles (`flashpoint.deduplicate`). `mentions=True` gives
    every stored mention instead, each with its own id.
    """
    query = query or EventQuery(limit=MAX_PAGE)
    articles: dict[str, Article | None] = {}
    seen: set[str] = set()
    while page := store.events(query):
        for event in page:
            if event.article_id not in articles:
                articles = {event.article_id: store.get_article(event.article_id)}  # pages come in article order
            article = articles[event.article_id]
            if article is None or (not mentions and event.cluster_id in seen):
                continue
            yield _stored_record(store, article, event, mentions=mentions)
            if event.cluster_id:
                seen.add(event.cluster_id)
        if len(page) < query.limit:
            return
        query = replace(query, cursor=page[-1].id)


def _stored_record(store: Store, article: Article, event: StoredEvent, *, mentions: bool) -> ExportRecord:
    cluster = store.get_cluster(event.cluster_id) if event.cluster_id and not mentions else None
    if cluster is None:
        return ExportRecord(article, event, event.index)
    return ExportRecord(
        article, event, event.index, cluster_id=cluster.id,
        num_mentions=cluster.n_mentions, num_sources=cluster.n_sources, num_articles=cluster.n_articles,
    )  # fmt: skip
