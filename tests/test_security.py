"""Security (issue 8): fuzzed requests never fail, secrets never leak, every write needs the token.

- Every operation of /openapi.json is fuzzed by schemathesis (values the schema allows, and values it
  forbids) and by hypothesis (hostile text in every parameter): the answer is always below 500, JSON, with an
  error code on a 4xx, and with no markup in it. POST /api/articles gets fuzzed JSON bodies with the token.
- The server's token and a store's password never reach a log line, an answer, an error or the CLI's output.
- Every write route refuses a request without the right token; private reads refuse one on every read route.

The dashboard's stored-XSS checks are browser tests, in tests/e2e/test_dashboard.py.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sqlite3
import subprocess
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
import schemathesis
import web_data
from fastapi import FastAPI
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from web_client import Client, serving

from flashpoint.errors import Errors, FlashpointError
from flashpoint.model import Article
from flashpoint.store import display_url, hide_password, open_store
from flashpoint.web import create_app

TOKEN = "tok-9Qx7-never-logged"
PASSWORD = "pw-4Kd2-never-shown"
READS = [
    "/api/health",
    "/api/events",
    "/api/events/{article_id}/{index}",
    "/api/articles/{article_id}",
    "/api/dyads",
    "/api/dyads/{a}/{b}/series",
    "/api/dyads/{a}/{b}/turning-points",
    "/api/turning-points",
    "/api/places",
]
WRITES = [("POST", "/api/articles")]
# a value that passes for each parameter, so that fuzzing one parameter reaches the store
VALID = {
    "a": "PAK", "b": "IRN", "article_id": web_data.CLASH_IDS[0], "index": "0", "dyad": "PAK-IRN", "source": "PAK",
    "target": "IRN", "country": "PAK", "type": "ASSAULT", "quad_class": "4", "cameo": "19", "since": "2023-12-01",
    "until": "2024-02-01", "q": "strikes", "cluster_id": "ev-clash", "min_confidence": "0.5", "asserted": "true",
    "duplicates": "true", "limit": "5", "cursor": "1", "interval": "week", "directed": "true", "score": "goldstein",
    "dyads": "3", "scan": "50",
}
HOSTILE = [
    "", " ", "' OR 1=1 --", "'; DROP TABLE events; --", '" OR ""="', "%", "_", "\\", "*", "\x00", "a\x00b",
    "<script>alert(1)</script>", '<img src=x onerror="alert(1)">', "javascript:alert(1)", "../../etc/passwd",
    "${jndi:ldap://x/a}", "{{7*7}}", "null", "NaN", "Infinity", "-Infinity", "-0", "1e309", "0x10", "-1",
    "99999999999999999999999999", "-99999999999999999999999999", "9223372036854775808", "２０２４-01-01",
    "2024-13-45", "0000-00-00", "PAK-IRN-IND", "İRN", "\u202epak", "\r\nX-Injected: 1", "😀" * 10,
]
ERROR_CODE = re.compile(r"E\d{3}")
# big and slow inputs on purpose: no deadline, no health checks against them
FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))


# -- the stores and apps ---------------------------------------------------------------------------------------


def few_articles() -> list[Article]:
    """Four days of cooperation and four of conflict on PAK-IRN, the clash reports and the markup probe."""
    dyad = web_data.dyad_articles()
    return [*dyad[:4], *dyad[28:32], *web_data.clash_articles(), web_data.xss_article()]


def fill(url: str) -> str:
    with open_store(url) as store:
        for article in few_articles():
            store.add_article(article)
        web_data.add_clash_cluster(store)
    return url


@pytest.fixture(scope="module")
def read_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return fill(f"sqlite:///{tmp_path_factory.mktemp('security') / 'reads.db'}")


@contextmanager
def client_of(app: FastAPI) -> Iterator[Client]:
    client = Client(app, raise_app_exceptions=False)
    try:
        yield client
    finally:
        client.close()


@contextmanager
def app_over(url: str, **options: Any) -> Iterator[FastAPI]:
    app = create_app(url, **options)
    try:
        yield app
    finally:
        app.state.pool.close()


@pytest.fixture(scope="module")
def read_app(read_url: str) -> Iterator[FastAPI]:
    with app_over(read_url, token=TOKEN, cache_seconds=0) as app:  # no cache: every request reaches the store
        yield app


@pytest.fixture(scope="module")
def client(read_app: FastAPI) -> Iterator[Client]:
    with client_of(read_app) as opened:
        yield opened


@pytest.fixture(scope="module")
def write_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    with app_over(f"sqlite:///{tmp_path_factory.mktemp('security') / 'writes.db'}", token=TOKEN) as app:
        yield app


@pytest.fixture()
def writer(write_app: FastAPI) -> Iterator[Client]:
    with client_of(write_app) as opened:
        yield opened


@pytest.fixture(scope="module")
def document(client: Client) -> dict[str, Any]:
    found: dict[str, Any] = client.get("/openapi.json").json()
    return found


@contextmanager
def schema_of(app: FastAPI) -> Iterator[Any]:
    """The app's OpenAPI document loaded by schemathesis, which calls the app in process (and runs its lifespan
    until the block ends)."""
    from schemathesis.python import asgi

    try:
        yield schemathesis.openapi.from_asgi("/openapi.json", app)
    finally:
        asgi.shutdown_lifespans()


@pytest.fixture(scope="module")
def read_schema(read_app: FastAPI) -> Iterator[Any]:
    with schema_of(read_app) as schema:
        yield schema


@pytest.fixture(scope="module")
def write_schema(write_app: FastAPI) -> Iterator[Any]:
    with schema_of(write_app) as schema:
        yield schema


def assert_answered(status: int, body: bytes, label: str) -> None:
    """Below 500, JSON, a 4xx with an error code and a message, and no markup (it would be escaped)."""
    assert status < 500, f"{label}: {status} {body[:300]!r}"
    answer = json.loads(body)
    if status >= 400:
        assert ERROR_CODE.fullmatch(answer["error"]["code"]) and answer["error"]["message"], label
    assert b"<script" not in body.lower() and b"<img" not in body.lower(), label


# -- fuzzing: never a 5xx --------------------------------------------------------------------------------------


def test_security_fuzzing_covers_every_operation(document: dict[str, Any]) -> None:
    operations = {(method.upper(), path) for path, found in document["paths"].items() for method in found}
    assert operations == {("GET", path) for path in READS} | set(WRITES)


@pytest.mark.parametrize("path", READS)
def test_security_schema_fuzzed_reads_never_fail(read_schema: Any, document: dict[str, Any], path: str) -> None:
    modes = [GenerationMode.POSITIVE]
    if document["paths"][path]["get"].get("parameters"):
        modes.append(GenerationMode.NEGATIVE)  # an operation without parameters has nothing to break
    operation = read_schema[path]["GET"]

    @FUZZ
    @given(case=st.one_of([operation.as_strategy(mode) for mode in modes]))
    def check(case: Any) -> None:
        response = case.call()
        assert_answered(response.status_code, response.content, f"GET {case.formatted_path} {case.query}")

    check()


HOSTILE_VALUES = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=40),  # any Unicode but surrogates (which a URL cannot carry)
    st.integers(min_value=-1000, max_value=1000).map(str),
    st.integers(min_value=2**62, max_value=10**30).flatmap(lambda size: st.sampled_from([size, -size])).map(str),
    st.floats().map(str),
    st.integers(min_value=200, max_value=20_000).map(lambda length: "A" * length),
)
# tried on every parameter before the random values
ALWAYS = ["", "\x00", "-1", "9223372036854775808", "' OR 1=1 --", "<script>alert(1)</script>", "A" * 5000]


def request_for(path: str, values: dict[str, str]) -> tuple[str, dict[str, str]]:
    """The URL (path parameters from `values`, else valid ones) and the query (the other `values`)."""
    names = set(re.findall(r"\{(\w+)\}", path))
    filled = {name: quote(values.get(name, VALID[name]), safe="") for name in names}
    return path.format(**filled), {name: value for name, value in values.items() if name not in names}


@pytest.mark.parametrize("path", READS)
def test_security_hostile_parameters_never_fail(client: Client, document: dict[str, Any], path: str) -> None:
    """Hostile text, any Unicode, huge and negative numbers, long strings: in one parameter at a time, with the
    path's other parameters valid, so that the value reaches the store."""
    for parameter in document["paths"][path]["get"].get("parameters", []):
        fuzz_one_parameter(client, path, parameter["name"])


def fuzz_one_parameter(client: Client, path: str, name: str) -> None:
    @settings(FUZZ, max_examples=8)
    @given(value=HOSTILE_VALUES)
    def check(value: str) -> None:
        url, query = request_for(path, {name: value})
        response = client.get(url, params=query)
        assert_answered(response.status_code, response.content, f"GET {url} {query}")

    for value in ALWAYS:
        check = example(value=value)(check)
    check()


def test_security_hostile_parameters_never_fail_on_postgres(postgres_url: str, document: dict[str, Any]) -> None:
    """PostgreSQL refuses what SQLite takes (a NUL): the values tried on every parameter, over a PostgreSQL store."""
    with app_over(fill(postgres_url), token=TOKEN, cache_seconds=0) as app, client_of(app) as client:
        for path in READS:
            for parameter in document["paths"][path]["get"].get("parameters", []):
                for value in ALWAYS:
                    url, query = request_for(path, {parameter["name"]: value})
                    response = client.get(url, params=query)
                    assert_answered(response.status_code, response.content, f"GET {url} {query}")


def test_security_unstorable_text_in_parameters_is_a_400(client: Client) -> None:
    """Regression (issue 8): a NUL reached PostgreSQL (500), a cursor over 64 bits overflowed SQLite (500)."""
    for url in ("/api/events?q=%00", "/api/events?article_id=a%00", "/api/articles/a%00b", "/api/events/a%00/0"):
        response = client.get(url)
        assert response.status_code == 400 and response.json()["error"]["code"] == "E450", url
    response = client.get("/api/events", params={"cursor": str(2**64)})
    assert response.status_code == 422 and response.json()["error"]["code"] == "E450"


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30) | st.sampled_from(HOSTILE),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=8,
)
FIELDS = ("id", "text", "html", "url", "published", "title", "source")
RECORDS = st.fixed_dictionaries(
    {}, optional={name: JSON_VALUES | st.text(max_size=120) | st.sampled_from(HOSTILE) for name in FIELDS}
)
BODIES = st.one_of(
    st.one_of(RECORDS, st.lists(RECORDS, max_size=3), JSON_VALUES).map(json.dumps),
    st.binary(max_size=64),
    st.sampled_from(['{"text": "\\ud800"}', '{"id": "\\udfff", "text": "x"}', '{"text": "a\\u0000b"}',
                     '{"a":' * 5000 + "1" + "}" * 5000, '{"text": "x", "n": NaN}', "1e999", '{"text": "x"']),
)


def test_security_fuzzed_article_bodies_never_fail(writer: Client) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}

    @FUZZ
    @given(body=BODIES)
    def check(body: str | bytes) -> None:
        response = writer.post("/api/articles", content=body, headers=auth)
        assert_answered(response.status_code, response.content, f"POST {body[:200]!r}")

    check()


def test_security_schema_fuzzed_article_posts_never_fail(write_schema: Any) -> None:
    operation = write_schema["/api/articles"]["POST"]

    @FUZZ
    @given(case=operation.as_strategy(GenerationMode.POSITIVE) | operation.as_strategy(GenerationMode.NEGATIVE))
    def check(case: Any) -> None:
        response = case.call(headers={"Authorization": f"Bearer {TOKEN}"})
        assert_answered(response.status_code, response.content, f"POST {case.body!r:.200}")

    check()


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ('{"text": "Iran \\ud800 condemned the strike."}', "unpaired surrogate"),
        ('[{"text": "fine"}, {"text": "fine", "id": "a\\u0000b"}]', "NUL"),
        ('{"a":' * 5000 + "1" + "}" * 5000, "nested too deeply"),
    ],
)
def test_security_unstorable_bodies_are_refused_with_400(writer: Client, body: str, problem: str) -> None:
    """Regression (issue 8): these bodies failed with 500 (UnicodeEncodeError, PostgreSQL's NUL, RecursionError)."""
    response = writer.post("/api/articles", content=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 400 and response.json()["error"]["code"] in ("E460", "E467")
    assert problem in response.json()["error"]["message"]


def test_security_records_with_odd_ids_do_not_collide(writer: Client) -> None:
    """Regression (issue 8): every record whose id was not a string or number got the id 'api:1'."""
    body = [{"id": [], "published": "not a date", "text": "one"}, {"id": {}, "published": "no", "text": "two"}]
    response = writer.post("/api/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    ids = [article["id"] for article in response.json()["articles"]]
    assert response.status_code == 201 and len(set(ids)) == 2 and all(found.startswith("api-") for found in ids)


# -- the token and the store's password never leak -------------------------------------------------------------


def test_security_token_is_never_logged_nor_answered(
    read_url: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    from flashpoint.web import queries

    def failing(*args: Any) -> Any:
        raise RuntimeError("the store went away")

    def failing_store(*args: Any) -> Any:
        raise FlashpointError(Errors.E412, url=read_url, detail="disk I/O error")

    monkeypatch.setenv("FLASHPOINT_TOKEN", TOKEN)
    monkeypatch.setattr(queries, "event_page", failing)
    monkeypatch.setattr(queries, "article_detail", failing_store)
    caplog.set_level(logging.DEBUG)
    right, wrong = {"Authorization": f"Bearer {TOKEN}"}, {"Authorization": f"Bearer {TOKEN}-but-longer"}
    # a new connection per request: uvicorn closes the one a request failed on
    with (
        app_over(read_url, protect_reads=True) as app,
        serving(app, log_level="debug", access_log=True, log_config=None) as base,
        httpx.Client(base_url=base, headers={"Connection": "close"}) as http,
    ):
        answers = [
            (http.get("/api/dyads"), 401),
            (http.get("/api/dyads", headers=wrong), 401),
            (http.get("/api/dyads", headers=right), 200),
            (http.get(f"/api/events/{web_data.CLASH_IDS[0]}/0", params={"token": "x"}, headers=right), 200),
            (http.get("/api/events", headers=right), 500),
            (http.get(f"/api/articles/{web_data.XSS_ID}", headers=right), 500),
            (http.post("/api/articles", json={"text": "x"}, headers=wrong), 401),
            (http.post("/api/articles", content=b"[]", headers=right), 400),
            (http.get("/api/health"), 200),
        ]
        settings_shown = repr(app.state.settings)
    assert [answer.status_code for answer, _ in answers] == [status for _, status in answers]
    out, err = capfd.readouterr()
    assert "GET /api/events failed" in caplog.text and "RuntimeError" in caplog.text  # the failures were logged
    assert '"GET /api/dyads HTTP/1.1" 200' in caplog.text  # and so was every request
    shown = [caplog.text, out, err, settings_shown]
    shown += [f"{answer.headers}\n{answer.text}" for answer, _ in answers]
    assert not [text for text in shown if TOKEN in text]


def test_security_client_text_cannot_forge_server_log_lines(
    writer: Client, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A failure logged with an id the client sent keeps to one line: a newline in it cannot start a fake one."""
    from flashpoint.web import writes

    def failing(store: Any, records: list[dict[str, Any]]) -> Any:
        raise FlashpointError(Errors.E407, input=records[0]["id"], detail="disk full")

    monkeypatch.setattr(writes, "ingest_records", failing)
    forged = "a\n2024-01-01 12:00:00 INFO all is well\x1b[2J"
    with caplog.at_level(logging.ERROR, logger="flashpoint.web"):
        response = writer.post("/api/articles", json={"id": forged, "text": "x"},
                               headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 500 and response.json()["error"]["code"] == "E407"
    messages = [record.getMessage() for record in caplog.records if record.name == "flashpoint.web"]
    assert messages and all("\n" not in message and "\x1b" not in message for message in messages)
    assert "a\\n2024-01-01 12:00:00 INFO all is well\\x1b[2J" in messages[0]


# password forms: after the user, holding '@', '/' or '?', percent-encoded (and mis-encoded), as a parameter
SECRET_URLS = [
    f"postgresql://team:{PASSWORD}@127.0.0.1:1/events",
    f"postgres://:{PASSWORD}@127.0.0.1:1/events",
    f"postgresql://team:{PASSWORD}@x@127.0.0.1:1/events",
    f"postgresql://team:{PASSWORD}/x@127.0.0.1:1/events",
    f"postgresql://team:{PASSWORD}?x@127.0.0.1:1/events",
    f"postgresql://team:{quote(PASSWORD, safe='')}%21@127.0.0.1:1/events",
    f"postgresql://team:{PASSWORD}%zz@127.0.0.1:1/events",
    f"postgresql://team:{PASSWORD}@[::1/events",
    f"postgresql://127.0.0.1:1/events?sslmode=disable&password={PASSWORD}",
    f"mysql://team:{PASSWORD}@db/events",
]


@pytest.mark.parametrize("url", SECRET_URLS)
def test_security_store_errors_never_show_the_password(url: str) -> None:
    assert PASSWORD not in display_url(url) and "***" in display_url(url)
    with pytest.raises(FlashpointError) as raised:
        open_store(url, timeout=1)
    assert raised.value.code in ("E401", "E403")
    assert PASSWORD not in "".join(traceback.format_exception(raised.value))  # message and chained causes


def test_security_hide_password_keeps_the_rest_of_a_message() -> None:
    url = f"postgresql://team:{PASSWORD}@db:5432/events"
    text = f'invalid percent-encoded token: "{PASSWORD}" in "{url}"'
    assert hide_password(text, url) == 'invalid percent-encoded token: "***" in "postgresql://team:***@db:5432/events"'
    assert display_url("postgresql://team@db/events") == "postgresql://team@db/events"
    assert display_url("sqlite:///data/events.db") == "sqlite:///data/events.db"


@pytest.mark.parametrize(
    ("arguments", "environment"),
    [
        (["ingest", "{articles}", "--db", "{url}"], {}),
        (["serve", "--db", "{url}", "--port", "0"], {}),
        (["export", "--format", "jsonl"], {"FLASHPOINT_DB": "{url}"}),
    ],
)
def test_security_cli_hides_the_password_and_token(
    tmp_path: Path, arguments: list[str], environment: dict[str, str]
) -> None:
    url = f"postgresql://team:{PASSWORD}@127.0.0.1:1/events"  # nothing listens on port 1: refused at once
    articles = tmp_path / "articles.jsonl"
    articles.write_text('{"id": "a", "text": "Iran condemned the strike."}\n', encoding="utf-8")
    fill = {"url": url, "articles": str(articles)}
    env = {**os.environ, "FLASHPOINT_TOKEN": TOKEN} | {name: text.format(**fill) for name, text in environment.items()}
    command = [sys.executable, "-m", "flashpoint", *[argument.format(**fill) for argument in arguments]]
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "E403" in output and "team:***@127.0.0.1:1/events" in output, output
    assert PASSWORD not in output and TOKEN not in output


def test_security_health_and_logs_hide_the_postgres_password(
    postgres_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    url = postgres_url.replace("://postgres@", f"://postgres:{PASSWORD}@")  # trust auth: any password opens it
    assert PASSWORD in url
    caplog.set_level(logging.DEBUG)
    with app_over(url, token=TOKEN) as app, client_of(app) as client:
        health = client.get("/api/health")
        missing = client.get("/api/articles/nowhere")
        settings_shown = repr(app.state.settings)
    assert health.json()["store"].startswith("postgresql://postgres:***@")
    assert missing.status_code == 404
    assert not [text for text in (health.text, missing.text, settings_shown, caplog.text) if PASSWORD in text]


# -- writes need the token -------------------------------------------------------------------------------------


def test_security_every_write_route_needs_the_token(read_url: str, document: dict[str, Any]) -> None:
    """Every method but GET on every path is a listed write that asks for the token, or no route at all."""
    listed = {(method.upper(), path) for path, found in document["paths"].items() for method in found}
    assert listed - {("GET", path) for path in READS} == set(WRITES)
    paths = [*document["paths"], "/", "/openapi.json", "/static/app.js", "/api/nothing"]
    with (
        app_over(read_url, token=TOKEN) as app,
        app_over(read_url, token="") as closed,
        client_of(app) as client,
        client_of(closed) as refusing,
    ):
        for path in paths:
            for method in ("POST", "PUT", "PATCH", "DELETE"):
                if (method, path) in listed:
                    check_write_refused(client, refusing, method, request_for(path, {})[0])
                else:
                    response = client.request(method, request_for(path, {})[0], json={"text": "x"})
                    assert response.status_code in (404, 405), (method, path)
    assert article_count(read_url) == len(few_articles())  # nothing was stored


def check_write_refused(client: Client, refusing: Client, method: str, url: str) -> None:
    for headers in ({}, {"Authorization": f"Bearer {TOKEN}x"}, {"Authorization": f"Basic {TOKEN}"},
                    {"Authorization": "Bearer "}, {"Authorization": TOKEN}):
        response = client.request(method, url, json={"text": "Iran condemned the strike."}, headers=headers)
        assert response.status_code == 401, (method, url, headers)
        assert response.json()["error"]["code"] in ("E457", "E458")
        assert response.headers["www-authenticate"] == "Bearer"
    response = refusing.request(method, url, json={"text": "x"}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 403 and response.json()["error"]["code"] == "E459"


def article_count(url: str) -> int:
    connection = sqlite3.connect(url.removeprefix("sqlite:///"))
    try:
        count: int = connection.execute("SELECT count(*) FROM articles").fetchone()[0]
        return count
    finally:
        connection.close()


def test_security_private_reads_need_the_token_on_every_read_route(read_url: str) -> None:
    with app_over(read_url, token=TOKEN, protect_reads=True) as app, client_of(app) as client:
        for path in READS:
            url = request_for(path, {})[0]
            if path == "/api/health":
                assert client.get(url).status_code == 200 and "store" not in client.get(url).json()
                continue
            assert client.get(url).status_code == 401, url
            assert client.get(url, headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200, url


def test_security_any_authorization_header_but_the_token_is_refused(read_url: str) -> None:
    printable = st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f")
    headers = st.one_of(
        st.text(printable, max_size=60), st.text(printable, max_size=60).map(lambda text: f"Bearer {text}"),
        st.sampled_from([f"Bearer {TOKEN[:-1]}", f"Bearer {TOKEN} ", f"bearer  {TOKEN}x", f"Bearer {TOKEN.upper()}"]),
    )
    with app_over(read_url, token=TOKEN, protect_reads=True) as app, client_of(app) as client:

        @FUZZ
        @given(header=headers)
        def check(header: str) -> None:
            response = client.get("/api/dyads", headers={"Authorization": header.encode("latin-1")})
            scheme, _, credentials = header.partition(" ")
            expected = 200 if scheme.lower() == "bearer" and credentials.strip() == TOKEN else 401
            assert response.status_code == expected, header

        check()
