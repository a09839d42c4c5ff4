"""When events happened: temporal expressions found in the text, resolved against a reference date.

Two parts:

- `find_timexes(text, reference)` finds the time phrases of a text ("on Friday", "earlier in the week",
  "January 16", "two days ago", "in 2019", "1980-88") and resolves each to a `TimeValue`: a date, its
  precision (day/week/month/year), where a range ends, and its basis ("explicit" for a calendar date the
  text writes out, "relative" for one counted from the reference date). The relative phrases are data
  (`data/time/relative.tsv`); weekdays and months come from the standard calendar.
- `TimeResolver`, the `time` pipeline stage, ties each event to the time phrase that the dependency parse
  attaches to its trigger word's clause (the phrase's way up to its verb meets the trigger's way up to
  the root). An event with no phrase of its own takes the time of the event before it in the same
  paragraph (narration keeps its time until the text moves it), else the reference date itself (basis
  "publication"; an embedded post's own date, basis "explicit"). A phrase that ends years before the
  reference marks the event historical.

The reference date is the article's publication date; when no input gave one, the latest date of the
embedded posts stands in for it (`published_basis` "statements").
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, cached_property
from typing import Any

from spacy.tokens import Doc, Span, Token

from .datafiles import read_tsv
from .model import Article, Event

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): number for number, name in enumerate(calendar.day_name)}
NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}  # fmt: skip
UNIT_PRECISION = {"day": "day", "week": "week", "weekend": "week", "month": "month", "year": "year"}
YEAR_PREPOSITIONS = "in|since|during|until|by|of|from|before|after|between|throughout"
MONTH_PREPOSITIONS = "in|since|during|until|by|early|late|mid|last|this|next|from|before|after"
WEEKDAY_MODIFIERS = "last|this|next|past|on"
# A month written without a day is within this many days of the reference before it counts as last year's.
FUTURE_SLACK_DAYS = 7
HISTORICAL_YEARS = 5  # as data/events/modality.yaml's historical.min_years_ago
PART_OF_DAY = "(?:morning|afternoon|evening|night)"
CLAUSE_POS = frozenset({"VERB", "AUX"})


@dataclass(frozen=True)
class TimeValue:
    date: str
    precision: str
    basis: str
    end: str | None = None


@dataclass(frozen=True)
class Timex:
    """A time phrase: its character span in the text and what it resolves to."""

    text: str
    start: int
    end: int
    value: TimeValue


@dataclass(frozen=True)
class _Relative:
    anchor: str
    offset: int
    so_far: bool


@cache
def _relative_phrases() -> dict[str, _Relative]:
    rows = read_tsv("time/relative.tsv")
    return {row["phrase"]: _Relative(row["anchor"], int(row["offset"]), row["so_far"] == "1") for row in rows}


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation of the words, longest first so that "earlier this week" beats "this week"."""
    return "|".join(sorted((re.escape(word) for word in words), key=len, reverse=True))


@cache
def _pattern() -> re.Pattern[str]:
    month = rf"(?:{_alternation(MONTHS)})\.?"
    weekday = _alternation(WEEKDAYS)
    number = rf"(?:\d{{1,2}}|{_alternation(NUMBER_WORDS)})"
    day, year, ordinal = r"\d{1,2}", r"\d{4}", r"(?:st|nd|rd|th)?"
    parts = {
        "iso": r"(?:on\s+)?(?P<iso>\d{4}-\d{2}-\d{2})",
        "md": rf"(?:on\s+)?(?P<md_month>{month})\s+(?P<md_day>{day}){ordinal}\b(?:,?\s+(?P<md_year>{year}))?",
        "dm": rf"(?:on\s+(?:the\s+)?)?(?P<dm_day>{day}){ordinal}\s+(?:of\s+)?"
        rf"(?P<dm_month>{month})(?:,?\s+(?P<dm_year>{year}))?",
        "ym": rf"(?P<ym_month>{month})\s+(?P<ym_year>\d{{4}})",
        "mo": rf"(?:{MONTH_PREPOSITIONS})\s+(?P<mo_month>{month})",
        "range": r"(?P<range_a>1[5-9]\d\d|20\d\d)\s*[-\u2013/]\s*(?P<range_b>\d{4}|\d{2})(?!\d)",
        "year": rf"(?:{YEAR_PREPOSITIONS})\s+(?:the\s+year\s+)?(?P<year>1[5-9]\d\d|20\d\d)(?!\d|-|\u2013)",
        "ago": rf"(?P<ago_n>{number})\s+(?P<ago_unit>day|week|month|year)s?\s+ago",
        "rel": rf"(?P<rel>{_alternation(_relative_phrases())})",
        "wd": rf"(?:(?P<wd_mod>{WEEKDAY_MODIFIERS})\s+)?(?P<wd>{weekday})(?:\s+{PART_OF_DAY})?",
    }
    # The lookahead only skips, early, the words no phrase starts with (most of a text): it matches nothing.
    first = rf"(?=\d|(?:{_alternation(_first_words())})\b)"
    return re.compile(r"\b" + first + "(?:" + "|".join(parts.values()) + r")\b", re.IGNORECASE)


def _first_words() -> set[str]:
    """Every word a time phrase may start with (it may also start with a digit)."""
    words = {"on", *MONTHS, *WEEKDAYS, *NUMBER_WORDS, *WEEKDAY_MODIFIERS.split("|")}
    words |= {*YEAR_PREPOSITIONS.split("|"), *MONTH_PREPOSITIONS.split("|")}
    return words | {phrase.split()[0] for phrase in _relative_phrases()}


def find_timexes(text: str, reference: date | None, *, forward: bool = False) -> list[Timex]:
    """Every time phrase of `text` that resolves against `reference` (absolute dates need none)."""
    found = []
    for match in _pattern().finditer(text):
        value = _value(match, reference, forward=forward)
        if value is not None:
            found.append(Timex(match.group(0), match.start(), match.end(), value))
    return found


def resolve(expression: str, reference: date | None, *, forward: bool = False) -> TimeValue | None:
    """The value of one time phrase ("on Friday", "last month"), or None when it is not one we read."""
    match = _pattern().fullmatch(expression.strip())
    return _value(match, reference, forward=forward) if match else None


def _value(match: re.Match[str], reference: date | None, *, forward: bool) -> TimeValue | None:
    kind = match.lastgroup or ""
    groups = {key: value for key, value in match.groupdict().items() if value is not None}
    try:
        if "iso" in groups:
            return _day(date.fromisoformat(groups["iso"]), "explicit")
        if "range_a" in groups:
            return _year_range(groups["range_a"], groups["range_b"])
        if "year" in groups:
            return _year(int(groups["year"]))
        if reference is None:
            return None
        return _relative_value(groups, kind, reference, forward=forward)
    except ValueError:  # "February 30", a range that runs backwards
        return None


def _relative_value(groups: dict[str, str], kind: str, reference: date, *, forward: bool) -> TimeValue | None:
    if "md_month" in groups:
        return _month_day(groups["md_month"], groups["md_day"], groups.get("md_year"), reference, forward)
    if "dm_month" in groups:
        return _month_day(groups["dm_month"], groups["dm_day"], groups.get("dm_year"), reference, forward)
    if "ym_month" in groups:
        return _month(int(groups["ym_year"]), _month_number(groups["ym_month"]), "explicit")
    if "mo_month" in groups:
        return _bare_month(groups["mo_month"], reference, forward)
    if "ago_n" in groups:
        return _ago(groups["ago_n"], groups["ago_unit"], reference)
    if "rel" in groups:
        return _relative(_relative_phrases()[groups["rel"].lower()], reference)
    if "wd" in groups:
        return _weekday(groups["wd"], groups.get("wd_mod", "").lower(), reference, forward)
    return None


def _day(day: date, basis: str) -> TimeValue:
    return TimeValue(day.isoformat(), "day", basis)


def _span(start: date, end: date, precision: str, basis: str) -> TimeValue:
    return TimeValue(start.isoformat(), precision, basis, end.isoformat())


def _month_number(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _month(year: int, month: int, basis: str) -> TimeValue:
    return _span(date(year, month, 1), _month_end(year, month), "month", basis)


def _year(year: int) -> TimeValue:
    return _span(date(year, 1, 1), date(year, 12, 31), "year", "explicit")


def _year_range(first: str, last: str) -> TimeValue | None:
    """ "1980-88" or "1980-1988": the years from the first to the last, inclusive."""
    end_year = int(first[: 4 - len(last)] + last)
    if end_year <= int(first):
        return None
    return _span(date(int(first), 1, 1), date(end_year, 12, 31), "year", "explicit")


def _nearest_year(month: int, day: int, reference: date, forward: bool) -> date:
    """The date in the reference's year, or the year before (after, for the future) when that is nearer."""
    candidate = date(reference.year, month, day)
    if not forward and candidate > reference + timedelta(days=FUTURE_SLACK_DAYS):
        return date(reference.year - 1, month, day)
    if forward and candidate < reference - timedelta(days=FUTURE_SLACK_DAYS):
        return date(reference.year + 1, month, day)
    return candidate


def _month_day(month: str, day: str, year: str | None, reference: date, forward: bool) -> TimeValue:
    number = _month_number(month)
    if year:
        return _day(date(int(year), number, int(day)), "explicit")
    return _day(_nearest_year(number, int(day), reference, forward), "explicit")


def _bare_month(month: str, reference: date, forward: bool) -> TimeValue:
    number = _month_number(month)
    year = _nearest_year(number, 1, reference, forward).year
    if not forward and number > reference.month:
        year = reference.year - 1
    return _month(year, number, "explicit")


def _ago(amount: str, unit: str, reference: date) -> TimeValue:
    count = NUMBER_WORDS.get(amount.lower()) or int(amount)
    return _relative(_Relative(unit.lower(), -count, False), reference)


def _relative(phrase: _Relative, reference: date) -> TimeValue:
    start, end = _unit_range(phrase.anchor, phrase.offset, reference)
    if phrase.so_far:
        end = max(start, min(end, reference - timedelta(days=1)))
    if phrase.anchor == "day":
        return _day(start, "relative")
    return _span(start, end, UNIT_PRECISION[phrase.anchor], "relative")


def _unit_range(unit: str, offset: int, reference: date) -> tuple[date, date]:
    if unit == "day":
        day = reference + timedelta(days=offset)
        return day, day
    if unit in {"week", "weekend"}:
        monday = reference - timedelta(days=reference.weekday()) + timedelta(weeks=offset)
        if unit == "weekend":
            return monday + timedelta(days=5), monday + timedelta(days=6)
        return monday, monday + timedelta(days=6)
    if unit == "month":
        index = reference.year * 12 + reference.month - 1 + offset
        year, month = divmod(index, 12)
        return date(year, month + 1, 1), _month_end(year, month + 1)
    year = reference.year + offset
    return date(year, 1, 1), date(year, 12, 31)


def _weekday(name: str, modifier: str, reference: date, forward: bool) -> TimeValue:
    """The named day nearest the reference on the side the text points to (the past, unless future)."""
    target = WEEKDAYS[name.lower()]
    if modifier == "next" or (forward and modifier != "last"):
        days = (target - reference.weekday()) % 7 or 7
        return _day(reference + timedelta(days=days), "relative")
    days_back = (reference.weekday() - target) % 7
    if modifier in {"last", "past"} and days_back == 0:
        days_back = 7
    return _day(reference - timedelta(days=days_back), "relative")


# --- tying events to time phrases ------------------------------------------------------------------


@dataclass
class _Anchor:
    """A time phrase placed in a parse: its tokens' way up to the first verb."""

    timex: Timex
    path: list[Token]

    @cached_property
    def sent(self) -> Span:
        """The sentence of the phrase's way up."""
        return self.path[0].sent


def _way_up(token: Token, *, stop: frozenset[str] = CLAUSE_POS) -> list[Token]:
    path = [token]
    while token.head.i != token.i and token.pos_ not in stop:
        token = token.head
        path.append(token)
    return path


def _anchors(doc: Doc, timexes: list[Timex]) -> list[_Anchor]:
    anchors = []
    for timex in timexes:
        span = doc.char_span(timex.start, timex.end, alignment_mode="expand")
        if span is not None and len(span):
            anchors.append(_Anchor(timex, _way_up(span.root.head if span.root.dep_ == "ROOT" else span.root)))
    return anchors


def _ancestors(token: Token) -> list[Token]:
    return [token, *token.ancestors]


def _tie(trigger: Token, anchors: list[_Anchor]) -> Timex | None:
    """The time phrase whose way up meets the trigger's way up nearest the trigger, in its sentence."""
    if not anchors:
        return None
    chain = {token.i: distance for distance, token in enumerate(_ancestors(trigger))}
    sent = trigger.sent
    best: tuple[int, int, Timex] | None = None
    for anchor in anchors:
        if anchor.sent != sent:
            continue
        meeting = [chain[token.i] for token in anchor.path if token.i in chain]
        if meeting:
            key = (min(meeting), abs(anchor.path[0].i - trigger.i), anchor.timex)
            best = key if best is None or key[:2] < best[:2] else best
    return best[2] if best else None


def _trigger(doc: Doc, event: Event) -> Token | None:
    start = event.evidence.trigger_start
    if start is None:
        start = event.evidence.start
    span = doc.char_span(start, max(start + 1, event.evidence.trigger_end or 0), alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _paragraph(text: str, offset: int) -> int:
    return text.count("\n", 0, offset)


def _reference(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def publication_date(article: Article) -> None:
    """Fill a missing publication date from the embedded posts' dates (the latest), saying so."""
    if article.published:
        return
    dates = sorted(day for day in (_reference(s.date) for s in article.statements) if day is not None)
    if dates:
        article.published, article.published_basis = dates[-1].isoformat(), "statements"


def _date_event(event: Event, value: TimeValue, reference: date | None) -> None:
    event.date, event.date_precision, event.date_basis, event.date_end = (
        value.date, value.precision, value.basis, value.end
    )  # fmt: skip
    last_day = _reference(value.end or value.date)
    if reference is not None and last_day is not None and last_day.year <= reference.year - HISTORICAL_YEARS:
        event.modality.historical = True


def date_events(doc: Doc | None, events: list[Event], reference: date | None, default: TimeValue | None) -> None:
    """Date the events coded from one text (story or post), in text order."""
    if not events:
        return
    if doc is None:
        for event in events:
            if default is not None:
                _date_event(event, default, reference)
        return
    text = doc.text  # spaCy joins the tokens' texts on every access
    anchors = _anchors(doc, find_timexes(text, reference))
    last: tuple[int, TimeValue] | None = None  # the paragraph and time of the last event a phrase dated
    for event in sorted(events, key=lambda e: e.evidence.start):
        trigger = _trigger(doc, event)
        timex = _tie(trigger, anchors) if trigger is not None else None
        paragraph = _paragraph(text, event.evidence.start)
        value = _event_value(timex, event, reference) if timex else None
        if value is not None:
            last = (paragraph, value)
        else:
            value = last[1] if last and last[0] == paragraph else default
        if value is not None:
            _date_event(event, value, reference)


def _event_value(timex: Timex, event: Event, reference: date | None) -> TimeValue:
    """The phrase's value, counted forward from the reference for an event in the future."""
    if event.modality.future and timex.value.basis == "relative":
        return resolve(timex.text, reference, forward=True) or timex.value
    return timex.value


class TimeResolver:
    """The `time` pipeline stage: every event's date, precision, basis and range end."""

    name = "time"

    def __init__(self, **_: Any) -> None:
        pass

    def __call__(self, article: Article) -> Article:
        publication_date(article)
        published = _reference(article.published)
        default = _day(published, "publication") if published else None
        story = [event for event in article.events if event.statement is None]
        date_events(article.doc, story, published, default)
        for index, statement in enumerate(article.statements):
            posted = _reference(statement.date)
            events = [event for event in article.events if event.statement == index]
            doc = article.statement_docs[index] if index < len(article.statement_docs) else None
            reference = posted or published
            date_events(doc, events, reference, _day(posted, "explicit") if posted else default)
        return article
