"""Exports: coded events with their actors and provenance as CSV, Parquet, JSON Lines, GDELT or PLOVER JSON.

    from flashpoint.export import article_records, export_events

    export_events(article_records(articles), "events.csv", format="csv")
    export_events(store_records, sys.stdout.buffer, format="gdelt")

Every format but Parquet streams (one record in, one line out); Parquet is written in batches. The
fields of each format, how they map from flashpoint's schema and where they deviate: docs/exports.md.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import Errors, FlashpointError
from ..model import Article, Event
from .gdelt import GDELT_COLUMNS, actor_code, gdelt_event_id, gdelt_row
from .polecat import plover_entity, polecat_record
from .records import (
    FLAT_COLUMNS,
    ExportRecord,
    article_records,
    event_id,
    export_records,
    flat_record,
    jsonl_record,
    store_records,
)
from .writers import (
    BATCH_SIZE,
    HEADER_FORMATS,
    TEXT_WRITERS,
    Output,
    binary_output,
    parquet_schema,
    text_output,
    write_parquet,
)

# Every export format, with a line on what it writes.
FORMATS: dict[str, str] = {
    "csv": "one flat row per event, with a header; several actors' values joined with ';'",
    "parquet": "the flat rows as Apache Parquet (needs pyarrow); actor fields are lists",
    "jsonl": "one event per line in the flashpoint schema, with its id and article provenance",
    "gdelt": "GDELT 2.0 Events table rows: 61 tab-separated columns, no header unless asked",
    "polecat": "one PLOVER JSON record per line (the POLECAT exchange format)",
}

__all__ = [
    "FLAT_COLUMNS",
    "FORMATS",
    "GDELT_COLUMNS",
    "ExportRecord",
    "actor_code",
    "article_records",
    "store_records",
    "event_id",
    "export_events",
    "export_records",
    "flat_record",
    "gdelt_event_id",
    "gdelt_row",
    "jsonl_record",
    "parquet_schema",
    "plover_entity",
    "polecat_record",
]


def export_events(
    records: Iterable[tuple[Article, Event] | ExportRecord],
    out: Output,
    *,
    format: str,
    header: bool | None = None,
    batch_size: int = BATCH_SIZE,
) -> int:
    """Write events to `out` (a path, or a binary or text stream) in `format`; returns the rows written.

    `records` are `(article, event)` pairs or `ExportRecord`s (which carry a cluster id and counts).
    `header` applies to csv (default on) and gdelt (default off); `batch_size` is Parquet's rows per
    row group. Nothing is opened before the format and options are checked. An empty input writes a
    valid empty file: a header line for csv, nothing for the line formats, a schema-only Parquet file.
    """
    _check(format, header)
    rows = export_records(records)
    if format == "parquet":
        with binary_output(out) as binary:
            return write_parquet(rows, binary, batch_size=batch_size)
    options = {"header": header} if header is not None else {}
    with text_output(out) as stream:
        return TEXT_WRITERS[format](rows, stream, **options)


def _check(format: str, header: bool | None) -> None:
    if format not in FORMATS:
        raise FlashpointError(Errors.E440, format=format, known=", ".join(FORMATS))
    if header is not None and format not in HEADER_FORMATS:
        raise FlashpointError(Errors.E443, format=format, known=", ".join(sorted(HEADER_FORMATS)))
    if format == "parquet":
        parquet_schema()  # raises E441 when pyarrow is missing
