"""The date resolver: time phrases against reference dates, and events tied to their phrases."""

from __future__ import annotations

from datetime import date

import pytest

from flashpoint.model import Article, Statement
from flashpoint.when import TimeResolver, TimeValue, _relative_phrases, find_timexes, publication_date, resolve

FRIDAY = date(2024, 1, 19)
NEW_YEARS_DAY = date(2024, 1, 1)  # a Monday
LEAP_MARCH = date(2024, 3, 1)  # a Friday after 29 February


@pytest.mark.parametrize(
    ("phrase", "reference", "expected"),
    [
        ("on Friday", FRIDAY, TimeValue("2024-01-19", "day", "relative")),
        ("Thursday", FRIDAY, TimeValue("2024-01-18", "day", "relative")),
        ("last Friday", FRIDAY, TimeValue("2024-01-12", "day", "relative")),
        ("next Monday", FRIDAY, TimeValue("2024-01-22", "day", "relative")),
        ("today", FRIDAY, TimeValue("2024-01-19", "day", "relative")),
        ("yesterday", FRIDAY, TimeValue("2024-01-18", "day", "relative")),
        ("yesterday", NEW_YEARS_DAY, TimeValue("2023-12-31", "day", "relative")),
        ("two days ago", LEAP_MARCH, TimeValue("2024-02-28", "day", "relative")),
        ("earlier in the week", FRIDAY, TimeValue("2024-01-15", "week", "relative", "2024-01-18")),
        ("earlier this week", NEW_YEARS_DAY, TimeValue("2024-01-01", "week", "relative", "2024-01-01")),
        ("last week", NEW_YEARS_DAY, TimeValue("2023-12-25", "week", "relative", "2023-12-31")),
        ("on Sunday", NEW_YEARS_DAY, TimeValue("2023-12-31", "day", "relative")),
        ("last month", NEW_YEARS_DAY, TimeValue("2023-12-01", "month", "relative", "2023-12-31")),
        ("last month", LEAP_MARCH, TimeValue("2024-02-01", "month", "relative", "2024-02-29")),
        ("last year", FRIDAY, TimeValue("2023-01-01", "year", "relative", "2023-12-31")),
        ("on January 16", FRIDAY, TimeValue("2024-01-16", "day", "explicit")),
        ("16 January 2023", FRIDAY, TimeValue("2023-01-16", "day", "explicit")),
        ("December 30", NEW_YEARS_DAY, TimeValue("2023-12-30", "day", "explicit")),
        ("in December", FRIDAY, TimeValue("2023-12-01", "month", "explicit", "2023-12-31")),
        ("in 2019", FRIDAY, TimeValue("2019-01-01", "year", "explicit", "2019-12-31")),
        ("1980-88", FRIDAY, TimeValue("1980-01-01", "year", "explicit", "1988-12-31")),
        ("2024-01-16", None, TimeValue("2024-01-16", "day", "explicit")),
    ],
)
def test_when_resolves_phrase_against_reference(phrase: str, reference: date, expected: TimeValue) -> None:
    assert resolve(phrase, reference) == expected


@pytest.mark.parametrize("phrase", ["February 30", "1988-80", "recently", "late evening"])
def test_when_leaves_impossible_or_vague_phrases_unresolved(phrase: str) -> None:
    assert resolve(phrase, FRIDAY) is None


def test_when_relative_phrase_needs_a_reference() -> None:
    assert resolve("yesterday", None) is None


def test_when_future_weekday_counts_forward() -> None:
    assert resolve("on Friday", FRIDAY, forward=True) == TimeValue("2024-01-26", "day", "relative")


def test_when_finds_phrases_with_offsets_in_text() -> None:
    text = "Talks began on Monday and ended two days ago, after the war of 1980-88 was recalled."
    found = find_timexes(text, FRIDAY)
    assert [(t.text, text[t.start : t.end]) for t in found] == [(t.text, t.text) for t in found]
    assert [t.value.date for t in found] == ["2024-01-15", "2024-01-17", "1980-01-01"]


def test_when_finds_every_kind_of_phrase_the_quick_skip_lets_through() -> None:
    # the pattern skips early the words no phrase starts with: each kind of phrase, in any case, is still found
    phrases = [*_relative_phrases(), "Jan. 16", "16th of Sept 2023", "mid December", "in the year 1990",
               "2019-2021", "three weeks ago", "past Tuesday evening", "2024-01-16", "ON FRIDAY"]  # fmt: skip
    for phrase in phrases:
        found = find_timexes(f"Talks ({phrase}) ended.", FRIDAY)
        assert [timex.text for timex in found] == [phrase], phrase


def test_when_publication_date_falls_back_on_statement_dates() -> None:
    article = Article(
        id="a", statements=[Statement(text="x", date="2024-01-18"), Statement(text="y", date="2024-01-19")]
    )
    publication_date(article)
    assert (article.published, article.published_basis) == ("2024-01-19", "statements")


def test_when_publication_date_from_input_is_kept() -> None:
    article = Article(
        id="a", published="2024-01-20", published_basis="argument", statements=[Statement("x", date="2024-01-19")]
    )
    publication_date(article)
    assert (article.published, article.published_basis) == ("2024-01-20", "argument")


def test_when_sample_events_carry_their_own_dates(sample_coded: Article) -> None:
    def event(type_: str, words: str) -> tuple[str | None, str, str | None, str | None]:
        found = [e for e in sample_coded.events if e.type == type_ and words in e.evidence.text]
        assert found, f"no {type_} event with {words!r}"
        return found[0].date, found[0].date_precision, found[0].date_basis, found[0].date_end

    assert event("CONSULT", "Jilani engaged in") == ("2024-01-19", "day", "relative", None)
    assert event("ASSAULT", "Iran launched a missile strike") == ("2024-01-15", "week", "relative", "2024-01-18")
    assert event("AGREE", "reaffirmed its commitment") == ("2024-01-18", "day", "relative", None)


def test_when_no_event_takes_the_historical_war_date(sample_coded: Article) -> None:
    assert all(not event.date or event.date >= "2024" for event in sample_coded.events)


def test_when_event_tied_to_old_year_is_historical() -> None:
    from flashpoint import code

    article = code("Iraq invaded Iran in 1980, starting a long war.", published="2024-01-19")
    assault = [event for event in article.events if event.date == "1980-01-01"]
    assert assault and all(event.modality.historical for event in assault)


def test_when_stage_leaves_undated_article_alone() -> None:
    article = TimeResolver()(Article(id="empty"))
    assert article.published is None and article.events == []


def test_when_phrase_under_a_verbless_root_is_tied_without_looping() -> None:
    # regression: the climb to the clause's verb compared spaCy tokens by identity and never stopped at a ROOT
    from flashpoint import code

    article = code(
        "Some 30 thousand Syrians Sought Refuge in the EU in the first quarter of 2015.", published="2016-01-04"
    )
    assert article.ok and all(event.date is not None for event in article.events)
