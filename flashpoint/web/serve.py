"""Run the app with uvicorn, and the demo: the bundled samples ingested into an SQLite file, then served.

    from flashpoint.web import demo, serve

    serve("sqlite:///events.db", host="127.0.0.1", port=8000, token="s3cret")
    demo("flashpoint-demo.db", port=8000, on_ready=print)       # ingests the samples, serves, blocks

Library code prints nothing: `on_ready(url)` is called once the server listens (the CLI prints the URL).
"""

from __future__ import annotations

import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path

from ..errors import Errors, FlashpointError
from ..ingest import IngestReport, ingest
from ..samples import sample_articles
from ..store import open_store
from .app import create_app

DEMO_DB = "flashpoint-demo.db"


def serve(
    store_url: str | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    token: str | None = None,
    protect_reads: bool = False,
    on_ready: Callable[[str], None] | None = None,
    log_level: str = "warning",
    pool_size: int = 4,
    cache_seconds: float = 30.0,
) -> None:
    """Serve the API and dashboard over the store until interrupted (Ctrl-C).

    `token` defaults to $FLASHPOINT_TOKEN (none: writes refused); `protect_reads`, `pool_size` and
    `cache_seconds` are `create_app`'s. `on_ready` gets the dashboard's URL once the server listens.
    Raises E466 for a port outside 0-65535, E401-E406 when the store cannot be opened.
    """
    import uvicorn

    if not 0 <= port <= 65535:
        raise FlashpointError(Errors.E466, value=f"{host}:{port}", detail="the port must be 0 to 65535")
    app = create_app(
        store_url, token=token, protect_reads=protect_reads, pool_size=pool_size, cache_seconds=cache_seconds
    )
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level=log_level, access_log=False))
    if on_ready is not None:
        _when_started(server, lambda: on_ready(url_of(server, host, port)))
    server.run()


def url_of(server: object, host: str, port: int) -> str:
    """The server's URL, with the port it really got (port 0 asks for a free one)."""
    for listener in getattr(server, "servers", []):
        for sock in listener.sockets:
            port = sock.getsockname()[1]
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def _when_started(server: object, callback: Callable[[], None]) -> None:
    def wait() -> None:
        while not getattr(server, "started", False):
            if getattr(server, "should_exit", False):
                return
            threading.Event().wait(0.05)
        callback()

    threading.Thread(target=wait, daemon=True).start()


def prepare_demo(db_path: str | Path = DEMO_DB) -> tuple[str, IngestReport]:
    """Ingest the bundled samples into the SQLite file `db_path` (skipping those already there).

    Returns the store URL and the ingestion report. Coding loads spaCy (a few seconds, once).
    """
    url = f"sqlite:///{Path(db_path)}"
    with open_store(url) as store:
        report = ingest(sample_articles(), store)
    return url, report


def demo(
    db_path: str | Path = DEMO_DB,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    serve_it: bool = True,
    open_browser: bool = False,
    on_ready: Callable[[str], None] | None = None,
    on_ingested: Callable[[str, IngestReport], None] | None = None,
) -> IngestReport:
    """The README's main job: the samples into `db_path`, then the dashboard served over it (blocks).

    `serve_it=False` only writes the database (the CLI's --no-serve). `on_ingested(url, report)` is called
    after ingestion, `on_ready(dashboard_url)` once the server listens; `open_browser` opens that URL.
    """
    url, report = prepare_demo(db_path)
    if on_ingested is not None:
        on_ingested(url, report)
    if not serve_it:
        return report

    def ready(address: str) -> None:
        if on_ready is not None:
            on_ready(address)
        if open_browser:
            webbrowser.open(address)

    serve(url, host=host, port=port, on_ready=ready)
    return report
