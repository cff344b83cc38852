"""One handler per command: read the arguments, call one service, reply.

A handler knows the grammar of its command and nothing about platforms;
rules live in the services it calls.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from core import assemblies, dissent, membership, people, petitions, records, rules, sittings
from core.assemblies import Assembly
from core.commands.grammar import motion_spec, number, split_first
from core.context import Actor, Place, Tx
from core.errors import Refusal
from core.export import dumps, personal
from core.i18n import LANGUAGES
from core.messages import N_, Attachment, Msg, Reply
from core.motions import lifecycle, voting
from core.motions.model import DRAFT, in_assembly, load


@dataclass
class Ctx:
    """Who acts where: the actor's person id and the chat's assembly (if any).

    The assembly is looked up only when a handler asks for it, so a vote (which
    finds its assembly through the motion) costs no extra query.
    """

    tx: Tx
    actor: Actor
    place: Place
    person_id: int

    @cached_property
    def assembly(self) -> Assembly | None:
        return None if self.place.private else assemblies.at_place(self.tx, self.place)

    @property
    def assembly_id(self) -> int:
        """The chat's assembly; commands that need one refuse in other chats."""
        if self.assembly is None:
            if self.place.private:
                raise Refusal("Send this in your assembly's group chat.")
            raise Refusal("This chat is not an assembly yet. Send /found <name> to found one.")
        return self.assembly.id

    def member(self) -> int:
        assemblies.require_member(self.tx, self.assembly_id, self.person_id)
        return self.assembly_id


Handler = Callable[[Ctx, str], list[Reply]]
HANDLERS: dict[str, Handler] = {}
HELP: list[tuple[str, str]] = []


def command(name: str, usage: str, *aliases: str) -> Callable[[Handler], Handler]:
    """Register a handler under ``name`` (and aliases) with its help line."""

    def register(handler: Handler) -> Handler:
        for word in (name, *aliases):
            HANDLERS[word] = handler
        HELP.append((name, usage))
        return handler

    return register


def say(key: str, **params: object) -> list[Reply]:
    return [Reply((Msg(key, dict(params)),))]


@command("help", N_("/help — this list"), "start")
def _help(ctx: Ctx, args: str) -> list[Reply]:
    lines = [Msg.of(N_("Konsilo: your assembly decides by vote. Commands:"))]
    lines += [Msg(usage) for _, usage in HELP]
    return [Reply(tuple(lines))]


@command("found", N_("/found <name> — make this group chat an assembly"))
def _found(ctx: Ctx, args: str) -> list[Reply]:
    if not args:
        raise Refusal("Give the assembly a name: /found <name>.")
    made = assemblies.found(ctx.tx, ctx.place, args, ctx.person_id, ctx.actor.language)
    return say(
        N_("Assembly {name} is founded; you are its first member. Others: /join"), name=made.name
    )


@command("join", N_("/join — ask to join this assembly"))
def _join(ctx: Ctx, args: str) -> list[Reply]:
    return membership.join(ctx.tx, ctx.assembly_id, ctx.person_id)


@command("vouch", N_("/vouch <request> — vouch for someone asking to join"))
def _vouch(ctx: Ctx, args: str) -> list[Reply]:
    return membership.vouch(ctx.tx, ctx.assembly_id, ctx.person_id, number(args))


@command("leave", N_("/leave — leave the assembly (at once)"))
def _leave(ctx: Ctx, args: str) -> list[Reply]:
    return membership.leave(ctx.tx, ctx.assembly_id, ctx.person_id)


@command("members", N_("/members — the roll"))
def _members(ctx: Ctx, args: str) -> list[Reply]:
    roll = assemblies.member_ids(ctx.tx, ctx.assembly_id)
    names = people.names(ctx.tx, roll)
    listing = ", ".join(f"{names.get(p, '?')} ({p})" for p in roll)
    return say(N_("{n} members: {list}"), n=len(roll), list=listing)


@command("remove", N_("/remove <member number> <reason> — put a removal to the vote"))
def _remove(ctx: Ctx, args: str) -> list[Reply]:
    who, why = split_first(args)
    if not why:
        raise Refusal("A removal needs a reason: /remove <member number> <reason>.")
    return membership.propose_removal(ctx.tx, ctx.member(), ctx.person_id, number(who), why)


def _put(ctx: Ctx, args: str, draft: bool) -> list[Reply]:
    spec = motion_spec(args)
    lifecycle.check_window(ctx.tx, ctx.member(), spec.hours)
    motion = lifecycle.propose(
        ctx.tx,
        ctx.member(),
        ctx.person_id,
        "decision",
        spec.title,
        method=spec.method,
        options=spec.options,
        secret=spec.secret,
        hours=spec.hours,
        draft=draft,
    )
    if draft:
        return say(N_("Draft motion {id} saved. Open it for voting: /open {id}"), id=motion.id)
    return say(N_("Motion {id} is open for voting."), id=motion.id)


@command("motion", N_("/motion [method] [secret] [48h] <title> | <option> | ... — put a motion"))
def _motion(ctx: Ctx, args: str) -> list[Reply]:
    return _put(ctx, args, draft=False)


@command("draft", N_("/draft ... — like /motion, but opened later with /open"))
def _draft(ctx: Ctx, args: str) -> list[Reply]:
    return _put(ctx, args, draft=True)


@command("open", N_("/open <motion> [hours] — open your draft for voting"))
def _open(ctx: Ctx, args: str) -> list[Reply]:
    first, rest = split_first(args)
    motion = in_assembly(ctx.tx, number(first), ctx.member())
    if motion.status == DRAFT and motion.proposer_id != ctx.person_id:
        raise Refusal("Only the member who wrote draft {id} can open it.", id=motion.id)
    hours = number(rest) if rest else None
    lifecycle.check_window(ctx.tx, motion.assembly_id, hours)
    lifecycle.open_motion(ctx.tx, motion, ctx.person_id, hours)
    return say(N_("Motion {id} is open for voting."), id=motion.id)


@command("vote", N_("/vote <motion> <choice> — vote (again to change it)"))
def _vote(ctx: Ctx, args: str) -> list[Reply]:
    first, rest = split_first(args)
    if not rest:
        raise Refusal("Say what you vote: /vote <motion> <choice>.")
    return voting.cast(ctx.tx, ctx.person_id, number(first), rest, ctx.place.private)


@command("close", N_("/close <motion> — count a motion whose time is up"))
def _close(ctx: Ctx, args: str) -> list[Reply]:
    motion = in_assembly(ctx.tx, number(args), ctx.member())
    if not motion.due(ctx.tx.now):
        raise Refusal("Motion {id} stays open until its closing time.", id=motion.id)
    lifecycle.close(ctx.tx, motion, ctx.person_id)
    return say(
        N_("Motion {id} is counted; the result goes to every chat of the assembly."), id=motion.id
    )


@command("again", N_("/again <motion> — put a motion without quorum again"))
def _again(ctx: Ctx, args: str) -> list[Reply]:
    motion = in_assembly(ctx.tx, number(args), ctx.member())
    fresh = lifecycle.again(ctx.tx, motion, ctx.person_id)
    return say(N_("Motion {id} is open for voting."), id=fresh.id)


@command("show", N_("/show <motion> — a motion and its result"))
def _show(ctx: Ctx, args: str) -> list[Reply]:
    motion = load(ctx.tx, number(args))
    if ctx.place.private:
        assemblies.require_member(ctx.tx, motion.assembly_id, ctx.person_id)
    elif ctx.assembly is None or motion.assembly_id != ctx.assembly.id:
        raise Refusal("There is no motion {id}.", id=motion.id)
    lines = (
        lifecycle.announcement(ctx.tx, motion)
        if motion.result is None
        else lifecycle.result_lines(motion)
    )
    return [Reply(tuple(lines))]


@command("motions", N_("/motions — what is open for voting"))
def _motions(ctx: Ctx, args: str) -> list[Reply]:
    return records.open_motions(ctx.tx, ctx.assembly_id)


@command("rules", N_("/rules [set <rule> <value> | history] — the rules and changing them"))
def _rules(ctx: Ctx, args: str) -> list[Reply]:
    sub, rest = split_first(args)
    if not sub:
        return rules.show(ctx.tx, ctx.assembly_id)
    if sub.lower() == "history":
        return rules.show_history(ctx.tx, ctx.assembly_id)
    if sub.lower() == "set":
        key, value = split_first(rest)
        if not value:
            raise Refusal("Propose a change: /rules set <rule> <value>")
        return rules.propose_change(ctx.tx, ctx.assembly_id, ctx.person_id, key, value)
    raise Refusal("Propose a change: /rules set <rule> <value>")


@command("petition", N_("/petition sitting <why> | reopen <motion> <why> — start a petition"))
def _petition(ctx: Ctx, args: str) -> list[Reply]:
    kind, rest = split_first(args)
    if kind.lower() == "sitting":
        if not rest:
            raise Refusal("A petition needs a reason.")
        return petitions.start(ctx.tx, ctx.assembly_id, ctx.person_id, "sitting", rest)
    if kind.lower() == "reopen":
        target, why = split_first(rest)
        if not why:
            raise Refusal("A petition needs a reason.")
        return petitions.start(
            ctx.tx, ctx.assembly_id, ctx.person_id, "reopen", why, number(target)
        )
    raise Refusal(
        "Petition for a sitting or to reopen: /petition sitting <why> | "
        "/petition reopen <motion> <why>"
    )


@command("sign", N_("/sign <petition> — sign a petition"))
def _sign(ctx: Ctx, args: str) -> list[Reply]:
    return petitions.sign(ctx.tx, ctx.assembly_id, ctx.person_id, number(args))


@command("sitting", N_("/sitting YYYY-MM-DD HH:MM [title] — propose an ordinary sitting"))
def _sitting(ctx: Ctx, args: str) -> list[Reply]:
    words = args.split(maxsplit=2)
    if len(words) < 2:
        raise Refusal("Give the date and time as YYYY-MM-DD HH:MM.")
    title = words[2] if len(words) > 2 else ""
    return sittings.propose_ordinary(
        ctx.tx, ctx.assembly_id, ctx.person_id, f"{words[0]} {words[1]}", title
    )


@command("agenda", N_("/agenda [sitting] | /agenda add [sitting] <item> — the agenda"))
def _agenda(ctx: Ctx, args: str) -> list[Reply]:
    sub, rest = split_first(args)
    if sub.lower() == "add":
        first, text = split_first(rest)
        if first.isdigit() and text:
            return sittings.add_item(ctx.tx, ctx.assembly_id, ctx.person_id, int(first), text)
        if not rest:
            raise Refusal("Say what to add: /agenda add <item>.")
        return sittings.add_item(ctx.tx, ctx.assembly_id, ctx.person_id, None, rest)
    return sittings.agenda(ctx.tx, ctx.assembly_id, number(sub) if sub else None)


@command("record", N_("/record [sitting] — decisions, results and dissent"))
def _record(ctx: Ctx, args: str) -> list[Reply]:
    return records.record(ctx.tx, ctx.assembly_id, number(args) if args else None)


@command("dissent", N_("/dissent <motion> <text> — attach a minority statement"))
def _dissent(ctx: Ctx, args: str) -> list[Reply]:
    first, text = split_first(args)
    if not text:
        raise Refusal("Write your statement: /dissent <motion> <text>.")
    return dissent.attach(ctx.tx, ctx.assembly_id, ctx.person_id, number(first), text)


@command("export", N_("/export — your own data, as a file"))
def _export(ctx: Ctx, args: str) -> list[Reply]:
    data = personal(ctx.tx, ctx.person_id)
    ctx.tx.audit("person.export", {"person": ctx.person_id}, None, ctx.person_id)
    return [
        Reply(
            (Msg.of(N_("Here is everything Konsilo holds about you.")),),
            private=True,
            attachment=Attachment(f"konsilo-{ctx.person_id}.json", dumps(data)),
        )
    ]


@command("language", N_("/language en|es — the language I use with you"))
def _language(ctx: Ctx, args: str) -> list[Reply]:
    code = args.strip().lower()
    if code not in LANGUAGES:
        raise Refusal("Choose one of: {options}.", options=", ".join(LANGUAGES))
    people.set_language(ctx.tx, ctx.person_id, code)
    return say(N_("I will write to you in English."))
