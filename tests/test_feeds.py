"""Feeds and fetching: parsing RSS/Atom, and fetching from a real local HTTP server within safe limits."""

from __future__ import annotations

import shutil
import ssl
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from feed_server import STORY, FeedServer, Route, page, refused_url, rss

from flashpoint.errors import FlashpointError
from flashpoint.sources import fetch as fetch_module
from flashpoint.sources.feeds import FeedEntry, page_article, parse_feed, url_id
from flashpoint.sources.fetch import FetchOptions, fetch, on_private_network

QUICK = FetchOptions(timeout=0.5, max_bytes=64 * 1024, max_redirects=2)


@pytest.fixture()
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


def fetch_error(url: str, options: FetchOptions = QUICK) -> FlashpointError:
    with pytest.raises(FlashpointError) as caught:
        fetch(url, options=options)
    return caught.value


# -- parsing ----------------------------------------------------------------------------------------------


def test_feeds_rss_entries_have_absolute_links_titles_and_dates() -> None:
    feed = parse_feed(rss(["/news/1", "http://other.example/2"]), url="http://example.com/feeds/rss.xml")
    assert feed.title == "Test News"
    assert feed.entries == (
        FeedEntry("http://example.com/news/1", "Story 1", "2024-01-19"),
        FeedEntry("http://other.example/2", "Story 2", "2024-01-19"),
    )


def test_feeds_atom_entries_use_the_updated_date() -> None:
    atom = (
        b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom News</title>'
        b'<entry><title>One</title><link href="https://example.com/one"/><id>1</id>'
        b"<updated>2024-01-18T23:00:00Z</updated></entry><entry><title>No link</title><id>2</id></entry></feed>"
    )
    feed = parse_feed(atom, url="https://example.com/atom")
    assert feed.entries == (FeedEntry("https://example.com/one", "One", "2024-01-18"),)


@pytest.mark.parametrize("data", [b"this is not a feed", b"<html><body><p>A page</p></body></html>", b""])
def test_feeds_not_a_feed_is_e126(data: bytes) -> None:
    with pytest.raises(FlashpointError) as caught:
        parse_feed(data, url="http://example.com/feed")
    assert caught.value.code == "E126" and "http://example.com/feed" in caught.value.message


def test_feeds_url_id_is_the_canonical_url() -> None:
    assert url_id("http://www.example.com/news/1/?utm_source=rss#top") == "https://example.com/news/1"
    assert url_id("not a url") == "not a url"


# -- fetching -----------------------------------------------------------------------------------------------


def test_feeds_fetch_returns_body_and_validators(server: FeedServer) -> None:
    server.routes["/feed"] = Route(rss([]), content_type="application/rss+xml", etag='"v1"', last_modified="Fri")
    fetched = fetch(server.url("/feed"), options=QUICK)
    assert (fetched.status, fetched.etag, fetched.last_modified) == (200, '"v1"', "Fri")
    assert fetched.content_type == "application/rss+xml" and fetched.body.startswith(b"<?xml")
    assert fetched.fetched.endswith("+00:00")


def test_feeds_fetch_sends_conditional_headers_and_reads_304(server: FeedServer) -> None:
    server.routes["/feed"] = Route(rss([]), etag='"v1"')
    again = fetch(server.url("/feed"), etag='"v1"', last_modified="Fri, 19 Jan 2024 10:00:00 GMT", options=QUICK)
    assert again.not_modified and again.body == b""
    [headers] = server.hits("/feed")
    assert headers["If-None-Match"] == '"v1"'
    assert headers["If-Modified-Since"] == "Fri, 19 Jan 2024 10:00:00 GMT"


def test_feeds_fetch_follows_redirects_to_the_final_url(server: FeedServer) -> None:
    server.routes["/old"] = Route(status=301, headers={"Location": "/new"})
    server.routes["/new"] = Route(page("Moved"))
    fetched = fetch(server.url("/old"), options=QUICK)
    assert fetched.url == server.url("/new") and b"Moved" in fetched.body


def test_feeds_fetch_caps_redirects_e124(server: FeedServer) -> None:
    server.routes["/loop"] = Route(status=302, headers={"Location": "/loop"})
    error = fetch_error(server.url("/loop"))
    assert error.code == "E124" and "more than 2 redirects" in error.message
    assert len(server.hits("/loop")) == 3


def test_feeds_fetch_refuses_a_redirect_to_a_local_file_e120(server: FeedServer, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("secret", "utf-8")
    server.routes["/sneaky"] = Route(status=302, headers={"Location": secret.as_uri()})
    options = FetchOptions(timeout=0.5, allow_file=True)
    assert fetch_error(server.url("/sneaky"), options).code == "E120"


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/feed", "javascript:alert(1)", "feed.xml"])
def test_feeds_fetch_refuses_other_schemes_e120(url: str) -> None:
    error = fetch_error(url)
    assert error.code == "E120" and url in error.message


def test_feeds_fetch_reads_file_urls_only_when_allowed(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(rss(["http://example.com/1"]))
    fetched = fetch(path.as_uri(), options=FetchOptions(allow_file=True))
    assert fetched.body == path.read_bytes()
    assert fetch_error((tmp_path / "missing.xml").as_uri(), FetchOptions(allow_file=True)).code == "E111"


def test_feeds_fetch_public_only_refuses_a_loopback_server_e129(server: FeedServer) -> None:
    server.routes["/a"] = Route(page("A"))
    error = fetch_error(server.url("/a"), FetchOptions(timeout=0.5, private=False))
    assert error.code == "E129" and "127.0.0.1" in error.message and server.url("/a") in error.message
    assert fetch(server.url("/a"), options=QUICK).status == 200  # allowed by default


def test_feeds_fetch_public_only_checks_every_redirect_e129(server: FeedServer) -> None:
    server.routes["/hop"] = Route(status=302, headers={"Location": server.url("/a")})
    assert fetch_error(server.url("/hop"), FetchOptions(timeout=0.5, private=False)).code == "E129"


def test_feeds_public_https_connection_checks_then_speaks_tls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The TLS path of a public-only fetch, against a local TLS server taken for a public one."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1", "-days", "1"],
                   check=True, capture_output=True)
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert, key)
    with FeedServer() as server:
        server.routes["/a"] = Route(page("A"))
        server.server.socket = server_context.wrap_socket(server.server.socket, server_side=True)
        client_context = ssl.create_default_context(cafile=str(cert))
        monkeypatch.setattr(fetch_module, "is_public", lambda address: True)
        connection = fetch_module._PublicHTTPSConnection(
            "127.0.0.1", server.server.server_address[1], context=client_context, timeout=5
        )
        connection.request("GET", "/a")
        assert connection.getresponse().status == 200
        connection.close()


@pytest.mark.parametrize(
    ("url", "private"),
    [
        ("http://127.0.0.1:8080/feed.xml", True),
        ("http://localhost/feed.xml", True),
        ("http://[::1]/feed.xml", True),
        ("http://10.1.2.3/feed.xml", True),
        ("http://169.254.169.254/latest/meta-data/", True),
        ("file:///srv/feeds/news.xml", True),
        ("http://93.184.216.34/feed.xml", False),
        ("https://[2606:4700:4700::1111]/feed.xml", False),
    ],
)
def test_feeds_on_private_network_reads_the_address(url: str, private: bool) -> None:
    assert on_private_network(url) is private


def test_feeds_fetch_connection_refused_e121() -> None:
    url = refused_url()
    error = fetch_error(url)
    assert error.code == "E121" and url in error.message


def test_feeds_fetch_times_out_e122(server: FeedServer) -> None:
    server.routes["/slow"] = Route(page("Slow"), delay=30)
    error = fetch_error(server.url("/slow"))
    assert error.code == "E122" and "0.5 s" in error.message


def test_feeds_fetch_deadline_covers_a_body_that_trickles_e122(server: FeedServer) -> None:
    server.routes["/trickle"] = Route(b"x" * 3000, trickle=0.1)  # 3 s in all, a chunk every 0.1 s
    started = time.monotonic()
    assert fetch_error(server.url("/trickle")).code == "E122"
    assert time.monotonic() - started < 1.5


def test_feeds_fetch_http_error_e123(server: FeedServer) -> None:
    error = fetch_error(server.url("/missing"))
    assert error.code == "E123" and "HTTP 404" in error.message and server.url("/missing") in error.message


@pytest.mark.parametrize("send_length", [True, False])
def test_feeds_fetch_stops_at_the_size_cap_e125(server: FeedServer, send_length: bool) -> None:
    server.routes["/big"] = Route(b"<p>" + b"x" * 200_000 + b"</p>", send_length=send_length)
    error = fetch_error(server.url("/big"))
    assert error.code == "E125" and str(QUICK.max_bytes) in error.message


def test_feeds_page_article_keeps_entry_and_fetch_metadata(server: FeedServer) -> None:
    server.routes["/story"] = Route(page("Talks"))
    fetched = fetch(server.url("/story"), options=QUICK)
    entry = FeedEntry(server.url("/story"), "Talks resume", "2024-01-19")
    article = page_article(fetched, entry=entry, source="Test News")
    assert (article.id, article.url, article.title) == (url_id(entry.url), fetched.url, "Talks resume")
    assert (article.published, article.published_basis, article.source) == ("2024-01-19", "feed", "Test News")
    assert article.html is not None and STORY.split(",")[0] in article.raw
    assert article.fetched == fetched.fetched
