"""The schema: plain dataclasses that flow through the pipeline and into every output.

Field names of `Event` are fixed (see docs/schema.md); new fields may be added, none renamed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Statement:
    """An embedded social-media post, kept as a quoted statement by its author."""

    text: str
    author: str | None = None
    handle: str | None = None
    date: str | None = None
    url: str | None = None
    links: list[str] = field(default_factory=list)


@dataclass
class Actor:
    """Who acts: a country or organisation code, a sector, and a role or person where named."""

    name: str
    text: str
    country: str | None = None
    sector: str | None = None
    role: str | None = None
    person: str | None = None
    location: str | None = None


@dataclass
class Place:
    """A place, resolved against the gazetteer when `geonames_id` is set (see docs/places.md)."""

    name: str
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonames_id: int | None = None
    feature: str | None = None


@dataclass
class Mention:
    """A span of the cleaned text that names an actor, or a place (kind "place", `actor` None).

    The places stage sets `place` on every mention that names a place (a country or capital actor too) and
    `use`: "location", "actor" or "demonym".
    """

    text: str
    start: int
    end: int
    kind: str
    actor: Actor | None = None
    place: Place | None = None
    use: str | None = None


@dataclass
class Modality:
    negated: bool = False
    hypothetical: bool = False
    future: bool = False
    historical: bool = False
    reported: bool = False


@dataclass
class Evidence:
    """The exact span of the cleaned text (or of a statement's text) that supports an event."""

    text: str
    start: int
    end: int
    trigger_start: int | None = None
    trigger_end: int | None = None


@dataclass
class Event:
    type: str
    mode: str | None
    context: str | None
    cameo: str
    quad_class: int
    intensity: float | None
    goldstein: float | None
    evidence: Evidence
    source: list[Actor] = field(default_factory=list)
    target: list[Actor] = field(default_factory=list)
    third_parties: list[Actor] = field(default_factory=list)
    date: str | None = None
    date_precision: str = "unknown"
    date_basis: str | None = None
    date_end: str | None = None
    location: Place | None = None
    modality: Modality = field(default_factory=Modality)
    confidence: float = 0.0
    statement: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Article:
    """One news article: raw input in, cleaned story, statements and events out.

    `doc` holds the spaCy parse while the pipeline runs; it is never serialised.
    """

    id: str
    raw: str = ""
    html: str | None = None
    text: str = ""
    title: str | None = None
    url: str | None = None
    published: str | None = None
    published_basis: str | None = None
    source: str | None = None
    origin: str | None = None
    language: str | None = None
    fetched: str | None = None
    statements: list[Statement] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)
    doc: Any = field(default=None, repr=False, compare=False)
    statement_docs: list[Any] = field(default_factory=list, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        """The article's metadata and cleaned text (statements and events are listed beside it)."""
        return {
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "published": self.published,
            "published_basis": self.published_basis,
            "source": self.source,
            "origin": self.origin,
            "language": self.language,
            "text": self.text,
        }

    def to_output(self) -> dict[str, Any]:
        """The JSON shape of `flashpoint code` for one article."""
        return {
            "article": self.to_dict(),
            "statements": [asdict(statement) for statement in self.statements],
            "events": [event.to_dict() for event in self.events],
            "errors": list(self.errors),
        }
