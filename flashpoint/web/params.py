"""Checks of request parameters that the types alone do not make: country codes, dyads, event types, dates."""

from __future__ import annotations

import re
from functools import cache

from ..datafiles import read_tsv
from ..errors import Errors, FlashpointError
from ..sources.detect import parse_date

_COUNTRY = re.compile(r"[A-Za-z]{3}")


def country(value: str | None, *, name: str) -> str | None:
    """A country code in capitals (ISO 3166-1 alpha-3, or IGO/NGO/IMG as actors carry), None when not given."""
    if value is None or value == "":
        return None
    if not _COUNTRY.fullmatch(value):
        raise FlashpointError(Errors.E451, name=name, value=value)
    return value.upper()


def required_country(value: str, *, name: str) -> str:
    code = country(value, name=name)
    if code is None:
        raise FlashpointError(Errors.E451, name=name, value=value)
    return code


def dyad(value: str | None) -> tuple[str, str] | None:
    """`PAK-IRN` as ("PAK", "IRN"); None when not given."""
    if value is None or value == "":
        return None
    parts = value.split("-")
    if len(parts) != 2 or not all(_COUNTRY.fullmatch(part) for part in parts):
        raise FlashpointError(Errors.E452, value=value)
    return parts[0].upper(), parts[1].upper()


@cache
def plover_types() -> tuple[str, ...]:
    """The 16 PLOVER types (read from the data file, not through `flashpoint.events`, which loads spaCy)."""
    return tuple(row["type"] for row in read_tsv("events/plover.tsv"))


def event_type(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    if value.upper() not in plover_types():
        raise FlashpointError(Errors.E454, value=value, known=", ".join(plover_types()))
    return value.upper()


def day(value: str | None, *, name: str) -> str | None:
    """A YYYY-MM-DD date, None when not given (E110 otherwise)."""
    return parse_date(value, name=name)


def window(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    first, last = day(since, name="since"), day(until, name="until")
    if first and last and first > last:
        raise FlashpointError(Errors.E431, since=first, until=last)
    return first, last
