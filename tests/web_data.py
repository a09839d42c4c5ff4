"""Small stores for the API and dashboard tests: hand-built coded articles (no spaCy) and the bundled sample.

The PAK-IRN dyad gets four weeks of cooperation (one article a day from 2023-12-18), then two weeks of
conflict from 2024-01-15, so that its series has an escalation; the sample (published 2024-01-19) adds its
own events. Two articles report one clash at Panjgur (a cluster, for the mentions), IND-PAK and CHN-USA
have a few events, and one article carries markup in every text field (the stored-XSS probe).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from flashpoint.model import Actor, Article, Event, Evidence, Place, Statement
from flashpoint.store import Store, StoredCluster

XSS_ID = "xss-probe"
XSS_TEXT = (
    "Officials met in <b>Islamabad</b> on Monday. <script>window.__xss=1</script> "
    'The <img src=x onerror="window.__xss=2"> delegation from Iran condemned the attack on the border post. '
    "Ministers said talks would go on."
)
CLASH_IDS = ("clash-a", "clash-b")
PANJGUR = Place(name="Panjgur", country="PAK", admin1="Balochistan", lat=26.96, lon=64.09, geonames_id=1168749)
TEHRAN = Place(name="Tehran", country="IRN", admin1="Tehran", lat=35.69, lon=51.42, geonames_id=112931)
ISLAMABAD = Place(name="Islamabad", country="PAK", admin1="Islamabad", lat=33.72, lon=73.04, geonames_id=1176615)

# type, cameo, quad class, intensity, goldstein, sentence ({a} acts on {b})
COOPERATIVE = [
    ("CONSULT", "040", 1, 2.5, 1.0, "{a} held talks with {b} on border trade."),
    ("AGREE", "030", 1, 2.5, 4.0, "{a} agreed with {b} to reopen a crossing."),
]
CONFLICTUAL = [
    ("ASSAULT", "190", 4, -9.0, -10.0, "{a} launched strikes on targets inside {b}."),
    ("ACCUSE", "112", 3, -3.0, -2.0, "{a} accused {b} of sheltering militants."),
    ("THREATEN", "138", 3, -3.5, -7.0, "{a} threatened {b} with retaliation."),
]
NAMES = {"PAK": "Pakistan", "IRN": "Iran", "IND": "India", "USA": "United States", "CHN": "China"}


@dataclass(frozen=True)
class Sentence:
    """One sentence of a built article and the event coded from all of it."""

    kind: tuple[str, str, int, float, float, str]
    source: str
    target: str
    day: str
    location: Place | None = None


def built_article(
    article_id: str, published: str, sentences: list[Sentence], *, title: str | None = None, source: str = "Test Wire",
    lead: str | None = None,
) -> Article:
    """An article whose text is `lead` (default: a line naming it, so that no two texts are the same) and the
    sentences, each coded as one event with exact evidence offsets."""
    text, events = f"Dispatch {article_id}." if lead is None else lead, []
    for sentence in sentences:
        event_type, cameo, quad, intensity, goldstein, template = sentence.kind
        words = template.format(a=NAMES[sentence.source], b=NAMES[sentence.target])
        start = len(text) + (1 if text else 0)
        text = f"{text} {words}" if text else words
        events.append(_event(sentence, event_type, cameo, quad, intensity, goldstein, words, start))
    return Article(id=article_id, raw=text, text=text, title=title or f"Report {article_id}", published=published,
                   published_basis="record", source=source, language="en", events=events)


def _event(
    sentence: Sentence, event_type: str, cameo: str, quad: int, intensity: float, goldstein: float, words: str,
    start: int,
) -> Event:
    verb = words.split()[1]
    trigger = start + words.index(verb)
    return Event(
        type=event_type, mode=None, context=None, cameo=cameo, quad_class=quad, intensity=intensity,
        goldstein=goldstein, evidence=Evidence(words, start, start + len(words), trigger, trigger + len(verb)),
        source=[_actor(sentence.source)], target=[_actor(sentence.target)], date=sentence.day,
        date_precision="day", date_basis="publication", location=sentence.location, confidence=0.8,
    )


def _actor(country: str) -> Actor:
    return Actor(name=NAMES[country], text=NAMES[country], country=country)


def _days(first: date, count: int) -> list[str]:
    return [(first + timedelta(days=offset)).isoformat() for offset in range(count)]


def dyad_articles() -> list[Article]:
    """PAK-IRN: 28 days of cooperation, then 14 of conflict; plus IND-PAK and CHN-USA events."""
    articles = []
    for number, day in enumerate(_days(date(2023, 12, 18), 28)):
        kind = COOPERATIVE[number % 2]
        articles.append(built_article(f"coop-{day}", day, [Sentence(kind, "PAK", "IRN", day, ISLAMABAD),
                                                           Sentence(COOPERATIVE[1 - number % 2], "IRN", "PAK", day)]))
    for number, day in enumerate(_days(date(2024, 1, 15), 14)):
        articles.append(built_article(f"conflict-{day}", day, [
            Sentence(CONFLICTUAL[number % 3], "IRN", "PAK", day, PANJGUR),
            Sentence(CONFLICTUAL[(number + 1) % 3], "PAK", "IRN", day, TEHRAN),
        ]))
    for number, day in enumerate(_days(date(2024, 1, 2), 6)):
        articles.append(built_article(f"ind-pak-{day}", day, [Sentence(CONFLICTUAL[number % 3], "IND", "PAK", day)]))
        articles.append(built_article(f"usa-chn-{day}", day, [Sentence(COOPERATIVE[number % 2], "USA", "CHN", day)]))
    return articles


def clash_articles() -> list[Article]:
    """Two outlets' reports of one clash (clustered by `add_clash_cluster`)."""
    day = "2024-01-16"
    return [
        built_article(CLASH_IDS[0], day, [Sentence(CONFLICTUAL[0], "IRN", "PAK", day, PANJGUR)], source="Wire One"),
        built_article(CLASH_IDS[1], day, [Sentence(CONFLICTUAL[0], "IRN", "PAK", day, PANJGUR)], source="Wire Two",
                      lead="Second report."),
    ]


def add_clash_cluster(store: Store) -> None:
    cluster = StoredCluster(id="ev-clash", dyad="IRN-PAK", type="ASSAULT", date="2024-01-16", location="Panjgur")
    store.set_cluster(cluster, [(CLASH_IDS[0], 0), (CLASH_IDS[1], 0)])


def xss_article() -> Article:
    """Markup in the text, title, source, actor names, evidence, place name and an embedded post's text and
    author: all must be shown as text."""
    sentence = 'The <img src=x onerror="window.__xss=2"> delegation from Iran condemned the attack on the border post.'

    start = XSS_TEXT.index(sentence)
    event = Event(
        type="ACCUSE", mode=None, context=None, cameo="111", quad_class=3, intensity=-3.0, goldstein=-2.0,
        evidence=Evidence(sentence, start, start + len(sentence), start + sentence.index("condemned"),
                          start + sentence.index("condemned") + len("condemned")),
        source=[Actor(name="<script>window.__xss=3</script>Iran", text="Iran", country="IRN")],
        target=[Actor(name="Pakistan <img src=x onerror=\"window.__xss=4\">", text="Pakistan", country="PAK")],
        date="2024-01-22", date_precision="day", date_basis="publication", confidence=0.7,
        location=Place(name="<svg onload=\"window.__xss=5\">", country="PAK", lat=30.0, lon=70.0),
    )
    return Article(
        id=XSS_ID, raw=XSS_TEXT, text=XSS_TEXT, title="<script>window.__xss=6</script>Talks",
        url="javascript:window.__xss=7", published="2024-01-22", published_basis="record",
        source="<b>Evil</b> Times", language="en", events=[event], statements=[xss_statement()],
    )


XSS_STATEMENT_TEXT = "Iran rejects the claims <script>window.__xss=8</script> #border"
XSS_AUTHOR = '<img src=x onerror="window.__xss=9">Spokesman'


def xss_statement() -> Statement:
    """An embedded post whose text, author and handle carry markup."""
    return Statement(text=XSS_STATEMENT_TEXT, author=XSS_AUTHOR, handle="<b>evil</b>", date="2024-01-22",
                     url="javascript:window.__xss=10")


@cache
def coded_sample() -> Article:
    """The bundled sample through the default pipeline, once per test session (spaCy: a few seconds)."""
    from flashpoint.api import default_pipeline
    from flashpoint.samples import sample_articles

    article = default_pipeline()(sample_articles()[0])
    article.doc, article.statement_docs = None, []
    return article


def fill(store: Store, *, sample: bool = True) -> None:
    """Every built article (and the coded sample) into `store`, with the clash cluster."""
    for article in [*dyad_articles(), *clash_articles(), xss_article()]:
        store.add_article(article)
    add_clash_cluster(store)
    if sample:
        store.add_article(coded_sample())
