"""The test's side of the emulator: users who type, and what they read.

telegram-test-api's client API is not Telegram's: JSON POSTs at the server's
root (not under ``/bot<token>/``). ``/sendMessage`` and ``/sendCommand`` queue a
user's message as an update (a command needs its ``bot_command`` entity);
``/getUpdates`` returns the bot's messages to one chat not read before, each
as the parameters the bot sent. ``extend_emulator.js`` adds ``/sendUpdate``,
``/injectError``, ``/getCallLog`` and ``/getUpload``.

The emulator checks nothing Telegram checks, so ``read`` does: a text must be
non-empty, within 4,096 characters, and valid Telegram HTML when it says it is
HTML. Tests then assert on ``BotMessage.text``, what the reader sees.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import json
import re
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import httpx

LIMIT = 4096
# The tags Telegram's parse_mode HTML accepts, and its named entities.
TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
    "a", "code", "pre", "blockquote", "tg-emoji",
}  # fmt: skip
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z-]*)\b[^<>]*>")
_BAD_AMP = re.compile(r"&(?!(?:lt|gt|amp|quot|#[0-9]+|#x[0-9A-Fa-f]+);)")


@dataclass(frozen=True)
class User:
    """A Telegram user (a person, never a bot)."""

    id: int
    first_name: str
    language_code: str | None = "en"
    last_name: str | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.language_code:
            data["language_code"] = self.language_code
        return data


@dataclass(frozen=True)
class Chat:
    """A group (negative id) or a user's private chat with the bot (the user's id)."""

    id: int
    type: str
    title: str | None = None
    user: User | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "type": self.type}
        if self.title:
            data["title"] = self.title
        if self.user:
            data["first_name"] = self.user.first_name
        return data


def private_chat(user: User) -> Chat:
    return Chat(user.id, "private", user=user)


def group_chat(chat_id: int, title: str) -> Chat:
    assert chat_id < 0, "group chat ids are negative"
    return Chat(chat_id, "supergroup" if str(chat_id).startswith("-100") else "group", title)


@dataclass(frozen=True)
class Button:
    """An inline keyboard button: it sends ``data`` back when pressed, or opens ``url``."""

    text: str
    data: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class BotMessage:
    """One message the bot sent, as its reader sees it."""

    message_id: int
    chat_id: int
    text: str  # what the reader sees (HTML parsed), or a photo's/document's caption
    source: str  # what the bot sent (the HTML)
    kind: str  # text | photo | document
    reply_to: int | None = None
    file_name: str | None = None
    file_id: str | None = None
    buttons: tuple[tuple[Button, ...], ...] = ()

    @property
    def labels(self) -> list[str]:
        """The buttons' texts, row by row."""
        return [b.text for row in self.buttons for b in row]

    def button(self, text: str) -> Button:
        [found] = [b for row in self.buttons for b in row if b.text == text]
        return found


def buttons(message: dict[str, Any]) -> tuple[tuple[Button, ...], ...]:
    """The inline keyboard the bot sent with a message, checked as Telegram checks it."""
    markup = message.get("reply_markup")
    if isinstance(markup, str):
        markup = json.loads(markup)
    rows = (markup or {}).get("inline_keyboard") or []
    found = []
    for row in rows:
        shown = []
        for b in row:
            data, url = b.get("callback_data"), b.get("url")
            assert b["text"].strip(), "Telegram refuses a button without text"
            assert (data is None) != (url is None), "a button has callback_data or url"
            assert data is None or 1 <= len(data.encode()) <= 64, "callback_data is 1-64 bytes"
            shown.append(Button(b["text"], data, url))
        found.append(tuple(shown))
    return tuple(found)


class _Visible(HTMLParser):
    """What Telegram shows for an HTML text; refuses tags Telegram refuses."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TAGS:
            raise AssertionError(f"Telegram refuses this message: unsupported start tag <{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag not in TAGS:
            raise AssertionError(f"Telegram refuses this message: unsupported end tag </{tag}>")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def visible(source: str) -> str:
    """The text Telegram would show for ``source`` sent with parse_mode HTML."""
    if (bad := _BAD_AMP.search(source)) is not None:
        raise AssertionError(f"Telegram refuses this message: bare & at {bad.start()}")
    stray = _TAG.sub("", source)
    if "<" in stray or ">" in stray:
        raise AssertionError(f"Telegram refuses this message: a bare < or > in {source[:80]!r}")
    parser = _Visible()
    parser.feed(source)
    parser.close()
    return html.unescape("".join(parser.parts))


def checked_text(record: dict[str, Any]) -> tuple[str, str]:
    """(source, visible text) of a sent message, checked as Telegram checks it."""
    message = record["message"]
    source = str(message.get("text") or message.get("caption") or "")
    if "photo" in message or "document" in message:
        return source, source
    text = visible(source) if message.get("parse_mode") == "HTML" else source
    length = len(text.encode("utf-16-le")) // 2
    assert text.strip(), "Telegram refuses an empty message"
    assert length <= LIMIT, f"Telegram refuses a message of {length} characters"
    return source, text


def command_entities(text: str) -> list[dict[str, Any]]:
    """The bot_command entity Telegram puts on a leading /command."""
    if not text.startswith("/"):
        return []
    end = text.find(" ")
    return [{"type": "bot_command", "offset": 0, "length": end if end > 0 else len(text)}]


class AsyncClient:
    """Users of one bot (``token``) on the emulator at ``api``."""

    def __init__(self, api: str, token: str) -> None:
        self.api = api
        self.token = token
        self.http = httpx.AsyncClient(base_url=api, timeout=10.0)
        self._dates = itertools.count(int(time.time()))
        self._queries = itertools.count(4_242_000_001)
        self._latest: dict[tuple[int, int], BotMessage] = {}  # (chat, message): as it is now
        self._unread: dict[int, list[BotMessage]] = {}  # chat: new messages not yet read

    async def aclose(self) -> None:
        await self.http.aclose()

    async def _post(self, route: str, body: dict[str, Any]) -> Any:
        response = await self.http.post(f"/{route}", json=body)
        response.raise_for_status()
        data = response.json()
        assert data["ok"], data
        return data["result"]

    async def send(self, user: User, chat: Chat, text: str, **fields: Any) -> None:
        """``user`` types ``text`` in ``chat`` (a command when it starts with /)."""
        body: dict[str, Any] = {
            "botToken": self.token,
            "from": user.to_json(),
            "chat": chat.to_json(),
            "date": next(self._dates),
            "text": text,
            **fields,
        }
        if entities := command_entities(text):
            body["entities"] = entities
        await self._post("sendCommand" if entities else "sendMessage", body)

    async def send_update(self, update: dict[str, Any]) -> None:
        """Queue a raw update; with ``update_id`` it is a redelivery of that update."""
        await self._post("sendUpdate", {"botToken": self.token, "update": update})

    async def press(self, user: User, chat: Chat, message: BotMessage, data: str) -> str:
        """``user`` presses a button carrying ``data`` under ``message``; the query's id."""
        query_id = str(next(self._queries))
        query = {
            "id": query_id,
            "from": user.to_json(),
            "message": {
                "message_id": message.message_id,
                "date": next(self._dates),
                "chat": chat.to_json(),
                "text": message.text,
            },
            "chat_instance": str(chat.id),
            "data": data,
        }
        await self.send_update({"callback_query": query})
        return query_id

    async def toasts(self) -> dict[str, str | None]:
        """The bot's answer to each button press: query id -> the toast's text (None: none)."""
        calls = await self.calls("answerCallbackQuery")
        return {str(c["body"]["callback_query_id"]): c["body"].get("text") for c in calls}

    async def my_commands(self, language: str | None = None) -> list[tuple[str, str]]:
        """The command menu as a Telegram app reads it (Bot API getMyCommands)."""
        body = {"language_code": language} if language else {}
        response = await self.http.post(f"/bot{self.token}/getMyCommands", json=body)
        response.raise_for_status()
        return [(c["command"], c["description"]) for c in response.json()["result"]]

    async def user_updates(self) -> list[dict[str, Any]]:
        """Every update users sent to this bot, as the bot received it."""
        records = await self._post("getUpdatesHistory", {"token": self.token})
        return [
            {
                "update_id": r["updateId"],
                "message": {
                    **{k: v for k, v in r["message"].items() if k != "botToken"},
                    "message_id": r["messageId"],
                },
            }
            for r in records
            if "message" in r and "from" in r["message"]
        ]

    async def read(self, chat: Chat) -> list[BotMessage]:
        """The bot's new messages to ``chat`` not read before, checked as Telegram would.
        Edits of messages already there are not new messages (see ``current``)."""
        await self._pull(chat)
        return self._unread.pop(chat.id, [])

    async def current(self, chat: Chat, message_id: int) -> BotMessage:
        """A message of the bot in ``chat`` as it reads now, edits included."""
        await self._pull(chat)
        return self._latest[(chat.id, message_id)]

    async def _pull(self, chat: Chat) -> None:
        records = await self._post("getUpdates", {"token": self.token, "chatId": chat.id})
        for record in records:
            message = self._message(record)
            key = (chat.id, message.message_id)
            if key not in self._latest:
                self._unread.setdefault(chat.id, []).append(message)
            self._latest[key] = message

    def _message(self, record: dict[str, Any]) -> BotMessage:
        message = record["message"]
        source, text = checked_text(record)
        kind = "photo" if "photo" in message else "document" if "document" in message else "text"
        reply = message.get("reply_parameters")
        if isinstance(reply, str):
            reply = json.loads(reply)
        file_id = None
        if kind == "photo":
            file_id = message["photo"][0]["file_id"]
        elif kind == "document":
            file_id = message["document"]["file_id"]
        upload = message.get("upload") or {}
        return BotMessage(
            message_id=int(record["messageId"]),
            chat_id=int(message["chat_id"]),
            text=text,
            source=source,
            kind=kind,
            reply_to=int(reply["message_id"]) if reply else None,
            file_name=upload.get("filename"),
            file_id=file_id,
            buttons=buttons(message),
        )

    async def wait_read(self, chat: Chat, count: int, timeout: float = 10.0) -> list[BotMessage]:
        """Read until ``count`` messages came to ``chat`` (for what the clock sends)."""
        got: list[BotMessage] = []
        deadline = time.monotonic() + timeout
        while len(got) < count and time.monotonic() < deadline:
            got += await self.read(chat)
            if len(got) < count:
                await asyncio.sleep(0.02)
        return got

    async def upload(self, file_id: str) -> dict[str, Any]:
        """A file the bot uploaded (``data`` in base64, ``mimeType``, ``filename``)."""
        found: dict[str, Any] = await self._post("getUpload", {"id": file_id})
        return found

    async def inject_error(
        self, method: str, code: int, description: str, count: int = 1, **parameters: Any
    ) -> None:
        """The bot's next ``count`` calls of ``method`` fail as Telegram fails them."""
        body = {"botToken": self.token, "method": method, "count": count, "error_code": code}
        body |= {"description": description, "parameters": parameters or None}
        await self._post("injectError", body)

    async def calls(self, method: str | None = None) -> list[dict[str, Any]]:
        """The bot's calls of ``method`` (all without one), with their HTTP status."""
        found: list[dict[str, Any]] = await self._post(
            "getCallLog", {"botToken": self.token, "method": method}
        )
        return found
