"""A real HTTP server on localhost for the feed and fetch tests: each test sets its routes and reads back the
requests (with their headers) the server received."""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

STORY = (
    "Pakistan and Iran agreed on Friday to return their ambassadors to their posts, officials in Islamabad said. "
    "The foreign ministers spoke by telephone and said that the two countries would work together against "
    "militants in the border region. It was the first call between them since the strikes of this week."
)
FRENCH = (
    "Le Pakistan et l'Iran ont convenu vendredi de renvoyer leurs ambassadeurs dans leurs capitales, a déclaré "
    "le ministère des affaires étrangères dans un communiqué. Les deux pays vont travailler ensemble contre les "
    "groupes armés de la région frontalière, selon les ministres qui se sont parlé au téléphone."
)


def page(title: str, text: str = STORY) -> bytes:
    """An article page whose story is `text`."""
    sentences = [sentence.strip().rstrip(".") for sentence in text.split(". ") if sentence.strip()]
    paragraphs = "".join(f"<p>{sentence}.</p>" for sentence in sentences)
    return (
        f"<!doctype html><html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"{paragraphs}</article></body></html>"
    ).encode()


def rss(links: list[str], *, title: str = "Test News") -> bytes:
    """An RSS 2.0 feed with one item per link (dated 2024-01-19)."""
    date = format_datetime(datetime(2024, 1, 19, 10, tzinfo=UTC), usegmt=True)
    items = "".join(
        f"<item><title>Story {number}</title><link>{link}</link><pubDate>{date}</pubDate></item>"
        for number, link in enumerate(links, start=1)
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>http://example.com/</link>{items}</channel></rss>"
    ).encode()


@dataclass
class Route:
    """What the server answers at one path: `delay` seconds first; `etag` enables 304 answers."""

    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    etag: str | None = None
    last_modified: str | None = None
    send_length: bool = True
    trickle: float = 0.0  # seconds between chunks of 100 bytes


class FeedServer:
    """A threaded HTTP server; `url(path)` gives addresses, `routes` the answers, `requests` what came in."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.stopping = threading.Event()
        self.server = _QuietServer(("127.0.0.1", 0), _handler(self))
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> FeedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def hits(self, path: str) -> list[dict[str, str]]:
        return [headers for seen, headers in self.requests if seen == path]


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (the timeout tests) breaks the pipe: nothing to report."""


def _handler(server: FeedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            server.requests.append((self.path, dict(self.headers)))
            route = server.routes.get(self.path)
            if route is None:
                self.send_error(404, "Not Found")
                return
            if route.delay and server.stopping.wait(route.delay):
                return
            if route.etag and self.headers.get("If-None-Match") == route.etag:
                self.send_response(304)
                self.end_headers()
                return
            self._answer(route)

        def _answer(self, route: Route) -> None:
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            for name, value in route.headers.items():
                self.send_header(name, value)
            if route.etag:
                self.send_header("ETag", route.etag)
            if route.last_modified:
                self.send_header("Last-Modified", route.last_modified)
            if route.send_length:
                self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            step = 100 if route.trickle else len(route.body) or 1
            for start in range(0, len(route.body), step):
                if route.trickle and server.stopping.wait(route.trickle):
                    return
                self.wfile.write(route.body[start : start + step])
                self.wfile.flush()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


def refused_url() -> str:
    """An address where nothing listens (a port just freed)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/feed.xml"
