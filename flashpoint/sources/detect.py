"""Sniffing raw inputs: binary or text, which encoding, HTML or JSON Lines, and date checks.

Every check works on bytes or text already in memory and raises `FlashpointError` with a code from the
E1xx range; the readers decide whether to raise it further or to keep it on an `Article`.
"""

from __future__ import annotations

import re
import unicodedata
from contextlib import suppress
from datetime import date

from ..errors import Errors, FlashpointError

# Leading bytes of formats that people feed to a text tool by mistake, with a name for the message.
MAGIC_NUMBERS: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\x1f\x8b", "gzip archive"),
    (b"PK\x03\x04", "ZIP archive (or DOCX/XLSX)"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"\x7fELF", "ELF executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE document (DOC/XLS)"),
)

# Byte order marks, longest first so that UTF-32 is not taken for UTF-16.
BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)

# Share of control or replacement characters above which a decoding is taken to be garbage.
MAX_NOISE = 0.01
SNIFF_BYTES = 8192

_HTML_START = re.compile(
    r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|article|main|div|p|section|h[1-6])\b",
    re.IGNORECASE | re.DOTALL,
)
_HTML_TAG = re.compile(r"<(?:html|body|head)\b|</(?:p|div|article|li|td)>", re.IGNORECASE)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.+\-Z ]*)?")


def binary_kind(data: bytes) -> str | None:
    """The kind of binary data (e.g. "PDF") if `data` is not text, else None."""
    if any(data.startswith(bom) for bom, _ in BOMS):
        return None
    for magic, kind in MAGIC_NUMBERS:
        if data.startswith(magic):
            return kind
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "WebP image"
    if b"\x00" in data[:SNIFF_BYTES] and _utf16_codec(data) is None:
        return "NUL bytes"
    return None


def _utf16_codec(data: bytes) -> str | None:
    """UTF-16 without a byte order mark: every other byte of ASCII text is NUL."""
    head = data[:SNIFF_BYTES]
    if len(head) < 4 or len(head) % 2:
        return None
    even, odd = head[0::2], head[1::2]
    if even.count(0) == len(even) and odd.count(0) == 0:
        return "utf-16-be"
    if odd.count(0) == len(odd) and even.count(0) == 0:
        return "utf-16-le"
    return None


def decode(data: bytes, *, name: str) -> str:
    """Text from bytes: a byte order mark, then UTF-8, then charset-normalizer's best guess.

    Raises E103 for binary data and E104 when no encoding gives sensible text.
    """
    kind = binary_kind(data)
    if kind is not None:
        raise FlashpointError(Errors.E103, input=name, kind=kind)
    codec = next((codec for bom, codec in BOMS if data.startswith(bom)), None) or _utf16_codec(data)
    if codec is not None:
        return _strict(data, codec, name=name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return _guess(data, name=name)


def _strict(data: bytes, codec: str, *, name: str) -> str:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as error:
        raise FlashpointError(Errors.E104, input=name, detail=f"invalid {codec}: {error.reason}") from error
    return text.removeprefix("\ufeff")


def _guess(data: bytes, *, name: str) -> str:
    """Not UTF-8: ask charset-normalizer, preferring Windows-1252 for text in Latin script.

    charset-normalizer often names a sibling code page (cp1250, cp1257) for short Western text whose
    letters then come out wrong; Windows-1252 is by far the most common legacy encoding of news pages.
    """
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise FlashpointError(Errors.E104, input=name, detail="no known encoding fits the bytes")
    text = str(best)
    if _latin_script(text):
        with suppress(UnicodeDecodeError):
            text = data.decode("cp1252")
    if _noise(text) > MAX_NOISE:
        detail = f"as {best.encoding} it is mostly control codes"
        raise FlashpointError(Errors.E104, input=name, detail=detail)
    return text


def _latin_script(text: str) -> bool:
    letters = [char for char in text if not char.isascii() and char.isalpha()]
    return all(unicodedata.name(char, "").startswith("LATIN") for char in letters)


def _noise(text: str) -> float:
    if not text:
        return 0.0
    noisy = sum(1 for char in text if _noisy(char))
    return noisy / len(text)


def _noisy(char: str) -> bool:
    return char == "\ufffd" or (unicodedata.category(char) == "Cc" and not char.isspace())


def looks_like_html(text: str) -> bool:
    """Whether text is an HTML page or fragment (a leading tag, or page-level tags near the start)."""
    head = text[:SNIFF_BYTES]
    return bool(_HTML_START.match(head)) or len(_HTML_TAG.findall(head)) >= 2


def looks_like_jsonl(head: bytes) -> bool:
    """Whether the first bytes of an input start a JSON object (one record per line)."""
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def parse_date(value: object, *, name: str) -> str | None:
    """A YYYY-MM-DD date (a full ISO timestamp is cut to its date); None for empty; else E110."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    match = _ISO_DATE.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise FlashpointError(Errors.E110, input=name, value=value)
    try:
        return date(*(int(part) for part in match.groups())).isoformat()
    except ValueError as error:
        raise FlashpointError(Errors.E110, input=name, value=value) from error
