"""The actors stage: who is named in a story, coded as country + sector + role (PLOVER/CAMEO style).

`find_mentions(doc)` works on any parsed text (the story or a statement); `ActorFinder` is the pipeline stage
that sets `article.mentions` for the story. `home_country(article)` is the country a bare title ("the foreign
minister") belongs to: pass it as `context_country` when coding the article's statements.

Actor coding:

- `country`: ISO 3166-1 alpha-3 ("PAK"); "IGO"/"NGO" for international organisations; "IMG" for
  transnational armed groups (Islamic State, al-Qaeda); None when unknown.
- `sector`: GOV, MIL, COP, LEG, JUD, SPY, REB, UAF, OPP, PTY, CVL, REF, BUS, MED, EDU, HLH, LAB, AGR, ELI,
  CRM, REL, NGO; None for a country named bare ("Pakistan", "Iranians": the state or people as a whole);
  for an IGO/NGO the organisation's code ("UN", "NATO"), so that country + sector reads "IGOUN".
- `role`: the office ("foreign minister", "foreign ministry"); `person`: the name.
- `location`: where a group is ("Balochistan"), when the text says.
- `name`: the person's name, the country's or organisation's name, or the phrase for a body.
- `text`: the words of this mention ("he", "Jilani"); the other fields are shared by all mentions of an actor.

Mention kinds: country, capital, demonym, person, institution, igo, group, pronoun (and place, with
`actor=None`, only when asked for with `include_places=True`).
"""

from __future__ import annotations

from collections import Counter
from typing import Any
from urllib.parse import urlparse

from ..model import Article
from .finder import find_mentions
from .lexicon import load_lexicon

__all__ = ["ActorFinder", "find_mentions", "home_country"]

HOME_KINDS = frozenset({"country", "demonym", "capital"})


def _hint_from_metadata(article: Article) -> str | None:
    """The outlet's country from its URL (dawn.com, .pk) or its name ("The Express Tribune")."""
    lexicon = load_lexicon()
    host = (urlparse(article.url).hostname or "") if article.url else ""
    host = host.removeprefix("www.")
    for domain, country in lexicon.domains.items():
        if host == domain or host.endswith("." + domain):
            return country
    suffix = host.rsplit(".", 1)[-1] if "." in host else ""
    if suffix in lexicon.tlds and suffix not in ("tv", "io", "me", "co", "ai", "fm", "ly"):
        return lexicon.tlds[suffix]
    source = (article.source or "").strip().lower()
    return lexicon.media_countries.get(source)


def home_country(article: Article) -> str | None:
    """The article's home country: from its URL or source, else the country its mentions name most."""
    hint = _hint_from_metadata(article)
    if hint is not None:
        return hint
    counts = Counter(
        mention.actor.country
        for mention in article.mentions
        if mention.kind in HOME_KINDS and mention.actor is not None and mention.actor.country
    )
    return counts.most_common(1)[0][0] if counts else None


class ActorFinder:
    """Pipeline stage: set `article.mentions` from the parsed story `article.doc`."""

    name = "actors"

    def __init__(self, **_: Any) -> None:
        load_lexicon()

    def __call__(self, article: Article) -> Article:
        if article.doc is None:
            article.mentions = []
            return article
        article.mentions = find_mentions(
            article.doc, context_country=_hint_from_metadata(article), include_places=True
        )
        return article
