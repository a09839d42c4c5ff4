"""Folders and glob patterns as inputs: their files with known suffixes, in sorted order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flashpoint.errors import FlashpointError
from flashpoint.sources import read_path, read_paths
from flashpoint.sources.files import expand_path

STORY = "Pakistan and Iran agreed on Friday to return their ambassadors, officials said.\n"


@pytest.fixture()
def news(tmp_path: Path) -> Path:
    """news/ with text, HTML and JSONL files in two levels, plus files that are not inputs."""
    folder = tmp_path / "news"
    (folder / "2024" / "01").mkdir(parents=True)
    (folder / ".cache").mkdir()
    (folder / "b.txt").write_text(STORY, "utf-8")
    (folder / "a.html").write_text(f"<html><body><p>{STORY}</p></body></html>", "utf-8")
    (folder / "2024" / "01" / "c.jsonl").write_text(
        json.dumps({"id": "c1", "text": STORY}) + "\n" + json.dumps({"id": "c2", "text": STORY}) + "\n", "utf-8"
    )
    (folder / "notes.csv").write_text("a,b\n", "utf-8")
    (folder / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / ".cache" / "old.txt").write_text(STORY, "utf-8")
    return folder


def test_source_paths_folder_is_read_recursively_in_sorted_order(news: Path) -> None:
    assert expand_path(str(news)) == [
        str(news / "2024" / "01" / "c.jsonl"),
        str(news / "a.html"),
        str(news / "b.txt"),
    ]
    assert [article.id for article in read_path(news)] == ["c1", "c2", "a", "b"]


def test_source_paths_glob_pattern_is_expanded_sorted(news: Path) -> None:
    assert [article.id for article in read_path(str(news / "*.txt"))] == ["b"]
    assert [article.id for article in read_path(str(news / "**" / "*.jsonl"))] == ["c1", "c2"]


def test_source_paths_existing_file_and_stdin_are_left_alone(news: Path) -> None:
    assert expand_path(str(news / "b.txt")) == [str(news / "b.txt")]
    assert expand_path("-") == ["-"]


@pytest.mark.parametrize(("pattern", "where"), [("empty", "in the folder"), ("*.docx", "match the pattern")])
def test_source_paths_nothing_to_read_is_e114(tmp_path: Path, pattern: str, where: str) -> None:
    (tmp_path / "empty").mkdir()
    target = str(tmp_path / pattern)
    [article] = read_path(target)
    assert article.errors[0]["code"] == "E114" and where in article.errors[0]["message"]
    with pytest.raises(FlashpointError, match="E114"):
        list(read_path(target, strict=True))


def test_source_paths_missing_plain_path_is_still_e101(tmp_path: Path) -> None:
    [article] = read_paths([tmp_path / "nothing.txt"])
    assert article.errors[0]["code"] == "E101"
