"""Fetching one URL safely: http(s) only, a timeout, a cap on size and on redirects, conditional requests.

    from flashpoint.sources.fetch import FetchOptions, fetch

    page = fetch("https://example.com/news", options=FetchOptions(timeout=10))
    again = fetch(page.url, etag=page.etag, last_modified=page.last_modified)   # again.not_modified

Every failure raises `FlashpointError` naming the URL: E120 (a scheme other than http/https; file:// only
with `allow_file`), E121 (unreachable), E122 (timeout), E123 (HTTP error status), E124 (too many
redirects), E125 (over `max_bytes`), E129 (a private address when `private` is false). `RETRIED` lists
the codes worth trying again later.

With `private=False` every connection, redirects included, must reach a public address: the check is on
the address the socket connected to, so a name that resolves to one address and then another (DNS
rebinding) is caught too. `flashpoint watch` fetches the pages a public feed links to this way, so that a
feed cannot make it read the local network (cloud metadata at 169.254.169.254, an admin page on
localhost) into the store. Those connections are made directly, not through an HTTP(S)_PROXY of the
environment (through a proxy the address reached could not be checked).
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import time
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from http.client import HTTPException, HTTPResponse
from pathlib import Path
from typing import IO
from urllib.error import HTTPError, URLError
from urllib.parse import unquote, urljoin, urlsplit

from ..errors import Errors, FlashpointError

RETRIED = frozenset({"E121", "E122", "E123"})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 1 << 16


@dataclass(frozen=True)
class FetchOptions:
    """Limits for one fetch: `timeout` in seconds for the whole response, `max_bytes` of body."""

    timeout: float = 20.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    allow_file: bool = False
    private: bool = True  # may connect to private, loopback and link-local addresses
    user_agent: str = "flashpoint/0.1 (news event coder)"


@dataclass(frozen=True)
class Fetched:
    """A response: `url` after redirects; `status` 304 (with an empty body) when not modified."""

    url: str
    status: int
    body: bytes
    fetched: str
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects come back as errors, so that `fetch` checks and counts each hop itself."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class _PrivateAddress(OSError):
    """The socket connected to an address that is not public."""

    def __init__(self, address: str) -> None:
        super().__init__(address)
        self.address = address


def is_public(address: str) -> bool:
    """Whether an IP address is on the public internet (not private, loopback, link-local or reserved)."""
    return ipaddress.ip_address(address.split("%")[0]).is_global


def on_private_network(url: str) -> bool:
    """Whether the URL's host is, or resolves to, an address that is not public (a file:// URL is local)."""
    parts = urlsplit(url)
    if parts.scheme.lower() == "file":
        return True
    try:
        found = socket.getaddrinfo(parts.hostname or "", None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return False  # not resolved: the fetch says why
    return any(not is_public(str(entry[4][0])) for entry in found)


def _check_peer(sock: socket.socket) -> None:
    address = sock.getpeername()[0]
    if not is_public(address):
        sock.close()
        raise _PrivateAddress(address)


class _PublicHTTPConnection(http.client.HTTPConnection):
    def connect(self) -> None:
        super().connect()
        _check_peer(self.sock)


class _PublicHTTPSConnection(http.client.HTTPSConnection):
    def connect(self) -> None:
        http.client.HTTPConnection.connect(self)  # checked before the TLS handshake, then wrapped as usual
        _check_peer(self.sock)
        self.sock = self._context.wrap_socket(self.sock, server_hostname=self.host)  # type: ignore[attr-defined]


class _PublicHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> HTTPResponse:
        return self.do_open(_PublicHTTPConnection, req)


class _PublicHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> HTTPResponse:
        return self.do_open(_PublicHTTPSConnection, req, context=self._context)  # type: ignore[attr-defined]


_OPENER = urllib.request.build_opener(_NoRedirects)
_PUBLIC_OPENER = urllib.request.build_opener(
    _NoRedirects, _PublicHTTPHandler, _PublicHTTPSHandler, urllib.request.ProxyHandler({})
)


def fetch(
    url: str, *, etag: str | None = None, last_modified: str | None = None, options: FetchOptions | None = None
) -> Fetched:
    """GET `url`, following up to `max_redirects` redirects (http/https only), with If-None-Match and
    If-Modified-Since when `etag` / `last_modified` are given."""
    options = options or FetchOptions()
    if _check_scheme(url, allow_file=options.allow_file) == "file":
        return _read_file(url, options)
    deadline = time.monotonic() + options.timeout
    address = url
    for _ in range(options.max_redirects + 1):
        response = _open(address, etag=etag, last_modified=last_modified, options=options, deadline=deadline)
        with response:
            if response.status not in REDIRECTS:
                return _fetched(address, response, options=options, deadline=deadline)
            location = response.headers.get("Location")
        if not location:
            raise FlashpointError(Errors.E123, input=address, status=response.status, reason="without a Location")
        address = urljoin(address, location)
        _check_scheme(address, allow_file=False)  # a server never sends us to a local file
    raise FlashpointError(Errors.E124, input=url, limit=options.max_redirects, location=address)


def _check_scheme(url: str, *, allow_file: bool) -> str:
    scheme = urlsplit(url).scheme.lower()
    if scheme in ("http", "https") or (scheme == "file" and allow_file):
        return scheme
    raise FlashpointError(Errors.E120, input=url, scheme=scheme or "(none)")


def _open(
    url: str, *, etag: str | None, last_modified: str | None, options: FetchOptions, deadline: float
) -> HTTPResponse:
    """The response to a GET, whatever its status (redirects and 304 included); E121-E123 for failures."""
    headers = {"User-Agent": options.user_agent, "Accept": "*/*"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    request = urllib.request.Request(url, headers=headers)
    opener = _OPENER if options.private else _PUBLIC_OPENER
    try:
        response: HTTPResponse = opener.open(request, timeout=_left(url, deadline, options))
        return response
    except HTTPError as error:
        if error.code in REDIRECTS or error.code == 304:
            return error  # type: ignore[return-value]  # an HTTPError is a response too
        error.close()
        raise FlashpointError(Errors.E123, input=url, status=error.code, reason=error.reason) from error
    except URLError as error:
        raise _network_error(url, error.reason, options) from error
    except (OSError, HTTPException) as error:
        raise _network_error(url, error, options) from error


def _network_error(url: str, reason: object, options: FetchOptions) -> FlashpointError:
    if isinstance(reason, _PrivateAddress):
        return FlashpointError(Errors.E129, input=url, address=reason.address)
    if isinstance(reason, TimeoutError):
        return FlashpointError(Errors.E122, input=url, seconds=options.timeout)
    detail = reason.strerror if isinstance(reason, OSError) and reason.strerror else str(reason)
    return FlashpointError(Errors.E121, input=url, detail=detail or type(reason).__name__)


def _left(url: str, deadline: float, options: FetchOptions) -> float:
    """The seconds left before the deadline; E122 when none are."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise FlashpointError(Errors.E122, input=url, seconds=options.timeout)
    return left


def _fetched(url: str, response: HTTPResponse, *, options: FetchOptions, deadline: float) -> Fetched:
    headers: Message = response.headers
    body = b""
    if response.status != 304:
        length = headers.get("Content-Length", "")
        body = _read_capped(url, response, length=length, options=options, deadline=deadline)
    return Fetched(
        url=url,
        status=response.status,
        body=body,
        fetched=_now(),
        content_type=headers.get("Content-Type"),
        etag=headers.get("ETag"),
        last_modified=headers.get("Last-Modified"),
    )


def _read_capped(url: str, stream: IO[bytes], *, length: str, options: FetchOptions, deadline: float) -> bytes:
    """The body, read in chunks: E125 past `max_bytes` (or a Content-Length over it), E122 past the deadline."""
    if length.isdigit() and int(length) > options.max_bytes:
        raise FlashpointError(Errors.E125, input=url, limit=options.max_bytes)
    chunks: list[bytes] = []
    size = 0
    read = getattr(stream, "read1", stream.read)  # what one recv gives: a server that trickles meets the deadline
    try:
        while chunk := read(_CHUNK):
            size += len(chunk)
            if size > options.max_bytes:
                raise FlashpointError(Errors.E125, input=url, limit=options.max_bytes)
            _left(url, deadline, options)
            chunks.append(chunk)
    except (OSError, HTTPException) as error:
        raise _network_error(url, error, options) from error
    return b"".join(chunks)


def _read_file(url: str, options: FetchOptions) -> Fetched:
    """A file:// URL (only when allowed), read with the same size cap."""
    deadline = time.monotonic() + options.timeout
    try:
        with Path(unquote(urlsplit(url).path)).open("rb") as stream:
            body = _read_capped(url, stream, length="", options=options, deadline=deadline)
    except OSError as error:
        raise FlashpointError(Errors.E111, input=url, detail=error.strerror or repr(error)) from error
    return Fetched(url=url, status=200, body=body, fetched=_now())


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
