"""The command line: a thin layer over the library (see `flashpoint COMMAND --help`)."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterable, Iterator
from typing import IO, Any

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from . import api
from .errors import FlashpointError
from .export import FORMATS as EXPORT_FORMATS
from .model import Article
from .output import (
    clean_record,
    code_record,
    dyad_record,
    dyad_rows,
    dyad_tables,
    places_table,
    print_article,
    to_json,
)
from .samples import sample_articles

stderr = Console(stderr=True)
DB_HELP = (
    "The store: a file, sqlite:///PATH or postgresql://USER@HOST/DB [default: $FLASHPOINT_DB, else flashpoint.db]."
)


def _read(path: str | None, input_file: str | None, published: str | None) -> list[Article]:
    from .sources import read_path

    target = input_file or path
    if target is None:
        raise click.UsageError("Give a PATH (or - for stdin), or --input FILE.jsonl.")
    return list(read_path(target, published=published))


def _with_progress(articles: list[Article], coded: Iterator[Article], label: str) -> Iterator[Article]:
    """Yield coded articles, showing a progress bar with articles/s on stderr for batches."""
    if len(articles) < 2:
        yield from coded
        return
    columns = (
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]} articles/s, {task.fields[errors]} with errors"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=stderr, transient=True) as progress:
        task = progress.add_task(label, total=len(articles), rate="-", errors=0)
        errors = 0
        for article in coded:
            speed = progress.tasks[0].speed
            errors += not article.ok
            progress.update(task, advance=1, rate=f"{speed:.1f}" if speed else "-", errors=errors)
            yield article


def _write_lines(records: Iterable[dict[str, Any]], out: IO[str]) -> None:
    for record in records:
        out.write(to_json(record) + "\n")


def _fail_on_errors(articles: list[Article]) -> None:
    for article in articles:
        for error in article.errors:
            stderr.print(f"[red]{error['code']}[/red] {escape(error['message'])}")
    if any(not article.ok for article in articles):
        sys.exit(1)


@click.group()
@click.version_option(package_name="flashpoint")
def main() -> None:
    """flashpoint: news in, political event data out.

    \b
    Example:
      flashpoint code article.txt --published 2024-01-19
    """


@main.command()
@click.argument("path", required=False)
@click.option("--input", "input_file", help="A JSONL file of records {id, text|html, url, published, ...}.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "jsonl"]), default="text")
def clean(path: str | None, input_file: str | None, fmt: str) -> None:
    """The story text of an article without page chrome, and its embedded posts as statements.

    \b
    Examples:
      flashpoint clean page.html
      flashpoint clean article.txt --format json
      flashpoint clean --input articles.jsonl --format jsonl
    """
    articles = _read(path, input_file, None)
    cleaned = list(api.clean(articles))
    if fmt == "jsonl" or input_file:
        _write_lines((clean_record(article) for article in cleaned), sys.stdout)
        return
    _fail_on_errors(cleaned)
    for article in cleaned:
        record = clean_record(article)
        click.echo(article.text if fmt == "text" else to_json({k: record[k] for k in ("text", "title", "statements")}))


@main.command()
@click.argument("path", required=False)
@click.option("--input", "input_file", help="A JSONL file of records {id, text|html, url, published, ...}.")
@click.option("--published", help="Publication date YYYY-MM-DD (overrides what the input says).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "jsonl"]), default="table")
@click.option("--processes", default=1, show_default=True, help="Worker processes for a batch.")
def code(path: str | None, input_file: str | None, published: str | None, fmt: str, processes: int) -> None:
    """Code the events in an article: who did what to whom, when and where.

    \b
    Examples:
      flashpoint code article.txt --published 2024-01-19
      cat article.txt | flashpoint code - --format json
      flashpoint code --input articles.jsonl --format jsonl > events.jsonl
    """
    articles = _read(path, input_file, published)
    coded = _with_progress(articles, api.pipe(articles, n_process=processes), "coding")
    if fmt == "jsonl" or input_file:
        _write_lines((code_record(article) for article in coded), sys.stdout)
        return
    done = list(coded)
    _fail_on_errors(done)
    if fmt == "json":
        outputs = [article.to_output() for article in done]
        click.echo(to_json(outputs[0] if len(outputs) == 1 else outputs))
        return
    console = Console()
    for article in done:
        print_article(console, article)


@main.command()
@click.argument("path", required=False)
@click.option("--input", "input_file", help="A JSONL file of records {id, text|html, url, published, ...}.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "jsonl"]), default="table")
def places(path: str | None, input_file: str | None, fmt: str) -> None:
    """Every place an article names: offsets, GeoNames place, country, lat/lon and use.

    The use is "location" ("in Tehran"), "actor" ("Tehran said") or "demonym" ("Iranian").

    \b
    Examples:
      flashpoint places article.txt
      cat article.txt | flashpoint places - --format json
      flashpoint places --input articles.jsonl --format jsonl
    """
    articles = _read(path, input_file, None)
    found = list(api.places(articles))
    if fmt == "jsonl" or input_file:
        records = ({"id": a.id, "places": [p.to_dict() for p in ps], "errors": a.errors} for a, ps in found)
        _write_lines(records, sys.stdout)
        return
    _fail_on_errors([article for article, _ in found])
    if fmt == "json":
        outputs = [{"places": [place.to_dict() for place in mentions]} for _, mentions in found]
        click.echo(to_json(outputs[0] if len(outputs) == 1 else outputs))
        return
    for _, mentions in found:
        Console().print(places_table(mentions))


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--db", help=DB_HELP)
@click.option("--published", help="Publication date YYYY-MM-DD (overrides what the input says).")
@click.option("--processes", default=1, show_default=True, help="Worker processes for coding (in-process engine).")
@click.option("--engine", "engine_name", type=click.Choice(["inprocess", "dask"]), default="inprocess",
              show_default=True, help="Where to code: this process (and --processes), or a Dask cluster.")
@click.option("--scheduler", help="A Dask scheduler, tcp://HOST:8786 [default: start a local cluster].")
@click.option("--workers", type=click.IntRange(min=1), help="Dask workers to start or wait for [default: one a core].")
def ingest(
    paths: tuple[str, ...],
    db: str | None,
    published: str | None,
    processes: int,
    engine_name: str,
    scheduler: str | None,
    workers: int | None,
) -> None:
    """Code articles and keep them in a store; articles already stored are skipped, not recoded, so an
    interrupted run goes on where it stopped when run again. Large runs code on Dask (docs/scale.md).

    \b
    Examples:
      flashpoint ingest articles.jsonl
      flashpoint ingest news/*.html --published 2024-01-19 --db sqlite:///events.db
      flashpoint ingest feed.jsonl --db postgresql://flashpoint@localhost/flashpoint
      flashpoint ingest cc-news/*.warc.gz --engine dask --workers 8
      flashpoint ingest day.jsonl --engine dask --scheduler tcp://dask:8786 --db postgresql://fp@db/flashpoint
    """
    from .engines import make_engine
    from .ingest import IngestReport, ingest_each
    from .sources import read_paths
    from .sources.warc import WarcReport
    from .store import open_store, resolve_url

    if engine_name == "inprocess" and (scheduler or workers):
        raise click.UsageError("--scheduler and --workers go with --engine dask.")
    options = {"n_process": processes, "tune_process": True} if engine_name == "inprocess" else {
        "scheduler": scheduler, "workers": workers, "store_url": resolve_url(db)}
    engine = make_engine(engine_name, **options)
    warcs: list[WarcReport] = []
    articles = list(read_paths(paths, published=published, warc_reports=warcs))
    for warc in warcs:
        stderr.print(escape(warc.summary()), soft_wrap=True)
    report, stopped = IngestReport(), False
    with open_store(db) as store:
        stored = ingest_each(articles, store, report=report, engine=engine)
        try:
            for _ in _with_progress(articles, stored, "ingesting"):
                pass
        except KeyboardInterrupt:
            stopped = True
            stderr.print("stopped: what was stored is kept; run the same command again to go on")
        finally:
            stored.close()
    for error in report.errors:
        stderr.print(f"[red]{error['code']}[/red] {escape(error['message'])}")
    click.echo(f"{report.summary()}, in {store.url}")
    if stopped:
        sys.exit(130)


@main.command()
@click.argument("a")
@click.argument("b")
@click.option("--db", help=DB_HELP)
@click.option("--since", help="From YYYY-MM-DD [default: the first event].")
@click.option("--until", help="To YYYY-MM-DD [default: the last event].")
@click.option("--interval", type=click.Choice(["day", "week"]), default="day", show_default=True)
@click.option("--directed", is_flag=True, help="Only events from A to B.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "png"]), default="table")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="File for png [default: A-B.png].")
def dyad(
    a: str,
    b: str,
    db: str | None,
    since: str | None,
    until: str | None,
    interval: str,
    directed: bool,
    fmt: str,
    output: str | None,
) -> None:
    """Conflict and cooperation between two countries over time, with escalation and de-escalation points.

    Countries are ISO 3166 alpha-3 codes. Each turning point comes with the events that drove it.

    \b
    Examples:
      flashpoint dyad PAK IRN
      flashpoint dyad PAK IRN --since 2024-01-01 --interval week --format json
      flashpoint dyad PAK IRN --format png -o pak-irn.png
    """
    from .dyad_report import dyad_report
    from .dyads import plot_series
    from .store import open_store

    a, b = _country(a), _country(b)
    with open_store(db) as store:
        report = dyad_report(store, a, b, interval=interval, directed=directed, since=since, until=until)  # type: ignore[arg-type]
    if fmt == "json":
        click.echo(to_json(dyad_record(report)))
    elif fmt == "csv":
        csv.writer(sys.stdout, lineterminator="\n").writerows(dyad_rows(report))
    elif fmt == "png":
        path = plot_series(report.series, report.turning_points, output or f"{a}-{b}.png", title=f"{a}-{b}")
        stderr.print(f"wrote {path}")
    else:
        for table in dyad_tables(report):
            Console().print(table)


def _country(code: str) -> str:
    if len(code) != 3 or not code.isalpha():
        raise click.BadParameter(f"'{code}' is not an ISO 3166 alpha-3 country code such as PAK.")
    return code.upper()


@main.command()
@click.option("--db", help=DB_HELP)
@click.option("--format", "fmt", type=click.Choice(list(EXPORT_FORMATS)), default="csv", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="File to write [default: stdout].")
@click.option("--dyad", help="Only events between two countries, e.g. PAK-IRN.")
@click.option("--since", help="Events on or after YYYY-MM-DD.")
@click.option("--until", help="Events on or before YYYY-MM-DD.")
@click.option("--mentions", is_flag=True, help="One row per report of an event, not one per event.")
@click.option("--header/--no-header", default=None, help="Header row for csv and gdelt [csv: on, gdelt: off].")
def export(
    db: str | None,
    fmt: str,
    output: str | None,
    dyad: str | None,
    since: str | None,
    until: str | None,
    mentions: bool,
    header: bool | None,
) -> None:
    """Write the stored events with their actors and provenance: csv, parquet, jsonl, gdelt or polecat.

    One row per real-world event (reports deduplicated into clusters, with their counts) unless --mentions.

    \b
    Examples:
      flashpoint export --format csv -o events.csv
      flashpoint export --format gdelt --dyad PAK-IRN > pak-irn.tsv
      flashpoint export --format parquet -o events.parquet --db postgresql://flashpoint@localhost/flashpoint
    """
    from .export import export_events, store_records
    from .store import EventQuery, open_store
    from .store.base import MAX_PAGE

    query = EventQuery(dyad=_dyad(dyad), since=since, until=until, limit=MAX_PAGE)
    out = output or sys.stdout.buffer
    with open_store(db) as store:
        rows = export_events(store_records(store, query, mentions=mentions), out, format=fmt, header=header)
    stderr.print(f"{rows} events written ({fmt})")


def _dyad(value: str | None) -> tuple[str, str] | None:
    if value is None:
        return None
    a, sep, b = value.partition("-")
    if not sep:
        raise click.BadParameter(f"'{value}' is not a pair of ISO3 country codes like PAK-IRN.", param_hint="--dyad")
    return _country(a), _country(b)


@main.command()
@click.option("--db", help=DB_HELP)
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="0: a free port.")
@click.option(
    "--token",
    envvar="FLASHPOINT_TOKEN",
    help="Bearer token for writes [default: $FLASHPOINT_TOKEN; none: writes refused].",
)
@click.option("--private", is_flag=True, help="Reads need the token too.")
def serve(db: str | None, host: str, port: int, token: str | None, private: bool) -> None:
    """Serve the HTTP API (/api, /openapi.json) and the dashboard (/) over a store.

    \b
    Examples:
      flashpoint serve --db events.db
      FLASHPOINT_TOKEN=s3cret flashpoint serve --db events.db --port 8080
    """
    from .web import serve as serve_web

    if private and not token:
        raise click.UsageError("--private needs a token: --token or $FLASHPOINT_TOKEN.")
    serve_web(
        db,
        host=host,
        port=port,
        token=token or "",
        protect_reads=private,
        on_ready=lambda url: click.echo(f"flashpoint: serving {url} (Ctrl-C to stop)"),
    )


@main.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    help="json: print the coded samples as JSON and stop (no store, no server).",
)
@click.option("--db", "db_path", default="flashpoint-demo.db", show_default=True, help="The SQLite file to fill.")
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="0: a free port.")
@click.option("--serve/--no-serve", default=True, help="Serve the dashboard after ingesting [default: serve].")
def demo(fmt: str, db_path: str, host: str, port: int, serve: bool) -> None:
    """The main job on the bundled samples: code them, store them, print their events, serve the dashboard.

    \b
    Examples:
      flashpoint demo                      # then open the printed URL; Ctrl-C stops
      flashpoint demo --no-serve           # only fill flashpoint-demo.db and print the events
      flashpoint demo --format json        # the coded samples as JSON
    """
    if fmt == "json":
        click.echo(to_json([article.to_output() for article in api.pipe(sample_articles())]))
        return
    from .store import open_store
    from .web import prepare_demo
    from .web import serve as serve_web

    url, report = prepare_demo(db_path)
    console = Console()
    with open_store(url) as store:
        for sample in sample_articles():
            stored = store.get_article(sample.id)
            if stored is not None:
                print_article(console, stored)
    click.echo(f"{report.summary()}, in {url}")
    if serve:
        serve_web(
            url, host=host, port=port, on_ready=lambda address: click.echo(f"Dashboard: {address} (Ctrl-C to stop)")
        )


@main.command()
@click.argument("feeds", nargs=-1, required=True)
@click.option("--db", help=DB_HELP)
@click.option("--every", default="15m", show_default=True, help="Time between polls: 90s, 15m, 1h, 1d.")
@click.option("--once", is_flag=True, help="Poll once and exit.")
@click.option("--state", "state_file", help="The watch state file [default: DB.watch.json beside a SQLite store].")
@click.option("--timeout", default=20.0, show_default=True, help="Seconds allowed for each feed or page.")
@click.option("--max-bytes", default=10 * 1024 * 1024, show_default=True, help="The largest feed or page read.")
@click.option("--allow-file-urls", is_flag=True, help="Also read file:// feeds and links (local files).")
@click.option(
    "--allow-private-links",
    is_flag=True,
    help="Fetch pages on private, loopback or link-local addresses even when a public feed links to them.",
)
def watch(
    feeds: tuple[str, ...],
    db: str | None,
    every: str,
    once: bool,
    state_file: str | None,
    timeout: float,
    max_bytes: int,
    allow_file_urls: bool,
    allow_private_links: bool,
) -> None:
    """Poll RSS/Atom feeds; fetch, code and store each new article once. A feed or page that fails is
    reported and tried again later, with back-off; the others go on.

    \b
    Examples:
      flashpoint watch https://www.dawn.com/feeds/home --every 15m --db events.db
      flashpoint watch https://example.com/rss.xml https://example.org/atom.xml --once
    """
    from .sources.fetch import FetchOptions
    from .store import open_store
    from .watch import WatchOptions, default_state_path, parse_interval
    from .watch import watch as watch_feeds

    try:
        seconds = parse_interval(every)
    except FlashpointError as error:
        raise click.BadParameter(error.message, param_hint="--every") from error
    limits = FetchOptions(timeout=timeout, max_bytes=max_bytes, allow_file=allow_file_urls)
    options = WatchOptions(every=seconds, fetch=limits, private_links=allow_private_links)
    state = state_file or default_state_path(db)
    with open_store(db) as store:
        try:
            for report in watch_feeds(feeds, store, state_path=state, options=options, once=once):
                for problem in report.errors:
                    stderr.print(f"[red]{problem['code']}[/red] {escape(problem['message'])}")
                click.echo(f"{report.summary()}, in {store.url}")
        except KeyboardInterrupt:
            stderr.print("stopped")


def run() -> None:
    """Entry point that turns a FlashpointError into a one-line message and exit status 1."""
    try:
        main(standalone_mode=True)
    except FlashpointError as error:
        stderr.print(f"[red]{error.code}[/red] {escape(error.message)}")
        sys.exit(1)
