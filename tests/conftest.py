"""Shared fixtures: every test builds its own small data; the sample article is read from the package."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from flashpoint.model import Article
from flashpoint.samples import sample_text
from flashpoint.store import Store, open_store


@pytest.fixture(scope="session")
def sample() -> str:
    return sample_text()


@pytest.fixture(scope="session")
def sample_coded(sample: str) -> Article:
    """The sample article through the whole default pipeline (published on Friday 2024-01-19)."""
    from flashpoint import code

    return code(sample, id="sample", published="2024-01-19")


# -- stores: each test gets its own database, SQLite in a temporary file or PostgreSQL -----------------------
# PostgreSQL comes from $FLASHPOINT_TEST_PG (a server URL where the tests may create databases) or, when the
# server binaries are installed (apt-get install postgresql), from a private cluster started for the session.
# Without either the PostgreSQL tests skip, unless $FLASHPOINT_REQUIRE_PG is set (CI sets it): then they fail.


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    from flashpoint.store.testing import postgres_bindir, temporary_postgres

    if url := os.environ.get("FLASHPOINT_TEST_PG"):
        yield url
        return
    if postgres_bindir() is None:
        reason = "no PostgreSQL: apt-get install postgresql, or set FLASHPOINT_TEST_PG=postgresql://USER@HOST/DB"
        if os.environ.get("FLASHPOINT_REQUIRE_PG"):
            pytest.fail(reason)
        pytest.skip(reason)
    with temporary_postgres() as url:
        yield url


@pytest.fixture()
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A new, empty PostgreSQL database for one test."""
    from flashpoint.store.testing import temporary_database

    with temporary_database(postgres_server) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty store of each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture()
def store(store_url: str) -> Iterator[Store]:
    with open_store(store_url) as opened:
        yield opened
