"""The optional central council: it prepares the agenda and convenes an urgent sitting.

The central assembly's statute ``federation.council`` says whether it has one:
``none`` (the default), ``rotating N`` or ``elected N``; each term lasts
``federation.council_months``.

- **Rotating**: the N members are drawn in turn from the central roll, ordered
  by seat number (a person holding two seats counts by the lower one). Each
  term takes the next N after the one drawn last in the previous term, wrapping
  round to the lowest seat number. A due job ends a term when its time is up
  and draws the next; a council emptied before then (its members recalled) is
  drawn again at once, for a new term. A single vacancy waits for the next term.
- **Elected**: ``/council elect`` puts a Scottish STV count of every delegate on
  the roll to the central assembly (a motion of kind ``decision``, by name).
  The elected serve until their term ends; then the centre elects again. A new
  election may be called at any time: when it passes, it replaces the council.

A council member whose delegate seat ends (recall, term end, their assembly
leaving) leaves the council at once. The council has two powers and no other:
``/council agenda`` and ``/council convene``. Each act is recorded in
``council_acts``, announced in the central chat and relayed to every member
assembly; ``/rescind <act>`` puts undoing it to the central assembly's vote.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, NoReturn

from sqlalchemy import delete, insert, select, update

from core import assemblies, due, outbox, people, sittings, statutes
from core.assemblies import Assembly
from core.calendar import local
from core.context import Tx
from core.delegates import seats
from core.delegates.elections import add_months, day, minute
from core.delegates.seats import Seat
from core.due import next_due, when_due
from core.errors import Refusal
from core.federation import central, roll
from core.messages import N_, Msg, Reply
from core.motions import effects, lifecycle
from core.motions.model import DRAFT, OPEN, PASSED, Motion
from core.store.tables import agenda_items, council_acts, council_seats, delegates, motions
from core.store.tables import assemblies as assembly_table
from core.store.tables import sittings as sitting_table
from core.text import TITLE_LIMIT, clean

NONE, ELECTED, ROTATING = "none", "elected", "rotating"
ROTATION = "rotation"  # council_seats.how of a drawn member (ELECTED for an elected one)
AGENDA, URGENT = "agenda", "urgent_sitting"
KIND = "decision"  # council elections and rescissions are ordinary central decisions


def refuse_other(tx: Tx, here: Assembly | None) -> NoReturn:
    """Anything but the council's two powers (and reading) is refused."""
    if here is not None and here.is_central:
        _require_council(tx, here)
    raise Refusal(
        "The council can only put items on the agenda and convene an urgent sitting: "
        "/council agenda [sitting] <item> | /council convene <YYYY-MM-DD HH:MM> <reason>"
    )


@dataclass(frozen=True)
class CouncilSeat:
    """One person's place on the council, from ``since`` until ``until`` (None: serving)."""

    id: int
    person_id: int
    how: str
    since: datetime
    until: datetime | None


@dataclass(frozen=True)
class Act:
    """One thing the council did, and the central motion that undid it, if any."""

    id: int
    central_id: int
    person_id: int
    kind: str
    target_id: int
    at: datetime
    rescinded_by: int | None


# --------------------------------------------------------------------------- who sits


def setting(tx: Tx, central_id: int) -> tuple[str, int]:
    """(how, size) from the central assembly's statute: ("none", 0), ("rotating", 3)..."""
    return statutes.council(str(assemblies.statute(tx, central_id)["federation.council"]))


def term_end(tx: Tx, central_id: int, since: datetime) -> datetime:
    """When a term that began at ``since`` ends (the statute in force now)."""
    months = int(assemblies.statute(tx, central_id)["federation.council_months"])
    return add_months(since, months)


def serving(tx: Tx, central_id: int) -> list[CouncilSeat]:
    """The council now, in the order its members were seated."""
    rows = tx.conn.execute(
        select(council_seats)
        .where(council_seats.c.central_id == central_id, council_seats.c.until.is_(None))
        .order_by(council_seats.c.id)
    )
    return [CouncilSeat(r.id, r.person_id, r.how, r.since, r.until) for r in rows]


def _no_council(body: Assembly) -> Msg:
    return Msg.of(
        N_("Central {central} has no council (its statute federation.council is none)."),
        central=body.name,
    )


def _require_council(tx: Tx, body: Assembly) -> tuple[str, int]:
    """The council setting, or a refusal when the statute gives the centre none."""
    how, size = setting(tx, body.id)
    if how == NONE:
        raise Refusal(
            "Central {central} has no council (its statute federation.council is none).",
            central=body.name,
        )
    return how, size


def _require_on_council(tx: Tx, body: Assembly, person_id: int) -> None:
    """Only a serving council member may use the council's two powers."""
    _require_council(tx, body)
    council = serving(tx, body.id)
    if any(s.person_id == person_id for s in council):
        return
    names = people.names(tx, [s.person_id for s in council]) if council else {}
    raise Refusal(
        "Only a member of the council can do that. The council: {names}.",
        names=", ".join(names.get(s.person_id, "?") for s in council) or "-",
    )


def _require_central_chat(body: Assembly | None) -> Assembly:
    """The council acts, and is rescinded, in the central assembly's own chat."""
    if body is None or not body.is_central:
        raise Refusal("Send this in the central assembly's chat.")
    return body


def _seat(tx: Tx, body: Assembly, person_id: int, how: str, motion_id: int | None) -> None:
    tx.conn.execute(
        insert(council_seats).values(
            central_id=body.id, person_id=person_id, how=how, since=tx.now, motion_id=motion_id
        )
    )
    tx.audit("council.seat", {"person": person_id, "how": how, "motion": motion_id}, body.id)
    due.soon(tx, term_end(tx, body.id, tx.now))


def _unseat(tx: Tx, body_id: int, seat: CouncilSeat, why: str) -> None:
    tx.conn.execute(update(council_seats).where(council_seats.c.id == seat.id).values(until=tx.now))
    tx.audit("council.leave", {"person": seat.person_id, "why": why}, body_id)


def _tell(tx: Tx, body: Assembly, line: Msg) -> None:
    """Say it in the central chat and relay it to every member assembly."""
    outbox.announce(tx, body.id, line)
    relayed = Msg.of(N_("Central {central}: {line}"), central=body.name, line=line)
    for member in central.members(tx, body.id):
        outbox.announce(tx, member.id, relayed)


def _names(tx: Tx, persons: list[int]) -> str:
    found = people.names(tx, persons) if persons else {}
    return ", ".join(found.get(p, f"#{p}") for p in persons) or "-"


@seats.on_change
def _follow_seat(tx: Tx, seat: Seat) -> None:
    """A council member who no longer holds a seat in the centre leaves the council at once."""
    if seat.is_active or seat.body_id is None:
        return
    if assemblies.kind_of(tx, seat.body_id) != assemblies.CENTRAL:
        return
    if roll.holding(tx, seat.body_id, seat.person_id):
        return
    body = assemblies.get(tx, seat.body_id)
    for place in serving(tx, body.id):
        if place.person_id == seat.person_id:
            _unseat(tx, body.id, place, f"delegate {seat.id} {seat.status}")
            _tell(
                tx,
                body,
                Msg.of(
                    N_("{name} leaves the council: their delegate seat ended."),
                    name=people.display_name(tx, seat.person_id),
                ),
            )


# --------------------------------------------------------------------------- rotation


def turn_order(tx: Tx, central_id: int) -> list[tuple[int, int]]:
    """(seat number, person) of the central roll, by each person's lowest seat number."""
    order: dict[int, int] = {}
    for seat in roll.seated(tx, central_id):  # ordered by seat number
        order.setdefault(seat.person_id, seat.id)
    return sorted((number, person) for person, number in order.items())


def _last_drawn_seat(tx: Tx, central_id: int) -> int:
    """The seat number of the person drawn last in the latest rotation (0 before any)."""
    last = tx.conn.execute(
        select(council_seats.c.person_id, council_seats.c.since)
        .where(council_seats.c.central_id == central_id, council_seats.c.how == ROTATION)
        .order_by(council_seats.c.id.desc())
        .limit(1)
    ).first()
    if last is None:
        return 0
    held = tx.conn.execute(
        select(delegates.c.id)
        .where(
            delegates.c.body_id == central_id,
            delegates.c.person_id == last.person_id,
            delegates.c.started_at <= last.since,
            delegates.c.ended_at.is_(None) | (delegates.c.ended_at > last.since),
        )
        .order_by(delegates.c.id)
        .limit(1)
    ).scalar()
    return int(held or 0)


def draw(tx: Tx, central_id: int, size: int) -> list[int]:
    """The next ``size`` persons in turn after the one drawn last, wrapping round."""
    order = turn_order(tx, central_id)
    cursor = _last_drawn_seat(tx, central_id)
    after = [person for number, person in order if number > cursor]
    before = [person for number, person in order if number <= cursor]
    return (after + before)[:size]


def _rotate(tx: Tx, body: Assembly, size: int) -> None:
    """Draw the next term when nobody serves (the first term, or the last one is over)."""
    if serving(tx, body.id):
        return
    drawn = draw(tx, body.id, size)
    if not drawn:
        return  # nobody on the roll yet: drawn as soon as delegates sit
    for person in drawn:
        _seat(tx, body, person, ROTATION, None)
    _tell(
        tx,
        body,
        Msg.of(
            N_(
                "The council for the next term, drawn in turn by seat number: {names}. Until {end}."
            ),
            names=_names(tx, drawn),
            end=day(term_end(tx, body.id, tx.now)),
        ),
    )


def _retire(tx: Tx, body: Assembly, how: str) -> None:
    """End the places the statute no longer gives, or whose term is over."""
    kept = {ROTATING: ROTATION, ELECTED: ELECTED}.get(how)
    changed, over = [], []
    for place in serving(tx, body.id):
        if place.how != kept:
            _unseat(tx, body.id, place, "statute")
            changed.append(place.person_id)
        elif term_end(tx, body.id, place.since) <= tx.now:
            _unseat(tx, body.id, place, "term")
            over.append(place.person_id)
    if changed:
        _tell(
            tx,
            body,
            Msg.of(
                N_("The statute changed how the council is made: {names} leave it."),
                names=_names(tx, changed),
            ),
        )
    if over:
        key = (
            N_("The council's term has ended ({names}). Elect the next: /council elect")
            if how == ELECTED
            else N_("The council's term has ended ({names}).")
        )
        _tell(tx, body, Msg.of(key, names=_names(tx, over)))


@when_due
def keep_council(tx: Tx) -> None:
    """At a term's end: end it, and under rotation draw the next (idempotent)."""
    rows = tx.conn.execute(
        select(assembly_table.c.id, assembly_table.c.name, assembly_table.c.status)
        .where(assembly_table.c.kind == assemblies.CENTRAL, assembly_table.c.status == "active")
        .order_by(assembly_table.c.id)
    )
    for row in list(rows):
        body = Assembly(row.id, row.name, row.status, assemblies.CENTRAL)
        how, size = setting(tx, body.id)
        _retire(tx, body, how)
        if how == ROTATING:
            _rotate(tx, body, size)


@next_due
def next_council_change(tx: Tx) -> datetime | None:
    """When ``keep_council`` next has something to do: a term's end, or now when a
    rotating council waits for its first draw or the statute changed how it is made."""
    times: list[datetime] = []
    rows = tx.conn.execute(
        select(assembly_table.c.id).where(
            assembly_table.c.kind == assemblies.CENTRAL, assembly_table.c.status == "active"
        )
    )
    for central_id in list(rows.scalars()):
        how, _ = setting(tx, central_id)
        kept = {ROTATING: ROTATION, ELECTED: ELECTED}.get(how)
        places = serving(tx, central_id)
        if any(place.how != kept for place in places):
            times.append(tx.now)
        times += [term_end(tx, central_id, place.since) for place in places]
        if how == ROTATING and not places and roll.seated(tx, central_id):
            times.append(tx.now)
    return min(times, default=None)


# --------------------------------------------------------------------------- election


def _pending(tx: Tx, central_id: int, key: str, value: Any) -> int | None:
    """An open central decision whose payload has ``key`` = ``value``."""
    rows = tx.conn.execute(
        select(motions.c.id, motions.c.payload).where(
            motions.c.assembly_id == central_id,
            motions.c.kind == KIND,
            motions.c.status.in_((OPEN, DRAFT)),
        )
    )
    return next((r.id for r in rows if r.payload.get(key) == value), None)


def call_election(tx: Tx, here: Assembly | None, person_id: int) -> list[Reply]:
    """Put the council's election to the central assembly: every delegate stands."""
    body = _require_central_chat(here)
    how, size = _require_council(tx, body)
    assemblies.require_member(tx, body.id, person_id)
    if how != ELECTED:
        raise Refusal(
            "The council of {central} is drawn in turn (federation.council is rotating): "
            "there is nothing to elect.",
            central=body.name,
        )
    if (pending := _pending(tx, body.id, "council", "elect")) is not None:
        raise Refusal("The council election is already put to the vote as motion {id}.", id=pending)
    order = turn_order(tx, body.id)
    names = people.names(tx, [p for _, p in order])
    places = min(size, len(order))
    motion = lifecycle.propose(
        tx,
        body.id,
        person_id,
        KIND,
        "Council election",
        method="stv",
        options=[f"{names.get(p, f'#{p}')} ({number})" for number, p in order],
        payload={"council": "elect", "seats": places, "candidates": [p for _, p in order]},
    )
    return [
        Reply(
            (
                Msg.of(
                    N_("The council election is put to the vote as motion {id} (seats: {seats})."),
                    id=motion.id,
                    seats=places,
                ),
            )
        )
    ]


def _elected(tx: Tx, motion: Motion) -> None:
    """A passed council election: the elected replace the council at once."""
    body = assemblies.get(tx, motion.assembly_id)
    if setting(tx, body.id)[0] != ELECTED:
        outbox.announce(
            tx, body.id, Msg.of(N_("The statute no longer elects a council: nothing changes."))
        )
        return
    candidates = [int(p) for p in motion.payload["candidates"]]
    winners = [candidates[i] for i in (motion.result or {}).get("winners", [])]
    seated = [p for p in winners if assemblies.is_member(tx, body.id, p)]
    for place in serving(tx, body.id):
        _unseat(tx, body.id, place, f"election {motion.id}")
    for person in seated:
        _seat(tx, body, person, ELECTED, motion.id)
    _tell(
        tx,
        body,
        Msg.of(
            N_("The council is elected by motion {id}: {names}. Until {end}."),
            id=motion.id,
            names=_names(tx, seated),
            end=day(term_end(tx, body.id, tx.now)),
        ),
    )


# --------------------------------------------------------------------------- the two powers


def _upcoming(tx: Tx, central_id: int, sitting_id: int | None) -> Any:
    """The next convened central sitting (or the one named), which has not begun."""
    query = select(sitting_table).where(
        sitting_table.c.assembly_id == central_id,
        sitting_table.c.status == "convened",
        sitting_table.c.starts_at > tx.now,
    )
    if sitting_id is not None:
        query = query.where(sitting_table.c.id == sitting_id)
    row = tx.conn.execute(query.order_by(sitting_table.c.starts_at, sitting_table.c.id)).first()
    if row is None and sitting_id is None:
        raise Refusal(
            "No central sitting is convened. Convene an urgent one: "
            "/council convene <YYYY-MM-DD HH:MM> <reason>"
        )
    if row is None:
        raise Refusal("Sitting {id} is not an upcoming sitting of this assembly.", id=sitting_id)
    return row


def put_on_agenda(
    tx: Tx, here: Assembly | None, person_id: int, sitting_id: int | None, text: str
) -> list[Reply]:
    """A council member puts an item on the agenda of the next (or a named) sitting."""
    body = _require_central_chat(here)
    _require_on_council(tx, body, person_id)
    sitting = _upcoming(tx, body.id, sitting_id)
    replies = sittings.add_item(tx, body.id, person_id, sitting.id, text)
    item = tx.conn.execute(
        select(agenda_items.c.id, agenda_items.c.title)
        .where(agenda_items.c.sitting_id == sitting.id)
        .order_by(agenda_items.c.id.desc())
        .limit(1)
    ).one()
    what = Msg.of(
        N_("{name} put on the agenda of sitting {sitting}: {title}"),
        name=people.display_name(tx, person_id),
        sitting=sitting.id,
        title=item.title,
    )
    return replies + _record(tx, body, person_id, AGENDA, item.id, what)


def convene(
    tx: Tx, here: Assembly | None, person_id: int, when_text: str, reason: str
) -> list[Reply]:
    """A council member convenes an urgent central sitting."""
    body = _require_central_chat(here)
    _require_on_council(tx, body, person_id)
    when = sittings.parse_when(tx, body.id, when_text)
    title = clean(reason, TITLE_LIMIT, N_("reason"))
    sitting_id = sittings.convene(tx, body.id, "extraordinary", title, when)
    what = Msg.of(
        N_("{name} convened urgent sitting {sitting} for {when}: {title}"),
        name=people.display_name(tx, person_id),
        sitting=sitting_id,
        when=local.minute(when, local.zone_of(tx, body.id)),
        title=title,
    )
    return _record(tx, body, person_id, URGENT, sitting_id, what)


def _record(
    tx: Tx, body: Assembly, person_id: int, kind: str, target_id: int, what: Msg
) -> list[Reply]:
    """Record the act, say it in the centre and relay it below; the centre can undo it."""
    act_id = int(
        tx.conn.execute(
            insert(council_acts)
            .values(
                central_id=body.id, person_id=person_id, kind=kind, target_id=target_id, at=tx.now
            )
            .returning(council_acts.c.id)
        ).scalar_one()
    )
    tx.audit("council.act", {"act": act_id, "kind": kind, "target": target_id}, body.id, person_id)
    outbox.announce(
        tx,
        body.id,
        Msg.of(
            N_("Council act {act}: {what}. Undo it by vote: /rescind {act}"), act=act_id, what=what
        ),
    )
    relayed = Msg.of(
        N_("Central {central}, council act {act}: {what}"), central=body.name, act=act_id, what=what
    )
    for member in central.members(tx, body.id):
        outbox.announce(tx, member.id, relayed)
    return [Reply((Msg.of(N_("Recorded as council act {act}."), act=act_id),))]


# --------------------------------------------------------------------------- reading


def _act(tx: Tx, central_id: int, act_id: int) -> Act:
    row = tx.conn.execute(
        select(council_acts).where(
            council_acts.c.id == act_id, council_acts.c.central_id == central_id
        )
    ).first()
    if row is None:
        raise Refusal("There is no council act {id} here.", id=act_id)
    return Act(
        row.id, row.central_id, row.person_id, row.kind, row.target_id, row.at, row.rescinded_by
    )


def _target_title(tx: Tx, act: Act) -> str:
    """The agenda item's or the sitting's title (members' words; a removed item's from
    the motion that rescinded it)."""
    if act.kind == AGENDA:
        title = tx.conn.execute(
            select(agenda_items.c.title).where(agenda_items.c.id == act.target_id)
        ).scalar()
        if title is None and act.rescinded_by is not None:
            payload = tx.conn.execute(
                select(motions.c.payload).where(motions.c.id == act.rescinded_by)
            ).scalar()
            title = (payload or {}).get("title")
    else:
        title = tx.conn.execute(
            select(sitting_table.c.title).where(sitting_table.c.id == act.target_id)
        ).scalar()
    return str(title or "-")


def _act_line(tx: Tx, act: Act, names: dict[int, str]) -> Msg:
    """One act as members read it, with how it stands."""
    what = (
        N_("{act}. {when} {name}, agenda item: {title}")
        if act.kind == AGENDA
        else N_("{act}. {when} {name}, urgent sitting {sitting}: {title}")
    )
    described = Msg.of(
        what,
        act=act.id,
        when=minute(act.at),
        name=names.get(act.person_id, f"#{act.person_id}"),
        sitting=act.target_id,
        title=_target_title(tx, act),
    )
    if act.rescinded_by is not None:
        return Msg.of(
            N_("{act} (rescinded by motion {motion})"), act=described, motion=act.rescinded_by
        )
    return Msg.of(N_("{act} (undo by vote: /rescind {id})"), act=described, id=act.id)


def _previous_sitting(tx: Tx, central_id: int) -> Any:
    """The latest central sitting that has begun (not cancelled), if any."""
    return tx.conn.execute(
        select(sitting_table.c.id, sitting_table.c.starts_at)
        .where(
            sitting_table.c.assembly_id == central_id,
            sitting_table.c.status != "cancelled",
            sitting_table.c.starts_at <= tx.now,
        )
        .order_by(sitting_table.c.starts_at.desc(), sitting_table.c.id.desc())
        .limit(1)
    ).first()


def acts_since_sitting(tx: Tx, body: Assembly) -> list[Msg]:
    """The council's acts since the previous central sitting began: what the next may undo."""
    previous = _previous_sitting(tx, body.id)
    query = select(council_acts).where(council_acts.c.central_id == body.id)
    if previous is not None:
        query = query.where(council_acts.c.at >= previous.starts_at)
    acts = [
        Act(r.id, r.central_id, r.person_id, r.kind, r.target_id, r.at, r.rescinded_by)
        for r in tx.conn.execute(query.order_by(council_acts.c.id))
    ]
    head = (
        Msg.of(N_("Council acts since sitting {id}:"), id=previous.id)
        if previous is not None
        else Msg.of(N_("Council acts so far:"))
    )
    if not acts:
        return [head, Msg.of(N_("None."))]
    names = people.names(tx, sorted({a.person_id for a in acts}))
    return [head, *(_act_line(tx, act, names) for act in acts)]


def overview(tx: Tx, here: Assembly) -> list[Reply]:
    """Who sits on each council this chat reads, until when, and how."""
    lines: list[Msg] = []
    for body in central.read_from(tx, here):
        how, size = setting(tx, body.id)
        if how == NONE:
            lines.append(_no_council(body))
            continue
        key = (
            N_("Council of {central}: {size} elected by the delegates.")
            if how == ELECTED
            else N_("Council of {central}: {size} drawn in turn by seat number.")
        )
        lines.append(Msg.of(key, central=body.name, size=size))
        council = serving(tx, body.id)
        names = people.names(tx, [s.person_id for s in council]) if council else {}
        lines += [
            Msg.of(
                N_("{name}, until {end}"),
                name=names.get(s.person_id, f"#{s.person_id}"),
                end=day(term_end(tx, body.id, s.since)),
            )
            for s in council
        ]
        if not council:
            lines.append(
                Msg.of(
                    N_("Nobody sits on it yet.")
                    if how == ROTATING
                    else N_("Nobody sits on it yet: /council elect")
                )
            )
    if any(setting(tx, body.id)[0] != NONE for body in central.read_from(tx, here)):
        lines.append(Msg.of(N_("Its acts: /council acts")))
    return [Reply(tuple(lines))]


def acts(tx: Tx, here: Assembly) -> list[Reply]:
    """Each council's acts since its previous sitting, as this chat may read them."""
    lines: list[Msg] = []
    for body in central.read_from(tx, here):
        lines.append(Msg.of(N_("Central {central} ({id}):"), central=body.name, id=body.id))
        if setting(tx, body.id)[0] == NONE:
            lines.append(_no_council(body))
        else:
            lines += acts_since_sitting(tx, body)
    return [Reply(tuple(lines))]


# --------------------------------------------------------------------------- rescinding


def propose_rescission(tx: Tx, here: Assembly | None, person_id: int, act_id: int) -> list[Reply]:
    """Put undoing a council act to the central assembly's vote."""
    body = _require_central_chat(here)
    assemblies.require_member(tx, body.id, person_id)
    act = _act(tx, body.id, act_id)
    if act.rescinded_by is not None:
        raise Refusal(
            "Council act {act} was already rescinded by motion {motion}.",
            act=act.id,
            motion=act.rescinded_by,
        )
    if (pending := _pending(tx, body.id, "rescinds", act.id)) is not None:
        raise Refusal("This is already put to the vote as motion {id}.", id=pending)
    what = _target_title(tx, act)
    motion = lifecycle.propose(
        tx,
        body.id,
        person_id,
        KIND,
        f"Rescind council act {act.id}: {what}"[:TITLE_LIMIT],
        method="yesno",
        payload={"rescinds": act.id, "title": what},
    )
    return [
        Reply(
            (
                Msg.of(
                    N_("Rescinding council act {act} is put to the vote as motion {id}."),
                    act=act.id,
                    id=motion.id,
                ),
            )
        )
    ]


def _rescind(tx: Tx, motion: Motion) -> None:
    """The centre voted to undo a council act: undo it, and say so everywhere."""
    body = assemblies.get(tx, motion.assembly_id)
    act = _act(tx, body.id, int(motion.payload["rescinds"]))
    if act.rescinded_by is not None:
        outbox.announce(
            tx,
            body.id,
            Msg.of(N_("Council act {act} was already rescinded: nothing changes."), act=act.id),
        )
        return
    title = _target_title(tx, act)
    if act.kind == AGENDA:
        _remove_item(tx, body.id, act.target_id)
    else:
        _cancel_sitting(tx, body.id, act.target_id)
    tx.conn.execute(
        update(council_acts).where(council_acts.c.id == act.id).values(rescinded_by=motion.id)
    )
    tx.audit("council.rescind", {"act": act.id, "motion": motion.id}, body.id)
    key = (
        N_("Council act {act} is rescinded by motion {motion}: the item {title} is off the agenda.")
        if act.kind == AGENDA
        else N_(
            "Council act {act} is rescinded by motion {motion}: "
            "sitting {sitting} ({title}) is cancelled."
        )
    )
    _tell(tx, body, Msg.of(key, act=act.id, motion=motion.id, title=title, sitting=act.target_id))


def _remove_item(tx: Tx, central_id: int, item_id: int) -> None:
    """Take the item off its agenda; the items after it move up."""
    item = tx.conn.execute(select(agenda_items).where(agenda_items.c.id == item_id)).first()
    if item is None:
        return
    tx.conn.execute(delete(agenda_items).where(agenda_items.c.id == item_id))
    tx.conn.execute(
        update(agenda_items)
        .where(
            agenda_items.c.sitting_id == item.sitting_id,
            agenda_items.c.position > item.position,
        )
        .values(position=agenda_items.c.position - 1)
    )
    tx.audit("agenda.remove", {"sitting": item.sitting_id, "title": item.title}, central_id)


def _cancel_sitting(tx: Tx, central_id: int, sitting_id: int) -> None:
    tx.conn.execute(
        update(sitting_table).where(sitting_table.c.id == sitting_id).values(status="cancelled")
    )
    tx.audit("sitting.cancel", {"sitting": sitting_id}, central_id)


@effects.on_closed
def _decided(tx: Tx, motion: Motion) -> None:
    """A central decision about the council passed: rescind an act, or seat the elected."""
    if motion.kind != KIND or motion.status != PASSED:
        return
    if assemblies.kind_of(tx, motion.assembly_id) != assemblies.CENTRAL:
        return
    if "rescinds" in motion.payload:
        _rescind(tx, motion)
    elif motion.payload.get("council") == "elect":
        _elected(tx, motion)
