"""The places stage: gazetteer, toponym recognition and use, resolution in context, event locations (issue 4)."""

from __future__ import annotations

import gzip
from difflib import SequenceMatcher
from typing import Any

import pytest

from flashpoint.actors import ActorFinder
from flashpoint.datafiles import DATA
from flashpoint.model import Article, Event, Evidence, Place
from flashpoint.nlp import load_nlp
from flashpoint.where import Gazetteer, Locator, PlaceMention, find_places, places_in_doc
from flashpoint.where.gazetteer import GAZETTEER_FILE, name_key
from flashpoint.where.locate import event_location
from flashpoint.where.resolve import FUZZY_RATIO, _nearest_spelt

HEADER = "geonameid\tname\tfeature\tcountry\tadmin1\tadmin2\tpopulation\tlat\tlon\talt"
# A small gazetteer: three Alexandrias, the parish and state of one of them, two Parises, and Iran.
ROWS = [
    "130758\tIran\tcountry\tIRN\t\t\t81800269\t32.0\t53.0\tPersia",
    "361058\tAlexandria\tcity\tEGY\t\t\t5263542\t31.2018\t29.9158\tIskandariyah",
    "2988507\tParis\tcity\tFRA\t\t\t2138551\t48.8534\t2.3488\t",
    "4331987\tLouisiana\tadmin1\tUSA\t4331987\t\t4515939\t31.0005\t-92.0004\tPelican State",
    "4338356\tRapides Parish\tadmin2\tUSA\t4331987\t\t131613\t31.1986\t-92.5332\tRapides",
    "4314550\tAlexandria\tcity\tUSA\t4331987\t4338356\t47889\t31.3113\t-92.4451\t",
    "4736286\tTexas\tadmin1\tUSA\t4736286\t\t28304596\t31.2504\t-99.2506\t",
    "4717560\tParis\tcity\tUSA\t4736286\t\t24782\t33.6609\t-95.5555\t",
    "4744091\tAlexandria\tcity\tUSA\t6254928\t\t159467\t38.8048\t-77.0469\t",
    "6254928\tVirginia\tadmin1\tUSA\t6254928\t\t8470020\t37.5481\t-77.4467\t",
]


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_nlp()


@pytest.fixture(scope="module")
def small_gazetteer() -> Gazetteer:
    return Gazetteer(["# a test gazetteer", HEADER, *ROWS])


def places_of(nlp: Any, text: str, gazetteer: Gazetteer | None = None) -> list[PlaceMention]:
    return places_in_doc(nlp(text), gazetteer=gazetteer)


def place(places: list[PlaceMention], text: str) -> PlaceMention:
    found = [found for found in places if found.text == text]
    assert found, f"no place {text!r} in {[found.text for found in places]}"
    return found[0]


# --- the gazetteer --------------------------------------------------------------------------------------


def test_where_name_key_folds_spelling() -> None:
    assert name_key("St. Louis") == name_key("Saint Louis") == "saint louis"
    assert name_key("Tehrān") == name_key("TEHRAN") == "tehran"
    assert name_key("Winston-Salem") == "winston salem"
    assert name_key("Coeur d’Alene") == name_key("Coeur d'Alene")


def test_where_gazetteer_finds_rows_by_name_and_alias(small_gazetteer: Gazetteer) -> None:
    assert len(small_gazetteer) == len(ROWS)
    alexandrias = {small_gazetteer.entry(row).country for row, _ in small_gazetteer.rows("Alexandria")}
    assert alexandrias == {"EGY", "USA"}
    [(row, main)] = small_gazetteer.rows("Persia")
    assert small_gazetteer.entry(row).name == "Iran" and not main
    assert small_gazetteer.rows("Persia", aliases=False) == []
    parish = small_gazetteer.by_geonameid(4338356)
    assert parish is not None and parish.feature == "admin2" and parish.admin1 == 4331987
    assert small_gazetteer.name_of(4331987) == "Louisiana"
    assert small_gazetteer.country_row("IRN") is not None
    assert {small_gazetteer.names[row] for row in small_gazetteer.children(4331987)} == {
        "Louisiana",
        "Rapides Parish",
        "Alexandria",
    }


def test_where_gazetteer_keeps_records_it_built(small_gazetteer: Gazetteer) -> None:
    rows = range(len(small_gazetteer))
    first = [small_gazetteer.entry(row) for row in rows]
    assert [small_gazetteer.entry(row) for row in rows] == first
    assert all(small_gazetteer.entry(row) is entry for row, entry in zip(rows, first, strict=True))
    assert [small_gazetteer.feature(row) for row in rows] == [entry.feature for entry in first]


@pytest.mark.parametrize("name", ["rapids", "alexandra", "lousiana", "rapides parish", "paris", "xyz"])
def test_where_fuzzy_division_match_is_the_plain_nearest(small_gazetteer: Gazetteer, name: str) -> None:
    # the quick bounds before SequenceMatcher.ratio() never change which child is the nearest-spelt
    children = small_gazetteer.children(4331987)
    best: tuple[float, int] | None = None
    for row in children:
        ratio = SequenceMatcher(None, name, name_key(small_gazetteer.names[row]).removesuffix(" parish")).ratio()
        if ratio >= FUZZY_RATIO and (best is None or ratio > best[0]):
            best = (ratio, row)
    expected = best[1] if best is not None else None
    assert _nearest_spelt(name, " parish", (4331987,), small_gazetteer) == expected


def test_where_packaged_gazetteer_has_the_documented_columns() -> None:
    with DATA.joinpath(GAZETTEER_FILE).open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as handle:
        lines = [next(handle) for _ in range(12)]
    assert any("GeoNames" in line and line.startswith("#") for line in lines)
    assert HEADER in [line.rstrip("\n") for line in lines]


def test_where_packaged_gazetteer_has_countries_divisions_and_towns() -> None:
    from flashpoint.where import load_gazetteer

    gazetteer = load_gazetteer()
    panjgur = gazetteer.by_geonameid(1168444)
    assert panjgur is not None and (panjgur.name, panjgur.feature, panjgur.country) == (
        "Panjgur District",
        "admin2",
        "PAK",
    )
    assert gazetteer.name_of(panjgur.admin1) == "Balochistan"
    iran = gazetteer.entry(gazetteer.country_row("IRN") or 0)
    assert (iran.name, iran.geonameid) == ("Iran", 130758)
    towns = {gazetteer.entry(row).admin1 for row, _ in gazetteer.rows("Cottonport")}
    assert 4331987 in towns  # Cottonport, Louisiana: 2,000 people


# --- recognition and use --------------------------------------------------------------------------------


def test_where_tells_location_from_actor_and_demonym(nlp: Any) -> None:
    places = places_of(nlp, "Tehran said the Iranian officials met their counterparts in Islamabad on Monday.")
    assert place(places, "Tehran").use == "actor"
    assert place(places, "Iranian").use == "demonym"
    assert place(places, "Islamabad").use == "location"
    assert place(places, "Islamabad").country == "PAK"


def test_where_coordinated_capitals_as_subjects_are_actors(nlp: Any) -> None:
    places = places_of(nlp, "Both Islamabad and Tehran were quick to recognise the need to de-escalate.")
    assert [found.use for found in places if found.text in ("Islamabad", "Tehran")] == ["actor", "actor"]


def test_where_demonym_before_a_place_noun_is_a_location(nlp: Any) -> None:
    found = place(places_of(nlp, "Pakistan conducted air strikes inside Iranian territory."), "Iranian")
    assert (found.use, found.country, found.geonames_id) == ("location", "IRN", 130758)


def test_where_common_words_and_surnames_are_not_places(nlp: Any) -> None:
    text = (
        "Darryl Keith Warden, 44, was arrested on Sunday. Warden told officers that Police Union had won. "
        "The Driver safety course is open to the public."
    )
    assert {found.text for found in places_of(nlp, text)} & {"Warden", "Police", "Driver"} == set()


def test_where_finds_towns_spacy_misses_with_support(nlp: Any) -> None:
    text = "Officers began their night at the Cottonport Fire Station and arrested 14 in the Cottonport area."
    places = places_of(nlp, text)
    assert [found.text for found in places] == ["Cottonport", "Cottonport"]
    assert {found.admin1 for found in places} == {"Louisiana"}


def test_where_reads_a_division_after_a_comma(nlp: Any, small_gazetteer: Gazetteer) -> None:
    places = places_of(nlp, "The festival moved from Paris, Texas, to a new home.", small_gazetteer)
    assert (place(places, "Paris").country, place(places, "Paris").admin1) == ("USA", "Texas")
    abbreviated = places_of(nlp, "She was found dead in Alexandria, La., on Friday.", small_gazetteer)
    assert place(abbreviated, "Alexandria").geonames_id == 4314550
    assert place(abbreviated, "La.").name == "Louisiana"


def test_where_listed_names_before_counties_are_counties(nlp: Any) -> None:
    places = places_of(nlp, "Volunteers from Camden and Charlton counties in Georgia took part.")
    assert [(found.text, found.name) for found in places if found.text in ("Camden", "Charlton")] == [
        ("Camden", "Camden County"),
        ("Charlton", "Charlton County"),
    ]
    assert {found.admin1 for found in places if found.text != "Georgia"} == {"Georgia"}


# --- resolution -----------------------------------------------------------------------------------------


def test_where_resolves_by_the_other_places_of_the_story(nlp: Any, small_gazetteer: Gazetteer) -> None:
    """Issue 4: 'Alexandria ... Rapides Parish' is the Alexandria in Louisiana, not Egypt's."""
    text = "An Alexandria woman was charged with arson. The Rapides Parish Fire District investigated the fire."
    places = places_of(nlp, text, small_gazetteer)
    alexandria = place(places, "Alexandria")
    assert (alexandria.geonames_id, alexandria.country, alexandria.admin1) == (4314550, "USA", "Louisiana")
    assert place(places, "Rapides Parish").geonames_id == 4338356


def test_where_resolves_by_population_without_context(nlp: Any, small_gazetteer: Gazetteer) -> None:
    found = place(places_of(nlp, "Protesters gathered in Alexandria on Friday.", small_gazetteer), "Alexandria")
    assert found.country == "EGY"


def test_where_home_country_breaks_ties(nlp: Any, small_gazetteer: Gazetteer) -> None:
    doc = nlp("Protesters gathered in Alexandria on Friday.")
    found = place(places_in_doc(doc, home="USA", gazetteer=small_gazetteer), "Alexandria")
    assert found.country == "USA"


def test_where_to_dict_has_exactly_the_public_fields(nlp: Any) -> None:
    found = place(places_of(nlp, "Fighting continued in Tehran."), "Tehran")
    assert found.to_dict() == {
        "text": "Tehran",
        "start": found.start,
        "end": found.end,
        "name": "Tehran",
        "geonames_id": 112931,
        "country": "IRN",
        "admin1": found.admin1,
        "lat": found.lat,
        "lon": found.lon,
        "use": "location",
    }
    assert found.to_place() == Place("Tehran", "IRN", found.admin1, found.lat, found.lon, 112931, "city")


# --- bad inputs -----------------------------------------------------------------------------------------


def test_where_bad_inputs_give_no_places(nlp: Any) -> None:
    assert find_places(Article(id="empty")) == []
    assert find_places(Article(id="no-doc", text="Fighting continued in Tehran.")) == []
    blank = Article(id="blank", text="   ")
    blank.doc = nlp(blank.text)
    assert find_places(blank) == []
    assert places_in_doc(None) == []
    assert event_location(None, 3, []) is None
    unparsed = Article(id="unparsed", text="Fighting continued in Tehran.")
    assert Locator()(unparsed) is unparsed and unparsed.mentions == []


# --- the sample and the stage ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_located(sample_coded: Article) -> Article:
    return Locator()(sample_coded)


def test_where_sample_finds_panjgur_in_balochistan(sample_coded: Article) -> None:
    places = find_places(sample_coded)
    district = place(places, "Pangur district")
    assert (district.name, district.geonames_id, district.country, district.admin1, district.use) == (
        "Panjgur District",
        1168444,
        "PAK",
        "Balochistan",
        "location",
    )
    assert sample_coded.text[district.start : district.end] == "Pangur district"
    assert place(places, "Balochistan").geonames_id == 1183606


def test_where_sample_capitals_as_actors(sample_coded: Article) -> None:
    places = find_places(sample_coded)
    assert {found.use for found in places if found.text in ("Islamabad", "Tehran")} == {"actor"}
    assert {found.country for found in places if found.text == "Islamabad"} == {"PAK"}


def test_where_sample_event_locations(sample_located: Article) -> None:
    assaults = [event for event in sample_located.events if event.type == "ASSAULT" and event.statement is None]
    by_evidence = {event.evidence.text.split()[0]: event.location for event in assaults}
    iran_strike, pakistan_strike = by_evidence["Iran"], by_evidence["Pakistan"]
    assert iran_strike is not None and pakistan_strike is not None
    assert (iran_strike.name, iran_strike.country, iran_strike.admin1, iran_strike.geonames_id) == (
        "Panjgur District",
        "PAK",
        "Balochistan",
        1168444,
    )
    assert (pakistan_strike.country, pakistan_strike.feature, pakistan_strike.geonames_id) == (
        "IRN",
        "country",
        130758,
    )


def test_where_sample_events_without_a_locative_phrase_have_no_location(sample_located: Article) -> None:
    talks = [event for event in sample_located.events if event.type == "CONSULT" and event.statement is None]
    assert talks and all(event.location is None for event in talks)


def test_where_locator_records_places_on_mentions(sample_located: Article) -> None:
    by_text = {(mention.text, mention.start): mention for mention in sample_located.mentions}
    district = [mention for (text, _), mention in by_text.items() if text == "Pangur district"]
    assert district and district[0].kind == "place" and district[0].use == "location"
    assert district[0].place is not None and district[0].place.geonames_id == 1168444
    capitals = [mention for mention in sample_located.mentions if mention.text == "Tehran"]
    assert capitals and all(mention.use == "actor" and mention.place is not None for mention in capitals)
    assert all(capital.actor is not None for capital in capitals)
    starts = [mention.start for mention in sample_located.mentions]
    assert starts == sorted(starts)


def _article(nlp: Any, text: str) -> Article:
    article = Article(id="t", text=text)
    article.doc = nlp(text)
    return ActorFinder()(article)


def _event(text: str, trigger: str, statement: int | None = None) -> Event:
    start = text.index(trigger)
    evidence = Evidence(text, 0, len(text), start, start + len(trigger))
    return Event("ASSAULT", None, None, "190", 4, -9.0, -10.0, evidence, statement=statement)


def test_where_event_location_is_tied_to_the_trigger_not_the_first_place(nlp: Any) -> None:
    text = "Officials in Tehran said that Pakistan launched strikes on hideouts inside Iranian territory."
    article = _article(nlp, text)
    article.events = [_event(text, "strikes")]
    location = Locator()(article).events[0].location
    assert location is not None and location.country == "IRN" and location.feature == "country"


def test_where_event_location_from_a_light_verb_phrase(nlp: Any) -> None:
    text = "The army carried out raids in Peshawar after militants attacked a checkpoint."
    article = _article(nlp, text)
    article.events = [_event(text, "raids")]
    location = Locator()(article).events[0].location
    assert location is not None and (location.name, location.country) == ("Peshawar", "PAK")


def test_where_event_without_locative_phrase_has_no_location(nlp: Any) -> None:
    text = "Pakistan accused Iran of harbouring militants."
    article = _article(nlp, text)
    article.events = [_event(text, "accused")]
    assert Locator()(article).events[0].location is None


def test_where_statement_event_is_located_in_the_statement(nlp: Any) -> None:
    story = "Ministers spoke on Friday."
    statement = "Troops opened fire on protesters in Quetta."
    article = _article(nlp, story)
    article.statement_docs = [nlp(statement)]
    article.events = [_event(statement, "fire", statement=0)]
    location = Locator()(article).events[0].location
    assert location is not None and location.name == "Quetta" and location.admin1 == "Balochistan"


def test_where_bad_home_country_is_an_error() -> None:
    from flashpoint.errors import FlashpointError

    with pytest.raises(FlashpointError, match="E311"):
        Locator(home_country="Pakistan")
    with pytest.raises(FlashpointError, match="E311"):
        find_places(Article(id="x"), home_country="pk")


def test_where_unreadable_gazetteer_is_an_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    from flashpoint.errors import FlashpointError
    from flashpoint.where import gazetteer as module

    (tmp_path / "places").mkdir()
    (tmp_path / "places" / "gazetteer.tsv.gz").write_bytes(b"not gzip")
    monkeypatch.setattr(module, "DATA", tmp_path)
    module.load_gazetteer.cache_clear()
    try:
        with pytest.raises(FlashpointError, match="E310"):
            module.load_gazetteer()
    finally:
        module.load_gazetteer.cache_clear()


def test_where_running_again_finds_the_same_places(nlp: Any) -> None:
    text = "Tehran said the Iranian officials met Pakistani diplomats in the Cottonport area, near Alexandria."
    article = _article(nlp, text)
    first = [found.to_dict() for found in find_places(article)]
    Locator()(article)
    assert [found.to_dict() for found in find_places(article)] == first
