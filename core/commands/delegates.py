"""Commands for delegates: read the arguments, call one service, reply."""

from __future__ import annotations

from core.commands.grammar import number, split_first
from core.commands.handlers import Ctx, command
from core.delegates import elections, mandates, resignation
from core.errors import Refusal
from core.messages import N_, Reply


@command("elect", N_("/elect [seats] [to <central assembly>] — call an election of delegates"))
def _elect(ctx: Ctx, args: str) -> list[Reply]:
    words = args.split()
    wanted = None
    if words and words[0].isdigit():
        text = words.pop(0)
        if len(text) > 3 or not 1 <= int(text) <= elections.MAX_SEATS:
            raise Refusal("Give a number of seats from 1 to 100.")
        wanted = int(text)
    body_id = None
    if len(words) == 2 and words[0].lower() == "to":
        body_id = number(words[1])
    elif words:
        raise Refusal("Call an election: /elect [seats] [to <central assembly>]")
    return elections.call(ctx.tx, ctx.member(), ctx.person_id, wanted, body_id)


@command("nominate", N_("/nominate <election> [name] — stand, or nominate a member"))
def _nominate(ctx: Ctx, args: str) -> list[Reply]:
    first, who = split_first(args)
    if not first:
        raise Refusal("Say which election: /nominate <election> [name]")
    return elections.nominate(ctx.tx, ctx.member(), ctx.person_id, number(first), who)


def _own_assembly(ctx: Ctx) -> int | None:
    """Group chat: its assembly; private chat: the election's own (checked by the service)."""
    return None if ctx.place.private else ctx.assembly_id


@command("accept", N_("/accept <election> — accept your nomination"))
def _accept(ctx: Ctx, args: str) -> list[Reply]:
    return elections.accept(ctx.tx, _own_assembly(ctx), ctx.person_id, number(args))


@command("decline", N_("/decline <election> — decline your nomination"))
def _decline(ctx: Ctx, args: str) -> list[Reply]:
    return elections.decline(ctx.tx, _own_assembly(ctx), ctx.person_id, number(args))


@command("withdraw", N_("/withdraw <election> — stop standing, before voting opens"))
def _withdraw(ctx: Ctx, args: str) -> list[Reply]:
    return elections.withdraw(ctx.tx, _own_assembly(ctx), ctx.person_id, number(args))


@command("ballot", N_("/ballot <election> — open voting before nominations close"))
def _ballot(ctx: Ctx, args: str) -> list[Reply]:
    return elections.ballot(ctx.tx, ctx.member(), ctx.person_id, number(args))


@command("delegates", N_("/delegates — the delegates, their mandates and instructions"))
def _delegates(ctx: Ctx, args: str) -> list[Reply]:
    return mandates.listing(ctx.tx, ctx.assembly_id)


@command(
    "mandate",
    N_("/mandate <delegate> scope <text> | release <hours> | term <date|none> — put a change"),
)
def _mandate(ctx: Ctx, args: str) -> list[Reply]:
    first, rest = split_first(args)
    what, value = split_first(rest)
    if not first or what.lower() not in ("scope", "release", "term") or not value:
        raise Refusal(
            "Change a mandate: /mandate <delegate> scope <text> | release <hours> | "
            "term <YYYY-MM-DD|none>"
        )
    return mandates.propose_change(
        ctx.tx, ctx.member(), ctx.person_id, number(first), what.lower(), value
    )


@command(
    "instruct",
    N_("/instruct <central motion> <choice> binding|advisory — instruct the delegates"),
)
def _instruct(ctx: Ctx, args: str) -> list[Reply]:
    first, rest = split_first(args)
    words = rest.rsplit(maxsplit=1)
    if not first or len(words) < 2:
        raise Refusal(
            "Instruct the delegates: /instruct <central motion> <choice> binding|advisory"
        )
    choice, force = words
    return mandates.propose_instruction(
        ctx.tx, ctx.member(), ctx.person_id, number(first), choice, force
    )


@command("resign", N_("/resign <delegate> — give your seat back"))
def _resign(ctx: Ctx, args: str) -> list[Reply]:
    return resignation.resign(ctx.tx, ctx.person_id, number(args))
