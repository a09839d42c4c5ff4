"""The command line: a thin layer over the library (see `flashpoint COMMAND --help`)."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import IO, Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from . import api
from .errors import FlashpointError
from .model import Article
from .output import clean_record, code_record, print_article, to_json
from .samples import sample_articles

stderr = Console(stderr=True)


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
    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]} articles/s"), TimeElapsedColumn())
    with Progress(*columns, console=stderr, transient=True) as progress:
        task = progress.add_task(label, total=len(articles), rate="-")
        for article in coded:
            speed = progress.tasks[0].speed
            progress.update(task, advance=1, rate=f"{speed:.1f}" if speed else "-")
            yield article


def _write_lines(records: Iterable[dict[str, Any]], out: IO[str]) -> None:
    for record in records:
        out.write(to_json(record) + "\n")


def _fail_on_errors(articles: list[Article]) -> None:
    for article in articles:
        for error in article.errors:
            stderr.print(f"[red]{error['code']}[/red] {error['message']}")
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
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def demo(fmt: str) -> None:
    """Code the bundled sample articles and print their events.

    \b
    Example:
      flashpoint demo
    """
    done = list(api.pipe(sample_articles()))
    if fmt == "json":
        click.echo(to_json([article.to_output() for article in done]))
        return
    console = Console()
    for article in done:
        print_article(console, article)


def run() -> None:
    """Entry point that turns a FlashpointError into a one-line message and exit status 1."""
    try:
        main(standalone_mode=True)
    except FlashpointError as error:
        stderr.print(f"[red]{error.code}[/red] {error.message}")
        sys.exit(1)
