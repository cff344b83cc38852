"""Rendering messages in the reader's language through gettext.

Catalogs live in ``core/i18n/locales/<lang>/LC_MESSAGES/konsilo.po`` and are
compiled to ``.mo`` files shipped beside them (``python -m core.i18n.build``
recompiles; a test fails when a ``.mo`` is stale or a msgid lacks a
translation). English is the source language.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from core.messages import Msg

LOCALES = Path(__file__).parent / "locales"
DOMAIN = "konsilo"
LANGUAGES = ("en", "es")
DEFAULT_LANGUAGE = "en"


def normalize_language(code: str | None) -> str:
    """Map a platform language hint (``es-AR``, ``ES``) to a supported one."""
    if not code:
        return DEFAULT_LANGUAGE
    base = code.replace("_", "-").split("-")[0].lower()
    return base if base in LANGUAGES else DEFAULT_LANGUAGE


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The gettext catalog of ``lang`` (English needs none)."""
    return gettext.translation(DOMAIN, LOCALES, languages=[lang], fallback=True)


def _identity(text: str) -> str:
    return text


def render(msg: Msg, lang: str, escape: Callable[[str], str] = _identity) -> str:
    """Translate ``msg`` into ``lang`` and fill in its parameters.

    ``escape`` is applied to members' own words (plain string parameters), so an
    HTML transport passes ``html.escape`` and markup typed by a member is shown,
    never interpreted.
    """
    template = translations(normalize_language(lang)).gettext(msg.key)
    params = {name: _param(value, lang, escape) for name, value in msg.params.items()}
    return template.format(**params) if params else template


def _param(value: Any, lang: str, escape: Callable[[str], str]) -> Any:
    if isinstance(value, Msg):
        return render(value, lang, escape)
    if isinstance(value, str):
        return escape(value)
    return value
