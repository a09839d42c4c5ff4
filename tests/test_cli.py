"""The command line, run in process through click and once for real as the installed `flashpoint` script."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from flashpoint.cli import main


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture()
def sample_file(tmp_path: Path, sample: str) -> Path:
    path = tmp_path / "sample.txt"
    path.write_text(sample, encoding="utf-8")
    return path


def test_cli_clean_prints_story_without_posts_or_footer(runner: CliRunner, sample_file: Path) -> None:
    result = runner.invoke(main, ["clean", str(sample_file)])
    assert result.exit_code == 0
    assert result.output.startswith("Caretaker Foreign Minister")
    for chrome in ("@ForeignOfficePk", "pic.twitter", "Read more", "COMMENTS", "Comments FAQ"):
        assert chrome not in result.output


def test_cli_clean_json_has_the_two_statements(runner: CliRunner, sample_file: Path) -> None:
    result = runner.invoke(main, ["clean", str(sample_file), "--format", "json"])
    data = json.loads(result.stdout)
    assert [s["handle"] for s in data["statements"]] == ["ForeignOfficePk", "IraninIslamabad"]
    assert {s["date"] for s in data["statements"]} == {"2024-01-19"}


def test_cli_code_json_has_article_statements_and_events(runner: CliRunner, sample_file: Path) -> None:
    result = runner.invoke(main, ["code", str(sample_file), "--published", "2024-01-19", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= {"article", "statements", "events"}
    assert data["article"]["text"].startswith("Caretaker")
    event = data["events"][0]
    for field in ("type", "mode", "context", "cameo", "quad_class", "intensity", "goldstein", "source", "target",
                  "third_parties", "date", "date_precision", "date_basis", "location", "modality", "evidence",
                  "confidence"):
        assert field in event
    assert isinstance(event["cameo"], str)


def test_cli_code_batch_keeps_order_and_reports_bad_records(runner: CliRunner, tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "one", "text": "Iran and Pakistan held talks in Tehran.", "published": "2024-01-19"}),
        "{not json",
        json.dumps({"id": "three", "title": "no text"}),
        json.dumps({"id": "four", "text": "Russian troops attacked Ukrainian positions."}),
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(main, ["code", "--input", str(path), "--format", "jsonl"])
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in records][0] == "one" and records[-1]["id"] == "four"
    assert len(records) == 4
    assert records[0]["events"] and records[3]["events"]
    assert records[1]["errors"][0]["code"] == "E105" and "batch.jsonl" in records[1]["errors"][0]["message"]
    assert records[2]["errors"][0]["code"] == "E107"


def test_cli_code_missing_file_fails_with_a_message_naming_it(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["code", str(tmp_path / "nope.txt")])
    assert result.exit_code == 1
    assert "E101" in result.output and "nope.txt" in result.output


def test_cli_code_binary_file_is_rejected(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.7\n\x00\x01\x02binary")
    result = runner.invoke(main, ["code", str(path)])
    assert result.exit_code == 1 and "E103" in result.output and "report.pdf" in result.output


def test_cli_code_reads_stdin(runner: CliRunner, sample: str) -> None:
    result = runner.invoke(main, ["code", "-", "--format", "json", "--published", "2024-01-19"], input=sample)
    assert json.loads(result.stdout)["events"]


def test_cli_table_shows_events(runner: CliRunner, sample_file: Path) -> None:
    result = runner.invoke(main, ["code", str(sample_file), "--published", "2024-01-19"])
    assert result.exit_code == 0 and "ASSAULT" in result.output and "CONSULT" in result.output


def test_cli_table_shows_bracketed_text_as_it_is(runner: CliRunner) -> None:
    record = {"title": "[bold]Strike[/bold] [/x]", "text": "Pakistan condemned [/x] Iran's strike on Friday."}
    result = runner.invoke(main, ["code", "-", "--published", "2024-01-19"], input=json.dumps(record))
    assert result.exit_code == 0, result.output
    assert "[bold]Strike[/bold] [/x]" in result.output and "condemned [/x]" in result.output


@pytest.mark.slow
def test_cli_demo_runs_as_installed_script() -> None:
    script = shutil.which("flashpoint")
    assert script, "the package must be installed (pip install -e .)"
    result = subprocess.run([script, "demo", "--format", "json"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    articles = json.loads(result.stdout)
    assert articles[0]["events"] and articles[0]["article"]["published"] == "2024-01-19"


def test_cli_every_command_is_documented_in_the_readme() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text("utf-8")
    for name in main.commands:
        assert f"flashpoint {name}" in readme, name
        assert main.commands[name].help and "Example" in main.commands[name].help
