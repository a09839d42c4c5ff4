"""Assemble events: triggers and arguments from `coder`, codes from `tables`, flags from `modality`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

from spacy.tokens import Doc, Span

from ..actors import find_mentions
from ..actors.authors import actor_from_author
from ..model import Actor, Article, Event, Evidence, Mention, Statement
from . import tables
from .classifier import EventClassifier, EventPrediction
from .coder import Arguments, MentionIndex, Trigger, find_arguments, find_triggers, related_actor, same_actor
from .cues import Cue
from .modality import detect_modality

MEDIATION = {"045"}
VERBAL = {1, 3}  # quad classes of words: a reported verbal act is the speaker's
COOPERATIVE = {1, 2}
REFUSAL = "120"  # CAMEO "Reject, not specified below"
# How far the sentence classifier overrules cue events that lack a source or a target (a cue event with
# both stands). Thresholds set once at 0.6, not searched:
FALLBACK_MIN_PROBABILITY = 0.6  # a sentence with actors but no cue word becomes an event
NO_EVENT_MIN_PROBABILITY = 0.6  # cue words in a sentence the classifier holds to be no event are dropped
RETYPE_MIN_PROBABILITY = 0.6  # a cue event of another quad class takes the classifier's type
FIRST_PERSON = {"we", "i", "us", "our", "my"}


@dataclass
class Context:
    """What the coder knows about the article around a sentence."""

    dyad: tuple[Actor, ...] = ()
    author: Actor | None = None
    statement: int | None = None
    year: int | None = None


def _actor(mention: Mention) -> Actor:
    assert mention.actor is not None
    return replace(mention.actor, text=mention.text)


def _actors(mentions: list[Mention]) -> list[Actor]:
    actors: list[Actor] = []
    for actor in (_actor(mention) for mention in mentions):
        if not any(same_actor(actor, seen) for seen in actors):
            actors.append(actor)
    return actors


def principal_dyad(mentions: list[Mention]) -> tuple[Actor, ...]:
    """The two countries the article is most about (by mentions), as bare country actors."""
    states = [m.actor for m in mentions if m.actor and m.actor.country and m.actor.sector != "MED"]
    counts = Counter(actor.country for actor in states)
    names = {actor.country: actor.name for actor in reversed(states) if actor.sector is None}
    return tuple(
        Actor(name=names.get(code, code), text=names.get(code, code), country=code)
        for code, _ in counts.most_common(2)
        if code is not None
    )


def _evidence_span(sent: Span, trigger: Trigger, args: Arguments) -> tuple[int, int]:
    starts = [trigger.token.idx, trigger.anchor.idx] + [m.start for m in args.source + args.target]
    ends = [trigger.token.idx + len(trigger.token), trigger.anchor.idx + len(trigger.anchor)]
    ends += [m.end for m in args.source + args.target]
    for token in (trigger.token, trigger.anchor):
        edges = [t.right_edge for t in token.rights if t.dep_ in {"dobj", "prep"}]
        ends += [edge.idx + len(edge) for edge in edges]
    start = max(min(starts), sent.start_char)
    end = min(max(max(ends), start), sent.end_char)
    return start, end


def _apply_context(args: Arguments, trigger: Trigger, context: Context) -> tuple[list[Actor], ...]:
    source, target = _actors(args.source), _actors(args.target)
    if not source and args.speaker and tables.cameo(trigger.cameo).quad_class in VERBAL:
        source, target = _actors(args.speaker), _actors(args.addressee) + target
    if context.author is not None:
        source = [context.author if a.text.lower() in FIRST_PERSON else a for a in source]
        if not source:
            source = [context.author]
    target = [a for a in target if not any(related_actor(a, s) for s in source)]
    third: list[Actor] = []
    if trigger.cameo in MEDIATION and len(context.dyad) == 2:
        third = [a for a in source + target if a.country not in {d.country for d in context.dyad}]
        source, target = [context.dyad[0]], [context.dyad[1]]
    return source, target, third


def make_event(
    sent: Span, trigger: Trigger, args: Arguments, context: Context, prediction: EventPrediction | None = None
) -> Event | None:
    """One event from a trigger, or None when no actor takes part in it."""
    source, target, third = _apply_context(args, trigger, context)
    if not source and not target:
        return None
    entry = tables.cameo(trigger.cameo)
    start, end = _evidence_span(sent, trigger, args)
    return Event(
        type=entry.plover_type,
        mode=entry.mode or None,
        context=entry.context or None,
        cameo=trigger.cameo,
        quad_class=entry.quad_class,
        intensity=tables.plover(entry.plover_type).intensity,
        goldstein=entry.goldstein,
        evidence=Evidence(
            text=sent.text[start - sent.start_char : end - sent.start_char],
            start=start,
            end=end,
            trigger_start=trigger.token.idx,
            trigger_end=trigger.token.idx + len(trigger.token),
        ),
        source=source,
        target=target,
        third_parties=third,
        modality=detect_modality(trigger.token, sent.doc, reference_year=context.year),
        confidence=_confidence(source, target, entry.quad_class, prediction),
        statement=context.statement,
    )


def _confidence(source: list[Actor], target: list[Actor], quad: int, prediction: EventPrediction | None) -> float:
    """Higher with both actors found and when the sentence classifier agrees on the quad class."""
    score = 0.5 + 0.2 * bool(source) + 0.2 * bool(target)
    if prediction is not None:
        agreement = prediction.quad_probability if prediction.quad == quad else 1 - prediction.quad_probability
        score *= 0.5 + 0.5 * agreement
    return round(min(score, 0.95), 2)


def _fallback_trigger(sent: Span, prediction: EventPrediction) -> Trigger | None:
    """For a sentence with no cue word that the classifier holds to be an event: its main verb."""
    if prediction.type is None or prediction.quad_probability < FALLBACK_MIN_PROBABILITY:
        return None
    root = sent.root
    cameo = tables.default_cameo(prediction.type)
    return Trigger(root, Cue(root.lemma_.lower(), "ANY", cameo), root, cameo)


def _credit_speaker(event: Event, args: Arguments) -> None:
    """A deed retyped as words, under a reporting verb, is the speaker's act toward those it names."""
    if not args.speaker or event.quad_class not in VERBAL:
        return
    named = [*_actors(args.addressee), *event.source, *event.target]
    event.source = _actors(args.speaker)
    event.target = []
    for actor in named:
        if not any(same_actor(actor, seen) for seen in event.source + event.target):
            event.target.append(actor)


def _refusal(event: Event) -> Event:
    """A cooperative act that is negated ("will not lift the ban", "refused to release") is a REJECT."""
    if not event.modality.negated or event.quad_class not in COOPERATIVE:
        return event
    _recode(event, REFUSAL)
    event.modality.negated = False  # the refusal itself happened
    return event


def _recode(event: Event, cameo: str) -> None:
    """Give an event another CAMEO code and what follows from it, keeping its actors and evidence."""
    entry = tables.cameo(cameo)
    event.type, event.mode, event.context, event.cameo = entry.plover_type, entry.mode or None, None, cameo
    event.quad_class, event.goldstein = entry.quad_class, entry.goldstein
    event.intensity = tables.plover(entry.plover_type).intensity


def _complete(event: Event) -> bool:
    """An event whose cue word found both a source and a target: the classifier does not overrule it."""
    return bool(event.source and event.target)


def _retype(event: Event, prediction: EventPrediction) -> None:
    """Give an event the classifier's type (and that type's default CAMEO code), keeping its actors."""
    assert prediction.type is not None
    _recode(event, tables.default_cameo(prediction.type))
    event.confidence = round(0.5 * prediction.quad_probability + 0.3, 2)


def _sentence_events(
    sent: Span, index: MentionIndex, context: Context, prediction: EventPrediction | None
) -> list[Event]:
    arguments = [(t, find_arguments(t, index)) for t in find_triggers(sent, index.token_ids())]
    coded = [(make_event(sent, t, args, context, prediction), args) for t, args in arguments]
    speakers = {id(event): args for event, args in coded if event is not None}
    events = [_refusal(event) for event, _ in coded if event is not None]
    for event in events:
        if not event.source:
            _credit_speaker(event, speakers[id(event)])
    if prediction is None:
        return events
    if prediction.quad == 0 and prediction.quad_probability >= NO_EVENT_MIN_PROBABILITY:
        return [event for event in events if _complete(event)]
    if events and not any(event.quad_class == prediction.quad for event in events):
        main = max(events, key=lambda event: event.confidence)
        if prediction.quad_probability >= RETYPE_MIN_PROBABILITY and prediction.type and not _complete(main):
            _retype(main, prediction)
            _credit_speaker(main, speakers[id(main)])
        return events
    fallback = _fallback_trigger(sent, prediction) if not events else None
    if fallback is not None:
        guessed = make_event(sent, fallback, find_arguments(fallback, index), context, prediction)
        if guessed is not None:
            guessed.confidence = round(guessed.confidence * 0.6, 2)  # no cue word: less sure
            events.append(guessed)
    return events


@dataclass
class _Part:
    """A parsed text being coded (a story or a statement): its mentions, context and candidate sentences."""

    index: MentionIndex
    context: Context
    sents: list[Span]


def _part(doc: Doc, mentions: list[Mention], context: Context) -> _Part:
    """The text's mention index and the sentences that name an actor (no actor, no event)."""
    index = MentionIndex(doc, mentions)
    actors = index.token_ids()
    sents = [sent for sent in doc.sents if any(i in actors for i in range(sent.start, sent.end))]
    return _Part(index, context, sents)


def _predict(parts: list[_Part], classifier: EventClassifier | None) -> list[list[EventPrediction | None]]:
    """The classifier's prediction for every candidate sentence of the parts, in one batch."""
    sents = [sent for part in parts for sent in part.sents]
    if classifier is None or not sents:
        return [[None] * len(part.sents) for part in parts]
    predictions = iter(classifier.predict([sent.text for sent in sents]))
    return [[next(predictions) for _ in part.sents] for part in parts]


def _code(part: _Part, predictions: list[EventPrediction | None]) -> list[Event]:
    """The events of a part's sentences, given the classifier's prediction for each."""
    events: list[Event] = []
    for sent, prediction in zip(part.sents, predictions, strict=True):
        events += _sentence_events(sent, part.index, part.context, prediction)
    return events


def code_doc(
    doc: Doc, mentions: list[Mention], context: Context | None = None, classifier: EventClassifier | None = None
) -> list[Event]:
    """Every event in a parsed text, given its actor mentions (and, optionally, the sentence classifier)."""
    part = _part(doc, mentions, context or Context(dyad=principal_dyad(mentions)))
    return _code(part, _predict([part], classifier)[0])


def author_actor(statement: Statement) -> Actor | None:
    """The actor behind an embedded post, from the flag emoji or the names in its author line."""
    return actor_from_author(statement.author or "", handle=statement.handle)


class EventCoder:
    """The `events` pipeline stage: code the story and every embedded statement."""

    name = "events"

    def __init__(self, *, classifier: EventClassifier | None = None, **_: Any) -> None:
        tables.cameo("190")  # load the tables once, at start-up
        self.classifier = classifier or EventClassifier.load()

    def __call__(self, article: Article) -> Article:
        return self.pipe([article])[0]

    def pipe(self, articles: list[Article]) -> list[Article]:
        """Code a batch of articles, classifying the sentences of all of them at once."""
        parts = [self._parts(article) for article in articles]
        predictions = iter(_predict([part for own in parts for part in own], self.classifier))
        for article, own in zip(articles, parts, strict=True):
            article.events = [event for part in own for event in _code(part, next(predictions))]
        return articles

    def _parts(self, article: Article) -> list[_Part]:
        """The story and each embedded statement, ready to code."""
        dyad = principal_dyad(article.mentions)
        year = int(article.published[:4]) if article.published else None
        parts = [_part(article.doc, article.mentions, Context(dyad=dyad, year=year))]
        for i, (statement, doc) in enumerate(zip(article.statements, article.statement_docs, strict=True)):
            parts.append(self._statement_part(statement, doc, Context(dyad=dyad, statement=i, year=year)))
        return parts

    def _statement_part(self, statement: Statement, doc: Doc, context: Context) -> _Part:
        context.author = author_actor(statement)
        country = context.author.country if context.author else None
        mentions = find_mentions(doc, context_country=country, include_places=True)
        return _part(doc, mentions, context)
