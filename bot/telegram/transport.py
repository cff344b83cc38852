"""Telegram updates in, replies and the outbox out. No rules live here.

A member's text message or command becomes one ``Konsilo.handle`` call; its
replies go back to the chat it came from (a private reply to the member's
private chat with the bot), then the outbox is delivered. The outbox is the
durable half: an announcement is marked sent only after Telegram accepted it,
so one that failed stays pending and is tried again after a pause.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections import deque
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from sqlalchemy import Connection, select
from telegram import (
    Bot,
    CallbackQuery,
    InlineKeyboardMarkup,
    InputFile,
    LinkPreviewOptions,
    Message,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatMemberStatus, ChatType, ParseMode
from telegram.error import BadRequest, ChatMigrated, TelegramError
from telegram.ext import (
    Application,
    CallbackContext,
    CallbackQueryHandler,
    ChatMemberHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.telegram.buttons import deep_linked, group_keyboard, press_buttons, vote_command
from bot.telegram.text import addressed, as_html, as_toast, split, units
from core import assemblies, people
from core.app import Answer, Konsilo
from core.context import Actor, Place, Tx
from core.errors import Refusal
from core.i18n import DEFAULT_LANGUAGE, normalize_language
from core.messages import N_, Attachment, Msg, Reply
from core.motions.model import OPEN, load
from core.motions.standing import standing
from core.outbox import Choices, choices_for, mark_sent, pending
from core.store.tables import identities, motions

PLATFORM = "telegram"
OUTBOX_BATCH = 1000
FIRST_PAUSE = 60.0  # seconds before a failed outbox message is tried again; doubles each time
LONGEST_PAUSE = 3600.0
PHOTO_MIME = "image/png"
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
# Text messages (commands included) in groups and private chats; not edits, not channels.
TEXT_MESSAGES = (
    filters.TEXT & filters.UpdateType.MESSAGE & (filters.ChatType.PRIVATE | filters.ChatType.GROUPS)
)
LAST_GROUP = 1_000  # handler group that sees every update after the others
PRESSES = 5  # button presses one user may make per PRESS_WINDOW; more are ignored
PRESS_WINDOW = 10.0  # seconds
EDIT_PAUSE = 3.0  # seconds between two edits of one motion's tally
GROUP_LIMIT = 20  # messages a minute Telegram allows the bot in one group (edits included)
GROUP_WINDOW = 60.0  # seconds
EDIT_SHARE = 15  # of a group's GROUP_LIMIT, what tally edits may use; the rest is for messages
TEXT_LIMIT = 4096  # UTF-16 units of one Telegram message
_VOTED = re.compile(r"/vote(?:@\w+)?\s+([1-9][0-9]{0,8})\b")

PRESENT = {ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.RESTRICTED}
GONE = {ChatMemberStatus.LEFT, ChatMemberStatus.BANNED}
WELCOME = (
    Msg(N_("Hello! I am Konsilo: I help this group decide together, as an assembly of equals.")),
    Msg(N_("To found the assembly of this group, send /found <name>; others then /join.")),
)

TelegramApp = Application[Any, Any, Any, Any, Any, Any]
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outgoing:
    """An outbox row ready to send: where (None: no Telegram chat known) and what."""

    row_id: int
    chat_id: str | None
    text: str
    markup: InlineKeyboardMarkup | None = None
    motion: int | None = None  # the motion whose buttons this message carries
    language: str = DEFAULT_LANGUAGE


@dataclass
class Tally:
    """A group message carrying a motion's buttons, edited to show how the vote stands."""

    chat_id: str
    message_id: int
    text: str  # the announcement as sent (HTML); the standing is shown under it
    markup: InlineKeyboardMarkup
    language: str
    shown: str = field(default="")  # the standing last shown (HTML)


def voted_on(text: str | None) -> int | None:
    """The motion a ``/vote`` (typed or pressed) is about, else None."""
    found = _VOTED.match(text.strip()) if text else None
    return int(found.group(1)) if found else None


def event_key(message: Message) -> str:
    """The message's key for ``Konsilo.handle``: it makes a redelivered update harmless.

    A message id is never reused in its chat, while Telegram starts update ids
    afresh at random after a quiet week, so an update id alone could one day
    collide with a key handled long ago.
    """
    return f"{PLATFORM}:{message.chat.id}:{message.message_id}"


def press_key(query: CallbackQuery) -> str:
    """A press's key for ``Konsilo.handle``: Telegram's callback query ids are unique."""
    return f"{PLATFORM}:press:{query.id}"


def actor_of(user: Any) -> Actor:
    return Actor(PLATFORM, str(user.id), user.full_name, user.language_code)


class Transport:
    """Turns updates into engine calls and engine output into Telegram messages."""

    def __init__(
        self,
        konsilo: Konsilo,
        bot: Bot,
        retry_pause: float = FIRST_PAUSE,
        edit_pause: float = EDIT_PAUSE,
    ) -> None:
        self.konsilo = konsilo
        self.bot = bot
        self.retry_pause = retry_pause
        self.edit_pause = edit_pause
        self.processed = 0  # updates fully handled (replies and outbox sent): tests wait on it
        self._lock = asyncio.Lock()
        self._failures: dict[int, tuple[int, float]] = {}  # row id: (failures, not before)
        self._timer: asyncio.TimerHandle | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._presses: dict[int, deque[float]] = {}  # user id: times of their recent presses
        # In memory only (see docs/telegram.md): after a restart, earlier tallies stay as they are.
        self._tallies: dict[int, list[Tally]] = {}  # motion id: its messages with buttons
        self._stale: set[int] = set()  # motions voted on since their tallies were edited
        self._last_edit: dict[int, float] = {}  # motion id: loop time of its last edit
        self._editors: dict[int, asyncio.Task[None]] = {}  # motion id: its edit waiting
        self._group_sends: dict[str, deque[float]] = {}  # group chat id: times of recent calls
        self._closing: set[int] = set()  # motions closed whose buttons are still shown

    def install(self, app: TelegramApp) -> None:
        """Register the handlers on ``app``."""
        app.add_handler(MessageHandler(TEXT_MESSAGES, self.on_message))
        app.add_handler(CallbackQueryHandler(self.on_press))
        app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, self.on_migrate))
        app.add_handler(ChatMemberHandler(self.on_bot_member, ChatMemberHandler.MY_CHAT_MEMBER))
        app.add_handler(TypeHandler(Update, self.on_processed), group=LAST_GROUP)
        app.add_error_handler(self.on_error)

    async def on_message(self, update: Update, _context: object) -> None:
        """A member's text in a group or private chat: run it, answer, deliver."""
        message = update.message
        if message is None or message.text is None:
            return
        user = message.from_user
        # Messages sent on behalf of a chat (anonymous admins, linked channels) have no person.
        if user is None or user.is_bot or message.sender_chat is not None:
            return
        text = addressed(message.text, self.bot.username)
        if text is None:
            return
        chat = message.chat
        actor = actor_of(user)
        private = chat.type == ChatType.PRIVATE
        place = Place(PLATFORM, str(chat.id), private=private)
        motion = deep_linked(text) if private else None
        if motion is not None:  # a "Vote privately" button followed: show the motion
            text = f"/show {motion}"
        answer = await self.konsilo.handle(actor, place, text, event_key=event_key(message))
        markup = None
        if motion is not None and answer.replies:
            offer = await self.konsilo.db.run(partial(self._offer, actor=actor, motion_id=motion))
            markup = press_buttons(offer, answer.language) if offer is not None else None
        await self.answer(answer, chat.id, user.id, private, message.message_id, markup)
        self.voted(voted_on(text))
        await self.deliver()

    async def answer(
        self,
        answer: Answer,
        chat_id: int,
        user_id: int,
        private: bool,
        reply_to: int | None = None,
        markup: InlineKeyboardMarkup | None = None,
    ) -> None:
        """Send the engine's replies: to the chat, or privately to the member."""
        for reply in answer.replies:
            try:
                if reply.private and not private:
                    await self.send(user_id, reply, answer.language)
                else:
                    await self.send(chat_id, reply, answer.language, reply_to, markup)
            except TelegramError as error:
                # The act stands; only this answer is lost (see docs/telegram.md).
                log.warning("reply to %s in chat %s not sent: %s", user_id, chat_id, error)

    async def on_press(self, update: Update, _context: object) -> None:
        """A vote button pressed: exactly ``/vote <motion> <choice>``, as if typed.

        In a group the engine's reply is the press's toast (the group gets no new
        message); in the private chat it comes as a message (a secret ballot's
        receipt). Data no button of ours carries, presses on inaccessible messages
        and a user's presses beyond ``PRESSES`` in ``PRESS_WINDOW`` are ignored.
        """
        query = update.callback_query
        if query is None:
            return
        user = query.from_user
        message = query.message
        text = vote_command(query.data)
        if text is None or user.is_bot or message is None or not self._may_press(user.id):
            await self._toast(query)
            return
        chat = message.chat
        private = chat.type == ChatType.PRIVATE
        place = Place(PLATFORM, str(chat.id), private=private)
        answer = await self.konsilo.handle(actor_of(user), place, text, event_key=press_key(query))
        if private:
            await self._toast(query)
            await self.answer(answer, chat.id, user.id, private)
        else:
            public = tuple(line for r in answer.replies if not r.private for line in r.lines)
            await self._toast(query, as_toast(public, answer.language) if public else None)
            await self.answer(
                Answer([r for r in answer.replies if r.private], answer.language),
                chat.id,
                user.id,
                private,
            )
        self.voted(voted_on(text))
        await self.deliver()

    async def _toast(self, query: CallbackQuery, text: str | None = None) -> None:
        """Answer a press (Telegram's client shows a spinner until it is answered)."""
        try:
            await query.answer(text or None)
        except TelegramError as error:  # too old, or already answered: nothing to undo
            log.warning("callback query %s not answered: %s", query.id, error)

    def _may_press(self, user_id: int) -> bool:
        """False for a user pressing faster than ``PRESSES`` per ``PRESS_WINDOW``."""
        now = asyncio.get_running_loop().time()
        recent = self._presses.setdefault(user_id, deque())
        while recent and recent[0] <= now - PRESS_WINDOW:
            recent.popleft()
        if len(recent) >= PRESSES:
            return False
        recent.append(now)
        if len(self._presses) > 10_000:  # forget idle users
            self._presses = {k: v for k, v in self._presses.items() if v}
        return True

    def _offer(self, conn: Connection, actor: Actor, motion_id: int) -> Choices | None:
        """The one-press choices of an open motion, for a member of its assembly."""
        tx = Tx(conn, self.konsilo.clock.now(), self.konsilo.secret)
        try:
            motion = load(tx, motion_id)
        except Refusal:
            return None
        person = people.find_person(tx, actor.platform, actor.user_id)
        if motion.status != OPEN or person is None:
            return None
        if not assemblies.is_member(tx, motion.assembly_id, person):
            return None
        return choices_for(motion.id, motion.method, motion.secret, motion.options)

    async def on_migrate(self, update: Update, _context: object) -> None:
        """A group became a supergroup, with a new chat id: its assembly follows.

        Telegram says so in both chats (``migrate_to_chat_id`` in the old one,
        ``migrate_from_chat_id`` in the new); the second notice finds nothing to move.
        """
        message = update.message
        if message is None:
            return
        if message.migrate_to_chat_id is not None:
            await self.move_chat(message.chat.id, message.migrate_to_chat_id)
        elif message.migrate_from_chat_id is not None:
            await self.move_chat(message.migrate_from_chat_id, message.chat.id)
        await self.deliver()

    async def on_bot_member(self, update: Update, _context: object) -> None:
        """The bot was added to a group, or removed from it.

        Added to a group that is no assembly yet: a welcome saying how to found
        one, in English and in the language of whoever added the bot. Added back
        to an assembly's group: what waited in the outbox is sent at once.
        Removed: nothing is lost; the assembly stays, and the outbox rows for the
        group stay pending (retried with the usual pauses) until the bot is back.
        Only ``my_chat_member`` is used (not the ``new_chat_members`` service
        message Telegram also sends) so the welcome comes once.
        """
        change = update.my_chat_member
        if change is None or change.chat.type not in (ChatType.GROUP, ChatType.SUPERGROUP):
            return
        chat = change.chat
        was, now = change.old_chat_member.status, change.new_chat_member.status
        if now in GONE:
            log.info("removed from chat %s; its assembly and outbox stay", chat.id)
            return
        if was not in GONE or now not in PRESENT:
            return
        place = Place(PLATFORM, str(chat.id))

        def known(conn: Connection) -> bool:
            tx = Tx(conn, self.konsilo.clock.now(), self.konsilo.secret)
            return assemblies.at_place(tx, place) is not None

        if await self.konsilo.db.run(known):
            self._failures = {}  # back in the group: what waited is tried at once
            await self.deliver()
            return
        languages = [DEFAULT_LANGUAGE]
        spoken = normalize_language(change.from_user.language_code)
        if spoken not in languages:
            languages.append(spoken)
        text = "\n\n".join(as_html(WELCOME, language) for language in languages)
        try:
            await self.send_text(chat.id, text)
        except TelegramError as error:
            log.warning("welcome to chat %s not sent: %s", chat.id, error)

    async def move_chat(self, old: int | str, new: int | str) -> bool:
        """Move the assembly of chat ``old`` to ``new``; False if nothing moved."""

        def work(conn: Connection) -> bool:
            tx = Tx(conn, self.konsilo.clock.now(), self.konsilo.secret)
            return assemblies.move_chat(tx, PLATFORM, str(old), str(new)) is not None

        moved = await self.konsilo.db.run(work)
        for tally in (t for tallies in self._tallies.values() for t in tallies):
            if tally.chat_id == str(old):  # the message moved with the chat
                tally.chat_id = str(new)
        if moved:
            log.info("chat %s is now %s; its assembly follows", old, new)
        return moved

    async def on_processed(self, _update: Update, _context: object) -> None:
        self.processed += 1

    async def on_error(self, update: object, context: CallbackContext[Any, Any, Any, Any]) -> None:
        log.error("update %r failed", update, exc_info=context.error)

    async def send(
        self,
        chat_id: int | str,
        reply: Reply,
        language: str,
        reply_to: int | None = None,
        markup: InlineKeyboardMarkup | None = None,
    ) -> None:
        """One reply: its text, then the file it carries."""
        await self.send_text(chat_id, as_html(reply.lines, language), reply_to, markup)
        if reply.attachment is not None:
            await self.send_file(chat_id, reply.attachment)

    async def send_text(
        self,
        chat_id: int | str,
        text: str,
        reply_to: int | None = None,
        markup: InlineKeyboardMarkup | None = None,
    ) -> tuple[Message, str] | None:
        """``text`` (HTML) in as many messages as Telegram's limit needs; the keyboard
        goes under the last. The last message and its text (None if nothing was sent)."""
        parts = split(text)
        last = None
        for number, part in enumerate(parts):
            quote = None
            if reply_to is not None and number == 0:  # the first part answers the command
                quote = ReplyParameters(reply_to, allow_sending_without_reply=True)
            self._count_send(chat_id)
            sent = await self.bot.send_message(
                chat_id,
                part,
                parse_mode=ParseMode.HTML,
                link_preview_options=NO_PREVIEW,
                reply_parameters=quote,
                reply_markup=markup if number == len(parts) - 1 else None,
            )
            last = (sent, part)
        return last

    async def send_file(self, chat_id: int | str, attachment: Attachment) -> None:
        """A PNG as a photo (shown inline, e.g. a chart); anything else as a document."""
        upload = InputFile(attachment.content, filename=attachment.filename)
        if attachment.mime == PHOTO_MIME:
            await self.bot.send_photo(chat_id, upload)
        else:
            await self.bot.send_document(chat_id, upload)

    async def deliver(self) -> None:
        """Send what the outbox holds for Telegram, oldest first; mark each row sent.

        A row Telegram refused (or could not be reached for) stays pending and
        waits a pause, doubling up to an hour; later rows to the same chat wait
        with it, so a chat never reads messages out of order.
        """
        async with self._lock:
            try:
                rows = await self.konsilo.db.run(self._outgoing)
            except Exception:  # the database is away: nothing is lost, try again later
                log.exception("reading the outbox failed")
                self._wake_at(asyncio.get_running_loop().time() + self.retry_pause)
                return
            ids = {row.row_id for row in rows}
            self._failures = {k: v for k, v in self._failures.items() if k in ids}
            held: set[str | None] = set()
            for row in rows:
                if row.chat_id in held or not await self._send_row(row):
                    held.add(row.chat_id)
            if self._failures:
                self._wake_at(min(at for _, at in self._failures.values()))
        if self._tallies:  # a motion closed: its tally loses its buttons
            try:
                closed = await self.konsilo.db.run(partial(_closed, ids=list(self._tallies)))
            except Exception:
                log.exception("reading the motions' status failed")
                return
            for motion in closed:
                self._closing.add(motion)
                self.voted(motion)

    async def _send_row(self, row: Outgoing) -> bool:
        """Send one row unless it is pausing; False when it is still pending."""
        now = asyncio.get_running_loop().time()
        failures, not_before = self._failures.get(row.row_id, (0, 0.0))
        if not_before > now:
            return False
        try:
            if row.chat_id is None:
                raise TelegramError("the person has no Telegram identity")
            sent = await self.send_text(row.chat_id, row.text, markup=row.markup)
        except ChatMigrated as moved:  # the group became a supergroup we were not told of
            if row.chat_id is not None and await self.move_chat(row.chat_id, moved.new_chat_id):
                self._wake_at(now)  # its rows now name the new id: read them again
                return False
            pause = min(self.retry_pause * 2**failures, LONGEST_PAUSE)
            self._failures[row.row_id] = (failures + 1, now + pause)
            log.warning("outbox row %s: chat %s moved and cannot follow", row.row_id, row.chat_id)
            return False
        except TelegramError as error:
            pause = min(self.retry_pause * 2**failures, LONGEST_PAUSE)
            self._failures[row.row_id] = (failures + 1, now + pause)
            log.warning(
                "outbox row %s to %s not sent (%s); again in %.0f s",
                row.row_id,
                row.chat_id,
                error,
                pause,
            )
            return False
        self._failures.pop(row.row_id, None)
        await self.konsilo.db.run(partial(mark_sent, ids=[row.row_id], at=self.konsilo.clock.now()))
        if sent is not None and row.motion is not None and row.markup is not None:
            message, part = sent
            tally = Tally(row.chat_id, message.message_id, part, row.markup, row.language)
            self._tallies.setdefault(row.motion, []).append(tally)
        return True

    def _outgoing(self, conn: Connection) -> list[Outgoing]:
        """Pending rows rendered for their readers (on the database thread)."""
        tx = Tx(conn, self.konsilo.clock.now(), self.konsilo.secret)
        rows = pending(conn, PLATFORM, OUTBOX_BATCH)
        persons = {int(r.person_id) for r in rows if r.person_id is not None}
        users = {
            found.person_id: found.user_id
            for found in conn.execute(
                select(identities.c.person_id, identities.c.user_id).where(
                    identities.c.platform == PLATFORM, identities.c.person_id.in_(persons)
                )
            )
        }
        out = []
        for row in rows:
            if row.chat_id is not None:
                assembly = assemblies.at_place(tx, Place(PLATFORM, row.chat_id))
                language = (
                    str(assemblies.statute(tx, assembly.id)["language"])
                    if assembly is not None
                    else DEFAULT_LANGUAGE
                )
                chat_id: str | None = row.chat_id
            else:
                person = int(row.person_id or 0)
                language = people.language_of(tx, person) or DEFAULT_LANGUAGE
                chat_id = users.get(person)
            markup = None
            motion = None
            if row.choices is not None and row.chat_id is not None:
                markup = group_keyboard(row.choices, language, self.bot.username)
                motion = row.choices.motion
            text = as_html(row.lines, language)
            out.append(Outgoing(row.id, chat_id, text, markup, motion, language))
        return out

    def _wake_at(self, when: float) -> None:
        """Deliver again at loop time ``when`` (one timer; the earliest wins)."""
        loop = asyncio.get_running_loop()
        if self._timer is not None:
            if self._timer.when() <= when and not self._timer.cancelled():
                return
            self._timer.cancel()
        self._timer = loop.call_at(when, self._wake)

    def _wake(self) -> None:
        self._timer = None
        task = asyncio.get_running_loop().create_task(self.deliver())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # ----------------------------------------------------------------- tallies

    def _count_send(self, chat_id: int | str) -> None:
        """Note a call that counts against a group's limit (groups have negative ids)."""
        key = str(chat_id)
        if key.startswith("-"):
            self._recent_sends(key).append(asyncio.get_running_loop().time())

    def _recent_sends(self, chat_id: str) -> deque[float]:
        """Times of this group's calls within the last ``GROUP_WINDOW``."""
        now = asyncio.get_running_loop().time()
        recent = self._group_sends.setdefault(chat_id, deque())
        while recent and recent[0] <= now - GROUP_WINDOW:
            recent.popleft()
        return recent

    def voted(self, motion: int | None) -> None:
        """A ballot on ``motion`` came in (or it closed): edit its tallies soon.

        Edits are coalesced: one per motion every ``edit_pause`` seconds at most,
        showing the standing at the time of the edit, so a burst of presses
        becomes a handful of edits and the last one is right.
        """
        if motion is None or motion not in self._tallies:
            return
        self._stale.add(motion)
        if motion not in self._editors:
            task = asyncio.get_running_loop().create_task(self._edit_when_allowed(motion))
            self._editors[motion] = task
            task.add_done_callback(lambda _t: self._editors.pop(motion, None))

    def _edit_delay(self, motion: int) -> float:
        """Seconds until the tallies of ``motion`` may be edited: the pause since the
        last edit, and a place within each group's share of its limit (the last edit,
        at the close, does not wait for a share: messages and edits alike then queue
        in PTB's rate limiter, which keeps the group within Telegram's limit)."""
        now = asyncio.get_running_loop().time()
        delay = self._last_edit.get(motion, -1e9) + self.edit_pause - now
        if motion in self._closing:  # once per motion: PTB's rate limiter paces it
            return max(delay, 0.0)
        for tally in self._tallies.get(motion, ()):
            recent = self._recent_sends(tally.chat_id)
            if len(recent) >= EDIT_SHARE:
                delay = max(delay, recent[len(recent) - EDIT_SHARE] + GROUP_WINDOW - now)
        return max(delay, 0.0)

    async def _edit_when_allowed(self, motion: int) -> None:
        while motion in self._stale and motion in self._tallies:
            delay = self._edit_delay(motion)
            if delay > 0:
                await asyncio.sleep(delay)
                continue  # the group's limit may have filled meanwhile
            self._stale.discard(motion)
            self._last_edit[motion] = asyncio.get_running_loop().time()
            try:
                await self._edit(motion)
            except Exception:  # the database is away: the next ballot tries again
                log.exception("tally of motion %s not edited", motion)

    async def _edit(self, motion: int) -> None:
        """Show the standing of ``motion`` under its announcements; once closed, take
        the buttons away and forget it (the result is announced by the outbox)."""
        tallies = self._tallies.get(motion, [])
        languages = {t.language for t in tallies}
        status, lines = await self.konsilo.db.run(partial(self._standing, motion=motion))
        shown = {language: as_html(tuple(lines), language) for language in languages}
        is_open = status == OPEN
        for tally in list(tallies):
            now_shown = shown[tally.language]
            text = f"{tally.text}\n\n{now_shown}"
            try:
                if now_shown != tally.shown and units(text) <= TEXT_LIMIT:
                    self._count_send(tally.chat_id)
                    await self.bot.edit_message_text(
                        text,
                        tally.chat_id,
                        tally.message_id,
                        parse_mode=ParseMode.HTML,
                        link_preview_options=NO_PREVIEW,
                        reply_markup=tally.markup if is_open else None,
                    )
                    tally.shown = now_shown
                if not is_open:
                    self._count_send(tally.chat_id)
                    await self.bot.edit_message_reply_markup(
                        tally.chat_id, tally.message_id, reply_markup=None
                    )
            except BadRequest as error:  # deleted, or too old to edit: stop trying
                log.warning("tally of motion %s in %s dropped: %s", motion, tally.chat_id, error)
                tallies.remove(tally)
            except TelegramError as error:
                # Left stale: the next ballot tries again.
                log.warning("tally of motion %s in %s not edited: %s", motion, tally.chat_id, error)
        if not is_open or not tallies:
            self._tallies.pop(motion, None)
            self._last_edit.pop(motion, None)
            self._stale.discard(motion)
            self._closing.discard(motion)

    def _standing(self, conn: Connection, motion: int) -> tuple[str, list[Msg]]:
        tx = Tx(conn, self.konsilo.clock.now(), self.konsilo.secret)
        try:
            return load(tx, motion).status, standing(tx, motion)
        except Refusal:  # gone: treat as closed
            return "gone", []

    async def close(self) -> None:
        """Stop the retry timer and the tally edits, and wait for a delivery under way."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        for editor in list(self._editors.values()):
            editor.cancel()
        await asyncio.gather(*self._editors.values(), return_exceptions=True)
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)


def _closed(conn: Connection, ids: list[int]) -> list[int]:
    """Which of the motions ``ids`` are no longer open."""
    found = conn.execute(
        select(motions.c.id).where(motions.c.id.in_(ids), motions.c.status != OPEN)
    )
    return [int(m) for (m,) in found]
