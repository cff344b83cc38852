"""An assembly in a Telegram group, through the emulator: what each member reads."""

from __future__ import annotations

import re
import time

import pytest

from tests.telegram.client import User, group_chat, private_chat
from tests.telegram.conftest import Telegram

pytestmark = pytest.mark.telegram

ANA = User(1001, "Ana", last_name="Ruiz")
BO = User(1002, "Bo")
CY = User(1003, "Cy", language_code="es")
DI = User(1004, "Di")
ED = User(1005, "Ed")
ZOE = User(1009, "Zoe", language_code="es")
SHOP = group_chat(-1001234, "Print shop workers")


async def found(tg: Telegram, founder: User, name: str, *members: User) -> None:
    """``founder`` founds the assembly in SHOP and ``members`` join; the group's reading
    of it is consumed."""
    await tg.say(founder, SHOP, f"/found {name}")
    for member in members:
        await tg.say(member, SHOP, "/join")
    await tg.read(SHOP)


async def test_five_members_found_vote_and_read_the_result(tg: Telegram) -> None:
    began = time.monotonic()
    await tg.say(ANA, SHOP, "/found Print shop")
    founded = await tg.messages(SHOP)
    assert [m.text for m in founded] == [
        "Assembly Print shop is founded; you are its first member. Others: /join"
    ]
    assert founded[0].reply_to is not None, "the answer quotes the command it answers"

    for member in (BO, CY, DI, ED):
        await tg.say(member, SHOP, "/join")
    assert await tg.read(SHOP) == [
        "Welcome, Bo: you are a member.",
        "Bo is now a member.",
        "Te damos la bienvenida, Cy: ya eres miembro.",  # Cy's Telegram is in Spanish
        "Cy is now a member.",  # the group reads the assembly's language
        "Welcome, Di: you are a member.",
        "Di is now a member.",
        "Welcome, Ed: you are a member.",
        "Ed is now a member.",
    ]

    await tg.say(ANA, SHOP, "/motion Buy a second press")
    assert await tg.read(SHOP) == [
        "Motion 1 is open for voting.",
        "Motion 1 (decision): Buy a second press\n"
        "Vote: /vote 1 yes | no | abstain\n"
        "Voting closes 2026-03-04 09:00 UTC.",
    ]

    for member in (ANA, BO, CY, DI):
        await tg.say(member, SHOP, "/vote 1 yes")
    await tg.say(ED, SHOP, "/vote@KonsiloBot 1 yes")  # as Telegram's command menu sends it
    await tg.say(ED, SHOP, "/vote@SomeOtherBot 1 no")  # for another bot in the group
    yes = "Vote on motion 1 recorded: yes."
    assert await tg.read(SHOP) == [yes, yes, "Voto en la propuesta 1 registrado: sí.", yes, yes]

    await tg.pass_hours(47)
    assert await tg.read(SHOP) == []
    await tg.pass_hours(2)
    assert await tg.read(SHOP) == [
        "Motion 1 passed: Buy a second press\nTurnout 5 of 5 (quorum 2).\nYes 5, no 0, abstain 0."
    ]
    assert tg.pending() == 0
    print(f"\nscenario: 5 members, {tg.sent} updates, {time.monotonic() - began:.2f} s")


async def test_a_secret_vote_is_cast_and_answered_in_the_private_chat(tg: Telegram) -> None:
    await found(tg, ANA, "Print shop", BO, CY, DI, ED)
    await tg.say(ANA, SHOP, "/motion secret Choose the new logo")
    assert (await tg.read(SHOP))[0] == "Motion 1 is open for voting."

    await tg.say(BO, SHOP, "/vote 1 yes")
    assert await tg.read(SHOP) == [
        "Motion 1 is a secret ballot: send your vote to me in a private chat, not in the group."
    ]

    await tg.say(BO, private_chat(BO), "/vote 1 yes")
    [said] = await tg.read(private_chat(BO))
    receipt = re.fullmatch(
        r"Secret vote on motion 1 recorded: yes\.\n"
        r"Your receipt is ([A-Z0-9]{8})\. Keep it to check the count at close\.",
        said,
    )
    assert receipt, said
    assert await tg.read(SHOP) == [], "the group learns nothing of Bo's ballot"

    for member in (ANA, CY):
        await tg.say(member, private_chat(member), "/vote 1 no")
    await tg.pass_hours(49)
    [result] = await tg.read(SHOP)
    assert result.startswith("Motion 1 failed: Choose the new logo\nTurnout 3 of 5")
    assert f"{receipt.group(1)} yes" in result


async def test_a_refusal_to_a_non_member_is_read_in_the_assemblys_language(
    tg: Telegram,
) -> None:
    lucia = User(2001, "Lucía", language_code="es")
    await tg.say(lucia, SHOP, "/found Imprenta")
    await tg.say(CY, SHOP, "/join")
    await tg.say(lucia, SHOP, "/motion Comprar otra prensa")
    await tg.read(SHOP)

    await tg.say(ZOE, SHOP, "/vote 1 sí")
    assert await tg.read(SHOP) == [
        "Solo los miembros de esta asamblea pueden votar la propuesta 1."
    ]


async def test_html_in_a_members_words_is_shown_as_typed(tg: Telegram) -> None:
    await found(tg, ANA, "Print shop", BO)
    await tg.say(BO, SHOP, "/motion Stop <b>x</b> & <script>")
    replies = await tg.messages(SHOP)
    announced = replies[1]
    assert announced.text.startswith("Motion 1 (decision): Stop <b>x</b> & <script>\n")
    assert "Stop &lt;b&gt;x&lt;/b&gt; &amp; &lt;script&gt;" in announced.source

    await tg.say(BO, SHOP, "/help")  # the engine's own texts have <angle brackets> too
    [shown] = await tg.read(SHOP)
    assert "/vote <motion> <choice> — vote (again to change it)" in shown


async def test_a_reply_longer_than_telegram_allows_comes_in_whole_lines(tg: Telegram) -> None:
    await found(tg, ANA, "Print shop", BO)
    titles = [f"Motion number {n} " + "about the press " * 11 for n in range(1, 26)]
    for title in titles:
        await tg.say(ANA, SHOP, f"/motion {title.strip()}")
    await tg.read(SHOP)

    await tg.say(BO, SHOP, "/motions")
    parts = await tg.read(SHOP)
    assert len(parts) == 2
    assert all(len(part) <= 4096 for part in parts)
    whole = "\n".join(parts)
    assert len(whole) > 4096
    for part in parts:  # each part starts and ends with a whole motion
        assert part.startswith("Motion ") and part.endswith("UTC.")
    shown = re.findall(r"^Motion \d+ \(decision\): (.*)$", whole, flags=re.MULTILINE)
    assert shown == [title.strip() for title in titles]
