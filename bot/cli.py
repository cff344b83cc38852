"""The ``konsilo`` command: run, console, demo, and the operator's tools.

Every subcommand first brings the database to the newest schema, so a
self-hoster never runs migrations by hand. Defaults: the database URL from
``core.store.db.default_url()`` and the secret key from ``load_secret`` in
the data directory (``$KONSILO_DATA``, else ``./konsilo-data``).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeAlias

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.console import ConsoleChat, run_console
from bot.demo import START, DemoFailed, run_demo
from bot.render import head
from core.app import Konsilo, load_secret
from core.audit import verify
from core.clock import Clock, FixedClock
from core.export import assembly_record, dumps, tallies_csv
from core.store.db import Database, data_directory, default_url
from core.store.migrate import current, upgrade

# What the chat transports read; ``konsilo run`` names them when none is configured.
TELEGRAM_TOKEN = "KONSILO_TELEGRAM_TOKEN"
TELEGRAM_BASE_URL = "KONSILO_TELEGRAM_BASE_URL"  # a self-hosted Bot API server (or the tests')
TRANSPORT_ENV = {
    "Telegram": (TELEGRAM_TOKEN,),
    "Matrix": ("KONSILO_MATRIX_HOMESERVER", "KONSILO_MATRIX_USER", "KONSILO_MATRIX_TOKEN"),
}
NO_TRANSPORT = 2  # exit status of ``konsilo run`` with nothing to run


@contextmanager
def database(url: str | None) -> Iterator[Database]:
    """The database at ``url`` (or the default), upgraded to the newest schema."""
    db = Database(url or default_url())
    try:
        upgrade(db.engine)
        yield db
    finally:
        db.close()


def shown_url(db: Database) -> str:
    """The URL for messages, password hidden."""
    return make_url(db.url).render_as_string(hide_password=True)


def db_upgrade(args: argparse.Namespace) -> int:
    """``konsilo db upgrade``: migrations only (the other commands do it too)."""
    with database(args.database) as db:
        print(f"database {shown_url(db)} is at revision {current(db.engine)}")
    return 0


def parse_head(text: str) -> tuple[int, str]:
    """``SEQ:HASH`` as a chat shows it (the hash may be a prefix)."""
    seq, _, digest = text.partition(":")
    if not seq.isdigit() or not digest or any(c not in "0123456789abcdef" for c in digest):
        raise argparse.ArgumentTypeError("expected SEQ:HASH, e.g. 57:3f2a9c0d11e4b7a8")
    return int(seq), digest


def audit_verify(args: argparse.Namespace) -> int:
    """``konsilo audit verify``: recompute the hash chain, optionally against a published head."""
    with database(args.database) as db:
        verdict = db.transaction(lambda conn: verify(conn, args.head))
    shown = head(verdict.head_seq, verdict.head_hash)
    if verdict.ok:
        print(f"audit log OK: {verdict.checked} entries, head {shown}")
        return 0
    print(f"audit log BROKEN: {verdict.problem}", file=sys.stderr)
    print(f"the chain holds for {verdict.checked} entries (up to {shown})", file=sys.stderr)
    return 1


def export(args: argparse.Namespace) -> int:
    """``konsilo export``: an assembly's whole record as JSON and its tallies as CSV."""
    with database(args.database) as db:
        record, tallies = db.transaction(
            lambda conn: (
                assembly_record(conn, args.assembly_id),
                tallies_csv(conn, args.assembly_id),
            )
        )
    if not record["assembly"]:
        print(f"konsilo: there is no assembly {args.assembly_id}", file=sys.stderr)
        return 1
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    json_path = out / f"assembly-{args.assembly_id}.json"
    csv_path = out / f"tallies-{args.assembly_id}.csv"
    json_path.write_bytes(dumps(record))
    csv_path.write_text(tallies, encoding="utf-8")
    print(f"wrote {json_path}")
    print(f"wrote {csv_path}")
    return 0


def console(args: argparse.Namespace) -> int:
    """``konsilo console``: the terminal chat on the instance's database."""
    with database(args.database) as db:
        data_dir = data_directory()
        print(f"database {shown_url(db)}")
        app = Konsilo(db, load_secret(data_dir), Clock())
        return run_console(ConsoleChat(app, data_dir), args.as_name)


def demo(args: argparse.Namespace) -> int:
    """``konsilo demo``: the scripted cycle, on a fresh database unless one is named.

    The default database lives in a temporary directory removed afterwards, so
    every run starts clean; ``--database PATH`` keeps it for ``konsilo console``.
    """
    if args.database:
        return play_demo(args.database, data_directory())
    with tempfile.TemporaryDirectory(prefix="konsilo-demo-") as scratch:
        return play_demo(f"sqlite:///{Path(scratch) / 'konsilo.db'}", Path(scratch))


def play_demo(url: str, data_dir: Path) -> int:
    """Play the demo; the files it writes (charts) stay in the data directory."""
    with database(url) as db:
        app = Konsilo(db, load_secret(data_dir), FixedClock(START))
        chat = ConsoleChat(app, data_dir, hold_private=False, files=data_directory())
        try:
            return run_demo(chat, sys.stdout)
        except DemoFailed as failure:
            print(f"demo failed: {failure}", file=sys.stderr)
            return 1


def run(args: argparse.Namespace) -> int:
    """``konsilo run``: the Telegram bot when ``KONSILO_TELEGRAM_TOKEN`` is set, else the
    console in a terminal."""
    if token := os.environ.get(TELEGRAM_TOKEN, "").strip():
        return run_telegram(args, token, os.environ.get(TELEGRAM_BASE_URL, "").strip() or None)
    if sys.stdin.isatty():
        print("No chat platform is configured: starting the console.")
        return console(args)
    with database(args.database):
        pass
    print(
        "konsilo run: no chat platform is configured, and stdin is not a terminal for the "
        f"console. Set {TELEGRAM_TOKEN} to run the Telegram bot (see docs/telegram.md). "
        f"The Matrix transport of a later release will read "
        f"{', '.join(TRANSPORT_ENV['Matrix'])}. Or use `konsilo console` in a terminal, "
        "or `konsilo demo`.",
        file=sys.stderr,
    )
    return NO_TRANSPORT


def run_telegram(args: argparse.Namespace, token: str, base_url: str | None) -> int:
    """The Telegram bot on the instance's database, long polling until stopped."""
    from bot.telegram import run as run_bot  # python-telegram-bot loads only when used

    with database(args.database) as db:
        print(f"database {shown_url(db)}")
        app = Konsilo(db, load_secret(data_directory()), Clock())
        return run_bot(app, token, base_url)


Handler = Callable[[argparse.Namespace], int]
Subcommands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
URL_HELP = "database URL or SQLite path (default: $KONSILO_DATABASE_URL, else the data directory)"


def subcommand(
    parent: Subcommands, name: str, handler: Handler, summary: str
) -> argparse.ArgumentParser:
    """A subcommand running ``handler``; every one takes ``--database``."""
    sub = parent.add_parser(name, help=summary, description=summary)
    sub.add_argument("--database", metavar="URL", help=URL_HELP)
    sub.set_defaults(func=handler)
    return sub


def group(parent: Subcommands, name: str, summary: str) -> Subcommands:
    """A subcommand with actions of its own (``db upgrade``, ``audit verify``)."""
    sub = parent.add_parser(name, help=summary, description=summary)
    return sub.add_subparsers(dest=f"{name}_action", required=True, metavar="ACTION")


def parser() -> argparse.ArgumentParser:
    """The command line."""
    top = argparse.ArgumentParser(prog="konsilo", description=__doc__.splitlines()[0])
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    subcommand(
        group(commands, "db", "database maintenance"),
        "upgrade",
        db_upgrade,
        "bring the database to the newest schema",
    )
    verify_cmd = subcommand(
        group(commands, "audit", "the hash-chained audit log"),
        "verify",
        audit_verify,
        "check every entry of the audit log's hash chain",
    )
    verify_cmd.add_argument(
        "--head",
        type=parse_head,
        metavar="SEQ:HASH",
        help="a head published by /record; also detects deleted newest entries",
    )
    export_cmd = subcommand(
        commands, "export", export, "write an assembly's record (JSON) and tallies (CSV)"
    )
    export_cmd.add_argument("assembly_id", type=int, metavar="ASSEMBLY_ID")
    export_cmd.add_argument("--out", required=True, metavar="DIR", help="directory to write to")
    for name, handler, summary in (
        ("console", console, "chat with Konsilo in the terminal, as several members"),
        ("run", run, "start Konsilo: the Telegram bot with a token, else the console"),
    ):
        subcommand(commands, name, handler, summary).add_argument(
            "--as",
            dest="as_name",
            default="Ana",
            metavar="NAME",
            help="the member you start as in the console (default: Ana)",
        )
    subcommand(commands, "demo", demo, "run a scripted assembly cycle and print the transcript")
    return top


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``konsilo`` console script."""
    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    except SQLAlchemyError as error:
        print(f"konsilo: database error: {error}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
