"""JSON responses, error bodies and the security headers every response carries."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import Errors, FlashpointError

log = logging.getLogger("flashpoint.web")

# <, > and & written as \u escapes: a JSON body never holds markup, even when a browser is made to sniff it
_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")

NOT_FOUND = frozenset({"E409", "E410", "E455", "E456"})
UNAUTHORISED = frozenset({"E457", "E458"})
STATUS = {"E459": 403, "E462": 413, "E411": 503, "E465": 503, "E464": 500}
SERVER_SIDE = frozenset({"E402", "E403", "E404", "E405", "E406", "E407", "E412"})

SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        b"base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


class SafeJSON(JSONResponse):
    """Compact UTF-8 JSON with <, > and & escaped."""

    @staticmethod
    def dump(content: Any) -> bytes:
        text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        return text.translate(_ESCAPES).encode("utf-8")

    def render(self, content: Any) -> bytes:
        return self.dump(content)


def one_line(text: str) -> str:
    """`text` with its control characters escaped (\\n, \\x1b...): what a client sent cannot forge log lines."""
    return _CONTROL.sub(lambda match: ascii(match[0])[1:-1], text)


def status_of(code: str) -> int:
    if code in NOT_FOUND:
        return 404
    if code in UNAUTHORISED:
        return 401
    if code in SERVER_SIDE:
        return 500
    return STATUS.get(code, 400)


def error_response(error: FlashpointError) -> Response:
    status = status_of(error.code)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return SafeJSON({"error": error.to_dict()}, status_code=status, headers=headers)


async def flashpoint_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, FlashpointError)
    if status_of(error.code) >= 500:
        log.error("%s %s: %s", request.method, one_line(request.url.path), one_line(str(error)))
    return error_response(error)


async def validation_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    problems = [_problem(item) for item in error.errors()]
    found = FlashpointError(Errors.E450, name=problems[0][0], detail="; ".join(text for _, text in problems))
    return SafeJSON({"error": found.to_dict()}, status_code=422)


def _problem(item: Any) -> tuple[str, str]:
    where = [str(part) for part in item.get("loc", ()) if part not in ("query", "path", "body", "header")]
    name = ".".join(where) or "body"
    return name, f"{name} {item.get('msg', 'is not valid')}".strip()


async def http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    if error.status_code in (404, 405):
        found = FlashpointError(Errors.E463, method=request.method, path=request.url.path)
    else:
        found = FlashpointError(Errors.E450, name="request", detail=str(error.detail))
    return SafeJSON({"error": found.to_dict()}, status_code=error.status_code, headers=error.headers)


async def unexpected_error(request: Request, error: Exception) -> Response:
    log.exception("%s %s failed", request.method, one_line(request.url.path), exc_info=error)
    found = FlashpointError(Errors.E464, detail=type(error).__name__)
    return SafeJSON({"error": found.to_dict()}, status_code=500)


class SecurityHeaders:
    """ASGI middleware adding `SECURITY_HEADERS` to every HTTP response (no per-request task, unlike
    BaseHTTPMiddleware)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)
