"""A scripted walk through an assembly's life, printed as its members read it.

``konsilo demo`` runs this script against the real engine on an empty
database with a clock that only moves when the script says so. Nothing is
faked: every line after a prompt is what the engine answered or announced.
Each key step names a text its output must contain, so a change in the
engine that breaks a step stops the demo with a clear message instead of
printing a misleading story.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TextIO

from sqlalchemy import Connection, func, select

from bot.console import GROUP, ConsoleChat
from bot.render import DEFAULT_WIDTH, format_shown, head
from core.audit import Chain, verify
from core.store.tables import persons

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
FOUNDER = "Ana"
JOINERS = ("Bo", "Cy", "Di", "Ed", "Flo", "Gus", "Hana")


@dataclass(frozen=True)
class Say:
    """A member types ``text`` in the group chat, or in their private chat.

    ``expect`` is a text the answer must contain for the story to go on.
    """

    name: str
    text: str
    private: bool = False
    expect: str = ""


@dataclass(frozen=True)
class Wait:
    """Time passes (voting windows close, notice runs)."""

    hours: int


@dataclass(frozen=True)
class Step:
    """One chapter of the story: a heading, a sentence of context, the actions."""

    heading: str
    note: str
    actions: tuple[Say | Wait, ...]


class DemoFailed(Exception):
    """The engine answered a step differently from what the script relies on."""


def _votes(motion: int, *pairs: tuple[str, str], private: bool = False) -> tuple[Say, ...]:
    return tuple(Say(name, f"/vote {motion} {choice}", private) for name, choice in pairs)


def script() -> list[Step]:
    """The story: found, admit, change rules, vote openly and secretly, dissent,
    petition, and read the record."""
    return [
        Step(
            "Ana founds the assembly; seven colleagues join",
            "Admission starts open: whoever joins is a member at once.",
            (
                Say(FOUNDER, "/found Print shop", expect="founded"),
                *(Say(name, "/join", expect="you are a member") for name in JOINERS),
                Say(FOUNDER, "/members", expect="8 members"),
            ),
        ),
        Step(
            "Admission by vouching, decided by vote",
            "Rules change only by a vote: by default two thirds of those voting, "
            "with half the members taking part.",
            (
                Say(FOUNDER, "/rules set admission vouch", expect="motion 1"),
                *_votes(1, ("Ana", "yes"), ("Bo", "yes"), ("Cy", "yes"), ("Di", "yes")),
                *_votes(1, ("Ed", "no"), ("Flo", "yes")),
                Wait(48),
                Say("Bo", "/close 1", expect="Rules version 2 is in force"),
            ),
        ),
        Step(
            "A ninth person asks to join",
            "Ivo is not a member yet, so he cannot put motions. Two members vouch for him.",
            (
                Say("Ivo", "/motion Free coffee for all", expect="Only members"),
                Say("Ivo", "/join", expect="2 members must vouch"),
                Say("Bo", "/vouch 1", expect="1 of 2"),
                Say("Cy", "/vouch 1", expect="Ivo is now a member"),
            ),
        ),
        Step(
            "A rule change: half the members must vote on a decision",
            "The default quorum for decisions is a quarter of the members.",
            (
                Say("Di", "/rules set quorum.decision 50%", expect="motion 2"),
                *_votes(2, ("Ana", "yes"), ("Bo", "yes"), ("Cy", "yes"), ("Di", "yes")),
                *_votes(2, ("Gus", "yes"), ("Ivo", "yes"), ("Hana", "abstain")),
                Wait(48),
                Say("Di", "/close 2", expect="Rules version 3 is in force"),
                Say("Ana", "/rules history", expect="quorum.decision"),
            ),
        ),
        Step(
            "An open vote: everyone sees who voted what",
            "Votes can be changed until the close. Only members vote; "
            "a vote after the close is refused.",
            (
                Say("Ed", "/motion Buy a second press", expect="Motion 3 is open"),
                Say("Zoe", "/vote 3 yes", expect="Only members"),
                *_votes(3, ("Ana", "yes"), ("Bo", "yes"), ("Cy", "no"), ("Di", "yes")),
                *_votes(3, ("Ed", "yes"), ("Flo", "no"), ("Gus", "no")),
                Say("Cy", "/vote 3 yes", expect="changed to yes"),
                Wait(48),
                Say("Ed", "/close 3", expect="Motion 3 passed"),
                Say("Gus", "/vote 3 yes", expect="closed"),
            ),
        ),
        Step(
            "A secret vote: rank three options (Schulze)",
            "Secret ballots are cast in each member's private chat with the bot. "
            "Each voter gets a receipt (it stays the same when they change their vote); "
            "the result lists every receipt with its ballot, so each voter can check "
            "theirs was counted as cast.",
            (
                Say(
                    "Hana",
                    "/motion schulze secret Summer plan | Fridays off | Short days | 2 weeks off",
                    expect="Motion 4 is open",
                ),
                Say("Bo", "/vote 4 3>1>2", expect="secret ballot"),
                *_votes(4, ("Ana", "1>3>2"), ("Bo", "3>1>2"), ("Cy", "1>2>3"), private=True),
                *_votes(4, ("Di", "1>3>2"), ("Ed", "3>1>2"), ("Flo", "2>1>3"), private=True),
                Say("Hana", "/vote 4 1>2>3", private=True),
                Say("Bo", "/vote 4 1>3>2", private=True, expect="Your earlier vote was replaced"),
                Wait(48),
                Say("Hana", "/close 4", expect="Receipts:"),
            ),
        ),
        Step(
            "A minority statement",
            "Flo voted against the second press; her dissent joins the record.",
            (
                Say(
                    "Flo",
                    "/dissent 3 Nobody is trained to run a second press.",
                    expect="attached",
                ),
            ),
        ),
        Step(
            "A petition convenes an extraordinary sitting",
            "Three signatures (or 10% of the members, whichever is more) convene "
            "a sitting; the petition's reason is its first agenda item.",
            (
                Say("Di", "/petition sitting Safety after last week's press jam", expect="1 of 3"),
                Say("Ed", "/sign 1", expect="2 of 3"),
                Say("Flo", "/sign 1", expect="Sitting 1 convened"),
                Say("Gus", "/agenda add Operator training plan", expect="Item 2"),
                Say("Ana", "/agenda", expect="Operator training plan"),
            ),
        ),
        Step(
            "The record",
            "Decisions with their results and dissent, ending with the audit log's "
            "head: members keep it in their chat as a witness against later edits.",
            (Say("Ana", "/record", expect="Audit head"),),
        ),
    ]


def require_empty(chat: ConsoleChat) -> None:
    """The script uses fixed motion and request numbers, so it needs an empty database."""

    def count(conn: Connection) -> tuple[int, int]:
        people = conn.execute(select(func.count()).select_from(persons)).scalar_one()
        return int(people), Chain.load(conn).seq

    people, entries = chat.app.db.transaction(count)
    if people or entries:
        raise DemoFailed(
            "the demo needs an empty database; run it without --database to use a fresh one"
        )


def run_demo(chat: ConsoleChat, out: TextIO, width: int = DEFAULT_WIDTH) -> int:
    """Play the script and print the transcript; returns the exit status."""
    require_empty(chat)

    def write(*lines: str) -> None:
        out.write("".join(f"{line}\n" for line in lines))
        out.flush()

    write(
        "Konsilo demo: a workplace assembly from its founding to its record.",
        f"Clock: {chat.app.clock.now():%Y-%m-%d %H:%M} UTC, moved only when the script "
        "lets time pass.",
        '"ana@group> ..." is what Ana typed in the group chat, "ana@dm> ..." in her',
        'private chat with the bot; "bot:" answers the member who typed;',
        '"[group]" is what everyone in the group chat sees.',
    )
    for number, step in enumerate(script(), 1):
        write("", f"== {number}. {step.heading} ==", *textwrap.wrap(step.note, width), "")
        for action in step.actions:
            lines = _perform(chat, action, width)
            write(*lines)
            _check(action, lines)
    write("", "== Anyone can check the audit log (konsilo audit verify) ==", "")
    write(*audit_report(chat))
    return 0


def _perform(chat: ConsoleChat, action: Say | Wait, width: int) -> list[str]:
    """The transcript of one action: the typed line and what came back, or the time."""
    if isinstance(action, Wait):
        now = chat.wait(action.hours)
        return [f"  ... {action.hours} hours pass: it is now {now:%Y-%m-%d %H:%M} UTC ..."]
    where = None if action.private else GROUP
    shown = chat.send(action.name, action.text, where)
    typed = f"{action.name.lower()}@{where or 'dm'}> {action.text}"
    return [typed, *(line for s in shown for line in format_shown(s, width))]


def _check(action: Say | Wait, lines: list[str]) -> None:
    """Stop when a step's answer lacks what the story relies on."""
    if isinstance(action, Say) and action.expect not in "\n".join(lines[1:]):
        raise DemoFailed(f"{action.name} typed {action.text!r}; the answer lacks {action.expect!r}")


def audit_report(chat: ConsoleChat) -> list[str]:
    verdict = chat.app.db.transaction(verify)
    if not verdict.ok:
        raise DemoFailed(f"audit log broken: {verdict.problem}")
    shown = head(verdict.head_seq, verdict.head_hash)
    return [
        f"audit log OK: {verdict.checked} entries, head {shown}",
        "",
        "To keep a demo and explore it: konsilo demo --database demo.db,",
        "then: konsilo console --database demo.db --as Ana",
        "demo complete",
    ]
