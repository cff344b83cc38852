"""How a vote stands while it is open: what a chat may show as ballots come in.

Open ballots show turnout and the count per choice; a secret ballot shows
turnout only, so the running count of a secret vote is never revealed before
the close. Votes of members who left are not counted, as at the close.
"""

from __future__ import annotations

from collections import Counter

from core import assemblies
from core.context import Tx
from core.messages import N_, Msg
from core.motions import ballots
from core.motions.model import load


def standing(tx: Tx, motion_id: int) -> list[Msg]:
    """The current standing of motion ``motion_id`` as lines for its members."""
    motion = load(tx, motion_id)
    members = assemblies.member_count(tx, motion.assembly_id)
    if motion.secret or motion.method not in ("yesno", "single"):
        turnout = ballots.turnout_count(tx, motion)
        return [Msg.of(N_("Turnout {turnout} of {members}."), turnout=turnout, members=members)]
    counted = Counter(str(choice) for _, choice in ballots.open_choices(tx, motion))
    turnout = sum(counted.values())
    if motion.method == "yesno":
        return [
            Msg.of(
                N_("Turnout {turnout} of {members}: yes {yes}, no {no}, abstain {abstain}."),
                turnout=turnout,
                members=members,
                yes=counted["yes"],
                no=counted["no"],
                abstain=counted["abstain"],
            )
        ]
    per_option = ", ".join(
        f"{name} {counted[str(index)]}" for index, name in enumerate(motion.options)
    )
    return [
        Msg.of(
            N_("Turnout {turnout} of {members}: {counts}."),
            turnout=turnout,
            members=members,
            counts=per_option,
        )
    ]
