"""A catalogue of bad inputs, each written as a file between two good articles (tests/test_bad_input.py and
bench/bad_input.py both read it).

Each kind is (file name, a function writing the file, the error code its article must carry, or None when
it must come out coded). Every builder makes its own data: nothing is read from outside the repository.
"""

from __future__ import annotations

import gzip
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

GOOD = (
    "Pakistan and Iran agreed on Friday to return their ambassadors, officials said in Islamabad.\n\n"
    "Pakistan's foreign minister spoke with his Iranian counterpart by phone on Friday."
)
GOOD_OTHER = (
    "Russian troops shelled the Ukrainian city of Kharkiv on Tuesday, the Ukrainian army said.\n\n"
    "Ukraine condemned the attack and asked its allies for more air defence."
)
GOOD_THIRD = "China offered on Monday to mediate between Pakistan and Iran, its foreign ministry said."
STORY_HTML = "<p>Pakistan and Iran agreed on Friday to restore their ambassadors, officials said in Islamabad.</p>"


@dataclass(frozen=True)
class Kind:
    name: str
    file: str
    write: Callable[[Path], None]
    code: str | None  # the error its article must carry; None: coded like any good article
    good_inside: int = 0  # good articles the file holds before its bad part (a WARC's first records)


def _bytes(data: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data)


def _big_html(path: Path, megabytes: int = 50) -> None:
    with path.open("wb") as out:  # written in pieces: the test itself keeps little in memory
        out.write(b"<html><body><article>")
        paragraph = b"<p>" + STORY_HTML.encode()[3:-4] * 11 + b"</p>\n"
        for _ in range(megabytes * 1024 * 1024 // len(paragraph) + 1):
            out.write(paragraph)
        out.write(b"</article></body></html>")


def _jsonl(*lines: str) -> Callable[[Path], None]:
    return lambda path: path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _cut_warc(path: Path) -> None:
    """A gzipped WARC of two HTML pages whose second record is cut in half (a crawl that died mid-write)."""
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for name, story in (("one", STORY_HTML), ("two", STORY_HTML.replace("Friday", "Saturday"))):
        body = f"<html><head><title>{name}</title></head><body><article>{story}</article></body></html>".encode()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            f"https://example.com/{name}", "response", payload=io.BytesIO(body), length=len(body),
            http_headers=headers))
    data = buffer.getvalue()
    last = data.rindex(b"\x1f\x8b")  # the start of the last gzip member: the second record
    path.write_bytes(data[: last + (len(data) - last) // 2])


def _noise(size: int, seed: int = 3) -> bytes:
    return random.Random(seed).randbytes(size)


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + _noise(2000)
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n" + _noise(2000)
MIXED = (
    GOOD.encode("utf-8").replace(b"officials said", "officials said \u201cwe are ready\u201d,".encode())
    + b"\n\nThe minister called it a \x93historic\x94 day for both sides."  # cp1252 quotes inside UTF-8
)
UNDECODABLE = bytes(range(0x80, 0x100)) * 40  # no text encoding makes these into words
FRENCH = (
    "Le Pakistan et l'Iran ont convenu vendredi de rétablir leurs ambassadeurs, ont déclaré les responsables. "
    "Les deux pays avaient échangé des frappes plus tôt dans la semaine, et la Chine a proposé sa médiation."
)

KINDS: list[Kind] = [
    Kind("empty file", "empty.txt", _bytes(b""), "E102"),
    Kind("whitespace only", "blank.txt", _bytes(b"  \n\t\n   \r\n"), "E102"),
    Kind("binary: PDF", "report.txt", _bytes(PDF), "E103"),
    Kind("binary: PNG", "photo.html", _bytes(PNG), "E103"),
    Kind("binary: gzip without .gz", "story.txt", _bytes(gzip.compress(GOOD.encode())), "E103"),
    Kind("undecodable bytes", "garbled.txt", _bytes(UNDECODABLE), "E104"),
    Kind("mixed encoding (cp1252 inside UTF-8)", "mixed.txt", _bytes(MIXED), None),
    Kind("50 MB HTML page", "huge.html", _big_html, "E108"),
    Kind("100,000 tiny elements", "tiny.html",
         lambda path: path.write_text(f"<html><body>{STORY_HTML}{'<span>a</span>' * 100_000}</body></html>"), None),
    Kind("deeply nested HTML (100,000 levels)", "nested.html",
         lambda path: path.write_text(f"<html><body>{'<div>' * 100_000}{STORY_HTML}{'</div>' * 100_000}</body></html>"),
         "E109"),
    Kind("malformed HTML", "broken.html",
         lambda path: path.write_text(f"<html><body><div><p>{STORY_HTML}<table><tr><td></p></div></span>"), None),
    Kind("JSONL line not JSON", "notjson.jsonl", _jsonl('{"text": "Pakistan and Iran', ), "E105"),
    Kind("JSONL line not an object", "list.jsonl", _jsonl(json.dumps([GOOD_THIRD])), "E106"),
    Kind("JSONL object without text", "notext.jsonl", _jsonl(json.dumps({"title": "Pakistan and Iran"})), "E107"),
    Kind("a date that is not a date", "baddate.jsonl", _jsonl(json.dumps({"text": GOOD_THIRD, "published": "soon"})),
         "E110"),
    Kind("non-English article", "french.txt", lambda path: path.write_text(FRENCH, encoding="utf-8"), "E112"),
    Kind("an article of one word", "word.txt", _bytes(b"Pakistan"), None),
    Kind("an article of 200,000 words", "book.txt",
         lambda path: path.write_text(" ".join(["Pakistan said Iran attacked militants."] * 40_000)), "E115"),
    Kind("WARC with a truncated record", "crawl.warc.gz", _cut_warc, "E113", good_inside=1),
]
