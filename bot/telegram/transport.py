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
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy import Connection, select
from telegram import Bot, InputFile, LinkPreviewOptions, Message, ReplyParameters, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import TelegramError
from telegram.ext import Application, CallbackContext, MessageHandler, TypeHandler, filters

from bot.telegram.text import addressed, as_html, split
from core import assemblies, people
from core.app import Konsilo
from core.context import Actor, Place, Tx
from core.i18n import DEFAULT_LANGUAGE
from core.messages import Attachment, Reply
from core.outbox import mark_sent, pending
from core.store.tables import identities

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

TelegramApp = Application[Any, Any, Any, Any, Any, Any]
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outgoing:
    """An outbox row ready to send: where (None: no Telegram chat known) and what."""

    row_id: int
    chat_id: str | None
    text: str


def event_key(message: Message) -> str:
    """The message's key for ``Konsilo.handle``: it makes a redelivered update harmless.

    A message id is never reused in its chat, while Telegram starts update ids
    afresh at random after a quiet week, so an update id alone could one day
    collide with a key handled long ago.
    """
    return f"{PLATFORM}:{message.chat.id}:{message.message_id}"


class Transport:
    """Turns updates into engine calls and engine output into Telegram messages."""

    def __init__(self, konsilo: Konsilo, bot: Bot, retry_pause: float = FIRST_PAUSE) -> None:
        self.konsilo = konsilo
        self.bot = bot
        self.retry_pause = retry_pause
        self.processed = 0  # updates fully handled (replies and outbox sent): tests wait on it
        self._lock = asyncio.Lock()
        self._failures: dict[int, tuple[int, float]] = {}  # row id: (failures, not before)
        self._timer: asyncio.TimerHandle | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    def install(self, app: TelegramApp) -> None:
        """Register the handlers on ``app``."""
        app.add_handler(MessageHandler(TEXT_MESSAGES, self.on_message))
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
        actor = Actor(PLATFORM, str(user.id), user.full_name, user.language_code)
        place = Place(PLATFORM, str(chat.id), private=chat.type == ChatType.PRIVATE)
        answer = await self.konsilo.handle(actor, place, text, event_key=event_key(message))
        for reply in answer.replies:
            to_member = reply.private and chat.type != ChatType.PRIVATE
            try:
                if to_member:
                    await self.send(user.id, reply, answer.language)
                else:
                    await self.send(chat.id, reply, answer.language, message.message_id)
            except TelegramError as error:
                # The act stands; only this answer is lost (see docs/telegram.md).
                log.warning("reply to %s in chat %s not sent: %s", user.id, chat.id, error)
        await self.deliver()

    async def on_processed(self, _update: Update, _context: object) -> None:
        self.processed += 1

    async def on_error(self, update: object, context: CallbackContext[Any, Any, Any, Any]) -> None:
        log.error("update %r failed", update, exc_info=context.error)

    async def send(
        self, chat_id: int | str, reply: Reply, language: str, reply_to: int | None = None
    ) -> None:
        """One reply: its text, then the file it carries."""
        await self.send_text(chat_id, as_html(reply.lines, language), reply_to)
        if reply.attachment is not None:
            await self.send_file(chat_id, reply.attachment)

    async def send_text(self, chat_id: int | str, text: str, reply_to: int | None = None) -> None:
        """``text`` (HTML) in as many messages as Telegram's limit needs."""
        for number, part in enumerate(split(text)):
            quote = None
            if reply_to is not None and number == 0:  # the first part answers the command
                quote = ReplyParameters(reply_to, allow_sending_without_reply=True)
            await self.bot.send_message(
                chat_id,
                part,
                parse_mode=ParseMode.HTML,
                link_preview_options=NO_PREVIEW,
                reply_parameters=quote,
            )

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

    async def _send_row(self, row: Outgoing) -> bool:
        """Send one row unless it is pausing; False when it is still pending."""
        now = asyncio.get_running_loop().time()
        failures, not_before = self._failures.get(row.row_id, (0, 0.0))
        if not_before > now:
            return False
        try:
            if row.chat_id is None:
                raise TelegramError("the person has no Telegram identity")
            await self.send_text(row.chat_id, row.text)
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
            out.append(Outgoing(row.id, chat_id, as_html(row.lines, language)))
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

    async def close(self) -> None:
        """Stop the retry timer and wait for a delivery under way."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
