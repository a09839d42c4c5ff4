"""The modality of an event: is it negated, hypothetical, future, historical, or reported speech?

`detect_modality(token, doc)` looks at an event's trigger word (a verb such as "launched" or an event noun
such as "strikes") in its dependency parse. Cue words come from data/events/modality.yaml and count only in
the trigger's scope, so that a cue in another clause does not leak into it:

* the *path*: the trigger and its heads up to the head of its clause, then clause by clause the words that
  govern that clause ("conflict" <- "of" <- "possibility" <- "loomed");
* the *markers* of its clause: negation, auxiliaries, subordinators of the clause's head verb; an event noun
  takes them only when that verb merely carries it ("did not launch strikes", not "did not condemn strikes");
* *time phrases* attached to the trigger (or its verb) through prepositions and time nouns.

Markers reach up from a complement clause to its governor ("refused to attack", "plans to visit",
"might try to attack") but stop at a reporting verb: "Iran did not say that Pakistan attacked" leaves the
attack unnegated, and reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache, cached_property
from importlib.resources import files
from typing import Any

import srsly
from spacy.tokens import Doc, Span, Token

from ..model import Modality

__all__ = ["ModalityCues", "detect_modality", "is_event_assertion", "modality_cues"]

DATA = files("flashpoint") / "data" / "events"
CLAUSAL = frozenset({"ccomp", "xcomp", "advcl", "relcl", "acl", "csubj", "csubjpass", "parataxis", "pcomp"})
VERBAL = frozenset({"VERB", "AUX"})
SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})
NEGATION_DEPS = frozenset({"neg", "advmod", "det"})
NEGATION_LINKS = frozenset({"xcomp", "ccomp", "pcomp", "acl"})
HYPOTHETICAL_LINKS = frozenset({"xcomp", "ccomp", "pcomp", "acl"})
FUTURE_LINKS = frozenset({"xcomp", "acl", "pcomp"})
HISTORICAL_LINKS = frozenset({"xcomp"})
REPORTING_LINKS = frozenset({"ccomp", "xcomp", "parataxis"})
ARGUMENTS = frozenset({"nsubj", "nsubjpass", "dobj"})
YEAR = re.compile(r"(1[89]|20)\d\d(s|'s)?")


@dataclass(frozen=True)
class NegationCues:
    particles: frozenset[str]
    determiners: frozenset[str]
    pronouns: frozenset[str]
    governors: frozenset[str]


@dataclass(frozen=True)
class HypotheticalCues:
    modals: frozenset[str]
    marks: frozenset[str]
    adverbs: frozenset[str]
    modifiers: frozenset[str]
    nouns: frozenset[str]
    governors: frozenset[str]


@dataclass(frozen=True)
class FutureCues:
    modals: frozenset[str]
    verbs: frozenset[str]
    nouns: frozenset[str]
    modifiers: frozenset[str]
    words: frozenset[str]
    time_modifiers: frozenset[str]


@dataclass(frozen=True)
class HistoricalCues:
    min_years_ago: int
    year_prepositions: frozenset[str]
    modifiers: frozenset[str]
    ago_units: dict[str, int]
    numbers: dict[str, int]


@dataclass(frozen=True)
class ReportedCues:
    verbs: frozenset[str]
    nouns: frozenset[str]
    adverbs: frozenset[str]
    according: frozenset[str]


@dataclass(frozen=True)
class ModalityCues:
    """The cue words of data/events/modality.yaml, grouped by flag."""

    support_verbs: frozenset[str]
    belief_verbs: frozenset[str]
    time_nouns: frozenset[str]
    negated: NegationCues
    hypothetical: HypotheticalCues
    future: FutureCues
    historical: HistoricalCues
    reported: ReportedCues

    def is_barrier(self, token: Token) -> bool:
        """A reporting or belief verb: it keeps its own negation and modals from what it reports."""
        return _lemma(token) in self.reported.verbs or _lemma(token) in self.belief_verbs


def _words(section: dict[str, Any]) -> dict[str, frozenset[str]]:
    return {key: frozenset(str(word).lower() for word in words) for key, words in section.items()}


@cache
def modality_cues() -> ModalityCues:
    """The cue words, read once from data/events/modality.yaml."""
    data = srsly.yaml_loads(DATA.joinpath("modality.yaml").read_text("utf-8"))
    history = dict(data["historical"])
    return ModalityCues(
        support_verbs=frozenset(data["support_verbs"]),
        belief_verbs=frozenset(data["belief_verbs"]),
        time_nouns=frozenset(data["time_nouns"]),
        negated=NegationCues(**_words(data["negated"])),
        hypothetical=HypotheticalCues(**_words(data["hypothetical"])),
        future=FutureCues(**_words(data["future"])),
        historical=HistoricalCues(
            min_years_ago=int(history.pop("min_years_ago")),
            ago_units=dict(history.pop("ago_units")),
            numbers=dict(history.pop("numbers")),
            **_words(history),
        ),
        reported=ReportedCues(**_words(data["reported"])),
    )


@dataclass(frozen=True)
class Scope:
    """A trigger's path cut into clauses (each ending with its head); whether its clause's markers apply."""

    trigger: Token
    clauses: list[list[Token]]
    inherits: bool

    @property
    def head(self) -> Token:
        return self.clauses[0][-1]

    @property
    def above(self) -> list[Token]:
        """The path above the trigger inside its own clause, clause head included."""
        return self.clauses[0][1:]

    @cached_property
    def sentence(self) -> list[Token]:
        """The tokens of the trigger's sentence."""
        return list(self.trigger.sent)

    def owners(self) -> list[Token]:
        """The tokens a time phrase must attach to: the trigger, and its clause's head if it inherits it."""
        return [self.trigger, self.head] if self.inherits and self.head != self.trigger else [self.trigger]


def _lemma(token: Token) -> str:
    return token.lemma_.lower()


def _has_child(token: Token, deps: Iterable[str], words: frozenset[str]) -> bool:
    return any(_lemma(child) in words or child.lower_ in words for child in token.children if child.dep_ in deps)


def _any_lemma(tokens: Iterable[Token], words: frozenset[str]) -> bool:
    return any(_lemma(token) in words or token.lower_ in words for token in tokens)


def _heads_clause(token: Token) -> bool:
    verbal_conj = token.dep_ == "conj" and token.pos_ in VERBAL
    return token.head == token or token.dep_ in CLAUSAL or verbal_conj


def _clauses(token: Token) -> list[list[Token]]:
    """The path from the token to the root, cut after each clause head."""
    clauses: list[list[Token]] = [[]]
    for node in [token, *token.ancestors]:
        clauses[-1].append(node)
        if _heads_clause(node):
            clauses.append([])
    return [clause for clause in clauses if clause]


def _scope(token: Token, cues: ModalityCues) -> Scope:
    clauses = _clauses(token)
    head = clauses[0][-1]
    inherits = head == token or _lemma(head) in cues.support_verbs
    return Scope(token, clauses, inherits)


def _governing(scope: Scope, links: frozenset[str], cues: ModalityCues) -> Iterator[tuple[str, list[Token]]]:
    """The clauses above the trigger's, with the link that reaches each, while the links allow.

    A verb coordinated with its governor shares the governor's markers only when it has no subject of its own
    ("will meet and discuss"). The climb ends after a reporting or belief verb.
    """
    if not scope.inherits:
        return
    for lower, upper in zip(scope.clauses, scope.clauses[1:], strict=False):
        link = lower[-1].dep_
        if link == "conj" and any(child.dep_ in SUBJECTS for child in lower[-1].children):
            return
        if link != "conj" and link not in links:
            return
        yield link, upper
        if cues.is_barrier(upper[-1]):
            return


def _clause_negated(verb: Token, cues: NegationCues) -> bool:
    """A negation on the verb ("did not launch") or a negative subject ("no one was hurt")."""
    if _has_child(verb, NEGATION_DEPS - {"det"}, cues.particles):
        return True
    subjects = [child for child in verb.children if child.dep_ in SUBJECTS]
    negative = [s for s in subjects if _lemma(s) in cues.pronouns or _has_child(s, {"det"}, cues.determiners)]
    return bool(negative)


def _negated(scope: Scope, cues: ModalityCues) -> bool:
    neg = cues.negated
    nominal = [token for token in scope.clauses[0] if token.pos_ not in VERBAL]
    if _any_lemma(scope.above, neg.governors):
        return True
    if any(_has_child(token, {"det", "neg"}, neg.determiners) for token in nominal):
        return True
    if _has_child(scope.trigger, NEGATION_DEPS - {"det"}, neg.particles):
        return True
    if scope.inherits and _clause_negated(scope.head, neg):
        return True
    for _link, upper in _governing(scope, NEGATION_LINKS, cues):
        if _any_lemma(upper, neg.governors):
            return True
        if not cues.is_barrier(upper[-1]) and _clause_negated(upper[-1], neg):
            return True
    return False


def _clause_hypothetical(verb: Token, cues: HypotheticalCues) -> bool:
    """A modal, a conditional subordinator or a hedging adverb on the verb, or an "if" clause under it."""
    if _has_child(verb, {"aux"}, cues.modals) or _has_child(verb, {"mark"}, cues.marks):
        return True
    if _has_child(verb, {"advmod"}, cues.adverbs):
        return True
    return any(child.dep_ == "advcl" and _has_child(child, {"mark"}, cues.marks) for child in verb.children)


def _hypothetical(scope: Scope, cues: ModalityCues) -> bool:
    hyp = cues.hypothetical
    if _any_lemma(scope.above, hyp.nouns | hyp.governors):
        return True
    if _has_child(scope.trigger, {"amod", "advmod", "compound"}, hyp.modifiers | hyp.adverbs):
        return True
    if scope.inherits and _clause_hypothetical(scope.head, hyp):
        return True
    for link, upper in _governing(scope, HYPOTHETICAL_LINKS, cues):
        if _any_lemma(upper, hyp.nouns | hyp.governors):
            return True
        if link in {"xcomp", "conj"} and _clause_hypothetical(upper[-1], hyp):
            return True
    return False


def _clause_future(verb: Token, cues: FutureCues) -> bool:
    """A future auxiliary ("will"), or an infinitival passive modifier ("talks to be held")."""
    if _has_child(verb, {"aux", "auxpass"}, cues.modals):
        return True
    to_be = _has_child(verb, {"aux"}, frozenset({"to"})) and _has_child(verb, {"auxpass"}, frozenset({"be"}))
    return verb.dep_ in {"acl", "relcl"} and to_be


def _future(scope: Scope, cues: ModalityCues) -> bool:
    fut = cues.future
    if _any_lemma((t for t in scope.above if t.pos_ not in VERBAL), fut.nouns):
        return True
    if _has_child(scope.trigger, {"amod", "compound"}, fut.modifiers) or _future_time(scope, cues):
        return True
    if scope.inherits and _clause_future(scope.head, fut):
        return True
    for link, upper in _governing(scope, FUTURE_LINKS, cues):
        head = upper[-1]
        if _any_lemma((t for t in upper if t.pos_ not in VERBAL), fut.nouns):
            return True
        going = _lemma(head) == "go" and head.tag_ == "VBG"
        if link == "xcomp" and (_lemma(head) in fut.verbs or going):
            return True
        if link in {"xcomp", "conj"} and _clause_future(head, fut):
            return True
    return False


def _attached(cue: Token, owners: list[Token], cues: ModalityCues, preps: frozenset[str] | None) -> bool:
    """Whether a time word hangs from one of the owners through prepositions, time nouns and numbers only."""
    node = cue
    for _ in range(6):
        head = node.head
        if head in owners:
            return True
        if head == node or not _time_link(head, cues, preps):
            return False
        node = head
    return False


def _time_link(token: Token, cues: ModalityCues, preps: frozenset[str] | None) -> bool:
    if token.dep_ == "prep" or token.pos_ == "ADP":
        return preps is None or _lemma(token) in preps
    return _lemma(token) in cues.time_nouns or token.like_num or token.lower_ == "ago"


def _future_time(scope: Scope, cues: ModalityCues) -> bool:
    """'tomorrow', 'soon', 'next week', 'in the coming days' attached to the trigger or its verb."""
    fut = cues.future
    owners = scope.owners()
    for token in scope.sentence:
        word = token.lower_
        if word in fut.words and _attached(token, owners, cues, None):
            return True
        if word not in fut.time_modifiers:
            continue  # the cheap test first: most tokens are no time words
        time_noun = token.head
        if _lemma(time_noun) in cues.time_nouns and (time_noun in owners or _attached(time_noun, owners, cues, None)):
            return True
    return False


def _year(token: Token) -> int | None:
    match = YEAR.fullmatch(token.text)
    return int(token.text[:4]) if match else None


def _years_ago(ago: Token, cues: HistoricalCues) -> int:
    """How many years "decades ago", "two years ago", "a century ago" say (0 if no unit is found)."""
    for unit in ago.children:
        years = cues.ago_units.get(_lemma(unit))
        if years is None:
            continue
        amounts = [child for child in unit.children if child.dep_ in {"nummod", "det", "amod", "quantmod"}]
        counts = [_count(child, cues) for child in amounts]
        default = 2 if unit.tag_ == "NNS" else 1
        return years * max([count for count in counts if count] or [default])
    return 0


def _count(token: Token, cues: HistoricalCues) -> int:
    if token.text.isdigit():
        return int(token.text)
    return cues.numbers.get(token.lower_, 0)


def _historical(scope: Scope, cues: ModalityCues, reference_year: int) -> bool:
    hist = cues.historical
    if _has_child(scope.trigger, {"amod"}, hist.modifiers):
        return True
    owners = scope.owners() + [upper[-1] for _link, upper in _governing(scope, HISTORICAL_LINKS, cues)]
    if scope.trigger.dep_ in ARGUMENTS:  # "the war ended in 1988": a date of the verb dates its argument
        owners.append(scope.trigger.head)
    for token in scope.sentence:
        year = _year(token)
        old_year = year is not None and year <= reference_year - hist.min_years_ago
        if old_year and _attached(token, owners, cues, hist.year_prepositions):
            return True
        long_ago = token.lower_ == "ago" and _years_ago(token, hist) >= hist.min_years_ago
        if long_ago and _attached(token, owners, cues, None):
            return True
    return False


def _reported(scope: Scope, cues: ModalityCues) -> bool:
    rep = cues.reported
    if _any_lemma(scope.above, rep.verbs | rep.nouns):
        return True
    for clause in scope.clauses:
        if any(_has_child(t, {"advmod"}, rep.adverbs) for t in clause):
            return True
        if any(_has_child(t, {"prep"}, rep.according) for t in clause):
            return True
        if _has_child(clause[-1], {"parataxis"}, rep.verbs):
            return True
    pairs = zip(scope.clauses, scope.clauses[1:], strict=False)
    return any(lower[-1].dep_ in REPORTING_LINKS and _lemma(upper[-1]) in rep.verbs for lower, upper in pairs)


def detect_modality(
    token: Token, doc: Doc | Span | None = None, *, reference_year: int | None = None
) -> Modality:
    """The modality flags of the event whose trigger is `token` (a verb or an event noun) in its parsed doc.

    `doc` is the parsed text the token belongs to (checked when given). `reference_year` is the year that
    "historical" is measured from: pass the publication year; it defaults to the current year.
    """
    if doc is not None and token.doc is not (doc.doc if isinstance(doc, Span) else doc):
        raise ValueError(f"The token {token.text!r} does not belong to the doc passed with it.")
    cues = modality_cues()
    scope = _scope(token, cues)
    return Modality(
        negated=_negated(scope, cues),
        hypothetical=_hypothetical(scope, cues),
        future=_future(scope, cues),
        historical=_historical(scope, cues, reference_year or date.today().year),
        reported=_reported(scope, cues),
    )


def is_event_assertion(mod: Modality) -> bool:
    """Whether the text asserts that the event happens or happened: not negated and not hypothetical."""
    return not (mod.negated or mod.hypothetical)
