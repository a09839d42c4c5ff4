"""WARC archives: HTML responses become articles, the rest is counted, a damaged record stops reading cleanly."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from feed_server import FRENCH, STORY, page
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from flashpoint.ingest import ingest
from flashpoint.pipeline import Pipeline
from flashpoint.sources import read_path, read_paths
from flashpoint.sources.warc import WarcReport, is_warc
from flashpoint.store import open_store

DATE = "2024-01-20T08:30:00Z"


def response(writer: WARCWriter, url: str, body: bytes, *, status: str = "200 OK", kind: str = "text/html") -> None:
    headers = StatusAndHeaders(status, [("Content-Type", f"{kind}; charset=utf-8")], protocol="HTTP/1.1")
    record = writer.create_warc_record(
        url,
        "response",
        payload=io.BytesIO(body),
        length=len(body),
        http_headers=headers,
        warc_headers_dict={"WARC-Date": DATE},
    )
    writer.write_record(record)


def archive(*, gzip: bool = True, french: bool = False) -> bytes:
    """A small crawl: warcinfo, a request, two HTML pages, a 404, an image, and a French page if asked."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip)
    writer.write_record(writer.create_warcinfo_record("crawl.warc.gz", {"software": "tests"}))
    request = StatusAndHeaders("GET /one HTTP/1.1", [("Host", "example.com")], is_http_request=True)
    writer.write_record(writer.create_warc_record("https://example.com/one", "request", http_headers=request))
    response(writer, "https://example.com/one", page("One"))
    response(writer, "https://example.com/missing", b"<p>Not found</p>", status="404 Not Found")
    response(writer, "https://example.com/logo.png", b"\x89PNG\r\n\x1a\n", kind="image/png")
    response(writer, "https://example.com/two", page("Two"))
    if french:
        response(writer, "https://example.com/fr", page("Accord", FRENCH))
    return buffer.getvalue()


def read(path: Path) -> tuple[list, WarcReport]:
    reports: list[WarcReport] = []
    articles = list(read_path(path, warc_reports=reports))
    [report] = reports
    return articles, report


@pytest.mark.parametrize(("name", "gzip"), [("crawl.warc.gz", True), ("crawl.warc", False)])
def test_warc_keeps_html_responses_and_counts_the_rest(tmp_path: Path, name: str, gzip: bool) -> None:
    path = tmp_path / name
    path.write_bytes(archive(gzip=gzip))
    articles, report = read(path)
    assert [article.url for article in articles] == ["https://example.com/one", "https://example.com/two"]
    assert all(article.ok for article in articles)
    assert (report.records, report.kept) == (6, 2)
    assert report.skipped == {"warcinfo": 1, "request": 1, "HTTP 404": 1, "not HTML (image/png)": 1}
    assert report.summary() == (
        f"{path}: 6 WARC records, 2 kept; skipped 1 HTTP 404, 1 not HTML (image/png), 1 request, 1 warcinfo"
    )


def test_warc_article_fields(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(archive())
    [one, _], _ = read(path)
    assert (one.id, one.url, one.fetched) == ("https://example.com/one", "https://example.com/one", DATE)
    assert one.published is None and one.published_basis is None  # the crawl date is not the publication date
    assert one.html is not None and "Pakistan and Iran" in one.html
    assert one.origin is not None and one.origin.startswith(f"{path} offset ")


def test_warc_published_argument_still_overrides(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(archive())
    articles = list(read_path(path, published="2024-01-19"))
    assert {(article.published, article.published_basis) for article in articles} == {("2024-01-19", "argument")}


@pytest.mark.parametrize("gzip", [True, False])
def test_warc_is_sniffed_without_its_suffix(tmp_path: Path, gzip: bool) -> None:
    path = tmp_path / "download.bin"
    path.write_bytes(archive(gzip=gzip))
    assert is_warc(str(path), path.read_bytes()[:8192])
    assert [article.url for article in read_path(path)] == ["https://example.com/one", "https://example.com/two"]


def test_warc_from_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=io.BytesIO(archive())))
    assert [article.url for article in read_path("-")] == ["https://example.com/one", "https://example.com/two"]


def test_warc_plain_gzip_is_not_taken_for_a_warc() -> None:
    import gzip

    assert not is_warc("notes.gz", gzip.compress(b"just some notes"))


@pytest.mark.parametrize("gzip", [True, False])
def test_warc_truncated_record_is_e113_with_file_and_offset(tmp_path: Path, gzip: bool) -> None:
    data = archive(gzip=gzip)
    last = data.rindex(b"\x1f\x8b") if gzip else data.rindex(b"WARC/1.")
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(data[: last + (len(data) - last) // 2])  # the last record (page two) cut in half
    articles, report = read(path)
    assert [article.url for article in articles[:-1]] == ["https://example.com/one"]
    broken = articles[-1]
    [error] = broken.errors
    assert error["code"] == "E113"
    assert str(path) in error["message"] and f"offset {last}" in error["message"]
    assert report.kept == 1


def test_warc_garbage_between_records_stops_reading_gracefully(tmp_path: Path) -> None:
    data = archive(gzip=True)
    cut = data.index(b"\x1f\x8b", data.index(b"\x1f\x8b", 1) + 1)  # the start of the third record
    path = tmp_path / "bad.warc.gz"
    path.write_bytes(data[:cut] + b"this is not a WARC record\r\n\r\n" + data[cut:])
    articles, _ = read(path)
    assert [article.errors[0]["code"] for article in articles] == ["E113"]
    assert f"offset {cut}" in articles[0].errors[0]["message"]


def test_warc_ingest_stores_pages_and_skips_non_english_with_its_language(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(archive(french=True))
    with open_store(f"sqlite:///{tmp_path / 'events.db'}") as store:
        report = ingest(read_paths([path]), store, pipeline=Pipeline(["clean"]))
        french = store.get_article("https://example.com/fr")
        one = store.get_article("https://example.com/one")
    assert (report.read, report.stored, report.errored) == (3, 2, 1)
    assert french is not None and french.language == "fr" and french.fetched == DATE
    assert [error["code"] for error in french.errors] == ["E112"]
    assert one is not None and one.ok and STORY.split(",")[0] in one.text


def test_warc_rerun_stores_nothing_new(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc"
    path.write_bytes(archive(gzip=False))
    with open_store(f"sqlite:///{tmp_path / 'events.db'}") as store:
        ingest(read_path(path), store, pipeline=Pipeline(["clean"]))
        again = ingest(read_path(path), store, pipeline=Pipeline(["clean"]))
    assert (again.read, again.stored, again.duplicates) == (2, 0, 2)


def test_warc_cli_ingest_prints_what_was_kept_and_skipped(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from flashpoint.cli import main

    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(archive())
    result = CliRunner().invoke(main, ["ingest", str(path), "--db", str(tmp_path / "events.db")])
    assert result.exit_code == 0, result.output
    assert "6 WARC records, 2 kept; skipped" in result.output and "2 stored" in result.output
