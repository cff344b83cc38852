"""Commands for the plan factory and plan votes, all under ``/plan``.

Reading: ``/plan``, ``/plan <set>``, ``/plan why <set> A B``, ``/plan chart <set>``.
Asking: ``/plan propose <words>``, ``/plan withdraw <n>`` (any member);
``/plan offer <sector>; now ...; capacity ...`` (put to the assembly's vote).
In the central chat, by a delegate: ``/plan compute [title]``, ``/plan vote <set>
[hours]``, ``/plan revise``.

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
from core.plans import explain, factory, member_proposals, offers, revision, view, vote

_HOURS = re.compile(r"^(\d{1,4})h?$")


@command(
    "plan",
    N_(
        "/plan [<set> | why <set> A B | chart <set> | propose <words> | withdraw <n> | "
        "offer <sector>; now <n>; capacity <n> | compute | vote <set> [hours] | revise] "
        "— plan variants and the federation's plan vote"
    ),
)
def _plan(ctx: Ctx, args: str) -> list[Reply]:
    sub, rest = split_first(args)
    word = sub.lower()
    if word in _SUBCOMMANDS:
        return _SUBCOMMANDS[word](ctx, rest)
    here = _here(ctx)
    if not sub:
        return view.overview(ctx.tx, here)
    return view.show(ctx.tx, here, number(sub))


def _vote(ctx: Ctx, rest: str) -> list[Reply]:
    first, more = split_first(rest)
    if not first:
        raise Refusal("Say which variant set: /plan vote <set> [hours]")
    return vote.call(ctx.tx, _central_here(ctx), ctx.person_id, number(first), _hours(more))


def _compute(ctx: Ctx, rest: str) -> list[Reply]:
    return factory.compute(ctx.tx, _central_here(ctx, voting=False), ctx.person_id, rest)


def _revise(ctx: Ctx, rest: str) -> list[Reply]:
    return revision.revise(ctx.tx, _central_here(ctx, voting=False), ctx.person_id)


def _propose(ctx: Ctx, rest: str) -> list[Reply]:
    if not rest.strip():
        raise Refusal("Say what you propose, for example: /plan propose +20% education")
    return member_proposals.propose(ctx.tx, _here(ctx), ctx.person_id, rest)


def _withdraw(ctx: Ctx, rest: str) -> list[Reply]:
    return member_proposals.withdraw(ctx.tx, ctx.person_id, number(rest))


def _offer(ctx: Ctx, rest: str) -> list[Reply]:
    if not rest.strip():
        raise Refusal(
            "Say what the workplace can make, for example: "
            "/plan offer printing; now 120; capacity 150"
        )
    return offers.offer(ctx.tx, _here(ctx), ctx.person_id, rest, None)


def _why(ctx: Ctx, rest: str) -> list[Reply]:
    first, more = split_first(rest)
    a, b = split_first(more)
    if not first or not a or not b.strip():
        raise Refusal("Name a set and two of its variants, for example: /plan why 1 A B")
    return explain.why(ctx.tx, _here(ctx), number(first), a, b.split()[0])


def _chart(ctx: Ctx, rest: str) -> list[Reply]:
    if not rest.strip():
        raise Refusal("Say which variant set: /plan chart <set>")
    return explain.chart(ctx.tx, _here(ctx), number(rest))


_SUBCOMMANDS: dict[str, Handler] = {
    "vote": _vote,
    "compute": _compute,
    "revise": _revise,
    "propose": _propose,
    "withdraw": _withdraw,
    "offer": _offer,
    "why": _why,
    "chart": _chart,
}


def _here(ctx: Ctx) -> Assembly:
    """The chat's assembly (refused in a private chat, or in a chat that is none)."""
    return ctx.assembly or assemblies.get(ctx.tx, ctx.assembly_id)


def _central_here(ctx: Ctx, voting: bool = True) -> int:
    """A plan vote is called, and variants computed, where the whole federation's delegates sit."""
    if not _here(ctx).is_central:
        if voting:
            raise Refusal(
                "A plan vote is called in the central assembly's chat, by one of its delegates."
            )
        raise Refusal("This is done in the central assembly's chat, by one of its delegates.")
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
