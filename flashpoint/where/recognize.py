"""Toponym recognition: the spans of a parsed doc that name places, and how each is used.

Three sources, each filling only what the ones before it left:

1. **The actor finder's mentions**: places ("in Tehran", "Iranian territory"), and countries, capitals and
   demonyms coded as actors ("Tehran said", "the Iranian counterpart"). A lexicon name that is only the start
   of a longer name ("North" in "North Myrtle Beach") gives way to it; one followed by a division word takes
   it in ("Guernsey County").
2. **spaCy entities**: GPE and LOC; NORP when the lexicon knows the demonym.
3. **Gazetteer names** at the start of a run of capitalised words the others missed ("the Cottonport area",
   "Alexandria Police"), kept only with support: a locative preposition before it, the same name found by
   steps 1-2 elsewhere in the doc, or a country's, first-level or second-level division's name. A capitalised
   name the gazetteer lacks before a division word ("Pangur district") is kept for loose matching.

Then a division or country after a comma qualifies the place before it ("Alexandria, La.", "Paris, Texas");
an abbreviation there ("La.") is a toponym too.

Use: ``actor`` for a place that stands for its government or people (the finder's country and capital
actors, and the subject of a verb of saying or doing: "Tehran said", "Islamabad and Tehran agreed"),
``demonym`` for a nationality word ("Iranian", "Pakistani officials"), ``location`` for everything else,
including a demonym that qualifies a place noun ("inside Iranian territory").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..actors.lexicon import Entry as LexiconEntry
from ..actors.lexicon import load_lexicon
from ..datafiles import read_tsv
from ..model import Mention
from .gazetteer import Entry, Gazetteer, admin1_abbreviations, name_key

PLACE_LABELS = frozenset({"GPE", "LOC"})
SCAN_LABELS = frozenset({"", "FAC", "ORG", "GPE", "LOC"})
NAME_LABELS = SCAN_LABELS | {"PERSON"}
LEXICON_TABLES = frozenset({"country", "demonym", "capital", "region"})
SUBJECTS = frozenset({"nsubj", "nsubjpass"})
POSSESSIVE = frozenset({"'s", "\u2019s", "'", "\u2019"})
CONNECTORS = frozenset({"of", "de", "la", "le", "del", "du", "upon", "on"})
MAX_NAME_TOKENS = 5


@dataclass(eq=False)
class Toponym:
    """A span of a doc that names a place: tokens [start, end), the name to look up, its use and origin."""

    start: int
    end: int
    text: str
    name: str
    use: str
    source: str  # "mention" | "entity" | "gazetteer" | "division" | "abbreviation"
    country: str | None = None  # the country the lexicon codes it to
    feature: str | None = None  # the kind of place the lexicon says it is: "country" or "admin1"
    demonym: bool = False
    capital: bool = False
    weak: bool = False  # a gazetteer name kept only if it fits the doc's other places
    dropped: bool = False  # a weak name that did not fit
    candidates: list[tuple[int, bool]] = field(default_factory=list)
    qualifier: Toponym | None = None  # the division or country after a comma ("Alexandria, La.")
    resolved: Entry | None = None  # the place it names, once resolved


@dataclass(frozen=True)
class Cues:
    locative: frozenset[str]
    actor_verb: frozenset[str]
    division: frozenset[str]
    generic: frozenset[str]
    direction: frozenset[str]
    street: frozenset[str]
    feature: frozenset[str]
    distance: frozenset[str]
    motion_verb: frozenset[str]
    place_noun: frozenset[str]
    lexicon: dict[str, LexiconEntry]


@lru_cache(maxsize=1)
def load_cues() -> Cues:
    words: dict[str, set[str]] = {}
    for row in read_tsv("places/cues.tsv"):
        words.setdefault(row["cue"], set()).add(row["word"])
    lexicon = load_lexicon()
    phrases: dict[str, LexiconEntry] = {}
    for entry in lexicon.entries:
        if entry.table in LEXICON_TABLES and entry.country:
            phrases.setdefault(entry.phrase, entry)
    return Cues(
        locative=frozenset(words["locative"]),
        actor_verb=frozenset(words["actor_verb"]),
        division=frozenset(words["division"]),
        generic=frozenset(words["generic"]),
        direction=frozenset(words["direction"]),
        street=frozenset(words["street"]),
        feature=frozenset(words["feature"]),
        distance=frozenset(words["distance"]),
        motion_verb=lexicon.cue("motion_verb"),
        place_noun=lexicon.cue("place_noun"),
        lexicon=phrases,
    )


def recognize(doc: Any, mentions: list[Mention], gazetteer: Gazetteer) -> list[Toponym]:
    """Every toponym of the doc, in text order (mentions' offsets are in ``doc.text``)."""
    cues = load_cues()
    taken = [False] * len(doc)
    people = _person_words(doc, mentions)
    toponyms = _from_mentions(doc, mentions, cues, gazetteer, taken)
    toponyms += _division_lists(doc, cues, gazetteer, taken)
    toponyms += _from_entities(doc, cues, gazetteer, taken, people)
    strong = {name_key(toponym.name) for toponym in toponyms}
    toponyms += _from_gazetteer(doc, cues, gazetteer, taken, strong, people)
    toponyms += _link_qualifiers(doc, toponyms, taken)
    listed = {id(toponym) for toponym in toponyms}
    toponyms += [t.qualifier for t in toponyms if t.qualifier is not None and id(t.qualifier) not in listed]
    return sorted(toponyms, key=lambda toponym: toponym.start)


def _person_words(doc: Any, mentions: list[Mention]) -> frozenset[str]:
    """Surnames of the people named in full in the doc ("Warden" of "Darryl Keith Warden"): not places here."""
    names = [ent.text for ent in doc.ents if ent.label_ == "PERSON"]
    names += [mention.actor.person for mention in mentions if mention.actor is not None and mention.actor.person]
    return frozenset(words[-1] for words in (name.split() for name in names) if len(words) > 1)


def _is_person(span: Any, people: frozenset[str]) -> bool:
    return all(token.text in people for token in span)


def _take(taken: list[bool], toponym: Toponym) -> None:
    taken[toponym.start : toponym.end] = [True] * (toponym.end - toponym.start)


def _is_name_word(token: Any) -> bool:
    return token.text[:1].isupper() and token.text.rstrip(".").isalpha() and token.ent_type_ in SCAN_LABELS


# --- 1. the actor finder's mentions --------------------------------------------------------------------


def _from_mentions(
    doc: Any, mentions: list[Mention], cues: Cues, gazetteer: Gazetteer, taken: list[bool]
) -> list[Toponym]:
    found = []
    for mention in mentions:
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        toponym = _mention_toponym(span, mention, cues) if span is not None and len(span) else None
        if toponym is not None:
            toponym = _in_longer_name(doc, toponym, cues, gazetteer)
        if toponym is not None and not any(taken[toponym.start : toponym.end]):
            _take(taken, toponym)
            found.append(toponym)
    return found


def _mention_toponym(span: Any, mention: Mention, cues: Cues) -> Toponym | None:
    """A lexicon place of the actor finder, named and coded as the lexicon codes it (so that running the
    places stage again on its own output finds the same places)."""
    entry = cues.lexicon.get(mention.text)
    if entry is None or entry.country is None:
        return None
    if mention.kind == "place":  # the use the places stage gave it, when it ran before
        use, table = mention.use or "location", entry.table
    elif mention.kind in ("country", "capital", "demonym") and mention.actor is not None:
        use, table = ("demonym" if mention.kind == "demonym" else "actor"), mention.kind
    else:
        return None
    country_level = table in ("country", "demonym")
    name = load_lexicon().country_names.get(entry.country, entry.name) if country_level else entry.name
    toponym = Toponym(span.start, span.end, span.text, name, use, "mention", entry.country)
    toponym.feature = "country" if country_level else None
    toponym.demonym = table == "demonym"
    toponym.capital = table == "capital"
    return _split_abbreviation(toponym, span)


def _in_longer_name(doc: Any, toponym: Toponym, cues: Cues, gazetteer: Gazetteer) -> Toponym | None:
    """A lexicon name inside a longer capitalised name: the longer name if the gazetteer has it ("Guernsey
    County", "North Myrtle Beach"); else none for a region or capital named by a direction word ("East" in
    "East Cambridgeshire") or inside one place entity with the longer name; else the lexicon's."""
    if toponym.demonym:
        return toponym
    start, end = toponym.start, toponym.end
    while start > 0 and _is_name_word(doc[start - 1]):
        start -= 1
    while end < len(doc) and (_is_name_word(doc[end]) or doc[end].lower_ in cues.generic):
        end += 1
    if (start, end) == (toponym.start, toponym.end):
        return toponym
    for stop in range(end, toponym.end - 1, -1):
        for begin in range(start, toponym.start + 1):
            if (begin, stop) != (toponym.start, toponym.end) and gazetteer.rows(doc[begin:stop].text, aliases=False):
                return Toponym(begin, stop, doc[begin:stop].text, doc[begin:stop].text, toponym.use, "gazetteer")
    same_entity = doc[start].ent_iob_ != "O" and doc[start:end].ents == doc[toponym.start : toponym.end].ents
    direction = toponym.text.lower() in cues.direction
    return None if toponym.feature != "country" and (direction or same_entity) else toponym


# --- 1b. "Camden and Charlton counties" ------------------------------------------------------------------


def _division_lists(doc: Any, cues: Cues, gazetteer: Gazetteer, taken: list[bool]) -> list[Toponym]:
    """Names listed before a plural division word: each is that division ("Camden County", "Charlton
    County" in "Camden and Charlton counties")."""
    found = []
    for token in doc:
        if token.tag_ not in ("NNS", "NNPS") or token.lemma_.lower() not in cues.generic:
            continue
        word = token.lemma_.title()
        for start, end in _listed_names(doc, token.i, taken):
            name = f"{doc[start:end].text} {word}"
            rows = gazetteer.rows(name, aliases=False)
            if rows:
                toponym = Toponym(start, end, doc[start:end].text, name, "location", "division")
                toponym.candidates = rows
                _take(taken, toponym)
                found.append(toponym)
    return found


def _listed_names(doc: Any, end: int, taken: list[bool]) -> list[tuple[int, int]]:
    """The runs of capitalised words before ``end``, separated by commas, "and" or "or"."""
    names = []
    index = end
    while index > 0:
        stop = index
        while index > 0 and _is_name_word(doc[index - 1]) and not taken[index - 1]:
            index -= 1
        if index == stop:
            break
        names.append((index, stop))
        if index == 0 or doc[index - 1].lower_ not in (",", "and", "or"):
            break
        index -= 1
        if index > 0 and doc[index].lower_ in ("and", "or") and doc[index - 1].text == ",":
            index -= 1
    return names


# --- 2. spaCy entities ---------------------------------------------------------------------------------


def _from_entities(
    doc: Any, cues: Cues, gazetteer: Gazetteer, taken: list[bool], people: frozenset[str]
) -> list[Toponym]:
    found = []
    for ent in doc.ents:
        start, end = _trim(doc, ent.start, ent.end)
        if end <= start or any(taken[start:end]):
            continue
        span = doc[start:end]
        if _is_person(span, people):
            continue
        toponym = _entity_toponym(span, ent.label_, cues)
        if toponym is not None and toponym.source == "entity" and not toponym.country:
            toponym = _known_part(span, toponym, cues, gazetteer)
        if toponym is not None:
            _take(taken, toponym)
            found.append(toponym)
    return found


def _trim(doc: Any, start: int, end: int) -> tuple[int, int]:
    """Without a leading "the" and a trailing possessive."""
    if start < end and doc[start].lower_ == "the":
        start += 1
    if start < end and doc[end - 1].text in POSSESSIVE:
        end -= 1
    return start, end


def _entity_toponym(span: Any, label: str, cues: Cues) -> Toponym | None:
    text = span.text
    if not any(token.text[:1].isupper() for token in span):
        return None
    entry = cues.lexicon.get(text)
    if label == "NORP":
        if entry is None or entry.table != "demonym":
            return None
        use = "location" if _qualifies_place_noun(span, cues) else "demonym"
        name = load_lexicon().country_names.get(entry.country or "", text)
        return Toponym(span.start, span.end, text, name, use, "entity", entry.country, "country", demonym=True)
    if label not in PLACE_LABELS:
        return _country_prefix(span, cues)
    toponym = Toponym(span.start, span.end, text, text, _use(span, cues), "entity")
    if entry is not None:
        toponym.country = entry.country
        toponym.feature = "country" if entry.table == "country" else None
        toponym.capital = entry.table == "capital"
        toponym.use = _use(span, cues, default="actor" if _modifies_common_noun(span) else "location")
    return _split_abbreviation(toponym, span)


def _known_part(span: Any, toponym: Toponym, cues: Cues, gazetteer: Gazetteer) -> Toponym | None:
    """An entity the gazetteer lacks: its longest part the gazetteer has ("Harris County" of "Harris County
    Clerk", "Paris" of "S.E. Paris"), a division's abbreviation ("Okla."), or the entity as it is."""
    if span.text in admin1_abbreviations():
        country, name = admin1_abbreviations()[span.text]
        return Toponym(span.start, span.end, span.text, name, "location", "abbreviation", country, "admin1")
    if gazetteer.rows(toponym.name) or toponym.qualifier is not None or span[-1].lower_ in cues.feature:
        return toponym
    for part in _parts(span, cues):
        if _name_token(part[0]) and _name_token(part[-1]) and gazetteer.rows(part.text, aliases=False):
            return Toponym(part.start, part.end, part.text, part.text, _use(part, cues), "entity")
    return toponym


def _parts(span: Any, cues: Cues) -> list[Any]:
    """Shorter names inside an entity, longest first: its beginnings ("Harris County" of "Harris County
    Clerk"), and its end after a direction ("Paris" of "S.E. Paris")."""
    parts = [span[:size] for size in range(len(span) - 1, 0, -1)]
    first = span[0].lower_.replace(".", "")
    if len(span) > 1 and (first in cues.direction or len(first) <= 2):
        parts.append(span[1:])
    return parts


def _country_prefix(span: Any, cues: Cues) -> Toponym | None:
    """'U.S. Defense Department', 'Egypt Telecom', 'the Texas Forest Service': the country, demonym or region
    that opens an organisation's name."""
    for end in range(min(len(span) - 1, 3), 0, -1):
        entry = cues.lexicon.get(span[:end].text)
        if entry is None or entry.table not in ("country", "demonym", "region"):
            continue
        part = span[:end]
        if part.text.lower() in cues.direction:
            return None
        if entry.table == "region":
            return Toponym(part.start, part.end, part.text, part.text, "location", "entity", entry.country)
        demonym = entry.table == "demonym"
        name = load_lexicon().country_names.get(entry.country or "", entry.name)
        toponym = Toponym(part.start, part.end, part.text, name, "demonym" if demonym else "actor", "entity")
        toponym.country, toponym.feature, toponym.demonym = entry.country, "country", demonym
        return toponym
    return None


def _qualifies_place_noun(span: Any, cues: Cues) -> bool:
    root = span.root
    return root.dep_ in ("amod", "compound") and root.head.lemma_.lower() in cues.place_noun


def _modifies_common_noun(span: Any) -> bool:
    """'the Iran-Iraq war', 'Pakistan-Iran ties': a country naming the parties of something, not a place."""
    root = span.root
    return root.dep_ in ("compound", "nmod") and root.head.pos_ == "NOUN"


def _use(span: Any, cues: Cues, *, default: str = "location") -> str:
    """'actor' for the subject (or a conjunct of it) of a verb of saying or doing, else ``default``."""
    token = span.root
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
    if token.dep_ in SUBJECTS and token.head.lemma_.lower() in cues.actor_verb:
        return "actor"
    return default


def _split_abbreviation(toponym: Toponym, span: Any) -> Toponym:
    """'Washington D.C.': the name before a division's abbreviation, which qualifies it (and is a toponym of
    its own, listed after it)."""
    last = span[-1].text
    if len(span) < 2 or last not in admin1_abbreviations() or toponym.feature == "country":
        return toponym
    country, name = admin1_abbreviations()[last]
    toponym.end -= 1
    toponym.text = toponym.name = span[:-1].text
    toponym.qualifier = Toponym(span.end - 1, span.end, last, name, "location", "abbreviation", country, "admin1")
    return toponym


# --- 3. gazetteer names --------------------------------------------------------------------------------


@dataclass(eq=False)
class _Match:
    toponym: Toponym
    key: str
    support: str | None  # "strong", "weak" or None


def _from_gazetteer(
    doc: Any, cues: Cues, gazetteer: Gazetteer, taken: list[bool], strong: set[str], people: frozenset[str]
) -> list[Toponym]:
    """Gazetteer names with support of their own, and the other occurrences of the same names.

    A name supported only weakly (a place word before a noun, a division's name) is kept for resolution to
    judge: it must fit the doc's other places.
    """
    matches: list[_Match] = []
    index = 0
    while index < len(doc):
        match = None
        if not taken[index] and _starts_name(doc, index, taken):
            match = _longest_name(doc, index, cues, gazetteer, taken)
        if match is None:
            index += 1
            continue
        if not _is_person(doc[match.toponym.start : match.toponym.end], people):
            matches.append(match)
        index = match.toponym.end
    supported = strong | {match.key for match in matches if match.support == "strong"}
    weak = {match.key for match in matches if match.support == "weak"} - supported
    found = []
    for match in matches:
        if match.key in supported or match.key in weak:
            match.toponym.weak = match.key in weak
            _take(taken, match.toponym)
            found.append(match.toponym)
    return found


def _starts_name(doc: Any, index: int, taken: list[bool]) -> bool:
    """A capitalised word not inside a longer proper name ("National" of "Zion National Park")."""
    if not _name_token(doc[index]):
        return False
    before = doc[index - 1] if index > 0 else None
    return before is None or taken[index - 1] or not _run_word(before) or before.pos_ != "PROPN"


def _name_token(token: Any) -> bool:
    """A capitalised word that may be (part of) a place name: spaCy's PERSON tags many towns. Not a
    division's abbreviation ("Minn."), which only qualifies a place."""
    text = token.text
    return (
        text[:1].isupper()
        and text.rstrip(".").isalpha()
        and token.ent_type_ in NAME_LABELS
        and not token.is_stop
        and text not in admin1_abbreviations()
    )


def _run_word(token: Any) -> bool:
    return token.is_lower if token.lower_ in CONNECTORS else _name_token(token)


def _longest_name(doc: Any, start: int, cues: Cues, gazetteer: Gazetteer, taken: list[bool]) -> _Match | None:
    stop = start
    while stop < len(doc) and stop - start < MAX_NAME_TOKENS and not taken[stop] and _run_word(doc[stop]):
        stop += 1
    for end in range(stop, start, -1):
        if doc[end - 1].lower_ in CONNECTORS:
            continue
        span = doc[start:end]
        if end < stop and doc[end].lower_ in cues.feature:
            continue  # "Griffith" of "Griffith Park", "Kish" of "Kish River": a feature the gazetteer lacks
        division = end < len(doc) and doc[end].lower_ in cues.division and doc[end].pos_ == "NOUN"
        rows = gazetteer.rows(span.text, aliases=end - start > 1)
        if rows and _may_be_place(span, cues):
            toponym = Toponym(start, end, span.text, span.text, _use(span, cues), "gazetteer")
            toponym.candidates = rows
            support = _support(span, rows, gazetteer, cues, division, taken)
            return _Match(toponym, name_key(span.text), support)
        if not rows and division and end - start <= 2 and span.root.pos_ == "PROPN":
            toponym = Toponym(start, end + 1, doc[start : end + 1].text, span.text, "location", "division")
            return _Match(toponym, name_key(span.text), "strong")
    return None


def _may_be_place(span: Any, cues: Cues) -> bool:
    """Not a function word, not a direction alone, not the head of a "the" phrase ("the White House")."""
    if all(token.is_stop or token.pos_ not in ("PROPN", "NOUN", "ADJ") for token in span):
        return False
    if len(span) == 1 and span.text.lower() in cues.direction:
        return False
    before = span.doc[span.start - 1] if span.start > 0 else None
    modifier = span.root.dep_ in ("compound", "amod", "nmod", "poss")
    return before is None or before.lower_ != "the" or modifier


def _support(
    span: Any, rows: list[tuple[int, bool]], gazetteer: Gazetteer, cues: Cues, division: bool, taken: list[bool]
) -> str | None:
    """How surely capitalised words that match a gazetteer name are a place here: "strong", "weak" or None.

    Strong: a locative preposition before it (or "from"/"to" after a verb of motion or a distance), a division
    or state after a comma, a dateline, a division word after it or in it ("Pangur district", "Guernsey
    County"), a street address before it ("420 Augusta St., Alexandria"), a place it is coordinated with ("Paris
    and Roxton"), a person's home ("Amstutz, of Wooster", "Rep. Humason, R-Westfield"). Weak, unless spaCy
    tags it as a person: a
    country's or first-level division's name, or a place word before a noun ("Winona man", "the Torrington
    Fire Department").
    """
    generic = span[-1].lower_ in cues.generic
    if division or generic or _after_locative(span, cues) or _dateline(span) or _after_street(span, cues):
        return "strong"
    if _before_comma_division(span, gazetteer) or _beside_place(span, taken) or _home_of(span):
        return "strong"
    features = {gazetteer.feature(row) for row, main in rows if main}
    root = span.root
    modifier = root.dep_ in ("compound", "poss", "nmod") and root.head.pos_ in ("NOUN", "PROPN")
    if any(token.ent_type_ == "PERSON" for token in span):  # only "the Alexandria woman", "a Winona man"
        return "weak" if features and len(span) == 1 and modifier and root.head.pos_ == "NOUN" else None
    return "weak" if features and (modifier or features & {"country", "admin1"}) else None


def _after_street(span: Any, cues: Cues) -> bool:
    """'of 420 Augusta St., Alexandria': the town of a street address."""
    doc, start = span.doc, span.start
    return start >= 2 and doc[start - 1].text == "," and doc[start - 2].lower_.rstrip(".") in cues.street


def _beside_place(span: Any, taken: list[bool]) -> bool:
    """'Paris and Roxton', 'Sun Valley and Toco': coordinated with a place already found."""
    root = span.root
    partners = [root.head] if root.dep_ == "conj" else []
    partners += [child for child in root.children if child.dep_ == "conj"]
    return any(taken[token.i] for token in partners if not span.start <= token.i < span.end)


def _after_locative(span: Any, cues: Cues) -> bool:
    root = span.root
    if root.dep_ != "pobj":
        return False
    prep = root.head
    if prep.lower_ in cues.locative:
        return True
    governor = prep.head
    motion = governor.lemma_.lower() in cues.motion_verb or governor.lower_ in cues.distance
    return prep.lower_ in ("from", "to", "toward", "towards") and motion


def _home_of(span: Any) -> bool:
    """A person's home town: "John Nale of Chattanooga", "Amstutz, of Wooster", "DeLeo, D-Winthrop"."""
    doc, start, root = span.doc, span.start, span.root
    if start >= 2 and doc[start - 1].text in ("-", "\u2013") and doc[start - 2].text in ("D", "R", "I"):
        return True
    if root.dep_ != "pobj" or root.head.lower_ != "of":
        return False
    owner = root.head.head
    return owner.ent_type_ == "PERSON" and owner.i < start


def _before_comma_division(span: Any, gazetteer: Gazetteer) -> bool:
    """'Glen Carbon, Ill.', 'Parkers Prairie, Minnesota'."""
    doc, end = span.doc, span.end
    if end + 1 >= len(doc) or doc[end].text != ",":
        return False
    if _abbreviation_at(doc, end + 1) is not None:
        return True
    following = doc[end + 1].text
    return any(gazetteer.feature(row) in ("admin1", "country") for row, main in gazetteer.rows(following) if main)


def _dateline(span: Any) -> bool:
    """'WINONA -- The body of ...': a place in capitals opening a paragraph before a dash."""
    doc, end = span.doc, span.end
    return span.text.isupper() and end < len(doc) and doc[end].text in ("--", "-", "\u2014", "\u2013", ",")


# --- 4. "Alexandria, La.": a division or country after a comma --------------------------------------------


def _link_qualifiers(doc: Any, toponyms: list[Toponym], taken: list[bool]) -> list[Toponym]:
    """Link each place to the division or country written after it and a comma; abbreviations become toponyms."""
    by_start = {toponym.start: toponym for toponym in toponyms}
    added = []
    for toponym in toponyms:
        comma = toponym.end
        if comma + 1 >= len(doc) or doc[comma].text != "," or toponym.qualifier is not None:
            continue
        toponym.qualifier = by_start.get(comma + 1)
        span = _abbreviation_at(doc, comma + 1) if toponym.qualifier is None else None
        if span is not None and not any(taken[span.start : span.end]):
            country, name = admin1_abbreviations()[span.text]
            toponym.qualifier = Toponym(span.start, span.end, span.text, name, "location", "abbreviation", country)
            toponym.qualifier.feature = "admin1"
            _take(taken, toponym.qualifier)
            added.append(toponym.qualifier)
    return added


def _abbreviation_at(doc: Any, start: int) -> Any:
    """The abbreviation of a division that starts at token ``start`` ("La.", "W. Va."), if any."""
    for end in (start + 2, start + 1):
        if end <= len(doc) and doc[start:end].text in admin1_abbreviations():
            return doc[start:end]
    return None
