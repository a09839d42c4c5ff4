"""Duplicate articles and event clusters, so that counts reflect events, not coverage.

Both parts are pure (no database): the store keeps what they return (`articles.content_hash`,
`articles.canonical_url`, `articles.duplicate_of`, `events.cluster_id`) and can rebuild them from its rows.
The rules are documented in docs/dedup.md.

Articles: `ArticleIndex.add(article_id, text, url)` says whether an article repeats an earlier one, and how:
"exact" (the same words in the same order, `content_hash`), "url" (the same page, `canonical_url`) or
"near" (a wire copy or lightly edited syndication: MinHash LSH over word shingles, with the estimated
Jaccard similarity).

Events: `EventClusterer.assign(key)` puts the mentions of one real-world event, from many articles, into
one cluster: same undirected dyad, same event type, dates within a window, compatible places, never two
mentions from one article (`distinct_reason` names the first rule a pair breaks).
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import re
import struct
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal, NamedTuple
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np
from datasketch import MinHash, MinHashLSH

from .datafiles import data_lines
from .errors import Errors, FlashpointError
from .model import Article, Event

__all__ = [
    "ArticleIndex",
    "Duplicate",
    "EventCluster",
    "EventClusterer",
    "EventKey",
    "StoredArticle",
    "canonical_url",
    "cluster_events",
    "cluster_id_for",
    "content_hash",
    "distinct_reason",
    "normalise_text",
    "same_event",
]

DuplicateKind = Literal["exact", "url", "near"]
EventRef = tuple[str, int]
Dyad = tuple[tuple[str, ...], tuple[str, ...]]

# The near-duplicate threshold on estimated Jaccard similarity of word 3-shingles, chosen on the
# development set of bench/eval_dedup.py (seed 1) and reported on its held-out set (seed 2).
DEFAULT_THRESHOLD = 0.45
DEFAULT_SHINGLE_SIZE = 3
DEFAULT_MIN_WORDS = 30
DEFAULT_NUM_PERM = 128
# A pair exactly at the threshold becomes an LSH candidate with at least this probability; the estimated
# Jaccard similarity then decides.
CANDIDATE_RECALL = 0.95
CLUSTERED_PRECISIONS = ("day", "week")

_WORD = re.compile(r"\w+")
_AMP_SUFFIX = re.compile(r"\.amp(?=\.[a-z0-9]+$|$)", re.IGNORECASE)
_DEFAULT_PORTS = {"http": 80, "https": 443}
_SCHEME = "affine32"
_HEADER = struct.Struct("<4sBHIB")  # magic, version, num_perm, seed, shingle size
_MAGIC = b"FPMH"
_SIGNATURE_VERSION = 1


# --- text and addresses -----------------------------------------------------------------------------


def normalise_text(text: str) -> str:
    """The words of `text` (NFKC, case-folded) joined by single spaces: punctuation, quotes, spacing and
    case do not count."""
    return " ".join(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def content_hash(text: str) -> str:
    """SHA-256 (hex) of `normalise_text(text)`: equal for texts with the same words in the same order."""
    return _sha256(normalise_text(text))


def _sha256(words: str) -> str:
    return hashlib.sha256(words.encode("utf-8")).hexdigest()


@cache
def _tracking_params() -> tuple[frozenset[str], tuple[str, ...]]:
    names = [line.strip().lower() for line in data_lines("url_tracking_params.txt")]
    exact = frozenset(name for name in names if not name.endswith("*"))
    return exact, tuple(name[:-1] for name in names if name.endswith("*"))


def _dropped_param(name: str, value: str) -> bool:
    """A tracking parameter, or an AMP marker (`amp`, `outputType=amp`)."""
    name = name.lower()
    exact, prefixes = _tracking_params()
    return name in exact or name.startswith(prefixes) or name == "amp" or (name, value.lower()) == ("outputtype", "amp")


def _canonical_host(host: str) -> str:
    host = host.rstrip(".")
    for prefix in ("www.", "amp."):
        if host.startswith(prefix) and "." in host[len(prefix) :]:
            host = host[len(prefix) :]
    return host


def _canonical_path(path: str) -> str:
    """No empty segments (so no trailing slash), no AMP segment or `.amp` suffix."""
    segments = [segment for segment in path.split("/") if segment and segment.lower() != "amp"]
    if segments:
        segments[-1] = _AMP_SUFFIX.sub("", segments[-1])
    return "/" + "/".join(segments)


def canonical_url(url: str | None) -> str | None:
    """One spelling for the links to one page, or None for what is not an http(s) address.

    https for http; the host lower-cased, without `www.` or `amp.` and its default port; no fragment; no
    tracking parameters (data/url_tracking_params.txt) nor AMP markers; the other parameters sorted; the
    path without AMP segments, `.amp` suffixes, empty segments or a trailing slash. The path keeps its case.
    """
    if not url or not url.strip():
        return None
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:  # an unparseable host or port
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    host = _canonical_host(parts.hostname)
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    query = urlencode(sorted((name, value) for name, value in pairs if not _dropped_param(name, value)))
    return urlunsplit(("https", netloc, _canonical_path(parts.path), query, ""))


# --- articles ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Duplicate:
    """What an article repeats: the earlier article `of`, how (`kind`) and the estimated Jaccard similarity
    of their word shingles (1.0 for "exact"; None where either text is too short to have a signature)."""

    of: str
    kind: DuplicateKind
    similarity: float | None


class StoredArticle(NamedTuple):
    """A row to rebuild an index from: the signature, where stored, saves recomputing it."""

    article_id: str
    text: str
    url: str | None = None
    signature: bytes | None = None


def _lsh_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows): the most rows per band that still make a pair at the threshold a candidate with
    probability CANDIDATE_RECALL."""
    for rows in range(num_perm, 0, -1):
        bands = num_perm // rows
        if 1 - (1 - threshold**rows) ** bands >= CANDIDATE_RECALL:
            return bands, rows
    return num_perm, 1


def _check_option(name: str, value: float, low: float, high: float) -> None:
    if not low <= value <= high:
        raise FlashpointError(Errors.E420, name=name, value=value, expected=f"{low} to {high}")


class ArticleIndex:
    """The articles seen so far, to tell which earlier article a new one duplicates.

    `add` checks, in order: the content hash ("exact"), the canonical URL ("url"), then MinHash LSH over
    word shingles ("near", estimated Jaccard >= `threshold`; the most similar earlier article wins, the
    earlier one on a tie). Texts under `min_words` words get no signature: only the hash and the URL
    match them. Every article is indexed, duplicates too (but an exact copy adds nothing new).
    """

    def __init__(
        self,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        shingle_size: int = DEFAULT_SHINGLE_SIZE,
        min_words: int = DEFAULT_MIN_WORDS,
        num_perm: int = DEFAULT_NUM_PERM,
        seed: int = 1,
    ) -> None:
        _check_option("threshold", threshold, 0.05, 1.0)
        _check_option("shingle_size", shingle_size, 1, 12)
        _check_option("min_words", min_words, shingle_size, 100_000)
        _check_option("num_perm", num_perm, 16, 1024)
        _check_option("seed", seed, 0, 2**32 - 1)
        self.threshold, self.shingle_size, self.min_words = threshold, shingle_size, min_words
        self.num_perm, self.seed = num_perm, seed
        self._permutations = MinHash(num_perm=num_perm, seed=seed, scheme=_SCHEME).permutations
        self._lsh = MinHashLSH(num_perm=num_perm, params=_lsh_bands(threshold, num_perm))
        self._minhashes: dict[str, MinHash] = {}
        self._by_hash: dict[str, str] = {}
        self._by_url: dict[str, str] = {}
        self._order: dict[str, int] = {}
        self._restored = np.empty((0, num_perm), dtype=np.uint32)  # restored signatures, one row each
        self._restored_ids: list[str] = []
        self._restored_row: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._order)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._order

    @classmethod
    def rebuild(cls, rows: Iterable[StoredArticle | tuple[str, str]], **options: Any) -> ArticleIndex:
        """An index of stored articles, added in the order given (the order they were first stored)."""
        index = cls(**options)
        for row in rows:
            article = StoredArticle(*row)
            index.add(article.article_id, article.text, article.url, signature=article.signature)
        return index

    def add(
        self, article_id: str, text: str, url: str | None = None, *, signature: bytes | None = None
    ) -> Duplicate | None:
        """Index the article; return what earlier article it duplicates, or None for a new story."""
        if article_id in self._order:
            raise FlashpointError(Errors.E423, article_id=article_id)
        words = normalise_text(text)
        minhash = self._load(article_id, signature) if signature is not None else self._minhash(words)
        duplicate = self._match(words, url, minhash)
        self._order[article_id] = len(self._order)
        if words:
            self._by_hash.setdefault(_sha256(words), article_id)
        canonical = canonical_url(url)
        if canonical:
            self._by_url.setdefault(canonical, article_id)
        if minhash is not None and (duplicate is None or duplicate.kind != "exact"):
            self._minhashes[article_id] = minhash
            self._lsh.insert(article_id, minhash)
        return duplicate

    def restore(self, rows: Iterable[tuple[str, bytes]]) -> None:
        """Put stored articles back by their signatures (article id, signature; oldest first), unchecked, for
        the near-duplicate check only: later articles are compared with them as with the articles added
        before (the exact and URL checks do not see them: a store answers those, `flashpoint.deduplicate`).

        They are kept as one array (4 bytes a permutation each) and searched by their LSH bands at once,
        not put in the LSH, so that restoring 100,000 of them takes a fraction of a second."""
        ids: list[str] = []
        values: list[np.ndarray] = []
        for article_id, signature in rows:
            if article_id in self._order:
                raise FlashpointError(Errors.E423, article_id=article_id)
            values.append(self._values(article_id, signature))
            self._order[article_id] = len(self._order)
            self._restored_row[article_id] = len(self._restored_ids) + len(ids)
            ids.append(article_id)
        if ids:
            self._restored = np.vstack([self._restored, *values])
            self._restored_ids += ids

    def find(self, text: str, url: str | None = None) -> Duplicate | None:
        """What `add` would answer, without adding the article."""
        words = normalise_text(text)
        return self._match(words, url, self._minhash(words))

    def signature(self, text: str) -> bytes | None:
        """The text's MinHash signature as bytes, for a store to keep and pass back to `add` or `rebuild`;
        None for a text under `min_words` words."""
        minhash = self._minhash(normalise_text(text))
        if minhash is None:
            return None
        header = _HEADER.pack(_MAGIC, _SIGNATURE_VERSION, self.num_perm, self.seed, self.shingle_size)
        return header + minhash.hashvalues.astype("<u4").tobytes()

    def _minhash(self, words: str) -> MinHash | None:
        tokens = words.split()
        if len(tokens) < self.min_words:
            return None
        size = self.shingle_size
        shingles = {" ".join(tokens[i : i + size]).encode("utf-8") for i in range(len(tokens) - size + 1)}
        minhash = MinHash(num_perm=self.num_perm, seed=self.seed, permutations=self._permutations, scheme=_SCHEME)
        minhash.update_batch(sorted(shingles))
        return minhash

    def _load(self, article_id: str, signature: bytes) -> MinHash:
        values = self._values(article_id, signature).astype(np.uint64)
        return MinHash(seed=self.seed, hashvalues=values, permutations=self._permutations, scheme=_SCHEME)

    def _values(self, article_id: str, signature: bytes) -> np.ndarray:
        """The hash values of a signature made with this index's settings (else E421)."""
        expected = (_MAGIC, _SIGNATURE_VERSION, self.num_perm, self.seed, self.shingle_size)
        size = _HEADER.size + 4 * self.num_perm
        found = _HEADER.unpack_from(signature) if len(signature) >= _HEADER.size else None
        if found != expected or len(signature) != size:
            detail = f"expected {size} bytes with header {expected[1:]}, got {len(signature)} bytes"
            raise FlashpointError(Errors.E421, article_id=article_id, detail=detail)
        return np.frombuffer(signature, dtype="<u4", offset=_HEADER.size)

    def _match(self, words: str, url: str | None, minhash: MinHash | None) -> Duplicate | None:
        found = self._earlier(_sha256(words), None) if words else None
        if found is not None:
            return Duplicate(found[0], "exact", 1.0)
        canonical = canonical_url(url)
        found = self._earlier(None, canonical) if canonical else None
        if found is not None:
            earlier, other = found
            similarity = _jaccard(minhash.hashvalues, other) if minhash is not None and other is not None else None
            return Duplicate(earlier, "url", similarity)
        return self._nearest(minhash) if minhash is not None else None

    def _earlier(self, digest: str | None, canonical: str | None) -> tuple[str, np.ndarray | None] | None:
        """The first article indexed with this content hash (or, given none, this canonical URL), with its
        hash values (None without a signature)."""
        earlier = self._by_hash.get(digest) if digest else self._by_url.get(canonical or "")
        return None if earlier is None else (earlier, self._hash_values(earlier))

    def _hash_values(self, article_id: str) -> np.ndarray | None:
        minhash = self._minhashes.get(article_id)
        if minhash is not None:
            return minhash.hashvalues
        row = self._restored_row.get(article_id)
        return None if row is None else self._restored[row]

    def _nearest(self, minhash: MinHash) -> Duplicate | None:
        scored = [(float(minhash.jaccard(self._minhashes[key])), key) for key in self._lsh.query(minhash)]
        scored += self._nearest_restored(minhash.hashvalues.astype(np.uint32))
        scored = [(similarity, key) for similarity, key in scored if similarity >= self.threshold]
        if not scored:
            return None
        similarity, key = max(scored, key=lambda pair: (pair[0], -self._order[pair[1]]))
        return Duplicate(key, "near", similarity)

    def _nearest_restored(self, values: np.ndarray) -> list[tuple[float, str]]:
        """(similarity, id) of the restored articles that share an LSH band with `values` (what
        `MinHashLSH.query` would propose) and reach the threshold."""
        if not self._restored_ids:
            return []
        width, rows = self._lsh.b * self._lsh.r, self._lsh.r
        equal = self._restored == values
        banded = np.logical_and.reduce([equal[:, row:width:rows] for row in range(rows)])  # a column per band
        candidates = np.flatnonzero(banded.any(axis=1))
        agree = np.count_nonzero(equal[candidates], axis=1)
        return [
            (similarity, self._restored_ids[row])
            for row, count in zip(candidates.tolist(), agree.tolist(), strict=True)
            if (similarity := count / self.num_perm) >= self.threshold
        ]


def _jaccard(first: np.ndarray, second: np.ndarray) -> float:
    """The estimated Jaccard similarity of two signatures' hash values (as `MinHash.jaccard`)."""
    return float(np.count_nonzero(first == second)) / float(len(first))


# --- events -----------------------------------------------------------------------------------------


def _countries(values: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(sorted({value.strip().upper() for value in values if value and value.strip()}))


def _place_name(value: str | None) -> str | None:
    """A place name compared case- and spacing-insensitively; None when empty."""
    return " ".join((value or "").casefold().split()) or None


@dataclass(frozen=True)
class EventKey:
    """What event clustering reads of one event mention: built from an `Event` (`from_event`) or from a
    store's row (the fields by name). Countries are ISO 3166-1 alpha-3 (or IGO/NGO/IMG) codes, in any
    order; dates are YYYY-MM-DD."""

    article_id: str
    index: int
    source_countries: tuple[str, ...] = ()
    target_countries: tuple[str, ...] = ()
    type: str | None = None
    cameo: str | None = None
    date: str | None = None
    date_precision: str = "unknown"
    date_end: str | None = None
    place_country: str | None = None
    place_admin1: str | None = None
    news_source: str | None = None
    asserted: bool = True
    span: tuple[dt.date, dt.date] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "source_countries", _countries(self.source_countries))
        object.__setattr__(self, "target_countries", _countries(self.target_countries))
        object.__setattr__(self, "place_country", (self.place_country or "").strip().upper() or None)
        object.__setattr__(self, "span", _span(self))

    @classmethod
    def from_event(cls, article: Article, index: int, event: Event) -> EventKey:
        """The key of `article.events[index]`; the news source is the article's, else its URL's host."""
        return cls.of(event, article_id=article.id, index=index, news_source=article.source or _host(article.url))

    @classmethod
    def of(cls, event: Event, *, article_id: str, index: int, news_source: str | None = None) -> EventKey:
        """The key of an event whose article is known by its id (a store's event row, say)."""
        place = event.location
        return cls(
            article_id=article_id,
            index=index,
            source_countries=_countries(actor.country for actor in event.source),
            target_countries=_countries(actor.country for actor in event.target),
            type=event.type or None,
            cameo=event.cameo or None,
            date=event.date,
            date_precision=event.date_precision,
            date_end=event.date_end,
            place_country=place.country if place else None,
            place_admin1=place.admin1 if place else None,
            news_source=news_source,
            asserted=not (event.modality.negated or event.modality.hypothetical),
        )

    @property
    def ref(self) -> EventRef:
        return (self.article_id, self.index)

    @property
    def dyad(self) -> Dyad:
        """The undirected dyad: the two sides' country sets, in sorted order."""
        first, second = sorted((self.source_countries, self.target_countries))
        return (first, second)

    @property
    def cameo_root(self) -> str | None:
        return self.cameo[:2] if self.cameo and len(self.cameo) >= 2 else None

    @property
    def unclustered_reason(self) -> str | None:
        """Why this mention always stays alone ("no country", "no date", "vague date"), or None."""
        if not (self.source_countries or self.target_countries):
            return "no country"
        if self.span is None:
            return "no date"
        return None if self.date_precision in CLUSTERED_PRECISIONS else "vague date"


def _host(url: str | None) -> str | None:
    canonical = canonical_url(url)
    return urlsplit(canonical).hostname if canonical else None


def _parse_date(key: EventKey, value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise FlashpointError(Errors.E422, event=_ref_text(key.ref), detail=f"'{value}' is not a date") from None


def _span(key: EventKey) -> tuple[dt.date, dt.date] | None:
    """The days the mention may fall on: [date, date_end] where given, else the whole day, ISO week
    (Monday to Sunday), month or year of `date`, by its precision."""
    if key.date is None:
        return None
    start = _parse_date(key, key.date)
    if key.date_end:
        end = _parse_date(key, key.date_end)
        if end < start:
            detail = f"date_end {key.date_end} is before date {key.date}"
            raise FlashpointError(Errors.E422, event=_ref_text(key.ref), detail=detail)
        return start, end
    if key.date_precision == "week":
        monday = start - dt.timedelta(days=start.weekday())
        return monday, monday + dt.timedelta(days=6)
    if key.date_precision == "month":
        return start.replace(day=1), start.replace(day=calendar.monthrange(start.year, start.month)[1])
    if key.date_precision == "year":
        return dt.date(start.year, 1, 1), dt.date(start.year, 12, 31)
    return start, start


def _ref_text(ref: EventRef) -> str:
    return f"{ref[0]}#{ref[1]}"


def _same_type(a: EventKey, b: EventKey) -> bool:
    """The same PLOVER type; where either has none, the same CAMEO root (its first two digits)."""
    if a.type and b.type:
        return a.type == b.type
    return a.cameo_root is not None and a.cameo_root == b.cameo_root


def _gap_days(a: tuple[dt.date, dt.date], b: tuple[dt.date, dt.date]) -> int:
    """Days between two spans; 0 or less when they overlap."""
    return (max(a[0], b[0]) - min(a[1], b[1])).days


def _tolerance(a: EventKey, b: EventKey, window_days: int) -> int:
    return window_days if a.date_precision == b.date_precision == "day" else 0


def _place_conflict(a: EventKey, b: EventKey) -> bool:
    if a.place_country and b.place_country and a.place_country != b.place_country:
        return True
    first, second = _place_name(a.place_admin1), _place_name(b.place_admin1)
    return bool(first and second and first != second)


def distinct_reason(a: EventKey, b: EventKey, *, window_days: int = 1) -> str | None:
    """The first rule by which two mentions are of different events, or None if they may be one event.

    In order: "same article" (two mentions in one article are kept apart); "no country", "no date" or
    "vague date" (either is never clustered); "dyad" (undirected country dyads differ); "type" (PLOVER
    types differ, or CAMEO roots where a type is missing); "modality" (one asserted, the other negated or
    hypothetical); "date" (day spans more than `window_days` apart, or other spans not overlapping);
    "place" (both countries known and different, or both admin1 known and different).
    """
    if a.article_id == b.article_id:
        return "same article"
    unclustered = a.unclustered_reason or b.unclustered_reason
    if unclustered:
        return unclustered
    if a.dyad != b.dyad:
        return "dyad"
    if not _same_type(a, b):
        return "type"
    if a.asserted != b.asserted:
        return "modality"
    assert a.span is not None and b.span is not None  # unclustered_reason said they have dates
    if _gap_days(a.span, b.span) > _tolerance(a, b, window_days):
        return "date"
    return "place" if _place_conflict(a, b) else None


def same_event(a: EventKey, b: EventKey, *, window_days: int = 1) -> bool:
    """Whether two mentions may report one event (`distinct_reason` is None)."""
    return distinct_reason(a, b, window_days=window_days) is None


def cluster_id_for(article_id: str, index: int) -> str:
    """The id of a cluster first mentioned as event `index` of `article_id`: stable across runs."""
    return "ev-" + hashlib.sha256(f"{article_id}\x1f{index}".encode()).hexdigest()[:16]


@dataclass
class EventCluster:
    """One real-world event: its mentions in the order they were assigned (the first names the cluster)."""

    id: str
    mentions: list[EventRef]
    dyad: Dyad
    type: str | None
    articles: int
    sources: int
    start: str | None
    end: str | None


class EventClusterer:
    """Assigns event mentions to clusters incrementally, in the order they come.

    A mention joins the oldest cluster all of whose members it may be one event with (`same_event`:
    complete linkage, so a cluster never drifts along a chain of near dates); otherwise it opens a new
    cluster named by `cluster_id_for` itself. Assigning a mention twice returns its cluster.
    """

    def __init__(self, *, window_days: int = 1) -> None:
        _check_option("window_days", window_days, 0, 30)
        self.window_days = window_days
        self._members: dict[str, list[EventKey]] = {}
        self._cluster_of: dict[EventRef, str] = {}
        self._buckets: dict[tuple[Dyad, int], list[str]] = {}
        self._rank: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._members)

    def __getitem__(self, ref: EventRef) -> str:
        return self._cluster_of[ref]

    def assign(self, key: EventKey) -> str:
        """The cluster id of the mention, joining an open cluster or opening one."""
        if key.ref in self._cluster_of:
            return self._cluster_of[key.ref]
        cluster_id = next((cid for cid in self._candidates(key) if self._accepts(cid, key)), None)
        cluster_id = cluster_id or cluster_id_for(*key.ref)
        self._attach(key, cluster_id)
        return cluster_id

    def restore(self, key: EventKey, cluster_id: str) -> None:
        """Put a stored mention back in its stored cluster, unchecked (to resume after a restart)."""
        known = self._cluster_of.get(key.ref)
        if known is not None and known != cluster_id:
            raise FlashpointError(Errors.E424, event=_ref_text(key.ref), cluster=known, other=cluster_id)
        if known is None:
            self._attach(key, cluster_id)

    def clusters(self) -> list[EventCluster]:
        """Every cluster, in the order they were opened."""
        return [_summary(cluster_id, members) for cluster_id, members in self._members.items()]

    def cluster(self, cluster_id: str) -> EventCluster:
        """One cluster, by id."""
        return _summary(cluster_id, self._members[cluster_id])

    def _accepts(self, cluster_id: str, key: EventKey) -> bool:
        return all(same_event(key, member, window_days=self.window_days) for member in self._members[cluster_id])

    def _candidates(self, key: EventKey) -> list[str]:
        if key.unclustered_reason or key.span is None:
            return []
        found = {cid for week in _weeks(key.span, self.window_days) for cid in self._buckets.get((key.dyad, week), ())}
        return sorted(found, key=self._rank.__getitem__)

    def _attach(self, key: EventKey, cluster_id: str) -> None:
        self._rank.setdefault(cluster_id, len(self._rank))
        self._members.setdefault(cluster_id, []).append(key)
        self._cluster_of[key.ref] = cluster_id
        if key.span is not None and not key.unclustered_reason:
            for week in _weeks(key.span, 0):
                bucket = self._buckets.setdefault((key.dyad, week), [])
                if cluster_id not in bucket:
                    bucket.append(cluster_id)


def _weeks(span: tuple[dt.date, dt.date], margin_days: int) -> range:
    """The 7-day buckets (ordinal // 7) that the span, widened by `margin_days` each side, touches."""
    return range((span[0].toordinal() - margin_days) // 7, (span[1].toordinal() + margin_days) // 7 + 1)


def _summary(cluster_id: str, members: list[EventKey]) -> EventCluster:
    spans = [member.span for member in members if member.span is not None]
    return EventCluster(
        id=cluster_id,
        mentions=[member.ref for member in members],
        dyad=members[0].dyad,
        type=members[0].type,
        articles=len({member.article_id for member in members}),
        sources=len({member.news_source for member in members if member.news_source}),
        start=min(span[0] for span in spans).isoformat() if spans else None,
        end=max(span[1] for span in spans).isoformat() if spans else None,
    )


def cluster_events(keys: Iterable[EventKey], *, window_days: int = 1) -> dict[EventRef, str]:
    """Every mention's cluster id, assigning them in the order given (pass them in ingestion order)."""
    clusterer = EventClusterer(window_days=window_days)
    return {key.ref: clusterer.assign(key) for key in keys}
