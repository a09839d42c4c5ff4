from __future__ import annotations

import pytest

from flashpoint import Article, FlashpointError, Pipeline
from flashpoint.pipeline import balanced_batches
from flashpoint.registrations import STAGES, stage_factory
from flashpoint.sources import read_text


def _articles() -> list[Article]:
    good = [read_text(f"Iran and Pakistan held talks on day {n}.", id=f"a{n}") for n in range(5)]
    broken = Article(id="broken", errors=[{"code": "E102", "message": "broken: empty"}])
    return good[:2] + [broken] + good[2:]


def test_pipeline_keeps_input_order_and_skips_failed_articles() -> None:
    pipeline = Pipeline(("clean", "parse"))
    done = list(pipeline.pipe(_articles(), batch_size=2))
    assert [a.id for a in done] == ["a0", "a1", "broken", "a2", "a3", "a4"]
    assert done[2].doc is None and done[2].errors[0]["code"] == "E102"
    assert all(a.doc is not None and len(a.doc) > 3 for a in done if a.ok)


def test_pipeline_stage_failure_is_recorded_on_that_article_only() -> None:
    pipeline = Pipeline(("clean", "parse"))
    articles = _articles()
    articles[0].raw = ""  # nothing to clean: the cleaner refuses it
    done = list(pipeline.pipe(articles))
    assert not done[0].ok and done[0].errors[0]["code"].startswith("E")
    assert done[1].ok and done[1].text.startswith("Iran and Pakistan")


def test_pipeline_processes_give_the_same_results_as_one_process() -> None:
    pipeline = Pipeline(("clean", "parse"))
    single = [a.text for a in pipeline.pipe(_articles())]
    multi = list(pipeline.pipe(_articles(), n_process=2, batch_size=2))
    assert [a.text for a in multi] == single
    assert all(a.doc is None for a in multi)  # parses stay in the worker


@pytest.mark.parametrize("count", [0, 1, 5, 16, 40, 200, 203])
@pytest.mark.parametrize("workers", [1, 2, 8])
def test_balanced_batches_keep_order_and_shrink_only_at_the_end(count: int, workers: int) -> None:
    batches = list(balanced_batches(iter(range(count)), 16, workers))
    assert [item for batch in batches for item in batch] == list(range(count))
    sizes = [len(batch) for batch in batches]
    assert all(1 <= size <= 16 for size in sizes)
    assert sizes == sorted(sizes, reverse=True)  # full batches first, then smaller and smaller ones
    tail = [size for size in sizes if size < 16]
    assert all(size >= 4 for size in tail[:-1])  # no batch under a quarter of the size but the very last
    if count >= 3 * 16 * workers:  # a long run: the last round is small whatever the remainder
        assert max(sizes[-workers:]) <= 16 // 2


def test_pipeline_unknown_stage_names_the_known_ones() -> None:
    with pytest.raises(FlashpointError) as caught:
        Pipeline(("clean", "tokenise"))
    assert caught.value.code == "E202"
    assert "tokenise" in caught.value.message and "parse" in caught.value.message


@pytest.mark.parametrize("name", sorted(STAGES))
def test_registrations_every_stage_is_importable(name: str) -> None:
    assert callable(stage_factory(name))
