"""The library's front door: code a text, a file or a stream of articles with the default pipeline."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .model import Article
from .pipeline import Pipeline

if TYPE_CHECKING:
    from .where import PlaceMention

PLACE_STAGES = ("clean", "parse", "actors", "places")


@lru_cache(maxsize=2)
def default_pipeline(stages: tuple[str, ...] | None = None) -> Pipeline:
    """The pipeline with every default stage, built once per process."""
    return Pipeline(stages)


def code(
    text: str,
    *,
    published: str | None = None,
    title: str | None = None,
    url: str | None = None,
    id: str = "text",
) -> Article:
    """Clean and code one article given as plain text: `flashpoint.code(text).events`."""
    from .sources import read_text

    article = read_text(text, id=id, published=published, title=title, url=url)
    return default_pipeline()(article)


def code_file(path: str | Path, *, published: str | None = None) -> list[Article]:
    """Read a .txt, .html or .jsonl file and code every article in it (errors stay on their article)."""
    from .sources import read_path

    return list(pipe(read_path(path, published=published)))


def pipe(articles: Iterable[Article], *, batch_size: int = 16, n_process: int = 1) -> Iterator[Article]:
    """Code many articles in batches, optionally over several processes, keeping input order."""
    yield from default_pipeline().pipe(articles, batch_size=batch_size, n_process=n_process)


def places(articles: Iterable[Article]) -> Iterator[tuple[Article, list[PlaceMention]]]:
    """Every place each article names, geocoded, with its use (location, actor or demonym)."""
    from .where import find_places

    for article in default_pipeline(PLACE_STAGES).pipe(articles):
        yield article, find_places(article) if article.ok else []


def clean(articles: Iterable[Article]) -> Iterator[Article]:
    """Only read and clean: the story text and the embedded statements, no parsing."""
    yield from default_pipeline(("clean",)).pipe(articles)
