"""Turning points on synthetic dyad series with planted changes: precision, recall and delay.

Each series is a stream of DyadEvents between two countries, day by day: Poisson counts per quad class, each
event a PLOVER type of its class drawn at random with its PLOVER intensity and Goldstein value (the package's
tables). A series has 0-3 planted changes of regime (the conflict share and the volume of events move), in
either direction, each of a planted size: the shift of the expected net score per period, in units of its
per-period noise sd. The series goes through `series_from_events` (day or ISO week) and `turning_points`.

A detection matches a planted change of the same direction within +-2 periods (one detection per change,
nearest first). Delay = detected period - planted period. The detector's settings (penalty factor, confidence
level) are chosen on the tuning seed; the reported figures come from another seed with those settings.

    python bench/eval_turning_points.py                      # tune on seed 1, report on seed 2
    python bench/eval_turning_points.py --series 300 --tune-seed 1 --seed 2
"""

from __future__ import annotations

import argparse
import itertools
import math
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Literal

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flashpoint import dyads  # noqa: E402  (the repository's package, not an installed one)
from flashpoint.events import tables  # noqa: E402

TOLERANCE = 2
QUADS = (1, 2, 3, 4)
PENALTY_FACTORS = (3.5, 4.0, 4.5, 5.0, 5.5, 6.0)
CONFIDENCES = (0.99, 0.95, 0.9, 0.8)  # strictest first: a tie keeps it
SIZE_BUCKETS = ((1.5, 2.5), (2.5, 3.5), (3.5, 5.0))


@dataclass(frozen=True)
class Population:
    """How the series of one aggregation are drawn: lengths in periods, events per day, segment length."""

    interval: Literal["day", "week"]
    days_per_period: int
    periods: tuple[int, int]
    daily_events: tuple[float, float]
    min_segment: int = 5


DAILY = Population("day", 1, (8, 180), (0.5, 10.0))
WEEKLY = Population("week", 7, (8, 104), (0.1, 2.0))


@dataclass(frozen=True)
class Regime:
    """Expected events per day of each quad class."""

    rates: tuple[float, float, float, float]


@dataclass
class Planted:
    period: int
    direction: str
    size: float


@dataclass
class Synthetic:
    events: list[dyads.DyadEvent]
    start: date
    periods: int
    changes: list[Planted] = field(default_factory=list)


@dataclass
class Tally:
    planted: int = 0
    detected: int = 0
    matched: int = 0
    delays: list[int] = field(default_factory=list)
    by_size: dict[tuple[float, float], list[int]] = field(default_factory=dict)
    false_on_flat: int = 0
    flat: int = 0

    def add(self, other: Tally) -> None:
        self.planted += other.planted
        self.detected += other.detected
        self.matched += other.matched
        self.delays += other.delays
        self.false_on_flat += other.false_on_flat
        self.flat += other.flat
        for bucket, (hits, total) in other.by_size.items():
            mine = self.by_size.setdefault(bucket, [0, 0])
            mine[0] += hits
            mine[1] += total

    @property
    def precision(self) -> float:
        return self.matched / self.detected if self.detected else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.planted if self.planted else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def _scores() -> dict[int, list[tuple[float, float]]]:
    """(PLOVER intensity, Goldstein value) of every PLOVER type, by quad class."""
    found: dict[int, list[tuple[float, float]]] = {quad: [] for quad in QUADS}
    for name in tables.plover_types():
        entry = tables.plover(name)
        found[entry.quad_class].append((entry.intensity, tables.goldstein(entry.default_cameo)))
    return found


SCORES = _scores()


@dataclass(frozen=True)
class Mix:
    """How often each PLOVER type of a quad class occurs in one series (a Dirichlet(1) draw per class), so that
    the series' scores are not the uniform mix the detector's noise model assumes."""

    weights: dict[int, np.ndarray]

    @classmethod
    def draw(cls, rng: np.random.Generator) -> Mix:
        return cls({quad: rng.dirichlet(np.ones(len(SCORES[quad]))) for quad in QUADS})

    def moments(self, quad: int) -> tuple[float, float]:
        """Mean and mean square of the intensity of one event of the class."""
        intensities = np.array([intensity for intensity, _ in SCORES[quad]])
        return float(self.weights[quad] @ intensities), float(self.weights[quad] @ intensities**2)

    def pick(self, rng: np.random.Generator, quad: int, count: int) -> np.ndarray:
        return rng.choice(len(SCORES[quad]), size=count, p=self.weights[quad])


def _regime(rng: np.random.Generator, daily: tuple[float, float]) -> Regime:
    volume = math.exp(rng.uniform(math.log(daily[0]), math.log(daily[1])))
    return _shaped(volume, rng.uniform(0.05, 0.95), rng.uniform(0.5, 0.9), rng.uniform(0.3, 0.8))


def _shaped(volume: float, conflict: float, verbal_cooperation: float, verbal_conflict: float) -> Regime:
    cooperation = volume * (1 - conflict)
    return Regime(
        (
            cooperation * verbal_cooperation,
            cooperation * (1 - verbal_cooperation),
            volume * conflict * verbal_conflict,
            volume * conflict * (1 - verbal_conflict),
        )
    )


def _moments(regime: Regime, days: int, mix: Mix) -> tuple[float, float]:
    """Mean and variance of a period's summed intensity (a compound Poisson sum)."""
    moments = [mix.moments(quad) for quad in QUADS]
    mean = sum(rate * days * first for rate, (first, _) in zip(regime.rates, moments, strict=True))
    variance = sum(rate * days * second for rate, (_, second) in zip(regime.rates, moments, strict=True))
    return mean, variance


def _size(old: Regime, new: Regime, days: int, mix: Mix) -> float:
    """The shift of the expected net score per period, in units of the per-period noise sd (signed)."""
    (mean_old, var_old), (mean_new, var_new) = _moments(old, days, mix), _moments(new, days, mix)
    return (mean_new - mean_old) / math.sqrt((var_old + var_new) / 2)


def _changed(rng: np.random.Generator, old: Regime, population: Population, mix: Mix, want: float) -> Regime | None:
    """A new regime whose planted size is `want` (negative: escalation): its conflict share found by bisection.

    The volume moves by a random factor and the verbal shares are drawn afresh; None if no conflict share
    reaches the size (then the change is not planted).
    """
    volume = sum(old.rates)
    for _ in range(50):
        factor = math.exp(rng.uniform(math.log(0.5), math.log(2.0)))
        new_volume = float(np.clip(volume * factor, *population.daily_events))
        verbal = (rng.uniform(0.5, 0.9), rng.uniform(0.3, 0.8))

        def size(conflict: float, new_volume: float = new_volume, verbal: tuple[float, float] = verbal) -> float:
            return _size(old, _shaped(new_volume, conflict, *verbal), population.days_per_period, mix)

        low, high = 0.0, 1.0  # the size falls as the conflict share rises
        if not size(high) <= want <= size(low):
            continue
        for _ in range(40):
            middle = (low + high) / 2
            low, high = (middle, high) if size(middle) > want else (low, middle)
        return _shaped(new_volume, (low + high) / 2, *verbal)
    return None


def _positions(rng: np.random.Generator, periods: int, count: int, min_segment: int) -> list[int]:
    """`count` change positions leaving every segment at least `min_segment` periods long."""
    count = min(count, periods // min_segment - 1)
    if count <= 0:
        return []
    slack = periods - min_segment * (count + 1)
    cuts = sorted(rng.integers(0, slack + 1, size=count))
    return [min_segment * (i + 1) + int(cut) for i, cut in enumerate(cuts)]


def generate(rng: np.random.Generator, population: Population, number: int) -> Synthetic:
    """One series: its length, type mix, first regime, then 0-3 changes, each of a size drawn from 1.5-5 sd."""
    periods = int(rng.integers(population.periods[0], population.periods[1] + 1))
    start = date(2020, 1, 6) + timedelta(weeks=int(rng.integers(0, 200)))  # a Monday
    mix = Mix.draw(rng)
    regimes, changes = [_regime(rng, population.daily_events)], []
    for position in _positions(rng, periods, int(rng.integers(0, 4)), population.min_segment):
        want = rng.uniform(SIZE_BUCKETS[0][0], SIZE_BUCKETS[-1][1]) * rng.choice([-1.0, 1.0])
        # the other direction when this one cannot reach the size (a dyad already at full conflict)
        new = _changed(rng, regimes[-1], population, mix, want) or _changed(rng, regimes[-1], population, mix, -want)
        if new is None:
            continue
        size = _size(regimes[-1], new, population.days_per_period, mix)
        regimes.append(new)
        changes.append(Planted(position, "escalation" if size < 0 else "de-escalation", abs(size)))
    # a weekly change falls on any day of its week; it is planted at the Monday nearest to it
    change_days = [
        change.period * population.days_per_period + int(rng.integers(0, population.days_per_period))
        for change in changes
    ]
    for change, day in zip(changes, change_days, strict=True):
        change.period = round(day / population.days_per_period)
    events = _events(rng, start, periods * population.days_per_period, (regimes, change_days), mix, number)
    return Synthetic(events, start, periods, changes)


def _events(
    rng: np.random.Generator,
    start: date,
    days: int,
    regimes: tuple[list[Regime], list[int]],
    mix: Mix,
    number: int,
) -> list[dyads.DyadEvent]:
    """Poisson counts per day and quad class under the day's regime; each event a type of its class."""
    rates, change_days = regimes
    regime_of_day = np.searchsorted(change_days, np.arange(days), side="right")
    counts = rng.poisson(np.array([regime.rates for regime in rates])[regime_of_day]).ravel()
    day_of_event = np.repeat(np.repeat(np.arange(days), len(QUADS)), counts)
    quad_of_event = np.repeat(np.tile(QUADS, days), counts)
    kinds = np.zeros(len(quad_of_event), dtype=int)
    for quad in QUADS:
        kinds[quad_of_event == quad] = mix.pick(rng, quad, int(np.sum(quad_of_event == quad)))
    forward, outlets = rng.random(len(kinds)) < 0.5, rng.integers(6, size=len(kinds))
    dates = [(start + timedelta(days=day)).isoformat() for day in range(days)]
    events = []
    for serial, (day, quad, kind, ahead, outlet) in enumerate(
        zip(day_of_event, quad_of_event, kinds, forward, outlets, strict=True)
    ):
        intensity, goldstein = SCORES[quad][kind]
        source, target = ("AAA", "BBB") if ahead else ("BBB", "AAA")
        events.append(
            dyads.DyadEvent(
                dates[day], source, target, int(quad), intensity, goldstein, f"outlet-{outlet}", f"s{number}-e{serial}"
            )
        )
    return events


def _match(planted: list[Planted], found: Sequence[tuple[int, str]]) -> list[tuple[Planted, int]]:
    """One-to-one matches of the same direction within the tolerance, nearest pairs first."""
    pairs = sorted(
        (abs(at - change.period), i, j)
        for i, change in enumerate(planted)
        for j, (at, direction) in enumerate(found)
        if direction == change.direction and abs(at - change.period) <= TOLERANCE
    )
    used_planted: set[int] = set()
    used_found: set[int] = set()
    matches = []
    for _, i, j in pairs:
        if i not in used_planted and j not in used_found:
            used_planted.add(i)
            used_found.add(j)
            matches.append((planted[i], found[j][0]))
    return matches


def _bucket(size: float) -> tuple[float, float]:
    return next((bucket for bucket in SIZE_BUCKETS if size < bucket[1]), SIZE_BUCKETS[-1])


def series(synthetic: Synthetic, population: Population) -> list[dyads.SeriesPoint]:
    """The synthetic events as a dyad series of the population's interval, over the whole span."""
    last = synthetic.start + timedelta(days=synthetic.periods * population.days_per_period - 1)
    return dyads.series_from_events(
        synthetic.events,
        "AAA",
        "BBB",
        interval=population.interval,
        since=synthetic.start.isoformat(),
        until=last.isoformat(),
    )


def evaluate(synthetic: Synthetic, points: list[dyads.SeriesPoint], settings: dict[str, float]) -> Tally:
    index = {point.period: i for i, point in enumerate(points)}
    detected = dyads.turning_points(
        points, penalty_factor=settings["penalty_factor"], min_confidence=settings["min_confidence"]
    )
    found = [(index[point.date], point.direction) for point in detected]
    matches = _match(synthetic.changes, found)
    tally = Tally(len(synthetic.changes), len(found), len(matches), [at - change.period for change, at in matches])
    hit = {id(change) for change, _ in matches}
    for change in synthetic.changes:
        counts = tally.by_size.setdefault(_bucket(change.size), [0, 0])
        counts[0] += id(change) in hit
        counts[1] += 1
    if not synthetic.changes:
        tally.flat, tally.false_on_flat = 1, len(found)
    return tally


Dataset = list[tuple[Synthetic, Population, list[dyads.SeriesPoint]]]


def run(data: Dataset, settings: dict[str, float]) -> dict[str, Tally]:
    tallies: dict[str, Tally] = {population.interval: Tally() for population in (DAILY, WEEKLY)}
    for synthetic, population, points in data:
        tallies[population.interval].add(evaluate(synthetic, points, settings))
    return tallies


def dataset(seed: int, count: int) -> Dataset:
    """`count` series of each population, drawn from one seed, with their dyad series."""
    rng = np.random.default_rng(seed)
    drawn = [(generate(rng, population, i), population) for population in (DAILY, WEEKLY) for i in range(count)]
    return [(synthetic, population, series(synthetic, population)) for synthetic, population in drawn]


def report(name: str, tallies: dict[str, Tally]) -> None:
    for interval, tally in tallies.items():
        delays = [abs(delay) for delay in tally.delays] or [0]
        sizes = ", ".join(
            f"{low:g}-{high:g} sd {hits / total:.2f} ({total})"
            for (low, high), (hits, total) in sorted(tally.by_size.items())
        )
        print(
            f"  {name:<8} {interval:<5} precision {tally.precision:.3f}  recall {tally.recall:.3f}  F1 {tally.f1:.3f}"
            f"  |delay| mean {statistics.mean(delays):.2f} median {statistics.median(delays):g}"
            f"  signed mean {statistics.mean(tally.delays or [0]):+.2f}  ({tally.matched}/{tally.planted} planted,"
            f" {tally.detected} found; {tally.false_on_flat} found on {tally.flat} series with no change)"
        )
        print(f"  {'':<8} {interval:<5} recall by planted size: {sizes}")


def tune(data: Dataset) -> dict[str, float]:
    best: tuple[float, dict[str, float]] = (-1.0, {})
    for factor, confidence in itertools.product(PENALTY_FACTORS, CONFIDENCES):
        settings = {"penalty_factor": factor, "min_confidence": confidence}
        tallies = run(data, settings)
        f1 = statistics.mean(tally.f1 for tally in tallies.values())
        print(f"  penalty_factor {factor:<4g} min_confidence {confidence:<4g} mean F1 {f1:.3f}", flush=True)
        if f1 > best[0]:
            best = (f1, settings)
    return best[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--series", type=int, default=300, help="series per aggregation (day, week) and seed")
    parser.add_argument("--tune-seed", type=int, default=1)
    parser.add_argument("--seed", type=int, default=2, help="the reported set; must differ from --tune-seed")
    parser.add_argument("--no-tune", action="store_true", help="skip the grid; use the library's defaults")
    args = parser.parse_args()
    if args.seed == args.tune_seed:
        parser.error("--seed must differ from --tune-seed: figures are never reported on the tuning set")
    started = time.perf_counter()
    tuning = dataset(args.tune_seed, args.series)
    defaults = {"penalty_factor": dyads.PENALTY_FACTOR, "min_confidence": dyads.MIN_CONFIDENCE}
    print(f"Tuning set: seed {args.tune_seed}, {args.series} daily + {args.series} weekly series")
    settings = defaults if args.no_tune else tune(tuning)
    print(f"Chosen on the tuning set: {settings} (library defaults: {defaults})")
    report("tuning", run(tuning, settings))
    print(f"Reported set: seed {args.seed}, {args.series} daily + {args.series} weekly series")
    report("reported", run(dataset(args.seed, args.series), settings))
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
