"""Throwaway PostgreSQL servers and databases, for the tests and the store benchmark.

`temporary_postgres()` starts a private cluster from the server binaries of Debian's `postgresql` package
(or any `initdb` on the PATH) on a free loopback port, and removes it afterwards; as root, the server runs
as the `postgres` user. `local_postgres()` gives its handle, to stop and start it (a restart, in tests).
`temporary_database(server_url)` creates an empty database there.
"""

from __future__ import annotations

import os
import shlex
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

DEBIAN_BINARIES = Path("/usr/lib/postgresql")
# Settings for a server whose data may be lost: no waiting for the disk.
UNSAFE_FAST = ("-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off")


def postgres_bindir() -> Path | None:
    """The folder of the newest PostgreSQL server binaries found (`initdb`, `pg_ctl`), or None."""
    found = [path.parent for path in DEBIAN_BINARIES.glob("*/bin/initdb")]
    if found:
        return max(found, key=lambda folder: _version(folder.parent.name))
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _version(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in name.split(".") if part.isdigit())


@dataclass
class LocalPostgres:
    """A private server's handle: its URL, and `stop` / `start` to play a server restart in tests."""

    url: str
    data: Path
    folder: Path
    options: str
    bindir: Path
    as_root: bool

    def start(self) -> None:
        self._ctl("-l", self.folder / "server.log", "-w", "-t", "60", "-o", self.options, "start")

    def stop(self) -> None:
        self._ctl("-m", "immediate", "-w", "stop")

    def _ctl(self, *words: str | Path) -> None:
        _run([self.bindir / "pg_ctl", "-D", self.data, *words], as_root=self.as_root)


@contextmanager
def temporary_postgres(*, fast: bool = True, bindir: Path | None = None) -> Iterator[str]:
    """A running private PostgreSQL server for the block; yields its URL (`.../postgres`, user postgres)."""
    with local_postgres(fast=fast, bindir=bindir) as server:
        yield server.url


@contextmanager
def local_postgres(*, fast: bool = True, bindir: Path | None = None) -> Iterator[LocalPostgres]:
    """Like `temporary_postgres`, yielding the server's handle."""
    bindir = bindir or postgres_bindir()
    if bindir is None:
        raise RuntimeError("no PostgreSQL server binaries: apt-get install postgresql")
    folder = Path(tempfile.mkdtemp(prefix="flashpoint-pg-"))
    as_root = os.geteuid() == 0
    if as_root:
        shutil.chown(folder, user="postgres", group="postgres")
    data, port = folder / "data", _free_port()
    options = " ".join((f"-p {port}", f"-k {folder}", "-c listen_addresses=127.0.0.1", *(UNSAFE_FAST if fast else ())))
    server = LocalPostgres(f"postgresql://postgres@127.0.0.1:{port}/postgres", data, folder, options, bindir, as_root)
    try:
        _run([bindir / "initdb", "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale", "-N"],
             as_root=as_root)
        server.start()
        try:
            yield server
        finally:
            server.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def temporary_database(server_url: str) -> Iterator[str]:
    """A new empty database on the server for the block (dropped afterwards); yields its URL."""
    import psycopg
    from psycopg import sql

    name = f"flashpoint_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        parts = urlsplit(server_url)
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(server_url, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _run(command: list[str | Path], *, as_root: bool) -> None:
    words = [str(word) for word in command]
    if as_root:  # the server refuses to run as root
        words = ["su", "postgres", "-s", "/bin/sh", "-c", shlex.join(words)]
    done = subprocess.run(words, capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{shlex.join(words)} failed ({done.returncode}): {done.stderr.strip() or done.stdout}")
