"""Where articles are coded: in this process (and local worker processes), or on a Dask cluster.

    from flashpoint.engines import DaskEngine, InProcessEngine
    from flashpoint.ingest import ingest

    with DaskEngine(workers=2) as engine:              # a local cluster; scheduler="tcp://HOST:8786" for a real one
        report = ingest(articles, store, engine=engine)

An engine codes a stream of articles and yields them coded, in input order, without their spaCy parse
(`Engine.run`). An engine that can also store (`StoringEngine`: the Dask engine with a PostgreSQL store)
lets each worker write what it coded; `flashpoint.ingest` then only counts and deduplicates.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from ..errors import Errors, FlashpointError
from ..model import Article
from ..pipeline import Pipeline, tune_gc
from ..store import AddResult

if TYPE_CHECKING:
    from .dask import DaskEngine

__all__ = ["ENGINES", "DaskEngine", "Engine", "InProcessEngine", "StoringEngine", "make_engine"]

ENGINES = ("inprocess", "dask")


class Engine(Protocol):
    """Codes articles: `run(articles)` yields each one coded, in input order, its parse dropped."""

    def run(self, articles: Iterable[Article]) -> Iterator[Article]: ...


@runtime_checkable
class StoringEngine(Protocol):
    """An engine whose workers store what they code, when `stores` is true."""

    stores: bool

    def run(self, articles: Iterable[Article]) -> Iterator[Article]: ...

    def run_and_store(
        self, articles: Iterable[Article], *, coder_version: str | None = None
    ) -> Iterator[tuple[Article, AddResult]]: ...


class InProcessEngine:
    """`Pipeline.pipe` in this process, or over `n_process` local worker processes. With `tune_process`
    (the CLI's choice), a process that codes itself gets `flashpoint.pipeline.tune_gc`, as workers do."""

    def __init__(
        self, pipeline: Pipeline | None = None, *, batch_size: int = 16, n_process: int = 1, tune_process: bool = False
    ) -> None:
        self.pipeline, self.batch_size, self.n_process = pipeline, batch_size, n_process
        self.tune_process = tune_process

    def run(self, articles: Iterable[Article]) -> Iterator[Article]:
        from ..api import default_pipeline

        pipeline = self.pipeline or default_pipeline()
        if self.tune_process and self.n_process <= 1:
            tune_gc()
        for article in pipeline.pipe(articles, batch_size=self.batch_size, n_process=self.n_process):
            article.doc, article.statement_docs = None, []
            yield article


def make_engine(name: str, **options: Any) -> Engine:
    """The engine called `name` ("inprocess" or "dask"), made with its keyword options."""
    if name == "inprocess":
        return InProcessEngine(**options)
    if name == "dask":
        from .dask import DaskEngine

        return DaskEngine(**options)
    raise FlashpointError(Errors.E505, name=name, known=", ".join(ENGINES))


def __getattr__(name: str) -> Any:
    if name == "DaskEngine":  # imported on use: distributed takes a second to import
        from .dask import DaskEngine

        return DaskEngine
    raise AttributeError(name)
