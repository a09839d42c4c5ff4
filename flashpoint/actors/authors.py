"""The actor behind an embedded post: its author line ("Spokesperson 🇵🇰 MoFA", "Embassy of ... Iran")."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

from ..model import Actor
from ..nlp import load_nlp
from .finder import find_mentions
from .lexicon import rows

REGIONAL_A = 0x1F1E6
DASH_SEPARATOR = re.compile(r"(?<=\w)-\s+")  # "Iran- Islamabad": a separator, not a hyphen


@cache
def _iso2_to_iso3() -> dict[str, str]:
    return {row["iso2"]: row["iso3"] for row in rows("countries.tsv")}


def flag_countries(text: str) -> list[str]:
    """ISO3 codes of the flag emoji in a text (pairs of regional indicator symbols)."""
    letters = [chr(ord(ch) - REGIONAL_A + ord("A")) if 0 <= ord(ch) - REGIONAL_A < 26 else " " for ch in text]
    pairs = "".join(letters).split()
    codes = [pair[i : i + 2] for pair in pairs for i in range(0, len(pair) - 1, 2)]
    return [_iso2_to_iso3()[code] for code in codes if code in _iso2_to_iso3()]


@cache
def actor_from_author(author: str, *, handle: str | None = None) -> Actor | None:
    """A state actor for an official account: a flag gives the country, the words give sector and role."""
    flags = flag_countries(author)
    words = DASH_SEPARATOR.sub(" - ", author)
    mentions = find_mentions(load_nlp()(words), context_country=flags[0] if flags else None)
    coded = next((m.actor for m in mentions if m.actor is not None and m.actor.country), None)
    label = author or (f"@{handle}" if handle else "")
    if coded is not None:
        return replace(coded, name=coded.name or label, text=label)
    if flags:
        return Actor(name=label, text=label, country=flags[0], sector="GOV")
    return None
