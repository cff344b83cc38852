"""The outbox: what must be said, recorded in the same transaction as the act.

A message to an assembly becomes one row per chat it is bound to; a private
message names a person. Transports drain their rows, render them in each
reader's language and mark them sent, so an announcement survives a crash
and reaches every chat of the assembly from the same moment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from core.assemblies import chats
from core.context import Tx
from core.messages import Msg
from core.motions.choices import WORDS
from core.store.tables import identities, outbox


def encode(msg: Msg) -> dict[str, Any]:
    """A message as JSON (nested messages included)."""
    return {"key": msg.key, "params": {k: _encode(v) for k, v in msg.params.items()}}


def _encode(value: Any) -> Any:
    return {"$msg": encode(value)} if isinstance(value, Msg) else value


def decode(data: dict[str, Any]) -> Msg:
    return Msg(data["key"], {k: _decode(v) for k, v in data["params"].items()})


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"$msg"}:
        return decode(value["$msg"])
    return value


@dataclass(frozen=True)
class Choice:
    """One way to vote on a motion: what a button shows, and what ``/vote`` takes."""

    label: Msg | str  # a Msg is rendered in the reader's language; an option name is not
    command: str  # the engine's own word for it: /vote <motion> <command>


@dataclass(frozen=True)
class Choices:
    """What a motion announcement offers to vote, for transports that can show buttons.

    ``options`` is empty when a vote cannot be one press (ranked, approval, consent
    with a reason): the transport then points to where it can be typed.
    """

    motion: int
    method: str
    secret: bool
    options: tuple[Choice, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "motion": self.motion,
            "method": self.method,
            "secret": self.secret,
            "options": [[_encode(c.label), c.command] for c in self.options],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Choices:
        options = tuple(Choice(_decode(label), str(cmd)) for label, cmd in data["options"])
        return cls(int(data["motion"]), str(data["method"]), bool(data["secret"]), options)


def choices_for(motion_id: int, method: str, secret: bool, options: list[str]) -> Choices:
    """The one-press choices of a motion: yes / no / abstain, or each option by number."""
    found: tuple[Choice, ...] = ()
    if method == "yesno":
        found = tuple(Choice(Msg(WORDS[w]), w) for w in ("yes", "no", "abstain"))
    elif method == "single":
        found = tuple(Choice(f"{n}. {o}", str(n)) for n, o in enumerate(options, start=1))
    return Choices(motion_id, method, secret, found)


def announce(tx: Tx, assembly_id: int, *lines: Msg, choices: Choices | None = None) -> list[int]:
    """Say ``lines`` in every chat of the assembly; the outbox rows, one per chat.

    ``choices`` marks the announcement of a motion open for voting, so a transport
    can offer its choices as buttons; other transports ignore it.
    """
    body: dict[str, Any] = {"lines": [encode(m) for m in lines]}
    if choices is not None:
        body["choices"] = choices.to_json()
    ids: list[int] = []
    for platform, chat_id in chats(tx, assembly_id):
        row_id = tx.conn.execute(
            insert(outbox)
            .values(
                assembly_id=assembly_id,
                platform=platform,
                chat_id=chat_id,
                person_id=None,
                key="lines",
                params=body,
                created_at=tx.now,
            )
            .returning(outbox.c.id)
        ).scalar_one()
        ids.append(int(row_id))
    return ids


def amend(tx: Tx, ids: list[int], *lines: Msg) -> None:
    """Replace the lines of announcements not yet sent (written first to keep their place
    in the order members read things, completed once what follows them is known)."""
    if ids:
        body = {"lines": [encode(m) for m in lines]}
        pending_rows = outbox.c.id.in_(ids) & outbox.c.sent_at.is_(None)
        tx.conn.execute(update(outbox).where(pending_rows).values(params=body))


def tell(tx: Tx, person_id: int, *lines: Msg, assembly_id: int | None = None) -> None:
    """Say ``lines`` to one person privately, on the platform they first used."""
    platform = tx.conn.execute(
        select(identities.c.platform)
        .where(identities.c.person_id == person_id)
        .order_by(identities.c.created_at)
        .limit(1)
    ).scalar()
    if platform is None:
        return
    tx.conn.execute(
        insert(outbox).values(
            assembly_id=assembly_id,
            platform=platform,
            chat_id=None,
            person_id=person_id,
            key="lines",
            params={"lines": [encode(m) for m in lines]},
            created_at=tx.now,
        )
    )


@dataclass(frozen=True)
class Pending:
    """One undelivered message as a transport receives it."""

    id: int
    chat_id: str | None
    person_id: int | None
    lines: tuple[Msg, ...]
    choices: Choices | None = None


def pending(conn: Connection, platform: str, limit: int = 100) -> list[Pending]:
    rows = conn.execute(
        select(outbox)
        .where(outbox.c.platform == platform, outbox.c.sent_at.is_(None))
        .order_by(outbox.c.id)
        .limit(limit)
    )
    return [
        Pending(
            r.id,
            r.chat_id,
            r.person_id,
            tuple(decode(m) for m in r.params["lines"]),
            Choices.from_json(r.params["choices"]) if r.params.get("choices") else None,
        )
        for r in rows
    ]


def mark_sent(conn: Connection, ids: list[int], at: datetime) -> None:
    if ids:
        conn.execute(update(outbox).where(outbox.c.id.in_(ids)).values(sent_at=at))
