"""Writing export records to a path or a stream, one format each; every writer streams its records."""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from typing import IO, Any

from ..errors import Errors, FlashpointError
from .gdelt import GDELT_COLUMNS, gdelt_row
from .polecat import polecat_record
from .records import FLAT_COLUMNS, LIST_COLUMNS, MODALITY_FIELDS, ExportRecord, jsonl_record, record_row

Output = str | os.PathLike[str] | IO[bytes] | IO[str]

# Parquet column types of the flat row; every other column is a string (dates are ISO 8601 strings).
INT_COLUMNS: frozenset[str] = frozenset(
    {
        "event_index",
        "quad_class",
        "location_geonames_id",
        "evidence_start",
        "evidence_end",
        "evidence_trigger_start",
        "evidence_trigger_end",
        "statement",
        "num_mentions",
        "num_sources",
        "num_articles",
    }
)
FLOAT_COLUMNS: frozenset[str] = frozenset({"intensity", "goldstein", "confidence", "location_lat", "location_lon"})
BOOL_COLUMNS: frozenset[str] = frozenset(MODALITY_FIELDS)
BATCH_SIZE = 10_000
LIST_SEPARATOR = ";"


def write_csv(records: Iterable[ExportRecord], stream: IO[str], *, header: bool = True) -> int:
    """Flat rows as CSV, as RFC 4180 has it (CRLF line ends, so a lone CR in a value is quoted too).

    Several actors' values are joined with ";".
    """
    writer = csv.writer(stream, lineterminator="\r\n")
    if header:
        writer.writerow(FLAT_COLUMNS)
    count = 0
    for record in records:
        row = record_row(record)
        writer.writerow([_csv_value(row[name]) for name in FLAT_COLUMNS])
        count += 1
    return count


def write_gdelt(records: Iterable[ExportRecord], stream: IO[str], *, header: bool = False) -> int:
    """GDELT 2.0 event rows, tab-separated; no header line unless asked, as GDELT ships its files."""
    if header:
        stream.write("\t".join(GDELT_COLUMNS) + "\n")
    return _write_lines(("\t".join(gdelt_row(record)) for record in records), stream)


def write_jsonl(records: Iterable[ExportRecord], stream: IO[str]) -> int:
    """One event per line in the flashpoint schema, with its id and provenance."""
    return _write_lines((_json(jsonl_record(record)) for record in records), stream)


def write_polecat(records: Iterable[ExportRecord], stream: IO[str]) -> int:
    """One PLOVER JSON record per line."""
    return _write_lines((_json(polecat_record(record)) for record in records), stream)


def write_parquet(records: Iterable[ExportRecord], stream: IO[bytes], *, batch_size: int = BATCH_SIZE) -> int:
    """Flat rows as Parquet, `batch_size` rows to a row group; actor columns are lists of strings."""
    pa, pq = _pyarrow()
    schema = parquet_schema()
    count = 0
    with pq.ParquetWriter(stream, schema) as writer:
        for batch in _batches((record_row(record) for record in records), batch_size):
            writer.write_batch(pa.RecordBatch.from_pylist(batch, schema=schema))
            count += len(batch)
    return count


def parquet_schema() -> Any:
    """The Arrow schema of the flat row (pyarrow.Schema), with flashpoint's version in its metadata."""
    from .. import __version__

    pa, _ = _pyarrow()
    fields = [pa.field(name, _arrow_type(pa, name)) for name in FLAT_COLUMNS]
    return pa.schema(fields, metadata={"flashpoint_version": __version__, "flashpoint_export": "flat"})


TEXT_WRITERS: dict[str, Callable[..., int]] = {
    "csv": write_csv,
    "jsonl": write_jsonl,
    "gdelt": write_gdelt,
    "polecat": write_polecat,
}
HEADER_FORMATS: frozenset[str] = frozenset({"csv", "gdelt"})


@contextmanager
def text_output(out: Output) -> Iterator[IO[str]]:
    """A text stream on a path (created or replaced), a text stream, or a binary stream (UTF-8)."""
    if isinstance(out, str | os.PathLike):
        with _open(out, "w") as stream:
            yield stream
        return
    if _is_text(out):
        yield out  # type: ignore[misc]
        out.flush()
        return
    wrapper = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)  # type: ignore[type-var]
    try:
        yield wrapper
        wrapper.flush()
    finally:
        wrapper.detach()  # leave the caller's stream open


@contextmanager
def binary_output(out: Output) -> Iterator[IO[bytes]]:
    """A binary stream on a path (created or replaced) or the binary stream given; a text stream is refused."""
    if isinstance(out, str | os.PathLike):
        with _open(out, "wb") as stream:
            yield stream
        return
    if _is_text(out):
        raise FlashpointError(Errors.E442, output=getattr(out, "name", type(out).__name__))
    yield out  # type: ignore[misc]
    out.flush()


def _open(path: str | os.PathLike[str], mode: str) -> IO[Any]:
    try:
        if "b" in mode:
            return open(path, mode)  # noqa: SIM115 -- the caller's `with` closes it
        return open(path, mode, encoding="utf-8", newline="")  # noqa: SIM115
    except OSError as error:
        raise FlashpointError(Errors.E445, output=os.fspath(path), detail=error.strerror or error) from error


def _is_text(stream: Any) -> bool:
    if isinstance(stream, io.TextIOBase):
        return True
    if isinstance(stream, io.RawIOBase | io.BufferedIOBase):
        return False
    return "b" not in getattr(stream, "mode", "")


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(_list_item(item) for item in value)
    return str(value)


def _list_item(value: Any) -> str:
    """One actor's value in a joined cell: a ";" inside it becomes "," so the positions stay aligned."""
    return "" if value is None else str(value).replace(LIST_SEPARATOR, ",")


def _json(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False)


def _write_lines(lines: Iterable[str], stream: IO[str]) -> int:
    count = 0
    for line in lines:
        stream.write(line + "\n")
        count += 1
    return count


def _batches(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def _arrow_type(pa: Any, name: str) -> Any:
    if name in LIST_COLUMNS:
        return pa.list_(pa.string())
    if name in INT_COLUMNS:
        return pa.int64()
    if name in FLOAT_COLUMNS:
        return pa.float64()
    if name in BOOL_COLUMNS:
        return pa.bool_()
    return pa.string()


def _pyarrow() -> tuple[Any, Any]:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError as error:
        raise FlashpointError(Errors.E441) from error
    return pyarrow, pyarrow.parquet
