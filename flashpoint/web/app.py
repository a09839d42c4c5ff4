"""The FastAPI app: the JSON API under /api, its OpenAPI document at /openapi.json, the dashboard at /.

    from flashpoint.web import create_app

    app = create_app("sqlite:///flashpoint.db", token="s3cret")   # uvicorn.run(app) serves it

or, from a shell, `uvicorn --factory flashpoint.web.app:create_app` (the store from $FLASHPOINT_DB, the
token from $FLASHPOINT_TOKEN).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.responses import FileResponse

from .. import __version__
from ..errors import FlashpointError
from ..store import resolve_url
from . import responses, routes
from .state import AnswerCache, Settings, StorePool

STATIC = Path(__file__).parent / "static"
TOKEN_VAR = "FLASHPOINT_TOKEN"
DESCRIPTION = (
    "Coded political events (PLOVER/CAMEO) from a flashpoint store: events with their evidence, dyad series "
    "and turning points, articles. Reads are open unless the server runs with protected reads; writes need "
    'the bearer token the server was started with. Errors are JSON: {"error": {"code", "message"}}.'
)


def create_app(
    store_url: str | None = None,
    *,
    token: str | None = None,
    protect_reads: bool = False,
    pool_size: int = 4,
    cache_seconds: float = 30.0,
) -> FastAPI:
    """The app over the store at `store_url` (default: $FLASHPOINT_DB, else sqlite:///flashpoint.db).

    `token` (default: $FLASHPOINT_TOKEN; "" for none) is the bearer token writes need; without one, writes
    are refused. `protect_reads` asks the token on every read too (the dashboard then asks for it).
    `pool_size` stores are opened for concurrent reads; series and turning points are cached for
    `cache_seconds` (0: never). The store is opened now, so a bad address fails here (E401-E406).
    """
    settings = Settings(
        store_url=resolve_url(store_url),
        token=os.environ.get(TOKEN_VAR, "") if token is None else token,
        protect_reads=protect_reads,
        pool_size=pool_size,
        cache_seconds=cache_seconds,
    )
    pool = StorePool(settings.store_url, settings.pool_size)
    pool.first()
    app = FastAPI(
        title="flashpoint",
        version=__version__,
        description=DESCRIPTION,
        lifespan=_lifespan,
        docs_url=None,
        redoc_url=None,
        default_response_class=responses.SafeJSON,
    )
    app.state.settings, app.state.pool, app.state.cache = settings, pool, AnswerCache(cache_seconds)
    for router in (routes.open_router, routes.router, routes.write_router):
        app.include_router(router)
    _add_error_handlers(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_api_route("/", _index, methods=["GET", "HEAD"], include_in_schema=False)
    app.add_middleware(responses.SecurityHeaders)
    return app


def _add_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(FlashpointError, responses.flashpoint_error)
    app.add_exception_handler(RequestValidationError, responses.validation_error)
    app.add_exception_handler(HTTPException, responses.http_error)
    app.add_exception_handler(Exception, responses.unexpected_error)


def _index() -> FileResponse:
    return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    app.state.pool.close()
