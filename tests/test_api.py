"""The HTTP API, in process through the ASGI app (httpx's ASGI transport) over temporary SQLite stores."""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
import web_data
from web_client import Client

from flashpoint.store import EventQuery, open_store
from flashpoint.web import create_app

TOKEN = "test-token-0123456789"
SAMPLE_ID = "pakistan-iran-2024-01-19"
PAYLOADS = ["<script>alert(1)</script>", "' OR 1=1 --", "'; DROP TABLE events; --"]


@pytest.fixture(scope="session")
def filled_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with the built articles and the coded sample, shared by the read-only tests."""
    path = tmp_path_factory.mktemp("api") / "filled.db"
    with open_store(f"sqlite:///{path}") as store:
        web_data.fill(store)
    return path


@pytest.fixture(scope="module")
def client(filled_db: Path) -> Iterator[Client]:
    opened = Client(create_app(f"sqlite:///{filled_db}", token=""))
    yield opened
    opened.close()


@pytest.fixture()
def make_client(tmp_path: Path) -> Iterator[Any]:
    made: list[Client] = []

    def make(**options: Any) -> Client:
        made.append(Client(create_app(f"sqlite:///{tmp_path / 'write.db'}", **options)))
        return made[-1]

    yield make
    for opened in made:
        opened.close()


def all_events(client: Client, **params: Any) -> list[dict[str, Any]]:
    response = client.get("/api/events", params={**params, "limit": 1000})
    assert response.status_code == 200, response.text
    assert response.json()["next_cursor"] is None
    events: list[dict[str, Any]] = response.json()["events"]
    return events


def countries(actors: list[dict[str, Any]]) -> set[str]:
    return {actor["country"] for actor in actors}


# -- reading --------------------------------------------------------------------------------------------------


def test_api_openapi_lists_every_endpoint(client: Client) -> None:
    document = client.get("/openapi.json").json()
    assert set(document["paths"]) >= {
        "/api/health", "/api/events", "/api/events/{article_id}/{index}", "/api/articles/{article_id}",
        "/api/dyads", "/api/dyads/{a}/{b}/series", "/api/dyads/{a}/{b}/turning-points", "/api/turning-points",
        "/api/places", "/api/articles",
    }
    assert "post" in document["paths"]["/api/articles"]
    assert "HTTPBearer" in document["components"]["securitySchemes"]


def test_api_health_names_the_store_and_write_mode(client: Client, filled_db: Path) -> None:
    answer = client.get("/api/health").json()
    assert answer["status"] == "ok"
    assert answer["writes"] is False and answer["private"] is False
    assert answer["store"] == f"sqlite:///{filled_db}"


def test_api_events_dyad_is_undirected(client: Client) -> None:
    both = all_events(client, dyad="PAK-IRN")
    assert {event["id"] for event in both} == {event["id"] for event in all_events(client, dyad="irn-pak")}
    directions = {(min(countries(event["source"])), min(countries(event["target"]))) for event in both}
    assert {("PAK", "IRN"), ("IRN", "PAK")} <= directions
    assert any(event["article_id"] == SAMPLE_ID for event in both)


def test_api_events_source_and_target_are_directed(client: Client) -> None:
    forward = all_events(client, source="PAK", target="IRN")
    assert forward and all("PAK" in countries(e["source"]) and "IRN" in countries(e["target"]) for e in forward)
    backward = all_events(client, source="IRN", target="PAK")
    assert not {event["id"] for event in forward} & {event["id"] for event in backward}


@pytest.mark.parametrize(
    ("params", "check"),
    [
        ({"type": "assault"}, lambda event: event["type"] == "ASSAULT"),
        ({"quad_class": 3}, lambda event: event["quad_class"] == 3),
        ({"since": "2024-01-20", "until": "2024-01-21"}, lambda event: "2024-01-20" <= event["date"] <= "2024-01-21"),
        ({"country": "IND"}, lambda event: "IND" in countries(event["source"] + event["target"])),
        ({"q": "SHELTERING"}, lambda event: "sheltering" in event["evidence"]["text"]),
        ({"cameo": "19"}, lambda event: event["cameo"].startswith("19")),
        ({"article_id": "clash-a"}, lambda event: event["article_id"] == "clash-a"),
    ],
)
def test_api_events_filters_hold_for_every_event(client: Client, params: dict[str, Any], check: Any) -> None:
    events = all_events(client, **params)
    assert events
    assert all(check(event) for event in events)


def test_api_events_carry_schema_fields_ids_and_mentions(client: Client) -> None:
    (event,) = all_events(client, article_id="clash-a")
    schema_fields = {"type", "mode", "context", "cameo", "quad_class", "intensity", "goldstein", "source", "target",
                     "third_parties", "date", "date_precision", "date_basis", "date_end", "location", "modality",
                     "evidence", "confidence", "statement"}
    assert schema_fields | {"id", "article_id", "index", "cluster_id", "mentions", "article"} <= set(event)
    assert (event["article_id"], event["index"], event["cluster_id"]) == ("clash-a", 0, "ev-clash")
    assert event["article"]["source"] == "Wire One"
    assert [(m["article_id"], m["index"], m["article"]["source"]) for m in event["mentions"]] == [
        ("clash-b", 0, "Wire Two")
    ]
    assert event["location"]["name"] == "Panjgur"


def test_api_events_cursor_pages_through_every_event_once(client: Client) -> None:
    expected = [event["id"] for event in all_events(client, dyad="PAK-IRN")]
    seen: list[int] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"dyad": "PAK-IRN", "limit": 7} | ({"cursor": cursor} if cursor is not None else {})
        page = client.get("/api/events", params=params).json()
        seen += [event["id"] for event in page["events"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
        assert len(page["events"]) == 7
    assert seen == expected


def test_api_article_has_text_statements_and_evidence_offsets(client: Client) -> None:
    answer = client.get(f"/api/articles/{SAMPLE_ID}").json()
    text = answer["article"]["text"]
    assert answer["article"]["published"] == "2024-01-19"
    assert len(answer["statements"]) == 2
    assert answer["events"] and [event["index"] for event in answer["events"]] == list(range(len(answer["events"])))
    for event in answer["events"]:
        body = text if event["statement"] is None else answer["statements"][event["statement"]]["text"]
        assert body[event["evidence"]["start"]:event["evidence"]["end"]] == event["evidence"]["text"]


def test_api_one_event_and_its_not_found_answers(client: Client) -> None:
    event = client.get(f"/api/events/{SAMPLE_ID}/3").json()
    assert (event["article_id"], event["index"]) == (SAMPLE_ID, 3)
    assert client.get(f"/api/events/{SAMPLE_ID}/99").json()["error"]["code"] == "E456"
    assert client.get("/api/events/nothing-here/0").status_code == 404
    missing = client.get("/api/articles/nothing-here")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "E455"


def test_api_dyads_ranks_the_most_active_pairs(client: Client) -> None:
    dyads = client.get("/api/dyads").json()["dyads"]
    assert dyads[0]["dyad"] == "IRN-PAK"
    assert [dyad["events"] for dyad in dyads] == sorted((dyad["events"] for dyad in dyads), reverse=True)
    window = client.get("/api/dyads", params={"since": "2024-01-02", "until": "2024-01-03"}).json()["dyads"]
    assert {dyad["dyad"] for dyad in window} == {"IRN-PAK", "IND-PAK", "CHN-USA"}


def test_api_series_by_day_and_week(client: Client) -> None:
    daily = client.get("/api/dyads/PAK/IRN/series", params={"since": "2024-01-01", "until": "2024-01-31"}).json()
    assert [point["period"] for point in daily["points"]][:2] == ["2024-01-01", "2024-01-02"]
    assert len(daily["points"]) == 31
    by_day = {point["period"]: point for point in daily["points"]}
    assert by_day["2024-01-10"]["cooperation"] == 2 and by_day["2024-01-20"]["conflict"] >= 2
    weekly = client.get("/api/dyads/IRN/PAK/series", params={"interval": "week"}).json()["points"]
    assert all(point["period"] >= "2023-12-18" for point in weekly)
    assert sum(point["events"] for point in weekly) == sum(point["events"] for point in
                                                           client.get("/api/dyads/IRN/PAK/series").json()["points"])


def test_api_turning_points_mark_the_escalation_with_its_drivers(client: Client) -> None:
    found = client.get("/api/dyads/PAK/IRN/turning-points").json()["turning_points"]
    escalation = next(point for point in found if point["direction"] == "escalation")
    assert "2024-01-13" <= escalation["date"] <= "2024-01-17"
    assert escalation["magnitude"] > 0 and 0 <= escalation["confidence"] <= 1
    drivers = escalation["drivers"]
    assert drivers and all(event["quad_class"] in (3, 4) for driver in drivers for event in driver["events"])
    assert {"article_id", "index", "evidence"} <= set(drivers[0]["events"][0])
    clash = next(driver for driver in drivers if driver["cluster"] == "ev-clash")
    assert clash["reports"] == 2 and {event["article_id"] for event in clash["events"]} == set(web_data.CLASH_IDS)


def test_api_recent_turning_points_name_their_dyad(client: Client) -> None:
    found = client.get("/api/turning-points").json()["turning_points"]
    assert any(point["dyad"] == "IRN-PAK" and point["direction"] == "escalation" for point in found)
    assert [point["date"] for point in found] == sorted((point["date"] for point in found), reverse=True)


def test_api_places_count_located_events(client: Client) -> None:
    answer = client.get("/api/places", params={"dyad": "PAK-IRN"}).json()
    places = {place["name"]: place for place in answer["places"]}
    assert {"Panjgur", "Tehran", "Islamabad"} <= set(places)
    assert places["Panjgur"]["conflict"] == places["Panjgur"]["events"] >= 16
    assert places["Islamabad"]["cooperation"] == 28
    assert answer["truncated"] is False
    assert client.get("/api/places", params={"scan": 5}).json()["truncated"] is True


# -- bad requests: 4xx with a JSON error, never 5xx ------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        ("/api/events?dyad=PAKIRN", 400, "E452"),
        ("/api/events?dyad=PAK-IRN&source=PAK", 400, "E453"),
        ("/api/events?source=PA", 400, "E451"),
        ("/api/events?country=P4K", 400, "E451"),
        ("/api/events?type=BOMBING", 400, "E454"),
        ("/api/events?since=2024-02-30", 400, "E110"),
        ("/api/events?since=2024-02-01&until=2024-01-01", 400, "E431"),
        ("/api/events?limit=0", 422, "E450"),
        ("/api/events?limit=5000", 422, "E450"),
        ("/api/events?cursor=-1", 422, "E450"),
        ("/api/events?cursor=abc", 422, "E450"),
        ("/api/events?quad_class=7", 422, "E450"),
        ("/api/events?cameo=1x", 422, "E450"),
        ("/api/dyads?limit=1000", 422, "E450"),
        ("/api/dyads/PAK/IRN/series?interval=month", 422, "E450"),
        ("/api/dyads/PAK/IRN/series?since=yesterday", 400, "E110"),
        ("/api/dyads/PAKI/IRN/series", 400, "E451"),
        ("/api/dyads/PAK/1RN/turning-points", 400, "E451"),
        ("/api/dyads/PAK/IRN/turning-points?score=mood", 422, "E450"),
        ("/api/events/sample/minus", 422, "E450"),
        ("/api/nothing", 404, "E463"),
        ("/api/articles", 405, "E463"),
    ],
)
def test_api_bad_parameters_give_4xx_json_errors(client: Client, url: str, status: int, code: str) -> None:
    response = client.get(url)
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"]


def test_api_sends_security_headers(client: Client) -> None:
    for url in ("/", "/api/health", "/static/app.js"):
        headers = client.get(url).headers
        assert "script-src 'self'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"


def test_api_serves_the_dashboard_and_its_assets(client: Client) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    for asset in ("/static/app.js", "/static/app.css", "/static/world-110m.json", "/static/world-atlas-LICENSE.txt"):
        assert client.get(asset).status_code == 200, asset
    script = client.get("/static/app.js").text
    assert not re.search(r"\.(inner|outer)HTML\s*=|insertAdjacentHTML|document\.write|eval\(", script)


def test_api_more_concurrent_reads_than_workers_share_a_small_pool(filled_db: Path) -> None:
    """More requests at once than the 40 worker threads, over 2 stores: all answered (none waits in a thread)."""
    client = Client(create_app(f"sqlite:///{filled_db}", token="", pool_size=2, cache_seconds=0))

    async def burst() -> list[httpx.Response]:
        requests = [client.client.get("/api/events", params={"dyad": "PAK-IRN", "limit": 5}) for _ in range(60)]
        return await asyncio.wait_for(asyncio.gather(*requests), timeout=60)

    try:
        assert {response.status_code for response in client.loop.run_until_complete(burst())} == {200}
    finally:
        client.close()


def test_api_cache_serves_fresh_then_stale_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    from flashpoint.web import state

    now = [100.0]
    monkeypatch.setattr(state.time, "monotonic", lambda: now[0])
    cache = state.AnswerCache(seconds=30)
    cache.put(("k",), b"answer")
    assert cache.lookup(("k",)) == (b"answer", None)
    now[0] += 31
    assert cache.lookup(("k",)) == (None, b"answer")  # expired: served while one request recomputes
    now[0] += 30
    assert cache.lookup(("k",)) == (None, None)
    assert cache.get(("k",), lambda: b"new") == b"new" and cache.peek(("k",)) == b"new"
    cache.clear()
    assert cache.lookup(("k",)) == (None, None)
    off = state.AnswerCache(seconds=0)
    off.put(("k",), b"answer")
    assert off.lookup(("k",)) == (None, None)


# -- probes: markup and SQL in every parameter ----------------------------------------------------------------

VALID_PATH = {"a": "PAK", "b": "IRN", "article_id": SAMPLE_ID, "index": "0"}


def probe_urls(document: dict[str, Any]) -> list[tuple[str, str, dict[str, str]]]:
    """(label, path, query) for every GET parameter of the OpenAPI document and every payload."""
    probes = []
    for path, operations in document["paths"].items():
        if "get" not in operations:
            continue
        for parameter in operations["get"].get("parameters", []):
            for payload in PAYLOADS:
                filled = {name: quote(value, safe="") for name, value in VALID_PATH.items()}
                query = {}
                if parameter["in"] == "path":
                    filled[parameter["name"]] = quote(payload, safe="")
                else:
                    query[parameter["name"]] = payload
                probes.append((f"{path} {parameter['name']}={payload}", path.format(**filled), query))
    return probes


def test_api_probes_cover_every_parameter(client: Client) -> None:
    probes = probe_urls(client.get("/openapi.json").json())
    names = {label.split(" ")[1].split("=")[0] for label, _, _ in probes}
    assert {"dyad", "source", "target", "country", "type", "q", "since", "until", "cursor", "limit", "a", "b",
            "article_id", "index", "interval", "score", "scan", "dyads"} <= names
    assert len(probes) >= 3 * 50


def test_api_hostile_parameters_never_fail_nor_reflect_markup(client: Client, filled_db: Path) -> None:
    before = _table_counts(filled_db)
    events_before = all_events(client, dyad="PAK-IRN")
    failures = []
    for label, path, query in probe_urls(client.get("/openapi.json").json()):
        response = client.get(path, params=query)
        if response.status_code >= 500 or "<script" in response.text.lower():
            failures.append(f"{label}: {response.status_code} {response.text[:200]}")
        elif response.status_code >= 400:
            assert response.json()["error"]["code"].startswith("E"), label
    assert not failures, "\n".join(failures)
    assert _table_counts(filled_db) == before
    assert all_events(client, dyad="PAK-IRN") == events_before


def test_api_hostile_paths_and_pages_reflect_no_markup(client: Client) -> None:
    for payload in PAYLOADS:
        for url in (f"/{quote(payload)}", f"/api/{quote(payload)}", f"/?q={quote(payload)}",
                    f"/static/{quote(payload)}"):
            response = client.get(url)
            assert response.status_code < 500
            assert "<script>alert" not in response.text, url


def test_api_stored_markup_comes_back_escaped(client: Client) -> None:
    response = client.get(f"/api/articles/{web_data.XSS_ID}")
    assert "<script" not in response.text and "<img" not in response.text
    assert "\\u003cscript\\u003ewindow.__xss=1" in response.text
    assert response.json()["article"]["text"] == web_data.XSS_TEXT  # escaped in transit, the same once parsed


def _table_counts(path: Path) -> dict[str, int]:
    connection = sqlite3.connect(path)
    try:
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in tables}
    finally:
        connection.close()


# -- writes and the token --------------------------------------------------------------------------------------

ARTICLE = {
    "id": "posted-1",
    "text": "Pakistan and Iran agreed on Tuesday to restore their ambassadors, officials said in Islamabad.",
    "published": "2024-01-23",
    "title": "Envoys return",
    "source": "Test Wire",
    "url": "https://example.org/envoys",
}


def test_api_writes_are_refused_without_a_configured_token(make_client: Any) -> None:
    client = make_client(token="")
    response = client.post("/api/articles", json=ARTICLE, headers={"Authorization": "Bearer anything"})
    assert response.status_code == 403 and response.json()["error"]["code"] == "E459"


def test_api_writes_need_the_right_token(make_client: Any) -> None:
    client = make_client(token=TOKEN)
    missing = client.post("/api/articles", json=ARTICLE)
    assert missing.status_code == 401 and missing.json()["error"]["code"] == "E457"
    assert missing.headers["www-authenticate"] == "Bearer"
    wrong = client.post("/api/articles", json=ARTICLE, headers={"Authorization": f"Bearer {TOKEN}x"})
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "E458"
    assert client.get("/api/articles/posted-1").status_code == 404


@pytest.mark.slow
def test_api_post_codes_and_stores_articles(make_client: Any) -> None:
    client = make_client(token=TOKEN)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert client.get("/api/events", params={"article_id": "posted-1"}).json()["events"] == []  # now cached
    created = client.post("/api/articles", json=ARTICLE, headers=auth)
    assert created.status_code == 201, created.text
    assert created.json()["stored"] == 1
    assert created.json()["articles"][0] | {"errors": []} == created.json()["articles"][0]
    assert client.get("/api/events", params={"article_id": "posted-1"}).json()["events"]  # the write emptied the cache
    stored = client.get("/api/articles/posted-1").json()
    assert stored["article"]["title"] == "Envoys return" and stored["article"]["published"] == "2024-01-23"
    assert any(event["type"] in ("AGREE", "RETREAT", "COOPERATE") for event in stored["events"])
    again = client.post("/api/articles", json=ARTICLE, headers=auth)
    assert again.status_code == 200 and again.json()["articles"][0]["status"] == "duplicate"
    batch = client.post("/api/articles", json=[{"text": "Iran condemned the strike."}, {"title": "no text"}],
                        headers=auth)
    assert batch.status_code == 201
    first, second = batch.json()["articles"]
    assert first["id"].startswith("api-") and first["status"] == "stored"
    assert second["status"] == "error" and second["errors"][0]["code"] == "E107"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b"{not json", 400, "E460"),
        (b"[]", 400, "E461"),
        (b'"a string"', 400, "E461"),
        (b"[1, 2]", 400, "E461"),
        (json.dumps([{"text": "x"}] * 21).encode(), 400, "E461"),
    ],
)
def test_api_post_rejects_bad_bodies(make_client: Any, body: bytes, status: int, code: str) -> None:
    client = make_client(token=TOKEN)
    response = client.post("/api/articles", content=body,
                           headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    assert response.status_code == status and response.json()["error"]["code"] == code


def test_api_post_rejects_an_oversized_body(make_client: Any) -> None:
    client = make_client(token=TOKEN)
    body = json.dumps({"text": "x" * (17 * 1024 * 1024)}).encode()
    response = client.post("/api/articles", content=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 413 and response.json()["error"]["code"] == "E462"


def test_api_private_reads_need_the_token(filled_db: Path) -> None:
    client = Client(create_app(f"sqlite:///{filled_db}", token=TOKEN, protect_reads=True))
    try:
        closed = client.get("/api/events", params={"dyad": "PAK-IRN"})
        assert closed.status_code == 401 and closed.json()["error"]["code"] == "E457"
        assert client.get("/api/dyads/PAK/IRN/series", headers={"Authorization": "Bearer nope"}).status_code == 401
        opened = client.get("/api/events", params={"dyad": "PAK-IRN"}, headers={"Authorization": f"Bearer {TOKEN}"})
        assert opened.status_code == 200 and opened.json()["events"]
        health = client.get("/api/health").json()
        assert health["private"] is True and "store" not in health
        assert client.get("/").status_code == 200  # the page itself holds no data; it asks for the token
    finally:
        client.close()


def test_api_token_defaults_to_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLASHPOINT_TOKEN", TOKEN)
    client = Client(create_app(f"sqlite:///{tmp_path / 'env.db'}"))
    try:
        assert client.get("/api/health").json()["writes"] is True
        assert client.post("/api/articles", json=ARTICLE).json()["error"]["code"] == "E457"
    finally:
        client.close()


def test_api_bad_store_address_fails_at_creation() -> None:
    from flashpoint.errors import FlashpointError

    with pytest.raises(FlashpointError, match="E401"):
        create_app("mysql://nowhere/db")


# -- reads stay light --------------------------------------------------------------------------------------------


def test_api_reads_never_load_spacy(filled_db: Path) -> None:
    """Every read endpoint, in a fresh interpreter: spaCy (the coder) is never imported."""
    script = textwrap.dedent(f"""
        import asyncio, sys, httpx
        from flashpoint.web import create_app
        app = create_app({f"sqlite:///{filled_db}"!r}, token="")
        urls = ["/api/health", "/api/events?dyad=PAK-IRN", "/api/events/{SAMPLE_ID}/0", "/api/articles/{SAMPLE_ID}",
                "/api/dyads", "/api/dyads/PAK/IRN/series", "/api/dyads/PAK/IRN/turning-points",
                "/api/turning-points", "/api/places", "/"]
        async def main():
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
                for url in urls:
                    assert (await client.get(url)).status_code == 200, url
        asyncio.run(main())
        app.state.pool.close()
        print(sorted(name for name in ("spacy", "thinc", "sklearn") if name in sys.modules))
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_api_queries_work_over_the_store_interface(filled_db: Path) -> None:
    from flashpoint.dyad_report import cluster_events
    from flashpoint.web import queries

    with open_store(f"sqlite:///{filled_db}") as store:
        events, cursor = queries.event_page(store, EventQuery(dyad=("PAK", "IRN"), limit=5))
        assert len(events) == 5 and cursor == events[-1]["id"]
        assert [event.index for event in cluster_events(store, f"{SAMPLE_ID}:3")] == [3]
        assert cluster_events(store, "no-such-cluster") == []


# -- serving and the demo ----------------------------------------------------------------------------------------


def test_api_serve_command_needs_a_token_for_private_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from flashpoint.cli import main

    monkeypatch.delenv("FLASHPOINT_TOKEN", raising=False)
    result = CliRunner().invoke(main, ["serve", "--private"])
    assert result.exit_code == 2 and "--private needs a token" in result.output


def test_api_serve_rejects_a_bad_port() -> None:
    from flashpoint.errors import FlashpointError
    from flashpoint.web import serve

    with pytest.raises(FlashpointError, match="E466"):
        serve("sqlite://", port=70000)


@pytest.mark.slow
def test_api_demo_ingests_the_samples_once(tmp_path: Path) -> None:
    from flashpoint.web import prepare_demo

    url, report = prepare_demo(tmp_path / "demo.db")
    assert (report.stored, report.errored) == (1, 0) and report.events > 0
    again = prepare_demo(tmp_path / "demo.db")[1]
    assert (again.stored, again.duplicates) == (0, 1)
    client = Client(create_app(url, token=""))
    try:
        assert client.get("/api/dyads").json()["dyads"][0]["dyad"] == "IRN-PAK"
    finally:
        client.close()
