"""Inline keyboards for votes, their callback data, deep links and the command menu.

A button press only ever becomes ``/vote <motion> <choice>``, the command the
member could type: callback data is ``v:<motion>:<choice>``, checked against a
strict pattern, so forged data can reach nothing else. The engine then refuses
what a typed command would be refused (closed motions, non-members, a secret
ballot pressed in the group).
"""

from __future__ import annotations

import re

from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup

from core.commands.handlers import HELP
from core.i18n import render
from core.messages import N_, Msg
from core.outbox import Choices

CALLBACK_LIMIT = 64  # bytes Telegram allows in callback_data
LABEL_LIMIT = 48  # characters of an option's name on a button
_VOTE = re.compile(r"v:([1-9][0-9]{0,8}):(yes|no|abstain|[1-9][0-9]?)")
_DEEP_LINK = re.compile(r"/start v([1-9][0-9]{0,8})")
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
DESCRIPTION_MIN, DESCRIPTION_MAX = 3, 256
MENU_LIMIT = 100  # commands Telegram accepts in one menu

VOTE_PRIVATELY = N_("Vote privately")
VOTE_IN_PRIVATE_CHAT = N_("Vote in a private chat")


def vote_data(motion: int, command: str) -> str:
    """The callback data of a vote button."""
    data = f"v:{motion}:{command}"
    assert len(data.encode()) <= CALLBACK_LIMIT and _VOTE.fullmatch(data), data
    return data


def vote_command(data: str | None) -> str | None:
    """The ``/vote`` a press stands for; None for data no button of ours carries."""
    found = _VOTE.fullmatch(data or "")
    return f"/vote {found.group(1)} {found.group(2)}" if found else None


def deep_link(username: str, motion: int) -> str:
    """``t.me`` link that opens the private chat with ``/start v<motion>``."""
    return f"https://t.me/{username}?start=v{motion}"


def deep_linked(text: str) -> int | None:
    """The motion of a ``/start v<motion>`` (a deep link followed), else None."""
    found = _DEEP_LINK.fullmatch(text.strip())
    return int(found.group(1)) if found else None


def _label(label: Msg | str, language: str) -> str:
    text = render(label, language) if isinstance(label, Msg) else label
    return text if len(text) <= LABEL_LIMIT else text[: LABEL_LIMIT - 1].rstrip() + "…"


def press_buttons(choices: Choices, language: str) -> InlineKeyboardMarkup | None:
    """One button per choice: yes / no / abstain on one row, options one per row."""
    buttons = [
        InlineKeyboardButton(
            _label(c.label, language), callback_data=vote_data(choices.motion, c.command)
        )
        for c in choices.options
    ]
    if not buttons:
        return None
    rows = [buttons] if choices.method == "yesno" else [[b] for b in buttons]
    return InlineKeyboardMarkup(rows)


def group_keyboard(
    choices: Choices, language: str, username: str | None
) -> InlineKeyboardMarkup | None:
    """The keyboard under a motion's announcement in a group.

    A secret ballot, and a vote that is more than one press (ranked, approval),
    get one button to the private chat instead; the group never sees a ballot.
    """
    if not choices.secret and choices.options:
        return press_buttons(choices, language)
    if not username:
        return None
    text = VOTE_PRIVATELY if choices.secret else VOTE_IN_PRIVATE_CHAT
    link = deep_link(username, choices.motion)
    return InlineKeyboardMarkup([[InlineKeyboardButton(render(Msg(text), language), url=link)]])


def menu(language: str) -> list[BotCommand]:
    """The command menu (``setMyCommands``) in ``language``, from the engine's help."""
    commands: list[BotCommand] = []
    seen: set[str] = set()
    for name, usage in HELP:
        if not _COMMAND.fullmatch(name) or name in seen or len(commands) == MENU_LIMIT:
            continue
        seen.add(name)
        line = render(Msg(usage), language)
        words = line.removeprefix(f"/{name}").strip().removeprefix("—").strip()
        description = words if len(words) >= DESCRIPTION_MIN else f"/{name}"
        commands.append(BotCommand(name, description[:DESCRIPTION_MAX]))
    return commands
