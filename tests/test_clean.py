"""The cleaning stage: the story alone, one paragraph per line; embedded posts as statements."""

from __future__ import annotations

import importlib.util
import json
import sys
from importlib.resources import files
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flashpoint.clean import Cleaner, clean_text, guess_language, load_patterns, parse_signature
from flashpoint.errors import FlashpointError
from flashpoint.model import Article
from flashpoint.pipeline import Pipeline
from flashpoint.sources import read_path, read_text

SAMPLE = "pakistan-iran-2024-01-19.txt"
LEAD = "The foreign ministers of Pakistan and Iran spoke by telephone on Friday, officials said."
MIDDLE = "Both sides agreed to return their ambassadors to the capitals within the week, the statement said."
END = "China offered to mediate between the two neighbours, its foreign ministry said in Beijing."

PAGE = f"""<!DOCTYPE html>
<html><head><title>Pakistan and Iran talk | The Daily Ledger</title>
<meta property="og:title" content="Pakistan and Iran foreign ministers talk">
<meta property="article:published_time" content="2024-01-19T10:00:00Z"></head>
<body>
<header><a href="/">The Daily Ledger</a><nav><ul><li><a href="/world">World</a></li>
<li><a href="/business">Business</a></li><li><a href="/sport">Sport</a></li></ul></nav></header>
<div class="ad-slot"><p>Advertisement</p><p>Buy the new SuperPhone today, only 99 dollars!</p></div>
<main><article>
<h1>Pakistan and Iran foreign ministers talk</h1>
<div class="share"><a href="#">Share this article</a></div>
<p>{LEAD}</p>
<p>{MIDDLE}</p>
<blockquote class="twitter-tweet"><p lang="en" dir="ltr">Foreign Minister
<a href="https://twitter.com/JalilJilani">@JalilJilani</a> spoke with the Foreign Minister of Iran today.
<a href="https://t.co/BctWkBvnjl">pic.twitter.com/BctWkBvnjl</a></p>
&mdash; Spokesperson MoFA (@ForeignOfficePk)
<a href="https://twitter.com/ForeignOfficePk/status/1748401">January 19, 2024</a></blockquote>
<p>Read more: Why the border strikes happened</p>
<p>{END}</p>
</article></main>
<aside class="related"><h3>Related stories</h3><ul><li><a href="/a">Stock markets fall sharply</a></li>
<li><a href="/b">Cricket: Pakistan win the series</a></li></ul></aside>
<section id="comments" class="comments"><h3>Comments</h3>
<div class="comment"><p>Great article, I agree with every word of this, thanks!</p></div></section>
<footer><p>Copyright 2024 The Daily Ledger. All rights reserved.</p></footer>
</body></html>"""


@pytest.fixture
def cleaner() -> Cleaner:
    return Cleaner()


@pytest.fixture
def sample(cleaner: Cleaner) -> Article:
    path = files("flashpoint").joinpath("samples", SAMPLE)
    [article] = read_path(str(path))
    return cleaner(article)


def clean(text: str, *, title: str | None = None) -> Article:
    return Cleaner()(read_text(text, title=title))


def test_clean_sample_keeps_the_story_alone(sample: Article) -> None:
    for chrome in ("@", "pic.twitter", "t.co", "Read more", "COMMENTS", "Comments FAQ", "— ", "http"):
        assert chrome not in sample.text
    lines = sample.text.split("\n")
    assert lines[0].startswith("Caretaker Foreign Minister Jalil Abbas Jilani engaged")
    assert lines[-1].endswith("underscore the gravity of the situation.")
    assert len(lines) == 7 and all(line == line.strip() and line for line in lines)
    assert sample.language == "en" and sample.published is None and sample.ok


def test_clean_sample_gives_exactly_two_statements(sample: Article) -> None:
    first, second = sample.statements
    assert (first.author, first.handle, first.date) == (
        "Spokesperson 🇵🇰 MoFA",
        "ForeignOfficePk",
        "2024-01-19",
    )
    assert first.text.startswith("Foreign Minister @JalilJilani spoke with the Foreign Minister of Iran")
    assert first.text.endswith("closer cooperation on…") and "pic.twitter" not in first.text
    assert (first.url, first.links) == (
        "https://pic.twitter.com/BctWkBvnjl",
        ["https://pic.twitter.com/BctWkBvnjl"],
    )
    assert (second.author, second.handle, second.date) == (
        "Embassy of Islamic Republic of Iran- Islamabad", "IraninIslamabad", "2024-01-19",
    )  # fmt: skip
    assert second.text.startswith("FMs had a very good phone talk") and second.text.endswith(
        "mutual visits of FMs."
    )
    assert second.url == "https://t.co/3ThndHqSko" and "t.co" not in second.text


def test_clean_html_keeps_story_and_drops_chrome(cleaner: Cleaner) -> None:
    article = cleaner(read_text(PAGE, id="page"))
    assert article.text.split("\n") == [LEAD, MIDDLE, END]
    assert article.title == "Pakistan and Iran foreign ministers talk"
    assert (article.published, article.published_basis) == ("2024-01-19", "html")
    for chrome in (
        "World",
        "Advertisement",
        "SuperPhone",
        "Share",
        "Read more",
        "Related",
        "Great article",
        "©",
    ):
        assert chrome not in article.text


def test_clean_html_embedded_tweet_becomes_a_statement(cleaner: Cleaner) -> None:
    [statement] = cleaner(read_text(PAGE, id="page")).statements
    assert statement.text == "Foreign Minister @JalilJilani spoke with the Foreign Minister of Iran today."
    assert (statement.author, statement.handle, statement.date) == (
        "Spokesperson MoFA",
        "ForeignOfficePk",
        "2024-01-19",
    )
    assert statement.url == "https://pic.twitter.com/BctWkBvnjl"
    assert "https://twitter.com/ForeignOfficePk/status/1748401" in statement.links


def test_clean_html_keeps_a_given_date(cleaner: Cleaner) -> None:
    article = cleaner(read_text(PAGE, published="2024-01-20"))
    assert (article.published, article.published_basis) == ("2024-01-20", "argument")


def test_clean_html_fragment_is_extracted(cleaner: Cleaner) -> None:
    article = cleaner(read_text(f"<p>{LEAD}</p>"))
    assert article.text == LEAD


@pytest.mark.parametrize(
    "page", ["<html><body></body></html>", "<html><<<>", "<div><nav>Home</nav></div>", "<p>"]
)
def test_clean_html_with_nothing_to_extract_is_e109(cleaner: Cleaner, page: str) -> None:
    with pytest.raises(FlashpointError) as caught:
        cleaner(read_text(page, id="tiny", html=True))
    assert caught.value.code == "E109" and "tiny" in caught.value.message


def test_clean_jsonl_html_record(tmp_path: Path, cleaner: Cleaner) -> None:
    path = tmp_path / "pages.jsonl"
    path.write_text('{"id": "p1", "html": ' + json.dumps(PAGE) + "}\n", encoding="utf-8")
    [article] = read_path(path)
    assert cleaner(article).text.split("\n") == [LEAD, MIDDLE, END] and len(article.statements) == 1


def test_clean_post_forms_in_text() -> None:
    text = "\n".join(
        [
            LEAD,
            "We stand with our brothers. #Peace @MoFA_Iran",
            "Talks continue tomorrow 🇵🇰 https://t.co/abc123",
            "&mdash; Ministry of Foreign Affairs (@MoFA) 19 January 2024",
            MIDDLE,
            "Calm restored at the border. pic.twitter.com/xyz9"
            " - Frontier Corps (@FCBalochistan) Jan. 20, 2024",
            END,
        ]
    )
    article = clean(text)
    assert article.text.split("\n") == [LEAD, MIDDLE, END]
    first, second = article.statements
    assert first.text == "We stand with our brothers. #Peace @MoFA_Iran\nTalks continue tomorrow 🇵🇰"
    assert (first.author, first.handle, first.date, first.url) == (
        "Ministry of Foreign Affairs", "MoFA", "2024-01-19", "https://t.co/abc123",
    )  # fmt: skip
    assert (second.text, second.handle, second.date) == (
        "Calm restored at the border.",
        "FCBalochistan",
        "2024-01-20",
    )


def test_clean_post_body_stops_at_story_paragraph() -> None:
    intro = "The ministry, which posts as @MoFA, wrote on X:"
    text = "\n".join([LEAD, intro, "We condemn the attack.", "— MoFA (@MoFA) January 19, 2024", END])
    article = clean(text)
    assert article.text.split("\n") == [LEAD, intro, END]
    assert [statement.text for statement in article.statements] == ["We condemn the attack."]


def test_clean_signature_without_a_body_keeps_the_story() -> None:
    long_paragraph = ((LEAD + " ") * 8).strip()
    article = clean("\n".join([long_paragraph, "— MoFA (@MoFA) January 19, 2024", END]))
    assert article.text.split("\n") == [long_paragraph, END] and article.statements == []
    intro = "The ministry wrote on X:"
    article = clean("\n".join([LEAD, intro, "— MoFA (@MoFA) January 19, 2024", END]))
    assert article.text.split("\n") == [LEAD, intro, END] and article.statements == []


def test_clean_chrome_lines_are_dropped() -> None:
    chrome = [
        "Share this article",
        "Follow us on Twitter",
        "Advertisement",
        "Related: Iran recalls envoy",
        "Subscribe to our newsletter",
        "Also read: Border strikes explained",
        "By Staff Reporter",
        "Photo: Reuters",
        "Updated: January 19, 2024 10:42 PKT",
    ]
    article = clean("\n".join([LEAD, *chrome, MIDDLE, END]))
    assert article.text.split("\n") == [LEAD, MIDDLE, END]


def test_clean_long_lines_are_never_chrome() -> None:
    story = (
        "Subscribe rates to the state broadcaster rose after "
        + "the strikes on the border, " * 8
        + "it said."
    )
    assert clean("\n".join([LEAD, story])).text.split("\n") == [LEAD, story]


def test_clean_comment_footer_is_cut_only_at_the_end() -> None:
    footer = [LEAD, MIDDLE, END, "Leave a comment", "Nice work.", "Your email address will not be published."]
    assert clean("\n".join(footer)).text.split("\n") == [LEAD, MIDDLE, END]
    middle = [LEAD, "Comments", MIDDLE, END, MIDDLE, END]
    assert clean("\n".join(middle)).text.split("\n") == [LEAD, MIDDLE, END, MIDDLE, END]


def test_clean_whitespace_is_normalised() -> None:
    article = clean(f"  {LEAD}\t\r\n\r\n\u00a0\n{MIDDLE.replace(' ', '  ')}\u200b\n\n\n{END}   ")
    assert article.text == "\n".join([LEAD, MIDDLE, END])


def test_clean_hard_wrapped_text_is_joined() -> None:
    wrapped = "The foreign ministers of Pakistan and Iran spoke\nby telephone on Friday, officials said.\n\n"
    wrapped += "China offered to mediate between\nthe two neighbours.\n"
    assert clean(wrapped).text.split("\n") == [
        "The foreign ministers of Pakistan and Iran spoke by telephone on Friday, officials said.",
        "China offered to mediate between the two neighbours.",
    ]


def test_clean_headline_line_becomes_the_title() -> None:
    article = clean("\n".join(["Pakistan and Iran restore ties", LEAD, END]))
    assert article.title == "Pakistan and Iran restore ties" and article.text.split("\n") == [LEAD, END]


def test_clean_given_title_repeated_at_the_top_is_dropped() -> None:
    article = clean("\n".join(["Iran, Pakistan talk.", LEAD]), title="Iran, Pakistan talk.")
    assert article.text == LEAD


def test_clean_published_is_not_taken_from_statements(sample: Article) -> None:
    assert sample.statements and sample.published is None and sample.published_basis is None


def test_clean_only_chrome_is_an_empty_story() -> None:
    [article] = Pipeline(["clean"]).pipe([read_text("Advertisement\nShare this article\n", id="junk")])
    assert [error["code"] for error in article.errors] == ["E102"]


def test_clean_a_text_of_only_a_post_keeps_the_statement() -> None:
    article = clean("Peace now. pic.twitter.com/x1\n— MoFA (@MoFA) January 19, 2024")
    assert article.text == "" and [statement.text for statement in article.statements] == ["Peace now."]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (LEAD + " " + END, "en"),
        ("Les ministres des affaires étrangères du Pakistan et de l'Iran se sont parlé par téléphone.", "fr"),
        ("Die Außenminister von Pakistan und dem Iran haben am Freitag miteinander telefoniert.", "de"),
        ("Los ministros de Exteriores de Pakistán y de Irán hablaron por teléfono el viernes.", "es"),
        ("تحدث وزيرا خارجية باكستان وإيران عبر الهاتف يوم الجمعة", "und-Arab"),
        ("Министры иностранных дел Пакистана и Ирана поговорили по телефону", "und-Cyrl"),
        ("Too short", None),
    ],
)
def test_clean_guess_language(text: str, language: str | None) -> None:
    assert guess_language(text) == language


def test_clean_parse_signature_forms() -> None:
    signature = parse_signature("— Spokesperson 🇵🇰 MoFA (@ForeignOfficePk) January 19, 2024")
    assert signature is not None and (signature.author, signature.handle, signature.date) == (
        "Spokesperson 🇵🇰 MoFA", "ForeignOfficePk", "2024-01-19",
    )  # fmt: skip
    assert parse_signature("-- (@someone) Feb 30, 2024") is not None  # a bad day keeps the post, not the date
    assert parse_signature("He said — and meant it — that talks (@ noon) went well.") is None


def test_clean_patterns_come_from_the_data_file() -> None:
    patterns = load_patterns()
    assert len(patterns.chrome) > 10 and patterns.footer and {"en", "fr", "de"} <= set(patterns.stopwords)


def test_clean_text_function_without_an_article() -> None:
    paragraphs, statements = clean_text(f"{LEAD}\nRead more: elsewhere\n{END}")
    assert (paragraphs, statements) == ([LEAD, END], [])


PIECES = [
    "\n",
    "\n\n",
    " ",
    "\t",
    "\r\n",
    LEAD,
    "— Ministry (@MoFA) January 19, 2024",
    " - A (@b) 1 May 2023",
    "pic.twitter.com/ab12",
    "https://t.co/xy",
    "@someone",
    "#tag",
    "🇵🇰",
    "Comments",
    "Read more: elsewhere",
    "&mdash;",
    "&amp;",
    "\u200b",
    "Advertisement",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=40), max_size=40).map("".join))
def test_clean_any_text_gives_tidy_paragraphs_and_statements(text: str) -> None:
    paragraphs, statements = clean_text(text)
    assert all(
        paragraph and paragraph == paragraph.strip() and "\n" not in paragraph for paragraph in paragraphs
    )
    assert all(statement.text and statement.text == statement.text.strip() for statement in statements)
    assert all("pic.twitter" not in paragraph for paragraph in paragraphs)


def test_clean_eval_pairs_stay_above_the_floor(monkeypatch: pytest.MonkeyPatch) -> None:
    """Quality gate over bench/data/clean; raise the floor when the cleaner improves, never lower it."""
    root = Path(__file__).resolve().parents[1]
    spec = importlib.util.spec_from_file_location("clean_eval", root / "bench" / "clean_eval.py")
    assert spec is not None and spec.loader is not None
    clean_eval = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "clean_eval", clean_eval)  # dataclasses look their module up there
    spec.loader.exec_module(clean_eval)
    report = clean_eval.evaluate(list(clean_eval.load_pairs(root / "bench" / "data" / "clean")))
    assert len(report.documents) >= 4
    assert report.micro.precision >= 0.95 and report.micro.recall >= 0.95 and report.mean["f1"] >= 0.95
