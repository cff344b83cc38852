"""A terminal chat with Konsilo: one person plays every member of a local assembly.

Lines starting with ``:`` steer the console (``:as NAME``, ``:dm``, ``:group``,
``:wait HOURS``, ``:who``, ``:help``, ``:quit``); every other line goes to the
engine as the current member, in the current chat. After each line the console
prints the replies, then drains the outbox of the ``console`` platform:
announcements to a group chat are printed at once, tagged ``[group]``, since
everyone in that chat sees them. A private message is printed when its reader
is the current member; messages to other members stay in the outbox until you
switch to them with ``:as``, as they would wait in that member's private chat.
"""

from __future__ import annotations

import re
import secrets
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TextIO

from sqlalchemy import Connection, select

from bot.render import (
    BOT,
    FILE,
    PRIVATE,
    Shown,
    dm_tag,
    format_shown,
    group_tag,
    rendered,
    terminal_width,
)
from core import assemblies, people
from core.app import Konsilo
from core.context import Actor, Place, Tx
from core.i18n import DEFAULT_LANGUAGE
from core.messages import Attachment, Reply
from core.outbox import Pending, mark_sent, pending
from core.store.tables import identities

PLATFORM = "console"
GROUP = "group"
OUTBOX_BATCH = 10_000  # held private messages stay pending, so read past them
NAME = re.compile(r"^\w[\w.'-]{0,31}$")
MAX_WAIT_HOURS = 24 * 366

HELP = """\
Console commands (any other line goes to Konsilo as the current member):
  :as NAME        act as NAME (a new person on first use; then /join)
  :dm             your private chat with the bot (secret votes go here)
  :group [CHAT]   back to the group chat (default: group)
  :wait HOURS     let time pass: what falls due happens, e.g. votes close
  :who            who you are, and everyone the console knows
  :help           this list (/help lists Konsilo's commands)
  :quit           leave (Ctrl-D too)
What you see: "bot:" answers you where you typed; "bot (private):" only
you see; "[group]" is what everyone in the group chat sees; "[dm to NAME]"
is a private message, shown when you act as NAME (it waits until then)."""


@dataclass
class ConsoleChat:
    """Members of the ``console`` platform talking to the engine.

    ``hold_private`` keeps private messages to members other than the one
    typing in the outbox (the interactive console); without it every private
    message is shown at once (the demo).
    """

    app: Konsilo
    data_dir: Path
    hold_private: bool = True
    files: Path | None = None  # where files replies carry are written (else ``data_dir``)
    platform: str = PLATFORM
    session: str = field(default_factory=lambda: secrets.token_hex(4))
    events: int = 0

    def place(self, name: str, chat: str | None) -> Place:
        """The group chat ``chat``, or ``name``'s private chat with the bot when None."""
        if chat is None:
            return Place(self.platform, f"dm-{name.lower()}", private=True)
        return Place(self.platform, chat)

    def send(self, name: str, text: str, chat: str | None) -> list[Shown]:
        """``name`` types ``text`` in ``chat``; returns what the terminal shows.

        Whatever fell due in real time since the last line happens first. The
        event key carries a per-session token, so a counter restarted on an
        existing database is never mistaken for a redelivered event.
        """
        self.app.run_due()  # the console has no clock of its own: catch up first
        self.events += 1
        key = f"{self.platform}-{self.session}-{self.events}"
        actor = Actor(self.platform, name.lower(), name)
        answer = self.app.handle_now(actor, self.place(name, chat), text, key)
        shown = [s for r in answer.replies for s in self.reply(r, answer.language, chat is None)]
        return shown + self.deliver(name if self.hold_private else None)

    def reply(self, reply: Reply, language: str, in_private: bool) -> list[Shown]:
        """A reply to the typist; a private one typed in the group goes to their DM."""
        tag = PRIVATE if reply.private and not in_private else BOT
        shown = [Shown(tag, rendered(reply.lines, language))]
        if reply.attachment is not None:
            shown.append(Shown(FILE, (str(self.save(reply.attachment)),)))
        return shown

    def save(self, attachment: Attachment) -> Path:
        """Write a file a reply carries into the data directory (the console's 'download')."""
        folder = self.files or self.data_dir
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / Path(attachment.filename).name
        path.write_bytes(attachment.content)
        return path

    def deliver(self, reader: str | None) -> list[Shown]:
        """Drain the outbox: group announcements, and private messages to ``reader``.

        ``reader`` None delivers everyone's private messages.
        """
        return self.app.db.transaction(lambda conn: self._deliver(conn, reader))

    def _deliver(self, conn: Connection, reader: str | None) -> list[Shown]:
        tx = Tx(conn, self.app.clock.now(), self.app.secret)
        reader_id = (
            None if reader is None else people.find_person(tx, self.platform, reader.lower())
        )
        shown: list[Shown] = []
        sent: list[int] = []
        for row in pending(conn, self.platform, OUTBOX_BATCH):
            if row.chat_id is None and reader is not None and row.person_id != reader_id:
                continue
            shown.append(self._show(tx, row))
            sent.append(row.id)
        mark_sent(conn, sent, tx.now)
        return shown

    def _show(self, tx: Tx, row: Pending) -> Shown:
        """An outbox row in its reader's language: the assembly's, or the person's."""
        if row.chat_id is not None:
            found = assemblies.at_place(tx, Place(self.platform, row.chat_id))
            language = (
                str(assemblies.statute(tx, found.id)["language"]) if found else DEFAULT_LANGUAGE
            )
            return Shown(group_tag(row.chat_id), rendered(row.lines, language))
        person = int(row.person_id or 0)
        language = people.language_of(tx, person) or DEFAULT_LANGUAGE
        return Shown(dm_tag(people.display_name(tx, person)), rendered(row.lines, language))

    def wait(self, hours: float, reader: str | None) -> list[tuple[datetime, list[Shown]]]:
        """Move the engine's clock forward, letting each thing happen at its time
        (reminders, motions closing, reports falling overdue); returns what was
        delivered to ``reader`` (None: everyone), with the time it was said."""
        said: list[tuple[datetime, list[Shown]]] = []

        def deliver(now: datetime) -> None:
            if shown := self.deliver(reader):
                said.append((now, shown))

        self.app.pass_time(timedelta(hours=hours), deliver)
        return said

    def known(self) -> list[tuple[str, int]]:
        """Everyone who has typed on this platform, with their waiting private messages."""
        return self.app.db.transaction(self._known)

    def _known(self, conn: Connection) -> list[tuple[str, int]]:
        rows = conn.execute(
            select(identities.c.display_name, identities.c.person_id)
            .where(identities.c.platform == self.platform)
            .order_by(identities.c.created_at, identities.c.person_id)
        ).all()
        waiting = [p.person_id for p in pending(conn, self.platform, OUTBOX_BATCH)]
        return [(row.display_name, waiting.count(row.person_id)) for row in rows]


@dataclass
class Console:
    """The interactive session: who you are, where you type, how wide to print."""

    chat: ConsoleChat
    name: str
    where: str | None = GROUP  # a group chat id, or None for the private chat
    width: int = field(default_factory=terminal_width)

    def prompt(self) -> str:
        return f"{self.name.lower()}@{self.where or 'dm'}> "

    def handle(self, line: str) -> list[str] | None:
        """Output for one typed line; None means quit."""
        text = line.strip()
        if not text:
            return []
        if text.startswith(":"):
            word, _, arg = text[1:].partition(" ")
            meta = META.get(word.lower())
            if meta is None:
                return [f"  Unknown console command :{word}. :help lists them."]
            return meta(self, arg.strip())
        try:
            shown = self.chat.send(self.name, text, self.where)
        except Exception as error:  # a bug must not end the session; show it, carry on
            first = (str(error).splitlines() or [""])[0]
            return [f"  internal error: {type(error).__name__}: {first}"]
        if not shown and not text.startswith(("/", "!")):
            return ["  (chat message; Konsilo answers commands that start with /)"]
        return self.show(shown)

    def show(self, shown: list[Shown]) -> list[str]:
        return [line for s in shown for line in format_shown(s, self.width)]

    def welcome(self) -> list[str]:
        """The banner, then whatever waited in the outbox for the group and for you."""
        intro = [
            f"Konsilo console: you are {self.name}, in the group chat.",
            "Type /help for Konsilo's commands, :help for the console's.",
        ]
        return intro + self.show(self.chat.deliver(self.name))

    def act_as(self, arg: str) -> list[str] | None:
        if not NAME.match(arg):
            return ["  Usage: :as NAME (one word, e.g. :as Bo)"]
        self.name = arg
        place = "your private chat" if self.where is None else f"the {self.where} chat"
        return [f"  You are now {arg}, in {place}.", *self.show(self.chat.deliver(arg))]

    def to_dm(self, arg: str) -> list[str] | None:
        self.where = None
        return ["  Private chat with the bot: only you see what you type here."]

    def to_group(self, arg: str) -> list[str] | None:
        chat = arg or GROUP
        if not NAME.match(chat):
            return ["  Usage: :group [CHAT] (one word)"]
        self.where = chat
        return [f"  The {chat} chat: everyone in it sees what you type."]

    def wait(self, arg: str) -> list[str] | None:
        try:
            hours = float(arg)
        except ValueError:
            hours = 0
        if not 0 < hours <= MAX_WAIT_HOURS:
            return ["  Usage: :wait HOURS (e.g. :wait 48)"]
        said = self.chat.wait(hours, self.name)
        lines = []
        for at, shown in said:
            lines += [f"  ({at:%Y-%m-%d %H:%M} UTC)", *self.show(shown)]
        now = self.chat.app.clock.now()
        return [*lines, f"  ... {arg} hours passed: it is now {now:%Y-%m-%d %H:%M} UTC."]

    def who(self, arg: str) -> list[str] | None:
        place = "your private chat" if self.where is None else f"the {self.where} chat"
        lines = [f"  You are {self.name}, in {place}."]
        for name, waiting in self.chat.known():
            note = f" ({waiting} private message(s) waiting)" if waiting else ""
            lines.append(f"  - {name}{note}")
        return lines

    def help(self, arg: str) -> list[str] | None:
        return [f"  {line}" for line in HELP.splitlines()]

    def quit(self, arg: str) -> list[str] | None:
        return None


META: dict[str, Callable[[Console, str], list[str] | None]] = {
    "as": Console.act_as,
    "dm": Console.to_dm,
    "group": Console.to_group,
    "wait": Console.wait,
    "who": Console.who,
    "help": Console.help,
    "quit": Console.quit,
    "q": Console.quit,
    "exit": Console.quit,
}


def read_line(prompt: str, stdin: TextIO, stdout: TextIO) -> str | None:
    """One typed line, or None at end of input.

    The real terminal goes through ``input()`` (line editing). Piped or injected
    input is echoed after the prompt so the output reads like a chat log.
    """
    if stdin is sys.stdin and stdout is sys.stdout:
        try:
            line = input(prompt)
        except EOFError:
            stdout.write("\n")
            return None
        if not stdin.isatty():
            stdout.write(line + "\n")
        return line
    stdout.write(prompt)
    raw = stdin.readline()
    if not raw:
        stdout.write("\n")
        return None
    stdout.write(raw if raw.endswith("\n") else raw + "\n")
    return raw.rstrip("\r\n")


def run_console(
    chat: ConsoleChat,
    name: str,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    width: int | None = None,
) -> int:
    """The read-answer loop until ``:quit`` or end of input; returns the exit status."""
    source, out = stdin or sys.stdin, stdout or sys.stdout
    console = Console(chat, name, width=width or terminal_width())
    lines: list[str] | None = console.welcome()
    try:
        while lines is not None:
            out.write("".join(f"{line}\n" for line in lines))
            out.flush()
            typed = read_line(console.prompt(), source, out)
            lines = None if typed is None else console.handle(typed)
    except KeyboardInterrupt:
        out.write("\n")
    return 0
