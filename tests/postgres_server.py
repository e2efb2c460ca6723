"""A throw-away PostgreSQL server for the tests: its own data folder, a loopback port, trust auth.

Debian's `postgresql` package provides the binaries (`.ci/run` installs it, as it installs
Chromium). A missing server is a failure, never a skip: the SQL examples must run.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def bin_dir() -> Path:
    """PG_BIN, or the newest /usr/lib/postgresql/<major>/bin."""
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parent.parent.name))
    if not found:
        raise RuntimeError("PostgreSQL not found: install Debian's 'postgresql' package (or set PG_BIN to its bin folder)")
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgresServer:
    """Started with ``start()``, stopped with ``stop()``; ``psql(args)`` runs psql against it."""

    def __init__(self):
        self.bin = bin_dir()
        self.port = _free_port()
        # initdb refuses to run as root: as root, the server runs as the `postgres` user.
        self.user = "postgres" if os.geteuid() == 0 else None
        self.home = Path(tempfile.mkdtemp(prefix="handbook-pg-"))
        self.data = self.home / "data"
        if self.user:
            account = pwd.getpwnam(self.user)
            os.chown(self.home, account.pw_uid, account.pw_gid)

    def _as_owner(self, command: list[str]) -> list[str]:
        return ["runuser", "-u", self.user, "--", *command] if self.user else command

    def start(self) -> PostgresServer:
        subprocess.run(
            self._as_owner([str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]),
            check=True,
            capture_output=True,
        )
        options = f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.home} -c fsync=off"
        subprocess.run(
            self._as_owner([str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.home / "log"), "-w", "start"]),
            check=True,
            capture_output=True,
        )
        deadline = time.monotonic() + 30
        while self.psql(["-c", "select 1"]).returncode != 0:
            if time.monotonic() > deadline:
                raise RuntimeError(f"PostgreSQL did not start: {(self.home / 'log').read_text()}")
            time.sleep(0.2)
        return self

    def psql(self, args: list[str], stdin: str | None = None, database: str = "postgres") -> subprocess.CompletedProcess:
        command = [str(self.bin / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database]
        return subprocess.run([*command, *args], input=stdin, capture_output=True, text=True, timeout=60)

    def run_in_new_database(self, name: str, sql: str) -> str | None:
        """Run ``sql`` in a fresh, empty database; None when it succeeds, else psql's error,
        with its SQLSTATE code (``ERROR:  42P01: relation "orders" does not exist``)."""
        self.psql(["-c", f'DROP DATABASE IF EXISTS "{name}"'])
        created = self.psql(["-c", f'CREATE DATABASE "{name}"'])
        if created.returncode != 0:
            return created.stderr
        result = self.psql(["-v", "VERBOSITY=verbose"], stdin=sql, database=name)
        return None if result.returncode == 0 else result.stderr.strip()

    def stop(self) -> None:
        subprocess.run(self._as_owner([str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"]), capture_output=True)
        shutil.rmtree(self.home, ignore_errors=True)
