"""The API's routes: each a few lines over `queries`, `writes` and the store (see docs/api.md)."""

from __future__ import annotations

import asyncio
import hmac
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from .. import __version__
from ..dyads import SeriesPoint
from ..errors import Errors, FlashpointError
from ..store import EventQuery, Store, display_url
from . import params, queries, shapes, writes
from .responses import SafeJSON
from .state import AnswerCache, Settings, StorePool

bearer = HTTPBearer(auto_error=False, description="The token the server was started with (FLASHPOINT_TOKEN).")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def settings_of(request: Request) -> Settings:
    found: Settings = request.app.state.settings
    return found


def _check_token(settings: Settings, credentials: HTTPAuthorizationCredentials | None) -> None:
    if credentials is None or not credentials.credentials:
        raise FlashpointError(Errors.E457)
    if not hmac.compare_digest(credentials.credentials.encode(), settings.token.encode()):
        raise FlashpointError(Errors.E458)


async def reader(request: Request, credentials: Credentials) -> None:
    """Reads are open unless the server was started with `protect_reads`."""
    settings = settings_of(request)
    if settings.protect_reads:
        _check_token(settings, credentials)


async def writer(request: Request, credentials: Credentials) -> None:
    """Writes need the server's token; a server started without one refuses them all."""
    settings = settings_of(request)
    if not settings.writable:
        raise FlashpointError(Errors.E459)
    _check_token(settings, credentials)


async def opened_store(request: Request) -> AsyncIterator[Store]:
    pool: StorePool = request.app.state.pool
    async with pool.lend() as store:
        yield store


def cache_of(request: Request) -> AnswerCache:
    found: AnswerCache = request.app.state.cache
    return found


async def answer(request: Request, key: tuple[Any, ...] | None, compute: Callable[[Store], Any]) -> Response:
    """`compute(store)` as JSON, run in a worker thread with a store of the pool.

    With a `key` the rendered body is cached: a cached answer needs neither a thread nor a store, requests
    for an answer being computed wait for it (or take the expired one it replaces), and only one computes.
    """
    cache = cache_of(request)
    if key is None or cache.seconds <= 0:
        return _json(await _computed(request, compute))
    fresh, stale = cache.lookup(key)
    if fresh is not None:
        return _json(fresh)
    running = cache.pending.get(key)
    if running is not None:
        if stale is not None:
            return _json(stale)
        await running.wait()
        if (fresh := cache.peek(key)) is not None:
            return _json(fresh)
    cache.pending[key] = done = asyncio.Event()
    try:
        body = await _computed(request, compute)
        cache.put(key, body)
    finally:
        if cache.pending.get(key) is done:
            del cache.pending[key]
        done.set()
    return _json(body)


async def _computed(request: Request, compute: Callable[[Store], Any]) -> bytes:
    async with request.app.state.pool.lend() as store:
        return await run_in_threadpool(lambda: SafeJSON.dump(compute(store)))


def _json(body: bytes) -> Response:
    return Response(body, media_type="application/json")


StoreDep = Annotated[Store, Depends(opened_store)]
Since = Annotated[str | None, Query(description="First event date, YYYY-MM-DD (inclusive).", max_length=40)]
Until = Annotated[str | None, Query(description="Last event date, YYYY-MM-DD (inclusive).", max_length=40)]
Country = Annotated[str | None, Query(description="ISO 3166-1 alpha-3 code, such as PAK.", max_length=40)]
CountryPath = Annotated[str, Path(description="ISO 3166-1 alpha-3 code, such as PAK.", max_length=40)]
Interval = Annotated[Literal["day", "week"], Query(description="Period of the series.")]
Directed = Annotated[bool, Query(description="Only events from a to b (else both ways).")]
Dyad = Annotated[str | None, Query(description="Undirected pair of countries, A-B (PAK-IRN).", max_length=40)]
EventType = Annotated[str | None, Query(alias="type", description="PLOVER event type, such as ASSAULT.", max_length=40)]
QuadClass = Annotated[int | None, Query(ge=0, le=4, description="0 neutral, 1-2 cooperation, 3-4 conflict.")]

MAX_ID = 2**63 - 1  # the largest id a store holds (SQLite's and PostgreSQL's 64-bit integers)


async def storable_parameters(request: Request) -> None:
    """A NUL character in a parameter is refused (E450) before it reaches a store: PostgreSQL cannot take it."""
    for name, value in [*request.path_params.items(), *request.query_params.multi_items()]:
        if "\x00" in str(value):
            raise FlashpointError(Errors.E450, name=name, detail=f"{name} holds a NUL character (%00)")


router = APIRouter(prefix="/api", dependencies=[Depends(reader), Depends(storable_parameters)])
open_router = APIRouter(prefix="/api", dependencies=[Depends(storable_parameters)])
write_router = APIRouter(prefix="/api")  # its routes check the token first, then the parameters
ARTICLE_RECORD = {
    "type": "object",
    "description": "As a JSONL line of `flashpoint ingest`: `text` or `html` is required.",
    "properties": {
        "id": {"type": "string", "description": "Default: 'api-' and a hash of the text."},
        "text": {"type": "string"},
        "html": {"type": "string"},
        "url": {"type": "string"},
        "published": {"type": "string", "description": "YYYY-MM-DD"},
        "title": {"type": "string"},
        "source": {"type": "string", "description": "The outlet."},
    },
}


@open_router.get("/health", summary="Whether the server and its store answer (open even when reads are private)")
async def health(request: Request) -> Response:
    settings = settings_of(request)

    def compute(store: Store) -> dict[str, Any]:
        store.events(EventQuery(limit=1))
        found = {"status": "ok", "version": __version__, "writes": settings.writable, "private": settings.protect_reads}
        return found if settings.protect_reads else found | {"store": display_url(store.url)}

    return await answer(request, None, compute)


async def event_query(
    dyad: Dyad = None,
    source: Country = None,
    target: Country = None,
    country: Country = None,
    event_type: EventType = None,
    quad_class: QuadClass = None,
    cameo: Annotated[
        str | None, Query(pattern=r"^[0-9]{1,4}$", description="CAMEO code prefix: 19 finds 190-196.")
    ] = None,
    since: Since = None,
    until: Until = None,
    q: Annotated[str | None, Query(max_length=200, description="Text in the evidence (case-insensitive).")] = None,
    article_id: Annotated[str | None, Query(max_length=500)] = None,
    cluster_id: Annotated[str | None, Query(max_length=500)] = None,
    min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
    asserted: Annotated[bool | None, Query(description="true: neither negated nor hypothetical.")] = None,
    duplicates: Annotated[bool, Query(description="Include events of articles marked as duplicates.")] = False,
    limit: Annotated[int, Query(ge=1, le=1000, description="Events per page.")] = 100,
    cursor: Annotated[int | None, Query(ge=0, le=MAX_ID, description="`next_cursor` of the previous page.")] = None,
) -> EventQuery:
    pair = params.dyad(dyad)
    directed = params.country(source, name="source"), params.country(target, name="target")
    if pair and any(directed):
        raise FlashpointError(Errors.E453)
    first, last = params.window(since, until)
    return EventQuery(
        dyad=pair,
        source=directed[0],
        target=directed[1],
        country=params.country(country, name="country"),
        type=params.event_type(event_type),
        quad_class=quad_class,
        cameo=cameo,
        since=first,
        until=last,
        q=q or None,
        article_id=article_id,
        cluster_id=cluster_id,
        min_confidence=min_confidence,
        asserted=asserted,
        duplicates=duplicates,
        limit=limit,
        cursor=cursor,
    )


QueryDep = Annotated[EventQuery, Depends(event_query)]


@router.get("/events", summary="Events matching the filters, one page at a time")
async def list_events(request: Request, query: QueryDep) -> Response:
    def compute(store: Store) -> dict[str, Any]:
        events, next_cursor = queries.event_page(store, query)
        return {"events": events, "next_cursor": next_cursor, "limit": query.limit}

    return await answer(request, ("events", query), compute)


@router.get("/events/{article_id:path}/{index}", summary="One event, with the other reports of it")
async def get_event(request: Request, article_id: str, index: Annotated[int, Path(ge=0)]) -> Response:
    return await answer(request, None, lambda store: queries.one_event(store, article_id, index))


@router.get("/articles/{article_id:path}", summary="An article: cleaned text, statements, events with evidence")
async def get_article(request: Request, article_id: str) -> Response:
    return await answer(request, None, lambda store: queries.article_detail(store, article_id))


@router.get("/dyads", summary="The most active pairs of countries in a window")
async def top_dyads(
    request: Request, since: Since = None, until: Until = None, limit: Annotated[int, Query(ge=1, le=100)] = 10
) -> Response:
    first, last = params.window(since, until)

    def compute(store: Store) -> dict[str, Any]:
        found = store.top_dyads(since=first, until=last, limit=limit)
        return {"dyads": [shapes.dyad_json(count) for count in found], "since": first, "until": last}

    return await answer(request, ("dyads", first, last, limit), compute)


@dataclass(frozen=True)
class SeriesQuery:
    a: str
    b: str
    interval: str
    directed: bool
    since: str | None
    until: str | None

    def points(self, store: Store, cache: AnswerCache) -> list[SeriesPoint]:
        """The series, computed once for the series and turning-point endpoints while it is cached."""
        found: list[SeriesPoint] = cache.get(
            ("points", self),
            lambda: store.series(
                self.a,
                self.b,
                interval=self.interval,  # type: ignore[arg-type]  # checked by the route's parameter
                directed=self.directed,
                since=self.since,
                until=self.until,
            ),
        )
        return found


async def series_query(
    a: CountryPath,
    b: CountryPath,
    interval: Interval = "day",
    directed: Directed = False,
    since: Since = None,
    until: Until = None,
) -> SeriesQuery:
    first, last = params.window(since, until)
    return SeriesQuery(
        params.required_country(a, name="a"), params.required_country(b, name="b"), interval, directed, first, last
    )


SeriesDep = Annotated[SeriesQuery, Depends(series_query)]


@router.get("/dyads/{a}/{b}/series", summary="A dyad's events per day or week")
async def dyad_series(request: Request, series: SeriesDep) -> Response:
    def compute(store: Store) -> dict[str, Any]:
        points = series.points(store, cache_of(request))
        return {
            "a": series.a,
            "b": series.b,
            "interval": series.interval,
            "directed": series.directed,
            "points": [shapes.point_json(point) for point in points],
        }

    return await answer(request, ("series", series), compute)


@router.get("/dyads/{a}/{b}/turning-points", summary="Escalations and de-escalations of a dyad, with their drivers")
async def dyad_turning_points(
    request: Request,
    series: SeriesDep,
    score: Annotated[
        Literal["intensity", "goldstein"], Query(description="The score whose level shifts.")
    ] = "intensity",
) -> Response:
    def compute(store: Store) -> dict[str, Any]:
        points = series.points(store, cache_of(request))
        found = queries.turning_points_with_drivers(store, points, score=score)
        return {"a": series.a, "b": series.b, "interval": series.interval, "score": score, "turning_points": found}

    return await answer(request, ("turning-points", series, score), compute)


@router.get("/turning-points", summary="Recent turning points of the most active dyads")
async def recent_turning_points(
    request: Request,
    since: Since = None,
    until: Until = None,
    interval: Interval = "day",
    dyads: Annotated[int, Query(ge=1, le=20, description="How many of the most active dyads to look at.")] = 5,
) -> Response:
    first, last = params.window(since, until)

    def compute(store: Store) -> dict[str, Any]:
        found = queries.recent_turning_points(store, since=first, until=last, dyads=dyads, interval=interval)
        return {"turning_points": found, "since": first, "until": last}

    return await answer(request, ("recent", first, last, interval, dyads), compute)


@router.get("/places", summary="Where the matching events happened (located events only)")
async def event_places(
    request: Request,
    query: QueryDep,
    scan: Annotated[int, Query(ge=1, le=100_000, description="Read at most this many matching events.")] = 5000,
) -> Response:
    return await answer(request, ("places", query, scan), lambda store: queries.event_places(store, query, scan=scan))


@write_router.post(
    "/articles",
    status_code=201,
    dependencies=[Depends(writer), Depends(storable_parameters)],
    summary="Code and store one article, or a list of up to 20",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {"oneOf": [ARTICLE_RECORD, {"type": "array", "items": ARTICLE_RECORD, "maxItems": 20}]}
                }
            },
        }
    },
)
async def post_articles(request: Request, store: StoreDep) -> Response:
    settings = settings_of(request)
    body = await _capped_body(request, writes.body_limit(settings.max_batch))
    records = writes.parse_body(body, max_batch=settings.max_batch)
    report = await run_in_threadpool(writes.ingest_records, store, records)
    cache_of(request).clear()
    return SafeJSON(report, status_code=201 if report["stored"] or report["errored"] else 200)


async def _capped_body(request: Request, limit: int) -> bytes:
    """The body, read no further than `limit` bytes (E462 beyond)."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise FlashpointError(Errors.E462, size=f"over {len(body)}", limit=limit)
    return bytes(body)
