"""Code articles and keep them in a store, skipping what the store already holds.

    from flashpoint.ingest import ingest
    from flashpoint.sources import read_path
    from flashpoint.store import open_store

    with open_store("flashpoint.db") as store:
        report = ingest(read_path("articles.jsonl"), store)

An article already stored (the same id, or the same input) is skipped before it is coded, so a rerun
recodes nothing: an interrupted ingestion goes on where it stopped. The coding runs on an engine
(`flashpoint.engines`): in this process by default, or on a Dask cluster. A stored article that copies
an earlier one (exact text, same canonical URL, or a near copy) is marked as its duplicate, and the
events of the others join the clusters of the same real-world events (`flashpoint.deduplicate`). An
article with errors (unreadable, not English, a failing stage) is stored with its errors and counted in
`errored`; nothing is dropped silently.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass, field

from .deduplicate import StoreDeduplicator
from .engines import Engine, InProcessEngine, StoringEngine
from .errors import FlashpointError
from .model import Article
from .pipeline import Pipeline
from .store import AddResult, Store


@dataclass
class IngestReport:
    """Counts of one ingestion: `read` = `stored` + `duplicates` + `errored`; `errors` are those of the
    articles stored with errors (each names its input)."""

    read: int = 0
    stored: int = 0
    duplicates: int = 0
    errored: int = 0
    events: int = 0
    copies: int = 0  # stored articles that copy an earlier one (exact, same URL or near): not counted in series
    errors: list[dict[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.read} read: {self.stored} stored ({self.events} events), "
            f"{self.duplicates} already stored, {self.errored} with errors; "
            f"{self.copies} of the stored copy an earlier article"
        )


def ingest(
    articles: Iterable[Article],
    store: Store,
    *,
    pipeline: Pipeline | None = None,
    n_process: int = 1,
    batch_size: int = 16,
    coder_version: str | None = None,
    engine: Engine | None = None,
) -> IngestReport:
    """Code the articles not yet in `store` with `pipeline` (the default one) and store them.

    The coding runs on `engine` when given (`pipeline`, `n_process` and `batch_size` are then the engine's
    business), else in this process (`InProcessEngine`)."""
    report = IngestReport()
    for _ in ingest_each(
        articles,
        store,
        report=report,
        pipeline=pipeline,
        n_process=n_process,
        batch_size=batch_size,
        coder_version=coder_version,
        engine=engine,
    ):
        pass
    return report


def ingest_each(
    articles: Iterable[Article],
    store: Store,
    *,
    report: IngestReport,
    pipeline: Pipeline | None = None,
    n_process: int = 1,
    batch_size: int = 16,
    coder_version: str | None = None,
    engine: Engine | None = None,
) -> Generator[Article, None, None]:
    """Like `ingest`, yielding each article once it is stored or skipped (for a progress bar), counted
    in `report` as it goes. Yielded articles no longer hold their spaCy parse."""
    engine = engine or InProcessEngine(pipeline, batch_size=batch_size, n_process=n_process)
    skipped: deque[Article] = deque()
    fresh = _unseen(articles, store, report, skipped)
    deduplicator = StoreDeduplicator(store)
    for article, result in _coded_and_stored(engine, fresh, store, coder_version):
        yield from _drain(skipped)
        if _count(article, result, report) and article.ok:
            report.copies += deduplicator.add(article) is not None
        yield article
    yield from _drain(skipped)


def _coded_and_stored(
    engine: Engine, articles: Iterable[Article], store: Store, coder_version: str | None
) -> Iterator[tuple[Article, AddResult]]:
    """Each article coded, with what storing it did: stored by the engine's workers, or here."""
    if isinstance(engine, StoringEngine) and engine.stores:
        yield from engine.run_and_store(articles, coder_version=coder_version)
        return
    for article in engine.run(articles):
        yield article, store_article(article, store, coder_version=coder_version)


def _unseen(
    articles: Iterable[Article], store: Store, report: IngestReport, skipped: deque[Article]
) -> Iterator[Article]:
    """The articles the store does not hold yet; the others go to `skipped`, counted as duplicates."""
    for article in articles:
        report.read += 1
        if store.find_article(article) is None:
            yield article
        else:
            report.duplicates += 1
            skipped.append(article)


def _drain(skipped: deque[Article]) -> Iterator[Article]:
    while skipped:
        yield skipped.popleft()


def store_article(article: Article, store: Store, *, coder_version: str | None = None) -> AddResult:
    """Store a coded article, or its error record when the database refuses the article itself."""
    article.doc, article.statement_docs = None, []
    try:
        return store.add_article(article, coder_version=coder_version)
    except FlashpointError as error:
        if error.code != "E407":  # the store, not the article: locked, unreachable
            raise
        # what the database refused (a NUL character for PostgreSQL, say) is kept as an error record
        article.errors.append(error.to_dict())
        return store.add_article(_error_record(article), coder_version=coder_version)


def _count(article: Article, result: AddResult, report: IngestReport) -> bool:
    """Count the stored article in the report; whether it was added."""
    if not result.added:
        report.duplicates += 1
    elif article.ok:
        report.stored += 1
        report.events += result.events
    else:
        report.errored += 1
        report.errors += article.errors
    return result.added


def _error_record(article: Article) -> Article:
    """The article's provenance and errors alone, for an article the store could not hold whole."""
    return Article(
        id=article.id,
        url=article.url,
        source=article.source,
        origin=article.origin,
        published=article.published,
        published_basis=article.published_basis,
        errors=article.errors,
    )
