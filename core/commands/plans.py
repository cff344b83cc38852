"""Commands for plan votes: ``/plan``, ``/plan <set>``, ``/plan vote <set> [hours]``.

``/vote`` in a private chat is guarded too: a secret ballot is recorded before
any listener hears of it, so a person's second ballot in a pooled plan vote is
refused here first (``core.plans.vote.check_once``). Votes in group chats are
open ballots, checked by the vote's own listener, so the group vote path (the
chat's busiest) costs nothing more.
"""

from __future__ import annotations

import re

from core import assemblies
from core.assemblies import Assembly
from core.commands.grammar import number, split_first
from core.commands.handlers import HANDLERS, Ctx, Handler, command
from core.errors import Refusal
from core.messages import N_, Reply
from core.plans import view, vote

_HOURS = re.compile(r"^(\d{1,4})h?$")


@command(
    "plan",
    N_("/plan [<set> | vote <set> [hours]] — plan variants and the federation's plan vote"),
)
def _plan(ctx: Ctx, args: str) -> list[Reply]:
    sub, rest = split_first(args)
    if sub.lower() == "vote":
        first, more = split_first(rest)
        if not first:
            raise Refusal("Say which variant set: /plan vote <set> [hours]")
        return vote.call(ctx.tx, _central_here(ctx), ctx.person_id, number(first), _hours(more))
    here = _here(ctx)
    if not sub:
        return view.overview(ctx.tx, here)
    return view.show(ctx.tx, here, number(sub))


def _here(ctx: Ctx) -> Assembly:
    """The chat's assembly (refused in a private chat, or in a chat that is none)."""
    return ctx.assembly or assemblies.get(ctx.tx, ctx.assembly_id)


def _central_here(ctx: Ctx) -> int:
    """A plan vote is called where the delegates of the whole federation sit."""
    if not _here(ctx).is_central:
        raise Refusal(
            "A plan vote is called in the central assembly's chat, by one of its delegates."
        )
    return ctx.assembly_id


def _hours(text: str) -> int | None:
    if not text:
        return None
    match = _HOURS.match(text.strip().lower())
    if not match:
        raise Refusal("Give a whole number of hours from 1 to 1440.")
    return int(match.group(1))


def _guard_private_votes() -> None:
    """Check a private ``/vote`` against the once-per-person rule before it is cast."""
    inner: Handler = HANDLERS["vote"]

    def guarded(ctx: Ctx, args: str) -> list[Reply]:
        if ctx.place.private:
            motion = split_first(args)[0].lstrip("#")
            if motion.isdigit() and len(motion) <= 12:
                vote.check_once(ctx.tx, int(motion), ctx.person_id)
        return inner(ctx, args)

    for word, handler in list(HANDLERS.items()):
        if handler is inner:
            HANDLERS[word] = guarded


_guard_private_votes()
