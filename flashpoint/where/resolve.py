"""Toponym resolution: pick the gazetteer place each toponym names, from priors and the doc's other places.

Every toponym with the same name (and the same constraints) in a doc names the same place: one *group*. A
candidate place's score is its prior plus the support of the doc's other groups:

- **prior**: log population; the kind of place (a country or first-level division before a town of the
  same name); a main name before an alternate one ("Rapides" alone is less surely Rapides Parish); a division
  word written with it ("Rapides Parish"); the country the actor lexicon codes the name to ("Tehran" the
  capital of Iran, "Georgia" the country), and the article's home country;
- **constraints**: a demonym is its country; the division or country after a comma decides between places of
  the same name ("Alexandria, La.", "Paris, Texas");
- **support**: each other group lends the best fit among its likelier candidates: a place inside or around
  this one (Rapides Parish around Alexandria, Louisiana), in the same district, division or country, or near
  it. Support weighs every candidate of the other name, not only its current choice, so that two ambiguous
  names settle together ("Huntsville" and "Walker County": both in Texas).

A name followed by a division word that the gazetteer lacks ("Pangur district") is matched loosely against
the districts and places of the first-level divisions the doc names (Panjgur, in Balochistan).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from .gazetteer import Entry, Gazetteer, name_key
from .recognize import Toponym, load_cues

FEATURE_PRIOR = {"country": 3.0, "admin1": 2.0, "admin2": 0.5, "city": 0.0}
POPULATION_WEIGHT = 1.0
ALIAS_PENALTY = 1.5
BARE_DIVISION_PENALTY = 1.5  # "DeKalb" for DeKalb County: beside a town of the name, the town
GENERIC_BONUS = 2.0
LEXICON_BONUS = 2.0  # a country's own name in the actor lexicon ("Georgia", "Jordan": the country)
LEXICON_REGION_BONUS = 4.0  # a region's country in the lexicon ("Gaza": in Palestine)
LEXICON_CAPITAL_BONUS = 1.0  # a capital's: it is large anyway, and towns abroad share its name (Paris, Texas)
HOME_WEIGHT = 2.0
QUALIFIER_WEIGHT = 10.0
SAME = 3.0
INSIDE = {"admin2": 5.0, "admin1": 3.0, "country": 1.5}
SIBLING = {"admin2": 3.0, "admin1": 1.5, "country": 0.5}
NEAR_WEIGHT = 2.0
NEAR_KM = 100.0
NEAR_CAP = 4.0
OTHER_LEVELS_SHARE = 0.25
METROPOLIS = 1_000_000
METROPOLIS_SHARE = 0.3
WEAK_SHARE = 0.5
PLAUSIBILITY = 0.5  # how fast an other name's less likely candidates lose their say: exp(-0.5 per prior point)
MAX_CANDIDATES = 15
MAX_SUPPORTERS = 6
FUZZY_RATIO = 0.8
WEAK_SUPPORT = 1.5  # a weakly recognised name needs its first-level division named, or a close place
WEAK_CITY = 100_000  # ... unless it names a city this large ("the Nashville Film Festival")


@dataclass(eq=False)
class _Candidate:
    entry: Entry
    prior: float
    weight: float = 1.0  # plausibility among its group's candidates, 0-1
    cos_lat: float = 1.0


@dataclass(eq=False)
class _Group:
    """The toponyms that share a name and constraints, their candidate places and the choice."""

    key: str
    toponyms: list[Toponym]
    candidates: list[_Candidate]
    choice: Entry | None = None


def resolve(toponyms: list[Toponym], gazetteer: Gazetteer, *, home: str | None = None) -> dict[int, Entry]:
    """The place chosen for each toponym, by `id(toponym)`; unresolved toponyms are left out."""
    groups = _groups(toponyms, gazetteer, home)
    supports = _supports(groups)
    for group in groups:
        _choose(group, supports)
    if _match_divisions(groups, gazetteer, home):
        supports = _supports(groups)
    for group in groups:  # again, now that qualifiers ("Alexandria, La.") are resolved
        _choose(group, supports)
    _drop_misfits(groups)
    return {id(toponym): group.choice for group in groups if group.choice for toponym in group.toponyms}


def _drop_misfits(groups: list[_Group]) -> None:
    """A weakly recognised name stays only if its place fits the doc's surely recognised places or is large."""
    sure = [
        next(candidate for candidate in group.candidates if candidate.entry is group.choice)
        for group in groups
        if group.choice is not None and not _weak(group)
    ]
    for group in groups:
        if group.choice is None or not _weak(group):
            continue
        chosen = next(candidate for candidate in group.candidates if candidate.entry is group.choice)
        fit = max((sum(_fit(chosen, other)) for other in sure if other.entry.row != chosen.entry.row), default=0.0)
        if chosen.entry.population < WEAK_CITY and fit < WEAK_SUPPORT:
            group.choice = None
            for toponym in group.toponyms:
                toponym.dropped = True


# --- candidates and priors -----------------------------------------------------------------------------


def _groups(toponyms: list[Toponym], gazetteer: Gazetteer, home: str | None) -> list[_Group]:
    by_key: dict[tuple[str, str | None, str | None, int], _Group] = {}
    for toponym in toponyms:
        qualifier = id(toponym.qualifier) if toponym.qualifier is not None else 0
        name = name_key(toponym.name)
        key = (name, toponym.country, toponym.feature, qualifier)
        group = by_key.get(key)
        if group is None:
            candidates = [_candidate(entry, main, toponym, home) for entry, main in _entries(toponym, gazetteer)]
            group = by_key[key] = _Group(name, [], _ranked(candidates))
        group.toponyms.append(toponym)
    return list(by_key.values())


def _entries(toponym: Toponym, gazetteer: Gazetteer) -> list[tuple[Entry, bool]]:
    if toponym.demonym:
        row = gazetteer.country_row(toponym.country)
        return [(gazetteer.entry(row), True)] if row is not None else []
    rows = toponym.candidates or gazetteer.rows(toponym.name)
    if not rows and toponym.text != toponym.name:
        rows = gazetteer.rows(toponym.text)
    entries = [(gazetteer.entry(row), main) for row, main in rows]
    if toponym.feature == "country" and toponym.country:
        row = gazetteer.country_row(toponym.country)
        if row is not None and all(entry.row != row for entry, _ in entries):
            entries.append((gazetteer.entry(row), True))
    if toponym.feature == "admin1":
        entries = [(entry, main) for entry, main in entries if entry.feature == "admin1"] or entries
    if toponym.capital:
        entries = [(entry, main) for entry, main in entries if entry.feature == "city"] or entries
    return _without_namesake_divisions(entries, toponym)


def _without_namesake_divisions(entries: list[tuple[Entry, bool]], toponym: Toponym) -> list[tuple[Entry, bool]]:
    """'Tehran', 'Islamabad': a division named after its main city is the city, unless the text says otherwise."""
    if toponym.source == "division":
        return entries
    cities = {entry.admin1 for entry, main in entries if entry.feature == "city" and main}
    return [(entry, main) for entry, main in entries if not (entry.feature == "admin1" and entry.geonameid in cities)]


def _candidate(entry: Entry, main: bool, toponym: Toponym, home: str | None) -> _Candidate:
    prior = POPULATION_WEIGHT * math.log10(entry.population + 10) + FEATURE_PRIOR[entry.feature]
    written = name_key(toponym.text)
    if not main:
        prior -= ALIAS_PENALTY
        if entry.feature == "admin2" and not written.endswith(name_key(entry.name).rsplit(" ", 1)[-1]):
            prior -= BARE_DIVISION_PENALTY
    if entry.feature == "admin2" and written == name_key(entry.name) and _has_generic_word(written):
        prior += GENERIC_BONUS
    if toponym.country and entry.country == toponym.country:
        if toponym.feature == "country":
            prior += LEXICON_BONUS if entry.feature == "country" else 0.0
        elif toponym.capital:
            prior += LEXICON_CAPITAL_BONUS if entry.feature == "city" else 0.0
        else:
            prior += LEXICON_REGION_BONUS
    if home and entry.country == home:
        prior += HOME_WEIGHT
    return _Candidate(entry, prior, cos_lat=math.cos(math.radians(entry.lat)))


def _has_generic_word(key: str) -> bool:
    return key.rsplit(" ", 1)[-1] in load_cues().generic


def _ranked(candidates: list[_Candidate]) -> list[_Candidate]:
    ranked = sorted(candidates, key=lambda candidate: -candidate.prior)[:MAX_CANDIDATES]
    if ranked:
        best = ranked[0].prior
        for candidate in ranked:
            candidate.weight = math.exp(PLAUSIBILITY * (candidate.prior - best))
    return ranked


def _match_divisions(groups: list[_Group], gazetteer: Gazetteer, home: str | None) -> bool:
    """'Pangur district': the nearest-spelt district or place among the children of the doc's divisions.

    Whether any was found."""
    admin1s = {group.choice.geonameid for group in groups if group.choice and group.choice.feature == "admin1"}
    matched = False
    for group in groups:
        toponym = group.toponyms[0]
        if group.candidates or toponym.source != "division" or not admin1s:
            continue
        suffix = " " + name_key(toponym.text.split()[-1])
        row = _nearest_spelt(name_key(toponym.name), suffix, tuple(admin1s), gazetteer)
        if row is not None:
            group.candidates = [_candidate(gazetteer.entry(row), False, toponym, home)]
            matched = True
    return matched


@lru_cache(maxsize=1024)
def _nearest_spelt(wanted: str, suffix: str, admin1s: tuple[int, ...], gazetteer: Gazetteer) -> int | None:
    """The child of the divisions whose name key, less the division word the text has (``suffix``: "panjgur
    district" -> "panjgur"), is spelt most like ``wanted`` (the first of equals), if FUZZY_RATIO alike or more.

    Kept for the next story that names the same place (stories of one event repeat their places)."""
    best: tuple[float, int] | None = None
    for admin1 in admin1s:
        for row in gazetteer.children(admin1):
            matcher = SequenceMatcher(None, wanted, name_key(gazetteer.names[row]).removesuffix(suffix))
            # ratio() is at most quick_ratio(), at most real_quick_ratio(): cheaper bounds first
            if _beats(matcher.real_quick_ratio(), best) and _beats(matcher.quick_ratio(), best):
                ratio = matcher.ratio()
                if _beats(ratio, best):
                    best = (ratio, row)
    return best[1] if best is not None else None


def _beats(ratio: float, best: tuple[float, int] | None) -> bool:
    """Whether a likeness is enough and better than the best so far."""
    return ratio >= FUZZY_RATIO and (best is None or ratio > best[0])


# --- choice --------------------------------------------------------------------------------------------


def _supports(groups: list[_Group]) -> dict[int, float]:
    """Each candidate's support from the other groups, by `id(candidate)` (weakly recognised names count half);
    only where there is a choice."""
    shares = [WEAK_SHARE if _weak(group) else 1.0 for group in groups]
    supports = {}
    for group in groups:
        if len(group.candidates) < 2:
            continue  # a lone candidate is chosen whatever its support
        lenders = _lenders(group, groups, shares)
        for candidate in group.candidates:
            supports[id(candidate)] = _support(candidate, lenders)
    return supports


def _choose(group: _Group, supports: dict[int, float]) -> None:
    if not group.candidates:
        return
    toponym = group.toponyms[0]
    best = group.candidates[0]
    if len(group.candidates) > 1:
        best = max(group.candidates, key=lambda candidate: _score(candidate, toponym, supports))
    group.choice = best.entry
    for toponym in group.toponyms:
        toponym.resolved = best.entry


def _score(candidate: _Candidate, toponym: Toponym, supports: dict[int, float]) -> float:
    """A candidate's prior, qualifier score and support, together."""
    return candidate.prior + _qualifier_score(candidate.entry, toponym) + supports[id(candidate)]


def _weak(group: _Group) -> bool:
    return all(toponym.weak for toponym in group.toponyms)


def _lenders(group: _Group, others: list[_Group], shares: list[float]) -> list[tuple[float, list[_Candidate]]]:
    """The other names that lend support to a group's candidates, each with its share (``shares``, by name) and
    its likelier candidates (names whose likeliest place is the same count once)."""
    lenders = []
    seen: set[int] = set()
    for other, share in zip(others, shares, strict=True):
        if other.key == group.key or not other.candidates or other.candidates[0].entry.row in seen:
            continue
        seen.add(other.candidates[0].entry.row)
        lenders.append((share, other.candidates[:MAX_SUPPORTERS]))
    return lenders


def _support(candidate: _Candidate, lenders: list[tuple[float, list[_Candidate]]]) -> float:
    """What the other names lend: each the best fit among its likelier candidates, times its share.

    Being in the same division or country is one piece of evidence however many names share it: the best
    such fit counts whole, the others a quarter. Nearness adds up, to a cap.
    """
    if not lenders:
        return 0.0
    levels: list[float] = []
    near = 0.0
    for share, supporters in lenders:
        level, close = _best_fit(candidate, supporters)
        levels.append(share * level)
        near += share * close
    levels.sort(reverse=True)
    return levels[0] + OTHER_LEVELS_SHARE * sum(levels[1:]) + min(near, NEAR_CAP)


def _best_fit(candidate: _Candidate, supporters: list[_Candidate]) -> tuple[float, float]:
    """The best fits with the supporters, each weighed by its plausibility: (containment or siblings, nearness)."""
    level = near = 0.0  # fits are never negative
    for supporter in supporters:
        fit, close = _fit(candidate, supporter)
        level = max(level, supporter.weight * fit)
        near = max(near, supporter.weight * close)
    return level, near


def _fit(candidate: _Candidate, other: _Candidate) -> tuple[float, float]:
    """How well two places go together in one story: (one inside the other or side by side, nearness).

    A metropolis says little about the places in its division (stories everywhere name New York), only about
    those near it.
    """
    a, b = candidate.entry, other.entry
    if a.row == b.row:
        return SAME, 0.0
    level = _containment(a, b) or _containment(b, a)
    if level:
        return INSIDE[level], 0.0
    fit, near = _siblings(a, b), 0.0
    if a.feature in ("city", "admin2") and b.feature in ("city", "admin2"):
        dx = (a.lon - b.lon) * 111.2 * (candidate.cos_lat + other.cos_lat) / 2
        dy = (a.lat - b.lat) * 111.2
        near = NEAR_WEIGHT * math.exp(-math.hypot(dx, dy) / NEAR_KM)
    if max(a.population, b.population) >= METROPOLIS:
        return fit * METROPOLIS_SHARE, near
    return fit, near


def _containment(inner: Entry, outer: Entry) -> str | None:
    if outer.feature == "admin2" and inner.admin2 == outer.geonameid:
        return "admin2"
    if outer.feature == "admin1" and inner.admin1 == outer.geonameid and inner.feature != "admin1":
        return "admin1"
    if outer.feature == "country" and inner.country == outer.country and inner.feature != "country":
        return "country"
    return None


def _siblings(a: Entry, b: Entry) -> float:
    if a.admin2 is not None and a.admin2 == b.admin2:
        return SIBLING["admin2"]
    if a.admin1 is not None and a.admin1 == b.admin1:
        return SIBLING["admin1"]
    return SIBLING["country"] if a.country == b.country else 0.0


def _qualifier_score(entry: Entry, toponym: Toponym) -> float:
    qualifier = toponym.qualifier
    target = qualifier.resolved if qualifier is not None else None
    if target is None:
        return 0.0
    if target.feature == "country":
        inside = entry.country == target.country
    elif target.feature == "admin1":
        inside = entry.admin1 == target.geonameid
    else:
        inside = entry.admin2 == target.geonameid
    return QUALIFIER_WEIGHT if inside else -QUALIFIER_WEIGHT


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))
