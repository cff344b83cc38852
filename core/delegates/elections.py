"""Electing delegates: nominations, then a ranked ballot counted by Scottish STV.

An election is a motion of kind "election", method "stv". While nominations run
it is a draft; its payload holds the seats, the body (the central assembly the
delegates sit in, or none) and when nominations close. Candidacies live in the
``candidacies`` table: standing yourself counts as accepted, a nomination by
someone else waits for the nominee's ``/accept``. When nominations close (after
``election.nomination_hours``, or earlier by ``/ballot``) the accepted candidates
become the options, in order of nomination, and voting runs like any motion.
When it closes, the elected take their seats. A term's end opens a new election
by itself. Who may stand is limited by the statutes ``delegates.term_limit`` and
``delegates.cooldown_months`` (see docs/delegates.md).
"""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update

from core import assemblies, due, outbox, people
from core.calendar import local
from core.context import Tx
from core.delegates import seats
from core.delegates.seats import Seat
from core.due import next_due, when_due
from core.errors import Refusal
from core.messages import N_, Msg, Reply
from core.motions import effects, lifecycle
from core.motions.model import DRAFT, OPEN, Motion, from_row, load
from core.statutes import seats_for
from core.store.tables import assemblies as assembly_table
from core.store.tables import candidacies, delegates, federation_members, motions
from core.store.upsert import upsert
from core.text import TITLE_LIMIT

KIND, METHOD = "election", "stv"
NOMINATED, ACCEPTED, WITHDRAWN, DECLINED = "nominated", "accepted", "withdrawn", "declined"
STANDING = (NOMINATED, ACCEPTED)
MAX_SEATS = 100


def add_months(when: datetime, months: int) -> datetime:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    index = when.month - 1 + months
    year, month = when.year + index // 12, index % 12 + 1
    return when.replace(year=year, month=month, day=min(when.day, _days_in(year, month)))


def _days_in(year: int, month: int) -> int:
    """Days in the month, so a term never lands on a date that does not exist."""
    return calendar.monthrange(year, month)[1]


def day(when: datetime) -> str:
    """A date as members read it (UTC)."""
    return when.strftime("%Y-%m-%d")


def minute(when: datetime) -> str:
    """A time as members read it (UTC), to the minute."""
    return when.strftime("%Y-%m-%d %H:%M")


# --------------------------------------------------------------------------- seats to fill


def vacancies(tx: Tx, assembly_id: int, body_id: int | None) -> tuple[int, int]:
    """(free seats, seats the statute gives) for the assembly's delegates in ``body_id``."""
    rules = assemblies.statute(tx, assembly_id)
    total = seats_for(str(rules["delegates.seats"]), assemblies.member_count(tx, assembly_id))
    held = sum(1 for s in seats.active(tx, assembly_id) if s.body_id == body_id)
    return max(0, total - held), total


def running(tx: Tx, assembly_id: int, body_id: int | None) -> Motion | None:
    """The election for these seats in nominations or voting, if any (one at a time)."""
    rows = tx.conn.execute(
        select(motions)
        .where(
            motions.c.assembly_id == assembly_id,
            motions.c.kind == KIND,
            motions.c.method == METHOD,
            motions.c.status.in_((DRAFT, OPEN)),
        )
        .order_by(motions.c.id)
    )
    found = [from_row(r) for r in rows]
    return next((m for m in found if m.payload.get("body_id") == body_id), None)


def body_name(tx: Tx, assembly_id: int, body_id: int) -> str:
    """The central assembly's name; refused unless this assembly belongs to it."""
    row = tx.conn.execute(
        select(assembly_table.c.name, assembly_table.c.kind).where(assembly_table.c.id == body_id)
    ).first()
    if row is None or row.kind != "central":
        raise Refusal("There is no central assembly {id}.", id=body_id)
    if not _belongs(tx, assembly_id, body_id):
        raise Refusal(
            "This assembly does not belong to the central assembly {name}.", name=row.name
        )
    return str(row.name)


def _belongs(tx: Tx, assembly_id: int, body_id: int) -> bool:
    """Whether the assembly is an active member of the federation of ``body_id``."""
    status = tx.conn.execute(
        select(federation_members.c.status).where(
            federation_members.c.central_id == body_id,
            federation_members.c.assembly_id == assembly_id,
        )
    ).scalar()
    return status == "active"


def call(
    tx: Tx, assembly_id: int, proposer_id: int, wanted: int | None, body_id: int | None
) -> list[Reply]:
    """A member calls an election for the free seats (``/elect``)."""
    if assemblies.kind_of(tx, assembly_id) == assemblies.CENTRAL:
        raise Refusal(
            "A central assembly elects no delegates: its members are the delegates "
            "that its member assemblies elect."
        )
    assemblies.require_member(tx, assembly_id, proposer_id)
    if body_id is not None:
        body_name(tx, assembly_id, body_id)
    current = running(tx, assembly_id, body_id)
    if current is not None:
        raise Refusal("Election {id} is already under way for these seats.", id=current.id)
    free, total = vacancies(tx, assembly_id, body_id)
    if free < 1:
        raise Refusal(
            "All {total} seats are held (statute delegates.seats); "
            "a recall or a term's end frees one.",
            total=total,
        )
    if wanted is not None and not 1 <= wanted <= free:
        raise Refusal(
            "{free} of {total} seats are free: elect from 1 to {free}.", free=free, total=total
        )
    motion = open_nominations(tx, assembly_id, proposer_id, wanted or free, body_id)
    closes = datetime.fromisoformat(motion.payload["nominations_close"])
    return [
        Reply(
            (
                Msg.of(
                    N_("Election {id} called: nominations are open until {when}."),
                    id=motion.id,
                    when=local.minute(closes, local.zone_of(tx, assembly_id)),
                ),
            )
        )
    ]


def open_nominations(
    tx: Tx, assembly_id: int, proposer_id: int | None, seat_count: int, body_id: int | None
) -> Motion:
    """Create the election as a draft and announce that nominations are open."""
    home = assemblies.get(tx, assembly_id).name
    body = body_name(tx, assembly_id, body_id) if body_id is not None else None
    hours = int(assemblies.statute(tx, assembly_id)["election.nomination_hours"])
    closes = tx.now + timedelta(hours=hours)
    motion = lifecycle.propose(
        tx,
        assembly_id,
        proposer_id,
        KIND,
        (f"{home} → {body}" if body else home)[:TITLE_LIMIT],
        method=METHOD,
        payload={
            "seats": seat_count,
            "body_id": body_id,
            "nominations_close": closes.isoformat(),
            "candidates": [],
        },
        draft=True,
    )
    due.soon(tx, closes)
    where = Msg.of(N_("in {body}"), body=body) if body else Msg.of(N_("for the assembly"))
    outbox.announce(
        tx,
        assembly_id,
        Msg.of(
            N_("Election {id}: delegates {where}, seats: {seats}. Nominations until {when}."),
            id=motion.id,
            seats=seat_count,
            where=where,
            when=local.minute(closes, local.zone_of(tx, assembly_id)),
        ),
        Msg.of(N_("Stand: /nominate {id}. Nominate a member: /nominate {id} <name>"), id=motion.id),
    )
    return motion


def open_vacancy(tx: Tx, assembly_id: int, body_id: int | None) -> Motion | None:
    """Open nominations for seats that fell free (term end, recall), once.

    An election already in nominations for these seats takes the new vacancy too;
    one already voting is left alone (a member can call another afterwards).
    """
    free, _ = vacancies(tx, assembly_id, body_id)
    if free < 1 or (body_id is not None and not _belongs(tx, assembly_id, body_id)):
        return None
    current = running(tx, assembly_id, body_id)
    if current is None:
        return open_nominations(tx, assembly_id, None, free, body_id)
    if current.status == DRAFT and int(current.payload["seats"]) < free:
        _update_payload(tx, current, seats=free)
        tx.audit("election.seats", {"election": current.id, "seats": free}, assembly_id)
        outbox.announce(
            tx,
            assembly_id,
            Msg.of(N_("Election {id} now fills more seats: {seats}."), id=current.id, seats=free),
        )
    return current


def _update_payload(tx: Tx, motion: Motion, **changes: Any) -> None:
    """Change part of an election's payload (nominations' end, seats)."""
    tx.conn.execute(
        update(motions)
        .where(motions.c.id == motion.id)
        .values(payload={**motion.payload, **changes})
    )


# --------------------------------------------------------------------------- nominations


def election(tx: Tx, motion_id: int, assembly_id: int | None) -> Motion:
    """The election, refused when unknown, of another assembly, or not an election."""
    try:
        motion = load(tx, motion_id)
    except Refusal:
        raise Refusal("There is no election {id}.", id=motion_id) from None
    if motion.kind != KIND or (assembly_id is not None and motion.assembly_id != assembly_id):
        raise Refusal("There is no election {id}.", id=motion_id)
    return motion


def _in_nominations(tx: Tx, motion_id: int, assembly_id: int | None) -> Motion:
    """The election, refused once nominations have closed."""
    motion = election(tx, motion_id, assembly_id)
    if motion.status != DRAFT:
        raise Refusal("Nominations for election {id} are closed.", id=motion.id)
    return motion


def _candidacy(tx: Tx, motion_id: int, person_id: int) -> Any:
    """The person's candidacy in the election, if any."""
    return tx.conn.execute(
        select(candidacies).where(
            candidacies.c.motion_id == motion_id, candidacies.c.person_id == person_id
        )
    ).first()


def _candidacies(tx: Tx, motion_id: int) -> list[Any]:
    """Every candidacy, in order of nomination (the ballot's order)."""
    return list(
        tx.conn.execute(
            select(candidacies)
            .where(candidacies.c.motion_id == motion_id)
            .order_by(candidacies.c.at, candidacies.c.person_id)
        )
    )


def member_named(tx: Tx, assembly_id: int, text: str) -> int:
    """The member a name (or member number) means; refused when none or several."""
    wanted = text.strip().lstrip("@#")
    roll = assemblies.member_ids(tx, assembly_id)
    if wanted.isdigit() and int(wanted) in roll:
        return int(wanted)
    names = people.names(tx, roll)
    found = [p for p in roll if names.get(p, "").casefold() == wanted.casefold()]
    if not found:
        raise Refusal("No member is called {name}. See /members.", name=text.strip()[:64])
    if len(found) > 1:
        raise Refusal(
            "Several members are called {name}: use their member number (see /members).",
            name=text.strip()[:64],
        )
    return found[0]


def nominate(tx: Tx, assembly_id: int, actor_id: int, motion_id: int, who: str) -> list[Reply]:
    """Stand yourself (accepted at once) or nominate another member (who must accept)."""
    assemblies.require_member(tx, assembly_id, actor_id)
    motion = _in_nominations(tx, motion_id, assembly_id)
    person_id = member_named(tx, assembly_id, who) if who.strip() else actor_id
    name = people.display_name(tx, person_id)
    earlier = _candidacy(tx, motion.id, person_id)
    if earlier is not None and earlier.status in STANDING:
        raise Refusal("{name} is already nominated in election {id}.", name=name, id=motion.id)
    check_eligible(tx, motion, person_id, name)
    status = ACCEPTED if person_id == actor_id else NOMINATED
    upsert(
        tx.conn,
        candidacies,
        {
            "motion_id": motion.id,
            "person_id": person_id,
            "nominated_by": actor_id,
            "status": status,
            "at": tx.now,
        },
        ["motion_id", "person_id"],
        ["nominated_by", "status", "at"],
    )
    tx.audit(
        "election.nominate",
        {"election": motion.id, "person": person_id, "status": status},
        assembly_id,
        actor_id,
    )
    if status == ACCEPTED:
        outbox.announce(
            tx, assembly_id, Msg.of(N_("{name} stands in election {id}."), name=name, id=motion.id)
        )
        return _say(N_("You stand in election {id}. To step back: /withdraw {id}"), id=motion.id)
    by = people.display_name(tx, actor_id)
    answer = Msg.of(N_("{name}: /accept {id} or /decline {id}"), name=name, id=motion.id)
    outbox.announce(
        tx,
        assembly_id,
        Msg.of(N_("{by} nominates {name} in election {id}."), by=by, name=name, id=motion.id),
        answer,
    )
    outbox.tell(tx, person_id, answer, assembly_id=assembly_id)
    return _say(
        N_("{name} is nominated in election {id} and must accept: /accept {id}"),
        name=name,
        id=motion.id,
    )


def _say(key: str, **params: Any) -> list[Reply]:
    """One reply line to the member who acted."""
    return [Reply((Msg(key, dict(params)),))]


def _own_candidacy(tx: Tx, motion: Motion, person_id: int) -> Any:
    """The actor's own open candidacy: only a nominee may answer for themself."""
    assemblies.require_member(tx, motion.assembly_id, person_id)
    row = _candidacy(tx, motion.id, person_id)
    if row is None or row.status not in STANDING:
        raise Refusal("You are not nominated in election {id}.", id=motion.id)
    return row


ACTIONS = {
    ACCEPTED: "election.accept",
    DECLINED: "election.decline",
    WITHDRAWN: "election.withdraw",
}


def _set_status(tx: Tx, motion: Motion, person_id: int, status: str) -> None:
    """Record the nominee's answer, with its audit entry."""
    tx.conn.execute(
        update(candidacies)
        .where(candidacies.c.motion_id == motion.id, candidacies.c.person_id == person_id)
        .values(status=status)
    )
    tx.audit(
        ACTIONS[status], {"election": motion.id, "person": person_id}, motion.assembly_id, person_id
    )


def accept(tx: Tx, assembly_id: int | None, person_id: int, motion_id: int) -> list[Reply]:
    """The nominee accepts: they stand."""
    motion = _in_nominations(tx, motion_id, assembly_id)
    row = _own_candidacy(tx, motion, person_id)
    if row.status == ACCEPTED:
        raise Refusal("You already stand in election {id}.", id=motion.id)
    name = people.display_name(tx, person_id)
    check_eligible(tx, motion, person_id, name)
    _set_status(tx, motion, person_id, ACCEPTED)
    outbox.announce(
        tx,
        motion.assembly_id,
        Msg.of(N_("{name} stands in election {id}."), name=name, id=motion.id),
    )
    return _say(N_("You stand in election {id}. To step back: /withdraw {id}"), id=motion.id)


def decline(tx: Tx, assembly_id: int | None, person_id: int, motion_id: int) -> list[Reply]:
    """The nominee declines a nomination they have not accepted."""
    motion = _in_nominations(tx, motion_id, assembly_id)
    row = _own_candidacy(tx, motion, person_id)
    if row.status == ACCEPTED:
        raise Refusal("You stand in election {id}. To step back: /withdraw {id}", id=motion.id)
    return _step_back(tx, motion, person_id, DECLINED)


def withdraw(tx: Tx, assembly_id: int | None, person_id: int, motion_id: int) -> list[Reply]:
    """A candidate steps back before voting opens."""
    motion = _in_nominations(tx, motion_id, assembly_id)
    _own_candidacy(tx, motion, person_id)
    return _step_back(tx, motion, person_id, WITHDRAWN)


def _step_back(tx: Tx, motion: Motion, person_id: int, status: str) -> list[Reply]:
    """The nominee no longer stands; the group hears it."""
    _set_status(tx, motion, person_id, status)
    outbox.announce(
        tx,
        motion.assembly_id,
        Msg.of(
            N_("{name} does not stand in election {id}."),
            name=people.display_name(tx, person_id),
            id=motion.id,
        ),
    )
    return _say(N_("You do not stand in election {id}."), id=motion.id)


# --------------------------------------------------------------------------- who may stand


def check_eligible(tx: Tx, motion: Motion, person_id: int, name: str) -> None:
    """Refuse a sitting delegate of the same body, and the statutes' term limit and cooldown."""
    history = seats.history(tx, motion.assembly_id, person_id)
    if any(s.is_active and s.body_id == motion.payload.get("body_id") for s in history):
        raise Refusal("{name} already holds one of these seats.", name=name)
    rules = assemblies.statute(tx, motion.assembly_id)
    cooldown = int(rules["delegates.cooldown_months"])
    ended = [s.ended_at for s in history if s.ended_at is not None]
    if cooldown and ended and tx.now < add_months(max(ended), cooldown):
        raise Refusal(
            "{name}'s seat ended on {ended}; they can stand again from {date} "
            "(statute delegates.cooldown_months).",
            name=name,
            ended=day(max(ended)),
            date=day(add_months(max(ended), cooldown)),
        )
    limit = int(rules["delegates.term_limit"])
    term = int(rules["delegates.term_months"])
    run = in_a_row(history, tx.now, term)
    if not limit or len(run) < limit:
        return
    last = run[0].ended_at
    if term and last is not None:
        raise Refusal(
            "{name} has reached the term limit ({n} in a row, statute delegates.term_limit); "
            "they can stand again from {date}.",
            name=name,
            n=len(run),
            date=day(add_months(last, term)),
        )
    raise Refusal(
        "{name} has reached the term limit ({n} in a row, statute delegates.term_limit).",
        name=name,
        n=len(run),
    )


def in_a_row(history: list[Seat], now: datetime, term_months: int) -> list[Seat]:
    """The latest seats held in a row (newest first): a break of a whole term ends a run.

    With no term length (0) every seat counts, so the limit is for life.
    """
    run: list[Seat] = []
    start = now
    for seat in history:
        end = seat.ended_at or now
        if term_months and start >= add_months(end, term_months):
            break
        run.append(seat)
        start = seat.started_at
    return run


# --------------------------------------------------------------------------- the ballot


def ballot(tx: Tx, assembly_id: int, actor_id: int, motion_id: int) -> list[Reply]:
    """The member who called the election opens voting before nominations close."""
    assemblies.require_member(tx, assembly_id, actor_id)
    motion = _in_nominations(tx, motion_id, assembly_id)
    if motion.proposer_id != actor_id:
        raise Refusal(
            "Only the member who called election {id} can open voting early.", id=motion.id
        )
    if not standing(tx, motion):
        raise Refusal("Nobody stands in election {id} yet.", id=motion.id)
    open_ballot(tx, motion, actor_id)
    return _say(N_("Election {id} is open for voting."), id=motion.id)


def standing(tx: Tx, motion: Motion) -> list[int]:
    """Who stands: accepted candidates still members, in order of nomination."""
    return [
        int(r.person_id)
        for r in _candidacies(tx, motion.id)
        if r.status == ACCEPTED and assemblies.is_member(tx, motion.assembly_id, r.person_id)
    ]


def open_ballot(tx: Tx, motion: Motion, actor_id: int | None) -> Motion:
    """Put the accepted candidates on the ballot, in order of nomination, and open it."""
    candidates = standing(tx, motion)
    pending = [r.person_id for r in _candidacies(tx, motion.id) if r.status == NOMINATED]
    payload = {**motion.payload, "candidates": candidates}
    tx.conn.execute(
        update(motions)
        .where(motions.c.id == motion.id)
        .values(options=_ballot_names(tx, candidates), payload=payload)
    )
    tx.audit(
        "election.ballot",
        {"election": motion.id, "candidates": candidates},
        motion.assembly_id,
        actor_id,
    )
    opened = lifecycle.open_motion(tx, load(tx, motion.id), actor_id, None)
    lines = [
        Msg.of(
            N_("Election {id}: candidates: {n}, seats: {seats}."),
            id=motion.id,
            n=len(candidates),
            seats=opened.payload["seats"],
        )
    ]
    if len(candidates) <= int(opened.payload["seats"]):
        lines.append(
            Msg.of(N_("Uncontested: all are elected if the quorum is met and anyone is ranked."))
        )
    if pending:
        names = people.names(tx, pending)
        lines.append(
            Msg.of(
                N_("Not on the ballot (did not accept): {names}"),
                names=", ".join(names.get(p, f"#{p}") for p in pending),
            )
        )
    outbox.announce(tx, motion.assembly_id, *lines)
    return opened


def _ballot_names(tx: Tx, person_ids: list[int]) -> list[str]:
    """Display names; two members of the same name get their member number added."""
    names = people.names(tx, person_ids)
    shown = [names.get(p, f"#{p}") for p in person_ids]
    return [
        f"{n} ({p})" if shown.count(n) > 1 else n for n, p in zip(shown, person_ids, strict=True)
    ]


@when_due
def close_nominations(tx: Tx) -> None:
    """Open voting where nominations have closed; with nobody standing, extend them."""
    rows = tx.conn.execute(
        select(motions)
        .where(motions.c.kind == KIND, motions.c.status == DRAFT)
        .order_by(motions.c.id)
    )
    for motion in [from_row(r) for r in rows]:
        closes = motion.payload.get("nominations_close")
        if motion.method != METHOD or not closes or datetime.fromisoformat(closes) > tx.now:
            continue
        if standing(tx, motion):
            open_ballot(tx, motion, None)
            continue
        _extend(tx, motion)


@next_due
def next_nominations_close(tx: Tx) -> datetime | None:
    """When the next election's nominations close."""
    rows = tx.conn.execute(
        select(motions.c.payload).where(
            motions.c.kind == KIND, motions.c.status == DRAFT, motions.c.method == METHOD
        )
    )
    times = [
        datetime.fromisoformat(str(r.payload["nominations_close"]))
        for r in rows
        if r.payload.get("nominations_close")
    ]
    return min(times, default=None)


def _extend(tx: Tx, motion: Motion) -> None:
    """Nobody stands: the seats still need filling, so nominations run another round."""
    hours = int(assemblies.statute(tx, motion.assembly_id)["election.nomination_hours"])
    closes = tx.now + timedelta(hours=hours)
    _update_payload(tx, motion, nominations_close=closes.isoformat())
    due.soon(tx, closes)
    tx.audit(
        "election.extend", {"election": motion.id, "until": closes.isoformat()}, motion.assembly_id
    )
    outbox.announce(
        tx,
        motion.assembly_id,
        Msg.of(
            N_("Nobody stands in election {id} yet: nominations run until {when}."),
            id=motion.id,
            when=local.minute(closes, local.zone_of(tx, motion.assembly_id)),
        ),
    )


# --------------------------------------------------------------------------- the result


@effects.on_passed(KIND)
def _seat_the_elected(tx: Tx, motion: Motion) -> list[Msg]:
    """Each elected member takes a seat for the statute's term."""
    candidates = [int(p) for p in motion.payload["candidates"]]
    winners = [candidates[i] for i in (motion.result or {}).get("winners", [])]
    months = int(assemblies.statute(tx, motion.assembly_id)["delegates.term_months"])
    ends = add_months(tx.now, months) if months else None
    lines: list[Msg] = []
    seated = 0
    for person_id in winners:
        name = people.display_name(tx, person_id)
        if not assemblies.is_member(tx, motion.assembly_id, person_id):
            lines.append(Msg.of(N_("{name} has left the assembly and takes no seat."), name=name))
            continue
        seat = seats.install(
            tx, motion.assembly_id, person_id, motion.payload.get("body_id"), motion.id, ends
        )
        seated += 1
        lines.append(_seated_line(seat, name))
    empty = int(motion.payload["seats"]) - seated
    if empty > 0:
        lines.append(Msg.of(N_("Seats left empty: {n}. Call an election: /elect"), n=empty))
    return lines


def _seated_line(seat: Seat, name: str) -> Msg:
    """Who took which seat, and until when."""
    if seat.term_ends_at is None:
        return Msg.of(N_("{name} is delegate {id}, with no fixed term end."), name=name, id=seat.id)
    return Msg.of(
        N_("{name} is delegate {id} until {date}."),
        name=name,
        id=seat.id,
        date=day(seat.term_ends_at),
    )


@effects.on_not_passed(KIND)
def _nobody_elected(tx: Tx, motion: Motion) -> list[Msg]:
    """Say plainly that the seats stay empty."""
    return [Msg.of(N_("Nobody takes a seat. Call an election: /elect"))]


# --------------------------------------------------------------------------- term end


@next_due
def next_term_end(tx: Tx) -> datetime | None:
    """When the next seat's term ends."""
    at: datetime | None = tx.conn.execute(
        select(func.min(delegates.c.term_ends_at)).where(delegates.c.status == seats.ACTIVE)
    ).scalar()
    return at


@when_due
def end_terms(tx: Tx) -> None:
    """End every seat whose term is over, then open one election per set of seats."""
    ending = tx.conn.execute(
        select(delegates.c.id)
        .where(delegates.c.status == seats.ACTIVE, delegates.c.term_ends_at <= tx.now)
        .order_by(delegates.c.id)
    ).scalars()
    freed: dict[tuple[int, int | None], None] = {}
    for seat_id in list(ending):
        seat = seats.end(tx, seats.get(tx, int(seat_id)), seats.ENDED)
        outbox.announce(
            tx,
            seat.assembly_id,
            Msg.of(
                N_("The term of delegate {id}, {name}, has ended."),
                id=seat.id,
                name=people.display_name(tx, seat.person_id),
            ),
        )
        freed[(seat.assembly_id, seat.body_id)] = None
    for assembly_id, body_id in freed:
        open_vacancy(tx, assembly_id, body_id)
