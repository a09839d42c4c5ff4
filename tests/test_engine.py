"""The execution engines: the Dask engine (a real local cluster of 2 worker processes) stores what the
in-process engine stores, never recodes what is stored, and goes on where an interrupted run stopped."""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from flashpoint.cli import main
from flashpoint.engines import DaskEngine, Engine, InProcessEngine, StoringEngine, make_engine
from flashpoint.errors import FlashpointError
from flashpoint.ingest import IngestReport, ingest
from flashpoint.model import Article
from flashpoint.sources import read_text
from flashpoint.store import AddResult, EventQuery, Store, open_store

WIRE = (
    "Iran launched missile strikes against militants in Pakistan's Balochistan province on Tuesday, Pakistani "
    "officials said. Islamabad condemned the attack as a violation of its airspace."
)


def _articles(sample: str) -> list[Article]:
    """Six articles from the sample's lines, a copy of the first, the wire and an unreadable one."""
    lines, rng = sample.splitlines(), random.Random(3)
    texts = [sample] + ["\n".join(rng.sample(lines, len(lines))) for _ in range(5)]
    texts += [sample + "\nShare this story.", WIRE]
    articles = [read_text(text, id=f"a{number}", published="2024-01-19") for number, text in enumerate(texts)]
    return [*articles, Article(id="a8", errors=[{"code": "E102", "message": "a8: the input is empty"}])]


class Recording:
    """An engine that notes the ids of the articles it is given to code, then lets `engine` code them."""

    def __init__(self, engine: DaskEngine) -> None:
        self.engine, self.stores, self.coded = engine, engine.stores, list[str]()

    def run(self, articles: Iterable[Article]) -> Iterator[Article]:
        return self.engine.run(self._note(articles))

    def run_and_store(
        self, articles: Iterable[Article], *, coder_version: str | None = None
    ) -> Iterator[tuple[Article, AddResult]]:
        return self.engine.run_and_store(self._note(articles), coder_version=coder_version)

    def _note(self, articles: Iterable[Article]) -> Iterator[Article]:
        for article in articles:
            self.coded.append(article.id)
            yield article


@pytest.fixture(scope="module")
def cluster() -> Iterator[DaskEngine]:
    """A local Dask cluster of 2 worker processes with the models loaded, shared by the module's tests."""
    with DaskEngine(workers=2, batch_size=2) as engine:
        yield engine


def _stored(store: Store) -> list[tuple[object, ...]]:
    events = store.events(EventQuery(limit=1000, duplicates=True))
    return sorted((e.article_id, e.index, e.type, e.cameo, e.evidence.text, e.date, e.cluster_id,
                   tuple(a.name for a in e.source), tuple(a.name for a in e.target)) for e in events)


def _copies(store: Store) -> dict[str, str | None]:
    return {row.article_id: row.duplicate_of for row in store.dedup_rows()}


Outcome = tuple[IngestReport, list[tuple[object, ...]], dict[str, str | None]]


@pytest.fixture(scope="module")
def in_process(tmp_path_factory: pytest.TempPathFactory, sample: str) -> Outcome:
    """The in-process engine's report, stored events and duplicate marks for the articles."""
    with open_store(f"sqlite:///{tmp_path_factory.mktemp('inprocess') / 'store.db'}") as store:
        report = ingest(_articles(sample), store, engine=InProcessEngine())
        return report, _stored(store), _copies(store)


def test_engine_dask_stores_what_the_in_process_engine_stores(
    cluster: DaskEngine, in_process: Outcome, sample: str, tmp_path: Path
) -> None:
    with open_store(f"sqlite:///{tmp_path / 'store.db'}") as store:
        report = ingest(_articles(sample), store, engine=cluster)
        assert report == in_process[0] and report.stored == 8 and report.errored == 1
        assert _stored(store) == in_process[1] and len(in_process[1]) > 20
        assert _copies(store) == in_process[2] and in_process[2]["a6"] == "a0"  # the same duplicates


def test_engine_dask_resumes_without_recoding_what_is_stored(cluster: DaskEngine, sample: str, tmp_path: Path) -> None:
    articles = _articles(sample)
    with open_store(f"sqlite:///{tmp_path / 'store.db'}") as store:
        first = Recording(cluster)
        ingest(articles[:4], store, engine=first)  # stopped half way
        second = Recording(cluster)
        report = ingest(_articles(sample), store, engine=second)
        assert first.coded == ["a0", "a1", "a2", "a3"] and second.coded == ["a4", "a5", "a6", "a7", "a8"]
        assert report.duplicates == 4 and report.stored == 4 and report.errored == 1
        again = Recording(cluster)
        events = len(_stored(store))
        assert ingest(_articles(sample), store, engine=again).duplicates == 9  # idempotent: nothing coded
        assert again.coded == [] and len(_stored(store)) == events


def test_engine_dask_workers_store_in_postgres(
    cluster: DaskEngine, in_process: Outcome, sample: str, postgres_url: str
) -> None:
    engine = DaskEngine(client=cluster.client, store_url=postgres_url)  # the same workers, writing to PostgreSQL
    assert isinstance(engine, StoringEngine) and engine.stores
    with open_store(postgres_url) as store:
        recording = Recording(engine)
        assert ingest(_articles(sample), store, engine=recording) == in_process[0]
        assert _stored(store) == in_process[1] and _copies(store) == in_process[2]
        assert ingest(_articles(sample), store, engine=recording).duplicates == 9
        assert recording.coded == [f"a{number}" for number in range(9)]  # once each


def test_engine_dask_a_workers_error_reaches_the_client_whole(cluster: DaskEngine, sample: str) -> None:
    engine = DaskEngine(client=cluster.client, store_url="postgresql://nobody@127.0.0.1:9/none")  # no server
    with pytest.raises(FlashpointError) as caught:
        list(engine.run_and_store(_articles(sample)[:1]))
    assert caught.value.code == "E403" and "127.0.0.1" in caught.value.message


def test_engine_dask_refuses_a_scheduler_with_sqlite() -> None:
    with pytest.raises(FlashpointError) as caught:
        DaskEngine(scheduler="tcp://10.0.0.1:8786", store_url="sqlite:///events.db")
    assert caught.value.code == "E501" and "PostgreSQL" in caught.value.message
    assert DaskEngine(store_url="sqlite:///events.db").stores is False  # a local cluster: the client stores


def test_engine_make_engine_names_the_engines() -> None:
    engine: Engine = make_engine("inprocess", n_process=1)
    assert isinstance(engine, InProcessEngine)
    with pytest.raises(FlashpointError) as caught:
        make_engine("spark")
    assert caught.value.code == "E505" and "dask" in caught.value.message


def test_engine_cli_ingest_on_dask(sample: str, tmp_path: Path) -> None:
    path = tmp_path / "articles.jsonl"
    records = [{"id": "sample", "text": sample, "published": "2024-01-19"}, {"id": "wire", "text": WIRE}]
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    command = ["ingest", str(path), "--db", f"sqlite:///{tmp_path / 'events.db'}", "--engine", "dask"]
    result = CliRunner().invoke(main, [*command, "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "2 read: 2 stored" in result.output
    refused = CliRunner().invoke(main, [*command, "--scheduler", "tcp://127.0.0.1:9"])
    assert isinstance(refused.exception, FlashpointError) and refused.exception.code == "E501"
    assert CliRunner().invoke(main, [*command[:4], "--workers", "2"]).exit_code == 2  # --workers needs dask
