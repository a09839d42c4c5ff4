"""The Dask engine: batches of articles coded by the workers of a Dask cluster, local or remote.

With no scheduler address the engine starts a local cluster of worker processes (one thread each) and
stops it afterwards. Each worker builds the pipeline once (`_worker_pipeline`, cached per process) and
codes whole batches. With a PostgreSQL `store_url` the workers also store what they code
(`run_and_store`); with SQLite only the client process writes, so only a local cluster may be used.
Results come back in input order, at most `2 x threads` batches in flight; the last batches of a run are
smaller (`balanced_batches`), so that no worker idles while another codes the last one.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from types import TracebackType
from typing import Any, TypeVar

from ..errors import Errors, FlashpointError
from ..model import Article
from ..pipeline import Pipeline, balanced_batches, tune_gc
from ..store import AddResult, Store, display_url, open_store

Result = TypeVar("Result")
# Two defaults of Dask's workers cost the coder a third of its speed (articles per CPU second measured 9.4
# with both, 12.4 without the profiler; MALLOC_TRIM_THRESHOLD_=65536 costs ~10% in process): the profiler,
# which samples every thread's stack each 10 ms, and the small malloc trim threshold, which hands spaCy's
# large arrays back to the system after each batch. Workers started by others need the same (docs/scale.md).
WORKER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
}
_Config = tuple[tuple[str, ...], tuple[tuple[str, Any], ...]]


class DaskEngine:
    """Code articles on a Dask cluster: `scheduler` ("tcp://HOST:8786"), a connected `client`, or a local
    cluster of `workers` processes.

    Use it as a context manager to keep one cluster (and the workers' loaded models) across runs; `run`
    outside a `with` block starts and stops a cluster for that run alone. A `client` given is left open.
    """

    def __init__(
        self,
        *,
        scheduler: str | None = None,
        workers: int | None = None,
        stages: Sequence[str] | None = None,
        config: dict[str, Any] | None = None,
        batch_size: int = 16,
        store_url: str | None = None,
        memory_limit: str = "auto",
        client: Any = None,
    ) -> None:
        self.scheduler, self.workers, self.batch_size, self.memory_limit = scheduler, workers, batch_size, memory_limit
        self.setup: _Config = (tuple(stages or ()), tuple(sorted((config or {}).items())))
        self.store_url = store_url
        postgres = store_url is not None and store_url.startswith(("postgresql://", "postgres://"))
        if scheduler and store_url and not postgres:
            raise FlashpointError(Errors.E501, scheduler=scheduler, url=display_url(store_url))
        self.stores = postgres
        self._client, self._own = client, client is None
        self._cluster: Any = None

    def __enter__(self) -> DaskEngine:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    @property
    def client(self) -> Any:
        """The `distributed.Client` the engine uses (None before `start`)."""
        return self._client

    def start(self) -> None:
        """Connect to the scheduler or start the local cluster, and load the models on every worker."""
        import dask
        from distributed import Client, LocalCluster

        if self._client is not None:
            if not self._own:
                self._client.run(_warm, self.setup)
            return
        try:
            if self.scheduler:
                self._client = Client(self.scheduler, timeout="30s")
                if self.workers:
                    self._client.wait_for_workers(self.workers, timeout="300s")
            else:
                with dask.config.set(WORKER_CONFIG):
                    self._cluster = LocalCluster(
                        n_workers=self.workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                        memory_limit=self.memory_limit, silence_logs=logging.ERROR,
                    )
                self._client = Client(self._cluster)
        except (OSError, TimeoutError) as error:
            self.close()
            raise FlashpointError(Errors.E502, scheduler=self.scheduler or "local", detail=str(error)) from error
        self._client.run(_warm, self.setup)

    def close(self) -> None:
        """Disconnect, and stop the local cluster if this engine started one (a client given stays open)."""
        if not self._own:
            return
        for part in (self._client, self._cluster):
            if part is not None:
                part.close()
        self._client = self._cluster = None

    def run(self, articles: Iterable[Article]) -> Iterator[Article]:
        """Code the articles on the workers; yield them coded, in input order."""
        for batch in self._map(_code_batch, articles, ()):
            yield from batch

    def run_and_store(
        self, articles: Iterable[Article], *, coder_version: str | None = None
    ) -> Iterator[tuple[Article, AddResult]]:
        """Code and store the articles on the workers (PostgreSQL only); yield each with what storing did."""
        if not self.stores:
            raise FlashpointError(Errors.E503, url=display_url(self.store_url or "none"))
        for batch in self._map(_code_and_store_batch, articles, (self.store_url, coder_version)):
            yield from batch

    def _map(
        self, function: Callable[..., list[Result]], articles: Iterable[Article], extra: tuple[Any, ...]
    ) -> Iterator[list[Result]]:
        owned = self._client is None
        if owned:
            self.start()
        client = self._client
        threads = max(1, sum(client.nthreads().values()))
        window = 2 * threads
        pending: deque[Any] = deque()
        try:
            for batch in balanced_batches(articles, self.batch_size, threads):
                pending.append(client.submit(function, batch, self.setup, *extra, pure=False))
                if len(pending) >= window:
                    yield _result(pending.popleft())
            while pending:
                yield _result(pending.popleft())
        finally:
            client.cancel(list(pending))
            if owned:
                self.close()


def _result(future: Any) -> Any:
    try:
        return future.result()
    except (KeyboardInterrupt, FlashpointError):
        raise
    except Exception as error:  # noqa: BLE001 - a lost worker or task: name the batch, keep what is stored
        raise FlashpointError(Errors.E504, detail=f"{type(error).__name__}: {error}") from error


# -- on the workers ----------------------------------------------------------------------------------------------

_LOCK = threading.Lock()
_PIPELINES: dict[_Config, Pipeline] = {}
_STORES: dict[str, Store] = {}


def _worker_pipeline(setup: _Config) -> Pipeline:
    """The worker process's pipeline for these stages and options, built on first use."""
    with _LOCK:
        if setup not in _PIPELINES:
            stages, config = setup
            _PIPELINES[setup] = Pipeline(stages or None, **dict(config))
            tune_gc()
        return _PIPELINES[setup]


def _warm(setup: _Config) -> None:
    """Build the pipeline and code the bundled sample once, so that what the stages load on first use (the
    actor matchers of post authors, caches) is loaded at the engine's start rather than in a timed batch."""
    from ..samples import sample_articles

    _worker_pipeline(setup)._run_batch(sample_articles()[:1])


def _code_batch(batch: list[Article], setup: _Config) -> list[Article]:
    done = _worker_pipeline(setup)._run_batch(batch)
    for article in done:
        article.doc, article.statement_docs = None, []
    return done


def _code_and_store_batch(
    batch: list[Article], setup: _Config, store_url: str, coder_version: str | None
) -> list[tuple[Article, AddResult]]:
    from ..ingest import store_article

    with _LOCK:
        store = _STORES.get(store_url) or _STORES.setdefault(store_url, open_store(store_url))
    return [(article, store_article(article, store, coder_version=coder_version))
            for article in _code_batch(batch, setup)]
