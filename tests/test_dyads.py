"""Dyad series (daily, ISO-weekly, directed or not) and escalation / de-escalation turning points."""

from __future__ import annotations

import importlib.util
import statistics
import sys
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest

from flashpoint import Actor, Article, Event, Evidence, FlashpointError, Modality
from flashpoint.dyads import (
    MIN_CONFIDENCE,
    PENALTY_FACTOR,
    DyadEvent,
    SeriesPoint,
    _pelt,
    _Signal,
    dyad_events,
    plot_series,
    series_from_events,
    turning_points,
)

# (quad class, PLOVER intensity, Goldstein value) of a few types, from flashpoint/data/events
ASSAULT = (4, -9.0, -10.0)
CONSULT = (1, 2.5, 1.0)
AGREE = (1, 2.5, 4.0)
ACCUSE = (3, -3.0, -2.0)
COOPERATE = (2, 9.5, 6.0)


def event(day: str, source: str, target: str, kind: tuple[int, float, float], **meta: str) -> DyadEvent:
    quad, intensity, goldstein = kind
    return DyadEvent(day, source, target, quad, intensity, goldstein, **meta)


@pytest.fixture
def crisis() -> list[DyadEvent]:
    """The sample article's week (shared/samples/pakistan-iran-2024-01-19.txt), as events of a store."""
    return [
        event("2024-01-16", "IRN", "PAK", ASSAULT, outlet="Dawn", cluster="iran-missile-strike"),
        event("2024-01-16", "IRN", "PAK", ASSAULT, outlet="Express Tribune", cluster="iran-missile-strike"),
        event("2024-01-17", "PAK", "IRN", ASSAULT, outlet="Express Tribune", cluster="pakistan-air-strikes"),
        event("2024-01-18", "IRN", "PAK", AGREE, outlet="IRNA", cluster="iran-good-neighbourly-ties"),
        event("2024-01-19", "PAK", "IRN", CONSULT, outlet="Express Tribune", cluster="fm-phone-call"),
        event("2024-01-19", "IRN", "PAK", CONSULT, outlet="Express Tribune", cluster="fm-phone-call"),
        event("2024-01-19", "PAK", "IRN", AGREE, outlet="Express Tribune", cluster="pakistan-commitment"),
    ]


def poisson_series(rng: np.random.Generator, rates: list[tuple[float, float]], start: str = "2023-01-02") -> list:
    """A daily dyad series from (conflict events, cooperation events) a day: ASSAULT/ACCUSE and CONSULT/COOPERATE."""
    events, first = [], date.fromisoformat(start)
    for offset, (conflict, cooperation) in enumerate(rates):
        day = (first + timedelta(days=offset)).isoformat()
        for i in range(rng.poisson(conflict)):
            kind = ASSAULT if i % 2 else ACCUSE
            events.append(event(day, "AAA", "BBB", kind, outlet="wire", cluster=f"{day}-conflict-{i}"))
        for i in range(rng.poisson(cooperation)):
            kind = COOPERATE if i % 2 else CONSULT
            events.append(event(day, "BBB", "AAA", kind, outlet="wire", cluster=f"{day}-cooperation-{i}"))
    last = (first + timedelta(days=len(rates) - 1)).isoformat()
    return series_from_events(events, "AAA", "BBB", since=start, until=last)


def bursty_series(rng: np.random.Generator, days: int, rates: tuple[float, float, float, float]) -> list:
    """A flat daily series whose news comes in bursts: each day's expected events of every quad class (CONSULT,
    COOPERATE, ACCUSE, ASSAULT a day) times one gamma draw of mean 1 and sd 1 for the day."""
    kinds, first, events = (CONSULT, COOPERATE, ACCUSE, ASSAULT), date(2023, 1, 2), []
    for offset in range(days):
        day, burst = (first + timedelta(days=offset)).isoformat(), rng.gamma(1.0)
        for kind, rate in zip(kinds, rates, strict=True):
            events += [
                event(day, "AAA", "BBB", kind, cluster=f"{day}-{kind[0]}-{i}") for i in range(rng.poisson(rate * burst))
            ]
    last = (first + timedelta(days=days - 1)).isoformat()
    return series_from_events(events, "AAA", "BBB", since=first.isoformat(), until=last)


def test_dyads_series_fills_empty_days_with_zeros() -> None:
    events = [event("2024-01-16", "IRN", "PAK", ASSAULT), event("2024-01-19", "PAK", "IRN", CONSULT)]
    points = series_from_events(events, "PAK", "IRN")
    assert [point.period for point in points] == ["2024-01-16", "2024-01-17", "2024-01-18", "2024-01-19"]
    assert [point.events for point in points] == [1, 0, 0, 1]
    assert points[1] == SeriesPoint(period="2024-01-17")
    bounded = series_from_events(events, "PAK", "IRN", since="2024-01-14", until="2024-01-17")
    assert [(point.period, point.events) for point in bounded] == [
        ("2024-01-14", 0),
        ("2024-01-15", 0),
        ("2024-01-16", 1),
        ("2024-01-17", 0),
    ]
    assert series_from_events(events, "PAK", "IND") == []
    assert len(series_from_events(events, "PAK", "IND", since="2024-01-01", until="2024-01-03")) == 3


def test_dyads_series_counts_quads_scores_sources_and_clusters(crisis: list[DyadEvent]) -> None:
    neutral = DyadEvent("2024-01-19", "PAK", "IRN", 0, None, None, outlet="Dawn")
    points = series_from_events([*crisis, neutral], "PAK", "IRN")
    first, last = points[0], points[-1]
    assert (first.events, first.quad, first.intensity, first.goldstein) == (2, {1: 0, 2: 0, 3: 0, 4: 2}, -18.0, -20.0)
    assert (first.sources, first.clusters) == (2, ["iran-missile-strike"])
    assert first.cluster_intensity == {"iran-missile-strike": -18.0}
    assert (last.events, last.quad, last.intensity, last.goldstein, last.sources) == (
        4,
        {1: 3, 2: 0, 3: 0, 4: 0},
        7.5,
        6.0,
        2,
    )
    assert last.clusters == ["fm-phone-call", "pakistan-commitment"]


def test_dyads_series_groups_iso_weeks_by_their_monday() -> None:
    days = ["2024-12-29", "2024-12-30", "2025-01-01", "2025-01-05", "2025-01-20"]  # Sun; Mon (ISO 2025-W01) ...
    events = [event(day, "AAA", "BBB", ACCUSE) for day in days]
    points = series_from_events(events, "AAA", "BBB", interval="week")
    assert [(point.period, point.events) for point in points] == [
        ("2024-12-23", 1),
        ("2024-12-30", 3),
        ("2025-01-06", 0),
        ("2025-01-13", 0),
        ("2025-01-20", 1),
    ]
    assert all(date.fromisoformat(point.period).weekday() == 0 for point in points)
    assert series_from_events(events, "AAA", "BBB", interval="week", since="2025-01-02")[0].period == "2024-12-30"


def test_dyads_series_directed_or_undirected(crisis: list[DyadEvent]) -> None:
    both = series_from_events(crisis, "PAK", "IRN")
    pakistan = series_from_events(crisis, "PAK", "IRN", directed=True)
    iran = series_from_events(crisis, "IRN", "PAK", directed=True)
    assert both == series_from_events(crisis, "IRN", "PAK")
    assert [point.events for point in both] == [2, 1, 1, 3]
    assert [point.events for point in pakistan] == [1, 0, 2]  # 17th to 19th: its first event is the 17th
    assert [point.events for point in iran] == [2, 0, 1, 1]
    assert sum(point.events for point in pakistan + iran) == sum(point.events for point in both)


def test_dyads_series_errors_name_the_input() -> None:
    events = [event("2024-01-16", "IRN", "PAK", ASSAULT)]
    with pytest.raises(FlashpointError) as error:
        series_from_events(events, "PAK", "IRN", interval="month")  # type: ignore[arg-type]
    assert error.value.code == "E430" and "'month'" in error.value.message
    with pytest.raises(FlashpointError, match="E431"):
        series_from_events(events, "PAK", "IRN", since="2024-02-01", until="2024-01-01")
    with pytest.raises(FlashpointError, match=r"E110.*since.*'yesterday'"):
        series_from_events(events, "PAK", "IRN", since="yesterday")
    with pytest.raises(FlashpointError, match=r"E110.*event x"):
        series_from_events([DyadEvent("16/01/2024", "IRN", "PAK", 4, cluster="x")], "PAK", "IRN")
    with pytest.raises(FlashpointError, match="E432"):
        series_from_events([DyadEvent("2024-01-16", "IRN", "PAK", 5)], "PAK", "IRN")
    with pytest.raises(FlashpointError, match="E433"):
        turning_points([], score="tone")  # type: ignore[arg-type]


def test_dyads_sample_strikes_then_talks_give_one_de_escalation(crisis: list[DyadEvent]) -> None:
    points = series_from_events(crisis, "PAK", "IRN")
    [point] = turning_points(points)
    assert (point.date, point.direction) == ("2024-01-18", "de-escalation")
    assert (point.before, point.after, point.magnitude) == (-13.5, 5.0, 18.5)
    assert point.clusters == ["fm-phone-call", "iran-good-neighbourly-ties", "pakistan-commitment"]
    assert point.confidence == pytest.approx(2 / 3, abs=1e-3)  # four days: 2 of their 6 splits are as clear
    assert turning_points(points, score="goldstein")[0].date == "2024-01-18"


def test_dyads_turning_points_read_store_series_with_gaps_and_no_cluster_scores() -> None:
    """A producer may leave out empty periods and per-cluster scores: gaps are empty periods, drivers unranked."""
    store = [
        SeriesPoint("2024-01-08", 3, {1: 0, 2: 0, 3: 1, 4: 2}, -21.0, -24.0, 2, ["a", "b"]),
        SeriesPoint("2024-01-15", 4, {1: 0, 2: 0, 3: 1, 4: 3}, -30.0, -33.0, 3, ["c"]),
        SeriesPoint("2024-01-22", 5, {1: 4, 2: 1, 3: 0, 4: 0}, 19.5, 22.0, 3, ["d", "e"]),
        SeriesPoint("2024-02-05", 3, {1: 3, 2: 0, 3: 0, 4: 0}, 7.5, 9.0, 1, ["f"]),
    ]
    [point] = turning_points(store)
    assert (point.date, point.direction) == ("2024-01-22", "de-escalation")
    assert point.before == pytest.approx(-25.5) and point.after == pytest.approx(9.0)  # the empty week a zero
    assert point.clusters == ["d", "e", "f"]


def test_dyads_turning_points_of_empty_flat_and_noiseless_series() -> None:
    assert turning_points([]) == []
    assert turning_points([SeriesPoint(f"2024-01-0{day}") for day in range(1, 8)]) == []
    steps = [SeriesPoint(f"2024-03-0{day}", 1, {1: 0, 2: 0, 3: 0, 4: 1}, -9.0) for day in range(1, 4)]
    steps += [SeriesPoint(f"2024-03-0{day}", 1, {1: 1, 2: 0, 3: 0, 4: 0}, 2.5) for day in range(4, 7)]
    [point] = turning_points(steps)
    assert (point.date, point.direction, point.magnitude, point.confidence) == (
        "2024-03-04",
        "de-escalation",
        11.5,
        0.9,
    )


def test_dyads_planted_escalation_is_found_on_its_day() -> None:
    rng = np.random.default_rng(7)
    points = poisson_series(rng, [(0.5, 3.0)] * 40 + [(4.0, 1.0)] * 20)
    [point] = turning_points(points)
    assert point.direction == "escalation"
    assert abs(date.fromisoformat(point.date) - date(2023, 2, 11)).days <= 2  # day 40
    assert point.confidence >= 0.99 and point.after < point.before
    assert point.clusters and all("conflict" in cluster for cluster in point.clusters)


@pytest.mark.parametrize("seed", range(10))
def test_dyads_planted_two_sd_shift_is_found_within_two_periods(seed: int) -> None:
    """Issue 5: a shift of the expected net score of 2 noise sd (12 a day to -11.4, sd about 11.7) on 30-day
    levels is found once, as an escalation, within 2 days of its start."""
    points = poisson_series(np.random.default_rng(seed), [(0.5, 2.5)] * 30 + [(2.4, 0.5)] * 30)
    [point] = turning_points(points)
    assert point.direction == "escalation"
    assert abs(date.fromisoformat(point.date) - date(2023, 2, 1)).days <= 2  # day 30


def test_dyads_more_events_with_the_same_net_score_is_no_turning_point() -> None:
    """Conflict and cooperation both four times as frequent: the mix and volume of events change, the expected
    score (0 a day) does not, and at most one series in ten reports it (the score's shift test, MIN_SHIFT)."""
    rates = [(1.0, 1.0)] * 60 + [(4.0, 4.0)] * 60
    found = [turning_points(poisson_series(np.random.default_rng(seed), rates)) for seed in range(10)]
    assert sum(len(points) for points in found) <= 1


@pytest.mark.parametrize("seed", range(6))
def test_dyads_no_false_point_on_a_flat_bursty_series(seed: int) -> None:
    """News comes in bursts that lift every quad class at once (a day's events vary with sd about their mean):
    the volume's dispersion absorbs them, the mix of classes stays multinomial, and no burst is a level."""
    assert turning_points(bursty_series(np.random.default_rng(seed), 120, (6.0, 2.0, 3.0, 1.0))) == []


def test_dyads_pelt_finds_the_least_penalised_segmentation() -> None:
    """The pruned, block-wise PELT gives the segmentation of an unpruned search over every start."""
    rng = np.random.default_rng(11)
    for _ in range(12):
        rates = [(rng.uniform(0, 3), rng.uniform(0, 3))] * int(rng.integers(4, 30))
        rates += [(rng.uniform(0, 3), rng.uniform(0, 3))] * int(rng.integers(4, 30))
        series = poisson_series(rng, rates)
        signal = _Signal.of(series, np.array([point.intensity for point in series]), score="intensity")
        for min_size, penalty in [(1, 3.0), (2, 3.0), (2, 10.0), (3, 6.0)]:
            assert _pelt(signal, min_size=min_size, penalty=penalty) == _unpruned(signal, min_size, penalty)


def _unpruned(signal: _Signal, min_size: int, penalty: float) -> list[int]:
    (tallies, scores), n = signal.sums(), len(signal)
    best, previous = [-penalty] + [np.inf] * n, [0] * (n + 1)
    for end in range(min_size, n + 1):
        starts = np.array([start for start in range(end - min_size + 1) if start == 0 or start >= min_size])
        segments = tallies[end] - tallies[starts], scores[end] - scores[starts], (end - starts).astype(float)
        totals = np.array(best)[starts] + signal.deviance(*segments)
        best[end], previous[end] = float(np.min(totals)) + penalty, int(starts[np.argmin(totals)])
    breaks = [previous[n]]
    while breaks[-1] > 0:
        breaks.append(previous[breaks[-1]])
    return sorted(breaks[:-1])


@pytest.mark.parametrize("seed", range(8))
def test_dyads_no_false_point_on_a_flat_noisy_series(seed: int) -> None:
    rng = np.random.default_rng(seed)
    sparse = poisson_series(rng, [(0.4, 0.6)] * 90)
    busy = poisson_series(rng, [(3.0, 5.0)] * 120)
    assert turning_points(sparse) == []
    assert turning_points(busy) == []


def test_dyads_plot_writes_a_png(tmp_path: Path, crisis: list[DyadEvent]) -> None:
    points = series_from_events(crisis, "PAK", "IRN")
    path = plot_series(points, turning_points(points), tmp_path / "pak-irn.png", "Pakistan - Iran, January 2024")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert path.stat().st_size > 5_000
    empty = plot_series([], [], tmp_path / "empty.png")
    assert empty.read_bytes()[:4] == b"\x89PNG"


def test_dyads_events_from_coded_articles() -> None:
    pakistan, iran = Actor("Pakistan", "Pakistan", country="PAK"), Actor("Iran", "Iran", country="IRN")
    evidence = Evidence("text", 0, 4)

    def coded(kind: str, quad: int, day: str, precision: str = "day", **modality: bool) -> Event:
        return Event(
            kind, None, None, "190", quad, -9.0, -10.0, evidence, source=[pakistan], target=[iran, pakistan],
            date=day, date_precision=precision, modality=Modality(**modality),
        )  # fmt: skip

    article = Article(id="tribune", source="Express Tribune")
    article.events = [
        coded("ASSAULT", 4, "2024-01-17"),
        coded("ASSAULT", 4, "2024-01-17", hypothetical=True),
        coded("ASSAULT", 4, "1980-01-01", historical=True),
        coded("ASSAULT", 4, "2024-01-01", precision="month"),
        coded("ASSAULT", 4, "2024-01-15", precision="week", reported=True),
    ]
    assert dyad_events([article]) == [
        DyadEvent("2024-01-17", "PAK", "IRN", 4, -9.0, -10.0, outlet="Express Tribune", cluster="tribune:0"),
        DyadEvent("2024-01-15", "PAK", "IRN", 4, -9.0, -10.0, outlet="Express Tribune", cluster="tribune:4"),
    ]
    article.source, article.url = None, "https://www.tribune.com.pk/story/2453760/pakistan-iran"
    assert dyad_events([article])[0].outlet == "tribune.com.pk"


@pytest.mark.slow
def test_dyads_eval_figures_stay_above_floors() -> None:
    """bench/eval_turning_points.py on 100 + 100 series of its reported seed, with the library's settings: the
    goal of issue 5, precision and recall at least 0.9 within 2 periods (here: day 1.000 / 0.955, week 0.933 /
    0.949)."""
    path = Path(__file__).resolve().parents[1] / "bench" / "eval_turning_points.py"
    spec = importlib.util.spec_from_file_location("eval_turning_points", path)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench  # dataclasses look their module up while the class is built
    spec.loader.exec_module(bench)
    settings = {"penalty_factor": PENALTY_FACTOR, "min_confidence": MIN_CONFIDENCE}
    tallies = bench.run(bench.dataset(2, 100), settings)
    for interval, tally in tallies.items():
        assert tally.precision >= 0.9 and tally.recall >= 0.9, (interval, tally.precision, tally.recall)
        assert statistics.mean(abs(delay) for delay in tally.delays) <= 1.0
