"""Casting a vote: the hot path of the chat, kept to a few statements.

A vote is refused, changing nothing, when the motion is unknown, not open,
past its closing time (it is then closed), in another assembly, when the
voter is not a member, or when a secret ballot is typed into a group chat.
Votes can be changed until close; the latest counts.
"""

from __future__ import annotations

from sqlalchemy import text

from core.context import Tx
from core.errors import Refusal
from core.messages import N_, Msg, Reply
from core.motions import ballots, effects, lifecycle
from core.motions.choices import parse_choice, shown
from core.motions.model import DRAFT, OPEN, Motion, from_row
from core.store.tables import members, motions, votes

_MOTION_FOR_VOTER = text(
    "SELECT m.*, mem.status AS member_status, v.person_id AS voted FROM motions m "
    "LEFT JOIN members mem ON mem.assembly_id = m.assembly_id AND mem.person_id = :person "
    "LEFT JOIN votes v ON v.motion_id = m.id AND v.person_id = :person WHERE m.id = :id"
).columns(*motions.c, members.c.status.label("member_status"), votes.c.person_id.label("voted"))


def _motion_for_voter(tx: Tx, motion_id: int, person_id: int) -> tuple[Motion, bool, bool]:
    """The motion, whether the voter is an active member of its assembly, and whether
    they already cast an open vote on it (one query: this is the chat's hottest path)."""
    row = tx.conn.execute(_MOTION_FOR_VOTER, {"id": motion_id, "person": person_id}).first()
    if row is None:
        raise Refusal("There is no motion {id}.", id=motion_id)
    return from_row(row), row.member_status == "active", row.voted is not None


def cast(tx: Tx, person_id: int, motion_id: int, text: str, private: bool) -> list[Reply]:
    """Record the member's vote and answer them (privately for a secret ballot)."""
    motion, member, voted = _motion_for_voter(tx, motion_id, person_id)
    if not member:
        raise Refusal("Only members of this assembly can vote on motion {id}.", id=motion.id)
    if motion.status == DRAFT:
        raise Refusal("Motion {id} is not open for voting yet.", id=motion.id)
    if motion.status != OPEN:
        raise Refusal("Motion {id} is closed; votes are no longer taken.", id=motion.id)
    if motion.due(tx.now):
        lifecycle.close(tx, motion)
        return [Reply((Msg.of(N_("Motion {id} closed before your vote arrived."), id=motion.id),))]
    choice = parse_choice(motion.method, motion.options, text)
    chosen = shown(motion.method, motion.options, choice)
    if motion.secret:
        if not private:
            raise Refusal(
                "Motion {id} is a secret ballot: send your vote to me in a private "
                "chat, not in the group.",
                id=motion.id,
            )
        receipt, replaced = ballots.cast_secret(tx, motion, person_id, choice)
        tx.audit("vote.secret", {"motion": motion.id}, motion.assembly_id, person_id)
        return [
            Reply(
                (
                    Msg.of(
                        N_("Secret vote on motion {id} recorded: {choice}."),
                        id=motion.id,
                        choice=chosen,
                    ),
                    Msg.of(
                        N_("Your receipt is {receipt}. Keep it to check the count at close."),
                        receipt=receipt,
                    ),
                )
                + ((Msg.of(N_("Your earlier vote was replaced.")),) if replaced else ()),
                private=True,
            )
        ]
    replaced = ballots.cast_open(tx, motion, person_id, choice, voted)
    tx.audit("vote.cast", {"motion": motion.id, "choice": choice}, motion.assembly_id, person_id)
    effects.cast(tx, motion, person_id, choice)
    key = (
        N_("Vote on motion {id} changed to {choice}.")
        if replaced
        else N_("Vote on motion {id} recorded: {choice}.")
    )
    return [Reply((Msg.of(key, id=motion.id, choice=chosen),), private=private)]
