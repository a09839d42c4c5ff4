"""The actor lexicon: data files under flashpoint/data/actors, read once, and spaCy phrase matchers over them.

Tables (one per data file, each an `Entry` keyed by phrase):

- ``country``: ISO 3166 names (countries.tsv) and news aliases (country_aliases.tsv).
- ``demonym``: nationality adjectives and plural nouns (demonyms.tsv).
- ``capital``: capitals and seats of government (capitals.tsv).
- ``region``: first-level subdivisions and contested areas (regions.tsv, regions_extra.tsv); places only.
- ``title``: offices of people (titles.tsv).
- ``institution``: common-noun bodies and groups (institutions.tsv).
- ``named``: named state institutions (named_institutions.tsv); ``group``: named armed groups (groups.tsv).
- ``igo``: international organisations, country "IGO"/"NGO", sector = the organisation's code (igos.tsv).
- ``media``: news outlets, always sector MED (media.tsv).

A phrase written with a capital letter matches case-sensitively (as written, Capitalised or UPPER CASE); a
phrase in lower case matches any case.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from ..datafiles import read_tsv

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "actors"

# Which table wins when two match the same span: earlier wins.
PRIORITY: tuple[str, ...] = (
    "media",
    "igo",
    "group",
    "named",
    "country",
    "capital",
    "demonym",
    "title",
    "institution",
    "region",
)


@dataclass(frozen=True)
class Entry:
    """One lexicon phrase and what it codes to."""

    table: str
    phrase: str
    name: str
    country: str | None = None
    sector: str | None = None
    role: str | None = None
    kind: str | None = None


@dataclass(frozen=True)
class Lexicon:
    """Every table, the country names by ISO3, and the cue word lists."""

    entries: tuple[Entry, ...]
    country_names: dict[str, str]
    tlds: dict[str, str]
    domains: dict[str, str]
    cues: dict[str, frozenset[str]]
    org_keywords: dict[str, str]

    def cue(self, name: str) -> frozenset[str]:
        """The words under one cue of cues.tsv ("locative", "place_noun", ...)."""
        return self.cues.get(name, frozenset())

    @cached_property
    def media_countries(self) -> dict[str, str | None]:
        """The country of each news outlet by its lower-cased name (the first entry where names repeat)."""
        countries: dict[str, str | None] = {}
        for entry in self.entries:
            if entry.table == "media":
                countries.setdefault(entry.phrase.lower(), entry.country)
        return countries


def rows(file_name: str) -> list[dict[str, str]]:
    """The rows of a data file: '#' lines are comments, the first other line is the header."""
    return read_tsv(f"actors/{file_name}", strict=False)


def _or_none(value: str) -> str | None:
    return value or None


def _country_entries(names: dict[str, str]) -> Iterator[Entry]:
    for row in rows("countries.tsv"):
        for variant in row["variants"].split("|"):
            yield Entry("country", variant, row["name"], row["iso3"])
    for row in rows("country_aliases.tsv"):
        yield Entry("country", row["phrase"], names[row["iso3"]], row["iso3"])
    for row in rows("demonyms.tsv"):
        code = _or_none(row["iso3"].strip("-"))
        yield Entry("demonym", row["phrase"], names.get(code or "", row["phrase"]), code, kind=row["form"])


def _place_entries() -> Iterator[Entry]:
    for row in rows("capitals.tsv"):
        yield Entry("capital", row["phrase"], row["name"], row["iso3"], row["sector"], kind=row["kind"])
    for file_name in ("regions.tsv", "regions_extra.tsv"):
        for row in rows(file_name):
            yield Entry("region", row["phrase"], row["phrase"], row["iso3"])


def _body_entries() -> Iterator[Entry]:
    for row in rows("titles.tsv"):
        yield Entry(
            "title", row["phrase"], row["phrase"], None, _or_none(row["sector"]), _or_none(row["role"])
        )
    for row in rows("institutions.tsv"):
        sector, role = _or_none(row["sector"]), _or_none(row["role"])
        yield Entry("institution", row["phrase"], row["phrase"], None, sector, role, row["kind"])
    for row in rows("named_institutions.tsv"):
        yield Entry("named", row["phrase"], row["name"], row["iso3"], row["sector"], _or_none(row["role"]))
    for row in rows("groups.tsv"):
        yield Entry("group", row["phrase"], row["name"], row["iso3"], row["sector"])
    for row in rows("igos.tsv"):
        yield Entry("igo", row["phrase"], row["name"], row["country"], row["code"])
    for row in rows("media.tsv"):
        yield Entry("media", row["phrase"], row["name"], row["iso3"], "MED")


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """Read every data file once per process."""
    countries = list(rows("countries.tsv"))
    names = {row["iso3"]: row["name"] for row in countries}
    entries = (*_country_entries(names), *_place_entries(), *_body_entries())
    cues: dict[str, set[str]] = {}
    for row in rows("cues.tsv"):
        cues.setdefault(row["cue"], set()).add(row["word"])
    return Lexicon(
        entries=entries,
        country_names=names,
        tlds={row["tld"]: row["iso3"] for row in countries},
        domains={row["domain"]: row["iso3"] for row in rows("media.tsv") if row["domain"]},
        cues={cue: frozenset(words) for cue, words in cues.items()},
        org_keywords={row["word"]: row["sector"] for row in rows("org_keywords.tsv")},
    )


def _variants(phrase: str) -> set[str]:
    """Forms of a case-sensitive phrase: as written, Capitalised, UPPER CASE, with a curly apostrophe."""
    forms = {phrase, phrase[:1].upper() + phrase[1:], phrase.upper()}
    return forms | {form.replace("'", "\u2019") for form in forms if "'" in form}


def key_of(words: Any) -> str:
    """The lookup key of a token sequence (a Doc or Span): lower-case words, straight apostrophes."""
    return " ".join([token.lower_ for token in words]).replace("\u2019", "'")


@dataclass
class Matchers:
    """Phrase matchers for one spaCy vocab, and the entries behind each match key."""

    cased: PhraseMatcher
    uncased: PhraseMatcher
    index: dict[tuple[str, str], Entry] = field(default_factory=dict)

    def __call__(self, doc: Doc) -> list[tuple[Span, Entry]]:
        """Every lexicon match in the doc (overlaps included), with its entry."""
        found = []
        for matcher in (self.cased, self.uncased):
            for match_id, start, end in matcher(doc):
                span = Span(doc, start, end)
                entry = self.index.get((doc.vocab.strings[match_id], key_of(span)))
                if entry is not None:
                    found.append((span, entry))
        return found


def _build_matchers(vocab: Any) -> Matchers:
    import spacy

    tokenizer = spacy.blank("en", vocab=vocab).tokenizer
    matchers = Matchers(PhraseMatcher(vocab, attr="ORTH"), PhraseMatcher(vocab, attr="LOWER"))
    patterns: dict[tuple[str, bool], list[Doc]] = {}
    for entry in load_lexicon().entries:
        cased = entry.phrase != entry.phrase.lower()
        forms = _variants(entry.phrase) if cased else {entry.phrase}
        for form in forms:
            doc = tokenizer(form)
            matchers.index.setdefault((entry.table, key_of(doc)), entry)
            patterns.setdefault((entry.table, cased), []).append(doc)
    for (table, cased), docs in patterns.items():
        (matchers.cased if cased else matchers.uncased).add(table, docs)
    return matchers


_MATCHERS: dict[int, tuple[Any, Matchers]] = {}


def matchers_for(vocab: Any) -> Matchers:
    """The matchers for a vocab, built on first use and kept (one per loaded spaCy pipeline)."""
    cached = _MATCHERS.get(id(vocab))
    if cached is None or cached[0] is not vocab:
        cached = (vocab, _build_matchers(vocab))
        _MATCHERS[id(vocab)] = cached
    return cached[1]
