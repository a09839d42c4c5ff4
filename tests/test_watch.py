"""Watching feeds against a real local HTTP server: good articles are stored whatever else fails."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from feed_server import FRENCH, FeedServer, Route, page, refused_url, rss

from flashpoint.cli import main
from flashpoint.errors import FlashpointError
from flashpoint.pipeline import Pipeline
from flashpoint.sources.feeds import url_id
from flashpoint.sources.fetch import FetchOptions
from flashpoint.store import Store, open_store
from flashpoint.watch import (
    PendingPage,
    PollReport,
    WatchOptions,
    WatchState,
    default_state_path,
    parse_interval,
    poll,
    watch,
)

OPTIONS = WatchOptions(every=60, max_tries=3, fetch=FetchOptions(timeout=0.5, max_bytes=64 * 1024))


@pytest.fixture(scope="module")
def cleaner() -> Pipeline:
    """Only the clean stage: enough to store articles, without loading a spaCy model."""
    return Pipeline(["clean"])


@pytest.fixture()
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(f"sqlite:///{tmp_path / 'events.db'}") as opened:
        yield opened


def serve_feed(server: FeedServer, path: str, pages: list[str], **route: object) -> str:
    """A feed at `path` listing `pages`, each served as an English article unless a route exists already."""
    for name in pages:
        server.routes.setdefault(name, Route(page(f"Story at {name}")))
    server.routes[path] = Route(rss([server.url(name) for name in pages]), **route)  # type: ignore[arg-type]
    return server.url(path)


def stored(store: Store, server: FeedServer, name: str) -> bool:
    article = store.get_article(url_id(server.url(name)))
    return article is not None and article.ok


def run(feeds: list[str], store: Store, cleaner: Pipeline, state: WatchState, now: float = 1000.0) -> PollReport:
    return poll(feeds, store, state, options=OPTIONS, pipeline=cleaner, now=now)


def test_watch_good_feed_stores_each_article_with_feed_metadata(
    server: FeedServer, store: Store, cleaner: Pipeline
) -> None:
    feed = serve_feed(server, "/feed.xml", ["/a", "/b"])
    report = run([feed], store, cleaner, WatchState())
    assert (report.feeds, report.new_links, report.ingest.stored, report.errors) == (1, 2, 2, [])
    article = store.get_article(url_id(server.url("/a")))
    assert article is not None and "\nPakistan and Iran agreed on Friday" in article.text
    assert (article.url, article.title, article.source) == (server.url("/a"), "Story 1", "Test News")
    assert (article.published, article.published_basis) == ("2024-01-19", "feed")
    assert article.fetched is not None and article.language == "en"


def test_watch_second_poll_is_conditional_and_fetches_nothing_again(
    server: FeedServer, store: Store, cleaner: Pipeline
) -> None:
    feed = serve_feed(server, "/feed.xml", ["/a"], etag='"v1"', last_modified="Fri, 19 Jan 2024 10:00:00 GMT")
    state = WatchState()
    run([feed], store, cleaner, state)
    second = run([feed], store, cleaner, state, now=2000.0)
    assert (second.not_modified, second.new_links, second.ingest.read) == (1, 0, 0)
    first, again = server.hits("/feed.xml")
    assert "If-None-Match" not in first
    assert again["If-None-Match"] == '"v1"' and again["If-Modified-Since"] == "Fri, 19 Jan 2024 10:00:00 GMT"
    assert len(server.hits("/a")) == 1


def test_watch_changed_feed_fetches_only_the_new_links(server: FeedServer, store: Store, cleaner: Pipeline) -> None:
    state = WatchState()
    run([serve_feed(server, "/feed.xml", ["/a"])], store, cleaner, state)
    report = run([serve_feed(server, "/feed.xml", ["/a", "/b"])], store, cleaner, state, now=2000.0)
    assert (report.new_links, report.known_links, report.ingest.stored) == (1, 1, 1)
    assert len(server.hits("/a")) == 1 and stored(store, server, "/b")


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("feed down", "E121"),
        ("feed times out", "E122"),
        ("feed not XML", "E126"),
        ("feed redirected", None),
        ("page too big", "E125"),
        ("page 404", "E123"),
    ],
)
def test_watch_a_bad_feed_or_page_never_stops_the_good_ones(
    server: FeedServer, store: Store, cleaner: Pipeline, case: str, code: str | None
) -> None:
    good = serve_feed(server, "/good.xml", ["/a", "/b"])
    bad = {
        "feed down": lambda: refused_url(),
        "feed times out": lambda: serve_feed(server, "/slow.xml", ["/s"], delay=30),
        "feed not XML": lambda: server.url("/broken.xml"),
        "feed redirected": lambda: server.url("/old.xml"),
        "page too big": lambda: serve_feed(server, "/big.xml", ["/big"]),
        "page 404": lambda: serve_feed(server, "/gone.xml", ["/gone"]),
    }[case]()
    server.routes["/broken.xml"] = Route(b"Service temporarily unavailable", content_type="text/plain")
    server.routes["/old.xml"] = Route(status=301, headers={"Location": "/moved.xml"})
    serve_feed(server, "/moved.xml", ["/m"])
    server.routes["/big"] = Route(b"<p>" + b"x" * 100_000 + b"</p>")
    server.routes["/gone"] = Route(b"Not here", status=404)

    report = run([bad, good], store, cleaner, WatchState())

    assert stored(store, server, "/a") and stored(store, server, "/b")
    if code is None:
        assert report.errors == [] and stored(store, server, "/m")
        return
    [error] = report.errors
    assert error["code"] == code
    assert bad in error["message"] or any(name in error["message"] for name in ("/big", "/gone"))


def test_watch_failures_back_off_exponentially_then_give_up(
    server: FeedServer, store: Store, cleaner: Pipeline
) -> None:
    feed = serve_feed(server, "/feed.xml", ["/a"])
    server.routes["/a"] = Route(b"Busy", status=503)
    state = WatchState()
    first = run([feed], store, cleaner, state, now=1000.0)
    pending = state.pages[url_id(server.url("/a"))]
    assert [error["code"] for error in first.retrying] == ["E123"]
    assert (pending.failures, pending.next_try, pending.error) == (1, 1060.0, "E123")

    early = run([feed], store, cleaner, state, now=1030.0)
    assert early.waiting == 1 and len(server.hits("/a")) == 1

    run([feed], store, cleaner, state, now=1060.0)
    assert (pending.failures, pending.next_try) == (2, 1180.0)  # 60 s, then 120 s

    last = run([feed], store, cleaner, state, now=1180.0)  # the third try of three: given up, stored with its error
    assert last.retrying == [] and [error["code"] for error in last.ingest.errors] == ["E123"]
    assert not state.pages
    given_up = store.get_article(url_id(server.url("/a")))
    assert given_up is not None and given_up.errors[0]["code"] == "E123"


def test_watch_down_feed_waits_its_back_off(server: FeedServer, store: Store, cleaner: Pipeline) -> None:
    state = WatchState()
    url = refused_url()
    run([url], store, cleaner, state, now=1000.0)
    assert state.feeds[url].failures == 1 and state.feeds[url].next_try == 1060.0
    assert run([url], store, cleaner, state, now=1010.0).waiting == 1


def test_watch_refused_link_scheme_is_stored_as_an_error(server: FeedServer, store: Store, cleaner: Pipeline) -> None:
    server.routes["/feed.xml"] = Route(rss(["file:///etc/passwd", server.url("/a")]))
    server.routes["/a"] = Route(page("A"))
    report = run([server.url("/feed.xml")], store, cleaner, WatchState())
    assert [error["code"] for error in report.errors] == ["E120"]
    assert stored(store, server, "/a")


PUBLIC_FEED = "http://93.184.216.34/feed.xml"  # an address on the public internet (never contacted here)


def pending_from_public_feed(server: FeedServer) -> WatchState:
    """A state holding one page on this (loopback) server, as linked from a public feed."""
    server.routes["/inside"] = Route(page("Inside"))
    url = server.url("/inside")
    return WatchState(pages={url_id(url): PendingPage(url=url, feed=PUBLIC_FEED)})


def test_watch_public_feed_linking_to_a_private_address_is_refused_e129(
    server: FeedServer, store: Store, cleaner: Pipeline
) -> None:
    report = run([], store, cleaner, pending_from_public_feed(server))
    assert [error["code"] for error in report.errors] == ["E129"]
    assert server.hits("/inside") == []  # refused on connecting: no request was sent
    article = store.get_article(url_id(server.url("/inside")))
    assert article is not None and article.errors[0]["code"] == "E129"  # for good, not tried again


def test_watch_private_links_allowed_on_request(server: FeedServer, store: Store, cleaner: Pipeline) -> None:
    options = replace(OPTIONS, private_links=True)
    report = poll([], store, pending_from_public_feed(server), options=options, pipeline=cleaner, now=1000.0)
    assert report.errors == [] and stored(store, server, "/inside")


def test_watch_non_english_page_is_stored_as_skipped_with_its_language(
    server: FeedServer, store: Store, cleaner: Pipeline
) -> None:
    server.routes["/fr"] = Route(page("Accord", FRENCH))
    feed = serve_feed(server, "/feed.xml", ["/fr", "/a"])
    report = run([feed], store, cleaner, WatchState())
    assert (report.ingest.stored, report.ingest.errored) == (1, 1)
    article = store.get_article(url_id(server.url("/fr")))
    assert article is not None and article.language == "fr" and article.events == []
    assert [error["code"] for error in article.errors] == ["E112"]


def test_watch_state_file_round_trips_and_bad_state_is_e127(
    server: FeedServer, store: Store, cleaner: Pipeline, tmp_path: Path
) -> None:
    feed = serve_feed(server, "/feed.xml", ["/a"], etag='"v1"')
    server.routes["/a"] = Route(b"Busy", status=503)
    path = tmp_path / "watch.json"
    [report] = watch([feed], store, state_path=path, options=OPTIONS, pipeline=cleaner, once=True)
    saved = json.loads(path.read_text("utf-8"))
    assert saved["feeds"][feed]["etag"] == '"v1"'
    assert saved["pages"][url_id(server.url("/a"))]["failures"] == 1
    assert WatchState.load(path).feeds[feed].etag == '"v1"'
    path.write_text("{not json", "utf-8")
    with pytest.raises(FlashpointError) as caught:
        WatchState.load(path)
    assert caught.value.code == "E127" and str(path) in caught.value.message


def test_watch_default_state_path_sits_beside_a_sqlite_store() -> None:
    assert default_state_path("sqlite:///data/events.db") == Path("data/events.db.watch.json")
    assert default_state_path("events.db") == Path("events.db.watch.json")
    assert default_state_path("postgresql://flashpoint@localhost/flashpoint") == Path("flashpoint-watch.json")


@pytest.mark.parametrize(
    ("text", "seconds"), [("90", 90.0), ("90s", 90.0), ("15m", 900.0), ("1h", 3600.0), ("1d", 86400.0)]
)
def test_watch_parse_interval(text: str, seconds: float) -> None:
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["", "0m", "soon", "15 minutes", "-1h"])
def test_watch_parse_interval_refuses_e128(text: str) -> None:
    with pytest.raises(FlashpointError, match="E128"):
        parse_interval(text)


def test_watch_cli_once_stores_good_articles_and_names_the_bad_feed(server: FeedServer, tmp_path: Path) -> None:
    good = serve_feed(server, "/feed.xml", ["/a"])
    down = refused_url()
    db = tmp_path / "events.db"
    result = CliRunner().invoke(main, ["watch", good, down, "--once", "--db", str(db), "--timeout", "2"])
    assert result.exit_code == 0, result.output
    assert "E121" in result.stderr and down in result.stderr
    assert "1 stored" in result.stdout
    assert (tmp_path / "events.db.watch.json").exists()
    with open_store(str(db)) as opened:
        assert stored(opened, server, "/a")


def test_watch_cli_rejects_a_bad_interval(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["watch", "http://example.com/feed", "--every", "soon", "--once"])
    assert result.exit_code == 2 and "E128" not in result.output and "soon" in result.output
