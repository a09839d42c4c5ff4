"""The actors stage: lexicon matching, phrase composition, places vs actors, and coreference."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from flashpoint.actors import ActorFinder, find_mentions, home_country
from flashpoint.actors.lexicon import DATA_DIR, load_lexicon
from flashpoint.model import Actor, Article, Mention
from flashpoint.nlp import load_nlp

SAMPLE = Path(__file__).resolve().parent.parent / "flashpoint" / "samples" / "pakistan-iran-2024-01-19.txt"
NOISE = ("@", "COMMENTS", "Comments are", "For more information", "Read more")
JILANI = Actor(
    name="Jalil Abbas Jilani",
    text="",
    country="PAK",
    sector="GOV",
    role="foreign minister",
    person="Jalil Abbas Jilani",
)


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_nlp()


@pytest.fixture(scope="module")
def sample_doc(nlp: Any) -> Any:
    """The sample story without its embedded tweets, comment box and 'Read more' links."""
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if line.strip() and not any(marker in line for marker in NOISE)]
    return nlp("\n".join(kept))


@pytest.fixture(scope="module")
def sample_mentions(sample_doc: Any) -> list[Mention]:
    return find_mentions(sample_doc)


def mentions_of(mentions: list[Mention], text: str) -> list[Mention]:
    return [mention for mention in mentions if mention.text == text]


def one(mentions: list[Mention], text: str) -> Mention:
    found = mentions_of(mentions, text)
    assert found, f"no mention {text!r} in {[mention.text for mention in mentions]}"
    return found[0]


def same_actor(actor: Actor | None, expected: Actor) -> bool:
    """Equal in every field but `text`, the words of the mention."""
    assert actor is not None
    return {**vars(actor), "text": ""} == {**vars(expected), "text": ""}


def test_actors_title_and_name_are_one_mention_with_home_country(sample_mentions: list[Mention]) -> None:
    mention = one(sample_mentions, "Caretaker Foreign Minister Jalil Abbas Jilani")
    assert mention.kind == "person"
    assert same_actor(mention.actor, JILANI)
    assert not mentions_of(sample_mentions, "Caretaker")


def test_actors_counterpart_takes_the_role_of_its_owner(sample_mentions: list[Mention]) -> None:
    mention = one(sample_mentions, "Iranian counterpart, Hossein Amir Abdollahian")
    expected = Actor(
        "Hossein Amir Abdollahian", "", "IRN", "GOV", "foreign minister", "Hossein Amir Abdollahian"
    )
    assert same_actor(mention.actor, expected)


def test_actors_surname_and_pronoun_resolve_to_the_person(sample_mentions: list[Mention]) -> None:
    surname = one(sample_mentions, "Jilani")
    assert surname.kind == "person"
    assert same_actor(surname.actor, JILANI)
    his = one(sample_mentions, "his")
    assert his.kind == "pronoun"
    assert same_actor(his.actor, JILANI)
    assert his.actor is not None and his.actor.text == "his"


def test_actors_foreign_offices_take_their_country(sample_mentions: list[Mention]) -> None:
    office = one(sample_mentions, "foreign office")
    assert office.actor == Actor("foreign office", "foreign office", "PAK", "GOV", "foreign ministry")
    ministry = one(sample_mentions, "Iranian foreign ministry")
    assert ministry.kind == "institution"
    assert ministry.actor is not None
    assert (ministry.actor.country, ministry.actor.sector, ministry.actor.role) == (
        "IRN",
        "GOV",
        "foreign ministry",
    )


def test_actors_capitals_as_subjects_are_governments(sample_mentions: list[Mention]) -> None:
    islamabad, tehran = one(sample_mentions, "Islamabad"), one(sample_mentions, "Tehran")
    assert islamabad.kind == tehran.kind == "capital"
    assert islamabad.actor is not None and tehran.actor is not None
    assert (islamabad.actor.country, islamabad.actor.sector) == ("PAK", "GOV")
    assert (tehran.actor.country, tehran.actor.sector) == ("IRN", "GOV")
    assert (
        len(mentions_of(sample_mentions, "Tehran")) == 2
    )  # "both Islamabad and Tehran", "The statement from Tehran"


def test_actors_capital_after_locative_preposition_is_a_place(nlp: Any) -> None:
    doc = nlp("The two ministers held talks in Tehran on Monday. Tehran welcomed the visit.")
    actors = find_mentions(doc)
    capitals = [(mention.text, mention.start) for mention in actors if mention.kind == "capital"]
    assert capitals == [("Tehran", doc.text.index("Tehran welcomed"))]
    places = [mention for mention in find_mentions(doc, include_places=True) if mention.kind == "place"]
    assert [(mention.text, mention.actor) for mention in places] == [("Tehran", None)]


def test_actors_bare_countries_are_states_without_sector(sample_mentions: list[Mention]) -> None:
    for name, code in (("China", "CHN"), ("Russia", "RUS"), ("Turkey", "TUR"), ("Pakistan", "PAK")):
        mention = one(sample_mentions, name)
        assert mention.kind == "country"
        assert mention.actor == Actor(name, name, code)


def test_actors_demonym_with_officials_is_government_and_territory_is_no_actor(
    sample_mentions: list[Mention],
) -> None:
    officials = mentions_of(sample_mentions, "Pakistani officials")
    assert len(officials) == 2
    assert all(m.actor is not None and (m.actor.country, m.actor.sector) == ("PAK", "GOV") for m in officials)
    assert not mentions_of(sample_mentions, "Iranian")
    assert not [mention for mention in sample_mentions if "territory" in mention.text]


def test_actors_militants_take_the_country_they_are_in(sample_mentions: list[Mention]) -> None:
    sunni = one(sample_mentions, "hardline Sunni Muslim militants")
    assert sunni.kind == "group"
    assert sunni.actor is not None
    assert (sunni.actor.country, sunni.actor.sector, sunni.actor.location) == ("PAK", "REB", "Balochistan")
    separatists = one(sample_mentions, "separatist militants")
    assert separatists.actor is not None
    assert (separatists.actor.country, separatists.actor.sector, separatists.actor.location) == (
        "IRN",
        "REB",
        "Iran",
    )


def test_actors_newspaper_is_media_not_a_state(sample_mentions: list[Mention]) -> None:
    paper = one(sample_mentions, "The Express Tribune")
    assert paper.kind == "institution"
    assert paper.actor == Actor("The Express Tribune", "The Express Tribune", "PAK", "MED")


def test_actors_pronoun_it_resolves_to_the_subject_state(sample_mentions: list[Mention]) -> None:
    it = one(sample_mentions, "it")
    assert it.actor is not None and it.actor.country == "IRN" and it.actor.name == "Iran"


def test_actors_country_inside_compound_noun_is_no_actor(sample_mentions: list[Mention]) -> None:
    war = [mention for mention in sample_mentions if mention.text in ("Iraq", "Iran-Iraq")]
    assert war == []


def test_actors_international_organisations_by_name_and_acronym(nlp: Any) -> None:
    doc = nlp(
        "The UN Security Council and NATO met. The World Health Organization and the ICRC warned the IAEA."
    )
    found = {mention.text: mention for mention in find_mentions(doc)}
    assert {
        name: (m.kind, m.actor and m.actor.country, m.actor and m.actor.sector) for name, m in found.items()
    } == {
        "UN Security Council": ("igo", "IGO", "UNSC"),
        "NATO": ("igo", "IGO", "NATO"),
        "World Health Organization": ("igo", "IGO", "WHO"),
        "ICRC": ("igo", "NGO", "ICRC"),
        "IAEA": ("igo", "IGO", "IAEA"),
    }


def test_actors_title_inside_organisation_keeps_organisation_and_role(nlp: Any) -> None:
    doc = nlp("UN Secretary-General Antonio Guterres urged restraint.")
    (mention,) = find_mentions(doc)
    assert mention.actor == Actor(
        "Antonio Guterres", mention.text, "IGO", "UN", "secretary-general", "Antonio Guterres"
    )


def test_actors_the_minister_and_he_resolve_to_the_named_minister(nlp: Any) -> None:
    doc = nlp(
        "Indian Foreign Minister Subrahmanyam Jaishankar arrived in Colombo on Monday. "
        "The minister met officials there. He said Jaishankar would return."
    )
    mentions = find_mentions(doc)
    minister, he, surname = one(mentions, "minister"), one(mentions, "He"), one(mentions, "Jaishankar")
    expected = Actor(
        "Subrahmanyam Jaishankar", "", "IND", "GOV", "foreign minister", "Subrahmanyam Jaishankar"
    )
    assert [m.kind for m in (minister, he, surname)] == ["person", "pronoun", "person"]
    assert all(same_actor(m.actor, expected) for m in (minister, he, surname))


def test_actors_possessive_country_and_stacked_titles(nlp: Any) -> None:
    doc = nlp("Pakistan's army chief General Asim Munir met Iran's foreign minister.")
    mentions = find_mentions(doc)
    munir = one(mentions, "Pakistan's army chief General Asim Munir")
    assert munir.actor is not None
    assert (munir.actor.country, munir.actor.sector, munir.actor.role) == ("PAK", "MIL", "army chief")
    minister = one(mentions, "Iran's foreign minister")
    assert minister.actor is not None and minister.actor.country == "IRN"


def test_actors_context_country_fills_bare_titles(nlp: Any) -> None:
    doc = nlp("The foreign minister criticised the police.")
    mentions = find_mentions(doc, context_country="IND")
    assert [(m.text, m.actor and m.actor.country, m.actor and m.actor.sector) for m in mentions] == [
        ("foreign minister", "IND", "GOV"),
        ("police", "IND", "COP"),
    ]


def test_actors_offsets_point_into_the_text(sample_doc: Any, sample_mentions: list[Mention]) -> None:
    assert sample_mentions
    assert all(sample_doc.text[m.start : m.end] == m.text for m in sample_mentions)
    assert [m.start for m in sample_mentions] == sorted(m.start for m in sample_mentions)


def test_actors_stage_sets_mentions_and_home_country(nlp: Any) -> None:
    article = Article(
        id="a1", text="The foreign office condemned the attack.", url="https://tribune.com.pk/story/1"
    )
    article.doc = nlp(article.text)
    ActorFinder()(article)
    assert [(m.text, m.actor and m.actor.country) for m in article.mentions] == [("foreign office", "PAK")]
    assert home_country(article) == "PAK"
    assert home_country(Article(id="a2", url="https://www.dawn.com/news/1")) == "PAK"
    assert home_country(Article(id="a3", source=" The Express Tribune ")) == "PAK"
    assert home_country(Article(id="a4", source="The Unknown Gazette")) is None


def test_actors_stage_without_doc_leaves_no_mentions() -> None:
    article = ActorFinder()(Article(id="empty"))
    assert article.mentions == []


def test_actors_data_files_name_their_sources() -> None:
    files = sorted(DATA_DIR.glob("*.tsv"))
    assert len(files) == 14
    for path in files:
        header = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
        assert any("source" in line.lower() for line in header), path.name
    lexicon = load_lexicon()
    assert lexicon.country_names["PAK"] == "Pakistan"
    assert lexicon.tlds["pk"] == "PAK"


def test_actors_title_in_apposition_describes_the_person(nlp: Any) -> None:
    doc = nlp("Vladimir Putin, the Russian president, will meet Angela Merkel, the German chancellor.")
    putin = one(find_mentions(doc), "Vladimir Putin")
    assert putin.actor == Actor(
        "Vladimir Putin", "Vladimir Putin", "RUS", "GOV", "president", "Vladimir Putin"
    )


def test_actors_body_from_a_country_takes_that_country(nlp: Any) -> None:
    doc = nlp("Russia said on Friday it had expelled diplomats from Poland.")
    diplomats = one(find_mentions(doc), "diplomats from Poland")
    assert diplomats.actor is not None
    assert (diplomats.actor.country, diplomats.actor.sector, diplomats.actor.role) == (
        "POL",
        "GOV",
        "diplomat",
    )


def test_actors_work_on_a_doc_without_parse() -> None:
    import spacy

    doc = spacy.blank("en")("Pakistan's foreign office said Tehran and the UN were wrong.")
    assert [(m.text, m.actor and m.actor.country) for m in find_mentions(doc)] == [
        ("Pakistan's foreign office", "PAK"),
        ("Tehran", "IRN"),
        ("UN", "IGO"),
    ]
