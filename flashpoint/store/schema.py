"""The schema migrations: versioned SQL files, `migrations/<backend>/NNNN_name.sql`, applied in order.

Each backend has its own file for each version (the dialects differ in types); the same version of
both defines the same tables and columns. A store records the versions it has applied in `schema_version`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files

SCHEMA_VERSION_TABLE = """
CREATE TABLE IF NOT EXISTS schema_version (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
)
"""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


@cache
def migrations(backend: str) -> tuple[Migration, ...]:
    """The backend's migrations in version order (`backend` is "sqlite" or "postgres")."""
    folder = files(__package__).joinpath("migrations", backend)
    found = [
        Migration(int(entry.name.split("_", 1)[0]), entry.name, entry.read_text("utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".sql")
    ]
    return tuple(sorted(found, key=lambda migration: migration.version))


def latest_version(backend: str) -> int:
    return migrations(backend)[-1].version
