"""Every kind of bad input, in a batch between two good articles: the good ones come out coded, the bad one
is stored as an error record with a stable code that names it, and nothing read is lost (issue 8)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bad_inputs import GOOD, GOOD_OTHER, KINDS, Kind

from flashpoint.ingest import IngestReport, ingest_each
from flashpoint.pipeline import Pipeline
from flashpoint.sources import read_paths
from flashpoint.store import open_store


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    from flashpoint.api import default_pipeline

    return default_pipeline()


@pytest.mark.parametrize("kind", KINDS, ids=[kind.name for kind in KINDS])
def test_bad_input_is_named_and_the_batch_goes_on(kind: Kind, tmp_path: Path, pipeline: Pipeline) -> None:
    (tmp_path / "before.txt").write_text(GOOD)
    kind.write(tmp_path / kind.file)
    (tmp_path / "after.txt").write_text(GOOD_OTHER)
    paths = [tmp_path / "before.txt", tmp_path / kind.file, tmp_path / "after.txt"]
    report = IngestReport()
    with open_store(tmp_path / "events.db") as store:
        articles = list(ingest_each(read_paths(paths), store, report=report,
                                    pipeline=pipeline))
        stored = {article.id: store.get_article(article.id) for article in articles}
    assert report.read == len(articles) == 3 + kind.good_inside
    assert all(stored.values()), "an article read was not stored"  # lost: 0
    good = [stored[article.id] for article in articles[:-2] + articles[-1:]]
    assert all(article is not None and article.ok and article.events for article in good)
    bad = stored[articles[-2].id]
    assert bad is not None
    if kind.code is None:
        assert bad.ok and report.stored == len(articles) and report.errored == 0
        return
    assert report.stored == len(articles) - 1 and report.errored == 1
    assert [error["code"] for error in bad.errors] == [kind.code]
    assert kind.file in bad.errors[0]["message"]
