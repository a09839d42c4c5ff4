"""The SQL both backends share: writes, queries and migrations over a DB-API connection.

The statements here use `?` placeholders and take every value as a parameter; a backend supplies the
connection, its transactions, its placeholder style and the few expressions where the dialects differ.
"""

from __future__ import annotations

import functools
import json
import threading
import time
from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime, timedelta
from itertools import groupby
from types import TracebackType
from typing import Any, ClassVar

from ..dyads import SeriesPoint
from ..errors import Errors, FlashpointError
from ..model import Article, Event, Mention, Statement
from ..sources.detect import parse_date
from . import records
from .base import (
    MAX_PAGE,
    AddResult,
    DedupEvent,
    DedupRow,
    DyadCount,
    EventQuery,
    Interval,
    StoredCluster,
    StoredEvent,
    check_interval,
)
from .schema import SCHEMA_VERSION_TABLE, latest_version, migrations

# A DB-API cursor (sqlite3.Cursor or psycopg.Cursor): execute, executemany, fetchone/fetchall, rowcount.
Cursor = Any

INSERT_ARTICLE = """
INSERT INTO articles (id, title, url, published, published_basis, source, origin, language, text, input_hash,
                      ingested_at, coder_version, n_events, error_codes, record)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT DO NOTHING
"""
INSERT_STATEMENT = """
INSERT INTO statements (article_id, ordinal, text, author, handle, date, url, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
"""
INSERT_MENTION = """
INSERT INTO mentions (article_id, ordinal, start_offset, end_offset, kind, text, actor_name, country, sector,
                      place_id, record)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
UPSERT_PLACE = """
INSERT INTO places (key, name, country, admin1, lat, lon, geonames_id) VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (key) DO UPDATE SET name = excluded.name
RETURNING id
"""
INSERT_EVENT = """
INSERT INTO events (article_id, ordinal, type, mode, context, cameo, quad_class, intensity, goldstein, date,
                    date_precision, date_basis, date_end, place_id, location_country, negated, hypothetical,
                    future, historical, reported, confidence, statement, evidence, outlet, coder_version, record)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
RETURNING id
"""
INSERT_ACTOR = """
INSERT INTO event_actors (event_id, role, ordinal, name, text, country, sector, office, person, location)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
INSERT_DYAD = """
INSERT INTO event_dyads (source, target, date, week, event_id, article_id, date_precision, asserted, historical,
                         quad_class, intensity, goldstein, outlet, cluster)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
# A cluster counts once in series, through one mention: the first stored of those dated to the day, else the
# first stored (two parameters: the cluster id twice).
COUNT_FIRST_MENTION = """
UPDATE event_dyads SET counted = (event_id = (
    SELECT f.event_id FROM event_dyads f WHERE f.cluster = ?
    ORDER BY CASE WHEN f.date_precision = 'day' THEN 0 ELSE 1 END, f.event_id LIMIT 1))
WHERE cluster = ?
"""
# A walk of the (country, role, event_id) index of event_actors: the events with an actor of one country in one
# role (and, with TARGET, a target in another country), in id order, so that a page of a busy dyad stops after
# `limit` matches instead of gathering all its events to sort them. SQLite's CROSS JOIN keeps that order.
WALK = """
SELECT s.event_id AS id FROM event_actors s CROSS JOIN events e
WHERE s.country = ? AND s.role = ? AND e.id = s.event_id AND s.event_id > ? {target} AND {where}
ORDER BY s.event_id LIMIT ?
"""
TARGET = """
AND EXISTS (SELECT 1 FROM event_actors t WHERE t.event_id = s.event_id AND t.role = 'target' AND t.country = ?)
"""
# The dyad rows a series counts (as flashpoint.dyads.dyad_events does), of articles not marked as duplicates.
COUNTED = """
d.date_precision IN ('day', 'week') AND d.asserted AND NOT d.historical AND d.counted
AND d.article_id NOT IN (SELECT id FROM articles WHERE duplicate_of IS NOT NULL)
"""
EVENT_COLUMNS = """
e.id, e.article_id, e.ordinal, e.cluster_id, e.coder_version, e.record, a.source, a.url, a.published
"""
CLUSTER_COUNTS = """
UPDATE event_clusters SET
    n_mentions = (SELECT count(*) FROM events WHERE cluster_id = event_clusters.id),
    n_sources = (SELECT count(DISTINCT outlet) FROM events WHERE cluster_id = event_clusters.id),
    n_articles = (SELECT count(DISTINCT article_id) FROM events WHERE cluster_id = event_clusters.id)
WHERE id = ?
"""
DEDUP_PAGE = 1000
DEDUP_COLUMNS = "id, text, url, signature, content_hash, canonical_url, duplicate_of"
# Articles without errors that deduplication has not recorded (through the index articles_unrecorded).
UNRECORDED = "content_hash IS NULL AND error_codes IS NULL"
# The newest signatures, leaving out exact copies (the same content hash) of an earlier article.
RECENT_SIGNATURES = """
SELECT a.id, a.signature FROM articles a
WHERE a.signature IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM articles b WHERE b.content_hash = a.content_hash AND (b.ingested_at, b.id) < (a.ingested_at, a.id))
ORDER BY a.ingested_at DESC, a.id DESC LIMIT ?
"""
# Events with an actor of one country (correlated, so that the planner walks the dates' index, not the country's).
OF_COUNTRY = "EXISTS (SELECT 1 FROM event_actors x WHERE x.event_id = e.id AND x.country = ?)"
# The events of a pair of countries dated within [since, until], through the dyads' primary key (six parameters).
NEAR_PAIR = """
SELECT event_id AS id FROM event_dyads WHERE source = ? AND target = ? AND date BETWEEN ? AND ?
UNION SELECT event_id FROM event_dyads WHERE source = ? AND target = ? AND date BETWEEN ? AND ?
"""
NEAR_COUNTRY = f"SELECT e.id FROM events e WHERE e.date BETWEEN ? AND ? AND {OF_COUNTRY}"
# Spans that start before `since` and end on or after it (COALESCE keeps the planner on events_date_end).
LONG_SPANS = f"SELECT e.id FROM events e WHERE e.date_end >= ? AND COALESCE(e.date, e.date_end) <= ? AND {OF_COUNTRY}"
# The events found and the other members of their clusters, up to an id, of articles recorded and not duplicates:
# what event clustering reads of each, a row per source or target actor (or one, without).
WITH_CLUSTERS = """
WITH hits AS ({hits}),
found AS (SELECT id FROM hits UNION SELECT e.id FROM events e
          WHERE e.cluster_id IN (SELECT h.cluster_id FROM events h WHERE h.id IN (SELECT id FROM hits)))
SELECT e.id, e.cluster_id, e.article_id, e.ordinal, x.role, x.country, e.type, e.cameo, e.date, e.date_precision,
       e.date_end, e.location_country, p.admin1, e.negated OR e.hypothetical, a.source, a.url
FROM events e JOIN articles a ON a.id = e.article_id LEFT JOIN places p ON p.id = e.place_id
LEFT JOIN event_actors x ON x.event_id = e.id AND x.role IN ('source', 'target')
WHERE e.id IN (SELECT id FROM found) AND e.id <= ? AND a.content_hash IS NOT NULL AND a.duplicate_of IS NULL
ORDER BY e.id
"""


# How long a lost database connection is tried again (with back-off) before giving up with E413.
RETRY_SECONDS = 30.0
FIRST_PAUSE, LONGEST_PAUSE = 0.25, 4.0


class ConnectionLost(Exception):
    """The backend lost its connection (a server restarted, a network cut): the call may be tried again."""


def retried(method: Callable[..., Any]) -> Callable[..., Any]:
    """Run a store call again on a fresh connection while the database is away, for up to `retry_seconds`.

    Every retried call is one transaction or a read, and an article already stored is not added again, so a
    retry after a commit whose answer was lost commits nothing twice.
    """

    @functools.wraps(method)
    def call(self: SQLStore, *args: Any, **kwargs: Any) -> Any:
        waited, pause, lost = 0.0, FIRST_PAUSE, False
        while True:
            try:
                if lost:
                    self._reconnect()
                return method(self, *args, **kwargs)
            except ConnectionLost as error:
                if waited >= self.retry_seconds:
                    raise FlashpointError(Errors.E413, url=self.url, seconds=round(waited, 1), detail=error) from error
                time.sleep(pause)
                waited, pause, lost = waited + pause, min(pause * 2, LONGEST_PAUSE), True

    return call


class SQLStore(ABC):
    """A store over one database connection; subclasses are the backends (see `base.Store`)."""

    backend: ClassVar[str]  # the folder of its migrations
    like: ClassVar[str] = "LIKE"  # the case-insensitive LIKE
    version_table_exists: ClassVar[str] = "SELECT count(*) FROM sqlite_master WHERE name = 'schema_version'"

    def __init__(self, url: str, *, retry_seconds: float = RETRY_SECONDS) -> None:
        self.url = url
        self.retry_seconds = retry_seconds
        self._lock = threading.RLock()

    # -- what a backend supplies ------------------------------------------------------------------------

    @abstractmethod
    def _transaction(self, *, input: str | None = None) -> AbstractContextManager[Cursor]:
        """A cursor in a write transaction, committed at the end of the block; database errors raised as
        FlashpointError (E407 naming `input` when given)."""

    @abstractmethod
    def _reading(self) -> AbstractContextManager[Cursor]:
        """A cursor for reading, with database errors raised as FlashpointError."""

    @abstractmethod
    def _run_script(self, cursor: Cursor, script: str) -> None: ...

    def _reconnect(self) -> None:  # noqa: B027 - a hook: only a backend with a server can lose its connection
        """Open a new connection after `ConnectionLost` (raising it again while the server is still away)."""

    @abstractmethod
    def close(self) -> None: ...

    def _sql(self, text: str) -> str:
        """The statement in the driver's placeholder style."""
        return text

    def _lock_schema(self, cursor: Cursor) -> None:  # noqa: B027 - a hook; SQLite's BEGIN IMMEDIATE locks already
        """Keep other processes from migrating at the same time (within the migration's transaction)."""

    # -- opening ----------------------------------------------------------------------------------------

    def _migrate(self) -> None:
        """Apply the migrations this store has not had yet, all in one transaction.

        A store that is up to date is only read, so opening it never waits for a writer (nor needs the
        right to create tables)."""
        known = latest_version(self.backend)
        with self._reading() as cursor:
            exists = self._execute(cursor, self.version_table_exists).fetchone()[0]
            if exists and self._execute(cursor, "SELECT max(version) FROM schema_version").fetchone()[0] == known:
                return
        with self._transaction() as cursor:
            self._lock_schema(cursor)
            cursor.execute(SCHEMA_VERSION_TABLE)
            found = self._execute(cursor, "SELECT max(version) FROM schema_version").fetchone()[0] or 0
            if found > known:
                raise FlashpointError(Errors.E405, url=self.url, found=found, known=known)
            for migration in migrations(self.backend):
                if migration.version > found:
                    self._apply(cursor, migration.name, migration.sql)
                    applied = (migration.version, migration.name, _now())
                    self._execute(cursor, "INSERT INTO schema_version VALUES (?, ?, ?)", applied)

    def _apply(self, cursor: Cursor, name: str, script: str) -> None:
        try:
            self._run_script(cursor, script)
        except Exception as error:  # noqa: BLE001 - any driver error, reported with the migration's name
            raise FlashpointError(Errors.E406, url=self.url, name=name, detail=str(error).strip()) from error

    def schema_version(self) -> int:
        with self._reading() as cursor:
            return int(self._execute(cursor, "SELECT max(version) FROM schema_version").fetchone()[0])

    def __enter__(self) -> SQLStore:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def _execute(self, cursor: Cursor, sql: str, params: Iterable[Any] = ()) -> Cursor:
        cursor.execute(self._sql(sql), tuple(params))
        return cursor

    # -- writing ----------------------------------------------------------------------------------------

    @retried
    def add_article(self, article: Article, *, coder_version: str | None = None) -> AddResult:
        version = coder_version or _package_version()
        name = article.origin or article.id
        try:
            row = self._article_row(article, version)
            with self._transaction(input=name) as cursor:
                self._execute(cursor, INSERT_ARTICLE, row)
                if cursor.rowcount == 0:
                    return AddResult(article.id, added=False, duplicate_of=self._find(cursor, article))
                self._add_parts(cursor, article, version)
        except (ValueError, TypeError) as error:  # a value JSON or the database cannot hold
            raise FlashpointError(Errors.E407, input=name, detail=str(error)) from error
        return AddResult(article.id, added=True, events=len(article.events))

    def _article_row(self, article: Article, version: str) -> tuple[Any, ...]:
        return (
            article.id, article.title, article.url, records.iso_date(article.published), article.published_basis,
            article.source, article.origin, article.language, article.text, records.input_hash(article), _now(),
            version, len(article.events), records.error_codes(article),
            records.to_json(records.article_record(article)),
        )

    def _add_parts(self, cursor: Cursor, article: Article, version: str) -> None:
        places: dict[str, int] = {}
        statements = [records.statement_row(article.id, index, s) for index, s in enumerate(article.statements)]
        mentions = [self._mention_row(cursor, article.id, index, m, places) for index, m in enumerate(article.mentions)]
        self._execute_many(cursor, INSERT_STATEMENT, statements)
        self._execute_many(cursor, INSERT_MENTION, mentions)
        outlet = records.outlet(article)
        rows = [
            records.event_row(
                event, article_id=article.id, ordinal=index, place_id=self._place_id(cursor, event.location, places),
                outlet=outlet, coder_version=version,
            )
            for index, event in enumerate(article.events)
        ]
        actors: list[tuple[Any, ...]] = []
        dyads: list[tuple[Any, ...]] = []
        event_ids = self._insert_ids(cursor, INSERT_EVENT, rows)
        for index, (event, event_id) in enumerate(zip(article.events, event_ids, strict=True)):
            actors += records.actor_rows(event_id, event)
            dyads += records.dyad_rows(event_id, event, article_id=article.id, ordinal=index, outlet=outlet)
        self._execute_many(cursor, INSERT_ACTOR, actors)
        self._execute_many(cursor, INSERT_DYAD, dyads)

    def _insert_ids(self, cursor: Cursor, sql: str, rows: list[tuple[Any, ...]]) -> list[int]:
        """Insert the rows with a statement that returns each new row's id; the ids in order."""
        return [self._execute(cursor, sql, row).fetchone()[0] for row in rows]

    def _mention_row(
        self, cursor: Cursor, article_id: str, index: int, mention: Mention, places: dict[str, int]
    ) -> tuple[Any, ...]:
        return records.mention_row(article_id, index, mention, self._place_id(cursor, mention.place, places))

    def _place_id(self, cursor: Cursor, place: Any, places: dict[str, int]) -> int | None:
        if place is None:
            return None
        row = records.place_row(place)
        if row[0] not in places:
            places[row[0]] = self._execute(cursor, UPSERT_PLACE, row).fetchone()[0]
        return places[row[0]]

    def _execute_many(self, cursor: Cursor, sql: str, rows: list[tuple[Any, ...]]) -> None:
        if rows:
            cursor.executemany(self._sql(sql), rows)

    @retried
    def set_cluster(self, cluster: StoredCluster, mentions: Iterable[tuple[str, int]]) -> None:
        with self._transaction() as cursor:
            self._execute(
                cursor,
                """INSERT INTO event_clusters (id, dyad, type, date, date_end, location) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET dyad = excluded.dyad, type = excluded.type, date = excluded.date,
                date_end = excluded.date_end, location = excluded.location""",
                (cluster.id, cluster.dyad, cluster.type, records.iso_date(cluster.date),
                 records.iso_date(cluster.date_end), cluster.location),
            )
            touched = {cluster.id}
            for article_id, index in mentions:
                touched |= self._move_to_cluster(cursor, cluster.id, article_id, index)
            for cluster_id in sorted(touched):
                self._execute(cursor, CLUSTER_COUNTS, (cluster_id,))
                self._execute(cursor, COUNT_FIRST_MENTION, (cluster_id, cluster_id))
                self._execute(cursor, "DELETE FROM event_clusters WHERE n_mentions = 0 AND id = ?", (cluster_id,))

    def _move_to_cluster(self, cursor: Cursor, cluster_id: str, article_id: str, index: int) -> set[str]:
        """Put one mention in the cluster; returns the cluster it left, if any."""
        found = self._execute(
            cursor, "SELECT id, cluster_id FROM events WHERE article_id = ? AND ordinal = ?", (article_id, index)
        ).fetchone()
        if found is None:
            raise FlashpointError(Errors.E410, url=self.url, article_id=article_id, index=index)
        self._execute(cursor, "UPDATE events SET cluster_id = ? WHERE id = ?", (cluster_id, found[0]))
        self._execute(cursor, "UPDATE event_dyads SET cluster = ? WHERE event_id = ?", (cluster_id, found[0]))
        return {found[1]} if found[1] else set()

    @retried
    def set_dedup(
        self,
        article_id: str,
        *,
        duplicate_of: str | None = None,
        content_hash: str | None = None,
        canonical_url: str | None = None,
        signature: bytes | None = None,
    ) -> None:
        if duplicate_of == article_id:
            raise FlashpointError(Errors.E408, field="duplicate_of", value=duplicate_of, expected="another article")
        with self._transaction() as cursor:
            for name in (article_id, duplicate_of):
                found = name is None or self._execute(cursor, "SELECT 1 FROM articles WHERE id = ?", (name,)).fetchone()
                if not found:
                    raise FlashpointError(Errors.E409, url=self.url, article_id=name)
            self._execute(
                cursor,
                "UPDATE articles SET duplicate_of = ?, content_hash = ?, canonical_url = ?, signature = ? WHERE id = ?",
                (duplicate_of, content_hash, canonical_url, signature, article_id),
            )

    # -- reading ----------------------------------------------------------------------------------------

    @retried
    def find_article(self, article: Article) -> str | None:
        with self._reading() as cursor:
            return self._find(cursor, article)

    def _find(self, cursor: Cursor, article: Article) -> str | None:
        found = self._execute(cursor, "SELECT id FROM articles WHERE id = ?", (article.id,)).fetchone()
        digest = records.input_hash(article)
        if found is None and digest is not None:
            found = self._execute(cursor, "SELECT id FROM articles WHERE input_hash = ?", (digest,)).fetchone()
        return found[0] if found else None

    @retried
    def get_article(self, article_id: str) -> Article | None:
        with self._reading() as cursor:
            row = self._execute(cursor, "SELECT text, record FROM articles WHERE id = ?", (article_id,)).fetchone()
            if row is None:
                return None
            article = records.from_record(Article, records.load_json(row[1]))
            article.text = row[0]
            article.statements = self._parts(cursor, "statements", Statement, article_id)
            article.mentions = self._parts(cursor, "mentions", Mention, article_id)
            article.events = self._parts(cursor, "events", Event, article_id)
        return article

    def _parts(self, cursor: Cursor, table: str, kind: type[Any], article_id: str) -> list[Any]:
        sql = f"SELECT record FROM {table} WHERE article_id = ? ORDER BY ordinal"  # table: one of three names
        rows = self._execute(cursor, sql, (article_id,)).fetchall()
        return [records.from_record(kind, records.load_json(row[0])) for row in rows]

    @retried
    def events(self, query: EventQuery | None = None) -> list[StoredEvent]:
        query = query or EventQuery()
        page, params = self._page(query)
        sql = (
            f"SELECT {EVENT_COLUMNS} FROM events e JOIN articles a ON a.id = e.article_id"
            f" WHERE e.id IN ({page}) ORDER BY e.id"
        )
        with self._reading() as cursor:
            rows = self._execute(cursor, sql, params).fetchall()
        return [_stored_event(row) for row in rows]

    def _page(self, query: EventQuery) -> tuple[str, list[Any]]:
        """The SQL of the page's event ids and its parameters: from the indexes, no record read to be thrown away.

        A dyad, source or target filter walks the actors' index in id order (`WALK`), one walk per direction.
        """
        walks = _walks(query)
        where, params = self._conditions(query, by_actor=not walks)
        if query.dyad and not walks:  # a source or target outside the dyad
            where.append("FALSE")
        condition = " AND ".join(where) or "TRUE"
        if not walks:
            return f"SELECT e.id FROM events e WHERE {condition} ORDER BY e.id LIMIT ?", [*params, query.limit]
        parts, values = [], []
        for country, role, target in walks:
            parts.append(f"SELECT id FROM ({WALK.format(target=TARGET if target else '', where=condition)}) w")
            values += [country, role, query.cursor or 0, *([target] if target else []), *params, query.limit]
        return f"SELECT id FROM ({' UNION '.join(parts)}) u ORDER BY id LIMIT ?", [*values, query.limit]

    def _conditions(self, query: EventQuery, *, by_actor: bool = True) -> tuple[list[str], list[Any]]:
        """The WHERE conditions of a query (fixed SQL text) and their parameters (every value); `by_actor`
        false leaves out the dyad, source and target (a `WALK` holds them)."""
        where: list[str] = []
        params: list[Any] = []

        def add(condition: str, *values: Any) -> None:
            where.append(condition)
            params.extend(values)

        if by_actor:
            for role, country in (("source", query.source), ("target", query.target)):
                if country:
                    add("e.id IN (SELECT event_id FROM event_actors WHERE country = ? AND role = ?)", country, role)
        if query.country:
            add("(e.id IN (SELECT event_id FROM event_actors WHERE country = ?) OR e.location_country = ?)",
                query.country, query.country)
        for column in ("type", "quad_class", "article_id", "cluster_id"):
            if getattr(query, column) is not None:
                add(f"e.{column} = ?", getattr(query, column))
        if query.cameo:
            add("substr(e.cameo, 1, ?) = ?", len(query.cameo), query.cameo)
        self._common_conditions(query, add)
        return where, params

    def _common_conditions(self, query: EventQuery, add: Callable[..., None]) -> None:
        if query.since:
            add("e.date >= ?", query.since)
        if query.until:
            add("e.date <= ?", query.until)
        if query.min_confidence is not None:
            add("e.confidence >= ?", query.min_confidence)
        if query.asserted is not None:
            add("NOT e.negated AND NOT e.hypothetical" if query.asserted else "(e.negated OR e.hypothetical)")
        if query.q:
            add(f"e.evidence {self.like} ? ESCAPE '!'", f"%{_escape_like(query.q)}%")
        if not query.duplicates:
            add("e.article_id NOT IN (SELECT id FROM articles WHERE duplicate_of IS NOT NULL)")
        if query.cursor is not None:
            add("e.id > ?", query.cursor)

    @retried
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
        check_interval(interval)
        first, last = _bounds(since, until)
        pairs = [(a, b)] if directed or a == b else [(a, b), (b, a)]
        scans, params = [], []
        for source, target in pairs:  # one range scan of the primary key per direction
            condition, values = _dated("d.source = ? AND d.target = ?", [source, target], first, last)
            scans.append(f"SELECT * FROM event_dyads d WHERE {condition}")
            params += values
        # One pass, grouped by period; the clusters' intensities come as a JSON object whose repeated keys (a
        # cluster's several mentions) `_point` adds up: cheaper than grouping by period and cluster first.
        sql = f"""
        SELECT {"d.week" if interval == "week" else "d.date"}, count(*),
               count(*) FILTER (WHERE d.quad_class = 1), count(*) FILTER (WHERE d.quad_class = 2),
               count(*) FILTER (WHERE d.quad_class = 3), count(*) FILTER (WHERE d.quad_class = 4),
               sum(d.intensity), sum(d.goldstein), count(DISTINCT d.outlet),
               {self._pairs_text("d.cluster", "COALESCE(d.intensity, 0)")}
        FROM ({" UNION ALL ".join(scans)}) d WHERE {COUNTED} GROUP BY 1"""
        with self._reading() as cursor:
            rows = self._execute(cursor, sql, params).fetchall()
        points = [_point(row) for row in rows]
        return _fill({point.period: point for point in points}, first, last, interval)

    def _pairs_text(self, key: str, value: str) -> str:
        """An aggregate giving a JSON object's text, with a key repeated for each row that has it."""
        return f"json_group_object({key}, {value})"

    @retried
    def top_dyads(self, *, since: str | None = None, until: str | None = None, limit: int = 10) -> list[DyadCount]:
        if not 1 <= limit <= MAX_PAGE:
            raise FlashpointError(Errors.E408, field="limit", value=limit, expected=f"1 to {MAX_PAGE}")
        condition, params = _dated(COUNTED, [], *_bounds(since, until))
        # grouped in the primary key's order (no sort); the two directions of a pair are added up here
        sql = f"SELECT d.source, d.target, count(*) FROM event_dyads d WHERE {condition} GROUP BY 1, 2"
        with self._reading() as cursor:
            rows = self._execute(cursor, sql, params).fetchall()
        counts: dict[tuple[str, str], int] = defaultdict(int)
        for source, target, count in rows:
            counts[(min(source, target), max(source, target))] += int(count)
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]
        return [DyadCount(a=a, b=b, events=count) for (a, b), count in ranked]

    @retried
    def get_cluster(self, cluster_id: str) -> StoredCluster | None:
        sql = """SELECT id, dyad, type, date, date_end, location, n_mentions, n_sources, n_articles
                 FROM event_clusters WHERE id = ?"""
        with self._reading() as cursor:
            row = self._execute(cursor, sql, (cluster_id,)).fetchone()
        if row is None:
            return None
        return StoredCluster(row[0], row[1], row[2], _text(row[3]), _text(row[4]), row[5], *row[6:])

    def dedup_rows(self, *, unrecorded: bool = False) -> Iterator[DedupRow]:
        after: tuple[Any, ...] = ()
        while True:
            page = self._dedup_page(after, unrecorded)
            for row in page:
                yield _dedup_row(row[1:])
            if len(page) < DEDUP_PAGE:
                return
            after = (page[-1][0], page[-1][1])

    @retried
    def _dedup_page(self, after: tuple[Any, ...], unrecorded: bool) -> list[Any]:
        conditions = ["(ingested_at, id) > (?, ?)"] if after else []
        where = " AND ".join(conditions + ([UNRECORDED] if unrecorded else [])) or "TRUE"
        sql = f"SELECT ingested_at, {DEDUP_COLUMNS} FROM articles WHERE {where} ORDER BY ingested_at, id LIMIT ?"
        with self._reading() as cursor:
            return list(self._execute(cursor, sql, [*after, DEDUP_PAGE]).fetchall())

    @retried
    def find_copy(self, *, content_hash: str | None = None, canonical_url: str | None = None) -> DedupRow | None:
        with self._reading() as cursor:
            for column, value in (("content_hash", content_hash), ("canonical_url", canonical_url)):  # fixed names
                sql = f"SELECT {DEDUP_COLUMNS} FROM articles WHERE {column} = ? ORDER BY ingested_at, id LIMIT 1"
                row = self._execute(cursor, sql, (value,)).fetchone() if value is not None else None
                if row is not None:
                    return _dedup_row(row)
        return None

    @retried
    def recent_signatures(self, limit: int) -> list[tuple[str, bytes]]:
        with self._reading() as cursor:
            rows = self._execute(cursor, RECENT_SIGNATURES, (limit,)).fetchall()
        return [(row[0], bytes(row[1])) for row in reversed(rows)]

    @retried
    def last_event_id(self) -> int:
        with self._reading() as cursor:
            return int(self._execute(cursor, "SELECT max(id) FROM events").fetchone()[0] or 0)

    @retried
    def dedup_events(
        self, countries: tuple[str, str | None], *, since: str, until: str, through: int
    ) -> list[DedupEvent]:
        first, second = countries
        if second is not None and second != first:
            hits, params = NEAR_PAIR, [first, second, since, until, second, first, since, until]
        else:
            hits, params = NEAR_COUNTRY, [since, until, first]
        sql = WITH_CLUSTERS.format(hits=f"{hits} UNION {LONG_SPANS}")
        with self._reading() as cursor:
            rows = self._execute(cursor, sql, [*params, since, until, first, through]).fetchall()
        return [_dedup_event(list(actors)) for _, actors in groupby(rows, key=lambda row: row[0])]


# -- helpers ----------------------------------------------------------------------------------------------


def _package_version() -> str:
    from .. import __version__  # imported late: the package imports the store lazily, never the reverse

    return __version__


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _text(value: Any) -> Any:
    """A date read from a column as YYYY-MM-DD (PostgreSQL gives `date` objects)."""
    return value.isoformat() if isinstance(value, date) else value


def _bytes(value: Any) -> bytes | None:
    return bytes(value) if value is not None else None


def _dedup_row(row: Any) -> DedupRow:
    """A DedupRow from the columns of DEDUP_COLUMNS, in order."""
    return DedupRow(row[0], row[1], row[2], _bytes(row[3]), row[4], row[5], row[6])


def _dedup_event(rows: list[Any]) -> DedupEvent:
    """A DedupEvent from its rows of WITH_CLUSTERS, one per source or target actor."""
    first = rows[0]
    sides = {role: tuple(row[5] for row in rows if row[4] == role and row[5]) for role in ("source", "target")}
    return DedupEvent(
        id=int(first[0]), cluster_id=first[1], article_id=first[2], index=int(first[3]),
        source_countries=sides["source"], target_countries=sides["target"], type=first[6] or None,
        cameo=first[7] or None, date=_text(first[8]), date_precision=first[9], date_end=_text(first[10]),
        place_country=first[11], place_admin1=first[12], asserted=not first[13], article_source=first[14],
        article_url=first[15],
    )  # fmt: skip


def _escape_like(text: str) -> str:
    return text.replace("!", "!!").replace("%", "!%").replace("_", "!_")


def _stored_event(row: Any) -> StoredEvent:
    event = records.from_record(Event, records.load_json(row[5]))
    return StoredEvent(
        **{name: getattr(event, name) for name in Event.__dataclass_fields__},
        id=int(row[0]),
        article_id=row[1],
        index=int(row[2]),
        cluster_id=row[3],
        coder_version=row[4],
        article_source=row[6],
        article_url=row[7],
        article_published=_text(row[8]),
    )


def _dated(condition: str, params: list[Any], first: str | None, last: str | None) -> tuple[str, list[Any]]:
    """`condition` with the date bounds of `d.date` that are given, and its parameters."""
    for bound, value in (("d.date >= ?", first), ("d.date <= ?", last)):
        if value:
            condition += f" AND {bound}"
            params = [*params, value]
    return condition, params


def _bounds(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    first, last = parse_date(since, name="since"), parse_date(until, name="until")
    if first and last and first > last:
        raise FlashpointError(Errors.E408, field="since", value=first, expected=f"a date no later than until ({last})")
    return first, last


def _walks(query: EventQuery) -> list[tuple[str, str, str | None]]:
    """The index walks (country, role, target country) whose union is the query's dyad, source or target filter."""
    if query.dyad:
        a, b = query.dyad
        walks: list[tuple[str, str, str | None]] = [(a, "source", b), (b, "source", a)]
        return [walk for walk in walks if query.source in (None, walk[0]) and query.target in (None, walk[2])]
    if query.source:
        return [(query.source, "source", query.target)]
    if query.target:
        return [(query.target, "target", None)]
    return []


def _point(row: Any) -> SeriesPoint:
    """A series point from a row (period, events, q1..q4, intensity, goldstein, sources, clusters' JSON)."""
    period, events, q1, q2, q3, q4, intensity, goldstein, sources, clusters = row
    by_cluster: dict[str, float] = json.loads(clusters, object_pairs_hook=_summed)
    return SeriesPoint(
        period=_text(period), events=events, quad={1: q1, 2: q2, 3: q3, 4: q4}, intensity=float(intensity or 0.0),
        goldstein=float(goldstein or 0.0), sources=sources, clusters=sorted(by_cluster), cluster_intensity=by_cluster,
    )


def _summed(pairs: list[tuple[str, float]]) -> dict[str, float]:
    """A JSON object's pairs as a dict, adding up the values of a repeated key."""
    summed: dict[str, float] = {}
    for key, value in pairs:
        summed[key] = summed.get(key, 0.0) + value
    return summed


def _fill(points: dict[str, SeriesPoint], first: str | None, last: str | None, interval: str) -> list[SeriesPoint]:
    """Every period from `first` (or the first point) to `last` (or the last point), empty ones as zeros."""
    if not points and not (first and last):
        return []
    step = timedelta(days=7 if interval == "week" else 1)
    start = _period_of(first, interval) if first else date.fromisoformat(min(points))
    end = _period_of(last, interval) if last else date.fromisoformat(max(points))
    filled = []
    while start <= end:
        key = start.isoformat()
        filled.append(points.get(key) or SeriesPoint(period=key))
        start += step
    return filled


def _period_of(day: str, interval: str) -> date:
    value = date.fromisoformat(day)
    return value - timedelta(days=value.weekday()) if interval == "week" else value
