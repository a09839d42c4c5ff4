"""From a parsed sentence and its actor mentions to events: cue words over the dependency parse.

A cue word (data/events/cues.tsv) names the event and its CAMEO code; a light verb that governs it
("launched a strike") lends its subject. The source is the subject (or the agent of a passive, or the
possessor of an event noun); the target is the object or the object of a directional preposition.
Cues nested under another cue ("pledged to cooperate") belong to the outer event.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from ..model import Actor, Mention
from .cues import Cue, cue_table, light_verbs

SUBJECTS = {"nsubj", "csubj"}
REPORTING = {"say", "tell", "state", "claim", "add", "announce", "insist", "argue", "stress", "declare", "write"}
TARGET_PREPS = {"against", "on", "with", "to", "at", "toward", "towards", "into", "upon", "over", "for"}
CLIMB_DEPS = {"xcomp", "advcl", "conj", "pcomp", "ccomp"}


@dataclass
class Trigger:
    """A cue word in the text, the light verb that governs it (or itself), and its CAMEO code."""

    token: Token
    cue: Cue
    anchor: Token
    cameo: str


@dataclass
class Arguments:
    source: list[Mention]
    target: list[Mention]
    speaker: list[Mention] = field(default_factory=list)
    addressee: list[Mention] = field(default_factory=list)


def _has_child(token: Token, word: str) -> bool:
    if word.startswith("prep:"):
        prep = word[5:]
        return any(child.dep_ in {"prep", "prt"} and child.lower_ == prep for child in token.children)
    near = [child for child in token.children] + [g for child in token.children for g in child.children]
    return any(child.lemma_.lower() == word or child.lower_ == word for child in near)


def _cameo(token: Token, cue: Cue) -> str:
    for child in token.children:
        if child.dep_ in {"compound", "amod", "nmod", "npadvmod"}:
            code = cue.mode_words.get(child.lemma_.lower()) or cue.mode_words.get(child.lower_)
            if code:
                return code
    return cue.cameo


def _cue_for(token: Token) -> Cue | None:
    lemma = token.lemma_.lower()
    for cue in cue_table().get(lemma, ()):
        if cue.fits_pos(token.pos_) and (not cue.needs or _has_child(token, cue.needs)):
            return cue
    return None


def _anchor(token: Token) -> Token:
    """The light verb whose object (or object of 'in') this event noun is, else the token itself."""
    if token.dep_ == "compound" and token.head.pos_ in {"NOUN", "PROPN"}:
        token = token.head  # "a reconciliation message": the message carries the arguments
    head = token.head
    if token.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ == "in":
        head = head.head
    light = head.pos_ in {"VERB", "AUX"} and head.lemma_.lower() in light_verbs()
    if token.dep_ in {"dobj", "pobj", "conj"} and light:
        return head
    if token.dep_ == "conj" and head.dep_ == "dobj":
        return _anchor(head)
    return token


def _nested(token: Token, trigger_ids: set[int]) -> bool:
    """True when an ancestor (not a mere coordinated sibling) is itself a trigger."""
    child = token
    for ancestor in token.ancestors:
        if child.dep_ != "conj" and ancestor.i in trigger_ids:
            return True
        child = ancestor
    return False


def find_triggers(sent: Span, mentioned: set[int]) -> list[Trigger]:
    """Every cue word of a sentence that names an event of its own (not inside an actor's name)."""
    found: list[Trigger] = []
    for token in sent:
        if token.i in mentioned or token.pos_ not in {"VERB", "NOUN", "PROPN"}:
            continue
        if token.pos_ == "VERB" and token.lemma_.lower() in light_verbs() and _object_cue(token):
            continue
        cue = _cue_for(token)
        if cue is not None:
            found.append(Trigger(token, cue, _anchor(token), _cameo(token, cue)))
    ids = {trigger.token.i for trigger in found} | {trigger.anchor.i for trigger in found}
    return [t for t in found if not _nested(t.anchor, ids - {t.anchor.i, t.token.i})]


def _object_cue(verb: Token) -> bool:
    objects = [child for child in verb.children if child.dep_ == "dobj"]
    objects += [g for child in verb.children if child.dep_ == "prep" for g in child.children]
    return any(_cue_for(obj) is not None for obj in objects)


class MentionIndex:
    """Find the actor mentions inside a token's subtree, nearest to the token first."""

    def __init__(self, doc: Doc, mentions: Iterable[Mention]) -> None:
        self.by_token: dict[int, Mention] = {}
        self.places: dict[int, Mention] = {}
        for mention in mentions:
            table = self.by_token if mention.actor is not None else self.places
            if mention.actor is None and (mention.place is None or not mention.place.country):
                continue
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            for token in span or ():
                table.setdefault(token.i, mention if mention.actor else _place_actor(mention))

    def nearest_place(self, token: Token) -> list[Mention]:
        """The country of a place named below the token ("aid to Yemen"), as the event's target."""
        near = [token, *(child for child in token.children if child.dep_ in {"compound", "prep", "pobj"})]
        near += [g for child in near[1:] if child.dep_ == "prep" for g in child.children if g.dep_ == "pobj"]
        return _unique([self.places[t.i] for t in near if t.i in self.places])

    def token_ids(self) -> set[int]:
        return set(self.by_token)

    def nearest(
        self, token: Token, *, exclude: Iterable[int] = (), avoid: list[Actor] | None = None
    ) -> list[Mention]:
        """Mentions at the smallest depth below `token` (not of the `avoid` actors), and its conjuncts'."""
        found: list[Mention] = []
        for head in [token, *_conjuncts(token)]:
            found += self._nearest_one(head, set(exclude), avoid or [])
        return _unique(found)

    def _nearest_one(self, token: Token, exclude: set[int], avoid: list[Actor]) -> list[Mention]:
        """Breadth-first below the token; clauses hanging off it (relcl, advcl) only as a last resort."""
        clauses = {"relcl", "advcl"}
        return self._search(token, exclude, skip=clauses, avoid=avoid) or self._search(
            token, exclude, skip=set(), avoid=avoid
        )

    def _search(
        self, token: Token, exclude: set[int], *, skip: set[str], avoid: list[Actor]
    ) -> list[Mention]:
        level = [token]
        for _ in range(8):
            hits = [self.by_token[t.i] for t in level if t.i in self.by_token and t.i not in exclude]
            hits = [m for m in hits if not any(related_actor(m.actor, a) for a in avoid)]  # type: ignore[arg-type]
            if hits:
                return hits
            level = [child for t in level for child in t.children if child.dep_ not in skip]
            if not level:
                break
        return []


def _place_actor(mention: Mention) -> Mention:
    """A place where no actor is named stands for its country, located there (as CAMEO coders do)."""
    assert mention.place is not None
    actor = Actor(name=mention.place.name, text=mention.text, country=mention.place.country,
                  location=mention.place.name)
    return Mention(mention.text, mention.start, mention.end, "place", actor, mention.place)


def _conjuncts(token: Token) -> list[Token]:
    return [child for child in token.subtree if child.dep_ == "conj" and _conj_root(child) == token]


def _conj_root(token: Token) -> Token:
    while token.dep_ == "conj":
        token = token.head
    return token


def _unique(mentions: list[Mention]) -> list[Mention]:
    seen: set[tuple[int, int]] = set()
    out = []
    for mention in mentions:
        if (mention.start, mention.end) not in seen:
            seen.add((mention.start, mention.end))
            out.append(mention)
    return out


def _subject(verb: Token) -> tuple[Token | None, bool]:
    """The verb's subject token and whether the verb is passive, climbing through xcomp/advcl/conj."""
    current = verb
    for _ in range(4):
        for child in current.children:
            if child.dep_ in SUBJECTS:
                return child, False
            if child.dep_ == "nsubjpass":
                agent = _agent(current)
                return agent, True
        if current.dep_ in {"relcl", "acl"} and current.head.pos_ in {"NOUN", "PROPN"}:
            return current.head, False
        if current.dep_ not in CLIMB_DEPS or current.head == current:
            break
        current = current.head
    return None, False


def _agent(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "agent":
            return next((g for g in child.children if g.dep_ == "pobj"), None)
    return None


def _targets(trigger: Trigger) -> list[Token]:
    """Object-like tokens of the event: direct objects, passive subjects, directional prepositions."""
    heads = [trigger.anchor] if trigger.anchor == trigger.token else [trigger.anchor, trigger.token]
    out: list[Token] = []
    for head in heads:
        for child in head.children:
            if child.dep_ in {"dobj", "dative", "nsubjpass"} and child != trigger.token:
                out.append(child)
            if child.dep_ == "prep" and child.lower_ in TARGET_PREPS:
                out += [g for g in child.children if g.dep_ in {"pobj", "pcomp"}]
    return out


def _noun_source(token: Token) -> Token | None:
    """The owner of an event noun: "Iran's strike", "strikes by Pakistan"."""
    for child in token.children:
        if child.dep_ == "poss":
            return child
        if child.dep_ == "prep" and child.lower_ == "by":
            return next((g for g in child.children if g.dep_ == "pobj"), None)
    return None


def find_arguments(trigger: Trigger, index: MentionIndex) -> Arguments:
    """The source and target mentions of one trigger."""
    owner = _noun_source(trigger.token) if trigger.token.pos_ != "VERB" else None
    source = index.nearest(owner) if owner is not None else []
    passive = False
    if not source and trigger.anchor.pos_ in {"VERB", "AUX"}:  # "their donations": the verb's subject
        subject, passive = _subject(trigger.anchor)
        source = index.nearest(subject) if subject is not None else []
    avoid = [mention.actor for mention in source if mention.actor is not None]
    target: list[Mention] = []
    for token in _targets(trigger):
        if passive and token.dep_ == "nsubjpass" or not passive:
            target += index.nearest(token, avoid=avoid)
    if not target:
        target = _complement_targets(trigger, index, avoid)
    if not target:
        target = _place_targets(trigger, index, avoid)
    speaker, addressee = _reported_by(trigger, index) if not source else ([], [])
    return Arguments(source=source, target=_unique(target), speaker=speaker, addressee=addressee)


def _reported_by(trigger: Trigger, index: MentionIndex) -> tuple[list[Mention], list[Mention]]:
    """For "Russia says Israel must end attacks": the speaker (Russia) and the clause's subject (Israel)."""
    clause = trigger.anchor
    for head in trigger.anchor.ancestors:
        if head.lemma_.lower() in REPORTING and head.pos_ == "VERB":
            speaker = next((c for c in head.children if c.dep_ in SUBJECTS), None)
            if speaker is None:
                return [], []
            subject = next((c for c in clause.children if c.dep_ in SUBJECTS), None)
            addressee = index.nearest(subject) if subject is not None else []
            return index.nearest(speaker), addressee
        clause = head
    return [], []


def _complement_targets(trigger: Trigger, index: MentionIndex, avoid: list[Actor]) -> list[Mention]:
    """For "readiness to work with Iran": the actor inside the event's own complement clause."""
    heads = [trigger.token] if trigger.token.pos_ != "VERB" else []
    heads += [child for child in trigger.token.children if child.dep_ in {"xcomp", "ccomp", "acl"}]
    found: list[Mention] = []
    for head in heads:
        found += [m for m in index.nearest(head, avoid=avoid) if not _is_pronoun(m)]
    return found


def _place_targets(trigger: Trigger, index: MentionIndex, avoid: list[Actor]) -> list[Mention]:
    """Where no actor is the target, a place the event is directed at or happens in ("arrived in Mali")."""
    heads = {trigger.anchor, trigger.token}
    objects = [g for head in heads for child in head.children if child.dep_ == "prep"
               for g in child.children if g.dep_ == "pobj"]
    actors = [m for token in objects for m in index.nearest(token, avoid=avoid)]
    places = actors or [m for token in [*_targets(trigger), *objects] for m in index.nearest_place(token)]
    return [m for m in places if m.actor and not any(m.actor.country == a.country for a in avoid)]


def _is_pronoun(mention: Mention) -> bool:
    return mention.kind == "pronoun"


def related_actor(a: Actor, b: Actor) -> bool:
    """The same actor, or a state and one of its own organs ("Australia" and its troops): never a dyad."""
    own_organ = bool(a.country) and a.country == b.country and (a.sector is None or b.sector is None)
    return own_organ or same_actor(a, b)


def same_actor(a: Actor, b: Actor) -> bool:
    """The same actor, or two mentions of one body of the same country (its ambassadors, its officials)."""
    if a.country and a.country == b.country and a.sector and a.sector == b.sector and not (a.person and b.person):
        return True
    return (a.country, a.sector, a.person or a.name) == (b.country, b.sector, b.person or b.name)
