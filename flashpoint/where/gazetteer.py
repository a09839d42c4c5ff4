"""The offline gazetteer: GeoNames countries, divisions and populated places, read once per process.

`data/places/gazetteer.tsv.gz` is made by `scripts/build_gazetteer.py` (see its header for the sources). It
is held in columns (arrays, not one object per place) to keep a worker's memory small; `Gazetteer.entry(i)`
builds the record of one row when asked (and keeps a few thousand).
"""

from __future__ import annotations

import gzip
import unicodedata
from array import array
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

from ..datafiles import DATA, read_tsv
from ..errors import Errors, FlashpointError

GAZETTEER_FILE = "places/gazetteer.tsv.gz"
FEATURES: tuple[str, ...] = ("country", "admin1", "admin2", "city")
_FEATURE_CODES = {feature: code for code, feature in enumerate(FEATURES)}
# Abbreviated words of place names, written out the way GeoNames spells them ("St. Louis": "Saint Louis").
_WORD_FORMS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort", "pt": "point"}


@dataclass(frozen=True)
class Entry:
    """One gazetteer row: a GeoNames place."""

    row: int
    geonameid: int
    name: str
    feature: str
    country: str
    admin1: int | None
    admin2: int | None
    population: int
    lat: float
    lon: float


CHUNK = 20000
ENTRY_CACHE = 4096  # records kept for the places a stream of stories keeps naming (about 2 MB)


def _fold_table() -> dict[int, str]:
    """Latin letters with diacritics to their base letters, dots and apostrophes out, hyphens to spaces."""
    table = {}
    for code in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
        base = "".join(c for c in unicodedata.normalize("NFKD", chr(code)) if not unicodedata.combining(c))
        if base != chr(code) and base.isascii():
            table[code] = base.lower()
    table.update({ord(c): "" for c in ".,'`\u2019\u02bc"})
    table.update({ord(c): " " for c in "-/\u2010\u2011\u2012\u2013\u2014\u2015\t"})
    return table


_FOLD = _fold_table()


def _key(text: str) -> str:
    folded = text.lower().translate(_FOLD)
    if not folded.isascii():
        folded = "".join(c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c))
    if " " not in folded:
        return _WORD_FORMS.get(folded, folded)
    words = folded.split()
    return " ".join([_WORD_FORMS.get(word, word) for word in words] if _WORD_FORMS.keys() & words else words)


@lru_cache(maxsize=16384)
def name_key(text: str) -> str:
    """The lookup form of a name: no diacritics, lower case, no dots or apostrophes, abbreviations spelled out."""
    return _key(text)


class Gazetteer:
    """Places by row (rows sorted by geonameid), and rows by the lookup key of every name.

    The index maps a key to a row, or to a tuple of rows; a row matched by an alternate name is stored as
    ``-1 - row``.
    """

    def __init__(self, lines: Iterable[str]) -> None:
        self.geonameids = array("i")
        self.names: list[str] = []
        self.features = bytearray()
        self.countries = bytearray()
        self.country_codes: list[str] = []
        self.admin1s = array("i")
        self.admin2s = array("i")
        self.populations = array("q")
        self.lats = array("f")
        self.lons = array("f")
        self.index: dict[str, int | tuple[int, ...]] = {}
        self.country_rows: dict[str, int] = {}
        self._children: dict[int, list[int]] | None = None
        self._entries: dict[int, Entry] = {}
        self._country_index_of: dict[str, int] = {}
        self._unsorted: dict[int, int] | None = None
        self._read(lines)

    def _read(self, lines: Iterable[str]) -> None:
        data = (line for line in lines if line.strip() and not line.startswith("#"))
        next(data, None)  # the header
        while chunk := [line.rstrip("\n").split("\t") for line in islice(data, CHUNK)]:
            self._append(chunk)

    def _append(self, chunk: list[list[str]]) -> None:
        first = len(self.names)
        geonameids, names, features, countries, admin1s, admin2s, populations, lats, lons, alts = zip(
            *chunk, strict=True
        )
        self.geonameids.extend(map(int, geonameids))
        self.names.extend(names)
        self.features.extend(map(_FEATURE_CODES.__getitem__, features))
        self.countries.extend(self._country_index(country) for country in countries)
        self.admin1s.extend(int(value) if value else -1 for value in admin1s)
        self.admin2s.extend(int(value) if value else -1 for value in admin2s)
        self.populations.extend(map(int, populations))
        self.lats.extend(map(float, lats))
        self.lons.extend(map(float, lons))
        for row, (name, feature, country, alt) in enumerate(
            zip(names, features, countries, alts, strict=True), start=first
        ):
            if feature == "country":
                self.country_rows[country] = row
            self._add(_key(name), row)
            for alias in alt.split("|") if alt else ():
                self._add(_key(alias), -1 - row)

    def _country_index(self, code: str) -> int:
        index = self._country_index_of.get(code)
        if index is None:
            index = self._country_index_of[code] = len(self.country_codes)
            self.country_codes.append(code)
        return index

    def _add(self, key: str, value: int) -> None:
        found = self.index.get(key)
        if found is None:
            self.index[key] = value
        elif isinstance(found, int):
            if found != value and found != -1 - value:
                self.index[key] = (found, value)
        elif value not in found and -1 - value not in found:
            self.index[key] = (*found, value)

    def __len__(self) -> int:
        return len(self.names)

    def rows(self, name: str, *, aliases: bool = True) -> list[tuple[int, bool]]:
        """The rows a name may refer to, each with whether it matched the place's main name."""
        found = self.index.get(name_key(name))
        values = () if found is None else (found,) if isinstance(found, int) else found
        return [(value, True) if value >= 0 else (-1 - value, False) for value in values if aliases or value >= 0]

    def entry(self, row: int) -> Entry:
        """The record of one row (kept, up to ENTRY_CACHE of them, for the next time it is asked for)."""
        entry = self._entries.get(row)
        if entry is None:
            if len(self._entries) >= ENTRY_CACHE:
                self._entries.clear()
            entry = self._entries[row] = self._entry(row)
        return entry

    def _entry(self, row: int) -> Entry:
        return Entry(
            row=row,
            geonameid=self.geonameids[row],
            name=self.names[row],
            feature=FEATURES[self.features[row]],
            country=self.country_codes[self.countries[row]],
            admin1=_or_none(self.admin1s[row]),
            admin2=_or_none(self.admin2s[row]),
            population=self.populations[row],
            lat=round(self.lats[row], 4),
            lon=round(self.lons[row], 4),
        )

    def feature(self, row: int) -> str:
        """The kind of place of a row (as ``entry(row).feature``)."""
        return FEATURES[self.features[row]]

    def row_of(self, geonameid: int | None) -> int | None:
        """The row of a place: by bisection, the file being sorted by geonameid (else through an index)."""
        if geonameid is None:
            return None
        if self._unsorted is None:
            ids = self.geonameids
            ordered = all(ids[i] < ids[i + 1] for i in range(len(ids) - 1))
            self._unsorted = {} if ordered else {geonameid: row for row, geonameid in enumerate(ids)}
        if self._unsorted:
            return self._unsorted.get(geonameid)
        row = bisect_left(self.geonameids, geonameid)
        return row if row < len(self.geonameids) and self.geonameids[row] == geonameid else None

    def by_geonameid(self, geonameid: int | None) -> Entry | None:
        row = self.row_of(geonameid)
        return self.entry(row) if row is not None else None

    def name_of(self, geonameid: int | None) -> str | None:
        row = self.row_of(geonameid)
        return self.names[row] if row is not None else None

    def country_row(self, iso3: str | None) -> int | None:
        """The country's own row."""
        return self.country_rows.get(iso3) if iso3 else None

    def children(self, admin1: int) -> list[int]:
        """Rows of the districts and places inside a first-level division (indexed on first use)."""
        if self._children is None:
            children: dict[int, list[int]] = {}
            for row, parent in enumerate(self.admin1s):
                if parent >= 0:
                    children.setdefault(parent, []).append(row)
            self._children = children
        return self._children.get(admin1, [])


def _or_none(value: int) -> int | None:
    return None if value < 0 else value


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The packaged gazetteer, read once per process (2-3 s, about 100 MB)."""
    path = DATA.joinpath(GAZETTEER_FILE)
    try:
        with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as handle:
            gazetteer = Gazetteer(handle)
    except (OSError, EOFError, ValueError) as error:
        raise FlashpointError(Errors.E310, path=str(path), detail=repr(error)) from error
    if not len(gazetteer):
        raise FlashpointError(Errors.E310, path=str(path), detail="no places in it")
    return gazetteer


@lru_cache(maxsize=1)
def admin1_abbreviations() -> dict[str, tuple[str, str]]:
    """Abbreviations of first-level divisions ("La.", "Calif.") -> (country ISO3, the division's name)."""
    return {row["abbreviation"]: (row["iso3"], row["name"]) for row in read_tsv("places/abbreviations.tsv")}
