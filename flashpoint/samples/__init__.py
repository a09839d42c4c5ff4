"""The sample articles bundled for `flashpoint demo` and the tests."""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

from ..model import Article


def sample_index() -> list[dict[str, Any]]:
    index: list[dict[str, Any]] = json.loads(files(__package__).joinpath("index.json").read_text("utf-8"))
    return index


def sample_text(name: str = "pakistan-iran-2024-01-19.txt") -> str:
    return files(__package__).joinpath(name).read_text("utf-8")


def sample_articles() -> list[Article]:
    """Every bundled sample as an unprocessed Article with its publication metadata."""
    from ..sources import read_text

    return [
        read_text(
            sample_text(entry["file"]),
            id=entry["id"],
            published=entry.get("published"),
            source=entry.get("source"),
        )
        for entry in sample_index()
    ]
