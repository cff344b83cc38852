"""A throwaway PostgreSQL server on 127.0.0.1, for the tests and the benches.

Runs the Debian binaries (as the ``postgres`` OS user when we are root, since
PostgreSQL refuses to run as root) in a temporary directory; ``cleanup``
stops it and removes everything.
"""

from __future__ import annotations

import glob
import os
import pwd
import re
import shlex
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

PG_USER = "konsilo"
PG_TEST_DATABASE = "konsilo_test"
_PG_START_TIMEOUT_S = 60
_PG_OS_USER = "postgres"  # PostgreSQL refuses to run as root.


def _version_key(path: str) -> tuple[int, ...]:
    """Sort key for /usr/lib/postgresql/<version>/bin: numeric version parts."""
    version = Path(path).parent.name
    return tuple(int(part) for part in re.findall(r"\d+", version)) or (-1,)


def find_postgres_bindir() -> Path | None:
    """Directory holding ``initdb`` and ``pg_ctl``: the highest Debian version, else PATH."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version_key, reverse=True)
    for bindir in candidates:
        if all(os.access(os.path.join(bindir, tool), os.X_OK) for tool in ("initdb", "pg_ctl")):
            return Path(bindir)
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb and pg_ctl and Path(initdb).parent == Path(pg_ctl).parent:
        return Path(initdb).parent
    return None


def free_tcp_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class PostgresServer:
    bindir: Path
    basedir: Path
    run_as: pwd.struct_passwd | None  # OS user to run the server as (when we are root)
    port: int = 0
    started: bool = False

    @property
    def datadir(self) -> Path:
        return self.basedir / "data"

    @property
    def sockdir(self) -> Path:
        return self.basedir / "sock"

    @property
    def logfile(self) -> Path:
        return self.basedir / "postgres.log"

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """Run a PostgreSQL binary (as the postgres OS user when we are root)."""
        env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
        user: int | None = None
        group: int | None = None
        extra_groups: list[int] | None = None
        if self.run_as is not None:
            env.update(
                HOME=str(self.basedir), USER=self.run_as.pw_name, LOGNAME=self.run_as.pw_name
            )
            user, group, extra_groups = self.run_as.pw_uid, self.run_as.pw_gid, []
        return subprocess.run(
            [str(self.bindir / args[0]), *args[1:]],
            cwd=self.basedir,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            user=user,
            group=group,
            extra_groups=extra_groups,
        )

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.logfile.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"

    def initdb(self) -> None:
        result = self.run(
            "initdb",
            "-D",
            str(self.datadir),
            "-A",
            "trust",
            "-U",
            PG_USER,
            "-E",
            "UTF8",
            "--locale=C",
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"initdb failed ({result.returncode}):\n{result.stdout}{result.stderr}"
            )

    def start(self) -> None:
        """``pg_ctl start`` on a free port, retrying if another process grabbed the port."""
        last_error = ""
        for _attempt in range(3):
            self.port = free_tcp_port()
            options = shlex.join(
                [
                    "-k",
                    str(self.sockdir),
                    "-p",
                    str(self.port),
                    "-c",
                    "listen_addresses=127.0.0.1",
                    "-c",
                    "fsync=on",
                ]
            )
            # Mark as started before the call: a half-started server must be stopped too.
            self.started = True
            result = self.run(
                "pg_ctl",
                "-D",
                str(self.datadir),
                "-l",  # the server must not inherit our pipes, or run() never returns
                str(self.logfile),
                "-o",
                options,
                "-w",
                "-t",
                str(_PG_START_TIMEOUT_S),
                "start",
                timeout=_PG_START_TIMEOUT_S + 30,
            )
            if result.returncode == 0:
                return
            last_error = f"{result.stdout}{result.stderr}\n--- server log ---\n{self.log_tail()}"
            self.stop()
        raise RuntimeError(f"pg_ctl start failed:\n{last_error}")

    def stop(self) -> None:
        """Stop the server if it may be running; idempotent, never raises."""
        if not self.started:
            return
        self.started = False
        if not (self.datadir / "postmaster.pid").exists():
            return
        try:
            result = self.run("pg_ctl", "-D", str(self.datadir), "-m", "fast", "-w", "stop")
            if result.returncode != 0 and (self.datadir / "postmaster.pid").exists():
                self.run("pg_ctl", "-D", str(self.datadir), "-m", "immediate", "-w", "stop")
        except (OSError, subprocess.SubprocessError):
            pass

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.basedir, ignore_errors=True)

    def sqlalchemy_url(self, database: str) -> str:
        return f"postgresql+psycopg://{PG_USER}@127.0.0.1:{self.port}/{database}"

    def socket_url(self, database: str) -> str:
        """The same server through its Unix socket, as a same-host deployment reaches it."""
        return f"postgresql+psycopg://{PG_USER}@/{database}?host={self.sockdir}&port={self.port}"


def new_server(bindir: Path) -> PostgresServer:
    run_as: pwd.struct_passwd | None = None
    if os.geteuid() == 0:
        try:
            run_as = pwd.getpwnam(_PG_OS_USER)
        except KeyError:
            raise RuntimeError(
                f"running as root but there is no {_PG_OS_USER!r} OS user to run PostgreSQL as "
                "(install the Debian 'postgresql' package, or run as a normal user)"
            ) from None
    parent = os.environ.get("KONSILO_PG_TMPDIR") or None
    basedir = Path(tempfile.mkdtemp(prefix="konsilo-pg-", dir=parent))
    if run_as is not None:
        os.chown(basedir, run_as.pw_uid, run_as.pw_gid)
    server = PostgresServer(bindir=bindir, basedir=basedir, run_as=run_as)
    server.sockdir.mkdir()
    if run_as is not None:
        os.chown(server.sockdir, run_as.pw_uid, run_as.pw_gid)
    return server
