"""The Spanish catalog is complete, consistent with the code, and really used.

Every msgid marked in ``core/`` and ``bot/`` must have a Spanish translation
with the same ``{placeholders}``; the committed ``.mo`` must be what the
``.po`` compiles to (``python -m core.i18n.build extract`` then
``python -m core.i18n.build`` fixes both).
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path
from string import Formatter

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from core.i18n import DOMAIN, LOCALES, normalize_language, render
from core.i18n.build import extract, marked
from core.messages import Msg
from tests.chat import Chat, assembly

ES_DIR = LOCALES / "es" / "LC_MESSAGES"
ES_PO = ES_DIR / f"{DOMAIN}.po"
ES_MO = ES_DIR / f"{DOMAIN}.mo"

FIX = "run `python -m core.i18n.build extract`, translate, then `python -m core.i18n.build`"
# A command a member types, such as /vote (not Europe/Madrid, not 30%/60d).
COMMAND = re.compile(r"(?<![\w%/])/[a-z]+\b")


def _read(path: Path) -> Catalog:
    with open(path, "rb") as src:
        return read_po(src)


def _messages(catalog: Catalog) -> dict[str, Message]:
    return {m.id: m for m in catalog if m.id and isinstance(m.id, str)}


@pytest.fixture(scope="module")
def code_msgids() -> list[str]:
    ids = sorted(_messages(extract()))
    assert len(ids) > 100, "extraction found suspiciously few msgids"
    return ids


@pytest.fixture(scope="module")
def es() -> dict[str, Message]:
    return _messages(_read(ES_PO))


def _placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in Formatter().parse(text) if field is not None}


def test_extraction_finds_markers_nested_in_a_refusal() -> None:
    source = (
        'raise Refusal("The {what} is empty.", what=Msg(N_("name")))\n'
        "errors.Refusal(\n"
        '    "one "\n'
        '    "two {id}.",\n'
        "    id=3,\n"
        ")\n"
        "Refusal(msgid)\n"
        'Msg.of(N_("Motion {id} ({kind})"), kind=Msg(KIND_NAMES[k]))\n'
    )
    assert [message for _, message in marked(source)] == [
        "The {what} is empty.",
        "name",
        "one two {id}.",
        "Motion {id} ({kind})",
    ]


def test_po_header_is_spanish_utf8_with_plural_forms() -> None:
    catalog = _read(ES_PO)
    headers = dict(catalog.mime_headers)
    assert str(catalog.locale) == "es"
    assert headers["Language"] == "es"
    assert headers["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert "charset=utf-8" in headers["Content-Type"].lower()
    assert not catalog.fuzzy, "the header is marked fuzzy"


def test_every_msgid_in_the_code_has_a_spanish_translation(
    code_msgids: list[str], es: dict[str, Message]
) -> None:
    missing = [i for i in code_msgids if i not in es]
    empty = [i for i in code_msgids if i in es and not str(es[i].string or "").strip()]
    fuzzy = [i for i in code_msgids if i in es and es[i].fuzzy]
    assert not missing, f"msgids missing from {ES_PO.name} ({FIX}): {missing}"
    assert not empty, f"untranslated msgids: {empty}"
    assert not fuzzy, f"fuzzy (unchecked) translations: {fuzzy}"


def test_translations_keep_exactly_the_placeholders(es: dict[str, Message]) -> None:
    wrong = {
        msgid: str(m.string)
        for msgid, m in es.items()
        if m.string and _placeholders(msgid) != _placeholders(str(m.string))
    }
    assert not wrong, f"placeholders differ between msgid and translation: {wrong}"


def test_translations_keep_the_command_words_members_type(es: dict[str, Message]) -> None:
    wrong = {
        msgid: str(m.string)
        for msgid, m in es.items()
        if m.string and set(COMMAND.findall(msgid)) - set(COMMAND.findall(str(m.string)))
    }
    assert not wrong, f"a /command was translated or dropped: {wrong}"


def test_committed_mo_is_compiled_from_the_po() -> None:
    compiled = io.BytesIO()
    write_mo(compiled, _read(ES_PO))
    assert ES_MO.exists(), f"{ES_MO} is missing ({FIX})"
    assert ES_MO.read_bytes() == compiled.getvalue(), f"{ES_MO.name} is stale ({FIX})"


@pytest.mark.parametrize(
    ("msg", "spanish"),
    [
        (
            Msg("Only members of this assembly can vote on motion {id}.", {"id": 7}),
            "Solo los miembros de esta asamblea pueden votar la propuesta 7.",
        ),
        (
            Msg("Motion {id} is open for voting.", {"id": 3}),
            "La propuesta 3 está abierta a votación.",
        ),
        (Msg("I will write to you in English."), "Te escribiré en español."),
        (
            Msg(
                "Motion {id} {status}: {title}", {"id": 2, "status": Msg("passed"), "title": "Pan"}
            ),
            "Propuesta 2 aprobada: Pan",
        ),
        (Msg("The {what} is empty.", {"what": Msg("option")}), "Falta la opción."),
    ],
)
def test_render_returns_spanish(msg: Msg, spanish: str) -> None:
    assert render(msg, "es") == spanish
    assert render(msg, "es-AR") == spanish


def test_normalize_language() -> None:
    assert normalize_language("es-AR") == "es"
    assert normalize_language("ES") == "es"
    assert normalize_language("es_MX") == "es"
    assert normalize_language("en-GB") == "en"
    assert normalize_language("xx") == "en"
    assert normalize_language("") == "en"
    assert normalize_language(None) == "en"


def test_unknown_language_falls_back_to_english() -> None:
    msg = Msg("Only members of this assembly can vote on motion {id}.", {"id": 7})
    assert render(msg, "de") == "Only members of this assembly can vote on motion 7."
    assert render(msg, "en") == "Only members of this assembly can vote on motion 7."


def test_escape_applies_to_members_words_not_to_the_template() -> None:
    objection = Msg("Objection: {reason}", {"reason": "<b>too early</b> & cold"})
    assert render(objection, "es", escape=html.escape) == (
        "Objeción: &lt;b&gt;too early&lt;/b&gt; &amp; cold"
    )
    hint = Msg("Consent or object with a reason: /vote {id} consent | object <why>", {"id": 4})
    rendered = render(hint, "es", escape=html.escape)
    assert rendered.endswith("/vote 4 consiento | objeción <motivo>")
    petition = Msg(
        "{name} petitions ({what}): {reason}. {needed} signatures needed: /sign {id}",
        {
            "name": "<b>Ana</b>",
            "what": Msg("extraordinary sitting"),
            "reason": "<i>x</i>",
            "needed": 3,
            "id": 5,
        },
    )
    assert render(petition, "es", escape=html.escape) == (
        "&lt;b&gt;Ana&lt;/b&gt; abre una petición (reunión extraordinaria): "
        "&lt;i&gt;x&lt;/i&gt;. Se necesitan 3 firmas: /sign 5"
    )


def test_a_spanish_member_reads_their_vote_in_spanish(chat: Chat) -> None:
    assembly(chat, "Bo")
    chat.say("Bo", "/language es")
    chat.say("Ana", "/motion Tea break")
    assert chat.say("Bo", "/vote 1 sí") == "Voto en la propuesta 1 registrado: sí."
    assert chat.say("Ana", "/vote 1 abstain") == "Vote on motion 1 recorded: abstain."
