"""The cleaning stage: raw text or HTML in; the story alone, one paragraph per line, and statements out.

- HTML goes through trafilatura (comments and tables off); embedded tweets (`blockquote.twitter-tweet`)
  are read from the page into `Statement`s and pruned before extraction. The extracted text then goes
  through the same text cleaning as plain text, so posts that survive as text are caught too.
- Plain text: an embedded post is a signature line `— Author (@handle) Month D, YYYY` (also `-`, `–`,
  `&mdash;`) plus its body, the paragraph(s) just above it (see `split_posts`). Posts become statements;
  `pic.twitter.com` and `t.co` links, furniture lines and comment footers (patterns in
  `data/boilerplate.txt`) are dropped from the story.
- Authors are kept as displayed, emoji included ("Spokesperson 🇵🇰 MoFA"): a flag often says who speaks.
- `published` is only filled from HTML metadata (`published_basis="html"`), never from statements.
- `language` is guessed cheaply from function words (see `guess_language`). An article in another language
  is not coded: it keeps its `language` and gets E112 (a text too short to tell, or Latin-script text of
  no known language, "und", is coded as English).
"""

from __future__ import annotations

import html as html_entities
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from .errors import Errors, FlashpointError
from .model import Article, Statement
from .sources.detect import parse_date

BOILERPLATE = "data/boilerplate.txt"
MAX_FURNITURE_CHARS = 200  # longer lines are story text, whatever they start with
MAX_PLAIN_POST_CHARS = 600  # a post body line with no @, #, link or emoji may be at most this long
MAX_POST_CHARS = 1500  # a post body taken from several lines above a signature
TITLE_MAX_CHARS = 150

MONTHS = {
    name: number
    for number, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
         ("october", "oct"), ("november", "nov"), ("december", "dec")],
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH = "(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DATE = (
    rf"(?:(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})"
    rf"|(?P<day2>\d{{1,2}})\s+(?P<month2>{_MONTH}),?\s+(?P<year2>\d{{4}}))"
)
SIGNATURE = re.compile(
    rf"(?:^|\s)(?:[—–―]|--?)\s*(?P<author>[^\n()/—–―]{{0,80}}?)\s*\(@(?P<handle>\w{{1,30}})\)\s*{_DATE}\s*$",
    re.IGNORECASE,
)
HANDLE = re.compile(r"\(@(?P<handle>\w{1,30})\)")
TWITTER_LINK = re.compile(r"(?:https?://)?(?:pic\.twitter\.com|t\.co)/\w+", re.IGNORECASE)
URL = re.compile(r"(?:https?://|pic\.twitter\.com/)[^\s<>\"']+[^\s<>\"'.,;:!?)\]…]", re.IGNORECASE)
TRAILING_URL = re.compile(r"(?:\s*(?:https?://|pic\.twitter\.com/)\S+)+\s*$", re.IGNORECASE)
MENTION = re.compile(r"(?:^|[\s(])[@#]\w")
EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\U0001f1e6-\U0001f1ff]")
LETTERS = re.compile(r"[^\W\d_]")
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u2060\ufeff\u00ad"))
_SPACES = re.compile(r"[^\S\n]+")

POST_XPATH = "//blockquote[contains(concat(' ', normalize-space(@class), ' '), ' twitter-tweet ')]"
_BLOCKS = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "td", "br", "tr")
_DROPPED = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "template")
_SCRIPTS = {
    "ARABIC": "Arab",
    "CYRILLIC": "Cyrl",
    "GREEK": "Grek",
    "HEBREW": "Hebr",
    "DEVANAGARI": "Deva",
    "CJK": "Hani",
    "HIRAGANA": "Jpan",
    "KATAKANA": "Jpan",
    "HANGUL": "Kore",
    "THAI": "Thai",
    "BENGALI": "Beng",
    "TAMIL": "Taml",
    "GEORGIAN": "Geor",
    "ARMENIAN": "Armn",
    "ETHIOPIC": "Ethi",
}


@dataclass(frozen=True)
class Patterns:
    """The cleaning data: furniture lines, footer openers, parts of pages to prune, function words."""

    chrome: tuple[re.Pattern[str], ...]
    footer: tuple[re.Pattern[str], ...]
    prune: tuple[str, ...]
    stopwords: dict[str, frozenset[str]]


@dataclass(frozen=True)
class Signature:
    """The `— Author (@handle) Month D, YYYY` line under an embedded post; `start` is where it begins."""

    author: str | None
    handle: str | None
    date: str | None
    start: int = 0


@lru_cache(maxsize=4)
def load_patterns(path: str | None = None) -> Patterns:
    """The patterns of `data/boilerplate.txt` (or of another file in the same format), loaded once."""
    source = Path(path) if path else files("flashpoint").joinpath(BOILERPLATE)
    sections = _sections(source.read_text("utf-8"))
    return Patterns(
        chrome=_compile(sections.get("chrome", [])),
        footer=_compile(sections.get("footer", [])),
        prune=_check_xpaths(sections.get("prune", [])),
        stopwords={
            name.split()[1]: frozenset(" ".join(words).split())
            for name, words in sections.items()
            if name.startswith("language ")
        },
    )


def _sections(text: str) -> dict[str, list[str]]:
    """The non-comment lines of a data file under their `[section]` headers."""
    sections: dict[str, list[str]] = {}
    current = sections.setdefault("", [])
    for line in map(str.strip, text.splitlines()):
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1].strip(), [])
        elif line and not line.startswith("#"):
            current.append(line)
    return sections


def _compile(lines: Iterable[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(line, re.IGNORECASE) for line in lines)


# A story longer than this is a book or a dump, not an article (long-form news runs to ~15,000 words): refused
# with E115 before it is parsed, since parsing one text costs ~20 MB per 1,000 words (measured: 50,000 words
# took 1 GB above the model), and a worker must stay under 1.5 GB.
MAX_WORDS = 30_000

def _check_xpaths(lines: Iterable[str]) -> tuple[str, ...]:
    """The XPath expressions, each compiled once so that a typo in the data file fails at load time."""
    from lxml import etree

    return tuple(etree.XPath(line).path for line in lines)


class Cleaner:
    """The `clean` stage: sets `text`, `title`, `statements`, `language` and, from HTML, `published`."""

    name = "clean"

    def __init__(self, *, boilerplate: str | None = None, max_words: int = MAX_WORDS, **_: Any) -> None:
        self.patterns = load_patterns(boilerplate)
        self.max_words = max_words

    def __call__(self, article: Article) -> Article:
        if article.html is not None:
            paragraphs, statements = self._clean_html(article)
        else:
            paragraphs, statements = clean_text(article.raw, patterns=self.patterns)
        paragraphs = _take_title(article, paragraphs)
        if not paragraphs and not statements:
            error = Errors.E109 if article.html is not None else Errors.E102
            raise FlashpointError(error, input=article.origin or article.id)
        article.text = "\n".join(paragraphs)
        article.statements = statements
        if article.language is None:
            article.language = guess_language(article.text, patterns=self.patterns)
        if article.language not in CODED_LANGUAGES:
            raise FlashpointError(Errors.E112, input=article.origin or article.id, language=article.language)
        words = len(article.text.split()) + sum(len(statement.text.split()) for statement in statements)
        if words > self.max_words:
            raise FlashpointError(Errors.E115, input=article.origin or article.id, words=words, limit=self.max_words)
        return article

    def _clean_html(self, article: Article) -> tuple[list[str], list[Statement]]:
        page = article.html or ""
        tree = parse_html(page)
        found = [read_embedded_post(post) for post in tree.xpath(POST_XPATH)] if tree is not None else []
        posts = [post for post in found if post is not None]
        prune = [POST_XPATH, *self.patterns.prune]
        document = extract_html(page, url=article.url, prune=prune)
        text = document.get("text") or (fallback_text(tree, prune=prune) if tree is not None else "")
        paragraphs, statements = clean_text(text, patterns=self.patterns)
        _take_metadata(article, document)
        return paragraphs, posts + statements


def clean_text(text: str, *, patterns: Patterns | None = None) -> tuple[list[str], list[Statement]]:
    """The story paragraphs of a plain text, and the embedded posts found in it as statements."""
    patterns = patterns or load_patterns()
    paragraphs = cut_footer(split_paragraphs(normalise(text)), patterns=patterns)
    paragraphs, statements = split_posts(paragraphs)
    story = [_strip_links(paragraph) for paragraph in paragraphs if not _is_chrome(paragraph, patterns)]
    return [paragraph for paragraph in story if LETTERS.search(paragraph)], statements


def normalise(text: str) -> str:
    """HTML entities decoded, NFC, invisible characters gone, runs of spaces and tabs made one space."""
    text = unicodedata.normalize("NFC", html_entities.unescape(text)).translate(_INVISIBLE)
    return _SPACES.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))


def split_paragraphs(text: str) -> list[str]:
    """One paragraph per non-blank line; hard-wrapped blocks (short lines between blank lines) are joined."""
    blocks = [
        [line.strip() for line in block.split("\n") if line.strip()] for block in re.split(r"\n\s*\n", text)
    ]
    blocks = [block for block in blocks if block]
    if not _hard_wrapped(blocks):
        return [line for block in blocks for line in block]
    return [paragraph for block in blocks for paragraph in _unwrap(block)]


def _hard_wrapped(blocks: list[list[str]]) -> bool:
    multi = [block for block in blocks if len(block) > 1]
    if len(blocks) < 2 or len(multi) * 2 < len(blocks):
        return False
    return max(len(line) for block in multi for line in block) <= 100


def _unwrap(block: list[str]) -> list[str]:
    """The lines of a hard-wrapped block joined, with a post signature kept on its own line."""
    paragraphs: list[list[str]] = [[]]
    for line in block:
        if SIGNATURE.match(line):
            paragraphs += [[line], []]
        else:
            paragraphs[-1].append(line)
    return [" ".join(lines) for lines in paragraphs if lines]


def cut_footer(paragraphs: list[str], *, patterns: Patterns) -> list[str]:
    """Drop a comments footer: from a footer line on, when most of the text lies before it."""
    total = sum(len(paragraph) for paragraph in paragraphs)
    before = 0
    for index, paragraph in enumerate(paragraphs):
        if _matches(paragraph, patterns.footer):
            if before > total - before - len(paragraph):
                return paragraphs[:index]
            return paragraphs[:index] + cut_footer(paragraphs[index + 1 :], patterns=patterns)
        before += len(paragraph)
    return paragraphs


def split_posts(paragraphs: list[str]) -> tuple[list[str], list[Statement]]:
    """Take embedded posts out of the paragraphs: a signature line and the post body above it.

    The body is the text before the signature on its own line, or else the paragraph just above it
    (if it looks like a post or is short), plus the paragraphs above that while they look like a post
    (an @mention, #hashtag, pic.twitter/t.co link or emoji, and not a ':' introduction) and the body
    stays under MAX_POST_CHARS. A signature with no plausible body, or a body that is only a link, is
    dropped without a statement.
    """
    kept: list[str] = []
    statements: list[Statement] = []
    for paragraph in paragraphs:
        signature = parse_signature(paragraph)
        if signature is None:
            kept.append(paragraph)
            continue
        inline = paragraph[: signature.start].strip()
        body = _take_body(kept, [inline] if inline else [])
        statement = make_statement(body, signature)
        if statement.text:
            statements.append(statement)
    return kept, statements


def _take_body(kept: list[str], body: list[str]) -> list[str]:
    above = kept[-1] if kept else ":"
    if not body and not above.endswith(":") and (_post_like(above) or len(above) <= MAX_PLAIN_POST_CHARS):
        body.insert(0, kept.pop())
    while kept and _post_like(kept[-1]) and sum(map(len, body)) + len(kept[-1]) <= MAX_POST_CHARS:
        body.insert(0, kept.pop())
    return body


def _post_like(paragraph: str) -> bool:
    if TWITTER_LINK.search(paragraph):
        return True
    markers = MENTION.search(paragraph) or EMOJI.search(paragraph)
    return bool(markers) and not paragraph.rstrip().endswith(":")


def parse_signature(line: str) -> Signature | None:
    """The signature at the end of a line (`— Author (@handle) January 19, 2024`), or None."""
    match = SIGNATURE.search(line)
    if match is None:
        return None
    day = _iso_date(
        match["year"] or match["year2"], match["month"] or match["month2"], match["day"] or match["day2"]
    )
    author = match["author"].strip(" -") or None
    return Signature(author=author, handle=match["handle"], date=day, start=match.start())


def _iso_date(year: str, month: str, day: str) -> str | None:
    try:
        return date(int(year), MONTHS[month.lower().rstrip(".")], int(day)).isoformat()
    except (KeyError, ValueError):
        return None


def make_statement(body: list[str], signature: Signature, *, extra_links: Iterable[str] = ()) -> Statement:
    """A Statement from a post's body lines: `url` is its first pic.twitter/t.co link, `links` all of them.

    The text loses its pic.twitter/t.co links (wherever they are) and any trailing link.
    """
    raw = "\n".join(body)
    links = _unique([_with_scheme(link) for link in URL.findall(raw)] + list(extra_links))
    url = next((_with_scheme(link) for link in TWITTER_LINK.findall(raw)), None)
    text = TRAILING_URL.sub("", TWITTER_LINK.sub("", raw))
    text = "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n") if line.strip())
    return Statement(
        text=text, author=signature.author, handle=signature.handle, date=signature.date, url=url, links=links
    )


def _with_scheme(link: str) -> str:
    return link if link.lower().startswith(("http://", "https://")) else f"https://{link}"


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _strip_links(paragraph: str) -> str:
    return _SPACES.sub(" ", TWITTER_LINK.sub("", paragraph)).strip()


def _matches(line: str, patterns: tuple[re.Pattern[str], ...]) -> bool:
    return len(line) <= MAX_FURNITURE_CHARS and any(pattern.fullmatch(line) for pattern in patterns)


def _is_chrome(paragraph: str, patterns: Patterns) -> bool:
    return _matches(paragraph, patterns.chrome) or _matches(paragraph, patterns.footer)


def _take_title(article: Article, paragraphs: list[str]) -> list[str]:
    """Drop a first paragraph that repeats the title; a plain text's headline line becomes the title."""
    if not paragraphs:
        return paragraphs
    first = paragraphs[0]
    if article.title is not None:
        same = _fold(first) == _fold(article.title)
        return paragraphs[1:] if same else paragraphs
    if article.html is None and len(paragraphs) > 1 and _headline(first):
        article.title = first
        return paragraphs[1:]
    return paragraphs


def _headline(line: str) -> bool:
    words = line.split()
    return len(line) <= TITLE_MAX_CHARS and len(words) >= 3 and not re.search(r"[.!?:;,\"”’')]$", line)


def _fold(text: str) -> str:
    return " ".join(normalise(text).casefold().split())


# --- HTML ---------------------------------------------------------------------------------------------


def parse_html(page: str) -> Any:
    """The lxml tree of a page, or None when lxml cannot make one (empty or not markup)."""
    from lxml import etree
    from lxml.html import HTMLParser, document_fromstring

    try:
        return document_fromstring(page.encode("utf-8"), parser=HTMLParser(encoding="utf-8"))
    except (etree.ParserError, ValueError):
        return None


def extract_html(
    page: str, *, url: str | None = None, prune: Sequence[str] = (POST_XPATH,)
) -> dict[str, Any]:
    """trafilatura's extraction (`text`, `title`, `date`...), embedded posts pruned; {} when it fails."""
    import trafilatura

    try:
        document = trafilatura.bare_extraction(
            page,
            url=url,
            include_comments=False,
            include_tables=False,
            with_metadata=True,
            prune_xpath=list(prune),
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception:  # noqa: BLE001 - a page trafilatura chokes on is a page with nothing extracted
        return {}
    if document is None:
        return {}
    return document if isinstance(document, dict) else document.as_dict()


def fallback_text(tree: Any, *, prune: Sequence[str] = (POST_XPATH,)) -> str:
    """Plain text of a page trafilatura gives nothing for (a fragment, a tiny page): one block per line.

    The tree is changed in place: the `prune` parts and non-story elements (nav, script...) are dropped.
    """
    dropped = [f"//{tag}" for tag in _DROPPED] + list(prune)
    for element in tree.xpath("|".join(dropped)):
        if element.getparent() is not None:
            element.drop_tree()
    for element in tree.iter(*_BLOCKS):
        element.tail = "\n" + (element.tail or "")
    return str(tree.text_content())


def read_embedded_post(blockquote: Any) -> Statement | None:
    """A Statement from an embedded tweet: its `<p>` text is the post, the text beside them the signature.

    `links` also gets the t.co links behind the anchors and the post's own `/status/` address.
    """
    paragraphs = [_squash(p.text_content()) for p in blockquote.findall(".//p")]
    paragraphs = [paragraph for paragraph in paragraphs if paragraph]
    rest = _squash(_outside_paragraphs(blockquote) if paragraphs else blockquote.text_content())
    signature = parse_signature(rest) or _loose_signature(rest)
    body = paragraphs or [rest[: signature.start].strip()]
    hrefs = [str(href) for href in blockquote.xpath(".//a/@href")]
    links = [href for href in hrefs if TWITTER_LINK.match(href) or "/status/" in href]
    statement = make_statement(body, signature, extra_links=links)
    return statement if statement.text else None


def _outside_paragraphs(blockquote: Any) -> str:
    parts = [blockquote.text or ""]
    for child in blockquote:
        parts += ["" if child.tag == "p" else str(child.text_content()), child.tail or ""]
    return " ".join(parts)


def _squash(text: str) -> str:
    return " ".join(normalise(str(text)).split())


def _loose_signature(rest: str) -> Signature:
    """What can be read from a signature that does not have the usual shape."""
    handle = HANDLE.search(rest)
    return Signature(author=None, handle=handle["handle"] if handle else None, date=None, start=len(rest))


def _take_metadata(article: Article, document: dict[str, Any]) -> None:
    if article.title is None and document.get("title"):
        article.title = normalise(str(document["title"])).strip()
    if article.published is None and document.get("date"):
        try:
            article.published = parse_date(str(document["date"]), name=article.id)
        except FlashpointError:
            return
        article.published_basis = "html" if article.published else None


# --- language -----------------------------------------------------------------------------------------


LANGUAGE_SAMPLE = 2000  # characters: enough to tell the language, cheap on long articles
CODED_LANGUAGES = frozenset({"en", "und", None})  # None: too short to tell; "und": Latin script, no known language


def guess_language(text: str, *, patterns: Patterns | None = None, min_words: int = 5) -> str | None:
    """ISO 639-1 code of the language whose function words are most frequent in `text`.

    A text mostly in another script than Latin gets "und-<Script>" (e.g. "und-Arab"); a Latin text that
    matches no known language gets "und"; a text too short to tell gets None.
    """
    sample = text[:LANGUAGE_SAMPLE]
    script = _main_script(sample)
    if script is not None:
        return f"und-{script}"
    words = [word.casefold() for word in WORD.findall(sample)]
    if len(words) < min_words:
        return None
    stopwords = (patterns or load_patterns()).stopwords
    scores = {
        language: sum(word in vocabulary for word in words) for language, vocabulary in stopwords.items()
    }
    language, hits = max(scores.items(), key=lambda item: item[1], default=("und", 0))
    return language if hits >= max(2, len(words) * 0.08) else "und"


def _main_script(text: str) -> str | None:
    """The ISO 15924 code of the script of most letters, when that is not Latin (None for Latin)."""
    counts: dict[str, int] = {}
    for char in LETTERS.findall(text):
        script = "LATIN" if char.isascii() else unicodedata.name(char, "UNKNOWN").split()[0]
        counts[script] = counts.get(script, 0) + 1
    if not counts:
        return None
    top = max(counts, key=lambda script: counts[script])
    return None if top == "LATIN" else _SCRIPTS.get(top, "Zyyy")
