"""Readers: files, stdin and JSON Lines to Articles; bad inputs become clear, coded errors."""

from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flashpoint.errors import FlashpointError
from flashpoint.sources import (
    decode,
    looks_like_html,
    parse_date,
    read_bytes,
    read_path,
    read_paths,
    read_text,
)

STORY = "Pakistan and Iran agreed on Friday to return their ambassadors, officials said.\n"


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def only_error(path: Path | str, *, max_bytes: int = 20 * 1024 * 1024) -> dict[str, str]:
    articles = list(read_path(path, max_bytes=max_bytes))
    assert len(articles) == 1
    assert len(articles[0].errors) == 1
    return articles[0].errors[0]


def test_sources_plain_text_file(tmp_path: Path) -> None:
    path = write(tmp_path, "talks.txt", STORY)
    [article] = read_path(path)
    assert (article.id, article.origin, article.raw, article.html) == ("talks", str(path), STORY, None)
    assert article.published is None and article.published_basis is None and article.ok


def test_sources_published_argument_overrides(tmp_path: Path) -> None:
    path = write(tmp_path, "talks.txt", STORY)
    [article] = read_path(path, published="2024-01-19")
    assert (article.published, article.published_basis) == ("2024-01-19", "argument")


def test_sources_bad_published_argument_raises_at_once(tmp_path: Path) -> None:
    path = write(tmp_path, "talks.txt", STORY)
    with pytest.raises(FlashpointError) as caught:
        read_path(path, published="19/01/2024")
    assert caught.value.code == "E110" and "19/01/2024" in caught.value.message


def test_sources_html_by_extension_and_by_content(tmp_path: Path) -> None:
    page = "<html><body><p>" + STORY + "</p></body></html>"
    [by_name] = read_path(write(tmp_path, "page.htm", page))
    [by_content] = read_path(write(tmp_path, "page.txt", "\n  <!DOCTYPE html>" + page))
    assert by_name.html == page and by_name.raw == page
    assert by_content.html is not None and "<p>" in by_content.html


def test_sources_looks_like_html_is_not_fooled_by_a_less_than() -> None:
    assert not looks_like_html("Casualties rose to <50 on Friday, officials said.")
    assert looks_like_html("<p>One paragraph.</p><p>Another.</p>")


def test_sources_jsonl_batch_goes_on_after_bad_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "a1", "text": STORY, "published": "2024-01-18", "title": "Talks", "url": "u"}),
        "{not json",
        json.dumps(["an", "array"]),
        json.dumps({"id": "a4", "title": "no body"}),
        "",
        json.dumps({"text": STORY, "published": "last Friday"}),
        json.dumps({"id": 7, "html": "<p>" + STORY + "</p>", "source": "Dawn"}),
    ]
    path = write(tmp_path, "batch.jsonl", "\n".join(lines) + "\n")
    articles = list(read_path(path))
    assert [article.id for article in articles] == ["a1", "batch:2", "batch:3", "a4", "batch:6", "7"]
    assert [article.errors[0]["code"] if article.errors else None for article in articles] == [
        None, "E105", "E106", "E107", "E110", None,
    ]  # fmt: skip
    assert all("batch.jsonl" in article.errors[0]["message"] for article in articles if article.errors)
    assert "line 2" in articles[1].errors[0]["message"] and "array" in articles[2].errors[0]["message"]
    first, last = articles[0], articles[-1]
    assert (first.published, first.published_basis, first.title, first.url) == (
        "2024-01-18",
        "record",
        "Talks",
        "u",
    )
    assert (last.html, last.source, last.origin) == ("<p>" + STORY + "</p>", "Dawn", str(path))


def test_sources_jsonl_argument_date_beats_record_date(tmp_path: Path) -> None:
    path = write(tmp_path, "batch.jsonl", json.dumps({"text": STORY, "published": "2024-01-18"}))
    [article] = read_path(path, published="2024-01-20")
    assert (article.id, article.published, article.published_basis) == ("batch:1", "2024-01-20", "argument")


def test_sources_jsonl_keeps_text_and_html_when_both_given(tmp_path: Path) -> None:
    record = {"id": "x", "text": STORY, "html": "<p>page</p>"}
    [article] = read_path(write(tmp_path, "both.jsonl", json.dumps(record)))
    assert (article.raw, article.html) == (STORY, "<p>page</p>")


def test_sources_jsonl_timestamp_is_cut_to_its_date(tmp_path: Path) -> None:
    record = {"text": STORY, "published": "2024-01-19T08:30:00+05:00"}
    [article] = read_path(write(tmp_path, "stamp.jsonl", json.dumps(record)))
    assert article.published == "2024-01-19"


def test_sources_jsonl_sniffed_without_extension(tmp_path: Path) -> None:
    body = "\n".join(json.dumps({"id": str(number), "text": STORY}) for number in range(3))
    articles = list(read_path(write(tmp_path, "feed", body)))
    assert [article.id for article in articles] == ["0", "1", "2"]


def test_sources_jsonl_line_over_the_cap_is_an_error_line(tmp_path: Path) -> None:
    lines = [json.dumps({"id": "big", "text": "x " * 500}), json.dumps({"id": "ok", "text": STORY})]
    articles = list(read_path(write(tmp_path, "cap.jsonl", "\n".join(lines)), max_bytes=200))
    assert articles[0].errors[0]["code"] == "E108" and articles[1].ok


@pytest.mark.parametrize(
    ("data", "code", "words"),
    [
        (b"", "E102", "empty"),
        (b"  \n\t\r\n   \n", "E102", "empty"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "E103", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "E103", "PNG"),
        (gzip.compress(STORY.encode()), "E103", "gzip"),
        (b"PK\x03\x04\x14\x00\x06\x00", "E103", "ZIP"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "E103", "JPEG"),
        (b"plain words\x00\x00\x01\x02 then binary", "E103", "NUL"),
        (bytes(range(0x80, 0x100)) * 8, "E104", "decode"),
    ],
)
def test_sources_bad_file_becomes_an_error_article(
    tmp_path: Path, data: bytes, code: str, words: str
) -> None:
    path = write(tmp_path, "bad.txt", data)
    error = only_error(path)
    assert error["code"] == code
    assert str(path) in error["message"] and words in error["message"]


def test_sources_binary_jsonl_is_refused_whole(tmp_path: Path) -> None:
    error = only_error(write(tmp_path, "batch.jsonl", gzip.compress(b'{"text": "x"}\n')))
    assert (error["code"], "gzip" in error["message"]) == ("E103", True)


def test_sources_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.txt"
    error = only_error(missing)
    assert error["code"] == "E101" and str(missing) in error["message"]


def test_sources_empty_directory_has_nothing_to_read(tmp_path: Path) -> None:
    assert only_error(tmp_path)["code"] == "E114"  # a folder is read for its files (tests/test_source_paths.py)


def test_sources_strict_raises_file_problems(tmp_path: Path) -> None:
    with pytest.raises(FlashpointError) as caught:
        list(read_path(tmp_path / "nowhere.txt", strict=True))
    assert caught.value.code == "E101"


def test_sources_size_cap(tmp_path: Path) -> None:
    path = write(tmp_path, "long.txt", STORY * 100)
    error = only_error(path, max_bytes=1000)
    assert error["code"] == "E108" and str(len(STORY) * 100) in error["message"]


def test_sources_batch_of_paths_never_stops(tmp_path: Path) -> None:
    good = write(tmp_path, "good.txt", STORY)
    paths = [tmp_path / "missing.txt", write(tmp_path, "empty.txt", ""), good]
    articles = list(read_paths(paths))
    assert [article.id for article in articles] == ["missing", "empty", "good"]
    assert [article.ok for article in articles] == [False, False, True]


def test_sources_cp1252_file_decodes_right(tmp_path: Path) -> None:
    text = "Pakistan’s minister said the talks were “very good” — a café déjà vu for naïve observers.\n"
    [article] = read_path(write(tmp_path, "legacy.txt", text.encode("cp1252")))
    assert article.raw == text


def test_sources_utf8_bom_and_utf16_decode() -> None:
    assert decode("\ufeffIran’s reply".encode(), name="x") == "Iran’s reply"
    assert decode("Iran’s reply".encode("utf-16"), name="x") == "Iran’s reply"
    assert decode("Iran said no".encode("utf-16-le"), name="x") == "Iran said no"


def test_sources_cyrillic_legacy_encoding_is_not_forced_to_latin() -> None:
    text = "Министр иностранных дел России заявил, что переговоры прошли успешно.\n"
    assert decode(text.encode("cp1251"), name="x") == text


def test_sources_stdin_text_and_jsonl(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=io.BytesIO(STORY.encode())))
    [article] = read_path("-")
    assert (article.id, article.origin, article.raw) == ("stdin", "-", STORY)
    records = "\n".join(json.dumps({"id": f"r{number}", "text": STORY}) for number in range(3))
    monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=io.BytesIO(records.encode())))
    assert [article.id for article in read_path("-")] == ["r0", "r1", "r2"]


def test_sources_read_text_and_read_bytes_raise() -> None:
    article = read_text(STORY, id="t1", published="2024-01-19", url="u", title="T", source="S")
    assert (article.id, article.published, article.url, article.title, article.source) == (
        "t1", "2024-01-19", "u", "T", "S",
    )  # fmt: skip
    with pytest.raises(FlashpointError, match="E102"):
        read_text("   \n")
    with pytest.raises(FlashpointError, match="E103"):
        read_bytes(b"%PDF-1.4", name="report.pdf")
    assert read_bytes(STORY.encode(), name="dir/story.txt").id == "story"


@pytest.mark.parametrize("value", ["2024-02-30", "yesterday", "2024/01/19", 20240119])
def test_sources_parse_date_refuses_non_dates(value: object) -> None:
    with pytest.raises(FlashpointError, match="E110"):
        parse_date(value, name="x")


def test_sources_parse_date_accepts_dates_and_empty() -> None:
    assert [parse_date(value, name="x") for value in ("2024-01-19", " 2024-01-19T10:00Z", "", None)] == [
        "2024-01-19", "2024-01-19", None, None,
    ]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600) | st.text(max_size=300).map(str.encode))
def test_sources_any_bytes_give_an_article_or_a_coded_error(data: bytes) -> None:
    try:
        article = read_bytes(data, name="fuzz.txt")
    except FlashpointError as error:
        assert error.code in {"E102", "E103", "E104"}
    else:
        assert article.raw.strip() and article.id == "fuzz"
