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
FEDERATION = "federation"  # the chat of the central assembly of delegates
BINDERY = "bindery"  # a second workplace's chat
# What the bindery can make next period, in the table's unit (million euros a year).
BINDERY_OFFER = "printing; now 100; capacity 110; expand new folding line: +30 with 20 machinery"
JOINERS = ("Bo", "Cy", "Di", "Ed", "Flo", "Gus", "Hana")


@dataclass(frozen=True)
class Say:
    """A member types ``text`` in the group chat, or in their private chat.

    ``expect`` is a text the answer must contain for the story to go on.
    """

    name: str
    text: str
    chat: str | bool = GROUP  # a group chat, or True for the private chat
    expect: str = ""

    @property
    def private(self) -> bool:
        return self.chat is True


@dataclass(frozen=True)
class Wait:
    """Time passes: what falls due happens (votes close, nominations end).

    ``expect`` is a text the announcements must contain for the story to go on.
    """

    hours: int
    expect: str = ""


@dataclass(frozen=True)
class Step:
    """One chapter of the story: a heading, a sentence of context, the actions."""

    heading: str
    note: str
    actions: tuple[Say | Wait, ...]


class DemoFailed(Exception):
    """The engine answered a step differently from what the script relies on."""


def _votes(motion: int, *pairs: tuple[str, str], private: bool = False) -> tuple[Say, ...]:
    where: str | bool = True if private else GROUP
    return tuple(Say(name, f"/vote {motion} {choice}", where) for name, choice in pairs)


def script() -> list[Step]:
    """The story: found, admit, change rules, vote openly and secretly, dissent,
    petition, federate, elect a delegate, give a mandate, vote in the centre
    against it, report back, recall, and read the record."""
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
                Wait(48, expect="Rules version 2 is in force"),
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
                Wait(48, expect="Rules version 3 is in force"),
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
                Wait(48, expect="Motion 3 passed"),
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
                Say("Hana", "/vote 4 1>2>3", True),
                Say("Bo", "/vote 4 1>3>2", True, expect="Your earlier vote was replaced"),
                Wait(48, expect="Receipts:"),
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
            "Print shops federate; the assembly joins by its own vote",
            "Gus founds a central assembly of delegates in another chat. It has no "
            "members of its own: only the delegates its member assemblies elect.",
            (
                Say("Gus", "/federation found Printers' federation", FEDERATION, "founded"),
                Say(FOUNDER, "/federation join 2", expect="motion 5"),
                *_votes(5, *((name, "yes") for name in ("Ana", "Bo", "Cy", "Di", "Ed", "Flo"))),
                Wait(48, expect="Motion 5 passed"),
            ),
        ),
        Step(
            "Electing a delegate (Scottish STV)",
            "Members stand or nominate each other, then rank the candidates in "
            "secret. The count follows the Scottish STV rules, stage by stage.",
            (
                Say(FOUNDER, "/elect to 2", expect="Election 6"),
                Say("Bo", "/nominate 6", expect="You stand"),
                Say("Cy", "/nominate 6", expect="You stand"),
                Say("Ana", "/nominate 6 Di", expect="Di"),
                Say("Di", "/accept 6", True),
                Say(FOUNDER, "/ballot 6", expect="open for voting"),
                *_votes(6, ("Ana", "1 3 2"), ("Bo", "1 2"), ("Cy", "2 1"), private=True),
                *_votes(6, ("Di", "3 1"), ("Ed", "1 3"), ("Flo", "2 3 1"), private=True),
                *_votes(6, ("Gus", "1"), ("Hana", "3 1 2"), private=True),
                Wait(48, expect="Bo is delegate 1"),
            ),
        ),
        Step(
            "A mandate, decided by the assembly",
            "Bo is released from work four hours a week for the federation; "
            "everyone can see each delegate's mandate.",
            (
                Say("Cy", "/mandate 1 release 4", expect="motion 7"),
                *_votes(7, ("Ana", "yes"), ("Cy", "yes"), ("Di", "yes"), ("Ed", "yes")),
                Wait(48, expect="Motion 7 passed"),
                Say("Ed", "/delegates", expect="4"),
            ),
        ),
        Step(
            "A central vote, against the mandate",
            "The assembly instructs its delegate (binding); the delegate votes by name in "
            "the centre, and his assembly sees at once that he went against it.",
            (
                Say("Bo", "/motion 168h Buy paper together", FEDERATION, "Motion 8 is open"),
                Say(FOUNDER, "/instruct 8 yes binding", expect="motion 9"),
                *_votes(9, ("Ana", "yes"), ("Cy", "yes"), ("Di", "yes"), ("Flo", "yes")),
                Wait(48, expect="Motion 9 passed"),
                Say("Bo", "/vote 8 no", FEDERATION, "against your binding instruction"),
            ),
        ),
        Step(
            "The monthly report-back, and a question",
            "The delegate reports in five short sections; members ask, he answers, "
            "and a one-tap poll asks whether the report told them what they needed.",
            (
                Say(
                    "Bo",
                    "/report 1\n1 The centre is voting on buying paper together\n"
                    "2 I voted no, against your instruction: the price is too high\n"
                    "3 Paper prices rise 8% in May\n4 Buy for six months or for one?\n"
                    "5 Your view on the price by Friday",
                    expect="Report 1",
                ),
                Say("Cy", "/ask 1 Why vote against what we decided?", expect="Question 1"),
                Say("Bo", "/answer 1 I judged the price too high. I should have asked you."),
                *_votes(10, ("Ana", "no"), ("Cy", "no"), ("Di", "yes"), ("Gus", "no")),
            ),
        ),
        Step(
            "Instant recall",
            "Any member can start a recall; three co-signers open the vote. The moment "
            "it passes the seat is gone, vote in the centre included, and a new "
            "election opens by itself.",
            (
                Say("Cy", "/recall 1 He voted against our binding instruction", expect="1 of 3"),
                Say("Di", "/sign 2", expect="2 of 3"),
                Say("Ed", "/sign 2", expect="Motion 11"),
                *_votes(11, ("Ana", "yes"), ("Cy", "yes"), ("Di", "yes"), private=True),
                *_votes(11, ("Ed", "yes"), ("Flo", "yes"), ("Bo", "no"), private=True),
                Wait(48, expect="recalled"),
                Say("Bo", "/vote 8 yes", FEDERATION, "Only"),
            ),
        ),
        Step(
            "A new delegate, a calendar of sittings, and a missing report",
            "Nobody has to remember dates: the assembly sets when ordinary sittings "
            "recur, in plain words. The bot posts each agenda a day and an hour "
            "before, reminds the delegate before a report is due, and says so when "
            "it is missing. Members who have not voted get one private reminder, "
            "outside quiet hours (22:00-07:00); votes close by themselves.",
            (
                Say("Di", "/nominate 12", expect="You stand"),
                Wait(48, expect="Voting closes"),
                *_votes(12, ("Ana", "1"), ("Cy", "1"), ("Di", "1"), private=True),
                *_votes(12, ("Ed", "1"), ("Flo", "1"), private=True),
                Wait(48, expect="Di is delegate 2"),
                Say(FOUNDER, "/rules set sitting.rule first Monday of the month at 17:30"),
                *_votes(13, ("Ana", "yes"), ("Cy", "yes"), ("Di", "yes"), ("Ed", "yes")),
                *_votes(13, ("Flo", "yes"), ("Gus", "yes")),
                Wait(48, expect="Ordinary sittings: The 1st Monday of each month at 17:30"),
                Wait(24 * 32, expect="Report from Di (delegate 2) is overdue"),
                Say("Cy", "/agenda", expect="Report missing: recall Di?"),
            ),
        ),
        Step(
            "The record",
            "Decisions with their results and dissent, ending with the audit log's "
            "head: members keep it in their chat as a witness against later edits.",
            (Say("Ana", "/record", expect="Audit head"),),
        ),
        Step(
            "A second workplace joins the federation",
            "The bindery across the street founds its own assembly and joins the "
            "federation by its own vote.",
            (
                Say("Jan", "/found Bindery", BINDERY, "founded"),
                Say("Kai", "/join", BINDERY, "you are a member"),
                Say("Lu", "/join", BINDERY, "you are a member"),
                Say("Jan", "/federation join 2", BINDERY, "motion 14"),
                *(Say(name, "/vote 14 yes", BINDERY) for name in ("Jan", "Kai", "Lu")),
                Wait(48, expect="Motion 14 passed"),
            ),
        ),
        Step(
            "The plan factory: variants from the Spanish tables",
            "The federation plans from INE's 2019 Spanish tables (shipped with Konsilo). "
            "The print shop says by vote which sector it is; members propose in plain "
            "words; the bindery's assembly offers what it can make and an expansion; a "
            "delegate asks for the variants. The factory ranks none and drops none: five "
            "default variants span investment and hours, every proposal is one more, and "
            "one is built from the offers. Each summary fits a phone, opening with the "
            "reader's own workplace; 'why' compares two; charts are PNGs.",
            (
                Say(FOUNDER, "/rules set plan.sector printing", expect="motion 15"),
                *_votes(15, ("Ana", "yes"), ("Bo", "yes"), ("Cy", "yes"), ("Di", "yes")),
                *_votes(15, ("Ed", "yes"), ("Flo", "yes")),
                Wait(48, expect="plan.sector"),
                Say("Cy", "/plan propose +20% education", expect="Proposal 1 noted"),
                Say("Kai", "/plan propose 35 hours", BINDERY, "Proposal 2 noted"),
                Say("Jan", f"/plan offer {BINDERY_OFFER}", BINDERY, "motion 16"),
                *(Say(name, "/vote 16 yes", BINDERY) for name in ("Jan", "Kai", "Lu")),
                Wait(48, expect="This is now the workplace's offer"),
                Say("Di", "/plan compute Plan 2027", FEDERATION, "8 variants computed"),
                Say("Ana", "/plan 1", expect="Printing and recording"),
                Say("Ed", "/plan why 1 A C", expect="nvestment"),
                Say("Flo", "/plan chart 1", expect="plan-1-consumption.png"),
            ),
        ),
        Step(
            "A plan vote across two assemblies",
            "A delegate puts the set to every member of every assembly at once; they "
            "rank the variants in their own chats, and all ballots are counted "
            "together, each person once.",
            (
                Say("Di", "/plan vote 1", FEDERATION, "open in 2 assemblies"),
                *_votes(17, ("Ana", "2>7>1"), ("Bo", "7>2"), ("Cy", "6>2>7"), ("Di", "2>8")),
                *_votes(17, ("Ed", "7>2>1"), ("Flo", "2>3")),
                *(Say(n, f"/vote 18 {c}", BINDERY) for n, c in (("Jan", "8>2"), ("Kai", "7>8"))),
                Say("Lu", "/vote 18 8>7>2", BINDERY),
                Wait(48, expect="Chosen:"),
            ),
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
        lines = [f"  ... {action.hours} hours pass ..."]
        for at, shown in chat.wait(action.hours, None):
            lines.append(f"  ({at:%Y-%m-%d %H:%M} UTC)")
            lines += [line for s in shown for line in format_shown(s, width)]
        return [*lines, f"  ... it is now {chat.app.clock.now():%Y-%m-%d %H:%M} UTC ..."]
    where = None if action.chat is True else str(action.chat)
    shown = chat.send(action.name, action.text, where)
    typed = f"{action.name.lower()}@{where or 'dm'}> {action.text}"
    return [typed, *(line for s in shown for line in format_shown(s, width))]


def _check(action: Say | Wait, lines: list[str]) -> None:
    """Stop when a step's answer lacks what the story relies on."""
    if action.expect in "\n".join(lines[1:]):
        return
    if isinstance(action, Wait):
        raise DemoFailed(f"after {action.hours} hours, the chat lacks {action.expect!r}")
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
