"""Dyad time series and escalation / de-escalation turning points.

`SeriesPoint` is the shape every producer of a series returns: the store (aggregating in SQL) and
`series_from_events` (in Python, for library users without a store). `turning_points` finds the periods
where a dyad's conflict-cooperation score shifts level, and `plot_series` draws a series with them.

    >>> events = dyad_events(articles)                        # coded Articles -> DyadEvents
    >>> points = series_from_events(events, "PAK", "IRN", interval="day")
    >>> for point in turning_points(points):
    ...     print(point.date, point.direction, point.confidence, point.clusters)

The series definition and the detection method are in docs/dyads.md.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache, cached_property
from pathlib import Path
from typing import Literal, get_args
from urllib.parse import urlsplit

import numpy as np

from .datafiles import read_tsv
from .errors import Errors, FlashpointError
from .model import Actor, Article
from .sources.detect import parse_date

__all__ = [
    "DyadEvent",
    "SeriesPoint",
    "TurningPoint",
    "dyad_events",
    "plot_series",
    "series_from_events",
    "turning_points",
]

Interval = Literal["day", "week"]
Score = Literal["intensity", "goldstein"]
INTERVALS: tuple[str, ...] = get_args(Interval)
SCORES: tuple[str, ...] = get_args(Score)
COOPERATION = (1, 2)
CONFLICT = (3, 4)
COLOURS = {"escalation": "#c62828", "de-escalation": "#2e7d32"}
# Dates the series can place: a day, or an ISO week (its Monday).
PLACEABLE_PRECISION = frozenset({"day", "week"})

# Detection settings, chosen on the tuning seed of bench/eval_turning_points.py (docs/dyads.md).
PENALTY_FACTOR = 5.5  # beta in the PELT penalty beta * ln(n), on the deviance scale
MIN_CONFIDENCE = 0.95  # a turning point the permutation test could confirm at this level but does not is dropped
PERMUTATIONS = 199  # random orders of the permutation test: p-values to 0.005, ample for a 0.95 decision
EXACT_ORDERS = 5040  # a stretch with at most this many orders (7 periods) is tested on all of them
SCORE_WEIGHT = 0.5  # of the standardised score (unit noise) beside the quad-class counts in the deviance
MIN_SHIFT = 2.0  # standard errors the score must move at a turning point (not just the volume or mix of events)
NOISE_WINDOW = 3  # periods either side over which event counts give a period's noise
VARIANCE_FLOOR = 0.25  # of the series' mean variance, for stretches with no events
PERMUTATION_CELLS = 2_000_000  # values the permutation test reorders at once (some 60 bytes of working memory each)
QUADS = (1, 2, 3, 4)
PELT_BLOCK = 32  # segment ends PELT weighs at once
DRIVER_PERIODS = 3  # drivers are read from the first periods of the new level


@dataclass(frozen=True)
class DyadEvent:
    """One coded event between two countries, with what a series needs to count it.

    `source` and `target` are the actors' country codes (ISO 3166-1 alpha-3, as `Actor.country`); `outlet` is
    the news source that reported it (`Article.source`); `cluster` identifies the real-world event when the
    same event is reported several times (events of one cluster are one happening).
    """

    date: str
    source: str
    target: str
    quad_class: int
    intensity: float | None = None
    goldstein: float | None = None
    outlet: str | None = None
    cluster: str | None = None


@dataclass
class SeriesPoint:
    """One period (a day "2024-01-16" or an ISO week's Monday "2024-01-15") of a dyad's activity.

    `events` counts event records (each report of an event, not deduplicated), `quad` the records of each quad
    class (neutral ones only in `events`); `intensity` and `goldstein` are their summed scores, `sources` the
    number of distinct outlets, `clusters` the distinct events behind the point. `cluster_intensity` is the
    summed PLOVER intensity of each cluster's records in the period; a producer that cannot tell leaves it
    empty, and turning points then take every cluster near the change as a driver.
    """

    period: str
    events: int = 0
    quad: dict[int, int] = field(default_factory=lambda: {1: 0, 2: 0, 3: 0, 4: 0})
    intensity: float = 0.0
    goldstein: float = 0.0
    sources: int = 0
    clusters: list[str] = field(default_factory=list)
    cluster_intensity: dict[str, float] = field(default_factory=dict)


@dataclass
class TurningPoint:
    """A shift of a dyad's conflict-cooperation level, dated to the first period of the new level.

    `before` and `after` are the mean score per period (summed PLOVER intensity, or Goldstein) of the
    stretches on either side, up to the neighbouring turning points; `magnitude` is `abs(after - before)`.
    `confidence` is one minus the p-value of a permutation test of the shift. `clusters` are the events that
    drove it: those in the first periods of the new level that push the score the way it moved, strongest first.
    """

    date: str
    direction: Literal["escalation", "de-escalation"]
    magnitude: float
    confidence: float
    before: float
    after: float
    clusters: list[str] = field(default_factory=list)


# -- events from coded articles ---------------------------------------------------------------------------


def dyad_events(articles: Iterable[Article]) -> list[DyadEvent]:
    """The asserted, dated, country-to-country events of coded articles, one per (source, target) country pair.

    Skipped: negated or hypothetical events (`is_event_assertion`), historical ones, events dated coarser than
    a week, and actors without a country. An event's cluster is "ARTICLE_ID:INDEX" (no deduplication across
    articles: the store's series name deduplication's clusters instead); its outlet is the article's `source`,
    else its URL's host (as `flashpoint.dedup` counts news sources).
    """
    # imported here: they load spaCy and datasketch, which a series from DyadEvents does not need
    from .dedup import canonical_url
    from .events.modality import is_event_assertion

    found = []
    for article in articles:
        address = canonical_url(article.url)
        outlet = article.source or (urlsplit(address).hostname if address else None)
        for index, event in enumerate(article.events):
            day = event.date if event.date_precision in PLACEABLE_PRECISION else None
            if not day or event.modality.historical or not is_event_assertion(event.modality):
                continue
            found += [
                DyadEvent(
                    date=day,
                    source=source,
                    target=target,
                    quad_class=event.quad_class,
                    intensity=event.intensity,
                    goldstein=event.goldstein,
                    outlet=outlet,
                    cluster=f"{article.id}:{index}",
                )
                for source, target in _country_pairs(event.source, event.target)
            ]
    return found


def _country_pairs(sources: Sequence[Actor], targets: Sequence[Actor]) -> list[tuple[str, str]]:
    """Every (source country, target country) pair of an event, a country never paired with itself."""
    targeted = _countries(targets)
    return [(source, target) for source in _countries(sources) for target in targeted if source != target]


def _countries(actors: Sequence[Actor]) -> list[str]:
    return sorted({actor.country for actor in actors if actor.country})


# -- series ---------------------------------------------------------------------------------------------------


def series_from_events(
    events_with_meta: Iterable[DyadEvent],
    a: str,
    b: str,
    *,
    interval: Interval = "day",
    directed: bool = False,
    since: str | None = None,
    until: str | None = None,
) -> list[SeriesPoint]:
    """The dyad's series: one point per day or ISO week from `since` to `until`, empty periods as zeros.

    Directed, only events from `a` to `b`; undirected, both ways. `since` and `until` (YYYY-MM-DD, inclusive)
    bound the events' dates; either left out, the series starts or ends with the dyad's first or last event
    (no events and no bounds: an empty list). Raises E430 for an unknown interval, E110 for a bad date,
    E431 when `since` is after `until`, E432 for a quad class outside 0-4.
    """
    _check_choice(interval, INTERVALS, Errors.E430)
    first, last = _day(since, "since"), _day(until, "until")
    if first and last and first > last:
        raise FlashpointError(Errors.E431, since=since, until=until)
    by_period: dict[date, list[DyadEvent]] = defaultdict(list)
    for event in events_with_meta:
        if not _in_dyad(event, a, b, directed=directed):
            continue
        day = _event_day(event)
        if (first is None or day >= first) and (last is None or day <= last):
            by_period[_period(day, interval)].append(event)
    if not by_period and not (first and last):
        return []
    start = _period(first, interval) if first else min(by_period)
    end = _period(last, interval) if last else max(by_period)
    return [_point(period, by_period.get(period, [])) for period in _periods(start, end, interval)]


def _check_choice(value: str, known: tuple[str, ...], error: Errors) -> None:
    if value not in known:
        raise FlashpointError(error, value=value, known=", ".join(known))


def _day(value: str | None, name: str) -> date | None:
    text = parse_date(value, name=name)
    return date.fromisoformat(text) if text else None


def _event_day(event: DyadEvent) -> date:
    day = _day(event.date, _name(event))
    if day is None:
        raise FlashpointError(Errors.E110, input=_name(event), value=event.date)
    return day


def _name(event: DyadEvent) -> str:
    return f"event {event.cluster or event}"


def _in_dyad(event: DyadEvent, a: str, b: str, *, directed: bool) -> bool:
    forward = event.source == a and event.target == b
    return forward or (not directed and event.source == b and event.target == a)


def _period(day: date, interval: str) -> date:
    return day - timedelta(days=day.weekday()) if interval == "week" else day


def _periods(start: date, end: date, interval: str) -> Iterator[date]:
    step = timedelta(days=7 if interval == "week" else 1)
    period = start
    while period <= end:
        yield period
        period += step


def _point(period: date, events: list[DyadEvent]) -> SeriesPoint:
    """One period's counts and sums; an event without a score adds nothing to that sum."""
    point = SeriesPoint(period=period.isoformat(), events=len(events))
    for event in events:
        if event.quad_class not in range(5):
            raise FlashpointError(Errors.E432, input=_name(event), value=event.quad_class)
        if event.quad_class:
            point.quad[event.quad_class] += 1
        intensity = event.intensity or 0.0
        point.intensity += intensity
        point.goldstein += event.goldstein or 0.0
        if event.cluster is not None:
            point.cluster_intensity[event.cluster] = point.cluster_intensity.get(event.cluster, 0.0) + intensity
    point.sources = len({event.outlet for event in events if event.outlet})
    point.clusters = sorted(point.cluster_intensity)
    return point


# -- turning points -------------------------------------------------------------------------------------------


def turning_points(
    points: Sequence[SeriesPoint],
    *,
    score: Score = "intensity",
    min_size: int = 2,
    penalty_factor: float = PENALTY_FACTOR,
    min_confidence: float = MIN_CONFIDENCE,
    permutations: int = PERMUTATIONS,
    seed: int = 0,
    max_drivers: int = 10,
) -> list[TurningPoint]:
    """Escalations and de-escalations: the changes of level of the series' net score, in order.

    The score of a period is its summed PLOVER intensity (`score="goldstein"`: summed Goldstein values);
    conflict pulls it down. Changes are found by PELT over what the score is made of: the events of each quad
    class, read as their mix (multinomial) and their volume (Poisson), each with its own dispersion, beside the
    score over its local noise sd; the penalty is `penalty_factor * ln(n)` on the deviance scale. Each change is
    tested by reordering the periods between its neighbours at random (`permutations` times, seeded), and
    dropped under `min_confidence` or where the score moves less than `MIN_SHIFT` standard errors. Each level
    lasts at least `min_size` periods. Gaps between the points' periods count as empty periods. Raises E433 for
    an unknown score.
    """
    _check_choice(score, SCORES, Errors.E433)
    series = _filled(points)
    raw = np.array([getattr(point, score) for point in series], dtype=float)
    signal = _Signal.of(series, raw, score=score)
    signal, breaks = _segment(signal, min_size=min_size, penalty_factor=penalty_factor)
    test = _PermutationTest(min_size=min_size, permutations=permutations, rng=np.random.default_rng(seed))
    found = []
    for bounds, confidence in _confirmed(signal, breaks, test=test, min_confidence=min_confidence):
        found += _turning_point(series, raw, bounds, confidence, max_drivers=max_drivers)
    return found


def _standardised(raw: np.ndarray, series: list[SeriesPoint], *, score: str) -> np.ndarray:
    """The score over its local noise sd, so that a busy stretch does not drown a quiet one.

    A period's score is a sum over a Poisson number of events: its variance is the sum over quad classes of
    (events of the class) * (mean squared score of one event of the class). The counts are averaged over
    `NOISE_WINDOW` periods either side and floored at `VARIANCE_FLOOR` times the series' mean.
    """
    squares = _quad_squares(score)
    variance = np.array([sum(point.quad.get(quad, 0) * squares[quad] for quad in squares) for point in series])
    floor = VARIANCE_FLOOR * float(np.mean(variance)) if len(variance) else 0.0
    if floor <= 0:  # no classed events: nothing to weigh by
        return raw
    return raw / np.sqrt(np.maximum(_moving_mean(variance, NOISE_WINDOW), floor))


@cache
def _quad_squares(score: str) -> dict[int, float]:
    """The mean squared score of one event of each quad class: over the PLOVER types for intensity (plover.tsv),
    over the CAMEO codes for Goldstein values (cameo.tsv)."""
    table, column = ("events/plover.tsv", "intensity") if score == "intensity" else ("events/cameo.tsv", "goldstein")
    squares: dict[int, list[float]] = defaultdict(list)
    for row in read_tsv(table):
        if int(row["quad_class"]):
            squares[int(row["quad_class"])].append(float(row[column]) ** 2)
    return {quad: float(np.mean(values)) for quad, values in sorted(squares.items())}


def _moving_mean(values: np.ndarray, half: int) -> np.ndarray:
    """The mean of each value and its `half` neighbours on either side (fewer at the ends)."""
    sums = np.concatenate(([0.0], np.cumsum(values)))
    index = np.arange(len(values))
    low, high = np.maximum(index - half, 0), np.minimum(index + half + 1, len(values))
    return (sums[high] - sums[low]) / (high - low)


def _filled(points: Sequence[SeriesPoint]) -> list[SeriesPoint]:
    """The points in order, with an empty point for each missing day (or week, when all periods are Mondays)."""
    by_day = {date.fromisoformat(point.period): point for point in points}
    if not by_day:
        return []
    weekly = all(day.weekday() == 0 for day in by_day) and len(by_day) > 1 and _spaced_by_weeks(sorted(by_day))
    periods = _periods(min(by_day), max(by_day), "week" if weekly else "day")
    return [by_day.get(period) or SeriesPoint(period=period.isoformat()) for period in periods]


def _spaced_by_weeks(days: list[date]) -> bool:
    return all((later - earlier).days % 7 == 0 for earlier, later in itertools.pairwise(days))


def _noise(values: np.ndarray, breaks: Sequence[int] = ()) -> np.ndarray:
    """The noise variance of each column from the period-to-period differences, leaving out those across
    `breaks` (von Neumann).

    Half the mean squared difference is the variance of independent noise, whatever its shape (sparse series
    are mostly zeros, where a median would say no noise at all); a change of level adds only its one jump.
    """
    diffs = np.delete(np.diff(values, axis=0), [at - 1 for at in breaks], axis=0)
    return np.mean(diffs**2, axis=0) / 2 if len(diffs) else np.zeros(values.shape[1:])


@dataclass(frozen=True)
class _Signal:
    """What the detector reads of a series: the event counts of each quad class that has events, read as their
    mix (multinomial given the period's events) and their volume (the period's events, Poisson), each with a
    dispersion (at least 1: quasi-likelihood), and the standardised score over its own noise sd (unit noise)."""

    counts: np.ndarray
    dispersion: tuple[float, float]  # of the mix, of the volume
    score: np.ndarray

    @classmethod
    def of(cls, series: list[SeriesPoint], raw: np.ndarray, *, score: str) -> _Signal:
        counts = np.array([[point.quad.get(quad, 0) for quad in QUADS] for point in series], dtype=np.int64)
        counts = counts.reshape(len(series), len(QUADS))
        standardised = _standardised(raw, series, score=score)
        return cls(counts[:, counts.sum(axis=0) > 0], (1.0, 1.0), standardised).rescaled()

    def rescaled(self, breaks: Sequence[int] = ()) -> _Signal:
        """The dispersions and the score's scale estimated again, leaving out the jumps at `breaks`; a scale
        estimated as zero (a series flat apart from them) is kept as it was."""
        sd = float(np.sqrt(_noise(self.score, breaks)))
        dispersion = (_mix_dispersion(self.counts, breaks), _volume_dispersion(self.counts.sum(axis=1), breaks))
        return _Signal(self.counts, dispersion, self.score / sd if sd > 0 else self.score)

    def __len__(self) -> int:
        return len(self.score)

    @property
    def empty(self) -> bool:
        return not self.counts.shape[1] and not np.any(self.score)

    def window(self, low: int, high: int) -> _Signal:
        return _Signal(self.counts[low:high], self.dispersion, self.score[low:high])

    def shift(self, low: int, at: int, high: int) -> float:
        """The score's shift at `at` between the levels on either side, in standard errors."""
        difference = abs(float(np.mean(self.score[at:high]) - np.mean(self.score[low:at])))
        return difference / math.sqrt(1 / (at - low) + 1 / (high - at))

    def sums(self) -> tuple[np.ndarray, np.ndarray]:
        """Running sums from 0 (one row more than periods): of the tallies (whole numbers), and of the score."""
        tallies = np.cumsum(self.tallies, axis=0)
        return np.concatenate([np.zeros_like(tallies[:1]), tallies]), np.concatenate([[0.0], np.cumsum(self.score)])

    def deviance(self, tallies: np.ndarray, scores: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """-2 log-likelihood of segments at their fitted levels, from their summed tallies and score and their
        lengths, less the terms that add up to the same over any segmentation: mix and volume over their
        dispersions, the score weighted by `SCORE_WEIGHT`. With both dispersions 1, mix and volume are
        independent Poisson counts of each class."""
        return -self._fit(tallies, scores, lengths)

    def scan(self, orders: np.ndarray | None, min_size: int) -> np.ndarray:
        """The largest fall of deviance from one level to two over the split positions (as PELT weighs a change),
        for the stretch in each of `orders` (None: as it is)."""
        tallies, score = (self.tallies, self.score) if orders is None else (self.tallies[orders], self.score[orders])
        tallies, score = tallies.reshape(-1, *self.tallies.shape), score.reshape(-1, len(self))
        n = len(self)
        k = np.arange(min_size, n - min_size + 1)
        total, total_score = self.tallies.sum(axis=0), float(self.score.sum())
        splits = slice(min_size - 1, n - min_size)  # the sums up to each split, k - 1
        left, scores = np.cumsum(tallies, axis=1, dtype=np.int32)[:, splits], np.cumsum(score, axis=1)[:, splits]
        before, after = self._fit(left, scores, k), self._fit(total - left, total_score - scores, n - k)
        return np.max(before + after - self._fit(total, np.array(total_score), np.array(n)), axis=1)

    @cached_property
    def tallies(self) -> np.ndarray:
        """The counts of each class, then the events, of each period."""
        return np.column_stack([self.counts, self.counts.sum(axis=1)]).astype(np.int32)

    @cached_property
    def _xlogx_table(self) -> np.ndarray:
        """x log x of the whole numbers up to the events of the series, read by index."""
        return _xlogx(np.arange(int(self.counts.sum()) + 1))

    def _fit(self, tallies: np.ndarray, scores: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """Twice the log-likelihood terms of segments, from their summed tallies and score and their lengths."""
        mix, volume = (2 / value for value in self.dispersion)
        xlogx = np.take(self._xlogx_table, tallies)
        events, own = tallies[..., -1], xlogx[..., -1]
        classes = xlogx.sum(axis=-1) - own
        return mix * (classes - own) + volume * (own - events * np.log(lengths)) + SCORE_WEIGHT**2 * scores**2 / lengths


def _xlogx(values: np.ndarray) -> np.ndarray:
    return values * np.log(np.maximum(values, 1))


def _volume_dispersion(events: np.ndarray, breaks: Sequence[int]) -> float:
    """The variance of the events of a period over their mean (von Neumann variance), at least 1."""
    mean = float(np.mean(events)) if len(events) else 0.0
    return max(float(_noise(events.astype(float), breaks)) / mean, 1.0) if mean > 0 else 1.0


def _mix_dispersion(counts: np.ndarray, breaks: Sequence[int]) -> float:
    """How much more the classes' shares vary from one period to the next than multinomial draws would, at
    least 1: the squared differences of each class's share between neighbouring periods with events (not
    across `breaks`) over their multinomial variance, share * (1 - share) * (1 / events + 1 / next events)."""
    events = counts.sum(axis=1)
    if counts.shape[1] < 2:
        return 1.0
    pairs = np.delete(np.arange(len(events) - 1), [at - 1 for at in breaks])
    pairs = pairs[(events[pairs] > 0) & (events[pairs + 1] > 0)]
    if not len(pairs):
        return 1.0
    shares = counts / np.maximum(events, 1)[:, None]
    overall = counts.sum(axis=0) / counts.sum()
    expected = np.outer(1 / events[pairs] + 1 / events[pairs + 1], overall * (1 - overall))
    return max(float(np.sum((shares[pairs + 1] - shares[pairs]) ** 2) / np.sum(expected)), 1.0)


def _segment(signal: _Signal, *, min_size: int, penalty_factor: float) -> tuple[_Signal, list[int]]:
    """PELT's change positions (each the first index of a new level), with the penalty `penalty_factor * ln n`
    on the deviance scale, and the signal they were found on.

    The dispersions and the score's noise are estimated twice: from all differences, then without the jumps
    at the first pass's changes.
    """
    if signal.empty:
        return signal, []
    breaks = _pelt(signal, min_size=min_size, penalty=penalty_factor * math.log(max(len(signal), 2)))
    if not breaks:
        return signal, []
    signal = signal.rescaled(breaks)
    return signal, _pelt(signal, min_size=min_size, penalty=penalty_factor * math.log(len(signal)))


def _pelt(signal: _Signal, *, min_size: int, penalty: float) -> list[int]:
    """The segmentation of least deviance plus `penalty` per change, levels at least `min_size` long: PELT
    (Killick et al. 2012), taking `PELT_BLOCK` segment ends at once over the candidate starts.

    ruptures' Pelt calls a Python cost for every candidate segment (about a second on two years of days);
    its compiled one (KernelCPD) has least-squares costs only.
    """
    n = len(signal)
    if n < 2 * min_size or penalty <= 0:
        return []
    tallies, scores = signal.sums()
    best = np.full(n + 1, np.inf)
    best[0] = -penalty
    previous = np.zeros(n + 1, dtype=int)
    starts = np.zeros(1, dtype=int)
    for first in range(min_size, n + 1, PELT_BLOCK):
        ends = np.arange(first, min(first + PELT_BLOCK, n + 1))
        new = np.arange(max(first, 2 * min_size) - min_size, ends[-1] - min_size + 1)
        starts = np.concatenate([starts, new])
        lengths = (ends[None, :] - starts[:, None]).astype(float)
        segments = (tallies[ends][None] - tallies[starts][:, None], scores[ends][None] - scores[starts][:, None])
        costs = signal.deviance(*segments, np.maximum(lengths, 1.0))
        costs[lengths < min_size] = np.inf
        for column, last in enumerate(ends):
            totals = best[starts] + costs[:, column]
            best[last] = float(np.min(totals)) + penalty
            previous[last] = starts[np.argmin(totals)]
        kept = _kept(best[starts][:, None] + costs, best[ends], ends, next_end=int(ends[-1]) + 1, min_size=min_size)
        starts = starts[kept]
    breaks = [int(previous[n])]
    while breaks[-1] > 0:
        breaks.append(int(previous[breaks[-1]]))
    return breaks[-2::-1]


def _kept(totals: np.ndarray, best: np.ndarray, ends: np.ndarray, *, next_end: int, min_size: int) -> np.ndarray:
    """PELT's pruning: a start that did worse at some end than that end itself can begin no segment ending there
    or later, once that end can begin one (`min_size` periods on). The starts that may still begin one."""
    worse = np.isfinite(totals) & (totals > best[None, :])  # infinite: a segment shorter than min_size
    first_worse = np.where(worse.any(axis=1), ends[np.argmax(worse, axis=1)], next_end)
    return first_worse > next_end - min_size


@dataclass
class _PermutationTest:
    """How often reordering a stretch's periods at random gives as large a change: the p-value of a break,
    scanned over every split of the stretch like PELT. Each stretch is tested once."""

    min_size: int
    permutations: int
    rng: np.random.Generator
    done: dict[tuple[int, int], float] = field(default_factory=dict)

    def confidence(self, signal: _Signal, low: int, high: int) -> float:
        if (low, high) not in self.done:
            self.done[low, high] = 1.0 - self.p_value(signal.window(low, high))
        return self.done[low, high]

    def p_value(self, window: _Signal) -> float:
        """Exact over every order when there are at most `permutations` of them (or `EXACT_ORDERS`), else from
        random orders (in batches, to bound the memory a long stretch takes)."""
        n = len(window)
        observed = float(window.scan(None, self.min_size)[0]) * (1 - 1e-9)
        if math.factorial(n) <= max(self.permutations, EXACT_ORDERS):
            orders = np.array(list(itertools.permutations(range(n))))
            return float(np.mean(window.scan(orders, self.min_size) >= observed))
        batch = max(1, PERMUTATION_CELLS // (n * (window.counts.shape[1] + 1)))
        larger = 0
        for done in range(0, self.permutations, batch):
            orders = self.rng.permuted(np.tile(np.arange(n), (min(batch, self.permutations - done), 1)), axis=1)
            larger += int(np.sum(window.scan(orders, self.min_size) >= observed))
        return (1 + larger) / (self.permutations + 1)

    def can_reach(self, n: int, confidence: float) -> bool:
        """Whether n periods are enough for the test to give `confidence`: its smallest p-value is 2 / C(n, k)."""
        splits = range(self.min_size, n - self.min_size + 1)
        return any(1.0 - 2 / math.comb(n, k) >= confidence for k in splits)


def _confirmed(
    signal: _Signal, breaks: list[int], *, test: _PermutationTest, min_confidence: float
) -> list[tuple[tuple[int, int, int], float]]:
    """The breaks as (start of the stretch before, break, end of the stretch after) with their confidence.

    Each break is tested on the stretch between its neighbours; one whose score moves less than `MIN_SHIFT`
    standard errors, or under `min_confidence`, is weak. The weakest (no score shift first, then the least
    confident) is dropped and its neighbours tested again, until none is weak. A series too short for the test
    ever to reach `min_confidence` keeps PELT's breaks that move the score: their confidences then only say
    how far so few periods go.
    """
    breaks = list(breaks)
    decides = test.can_reach(len(signal), min_confidence)
    while True:
        bounds = [0, *breaks, len(signal)]
        triples = list(zip(bounds, bounds[1:-1], bounds[2:], strict=False))
        confidences = [test.confidence(signal, low, high) for low, _, high in triples]
        moved = [signal.shift(*triple) >= MIN_SHIFT for triple in triples]
        weak = [i for i in range(len(breaks)) if not moved[i] or (decides and confidences[i] < min_confidence)]
        if not weak:
            return list(zip(triples, confidences, strict=True))
        del breaks[min(weak, key=lambda i: (moved[i], confidences[i]))]


def _turning_point(
    series: list[SeriesPoint], raw: np.ndarray, bounds: tuple[int, int, int], confidence: float, *, max_drivers: int
) -> list[TurningPoint]:
    low, at, high = bounds
    before, after = float(np.mean(raw[low:at])), float(np.mean(raw[at:high]))
    if before == after:
        return []
    direction: Literal["escalation", "de-escalation"] = "escalation" if after < before else "de-escalation"
    drivers = _drivers(series[at : min(high, at + DRIVER_PERIODS)], sign=-1.0 if after < before else 1.0)
    return [
        TurningPoint(
            date=series[at].period,
            direction=direction,
            magnitude=abs(after - before),
            confidence=round(confidence, 3),
            before=before,
            after=after,
            clusters=drivers[:max_drivers],
        )
    ]


def _drivers(points: list[SeriesPoint], *, sign: float) -> list[str]:
    """The clusters that pushed the score the way it moved, strongest first (all clusters when unscored)."""
    pushes: dict[str, float] = {}
    for point in points:
        if not point.cluster_intensity:
            pushes.update({cluster: 0.0 for cluster in point.clusters if cluster not in pushes})
        for cluster, value in point.cluster_intensity.items():
            if value * sign > 0:
                pushes[cluster] = pushes.get(cluster, 0.0) + value * sign
    return sorted(pushes, key=lambda cluster: -pushes[cluster])


# -- plot -------------------------------------------------------------------------------------------------------


def plot_series(
    points: Sequence[SeriesPoint], turning_points: Sequence[TurningPoint], path: str | Path, title: str = ""
) -> Path:
    """Draw the series to a PNG: cooperative events up, conflictual events down, the summed intensity as a line
    (zero level with the bars' zero), and each turning point as a dashed line at the start of its period (red
    escalation, green de-escalation) with its confidence."""
    # imported here: matplotlib is slow to load; the Agg canvas draws without pyplot's global state
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.dates import DateFormatter, date2num
    from matplotlib.figure import Figure

    series = _filled(points)
    days = date2num([date.fromisoformat(point.period) for point in series])
    step = float(days[1] - days[0]) if len(days) > 1 else 1.0
    figure = Figure(figsize=(10, 4.8), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    cooperation = np.array([sum(point.quad.get(quad, 0) for quad in COOPERATION) for point in series])
    conflict = np.array([sum(point.quad.get(quad, 0) for quad in CONFLICT) for point in series])
    axes.bar(days, cooperation, width=0.8 * step, color=COLOURS["de-escalation"], label="cooperation: quad 1-2 events")
    axes.bar(days, -conflict, width=0.8 * step, color=COLOURS["escalation"], label="conflict: quad 3-4 events")
    axes.axhline(0, color="black", linewidth=0.6)
    axes.set_ylabel("events per period (conflict below 0)")
    net = axes.twinx()
    intensity = np.array([point.intensity for point in series])
    net.plot(days, intensity, color="#37474f", marker=".", label="summed PLOVER intensity")
    net.set_ylabel("summed PLOVER intensity")
    for side, values in ((axes, np.concatenate([cooperation, conflict])), (net, np.abs(intensity))):
        top = 1.15 * float(max(values.max(initial=0.0), 1.0))
        side.set_ylim(-top, top)  # both zeros on one line
    for point in turning_points:
        start = float(date2num(date.fromisoformat(point.date))) - step / 2
        colour = COLOURS[point.direction]
        axes.axvline(start, color=colour, linestyle="--", linewidth=1.2)
        label = f" {point.direction}\n confidence {point.confidence:.3f}"
        axes.annotate(label, (start, 1.0), xycoords=("data", "axes fraction"), fontsize=8, color=colour, va="top")
    if 0 < len(days) <= 14:
        axes.set_xticks(days)
    axes.xaxis.set_major_formatter(DateFormatter("%Y-%m-%d"))
    axes.set_title(title)
    handles = [*axes.get_legend_handles_labels()[0], *net.get_legend_handles_labels()[0]]
    figure.legend(handles=handles, loc="lower center", ncol=3, fontsize=8, frameon=False)
    figure.autofmt_xdate()
    figure.tight_layout(rect=(0, 0.06, 1, 1))
    figure.savefig(path, format="png")
    return Path(path)
