"""Find who acts in a parsed story: lexicon matches grown into noun phrases, then countries and coreference.

The steps, over one spaCy Doc:

1. **Match** every lexicon phrase (countries, demonyms, capitals, titles, institutions, named bodies, armed
   groups, IGOs, media, regions) and keep the longest, highest-priority match where two overlap.
2. **Compose** each title or institution with the words in front of it ("Caretaker Foreign Minister",
   "the Iranian foreign ministry", "Pakistan's army chief"), the person named after it ("... Jalil Abbas
   Jilani", "his counterpart, Hossein Amir Abdollahian") and an "of"-phrase ("Foreign Minister of Iran").
   A country or capital that is the object of a locative preposition ("in Tehran") is a place, not an actor;
   one that modifies another noun ("the Iran-Iraq war") is neither.
3. **Fall back** on spaCy's PERSON, ORG and NORP entities for names the lexicon lacks.
4. **Resolve**: surnames and "the minister" to the person first named; "counterpart" to the role of the
   person it is the counterpart of; he/his, it/its and they/their to the nearest fitting actor (subjects
   first); and a country for every title or body written without one: the place it is in (for non-state
   groups), else the article's home country.

The home country is ``context_country`` when given, else the most frequent country among the
country/demonym/capital mentions (ties: the first named), leaving out a country that a "counterpart" of an
unnamed-country official belongs to ("Foreign Minister X ... his Iranian counterpart": X is not Iranian).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from spacy.attrs import LOWER, ORTH
from spacy.strings import get_string_id
from spacy.tokens import Span

from ..model import Actor, Mention, Place
from .lexicon import PRIORITY, Entry, Lexicon, load_lexicon, matchers_for

PROPER_TABLES = frozenset({"country", "demonym", "capital", "region", "named", "group", "igo", "media"})
PLACE_TABLES = frozenset({"country", "demonym", "capital", "region"})
HEAD_TABLES = frozenset({"title", "institution"})
NAMED_TABLES = frozenset({"named", "group", "igo", "media"})
MODIFIER_DEPS = frozenset({"amod", "compound", "nmod", "npadvmod", "poss", "nummod", "quantmod", "advmod"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
NP_HEAD_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "conj", "appos", "ROOT", "attr", "dative"})
POSSESSIVE = frozenset({"'s", "\u2019s", "'", "\u2019"})
HYPHENS = frozenset({"-", "\u2013"})
WINDOW_SENTENCES = 2
# How much a mention counts towards the home country: regions only break ties or stand in for no country.
COUNTRY_WEIGHTS = {"country": 2, "demonym": 2, "capital": 2, "region": 1}
MAX_NAME_TOKENS = 5
RANK = {table: rank for rank, table in enumerate(PRIORITY)}


@dataclass
class _Hit:
    """A lexicon match chosen for the doc: tokens [start, end) and its entry."""

    start: int
    end: int
    entry: Entry
    used: bool = False


@dataclass(eq=False)
class _Draft:
    """A mention being built: token span, what it codes to so far, and how it links to others."""

    start: int
    end: int
    kind: str
    name: str
    root: int
    country: str | None = None
    sector: str | None = None
    role: str | None = None
    person: str | None = None
    location: str | None = None
    needs_country: bool = False
    counterpart: bool = False
    plural: bool = False
    place: bool = False
    antecedent: _Draft | None = None
    counterpart_of: _Draft | None = None
    location_country: str | None = None

    def resolved(self) -> _Draft:
        """The first mention of the same actor (itself when it starts a chain)."""
        draft = self
        while draft.antecedent is not None:
            draft = draft.antecedent
        return draft


@dataclass
class _State:
    """Everything one call works on: the doc, the lexicon, chosen hits by token, and drafts so far."""

    doc: Any
    lexicon: Lexicon
    hits: list[_Hit]
    by_token: dict[int, _Hit]
    sentence_of: list[int]
    drafts: list[_Draft] = field(default_factory=list)

    def hit_at(self, index: int, *, tables: frozenset[str] = PROPER_TABLES) -> _Hit | None:
        hit = self.by_token.get(index)
        return hit if hit is not None and not hit.used and hit.entry.table in tables else None


def find_mentions(
    doc: Any, *, context_country: str | None = None, include_places: bool = False
) -> list[Mention]:
    """Actor mentions in a parsed doc, in text order, with char offsets into ``doc.text``.

    ``context_country`` (ISO3) is the article's home country for titles and bodies written without one;
    when None it is guessed from the doc. ``include_places`` adds countries, capitals and regions used as
    places ("in Tehran") as mentions of kind "place" with ``actor=None``.
    """
    state = _prepare(doc)
    _compose_heads(state)
    _compose_proper(state)
    _fallback_entities(state)
    _add_surnames(state)
    _add_pronouns(state)
    state.drafts.sort(key=lambda draft: (draft.start, draft.end))
    _resolve(state, context_country)
    return [_to_mention(state, draft) for draft in state.drafts if _keep(draft, include_places)]


# --- 1. match -------------------------------------------------------------------------------------------


def _prepare(doc: Any) -> _State:
    lexicon = load_lexicon()
    hits = _select(doc, matchers_for(doc.vocab)(doc))
    by_token = {index: hit for hit in hits for index in range(hit.start, hit.end)}
    sentence_of = [0] * len(doc)
    if doc.has_annotation("SENT_START"):
        for number, sentence in enumerate(doc.sents):
            sentence_of[sentence.start : sentence.end] = [number] * len(sentence)
    return _State(doc, lexicon, hits, by_token, sentence_of)


def _select(doc: Any, matches: list[tuple[Any, Entry]]) -> list[_Hit]:
    """Longest match first, then table priority; drop overlaps and place names inside a person's name."""
    ranked = sorted(matches, key=lambda m: (-(m[0].end - m[0].start), RANK[m[1].table], m[0].start))
    words = {
        index
        for span, entry in matches
        if entry.table in HEAD_TABLES
        for index in range(span.start, span.end)
    }
    taken = [False] * len(doc)
    chosen = []
    for span, entry in ranked:
        if any(taken[span.start : span.end]) or _inside_person_name(span, entry, words):
            continue
        taken[span.start : span.end] = [True] * (span.end - span.start)
        chosen.append(_Hit(span.start, span.end, entry))
    return sorted(chosen, key=lambda hit: hit.start)


def _inside_person_name(span: Any, entry: Entry, words: set[int]) -> bool:
    """'Michael Jordan': a place word inside a PERSON entity with other name words is part of the name."""
    if entry.table not in ("country", "capital", "region") or span.doc[span.start].ent_type_ != "PERSON":
        return False
    ents = [ent for ent in span.doc.ents if ent.start <= span.start and ent.end >= span.end]
    others = [token for token in ents[0] if token.i < span.start or token.i >= span.end] if ents else []
    return any(
        token.pos_ == "PROPN" and token.text not in POSSESSIVE and token.i not in words for token in others
    )


# --- 2. compose titles and institutions ------------------------------------------------------------------


def _compose_heads(state: _State) -> None:
    """Titles and institutions, right to left, each absorbing the modifiers before it."""
    for hit in reversed(state.hits):
        if hit.used or hit.entry.table not in HEAD_TABLES or not _is_head(state, hit):
            continue
        draft = _compose_head(state, hit)
        if draft is not None:
            state.drafts.append(draft)


def _is_head(state: _State, hit: _Hit) -> bool:
    """A title/institution used as a noun ('the army', 'army base'), not as an adjective

    ('military operation') nor as a descriptor of a named body after it ('the rebel Free Syrian Army').
    """
    last = state.doc[hit.end - 1]
    if last.pos_ not in ("NOUN", "PROPN") and state.doc.has_annotation("POS"):
        return False
    for index in (last.head.i, hit.end):
        named = state.by_token.get(index)
        if index > last.i and named is not None and named.entry.table in NAMED_TABLES:
            return False
    return True


def _compose_head(state: _State, hit: _Hit) -> _Draft | None:
    start, end = hit.start, hit.end
    person, end = _name_after(state, hit, end)
    modifiers, end = _of_phrase(state, hit, end)
    if person is None and modifiers:
        person, end = _name_after(state, hit, end)
    left, start = _absorb_left(state, start, end, title=hit.entry.table == "title")
    if not modifiers and not any(h.entry.table in PROPER_TABLES for h in left):
        modifiers, end = _of_phrase(state, hit, end, word="from")
    parts = [h for h in left if h.entry.table in HEAD_TABLES] + [hit]
    modifiers = [h for h in left if h.entry.table not in HEAD_TABLES] + modifiers
    for used in (*parts, *modifiers):
        used.used = True
    return _head_draft(state, start, end, hit, parts, modifiers, person)


def _name_after(state: _State, hit: _Hit, end: int) -> tuple[str | None, int]:
    """A person's name right after a title ('Minister Jalil Abbas Jilani') or in apposition after a comma."""
    if hit.entry.table != "title":
        return None, end
    doc = state.doc
    start = end
    if start < len(doc) and doc[start].text == ",":
        start += 1
    stop = start
    while stop < len(doc) and stop - start < MAX_NAME_TOKENS and _is_name_token(state, stop):
        stop += 1
    if stop == start:
        return None, end
    if start > end and doc[start:stop].root.dep_ != "appos":
        return None, end
    return doc[start:stop].text, stop


def _is_name_token(state: _State, index: int) -> bool:
    token = state.doc[index]
    if index in state.by_token or token.text in POSSESSIVE or token.text[:1] in ("@", "#"):
        return False
    if token.ent_type_ == "PERSON":
        return True
    return token.pos_ == "PROPN" and token.text[:1].isupper() and token.ent_type_ in ("", "NORP")


def _of_phrase(state: _State, hit: _Hit, end: int, *, word: str = "of") -> tuple[list[_Hit], int]:
    """'Foreign Minister of Iran', 'diplomats from Poland': the country after 'of' (or 'from')."""
    doc = state.doc
    if end >= len(doc) - 1 or doc[end].lower_ != word:
        return [], end
    index = end + 1
    if doc[index].lower_ == "the" and index + 1 < len(doc):
        index += 1
    found = state.hit_at(index, tables=PROPER_TABLES - {"demonym", "media"})
    if found is None or found.start != index:
        return [], end
    return [found], found.end


def _absorb_left(state: _State, start: int, end: int, *, title: bool) -> tuple[list[_Hit], int]:
    """Grow the phrase leftwards over modifiers: lexicon hits, "X's", "X-led", and words that modify it.

    Titles stack ("army chief General Asim Munir"), so a title right before a title is always taken.
    """
    doc = state.doc
    absorbed: list[_Hit] = []
    index = start - 1
    while index >= 0:
        token = doc[index]
        if _joins(state, token):
            index -= 1
            continue
        hit = state.by_token.get(index)
        stacked = title and hit is not None and hit.entry.table == "title" and index == start - 1
        if hit is not None and not hit.used and (stacked or _modifies(state, token, start, end, hit=True)):
            absorbed.append(hit)
            index = start = hit.start
            index -= 1
            continue
        if hit is None and _modifies(state, token, start, end, hit=False):
            index = start = index
            index -= 1
            continue
        break
    return absorbed, _after_punctuation(doc, start, end)


def _joins(state: _State, token: Any) -> bool:
    """A possessive after a proper name ("Pakistan's") or a hyphen inside a compound ("Saudi-led")."""
    if token.i == 0:
        return False
    before = state.doc[token.i - 1]
    if token.text in POSSESSIVE:
        return state.hit_at(token.i - 1) is not None
    return token.text in HYPHENS and before.is_alpha and token.head.i > token.i


def _after_punctuation(doc: Any, start: int, end: int) -> int:
    while start < end - 1 and doc[start].is_punct:
        start += 1
    return start


def _modifies(state: _State, token: Any, start: int, end: int, *, hit: bool) -> bool:
    """Whether a token just left of [start, end) belongs to the phrase."""
    if token.dep_ == "poss" and token.pos_ == "PRON":
        return False
    inside = start <= token.head.i < end or token.head.i == token.i + 1 or token.nbor(1).text in POSSESSIVE
    if hit:
        return inside or token.dep_ in MODIFIER_DEPS
    if token.pos_ not in ("ADJ", "NOUN", "PROPN", "VERB") or not (token.is_alpha or token.text == "-"):
        return False
    return token.dep_ in MODIFIER_DEPS and start <= token.head.i < end


def _head_draft(
    state: _State,
    start: int,
    end: int,
    hit: _Hit,
    parts: list[_Hit],
    modifiers: list[_Hit],
    person: str | None,
) -> _Draft | None:
    entry = hit.entry
    span = Span(state.doc, start, end)
    draft = _Draft(start, end, "person", person or _strip_article(span.text), span.root.i, person=person)
    if entry.table == "title":
        _code_title(draft, parts, modifiers)
    else:
        _code_institution(draft, entry, modifiers)
        if draft.sector is None and draft.country is None:
            return None
    last = state.doc[hit.end - 1]
    draft.plural = last.tag_ in ("NNS", "NNPS")
    if draft.plural and person is None:
        draft.kind = "institution" if entry.table == "title" else entry.kind or "institution"
    regional = any(m.entry.table == "demonym" and m.entry.country is None for m in modifiers)
    draft.needs_country = draft.country is None and not regional  # "Latin American leaders": none
    _find_location(state, draft, hit)
    return draft


def _code_title(draft: _Draft, parts: list[_Hit], modifiers: list[_Hit]) -> None:
    titles = [part.entry for part in parts if part.entry.table == "title"]
    draft.counterpart = titles[-1].role == "="
    coded = [title for title in titles if title.role != "="]
    if coded:
        best = max(coded, key=lambda title: len(title.role or ""))
        draft.role, draft.sector = best.role, best.sector
    bodies = [part.entry for part in parts if part.entry.table == "institution" and part.entry.sector]
    if bodies:
        draft.sector = bodies[-1].sector
    _apply_modifiers(draft, modifiers, override_sector=True)


def _code_institution(draft: _Draft, entry: Entry, modifiers: list[_Hit]) -> None:
    draft.kind = entry.kind or "institution"
    draft.sector, draft.role = entry.sector, entry.role
    _apply_modifiers(draft, modifiers, override_sector=False)


def _apply_modifiers(draft: _Draft, modifiers: list[_Hit], *, override_sector: bool) -> None:
    """Country (and for titles, sector) from the nearest modifier that names one."""
    for hit in sorted(modifiers, key=lambda h: h.start):
        entry = hit.entry
        if entry.table == "igo":
            draft.role = draft.role or _strip_article(draft.name).lower()
            draft.country, draft.sector = entry.country, entry.sector
            continue
        if entry.table == "region":
            draft.location = entry.name
        draft.country = entry.country
        names_sector = entry.table in ("named", "group", "media") or entry.kind == "seat"
        if names_sector and (override_sector or draft.sector is None):
            draft.sector = entry.sector


def _find_location(state: _State, draft: _Draft, hit: _Hit) -> None:
    """'militants in Balochistan', 'fighters across the border in Syria': the place a group is in."""
    for prep in _locative_preps(state, hit, draft.end):
        place = _place_in(state, prep)
        if place is not None:
            place.used = True
            _mark_place(state, place)
            draft.location = draft.location or _place_name(state, place.entry)
            draft.location_country = place.entry.country
            return


def _locative_preps(state: _State, hit: _Hit, end: int) -> list[Any]:
    """Locative prepositions attached to the head, and those in a row right after the phrase."""
    doc = state.doc
    locative = state.lexicon.cue("locative")
    preps = [child for child in doc[hit.end - 1].rights if child.dep_ == "prep" and child.lower_ in locative]
    index = end
    while index < len(doc) and doc[index].pos_ == "ADP" and doc[index].lower_ in locative:
        preps.append(doc[index])
        index = max(token.i for token in doc[index].subtree) + 1
    return preps


def _place_in(state: _State, prep: Any) -> _Hit | None:
    for token in prep.subtree:
        found = state.hit_at(token.i, tables=PLACE_TABLES)
        if found is not None:
            return found
    return None


def _place_name(state: _State, entry: Entry) -> str:
    if entry.table in ("country", "demonym") and entry.country:
        return state.lexicon.country_names.get(entry.country, entry.name)
    return entry.name


def _mark_place(state: _State, hit: _Hit) -> None:
    state.drafts.append(_as_place(state, hit))


def _strip_article(text: str) -> str:
    for article in ("the ", "The ", "a ", "A ", "an ", "An "):
        if text.startswith(article):
            return text[len(article) :]
    return text


# --- 2b. countries, capitals, demonyms, named bodies standing alone ------------------------------------


def _compose_proper(state: _State) -> None:
    for hit in state.hits:
        if hit.used or hit.entry.table not in PROPER_TABLES:
            continue
        hit.used = True
        draft = _proper_draft(state, hit)
        if draft is not None:
            state.drafts.append(draft)


def _proper_draft(state: _State, hit: _Hit) -> _Draft | None:
    entry = hit.entry
    root = Span(state.doc, hit.start, hit.end).root
    if entry.table == "region":
        return _as_place(state, hit)
    if entry.table in ("country", "capital"):
        return _country_or_capital(state, hit, root)
    if entry.table == "demonym":
        return _demonym(state, hit, root)
    kind = {"igo": "igo", "group": "group"}.get(entry.table, "institution")
    draft = _Draft(hit.start, hit.end, kind, entry.name, root.i, entry.country, entry.sector)
    draft.role = entry.role
    return draft


def _as_place(state: _State, hit: _Hit) -> _Draft:
    root = Span(state.doc, hit.start, hit.end).root
    return _Draft(
        hit.start, hit.end, "place", _place_name(state, hit.entry), root.i, hit.entry.country, place=True
    )


def _country_or_capital(state: _State, hit: _Hit, root: Any) -> _Draft | None:
    if _modifies_common_noun(state, root):
        return None
    if _is_place(state, root):
        return _as_place(state, hit)
    entry = hit.entry
    if entry.table == "country":
        return _Draft(hit.start, hit.end, "country", entry.name, root.i, entry.country)
    return _Draft(hit.start, hit.end, "capital", entry.name, root.i, entry.country, entry.sector)


def _demonym(state: _State, hit: _Hit, root: Any) -> _Draft | None:
    """'Iranians', 'the Iraqi', 'Iranian motives' code the country; 'Iranian territory' is a place."""
    entry = hit.entry
    if entry.country is None:
        return None
    plural = entry.kind == "noun"
    place_noun = root.head.lemma_.lower() in state.lexicon.cue("place_noun")
    if not plural and root.dep_ in ("amod", "compound") and place_noun:
        return _as_place(state, hit)
    return _Draft(hit.start, hit.end, "demonym", entry.name, root.i, entry.country, plural=plural)


def _modifies_common_noun(state: _State, root: Any) -> bool:
    """'the Iran-Iraq war', 'Pakistan-Iran ties': a country inside a compound headed by a common noun."""
    token = root
    while token.dep_ == "compound" and token.head.i != token.i:
        token = token.head
    return token is not root and token.pos_ == "NOUN" and token.i not in state.by_token


def _is_place(state: _State, root: Any) -> bool:
    """'in Tehran', 'flew to Tehran', 'bordering Iran' are places; 'Tehran said', 'a note to Iran' are not."""
    token = root
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
    lexicon = state.lexicon
    if token.dep_ == "dobj":
        return token.head.lemma_.lower() in lexicon.cue("place_verb")
    if token.dep_ != "pobj":
        return False
    prep = token.head
    if prep.lower_ in lexicon.cue("locative"):
        return True
    return prep.lower_ in ("to", "from") and prep.head.lemma_.lower() in lexicon.cue("motion_verb")


# --- 3. spaCy entities the lexicon lacks ---------------------------------------------------------------


def _fallback_entities(state: _State) -> None:
    covered = {index for draft in state.drafts for index in range(draft.start, draft.end)}
    covered |= set(state.by_token)
    known = _known_names(state.drafts)
    for ent in state.doc.ents:
        if not covered.isdisjoint(range(ent.start, ent.end)):
            continue
        draft = _entity_draft(state, ent, known)
        if draft is not None:
            state.drafts.append(draft)
            known |= _known_names([draft])


def _known_names(drafts: list[_Draft]) -> set[str]:
    """Full names and surnames of the people named so far."""
    names = {draft.person for draft in drafts if draft.person}
    return names | {name.split()[-1] for name in names}


def _entity_draft(state: _State, ent: Any, known: set[str]) -> _Draft | None:
    start = ent.start + 1 if ent[0].lower_ == "the" else ent.start
    end = ent.end - 1 if ent[-1].text in POSSESSIVE else ent.end
    if end <= start or not any(token.text[:1].isupper() for token in Span(state.doc, start, ent.end)):
        return None
    span = Span(state.doc, start, end)
    name = _strip_article(span.text)
    if ent.label_ == "PERSON" or name in known:
        draft = _Draft(span.start, end, "person", name, span.root.i, person=name)
        draft.country = _country_after_of(state, end)
        return draft
    if ent.label_ == "ORG" and any(token.pos_ == "PROPN" for token in span):
        sector = _org_sector(state, span)
        return _Draft(span.start, end, "institution", name, span.root.i, sector=sector)
    if ent.label_ == "NORP" and span.root.dep_ in NP_HEAD_DEPS and span.root.pos_ in ("NOUN", "PROPN"):
        return _Draft(span.start, end, "group", name, span.root.i, plural=True)
    return None


def _country_after_of(state: _State, end: int) -> str | None:
    """'Omar al-Bashir of Sudan': the country right after 'of'."""
    doc = state.doc
    if end + 1 >= len(doc) or doc[end].lower_ != "of":
        return None
    hit = state.by_token.get(end + 1)
    return hit.entry.country if hit is not None and hit.entry.table == "country" else None


def _org_sector(state: _State, span: Any) -> str | None:
    keywords = state.lexicon.org_keywords
    sectors = [keywords[token.lower_] for token in span if token.lower_ in keywords]
    return sectors[-1] if sectors else None


def _add_surnames(state: _State) -> None:
    """A bare surname ('Jilani') of a person named in full earlier, where spaCy did not tag it."""
    first_seen: dict[str, int] = {}
    for draft in state.drafts:
        if draft.person and " " in draft.person:
            surname = draft.person.split()[-1]
            first_seen[surname] = min(first_seen.get(surname, draft.start), draft.start)
    covered = {index for draft in state.drafts for index in range(draft.start, draft.end)}
    for token in _tokens_with(state.doc, ORTH, frozenset(first_seen)):
        seen = first_seen.get(token.text)
        if seen is not None and token.i > seen and token.i not in covered and token.pos_ == "PROPN":
            state.drafts.append(
                _Draft(token.i, token.i + 1, "person", token.text, token.i, person=token.text)
            )


def _add_pronouns(state: _State) -> None:
    lexicon = state.lexicon
    pronouns = lexicon.cue("person_pronoun") | lexicon.cue("thing_pronoun") | lexicon.cue("plural_pronoun")
    covered = {index for draft in state.drafts for index in range(draft.start, draft.end)}
    for token in _tokens_with(state.doc, LOWER, pronouns):
        if token.lower_ in pronouns and token.pos_ == "PRON" and token.i not in covered:
            state.drafts.append(_Draft(token.i, token.i + 1, "pronoun", token.text, token.i))


def _tokens_with(doc: Any, attr: int, words: frozenset[str]) -> list[Any]:
    """The tokens whose ``attr`` (ORTH or LOWER) may be one of ``words``, in text order: a quick first pass
    over the doc's array of that attribute, to be checked on the tokens."""
    ids = _string_ids(words)
    return [doc[i] for i, value in enumerate(doc.to_array(attr).tolist()) if value in ids] if ids else []


@lru_cache(maxsize=256)
def _string_ids(words: frozenset[str]) -> frozenset[int]:
    """The ids spaCy gives the words in its token attributes (the same in every vocab)."""
    return frozenset(get_string_id(word) for word in words)


# --- 4. resolve ----------------------------------------------------------------------------------------


def _resolve(state: _State, context_country: str | None) -> None:
    _link_appositions(state)
    _link_people(state)
    _link_counterparts(state)
    _link_definites(state)
    home, counts = _home_country(state, context_country)
    for draft in state.drafts:
        if draft.antecedent is None and not draft.place and draft.kind != "pronoun":
            _fill_country(state, draft, home, counts)
    _link_pronouns(state)


def _link_appositions(state: _State) -> None:
    """'Vladimir Putin, the Russian president': the title in apposition describes the person before it."""
    people = {draft.root: draft for draft in state.drafts if draft.kind == "person" and draft.person}
    for draft in state.drafts:
        token = state.doc[draft.root]
        person = people.get(token.head.i)
        if draft.person or draft.kind != "person" or token.dep_ != "appos" or person is None:
            continue
        _merge_into(person, draft)
        draft.antecedent = person


def _link_people(state: _State) -> None:
    """Surnames and repeated names to the first full mention; later mentions fill what the first lacked."""
    by_name: dict[str, _Draft] = {}
    for draft in state.drafts:
        if not draft.person:
            continue
        words = draft.person.split()
        first = by_name.get(draft.person) or (by_name.get(words[-1]) if len(words) == 1 else None)
        if first is None and len(words) > 1:
            first = by_name.get(words[-1])
            first = first if first is not None and first.person == words[-1] else None
        if first is not None:
            draft.antecedent = first
            _merge_into(first, draft)
            continue
        by_name[draft.person] = draft
        by_name.setdefault(words[-1], draft)


def _merge_into(first: _Draft, later: _Draft) -> None:
    if later.person and first.person and len(later.person) > len(first.person):
        first.person = first.name = later.person
    for name in ("country", "sector", "role"):
        if getattr(first, name) is None and getattr(later, name) is not None:
            setattr(first, name, getattr(later, name))
    first.needs_country = first.country is None and (first.needs_country or later.needs_country)


def _link_counterparts(state: _State) -> None:
    """'his Iranian counterpart' takes the role and sector of the person whose counterpart it is."""
    for draft in state.drafts:
        if not draft.counterpart:
            continue
        owner = _person_before(state, draft.start, prefer_subject=True)
        if owner is None:
            continue
        owner = owner.resolved()
        draft.counterpart_of = owner
        draft.role = draft.role or owner.role
        draft.sector = draft.sector or owner.sector


def _link_definites(state: _State) -> None:
    """'the minister' to the last person whose role ends in 'minister'."""
    doc = state.doc
    for draft in state.drafts:
        if draft.kind != "person" or draft.person or not draft.needs_country or draft.counterpart:
            continue
        if draft.start == 0 or doc[draft.start - 1].lower_ not in state.lexicon.cue("determiner"):
            continue
        word = doc[draft.end - 1].lower_
        people = [d for d in state.drafts if d.end <= draft.start and d.kind == "person" and not d.plural]
        for earlier in reversed(people):
            role = earlier.resolved().role or ""
            if role == draft.role or role.endswith(word):
                draft.antecedent = earlier.resolved()
                break


def _home_country(state: _State, context_country: str | None) -> tuple[str | None, Counter[str]]:
    """The home country, and how often each country is named (a region counts half, as a fallback)."""
    counts: Counter[str] = Counter()
    for hit in state.hits:
        if hit.entry.country and hit.entry.table in COUNTRY_WEIGHTS:
            counts[hit.entry.country] += COUNTRY_WEIGHTS[hit.entry.table]
    if context_country:
        return context_country, counts
    foreign: set[str | None] = {
        draft.country
        for draft in state.drafts
        if draft.counterpart and draft.country and draft.counterpart_of and draft.counterpart_of.needs_country
    }
    return _most_common(state, counts, exclude=foreign), counts


def _most_common(state: _State, counts: Counter[str], *, exclude: set[str | None]) -> str | None:
    """The most frequent country, ties to the first named; `exclude` only when something else is left."""
    order: dict[str, int] = {}
    for hit in state.hits:
        if hit.entry.country is not None and hit.entry.country in counts:
            order.setdefault(hit.entry.country, hit.start)
    ranked = sorted(counts, key=lambda code: (-counts[code], order.get(code, 0)))
    kept = [code for code in ranked if code not in exclude] or ranked
    return kept[0] if kept else None


def _fill_country(state: _State, draft: _Draft, home: str | None, counts: Counter[str]) -> None:
    if not draft.needs_country or draft.country is not None:
        return
    if draft.counterpart and draft.counterpart_of is not None:
        owner = draft.counterpart_of.resolved()
        _fill_country(state, owner, home, counts)
        draft.country = _most_common(state, counts, exclude={owner.country})
        return
    deployable = draft.sector in state.lexicon.cue("deployable")
    if draft.location_country and not deployable and draft.kind != "person":
        draft.country = draft.location_country
        return
    draft.country = _home_for_person(state, draft, home, counts)


def _home_for_person(state: _State, draft: _Draft, home: str | None, counts: Counter[str]) -> str | None:
    """Home, unless this person's counterpart is from home: then the other country most named."""
    partners = [d for d in state.drafts if d.counterpart_of is draft and d.country]
    if home is not None and any(partner.country == home for partner in partners):
        return _most_common(state, counts, exclude={home})
    return home


def _link_pronouns(state: _State) -> None:
    cues = state.lexicon
    for draft in state.drafts:
        if draft.kind != "pronoun":
            continue
        word = draft.name.lower()
        token = state.doc[draft.start]
        if word in cues.cue("person_pronoun"):
            draft.antecedent = _person_before(state, draft.start, prefer_subject=True)
        elif word in cues.cue("thing_pronoun") and not _expletive(state, token):
            draft.antecedent = _actor_before(state, draft.start, plural=False)
        elif word in cues.cue("plural_pronoun"):
            draft.antecedent = _actor_before(state, draft.start, plural=True)


def _expletive(state: _State, token: Any) -> bool:
    if token.dep_ == "expl":
        return True
    return token.lower_ == "it" and token.head.lemma_.lower() in state.lexicon.cue("expletive_verb")


def _candidates(state: _State, position: int) -> list[_Draft]:
    """Actor drafts ending before `position`, within the window of sentences, nearest last."""
    sentence = state.sentence_of[position]
    return [
        draft
        for draft in state.drafts
        if draft.end <= position
        and not draft.place
        and draft.kind != "pronoun"
        and sentence - state.sentence_of[draft.start] <= WINDOW_SENTENCES
    ]


def _pick(state: _State, candidates: list[_Draft], position: int) -> _Draft | None:
    """Subjects first: same sentence, then earlier sentences; else the nearest candidate."""
    if not candidates:
        return None
    subjects = [draft for draft in candidates if state.doc[draft.root].dep_ in SUBJECT_DEPS]
    same = [draft for draft in subjects if state.sentence_of[draft.start] == state.sentence_of[position]]
    chosen = (same or subjects or candidates)[-1]
    return chosen.resolved()


def _person_before(state: _State, position: int, *, prefer_subject: bool) -> _Draft | None:
    people = [draft for draft in _candidates(state, position) if draft.kind == "person" and not draft.plural]
    if not prefer_subject:
        return people[-1].resolved() if people else None
    return _pick(state, people, position)


def _actor_before(state: _State, position: int, *, plural: bool) -> _Draft | None:
    kinds = ("country", "capital", "institution", "igo", "group", "demonym")
    things = [
        draft for draft in _candidates(state, position) if draft.kind in kinds and draft.plural == plural
    ]
    return _pick(state, things, position)


# --- 5. output -----------------------------------------------------------------------------------------


def _keep(draft: _Draft, include_places: bool) -> bool:
    if draft.place:
        return include_places
    return draft.kind != "pronoun" or draft.antecedent is not None


def _to_mention(state: _State, draft: _Draft) -> Mention:
    span = Span(state.doc, draft.start, draft.end)
    text = span.text
    mention = Mention(text, span.start_char, span.end_char, draft.kind)
    if draft.place:
        mention.place = Place(name=draft.name, country=draft.country)
        return mention
    source = draft.resolved()
    mention.actor = Actor(
        name=source.name,
        text=text,
        country=source.country,
        sector=source.sector,
        role=source.role,
        person=source.person,
        location=source.location,
    )
    if draft.antecedent is not None and draft.kind != "pronoun":
        mention.kind = "person" if source.person or source.kind == "person" else source.kind
    return mention
