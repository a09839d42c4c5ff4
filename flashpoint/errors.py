"""The one catalogue of flashpoint's errors: stable codes, messages that name the input and what to do.

Raise with `FlashpointError(Errors.E101, input=path)`; the message template is filled from the keywords.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class Errors(StrEnum):
    # reading inputs (1xx)
    E101 = "{input}: file not found. Check the path."
    E102 = "{input}: the input is empty (no text after reading). Nothing to code."
    E103 = "{input}: looks like binary data ({kind}), not text or HTML. Pass a .txt, .html or .jsonl file."
    E104 = "{input}: could not decode the bytes as text ({detail}). Re-save it as UTF-8."
    E105 = "{input}: line {line} is not valid JSON ({detail}). Fix or remove that line; the others are read."
    E106 = "{input}: line {line} is a JSON {kind}, not an object. Each line must be one JSON object."
    E107 = "{input}: line {line} has neither a 'text' nor an 'html' string field. Add one of them."
    E108 = "{input}: the input is {size} bytes, over the limit of {limit}. Split it or raise the limit."
    E109 = "{input}: the HTML page has no extractable story text. Check that it is an article page."
    E110 = "{input}: '{value}' is not a date. Use YYYY-MM-DD."
    E111 = "{input}: cannot read it ({detail})."
    E112 = "{input}: the text is in '{language}', not English; it is skipped, not coded as English."
    E113 = (
        "{input}: the WARC record at byte offset {offset} is truncated or corrupt ({detail}). Reading stopped "
        "there; the records before it are kept."
    )
    E114 = "{input}: no .txt, .html, .jsonl or .warc files {where}. Check the path or pattern."
    E115 = "{input}: the story has {words} words, over the limit of {limit}. Split it into articles or raise the limit."
    # feeds and fetching (120-129)
    E120 = "{input}: '{scheme}' addresses are not fetched; use http or https (file:// only when allowed)."
    E121 = "{input}: cannot fetch it ({detail}). It is tried again later."
    E122 = "{input}: no answer within {seconds} s. It is tried again later."
    E123 = "{input}: the server answered HTTP {status} {reason}. It is tried again later."
    E124 = "{input}: more than {limit} redirects (last to {location}). Check the address."
    E125 = "{input}: the response is over the limit of {limit} bytes; it was not read further."
    E126 = "{input}: not an RSS or Atom feed ({detail}). Check the feed address."
    E127 = "{input}: cannot read the watch state file ({detail}). Fix or delete it; feeds are then fetched in full."
    E128 = "'{value}' is not a time interval. Use a number with s, m, h or d, such as 90s, 15m or 1h."
    E129 = (
        "{input}: refused, the address {address} is on a private, loopback or link-local network; a page "
        "linked from a feed on the public internet is fetched only from the public internet."
    )
    # models and pipeline (2xx)
    E201 = "The spaCy model '{model}' is not installed. Install it with: pip install {package}"
    E202 = "Unknown pipeline stage '{name}'. Known stages: {known}."
    E203 = "{input}: stage '{stage}' failed: {detail}"
    E204 = "The event model file {path} is missing or unreadable. Rebuild it with: python -m flashpoint.events.train"
    # places (310-319)
    E310 = (
        "The gazetteer {path} is missing or unreadable ({detail}). Reinstall flashpoint, or rebuild it: "
        "pip install '.[gazetteer]' && python scripts/build_gazetteer.py"
    )
    E311 = "home_country = {value!r} is not a country code. Use three capital letters (ISO 3166-1 alpha-3): PAK."
    # the store (401-419)
    E401 = "'{url}' is not a store address. Use a file path, sqlite:///PATH or postgresql://USER@HOST/DB."
    E402 = "{url}: cannot open the SQLite store ({detail}). Check that its folder exists and is writable."
    E403 = "{url}: cannot connect to PostgreSQL ({detail}). Check that the server runs and the address is right."
    E404 = "{url}: PostgreSQL needs the psycopg package. Install it with: pip install 'psycopg[binary]'"
    E405 = "{url}: the store's schema is version {found}, newer than this flashpoint ({known}). Upgrade flashpoint."
    E406 = "{url}: schema migration {name} failed ({detail}). Nothing was changed; fix the cause and open it again."
    E407 = "{input}: could not store the article ({detail})."
    E408 = "Store query: {field} = {value!r} is not valid; expected {expected}."
    E409 = "{url}: no stored article '{article_id}'. Check the id."
    E410 = "{url}: no stored event {index} in article '{article_id}'. Check the article id and event index."
    E411 = "{url}: the store stayed locked by another writer for {seconds} s ({detail}). Try again later."
    E412 = "{url}: the database failed ({detail})."
    E413 = (
        "{url}: lost the connection to the database and could not get it back in {seconds} s ({detail}). "
        "What was stored is kept: run the same command again to go on."
    )
    # dyad series and turning points (43x)
    E430 = "Unknown interval '{value}'. Use one of: {known}."
    E431 = "since {since} is after until {until}: the series would be empty. Swap them or leave one out."
    E432 = "{input}: quad class {value} is not one of 0-4 (0 neutral, 1-2 cooperation, 3-4 conflict)."
    E433 = "Unknown score '{value}'. Use one of: {known}."
    # deduplication (42x)
    E420 = "Deduplication option {name}={value} is out of range: use {expected}."
    E421 = (
        "Article '{article_id}': the stored MinHash signature does not fit this index ({detail}). "
        "Recompute it with ArticleIndex.signature(text), or build the index with the settings that made it."
    )
    E422 = "Event {event}: {detail}. Dates are YYYY-MM-DD, and date_end is not before date."
    E423 = "Article '{article_id}' is already in the index. Add each article once; find() checks without adding."
    E424 = "Event {event} is already in cluster {cluster}, not {other}. Restore each mention once."
    # exports (44x)
    E440 = "Unknown export format '{format}'. Known formats: {known}."
    E441 = "The parquet export needs pyarrow, which is not installed. Install it: pip install 'flashpoint[parquet]'"
    E442 = "{output}: parquet is a binary format; pass a path or a binary stream, not a text stream."
    E443 = "The header option applies to the {known} formats, not to '{format}'. Leave it out for '{format}'."
    E444 = "Export record {number} is a {kind}, not an (Article, Event) pair or an ExportRecord."
    E445 = "{output}: cannot write the export ({detail}). Check that the folder exists and is writable."
    # the HTTP API and dashboard (45x-46x)
    E450 = "Request parameter {name}: {detail}."
    E451 = "{name} = {value!r} is not a country code. Use three letters (ISO 3166-1 alpha-3), such as PAK."
    E452 = "dyad = {value!r} is not a pair of countries. Use two country codes joined by '-', such as PAK-IRN."
    E453 = "Give either dyad or source/target, not both: dyad is undirected, source and target are directed."
    E454 = "type = {value!r} is not a PLOVER event type. Use one of: {known}."
    E455 = "No stored article '{article_id}'. Check the id (GET /api/events lists events with their article ids)."
    E456 = "No event {index} in article '{article_id}'. The article has {count} events, numbered from 0."
    E457 = "This needs the server's token: send the header 'Authorization: Bearer TOKEN'."
    E458 = "The token sent is not the server's token. Check the value of FLASHPOINT_TOKEN or --token."
    E459 = (
        "Writes are disabled: the server was started without a token. Start it with --token or the "
        "FLASHPOINT_TOKEN environment variable to accept articles."
    )
    E460 = "The request body is not valid JSON ({detail}). Send one article object or a list of them."
    E461 = "The request body must be an article object or a list of 1 to {limit} of them, not {kind}."
    E462 = "The request body is {size} bytes, over the limit of {limit}. Send fewer or shorter articles."
    E463 = "Nothing at {method} {path}. The endpoints are listed in /openapi.json."
    E464 = "The server failed on this request ({detail}); its log has the details."
    E465 = "The store is busy or unavailable ({detail}). Try again shortly."
    E466 = "{value!r} is not an address and port to serve on: {detail}."
    E467 = (
        "Record {number} of the request body holds {problem} in a string, which cannot be stored. "
        "Remove it and send the record again."
    )
    # execution engines (50x)
    E501 = (
        "{url}: a SQLite store has a single writer on one machine, so it cannot take a distributed Dask "
        "scheduler ({scheduler}). Use a PostgreSQL store (--db postgresql://USER@HOST/DB), or leave out "
        "--scheduler to code on a local cluster."
    )
    E502 = "Cannot start or reach the Dask cluster ({scheduler}): {detail}. Check the address and that it runs."
    E503 = "{url}: only a PostgreSQL store can be written by the engine's workers; let the client store instead."
    E504 = (
        "A batch of articles failed on the Dask cluster ({detail}). What was stored is kept: run the same "
        "command again to go on."
    )
    E505 = "Unknown engine '{name}'. Use one of: {known}."


class FlashpointError(Exception):
    """An error with a stable code (E101...) and a message naming the input and the problem."""

    def __init__(self, error: Errors, **values: Any) -> None:
        self.code = error.name
        self.values = values
        self.message = error.value.format(**values)
        super().__init__(f"[{self.code}] {self.message}")

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}

    def __reduce__(self) -> tuple[Any, tuple[str, dict[str, Any]]]:
        """Pickle by code and values, so that an error raised in a worker process reaches the caller whole."""
        return _rebuild, (self.code, self.values)


def _rebuild(code: str, values: dict[str, Any]) -> FlashpointError:
    return FlashpointError(Errors[code], **values)
