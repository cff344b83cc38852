"""Commands for federation: read the arguments, call one service, reply.

``/federation found|join|leave``, ``/central`` (with ``/central said``),
``/council`` and ``/rescind`` are registered here. The
limits on the centre also guard a few general commands in a central
assembly's chat (``/rules set``, ``/motion secret``; see docs/federation.md):
the handlers stay as they are, the guard runs first. What opens in a central
assembly is relayed by ``core.federation.relay``.
"""

from __future__ import annotations

from collections.abc import Callable

from core import assemblies
from core.assemblies import Assembly
from core.commands.grammar import motion_spec, number, split_first
from core.commands.handlers import HANDLERS, Ctx, command, say
from core.errors import Refusal
from core.federation import central, council, joining, limits, said, view
from core.messages import N_, Reply

USAGE = "/federation found <name> | join <central number> | leave <central number>"


@command(
    "federation",
    N_("/federation [found <name> | join <central> | leave <central>] — a central assembly"),
)
def _federation(ctx: Ctx, args: str) -> list[Reply]:
    sub, rest = split_first(args)
    word = sub.lower()
    if word == "found":
        if not rest:
            raise Refusal("Give the central assembly a name: /federation found <name>")
        made = central.found(ctx.tx, ctx.place, rest, ctx.person_id, ctx.actor.language)
        return say(
            N_(
                "Central assembly {name} ({id}) is founded. Its members will be the delegates "
                "of the assemblies that join it by their own vote: /federation join {id}"
            ),
            name=made.name,
            id=made.id,
        )
    if word in (joining.JOIN, joining.LEAVE):
        if not rest:
            raise Refusal(
                "Say which central assembly: /federation {word} <central number>", word=word
            )
        return joining.propose(ctx.tx, ctx.member(), ctx.person_id, number(rest), word)
    if not word:
        return view.overview(ctx.tx, _here(ctx))
    raise Refusal("Use: {usage}", usage=USAGE)


@command(
    "central",
    N_("/central [motion] | /central said [n | #id] — what the central assembly did and said"),
)
def _central(ctx: Ctx, args: str) -> list[Reply]:
    if not args:
        return view.recent(ctx.tx, _here(ctx))
    sub, rest = split_first(args)
    if sub.lower() == "said":
        if rest.strip().startswith("#"):
            return said.one(ctx.tx, _here(ctx), number(rest))
        return said.latest(ctx.tx, _here(ctx), said.count_arg(rest))
    return view.expand(ctx.tx, _here(ctx), number(args))


@command(
    "council",
    N_(
        "/council [acts | elect | agenda [sitting] <item> | convene <YYYY-MM-DD HH:MM> <reason>]"
        " — the central council"
    ),
)
def _council(ctx: Ctx, args: str) -> list[Reply]:
    sub, rest = split_first(args)
    word = sub.lower()
    if not word:
        return council.overview(ctx.tx, _here(ctx))
    if word == "acts" and not rest:
        return council.acts(ctx.tx, _here(ctx))
    if word == "elect" and not rest:
        return council.call_election(ctx.tx, ctx.assembly, ctx.person_id)
    if word == "agenda":
        first, text = split_first(rest)
        if first.isdigit() and text:
            return council.put_on_agenda(ctx.tx, ctx.assembly, ctx.person_id, int(first), text)
        if not rest:
            raise Refusal("Say what to put on the agenda: /council agenda [sitting] <item>")
        return council.put_on_agenda(ctx.tx, ctx.assembly, ctx.person_id, None, rest)
    if word == "convene":
        words = rest.split(maxsplit=2)
        if len(words) < 3:
            raise Refusal("Say when and why: /council convene <YYYY-MM-DD HH:MM> <reason>")
        return council.convene(
            ctx.tx, ctx.assembly, ctx.person_id, f"{words[0]} {words[1]}", words[2]
        )
    council.refuse_other(ctx.tx, ctx.assembly)


@command("rescind", N_("/rescind <council act> — put undoing a council act to the vote"))
def _rescind(ctx: Ctx, args: str) -> list[Reply]:
    if not args:
        raise Refusal("Say which council act: /rescind <act>. The acts: /council acts")
    return council.propose_rescission(ctx.tx, ctx.assembly, ctx.person_id, number(args))


def _here(ctx: Ctx) -> Assembly:
    """The chat's assembly (refused in a private chat, or in a chat that is none)."""
    assembly_id = ctx.assembly_id
    return ctx.assembly or assemblies.get(ctx.tx, assembly_id)


Check = Callable[[Ctx, str], None]


def _guard(name: str, check: Check) -> None:
    """Run ``check`` before the handler of ``name`` (and its aliases)."""
    inner = HANDLERS[name]

    def guarded(ctx: Ctx, args: str) -> list[Reply]:
        check(ctx, args)
        return inner(ctx, args)

    for word, handler in list(HANDLERS.items()):
        if handler is inner:
            HANDLERS[word] = guarded


def _rules_check(ctx: Ctx, args: str) -> None:
    sub, rest = split_first(args)
    if sub.lower() == "set" and ctx.assembly is not None:
        key, value = split_first(rest)
        if key and value:
            limits.check_rule_change(ctx.assembly, key, value)


def _secret_check(ctx: Ctx, args: str) -> None:
    if ctx.assembly is not None and args.strip():
        limits.check_secret(ctx.assembly, motion_spec(args).secret)


_guard("rules", _rules_check)
_guard("motion", _secret_check)
_guard("draft", _secret_check)
