"""Report-backs: every seat owes its home assembly a report on the statute's cadence.

Report ``k`` of a seat is due ``k * report.every_months`` months after the seat
started (the cadence is read again for each new report, so a changed statute
applies from the next one). An active seat always has one report row ahead of
it: the first is made when the seat starts, the next when one is posted or
falls due. The delegate posts the earliest report not yet posted; posting
announces it and opens a one-tap acceptance poll (a ``report`` motion).
Members ask questions on a posted report, and a question stays open until
the delegate answers it. A report past its due date is flagged once, in
public, with the way to start a recall, and "report missing: recall?" goes on
the agenda of the assembly's next convened sitting, if there is one.

Motion and agenda titles are stored text, not messages: the two this module
writes are rendered once in the assembly's own language (its ``language``
statute), as a secretary would write them.
"""

from __future__ import annotations

import calendar
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, select, update

from core import assemblies, due, outbox, people
from core.context import Tx
from core.delegates import report_reminders, seats
from core.due import next_due, when_due
from core.errors import Refusal
from core.i18n import render
from core.messages import N_, Msg, Reply
from core.motions import effects, lifecycle
from core.motions.model import Motion
from core.store.tables import agenda_items, delegates, report_questions, reports, sittings
from core.text import TEXT_LIMIT, TITLE_LIMIT, clean

# The template, in order: the section keys stored in ``reports.sections``, with labels.
SECTIONS = {
    "decisions": N_("Decisions taken"),
    "votes": N_("How I voted, and the mandate"),
    "info": N_("Information received"),
    "questions": N_("Open questions"),
    "needs": N_("What I need from you"),
}
SECTION_LIMIT = 500


def add_months(when: datetime, months: int) -> datetime:
    """``when`` moved by whole months, the day kept or cut to the month's last day."""
    year, index = divmod(when.month - 1 + months, 12)
    month = index + 1
    day = min(when.day, calendar.monthrange(when.year + year, month)[1])
    return when.replace(year=when.year + year, month=month, day=day)


def _day(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%d")


def _in_assembly_language(tx: Tx, assembly_id: int, msg: Msg) -> str:
    """A stored title written in the assembly's language (see the module's docstring)."""
    return render(msg, str(assemblies.statute(tx, assembly_id)["language"]))[:TITLE_LIMIT]


# --- the schedule -------------------------------------------------------------


def _latest(tx: Tx, seat_id: int) -> Any:
    return tx.conn.execute(
        select(reports).where(reports.c.delegate_id == seat_id).order_by(reports.c.period.desc())
    ).first()


def _add_period(tx: Tx, seat: seats.Seat, latest: Any) -> Any:
    """Owe the next report, due ``report.every_months`` after the last one."""
    every = int(assemblies.statute(tx, seat.assembly_id)["report.every_months"])
    period, months = 1, every
    if latest is not None:
        start, last = seat.started_at, latest.due_at
        period = latest.period + 1
        months = (last.year - start.year) * 12 + last.month - start.month + every
    due_at = add_months(seat.started_at, months)
    report_id = int(
        tx.conn.execute(
            insert(reports)
            .values(
                delegate_id=seat.id,
                assembly_id=seat.assembly_id,
                period=period,
                due_at=due_at,
            )
            .returning(reports.c.id)
        ).scalar_one()
    )
    report_reminders.plan(tx, seat.assembly_id, report_id, due_at)
    due.soon(tx, due_at)
    tx.audit(
        "report.owe",
        {"report": report_id, "delegate": seat.id, "period": period, "due": due_at.isoformat()},
        seat.assembly_id,
    )
    return _latest(tx, seat.id)


def schedule(tx: Tx, seat: seats.Seat) -> None:
    """Keep one report ahead of an active seat: not posted, and not yet due."""
    if not seat.is_active:
        return
    latest = _latest(tx, seat.id)
    while latest is None or latest.posted_at is not None or latest.due_at <= tx.now:
        latest = _add_period(tx, seat, latest)


seats.on_change(schedule)


# --- posting ------------------------------------------------------------------


def _own_seat(tx: Tx, assembly_id: int, person_id: int, delegate_id: int) -> seats.Seat:
    """The seat, if the actor holds it for this assembly; only its holder reports."""
    seat = seats.get(tx, delegate_id)
    if seat.assembly_id != assembly_id:
        raise Refusal("Delegate {id} reports to another assembly.", id=delegate_id)
    if seat.person_id != person_id:
        raise Refusal(
            "Only {name}, delegate {id}, can post this seat's report.",
            name=people.display_name(tx, seat.person_id),
            id=delegate_id,
        )
    if not seat.is_active:
        raise Refusal("Delegate {id} no longer holds a seat.", id=delegate_id)
    return seat


def _owed(tx: Tx, seat: seats.Seat) -> Any:
    """The earliest report of the seat not yet posted."""
    schedule(tx, seat)
    return tx.conn.execute(
        select(reports)
        .where(reports.c.delegate_id == seat.id, reports.c.posted_at.is_(None))
        .order_by(reports.c.period)
        .limit(1)
    ).first()


def template(tx: Tx, assembly_id: int, person_id: int, delegate_id: int) -> list[Reply]:
    """Tell the delegate which report is owed, when, and how to write it."""
    seat = _own_seat(tx, assembly_id, person_id, delegate_id)
    owed = _owed(tx, seat)
    lines = [
        Msg.of(
            N_("Your next report is due {date}. Send it as one message:"),
            date=_day(owed.due_at),
        ),
        Msg.of(N_("/report {id}"), id=seat.id),
    ]
    lines += [
        Msg.of(N_("{n} {section}"), n=n, section=Msg(label))
        for n, label in enumerate(SECTIONS.values(), 1)
    ]
    return [Reply(tuple(lines), private=True)]


def post(
    tx: Tx, assembly_id: int, person_id: int, delegate_id: int, sections: dict[str, str]
) -> list[Reply]:
    """Post the owed report: announce it and open its acceptance poll."""
    seat = _own_seat(tx, assembly_id, person_id, delegate_id)
    written = {
        key: clean(sections[key], SECTION_LIMIT, label)
        for key, label in SECTIONS.items()
        if key in sections
    }
    if not written:
        raise Refusal("The report is empty. Send /report {id} for the template.", id=delegate_id)
    owed = _owed(tx, seat)
    name = people.display_name(tx, seat.person_id)
    poll = lifecycle.propose(
        tx,
        assembly_id,
        person_id,
        "report",
        _in_assembly_language(
            tx,
            assembly_id,
            Msg.of(N_("Did {name}'s report {id} tell you what you needed?"), name=name, id=owed.id),
        ),
        method="yesno",
        payload={"report": owed.id, "delegate": seat.id},
        draft=True,
    )
    tx.conn.execute(
        update(reports)
        .where(reports.c.id == owed.id)
        .values(posted_at=tx.now, sections=written, poll_id=poll.id)
    )
    tx.audit(
        "report.post",
        {"report": owed.id, "delegate": seat.id, "period": owed.period, "sections": written},
        assembly_id,
        person_id,
    )
    outbox.announce(tx, assembly_id, *_report_lines(owed.id, name, seat.id, written))
    lifecycle.open_motion(tx, poll, person_id, None)
    schedule(tx, seat)
    return [
        Reply(
            (
                Msg.of(
                    N_("Report {id} is posted, with its acceptance poll (motion {poll})."),
                    id=owed.id,
                    poll=poll.id,
                ),
            )
        )
    ]


def _report_lines(report_id: int, name: str, seat_id: int, written: dict[str, str]) -> list[Msg]:
    """A posted report as members read it: one line per section, then how to ask."""
    lines = [
        Msg.of(
            N_("Report {id} from {name}, delegate {seat}:"), id=report_id, name=name, seat=seat_id
        )
    ]
    lines += [
        Msg.of(N_("{n}. {section}: {text}"), n=n, section=Msg(label), text=written.get(key, "—"))
        for n, (key, label) in enumerate(SECTIONS.items(), 1)
    ]
    lines.append(Msg.of(N_("Ask a question: /ask {id} <question>"), id=report_id))
    return lines


@effects.on_passed("report")
def _accepted(tx: Tx, motion: Motion) -> list[Msg]:
    """Say the report is accepted."""
    return [Msg.of(N_("Report {id} is accepted."), id=int(motion.payload["report"]))]


@effects.on_not_passed("report")
def _not_accepted(tx: Tx, motion: Motion) -> list[Msg]:
    """Say what members can do about a report that did not tell them enough."""
    return [
        Msg.of(
            N_("Report {id} is not accepted. Ask: /ask {id} <question>. Recall: /recall {seat}"),
            id=int(motion.payload["report"]),
            seat=int(motion.payload["delegate"]),
        )
    ]


# --- reading ------------------------------------------------------------------


def _report(tx: Tx, assembly_id: int, report_id: int) -> Any:
    """A posted report of this assembly, or a refusal saying why not."""
    row = tx.conn.execute(
        select(reports).where(reports.c.id == report_id, reports.c.assembly_id == assembly_id)
    ).first()
    if row is None:
        raise Refusal("There is no report {id}.", id=report_id)
    if row.posted_at is None:
        raise Refusal(
            "Report {id} is not posted yet (due {date}).", id=report_id, date=_day(row.due_at)
        )
    return row


def _open_count(tx: Tx, report_id: int) -> int:
    return int(
        tx.conn.execute(
            select(func.count())
            .select_from(report_questions)
            .where(report_questions.c.report_id == report_id, report_questions.c.answer.is_(None))
        ).scalar_one()
    )


def show(tx: Tx, assembly_id: int, report_id: int) -> list[Reply]:
    """One posted report in full, with its open questions and its poll."""
    row = _report(tx, assembly_id, report_id)
    seat = seats.get(tx, row.delegate_id)
    lines = _report_lines(row.id, people.display_name(tx, seat.person_id), seat.id, row.sections)
    lines.append(
        Msg.of(
            N_("Posted {date}; {open} open questions: /questions {id}; poll: motion {poll}"),
            date=_day(row.posted_at),
            open=_open_count(tx, row.id),
            id=row.id,
            poll=row.poll_id,
        )
    )
    return [Reply(tuple(lines))]


def listing(tx: Tx, assembly_id: int) -> list[Reply]:
    """Each delegate's last report and the next one owed (or overdue)."""
    held = seats.active(tx, assembly_id)
    if not held:
        return [Reply((Msg.of(N_("No delegate holds a seat for this assembly.")),))]
    lines: list[Msg] = []
    for seat in held:
        lines += _seat_lines(tx, seat)
    return [Reply(tuple(lines))]


def _seat_lines(tx: Tx, seat: seats.Seat) -> list[Msg]:
    name = people.display_name(tx, seat.person_id)
    owed = _owed(tx, seat)
    key = (
        N_("{name}, delegate {seat}: a report is overdue since {date}.")
        if owed.due_at <= tx.now
        else N_("{name}, delegate {seat}: next report due {date}.")
    )
    lines = [Msg(key, {"name": name, "seat": seat.id, "date": _day(owed.due_at)})]
    last = tx.conn.execute(
        select(reports)
        .where(reports.c.delegate_id == seat.id, reports.c.posted_at.is_not(None))
        .order_by(reports.c.posted_at.desc(), reports.c.id.desc())
        .limit(1)
    ).first()
    if last is not None:
        lines.append(
            Msg.of(
                N_("   Last: report {id}, posted {date}, {open} open questions: /reports {id}"),
                id=last.id,
                date=_day(last.posted_at),
                open=_open_count(tx, last.id),
            )
        )
    return lines


# --- questions ----------------------------------------------------------------


def ask(tx: Tx, assembly_id: int, person_id: int, report_id: int, text: str) -> list[Reply]:
    """A member's question on a posted report; it stays open until answered."""
    assemblies.require_member(tx, assembly_id, person_id)
    row = _report(tx, assembly_id, report_id)
    question = clean(text, TEXT_LIMIT, N_("question"))
    question_id = int(
        tx.conn.execute(
            insert(report_questions)
            .values(report_id=row.id, asker_id=person_id, text=question, asked_at=tx.now)
            .returning(report_questions.c.id)
        ).scalar_one()
    )
    tx.audit(
        "report.ask",
        {"report": row.id, "question": question_id, "text": question},
        assembly_id,
        person_id,
    )
    delegate = people.display_name(tx, seats.get(tx, row.delegate_id).person_id)
    outbox.announce(
        tx,
        assembly_id,
        Msg.of(
            N_("Question {id} to {delegate} on report {report}, from {name}: {text}"),
            id=question_id,
            delegate=delegate,
            report=row.id,
            name=people.display_name(tx, person_id),
            text=question,
        ),
        Msg.of(N_("Answer: /answer {id} <text>"), id=question_id),
    )
    return [
        Reply(
            (
                Msg.of(
                    N_("Question {id} stays open until {delegate} answers."),
                    id=question_id,
                    delegate=delegate,
                ),
            )
        )
    ]


def answer(tx: Tx, assembly_id: int, person_id: int, question_id: int, text: str) -> list[Reply]:
    """The delegate who posted the report answers a question on it, once."""
    row = tx.conn.execute(
        select(report_questions, reports.c.delegate_id)
        .join(reports, reports.c.id == report_questions.c.report_id)
        .where(report_questions.c.id == question_id, reports.c.assembly_id == assembly_id)
    ).first()
    if row is None:
        raise Refusal("There is no question {id}.", id=question_id)
    seat = seats.get(tx, row.delegate_id)
    name = people.display_name(tx, seat.person_id)
    if seat.person_id != person_id:
        raise Refusal(
            "Only {name}, who posted the report, can answer question {id}.",
            name=name,
            id=question_id,
        )
    if row.answer is not None:
        raise Refusal("Question {id} is already answered.", id=question_id)
    reply = clean(text, TEXT_LIMIT, N_("answer"))
    tx.conn.execute(
        update(report_questions)
        .where(report_questions.c.id == question_id)
        .values(answer=reply, answered_at=tx.now)
    )
    tx.audit(
        "report.answer",
        {"report": row.report_id, "question": question_id, "text": reply},
        assembly_id,
        person_id,
    )
    outbox.announce(
        tx,
        assembly_id,
        Msg.of(
            N_("{name} answers question {id} ({asker}: {question}): {text}"),
            name=name,
            id=question_id,
            asker=people.display_name(tx, row.asker_id),
            question=row.text,
            text=reply,
        ),
    )
    return [Reply((Msg.of(N_("Question {id} is answered."), id=question_id),))]


def questions(tx: Tx, assembly_id: int, report_id: int) -> list[Reply]:
    """The questions on a report, the open ones marked, each answer below its question."""
    row = _report(tx, assembly_id, report_id)
    asked = list(
        tx.conn.execute(
            select(report_questions)
            .where(report_questions.c.report_id == row.id)
            .order_by(report_questions.c.id)
        )
    )
    if not asked:
        return [
            Reply(
                (
                    Msg.of(
                        N_("No questions on report {id} yet. Ask: /ask {id} <question>"), id=row.id
                    ),
                )
            )
        ]
    seat = seats.get(tx, row.delegate_id)
    names = people.names(tx, [q.asker_id for q in asked] + [seat.person_id])
    still_open = sum(1 for q in asked if q.answer is None)
    lines = [
        Msg.of(
            N_("Report {id}: {n} questions, {open} open."), id=row.id, n=len(asked), open=still_open
        )
    ]
    for q in asked:
        asker = names.get(q.asker_id, "?")
        if q.answer is None:
            lines.append(
                Msg.of(N_("{id}. {name}: {text} (open)"), id=q.id, name=asker, text=q.text)
            )
            continue
        lines.append(Msg.of(N_("{id}. {name}: {text}"), id=q.id, name=asker, text=q.text))
        lines.append(
            Msg.of(N_("   {name}: {text}"), name=names.get(seat.person_id, "?"), text=q.answer)
        )
    return [Reply(tuple(lines))]


# --- falling due --------------------------------------------------------------


@when_due
def owe_and_flag(tx: Tx) -> None:
    """Flag each report that fell due unposted (once), and owe its seat the next one.

    A seat always owes one report ahead (``schedule``, also on posting), so the
    reports falling due unposted are exactly the seats whose period ended. At most
    ``due.BATCH`` per run: a long catch-up runs in short transactions.
    """
    overdue = tx.conn.execute(
        select(reports)
        .join(delegates, delegates.c.id == reports.c.delegate_id)
        .where(
            delegates.c.status == seats.ACTIVE,
            reports.c.posted_at.is_(None),
            reports.c.flagged_at.is_(None),
            reports.c.due_at <= tx.now,
        )
        .order_by(reports.c.due_at, reports.c.id)
        .limit(due.BATCH)
    )
    for row in list(overdue):
        schedule(tx, seats.get(tx, row.delegate_id))
        _flag(tx, row)


@next_due
def next_report_due(tx: Tx) -> datetime | None:
    """When the next report owed by an active seat falls due (not posted, not flagged)."""
    at: datetime | None = tx.conn.execute(
        select(func.min(reports.c.due_at))
        .join(delegates, delegates.c.id == reports.c.delegate_id)
        .where(
            delegates.c.status == seats.ACTIVE,
            reports.c.posted_at.is_(None),
            reports.c.flagged_at.is_(None),
        )
    ).scalar()
    return at


def _flag(tx: Tx, row: Any) -> None:
    """Say in public that a report is missing, and put the recall question on the agenda."""
    seat = seats.get(tx, row.delegate_id)
    name = people.display_name(tx, seat.person_id)
    tx.conn.execute(update(reports).where(reports.c.id == row.id).values(flagged_at=tx.now))
    tx.audit(
        "report.overdue",
        {"report": row.id, "delegate": seat.id, "due": row.due_at.isoformat()},
        seat.assembly_id,
    )
    lines = [
        Msg.of(
            N_("Report from {name} (delegate {seat}) is overdue since {date}."),
            name=name,
            seat=seat.id,
            date=_day(row.due_at),
        )
    ]
    sitting_id = _next_sitting(tx, seat.assembly_id)
    if sitting_id is not None:
        title = Msg.of(
            N_("Report missing: recall {name}? (/recall {seat})"), name=name, seat=seat.id
        )
        _put_on_agenda(
            tx, seat.assembly_id, sitting_id, _in_assembly_language(tx, seat.assembly_id, title)
        )
        lines.append(
            Msg.of(N_("On the agenda of sitting {id}: report missing, recall?"), id=sitting_id)
        )
    lines.append(Msg.of(N_("Any member can start a recall: /recall {seat}"), seat=seat.id))
    outbox.announce(tx, seat.assembly_id, *lines)


def _next_sitting(tx: Tx, assembly_id: int) -> int | None:
    """The assembly's next convened sitting, if one is convened."""
    found = tx.conn.execute(
        select(sittings.c.id)
        .where(
            sittings.c.assembly_id == assembly_id,
            sittings.c.status == "convened",
            sittings.c.starts_at >= tx.now,
        )
        .order_by(sittings.c.starts_at, sittings.c.id)
        .limit(1)
    ).scalar()
    return None if found is None else int(found)


def _put_on_agenda(tx: Tx, assembly_id: int, sitting_id: int, title: str) -> None:
    """Add an item nobody typed (``sittings.add_item`` needs a member to add it)."""
    position = 1 + int(
        tx.conn.execute(
            select(func.count())
            .select_from(agenda_items)
            .where(agenda_items.c.sitting_id == sitting_id)
        ).scalar_one()
    )
    tx.conn.execute(
        insert(agenda_items).values(
            sitting_id=sitting_id, position=position, title=title, motion_id=None, added_by=None
        )
    )
    tx.audit("agenda.add", {"sitting": sitting_id, "title": title, "motion": None}, assembly_id)
